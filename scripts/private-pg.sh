# Sourced by run.sh, bench/feed/db.sh and bench/upload/run.sh: a private PostgreSQL cluster on Debian's binaries.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' system user.
#   pg_private_init DATA [CONF]   initdb (once) as user iglive, trust auth; CONF lines appended to postgresql.conf
#   pg_private_start DATA PORT SOCKETS LOG    start listening on 127.0.0.1:PORT (waits until ready)
#   pg_private_createdb PORT NAME   create database NAME unless it exists
#   pg_private_stop DATA
# PGBIN: Debian's newest installed PostgreSQL unless set. PG_AS: the command prefix that runs as the cluster's owner.
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}"
PG_AS=(); [ "$(id -u)" = 0 ] && PG_AS=(runuser -u postgres --)

pg_private_init() {
  local data=$1 conf=${2:-}
  [ -s "$data/PG_VERSION" ] && return 0
  mkdir -p "$data"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
  "${PG_AS[@]}" "$PGBIN/initdb" -D "$data" -U iglive --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  if [ -n "$conf" ]; then echo "$conf" | "${PG_AS[@]}" tee -a "$data/postgresql.conf" >/dev/null; fi
}

pg_private_start() {
  local data=$1 port=$2 sockets=$3 log=$4
  mkdir -p "$sockets"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$sockets"
  "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$data" -l "$log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$sockets" start >/dev/null
}

pg_private_createdb() {
  local port=$1 name=$2
  "${PG_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U iglive -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 \
    || "${PG_AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U iglive "$name"
}

pg_private_stop() {
  "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null
}
