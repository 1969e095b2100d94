#!/usr/bin/env bash
# Login throughput of IgLive.Service in Auth:Mode=Local, with its baseline measured in the same sitting.
#  1. starts the service with ../../run.sh (own ports, rate limits lifted so they do not cap the run),
#  2. signs one user up, warms up 10 s, then wrk POSTs /api/auth/login for DURATION with CONNECTIONS connections,
#  3. times PasswordHasher.VerifyHashedPassword with the same iteration count (bench/AuthHashCost).
# The ratio logins/s ÷ (all-core verifies/s) says how close login gets to the hashing ceiling.
# Usage: bench/auth/run.sh   (env: PORT=18081 PGPORT=54339 CONNECTIONS=16 DURATION=20s ITERATIONS=100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${PORT:-18081}"; PGPORT="${PGPORT:-54339}"; CONNECTIONS="${CONNECTIONS:-16}"; DURATION="${DURATION:-20s}"
ITERATIONS="${ITERATIONS:-100000}"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }

export Auth__RateLimit__PerAddressPerMinute=1000000000 Auth__RateLimit__PerEmailPerMinute=1000000000
export Auth__PasswordHashIterations="$ITERATIONS" Logging__LogLevel__Default=Warning
PORT="$PORT" PGPORT="$PGPORT" ./run.sh > /tmp/iglive-auth-bench.log 2>&1 &
RUN_PID=$!
trap 'kill $RUN_PID 2>/dev/null || true; wait $RUN_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$RUN_PID" 2>/dev/null || { cat /tmp/iglive-auth-bench.log; exit 1; }
  sleep 1
done

id=$(date +%s%N | tail -c 9)
export EMAIL="bench.$id@example.test" PASSWORD="bench-password-$id"
curl -fs -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"username\":\"bench_$id\"}" "http://127.0.0.1:$PORT/api/auth/signup"
dotnet build bench/AuthHashCost -c Release -nologo -v q >/dev/null
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "baseline before (service idle):"
dotnet bench/AuthHashCost/bin/Release/net10.0/AuthHashCost.dll "$ITERATIONS" 3
echo "warm-up (10 s)"; wrk -t2 -c"$CONNECTIONS" -d10s -s bench/auth/login.lua "http://127.0.0.1:$PORT/api/auth/login" >/dev/null
echo "measured run: wrk -t2 -c$CONNECTIONS -d$DURATION, POST /api/auth/login"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/auth/login.lua "http://127.0.0.1:$PORT/api/auth/login"
echo "baseline after (service idle):"
dotnet bench/AuthHashCost/bin/Release/net10.0/AuthHashCost.dll "$ITERATIONS" 3
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
