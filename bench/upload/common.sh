# Sourced by bench/upload/run.sh and processing.sh: a private PostgreSQL cluster and a Release build in a temp
# folder (both removed on exit), and a token for the service. Expects PORT, PGPORT and log() to be set.
WORK=$(mktemp -d /var/tmp/iglive-upload-bench.XXXXXX)
log() { echo "[bench/upload $(date +%T)] $*" >&2; }
source scripts/private-pg.sh

cleanup() {
  local rc=$?; [ $rc -ne 0 ] && { log "failed (rc=$rc); service log:"; tail -30 "$WORK/app.log" >&2 || true; }
  [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "${BSAMPLER:-}" ] && kill "$BSAMPLER" 2>/dev/null || true
  [ -n "${APP:-}" ] && kill "$APP" 2>/dev/null && wait "$APP" 2>/dev/null || true
  [ -n "${BASE_APP:-}" ] && kill "$BASE_APP" 2>/dev/null && wait "$BASE_APP" 2>/dev/null || true
  [ -n "${NGINX:-}" ] && kill "$NGINX" 2>/dev/null && wait "$NGINX" 2>/dev/null || true
  pg_private_stop "$WORK/pg" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

chmod 755 "$WORK"; mkdir -p "$WORK/media"
pg_private_init "$WORK/pg"
pg_private_start "$WORK/pg" "$PGPORT" "$WORK/run" "$WORK/run/pg.log"
pg_private_createdb "$PGPORT" iglive

log "building (Release)"
dotnet build IgLive.Service.csproj -c Release -nologo -clp:ErrorsOnly -o "$WORK/bin" >/dev/null

SECRET="bench-secret-bench-secret-bench-secret-0123"
TOKEN=$(python3 - "$SECRET" "$PORT" <<'PY'
import base64, hmac, hashlib, json, sys, time, uuid
secret, port = sys.argv[1], sys.argv[2]
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
now = int(time.time())
claims = {"iss": f"http://127.0.0.1:{port}/auth/v1", "aud": "authenticated", "sub": str(uuid.uuid4()),
          "email": "bench@example.test", "role": "authenticated", "session_id": str(uuid.uuid4()), "iat": now, "exp": now + 3600}
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()); body = b64(json.dumps(claims).encode())
sig = b64(hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
print(f"{head}.{body}.{sig}")
PY
)

