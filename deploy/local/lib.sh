#!/usr/bin/env bash
# Shared helpers for up.sh, down.sh and test.sh: install what is missing from Debian's packages, run PostgreSQL and
# RabbitMQ on loopback under a state folder, and maildev from npm. Sourced, not run.

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

PG_BIN=""
find_pg_bin() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
}

# Installs PostgreSQL and RabbitMQ from apt when missing. The packages' own services are kept from
# starting (they would listen on all interfaces); we start our own instances on loopback instead.
ensure_packages() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not on PATH)"
  find_pg_bin
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
    log "installing ${missing[*]} from apt"
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    [ "$created_policy" = 1 ] && rm -f "$policy"
    find_pg_bin
  fi
}

as_postgres() {  # from / : the postgres user may not be able to enter the current folder
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# running PID: true while PID is a live process (a zombie, dead and waiting to be reaped, is not).
running() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" != Z ]
}

# wait_gone SECONDS PID...: waits until none of the PIDs runs; false if one still does after SECONDS.
wait_gone() {
  local deadline=$((SECONDS + $1)) pid; shift
  for pid in "$@"; do
    while running "$pid"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
  done
}

wait_for_port() { # port seconds what
  local port=$1 deadline=$((SECONDS + $2))
  until (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "$3 did not open port $port"
    sleep 0.5
  done
}

# server_dir CHECKOUT: where this checkout's servers keep their data. As root, PostgreSQL runs as the postgres user,
# which cannot reach a checkout under a 0700 home (root's is), so the data goes to /var/lib/pipelinecoach/<hash of the
# checkout's path>/; a checkout's path names its servers there in the file "checkout". As anyone else the servers run
# as that user, and the data stays in the checkout's .pipelinecoach/.
server_dir() {
  if [ "$(id -u)" = 0 ]; then
    printf '/var/lib/pipelinecoach/%s' "$(printf '%s' "$1" | sha256sum | cut -c1-12)"
  else
    printf '%s/.pipelinecoach' "$1"
  fi
}

# start_postgres DIR PORT PASSWORD: a cluster in DIR (created on first use), listening on 127.0.0.1:PORT only, with
# no Unix socket (every client connects over TCP, so no socket folder needs to be reachable or short).
start_postgres() {
  local dir=$1 port=$2 password=$3
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
  chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    local pwfile
    pwfile=$(mktemp); printf '%s' "$password" > "$pwfile"
    if [ "$(id -u)" = 0 ]; then chown postgres "$pwfile"; fi
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" --encoding=UTF8 --no-instructions >/dev/null
    rm -f "$pwfile"
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    log "PostgreSQL already running (data: $dir/data)"
    return
  fi
  log "starting PostgreSQL on 127.0.0.1:$port (data: $dir/data)"
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300" >/dev/null \
    || { tail -20 "$dir/server.log" >&2; die "PostgreSQL did not start (see $dir/server.log)"; }
}

stop_postgres() {
  local dir=$1 pid
  [ -f "$dir/data/PG_VERSION" ] || return 0
  pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
  find_pg_bin
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  wait_gone 30 $pid || { log "PostgreSQL (pid $pid, $dir) is still running"; return 1; }
}

# The environment that names one node and puts everything of it under DIR, loopback only. rabbitmqctl needs the same
# (HOME holds the node's Erlang cookie).
rabbitmq_env() { # dir port
  export HOME="$1" RABBITMQ_NODENAME="pipelinecoach$2@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$2" RABBITMQ_DIST_PORT="$(( $2 + 1 ))" RABBITMQ_MNESIA_BASE="$1/mnesia" \
    RABBITMQ_LOG_BASE="$1/log" RABBITMQ_CONFIG_FILE="$1/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$1/enabled_plugins" \
    RABBITMQ_FEATURE_FLAGS_FILE="$1/feature_flags" RABBITMQ_PID_FILE="$1/rabbitmq.pid" ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rabbitmqctl_for() { # dir port args...
  local dir=$1 port=$2; shift 2
  (rabbitmq_env "$dir" "$port"; /usr/lib/rabbitmq/bin/rabbitmqctl -q "$@")
}

# start_rabbitmq DIR PORT USER PASSWORD: one node with everything under DIR; AMQP on 127.0.0.1:PORT, distribution on
# PORT+1 and the management plugin (UI and HTTP API) on 127.0.0.1:PORT+2. USER/PASSWORD is the only user, an
# administrator; the well-known guest user is deleted. Returns once the management API answers for USER.
start_rabbitmq() {
  local dir=$1 port=$2 user=$3 password=$4 management_port=$(( $2 + 2 ))
  mkdir -p "$dir/mnesia" "$dir/log"
  chmod 700 "$dir"
  if [ -f "$dir/rabbitmq.pid.owner" ] && kill -0 "$(cat "$dir/rabbitmq.pid.owner")" 2>/dev/null; then
    log "RabbitMQ already running (data: $dir)"
    grep -q rabbitmq_management "$dir/enabled_plugins" \
      || die "this RabbitMQ was started by an older up.sh, without the management plugin: run deploy/local/down.sh first"
  else
    printf 'listeners.tcp.1 = 127.0.0.1:%s\nmanagement.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "$port" "$management_port" > "$dir/rabbitmq.conf"
    echo '[rabbitmq_management].' > "$dir/enabled_plugins"
    log "starting RabbitMQ on 127.0.0.1:$port, management on 127.0.0.1:$management_port (data: $dir)"
    (
      rabbitmq_env "$dir" "$port"
      setsid /usr/lib/rabbitmq/bin/rabbitmq-server > "$dir/server.out" 2>&1 &
      echo $! > "$dir/rabbitmq.pid.owner"
    )
    wait_for_port "$port" 90 "RabbitMQ (see $dir/server.out)"
  fi
  if ! rabbitmqctl_for "$dir" "$port" authenticate_user "$user" "$password" >/dev/null 2>&1; then
    log "creating the RabbitMQ administrator $user"
    rabbitmqctl_for "$dir" "$port" add_user "$user" "$password" >/dev/null 2>&1 \
      || rabbitmqctl_for "$dir" "$port" change_password "$user" "$password" >/dev/null
    rabbitmqctl_for "$dir" "$port" set_user_tags "$user" administrator >/dev/null
    rabbitmqctl_for "$dir" "$port" set_permissions -p / "$user" '.*' '.*' '.*' >/dev/null
    rabbitmqctl_for "$dir" "$port" delete_user guest >/dev/null 2>&1 || true
  fi
  local deadline=$((SECONDS + 60))
  until curl -fsS -u "$user:$password" "http://127.0.0.1:$management_port/api/overview" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "the RabbitMQ management API did not answer on 127.0.0.1:$management_port (see $dir/log)"
    sleep 0.5
  done
}

stop_rabbitmq() {
  local dir=$1
  [ -f "$dir/rabbitmq.pid.owner" ] || return 0
  local pid vm
  pid=$(cat "$dir/rabbitmq.pid.owner")
  vm=$(cat "$dir/rabbitmq.pid" 2>/dev/null || true)
  # setsid made it a process-group leader: stop the whole group (the shell wrapper and the Erlang VM).
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone 30 "$pid" $vm; then
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait_gone 10 "$pid" $vm || { log "RabbitMQ (pids $pid $vm, $dir) is still running"; return 1; }
  fi
  rm -f "$dir/rabbitmq.pid.owner"
}

base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# make_token BASE64_KEY SCOPES DAYS: an HS256 JWT for local mode (issuer and audience "pipeline-coach").
make_token() {
  local key_hex now header payload signature
  key_hex=$(printf '%s' "$1" | openssl base64 -d -A | od -An -tx1 | tr -d ' \n')
  now=$(date +%s)
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | base64url)
  payload=$(printf '{"iss":"pipeline-coach","aud":"pipeline-coach","sub":"local-admin","scope":"%s","iat":%s,"nbf":%s,"exp":%s}' \
    "$2" "$now" "$now" $((now + $3 * 86400)) | base64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

# maildev, the local SMTP catcher, from npm, pinned (tests/PipelineCoach.Testing/LocalMaildev.cs pins the same version).
MAILDEV_VERSION=3.0.0

# install_maildev DIR: npm installs maildev@MAILDEV_VERSION under DIR (not globally), unless that version is there.
install_maildev() {
  local dir=$1 installed
  command -v npm >/dev/null && command -v node >/dev/null || die "Node.js 20 or later with npm is required for maildev"
  [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "maildev $MAILDEV_VERSION needs Node.js 20 or later (found $(node --version))"
  installed=$(node -p "require('$dir/node_modules/maildev/package.json').version" 2>/dev/null || true)
  [ "$installed" = "$MAILDEV_VERSION" ] && return
  log "installing maildev $MAILDEV_VERSION from npm into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=error "maildev@$MAILDEV_VERSION" >/dev/null \
    || die "npm could not install maildev@$MAILDEV_VERSION"
}

# start_maildev NODE_DIR MAIL_DIR SMTP_PORT WEB_PORT PIDFILE LOG: maildev on 127.0.0.1 only (SMTP and the web UI with
# its REST API), keeping the caught mail in MAIL_DIR. Returns once its API answers.
start_maildev() {
  local node_dir=$1 mail_dir=$2 smtp_port=$3 web_port=$4 pidfile=$5 logfile=$6
  if [ -f "$pidfile" ] && running "$(cat "$pidfile")"; then
    log "maildev already running (pid $(cat "$pidfile"))"
  else
    mkdir -p "$mail_dir"
    log "starting maildev: SMTP on 127.0.0.1:$smtp_port, web on 127.0.0.1:$web_port (mail: $mail_dir)"
    # setsid execs node: the recorded pid is maildev's own.
    setsid node "$node_dir/node_modules/maildev/dist/bin/maildev.js" --smtp "$smtp_port" --web "$web_port" \
      --ip 127.0.0.1 --web-ip 127.0.0.1 --mail-directory "$mail_dir" >> "$logfile" 2>&1 &
    echo $! > "$pidfile"
  fi
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$web_port/api/healthz" >/dev/null 2>&1; do
    running "$(cat "$pidfile")" || { tail -20 "$logfile" >&2; die "maildev exited (see $logfile)"; }
    [ $SECONDS -lt $deadline ] || die "maildev did not answer on 127.0.0.1:$web_port (see $logfile)"
    sleep 0.5
  done
}
