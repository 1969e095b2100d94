#!/usr/bin/env bash
# Upload benchmark: streams a 1 GiB video (a valid `ftyp` header followed by random bytes) to POST /api/videos with
# curl against the Release build on Kestrel (local storage, a private PostgreSQL cluster), and compares its
# throughput with a real peer doing the same work: Debian's nginx receiving the same multipart body from the same
# curl into a file on the same disk (client_body_in_file_only), interleaved, three rounds; `cp` of the file is shown
# too. Samples the service's VmRSS every 20 ms to report the peak growth. Also sends the file with
# Transfer-Encoding: chunked.
# Usage: bench/upload/run.sh [size_mib=1024]     Needs: dotnet, curl, python3, nginx, PostgreSQL 15 binaries (Debian).
# ROUNDS (3) sets the number of rounds. BASE_REF=<commit> also builds that commit (git archive) and runs it beside this tree on its own database, its
# uploads interleaved with this tree's in every round: a before/after in one sitting.
# PROFILE=/path/perf.data records the service's CPU (perf, JIT frames named through the perf map) during the first
# service upload; `perf report -i /path/perf.data --no-children` then shows where the time goes.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SIZE_MIB="${1:-1024}"
PORT="${PORT:-18189}"; PGPORT="${PGPORT:-18190}"; NGPORT="${NGPORT:-18191}"
source bench/upload/common.sh
command -v nginx >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
# The peer: nginx reads the whole body into a file (one worker, default buffers), then answers 201 through a
# second server (proxy_pass without the body), so no module is needed beyond Debian's default build. A second
# listener (NGPORT + 2) reads with client_body_buffer_size 1m (1 MiB reads and writes instead of 16 KiB): the peer at
# its best, reported beside the default.
mkdir -p "$WORK/nginx-body"; chmod 777 "$WORK/nginx-body" # its worker process runs as nobody
cat > "$WORK/nginx.conf" <<NGINX
daemon off; worker_processes 1; pid $WORK/run/nginx.pid; error_log $WORK/run/nginx-error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  server {
    listen 127.0.0.1:$NGPORT;
    client_max_body_size 0;
    client_body_in_file_only on;
    location / { proxy_pass_request_body off; proxy_set_header Content-Length ""; proxy_pass http://127.0.0.1:$((NGPORT + 1)); }
  }
  server {
    listen 127.0.0.1:$((NGPORT + 2));
    client_max_body_size 0;
    client_body_in_file_only on;
    client_body_buffer_size 1m;
    location / { proxy_pass_request_body off; proxy_set_header Content-Length ""; proxy_pass http://127.0.0.1:$((NGPORT + 1)); }
  }
  server { listen 127.0.0.1:$((NGPORT + 1)); location / { return 201 "stored\n"; } }
}
NGINX
"$NGINX_BIN" -c "$WORK/nginx.conf" -p "$WORK" >/dev/null 2>&1 &
NGINX=$!

MAX=$(( (SIZE_MIB + 16) * 1024 * 1024 ))
start_service() { # $1 = build folder, $2 = port, $3 = database, $4 = log; prints the pid. One issuer URL: the token is for both
  ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Database=$3;Username=iglive" \
  Auth__JwtSecret="$SECRET" Auth__PublicBaseUrl="http://127.0.0.1:$PORT" Storage__LocalPath="$WORK/media" \
  Upload__MaxBytes="$MAX" Cleanup__SchedulerEnabled=false Media__Workers=0 ASPNETCORE_URLS="http://127.0.0.1:$2" \
  Logging__LogLevel__Default=Warning DOTNET_PerfMapEnabled="${PROFILE:+1}" \
    dotnet "$1/IgLive.Service.dll" >"$4" 2>&1 &
  echo $!
}
APP=$(start_service "$WORK/bin" "$PORT" iglive "$WORK/app.log")
BPORT=$((PORT + 3))
if [ -n "${BASE_REF:-}" ]; then
  log "building the baseline $BASE_REF (Release)"
  mkdir -p "$WORK/base-src"; git archive "$BASE_REF" | tar -x -C "$WORK/base-src"
  dotnet build "$WORK/base-src/IgLive.Service.csproj" -c Release -nologo -clp:ErrorsOnly -o "$WORK/base-bin" >/dev/null
  pg_private_createdb "$PGPORT" iglive_base
  BASE_APP=$(start_service "$WORK/base-bin" "$BPORT" iglive_base "$WORK/base-app.log")
fi
for p in $PORT ${BASE_APP:+$BPORT}; do
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$p/health/ready" >/dev/null && break; sleep 0.2; done
done

FILE="$WORK/input.mp4"
log "making a ${SIZE_MIB} MiB input file"
{ printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2'; head -c $(( SIZE_MIB * 1024 * 1024 - 24 )) /dev/urandom; } > "$FILE"
BYTES=$(stat -c %s "$FILE")

upload() { # $1 = extra curl args, $2 = URL (default: the service); prints "seconds http_code"
  curl -s -o "$WORK/resp.json" -w '%{time_total} %{http_code}\n' -H "Authorization: Bearer $TOKEN" $1 \
    -F title=bench -F tags=bench -F "file=@$FILE;type=application/octet-stream" "${2:-http://127.0.0.1:$PORT/api/videos}"
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
sampler() { # $1 = pid, $2 = file: keeps the peak VmRSS (KiB) in the file
  local peak=0 r; while :; do r=$(rss_kib "$1" 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > "$2"; sleep 0.02; done
}

# Warm-up: JIT (tiered compilation promotes the read loop after enough calls), connection pool, first request paths:
# three 64 MiB uploads per service, so the first timed upload does not pay for the JIT compiler.
head -c $(( 64 * 1024 * 1024 )) "$FILE" > "$WORK/small.mp4"
for p in $PORT ${BASE_APP:+$BPORT}; do
  for _ in 1 2 3; do
    curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -F title=warm -F "file=@$WORK/small.mp4" "http://127.0.0.1:$p/api/videos"
  done
done
rm -rf "$WORK/media/videos"
sleep 1

cp_secs() { local t0 t1; t0=$(date +%s.%N); cp "$FILE" "$WORK/media/cp-$1.bin"; t1=$(date +%s.%N); rm -f "$WORK/media/cp-$1.bin"; echo "$t1 - $t0" | bc -l; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system time of all the process's threads
NGWORKER=$(pgrep -P "$NGINX" | head -1)
# One timed upload after a sync (untimed, so one step's writeback does not slow the next); appends
# "label seconds cpu_ticks http_code" to the samples, cpu_ticks being the receiving process's CPU time.
timed() { # $1 = label, $2 = receiving pid, $3 = extra curl args, $4 = URL
  local c0 t c; sync; c0=$(cpu_ticks "$2")
  read -r t c < <(upload "$3" "$4")
  echo "$1 $t $(( $(cpu_ticks "$2") - c0 )) $c" >> "$WORK/samples"
  rm -f "$WORK/nginx-body/"*; rm -rf "$WORK/media/videos"
}

# Rounds of: cp, nginx (default, 1 MiB buffer), baseline, this tree (Content-Length, chunked), baseline chunked.
# Medians are reported (the machine is shared), with the receiver's CPU time per GiB, which the load moves less.
sync; BASE=$(rss_kib "$APP"); BBASE=0; [ -n "${BASE_APP:-}" ] && BBASE=$(rss_kib "$BASE_APP")
echo 0 > "$WORK/bpeak"; sampler "$APP" "$WORK/peak" & SAMPLER=$!
[ -n "${BASE_APP:-}" ] && { sampler "$BASE_APP" "$WORK/bpeak" & BSAMPLER=$!; }
: > "$WORK/samples"
S="http://127.0.0.1:$PORT/api/videos"; B="http://127.0.0.1:$BPORT/api/videos"
for round in $(seq 1 "${ROUNDS:-3}"); do
  sync; echo "cp $(cp_secs "$round") 0 -" >> "$WORK/samples"
  timed nginx "$NGWORKER" "" "http://127.0.0.1:$NGPORT/upload"
  timed nginx_1m "$NGWORKER" "" "http://127.0.0.1:$((NGPORT + 2))/upload"
  [ -n "${BASE_APP:-}" ] && timed baseline "$BASE_APP" "" "$B"
  [ -n "${PROFILE:-}" ] && [ "$round" = 1 ] && { perf record -F 499 -g -p "$APP" -o "$PROFILE" >/dev/null 2>&1 & PERF=$!; sleep 0.5; }
  timed service "$APP" "" "$S"
  [ -n "${PERF:-}" ] && { kill -INT "$PERF"; wait "$PERF" 2>/dev/null || true; PERF=""; }
  [ "$round" = 1 ] && STORED=$(python3 -c "import json;print(json.load(open('$WORK/resp.json'))['size_bytes'])" 2>/dev/null || echo "?")
  timed service_chunked "$APP" "-H Transfer-Encoding:chunked" "$S"
  [ -n "${BASE_APP:-}" ] && timed baseline_chunked "$BASE_APP" "-H Transfer-Encoding:chunked" "$B"
done
kill "$SAMPLER"; SAMPLER=""; [ -n "${BSAMPLER:-}" ] && { kill "$BSAMPLER"; BSAMPLER=""; }
PEAK=$(cat "$WORK/peak"); BPEAK=$(cat "$WORK/bpeak")

python3 - "$BYTES" "$WORK/samples" "$BASE" "$PEAK" "$BBASE" "$BPEAK" "$STORED" "${BASE_REF:-}" "$(getconf CLK_TCK)" <<'PY'
import collections, statistics, sys
b, samples, base, peak, bbase, bpeak, stored, bref, tick = sys.argv[1:]
mib = int(b) / 1048576; tick = int(tick)
runs, cpu, codes = collections.defaultdict(list), collections.defaultdict(list), []
for line in open(samples):
    label, t, c, code = line.split()
    runs[label].append(float(t)); cpu[label].append(int(c) / tick); codes.append(f"{label}:{code}")
med = {k: statistics.median(v) for k, v in runs.items()}
print(f"file: {mib:.0f} MiB; stored size_bytes: {stored}; HTTP statuses: {' '.join(c for c in codes if not c.startswith('cp:'))}")
names = {"cp": "cp (same disk)", "nginx": "nginx (body into file)", "nginx_1m": "nginx (1 MiB body buffer)",
         "baseline": f"baseline {bref} (Content-Length)", "baseline_chunked": f"baseline {bref} (chunked)",
         "service": "this tree (Content-Length)", "service_chunked": "this tree (chunked)"}
for k in ["cp", "nginx", "nginx_1m", "baseline", "baseline_chunked", "service", "service_chunked"]:
    if k not in med: continue
    line = f"{names[k]:34} median {med[k]:.2f} s = {mib / med[k]:5.0f} MiB/s"
    if k != "cp":
        line += f", receiver CPU {statistics.median(cpu[k]) / (mib / 1024):.2f} s/GiB"
        if not k.startswith("nginx"): line += f", ratio to nginx {med['nginx'] / med[k]:.2f} (to nginx 1 MiB {med['nginx_1m'] / med[k]:.2f})"
        if k.startswith("service") and bref: line += f", this tree / baseline {med[k.replace('service', 'baseline')] / med[k]:.2f}"
    print(line + f"   (runs: {', '.join(f'{x:.2f}' for x in runs[k])} s)")
print(f"load average at the end: {' '.join(open('/proc/loadavg').read().split()[:3])} (the machine is shared)")
print(f"this tree's VmRSS: {int(base)/1024:.0f} MiB before, peak {int(peak)/1024:.0f} MiB during its uploads, growth {(int(peak)-int(base))/1024:.1f} MiB")
if bref: print(f"baseline VmRSS: {int(bbase)/1024:.0f} MiB before, peak {int(bpeak)/1024:.0f} MiB, growth {(int(bpeak)-int(bbase))/1024:.1f} MiB")
PY
