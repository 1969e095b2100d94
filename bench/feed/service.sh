# Sourced by ab.sh and cpu-ab.sh: starting Release builds of the service side by side on the seeded benchmark database.
SECRET=bench-secret-bench-secret-bench-secret-0123
CS0="Host=127.0.0.1;Port=${PGPORT:-54340};Database=iglive_bench;Username=iglive"
OUT=bench/results/feed; mkdir -p "$OUT"

# start_service log-name port bin connection-string "K=V ..." : starts one service in the background, prints its pid.
# Tokens are minted for the issuer http://127.0.0.1:5080 (mint_tokens.py), whatever the port.
start_service() {
  env ConnectionStrings__Postgres="$4" Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:5080" \
    ASPNETCORE_URLS="http://127.0.0.1:$2" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    Cleanup__SchedulerEnabled=false Storage__LocalPath=/tmp/iglive-feed-media RateLimits__LikesPerMinute=0 RateLimits__CommentsPerMinute=0 RateLimits__UploadsPerHour=0 RateLimits__EventTicketsPerMinute=0 $5 \
    dotnet "$3/IgLive.Service.dll" > "$OUT/service-$1.log" 2>&1 &
  echo $!
}

# wait_ready port... : until each service answers /health/ready (60 s at most each).
wait_ready() {
  local p
  for p in "$@"; do for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$p/health/ready" >/dev/null && break; sleep 1; done; done
}
