#!/bin/sh
# PostgreSQL for the AppHost, from the machine's binaries: creates the cluster on first run (initdb, then the
# database), stops a server an earlier, killed run left on the same data, then runs the server in the foreground on
# loopback until Aspire stops it. Aspire's stop signal (SIGTERM) becomes PostgreSQL's fast shutdown (SIGINT):
# clients are disconnected, a checkpoint is written, the server exits cleanly.
#
# usage: postgres.sh DATA_DIR PORT DATABASE   (environment: POSTGRES_PASSWORD; optional POSTGRES_BIN_DIR)
set -eu

data_dir=$1
port=$2
database=$3
user=postgres

bin_dir=${POSTGRES_BIN_DIR:-}
if [ -z "$bin_dir" ]; then
  bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bin_dir" ] && command -v pg_config >/dev/null 2>&1; then
  bin_dir=$(pg_config --bindir)
fi
if [ -z "$bin_dir" ] || [ ! -x "$bin_dir/postgres" ]; then
  echo "PostgreSQL's server binaries were not found: run scripts/install-prerequisites.sh (Debian: apt-get install postgresql), or set Postgres:BinDirectory." >&2
  exit 1
fi

# PostgreSQL refuses to run as root: then every server command runs as the postgres user.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
  else
    "$@"
  fi
}

# The cluster lives in DATA_DIR/postgres. As root, the postgres user may not be able to enter DATA_DIR (under /root,
# mode 700): the cluster then lives under /var/lib/webhooks and DATA_DIR/postgres links to it.
cluster="$data_dir/postgres"
if [ "$(id -u)" -eq 0 ] && [ ! -L "$cluster" ] && [ ! -d "$cluster" ] && ! setpriv --reuid="$user" --regid="$user" --init-groups -- test -x "$data_dir"; then
  target="/var/lib/webhooks/postgres-$(printf %s "$data_dir" | sha256sum | cut -c1-12)"
  mkdir -p "$target"
  ln -s "$target" "$cluster"
  echo "the postgres user cannot enter $data_dir; the cluster lives in $target (linked from $cluster)"
fi
if [ -L "$cluster" ]; then
  cluster=$(readlink -f "$cluster")
fi
mkdir -p "$cluster"
chmod 700 "$cluster"
if [ "$(id -u)" -eq 0 ]; then
  chown -R "$user:$user" "$cluster"
fi

# A server left running on this cluster by a killed AppHost would hold its lock: stop it (fast shutdown).
if [ -f "$cluster/postmaster.pid" ]; then
  stale=$(head -n 1 "$cluster/postmaster.pid")
  if [ -n "$stale" ] && kill -0 "$stale" 2>/dev/null && grep -q '^postgres' "/proc/$stale/comm" 2>/dev/null; then
    echo "stopping the postgres server (pid $stale) an earlier run left on $cluster"
    kill -INT "$stale"
    waited=0
    while kill -0 "$stale" 2>/dev/null; do
      waited=$((waited + 1))
      if [ "$waited" -gt 300 ]; then
        echo "the postgres server (pid $stale) on $cluster did not stop; stop it and start again" >&2
        exit 1
      fi
      sleep 0.1
    done
  fi
fi

# initdb on first run. The marker is written last: a killed initdb leaves files that the next run wipes and redoes.
if [ ! -f "$cluster/webhooks-initdb-complete" ]; then
  find "$cluster" -mindepth 1 -delete
  password_file=$(mktemp)
  printf '%s' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set}" > "$password_file"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$user" "$password_file"
  fi
  echo "initdb $cluster"
  as_server_user "$bin_dir/initdb" -D "$cluster" -U "$user" --pwfile="$password_file" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --no-locale >/dev/null
  rm -f "$password_file"
  echo "CREATE DATABASE \"$database\";" | as_server_user "$bin_dir/postgres" --single -D "$cluster" -j postgres >/dev/null
  touch "$cluster/webhooks-initdb-complete"
fi

# max_wal_size/checkpoint_timeout: under sustained ingest the default 1 GB of WAL forced a checkpoint every ~70 s,
# each followed by full-page images of every page changed again; durability is unchanged (docs/operations.md).
# random_page_cost: the cluster is on local disk and its working set in memory; at the default (4, for spinning disks)
# the planner preferred a sequential scan of all refresh requests to a thousand index probes when completing a pass's.
# In the background, with exec: $! is then the postmaster itself, which the trap below signals.
exec_as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    exec setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
  fi
  exec "$@"
}
exec_as_server_user "$bin_dir/postgres" -D "$cluster" -p "$port" \
  -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories= \
  -c max_connections=300 \
  -c max_wal_size=4GB \
  -c checkpoint_timeout=15min \
  -c random_page_cost=1.1 &
server=$!
trap 'kill -INT "$server" 2>/dev/null || true' TERM INT HUP
status=0
wait "$server" || status=$?
# A trapped signal ends the first wait early; wait for the server itself to finish shutting down.
while kill -0 "$server" 2>/dev/null; do
  wait "$server" || status=$?
done
exit "$status"
