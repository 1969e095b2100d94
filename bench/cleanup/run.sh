#!/usr/bin/env bash
# Cleanup benchmark: expire N (default 100,000) ImageKit videos (each with one like) in one run of
# `dotnet IgLive.Service.dll cleanup` against a fake ImageKit (fake_imagekit.py, bulk delete always 200), then
# compare with a baseline measured in the same sitting: one plain `DELETE FROM videos WHERE expires_at <= now()` of
# the same rows on a copy of the database (no batching, no deletion queue, no store calls).
# Needs Docker and the image of the tests (POSTGRES_TEST_IMAGE, default iglive/postgres:15), python3, /usr/bin/time.
# Usage: bench/cleanup/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-100000}"
IMAGE="${POSTGRES_TEST_IMAGE:-iglive/postgres:15}"
PGPORT="${BENCH_PGPORT:-55433}"
IKPORT="${BENCH_IKPORT:-55480}"
OUT=$(mktemp -d)
log() { echo "[bench/cleanup $(date +%T)] $*" >&2; }

log "starting PostgreSQL ($IMAGE) on 127.0.0.1:$PGPORT"
CID=$(docker run -d --rm -e POSTGRES_USER=iglive -e POSTGRES_PASSWORD=bench -e POSTGRES_DB=bench \
  -p "127.0.0.1:$PGPORT:5432" "$IMAGE" postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off)
python3 bench/cleanup/fake_imagekit.py "$IKPORT" & IKPID=$!
cleanup() { kill "$IKPID" 2>/dev/null || true; docker stop "$CID" >/dev/null 2>&1 || true; rm -rf "$OUT"; }
trap cleanup EXIT INT TERM
psql_() { docker exec -i "$CID" psql -v ON_ERROR_STOP=1 -U iglive -qAt "$@"; }
for _ in $(seq 1 60); do psql_ -d bench -c "SELECT 1" >/dev/null 2>&1 && break; sleep 0.5; done

log "building the service (Release)"
dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o "$OUT/bin" >/dev/null
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Database=bench;Username=iglive;Password=bench"
export Auth__JwtSecret="bench-secret-bench-secret-bench-secret-0123" Storage__LocalPath="$OUT/media"
export ImageKit__PublicKey=public_bench ImageKit__PrivateKey=private_bench ImageKit__UrlEndpoint=https://ik.example.test/bench
export ImageKit__ApiBaseUrl="http://127.0.0.1:$IKPORT" ImageKit__UploadBaseUrl="http://127.0.0.1:$IKPORT"
export Logging__LogLevel__Default=Warning
dotnet "$OUT/bin/IgLive.Service.dll" migrate >/dev/null

log "seeding $N expired videos (one like each), set-based"
seed_start=$(date +%s.%N)
psql_ -d bench <<SQL
INSERT INTO profiles (id, username) SELECT gen_random_uuid(), 'bench_' || g FROM generate_series(1, 1000) g;
CREATE TEMP TABLE p AS SELECT id, row_number() OVER () AS n FROM profiles;
INSERT INTO videos (id, user_id, title, storage_provider, storage_key, video_url, content_type, size_bytes, created_at, expires_at)
SELECT gen_random_uuid(), p.id, 'bench', 'imagekit', 'ik_' || g, 'https://ik.example.test/bench/' || g || '.mp4', 'video/mp4', 1000,
       now() - interval '15 days', now() - interval '1 day' + g * interval '1 ms'
FROM generate_series(1, $N) g JOIN p ON p.n = 1 + g % 1000;
INSERT INTO video_likes (video_id, user_id) SELECT v.id, v.user_id FROM videos v;
ANALYZE;
SQL
log "seeded in $(echo "$(date +%s.%N) - $seed_start" | bc) s"

log "baseline: plain DELETE of the same rows on a copy"
psql_ -d postgres -c "CREATE DATABASE bench_copy TEMPLATE bench"
base=$(psql_ -d bench_copy <<'SQL' | grep -o 'Time: [0-9.]*' | grep -o '[0-9.]*'
\timing on
DELETE FROM videos WHERE expires_at <= now();
SQL
)
stat() { psql_ -d postgres -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'bench'"; }
psql_ -d bench -c "SELECT pg_stat_reset()" >/dev/null
sleep 1 # let the statistics collector settle
before=$(stat)
if [ -n "${BENCH_PAUSE:-}" ]; then log "paused: $ConnectionStrings__Postgres (container $CID)"; sleep "$BENCH_PAUSE"; fi
log "cleanup run"
start=$(date +%s.%N)
/usr/bin/time -v -o "$OUT/time.txt" env "Logging__LogLevel__IgLive.Service.Features.Housekeeping.CleanupOldVideos=Information" \
  dotnet "$OUT/bin/IgLive.Service.dll" cleanup | tee "$OUT/run.txt" >&2
wall=$(echo "$(date +%s.%N) - $start" | bc)
sleep 1
after=$(stat)
rss_kb=$(grep "Maximum resident set size" "$OUT/time.txt" | grep -o '[0-9]*$')
calls=$(curl -fs "http://127.0.0.1:$IKPORT/stats")
left=$(psql_ -d bench -c "SELECT (SELECT count(*) FROM videos) || ' videos, ' || (SELECT count(*) FROM storage_deletions) || ' queued'")
store_calls=$(echo "$calls" | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])')
txns=$((after - before))

echo
echo "videos expired:              $N (left: $left)"
echo "cleanup wall time:           ${wall} s (process start to exit, incl. ~1 s .NET start-up)"
echo "baseline plain DELETE:       $(echo "scale=3; $base / 1000" | bc) s"
echo "ratio cleanup / baseline:    $(echo "scale=2; $wall * 1000 / $base" | bc)"
echo "SQL transactions (=stmts):   $txns  -> $(echo "scale=4; $txns / $N" | bc) per video"
echo "store calls:                 $store_calls ($calls) -> $(echo "scale=4; $store_calls / $N" | bc) per video"
echo "peak RSS:                    $((rss_kb / 1024)) MiB"
