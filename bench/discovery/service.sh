# Sourced by bench/discovery/run.sh and per_kind_http.sh. start_service LOGFILE: starts the Release build in $BIN on
# 127.0.0.1:$PORT against $CS with the bench settings (Production, warnings only, cleanup off, media in /tmp) plus the
# NAME=value settings in $SVC_ENV, output to LOGFILE; sets APP (the caller stops it: kill, then wait, so the next run
# finds the port free) and returns once /health/ready answers (60 s at most). Waits first for the port to be free.
start_service() {
  for _ in $(seq 1 30); do ss -ltn | grep -q ":$PORT " || break; sleep 0.5; done
  env ConnectionStrings__Postgres="$CS" Auth__JwtSecret=bench-secret-bench-secret-bench-secret-0123 \
    ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    Cleanup__SchedulerEnabled=false Cleanup__DrainerEnabled=false Storage__LocalPath=/tmp/iglive-discovery-media \
    ${SVC_ENV:-} dotnet "$BIN/IgLive.Service.dll" > "$1" 2>&1 &
  APP=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done
}
