#!/usr/bin/env bash
# Processing benchmark: seconds of video made ready per second of wall time, with 1 and with 2 workers. Uploads
# CLIPS test-pattern clips (SECONDS_EACH s, 1280x720, 30 fps, with audio: each gets 360p and 720p renditions) to the
# Release build on local storage with a private PostgreSQL, and times from the first upload until every video is
# ready (polling the owner's GET). Media__MaxFfmpegProcesses follows the worker count.
# Usage: bench/upload/processing.sh [clips=4] [seconds_each=20]    Needs: dotnet, curl, python3, ffmpeg, PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIPS="${1:-4}"; SECONDS_EACH="${2:-20}"
PORT="${PORT:-18180}"; PGPORT="${PGPORT:-18181}"
source bench/upload/common.sh

log "making $CLIPS clips of ${SECONDS_EACH} s (untimed)"
for i in $(seq 1 "$CLIPS"); do
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=$SECONDS_EACH" \
    -f lavfi -i "sine=frequency=$((300 + i * 50)):duration=$SECONDS_EACH" -c:v libx264 -preset ultrafast -pix_fmt yuv420p \
    -c:a aac "$WORK/clip$i.mp4"
done

run() { # $1 = workers; prints "workers seconds_of_video wall_seconds"
  ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Database=iglive;Username=iglive" \
  Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:$PORT" Storage__LocalPath="$WORK/media" \
  Cleanup__SchedulerEnabled=false Media__Workers="$1" Media__MaxFfmpegProcesses="$1" Media__PollSeconds=0.2 \
  ASPNETCORE_URLS="http://127.0.0.1:$PORT" Logging__LogLevel__Default=Warning RateLimits__UploadsPerHour=0 \
    dotnet "$WORK/bin/IgLive.Service.dll" >"$WORK/app.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
  local ids=() t0 t1
  t0=$(date +%s.%N)
  for i in $(seq 1 "$CLIPS"); do
    ids+=("$(curl -fs -H "Authorization: Bearer $TOKEN" -F title="clip $i" -F "file=@$WORK/clip$i.mp4" \
      "http://127.0.0.1:$PORT/api/videos" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
  done
  for id in "${ids[@]}"; do
    while :; do
      status=$(curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/videos/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
      [ "$status" != processing ] && break
      sleep 0.2
    done
    [ "$status" = ready ] || { log "video $id is $status"; exit 1; }
  done
  t1=$(date +%s.%N)
  kill "$APP"; wait "$APP" 2>/dev/null || true; APP=""
  echo "$1 $(( CLIPS * SECONDS_EACH )) $(echo "$t1 - $t0" | bc -l)"
}

R1=$(run 1); R2=$(run 2)
python3 - "$R1" "$R2" <<'PY'
import sys
for r in sys.argv[1:]:
    w, video, wall = r.split(); video, wall = float(video), float(wall)
    print(f"{w} worker(s): {video:.0f} s of 720p video (360p + 720p renditions) ready in {wall:.1f} s = {video / wall:.2f} s of video per second")
print(f"load average at the end: {' '.join(open('/proc/loadavg').read().split()[:3])} (the machine is shared)")
PY
