#!/usr/bin/env bash
# Live-updates benchmark, one sitting: (1) one instance holding N idle SSE streams (default 5,000): service RSS before
# and after (memory per stream) and its CPU over HOLD seconds at rest (pings only); (2) like-commit → `video` event
# latency at SUBS subscribers (default 1,000) of one video, LIKES likes 400 ms apart (beyond the 250 ms coalescing,
# so each like is its own event); (3) the floor: pg_notify commit → arrival at one LISTEN connection.
# Prerequisites: a private PostgreSQL (bench/feed/db.sh start, PGPORT/PGDATA of your choice). Ports: PORT (18480).
# IDLE_ONLY=1 stops after (1). The service inherits the environment (e.g. Server__SocketBlockBytes=0 for an A/B).
# Output: bench/results/events/run-<time>.log
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18480}
PGPORT=${PGPORT:-54340}
N=${N:-5000}; HOLD=${HOLD:-60}; SUBS=${SUBS:-1000}; LIKES=${LIKES:-100}
DB=iglive_events
SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 48)
CS="Host=127.0.0.1;Port=$PGPORT;Database=$DB;Username=iglive"
OUT=bench/results/events; mkdir -p "$OUT"
LOG="$OUT/run-$(date +%Y%m%dT%H%M%S).log"
log() { echo "[$(date +%T)] $*" | tee -a "$LOG"; }
PSQL="/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p $PGPORT -U iglive"

$PSQL -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-events-bin >/dev/null
dotnet build bench/events/EventsBench.csproj -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-events-client >/dev/null
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 5,000 streams need 5,000+ descriptors in each process
FDS=$(ulimit -n)
[ "$FDS" = unlimited ] || [ "$FDS" -gt $((N + 500)) ] || { echo "ulimit -n is $FDS (hard limit): $N streams need more than $((N + 500)) descriptors"; exit 1; }

ConnectionStrings__Postgres="$CS" Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:$PORT" \
  ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Cleanup__SchedulerEnabled=false Storage__LocalPath=/tmp/iglive-events-media Kestrel__Limits__MaxConcurrentConnections=20000 \
  RateLimits__LikesPerMinute=0 RateLimits__CommentsPerMinute=0 RateLimits__UploadsPerHour=0 RateLimits__EventTicketsPerMinute=0 \
  dotnet /tmp/iglive-events-bin/IgLive.Service.dll > "$OUT/service.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done
log "service up (pid $APP); load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; ulimit -n $FDS"

python3 bench/feed/mint_tokens.py "$SECRET" "$LIKES" "http://127.0.0.1:$PORT/auth/v1" > "$OUT/tokens.txt"
OWNER=00000000-0000-4000-9000-0000000f0000
VIDEO=00000000-0000-4000-8000-0000000f0000
$PSQL -d $DB -qc "INSERT INTO profiles (id, username) VALUES ('$OWNER', 'bench_owner');
  INSERT INTO videos (id, user_id, title, storage_provider, storage_key, video_url, content_type, size_bytes, expires_at)
  VALUES ('$VIDEO', '$OWNER', 'bench', 'local', 'bench-key', '/media/bench', 'video/mp4', 1, now() + interval '1 day')"

rss() { awk '/VmRSS/ {print $2}' /proc/$APP/status; }
cpu() { awk '{print $14 + $15}' /proc/$APP/stat; }
# Warm the endpoint (JIT) with a few streams before measuring the baseline RSS.
timeout 60 /tmp/iglive-events-client/EventsBench idle "http://127.0.0.1:$PORT" 200 "$VIDEO" 5 >/dev/null || true
sleep 3
R0=$(rss)
log "idle: RSS before ${R0} KiB"
/tmp/iglive-events-client/EventsBench idle "http://127.0.0.1:$PORT" "$N" "$VIDEO" "$((HOLD + 10))" > "$OUT/idle.txt" &
CLIENT=$!
for _ in $(seq 1 300); do grep -q '^OPEN' "$OUT/idle.txt" 2>/dev/null && break; sleep 1; done
log "idle: $(head -1 "$OUT/idle.txt")"
sleep 5
R1=$(rss); C0=$(cpu); T0=$(date +%s.%N)
sleep "$HOLD"
C1=$(cpu); T1=$(date +%s.%N); R2=$(rss)
TICK=$(getconf CLK_TCK)
log "RESULT idle streams=$N rss_before_kib=$R0 rss_open_kib=$R1 rss_after_hold_kib=$R2 per_stream_kib=$(( (R1 - R0) / N )) cpu_at_rest_pct=$(echo "scale=2; 100 * ($C1 - $C0) / $TICK / ($T1 - $T0)" | bc) load=$(cut -d' ' -f1 /proc/loadavg)"
wait $CLIENT || true
log "idle: $(tail -1 "$OUT/idle.txt")"

[ "${IDLE_ONLY:-}" = 1 ] && { log "done (IDLE_ONLY): $LOG"; exit 0; }
sleep 5
for i in 1 2; do
  log "latency run $i: $(/tmp/iglive-events-client/EventsBench latency "http://127.0.0.1:$PORT" "$OUT/tokens.txt" "$VIDEO" "$SUBS" "$LIKES" | grep RESULT) load=$(cut -d' ' -f1 /proc/loadavg)"
  $PSQL -d $DB -qc "DELETE FROM video_likes WHERE video_id = '$VIDEO'; UPDATE videos SET likes_count = 0 WHERE id = '$VIDEO'"
  log "baseline run $i: $(/tmp/iglive-events-client/EventsBench notify "$CS" "$LIKES" | grep RESULT) load=$(cut -d' ' -f1 /proc/loadavg)"
done
log "done: $LOG"
