#!/usr/bin/env bash
# Processing benchmark: seconds of video made ready per second of wall time, with 1 and with 2 workers. Uploads
# CLIPS test-pattern clips (SECONDS_EACH s, 1280x720, 30 fps, with audio: each gets 360p and 720p renditions) to the
# Release build on local storage with a private PostgreSQL, and times from the first upload until every video is
# ready (polling the owner's GET). Media__MaxFfmpegProcesses follows the worker count. Baseline in the same
# sitting, interleaved: the same ffprobe, thumbnail and HLS ffmpeg commands the worker runs (HlsLadder's arguments
# for a 720p source with sound), run straight from this script on the same clips, one at a time and two at once.
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

run() { # $1 = workers; writes "workers seconds_of_video wall_seconds" to $WORK/result-$1 (not a subshell: the exit trap stops the service)
  ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Database=iglive;Username=iglive" \
  Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:$PORT" Storage__LocalPath="$WORK/media" \
  Cleanup__SchedulerEnabled=false Media__Workers="$1" Media__MaxFfmpegProcesses="$1" Media__PollSeconds=0.2 \
  ASPNETCORE_URLS="http://127.0.0.1:$PORT" Logging__LogLevel__Default=Warning \
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
  echo "$1 $(( CLIPS * SECONDS_EACH )) $(echo "$t1 - $t0" | bc -l)" > "$WORK/result-$1"
}

direct_one() { # $1 = clip number: the worker's three ffmpeg steps (FfmpegRunner's flags, HlsLadder's arguments)
  local src="$WORK/clip$1.mp4" out="$WORK/direct/$1"; mkdir -p "$out/360p" "$out/720p"
  ffprobe -v error -protocol_whitelist file,pipe -show_entries "format=duration:stream=codec_type,width,height:stream_side_data=rotation" \
    -of json "$src" >/dev/null
  ffmpeg -nostdin -hide_banner -v error -y -protocol_whitelist file,pipe -ss 1 -i "$src" -frames:v 1 -vf "scale='min(640,iw)':-2" \
    -f image2 -c:v mjpeg "$out/thumbnail.jpg"
  ffmpeg -nostdin -hide_banner -v error -y -protocol_whitelist file,pipe -i "$src" \
    -filter_complex "[0:v:0]split=2[s0][s1];[s0]scale=-2:360[v0];[s1]scale=-2:720[v1]" -map "[v0]" -map 0:a:0 -map "[v1]" -map 0:a:0 \
    -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p -force_key_frames "expr:gte(t,n_forced*4)" -sc_threshold 0 \
    -b:v:0 800k -maxrate:v:0 856k -bufsize:v:0 1600k -b:a:0 96k -b:v:1 2800k -maxrate:v:1 2996k -bufsize:v:1 5600k -b:a:1 128k \
    -c:a aac -ac 2 -f hls -hls_time 4 -hls_playlist_type vod -hls_flags independent_segments -hls_segment_type mpegts \
    -hls_segment_filename "$out/%v/seg_%03d.ts" -master_pl_name master.m3u8 -var_stream_map "v:0,a:0,name:360p v:1,a:1,name:720p" \
    "$out/%v/index.m3u8"
}
direct() { # $1 = parallel runs (1 or 2); writes "direct-N seconds_of_video wall_seconds" to $WORK/result-direct-$1
  local t0 t1 i; rm -rf "$WORK/direct"; t0=$(date +%s.%N)
  for i in $(seq 1 "$CLIPS"); do
    direct_one "$i" &
    if (( i % $1 == 0 )); then wait; fi
  done
  wait; t1=$(date +%s.%N)
  echo "direct-$1 $(( CLIPS * SECONDS_EACH )) $(echo "$t1 - $t0" | bc -l)" > "$WORK/result-direct-$1"
}

log "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
direct 1; log "ffmpeg direct, one at a time, done: $(cut -d' ' -f1-3 /proc/loadavg)"
run 1; log "1 worker done: $(cut -d' ' -f1-3 /proc/loadavg)"
direct 2; log "ffmpeg direct, two at once, done: $(cut -d' ' -f1-3 /proc/loadavg)"
run 2
python3 - "$WORK"/result-direct-1 "$WORK"/result-1 "$WORK"/result-direct-2 "$WORK"/result-2 <<'PY'
import sys
rate = {}
for path in sys.argv[1:]:
    w, video, wall = open(path).read().split(); video, wall = float(video), float(wall)
    rate[w] = video / wall
    what = f"ffmpeg direct, {w[-1]} at a time" if w.startswith("direct") else f"service, {w} worker(s)"
    extra = "" if w.startswith("direct") else f", ratio to ffmpeg direct {rate[w] / rate['direct-' + w]:.2f}"
    print(f"{what}: {video:.0f} s of 720p video (360p + 720p renditions) ready in {wall:.1f} s = {video / wall:.2f} s of video per second{extra}")
print(f"load average at the end: {' '.join(open('/proc/loadavg').read().split()[:3])} (the machine is shared)")
PY
