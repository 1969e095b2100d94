#!/usr/bin/env bash
# Runs the whole test suite, including the Testcontainers integration tests against a real PostgreSQL container.
# Where no Docker engine runs, it installs Debian's docker.io, starts dockerd and builds the PostgreSQL test image
# offline (.ci/offline-postgres-image.sh). Ends with the plain line "N passed, N failed".
# Usage: ./test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Feed]
set -euo pipefail
cd "$(dirname "$0")"
start=$(date +%s)
log() { echo "[test.sh $(date +%T)] $*"; }

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ! command -v dotnet >/dev/null; then
  echo "the .NET 10 SDK is required (https://dot.net)"; exit 1
fi

# 1. A Docker engine and a PostgreSQL image that Testcontainers can start without a registry.
if [ -z "${POSTGRES_TEST_IMAGE:-}" ]; then
  log "preparing Docker and the PostgreSQL test image"
  eval "$($SUDO bash .ci/offline-postgres-image.sh --print-env)"
fi
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
log "POSTGRES_TEST_IMAGE=$POSTGRES_TEST_IMAGE DOCKER_API_VERSION=${DOCKER_API_VERSION:-default}"

# 2. Tools the tests use: ffmpeg makes real video fixtures and thumbnails; redis-server backs the shared rate limits.
if ! command -v ffmpeg >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing ffmpeg"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg) >/dev/null 2>&1 \
    || log "ffmpeg could not be installed; tests that need it use checked-in fixtures"
fi

# Debian's redis-server: the rate-limit tests start their own (Tests/Infrastructure/RedisServer.cs), none is left running.
if ! command -v redis-server >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing redis-server"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server) >/dev/null 2>&1 \
    || log "redis-server could not be installed: the Redis rate-limit tests will fail"
fi

# Debian's Chromium for the browser test (Playwright cannot download its own browsers here).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing chromium"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 \
    || log "chromium could not be installed: the browser test will fail"
fi

# The official Supabase Auth client (pinned in Tests/SupabaseJs/package-lock.json) drives /auth/v1 in SupabaseJsTests.
if command -v npm >/dev/null; then
  log "installing the Supabase client for the tests (npm ci)"
  (cd Tests/SupabaseJs && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || log "npm ci failed: SupabaseJsTests will fail"
  # Redocly's linter and the client generator (openapi-typescript, openapi-fetch, tsc) for OpenApiDocumentTests.
  log "installing the OpenAPI tools for the tests (npm ci)"
  (cd Tests/OpenApi && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || log "npm ci failed: OpenApiDocumentTests will fail"
else
  log "node/npm not found: SupabaseJsTests and OpenApiDocumentTests will fail"
fi

# 3. Build once, then test.
log "building"
dotnet build IgLive.Service.sln -c Release -nologo -clp:ErrorsOnly
results=$(mktemp -d)
log "running tests"
set +e
dotnet test Tests/IgLive.Service.Tests.csproj -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
code=$?
set -e

trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$(get passed); failed=$(get failed); total=$(get total); executed=$(get executed)
  skipped=$((total - executed))
  log "done in $(( $(date +%s) - start ))s"
  if [ "$failed" != 0 ]; then
    # The failures again, short, right above the summary: CI shows only the end of a long log.
    log "failed tests:"
    python3 - "$trx" <<'PY' || grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | grep -o 'testName="[^"]*"'  || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
    message = r.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
    stack = r.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=ns).strip().splitlines()
    print("  FAILED", r.get("testName"), f"({r.get('duration')})")
    for line in message.splitlines()[:12] + stack[:4]:
        print("    " + line[:300])
PY
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  if [ "$failed" != 0 ] || [ "$executed" = 0 ]; then exit 1; fi
  exit $code
fi
log "no test results were written (build or host failure)"
echo "0 passed, 1 failed"
exit 1
