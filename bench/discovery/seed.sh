#!/usr/bin/env bash
# Builds the Discovery benchmark database: a private PostgreSQL (bench/feed/db.sh with this bench's port and data dir),
# migrations, the feed seed (100k users, 1M videos, 10M likes), then realistic text (seed.sql) and the query mix
# (queries.sql -> bench/results/discovery/queries.txt). Takes ~15-30 min on 2 busy cores.
# Env: PGPORT (18201), PGDATA (/work/wt/i14-pg/data).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGPORT=${PGPORT:-18201} PGDATA=${PGDATA:-/work/wt/i14-pg/data}
OUT=bench/results/discovery; mkdir -p "$OUT"
[ -f /usr/share/dict/american-english ] || { apt-get update -qq && apt-get install -y -qq wamerican; }
grep -E '^[a-z]{3,10}$' /usr/share/dict/american-english > "$OUT/words.txt"
chmod a+r "$OUT/words.txt"

pg_isready -q -h 127.0.0.1 -p "$PGPORT" || bench/feed/db.sh start >/dev/null
CS="Host=127.0.0.1;Port=$PGPORT;Database=iglive_bench;Username=iglive"
dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o /tmp/iglive-discovery-bin >/dev/null
ConnectionStrings__Postgres="$CS" Auth__JwtSecret=bench-secret-bench-secret-bench-secret-0123 Storage__LocalPath=/tmp/iglive-discovery-media \
  Logging__LogLevel__Default=Warning dotnet /tmp/iglive-discovery-bin/IgLive.Service.dll migrate
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -v mode=drop -f bench/discovery/outside_fks.sql
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -f bench/feed/seed.sql
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -v mode=restore -f bench/discovery/outside_fks.sql
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -f bench/discovery/seed.sql < "$OUT/words.txt"
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -f bench/discovery/queries.sql
# The seed is history: its videos' follower fan-out is long done (else the service's fan-out job works through 1M
# queued videos during the first sittings), its likes are folded into trending once (the job's statements), the
# videos heap is put in created_at order (as production inserts it), and VACUUM sets the visibility map.
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -c "TRUNCATE new_video_fanout"
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -f bench/discovery/compute_trending.sql >/dev/null
bench/feed/db.sh psql -v ON_ERROR_STOP=1 -c "CLUSTER videos USING videos_feed_idx" -c "VACUUM ANALYZE"
bench/feed/db.sh psql -tA -c "SELECT q FROM bench_queries ORDER BY i" > "$OUT/queries.txt"
echo "seeded; $(wc -l < "$OUT/queries.txt") queries in $OUT/queries.txt"
