# Sourced by bench/upload/run.sh and processing.sh: a private PostgreSQL cluster and a Release build in a temp
# folder (both removed on exit), and a token for the service. Expects PORT, PGPORT and log() to be set.
WORK=$(mktemp -d /var/tmp/iglive-upload-bench.XXXXXX)
log() { echo "[bench/upload $(date +%T)] $*" >&2; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
AS=(); [ "$(id -u)" = 0 ] && AS=(runuser -u postgres --)

cleanup() {
  local rc=$?; [ $rc -ne 0 ] && { log "failed (rc=$rc); service log:"; tail -30 "$WORK/app.log" >&2 || true; }
  [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "${APP:-}" ] && kill "$APP" 2>/dev/null && wait "$APP" 2>/dev/null || true
  [ -n "${NGINX:-}" ] && kill "$NGINX" 2>/dev/null && wait "$NGINX" 2>/dev/null || true
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

chmod 755 "$WORK"; mkdir -p "$WORK/pg" "$WORK/media" "$WORK/run"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK/pg" "$WORK/run"
"${AS[@]}" "$PGBIN/initdb" -D "$WORK/pg" -U iglive --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/run/pg.log" -w -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$WORK/run" start >/dev/null
"${AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U iglive iglive

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

