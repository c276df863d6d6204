# Sourced by script tests (deploy/local/test.sh skips lib-*.sh): a clone of this checkout's committed HEAD in a fresh
# 0700 folder (as root's home is), brought up with its own deploy/local/up.sh on ports of its own, and torn down with
# its down.sh --purge, checking that nothing is left behind. Cleans up after itself even when the test fails.
#   clone_start            pick free ports (exported as PIPELINECOACH_*_PORT), clone HEAD, clean up on exit
#   clone_up [--demo]      run the clone's up.sh in it; sets SERVERS (where its server data lives)
#   clone_down_leaves_nothing   down.sh --purge, then fail if a recorded pid, a port, a process or server data is left
# After clone_start: CHECKOUT, CLONE_HOME (0700), CLONE, CLONE_BASE_PORT and CLONE_PORTS (every port the clone uses).

CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)
source "$CHECKOUT/deploy/local/lib.sh"

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
port_open() { (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Every pid the clone recorded: its services, maildev, the simulator, the RabbitMQ wrapper and VM, the PostgreSQL postmaster.
recorded_pids() {
  local servers file
  servers=$(cat "$CLONE/.pipelinecoach/server-dir" 2>/dev/null) || return 0
  for file in "$CLONE"/.pipelinecoach/pids/*.pid "$servers/rabbitmq/rabbitmq.pid.owner" "$servers/rabbitmq/rabbitmq.pid" \
    "$servers/postgres/data/postmaster.pid"; do
    if [ -f "$file" ]; then head -n 1 "$file"; echo; fi
  done
}

# Processes whose command line or working folder is inside the clone or its server data (SERVERS).
processes_inside() {
  local proc
  for proc in /proc/[0-9]*; do
    [ "${proc#/proc/}" = $$ ] && continue
    if tr '\0' ' ' 2>/dev/null < "$proc/cmdline" | grep -qF -e "$CLONE" -e "$SERVERS" \
      || readlink "$proc/cwd" 2>/dev/null | grep -qF -e "$CLONE" -e "$SERVERS"; then
      printf '%s %s\n' "${proc#/proc/}" "$(tr '\0' ' ' 2>/dev/null < "$proc/cmdline" | cut -c1-160)"
    fi
  done
}

clone_cleanup() {
  local status=$? servers pids pid
  cd /
  if [ -d "$CLONE/.pipelinecoach" ]; then
    servers=$(cat "$CLONE/.pipelinecoach/server-dir" 2>/dev/null || true)
    pids=$(recorded_pids)
    "$CLONE/deploy/local/down.sh" --purge > "$CLONE_HOME/cleanup.log" 2>&1 || cat "$CLONE_HOME/cleanup.log" >&2
    for pid in $pids; do  # whatever down.sh did not stop, by recorded pid only
      if running "$pid"; then echo "cleanup: killing recorded pid $pid" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
    done
    case "$servers" in /var/lib/pipelinecoach/?*) rm -rf "$servers" ;; esac
  fi
  rm -rf "$CLONE_HOME"
  exit "$status"
}

clone_start() {
  command -v git >/dev/null || fail "git is needed to clone the checkout"
  CLONE_HOME=$(mktemp -d /tmp/pc-localrun-test.XXXXXX)  # mktemp -d makes it 0700
  CLONE=$CLONE_HOME/pc
  trap clone_cleanup EXIT
  trap 'exit 130' INT TERM

  # Twelve ports of its own, away from the defaults and below the kernel's ephemeral range (the test fixtures' servers
  # use that): PostgreSQL, RabbitMQ (+ distribution, management), the four services, maildev (SMTP, web), the simulator.
  local candidate ok offset
  CLONE_BASE_PORT=""
  for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 600 * 20))
    ok=1
    for offset in $(seq 0 11); do if port_open $((candidate + offset)); then ok=0; break; fi; done
    if [ "$ok" = 1 ]; then CLONE_BASE_PORT=$candidate; break; fi
  done
  [ -n "$CLONE_BASE_PORT" ] || fail "found no twelve free ports"
  local base=$CLONE_BASE_PORT
  export PIPELINECOACH_PG_PORT=$base PIPELINECOACH_RABBITMQ_PORT=$((base + 2)) PIPELINECOACH_SERVICES_PORT=$((base + 5)) \
    PIPELINECOACH_MAILDEV_PORT=$((base + 9)) PIPELINECOACH_SIMULATOR_PORT=$((base + 11))
  CLONE_PORTS=("$base" $((base + 2)) $((base + 3)) $((base + 4)) $((base + 5)) $((base + 6)) $((base + 7)) $((base + 8)) \
    $((base + 9)) $((base + 10)) $((base + 11)))

  local head
  head=$(git -C "$CHECKOUT" rev-parse HEAD)
  [ -z "$(git -C "$CHECKOUT" status --porcelain --untracked-files=no)" ] || log "note: uncommitted changes are not tested; the clone is of HEAD $head"
  git clone -q --no-checkout "$CHECKOUT" "$CLONE"
  git -C "$CLONE" checkout -q --detach "$head"
  [ "$(stat -c %a "$CLONE_HOME")" = 700 ] || fail "$CLONE_HOME is not 0700"
}

clone_up() {
  cd "$CLONE"
  deploy/local/up.sh "$@" || fail "up.sh $* failed in a clone under a 0700 folder"
  SERVERS=$(cat .pipelinecoach/server-dir)
}

clone_down_leaves_nothing() {
  local pids pid port left
  pids=$(recorded_pids)
  (cd "$CLONE" && deploy/local/down.sh --purge) || fail "down.sh failed"
  cd /
  for pid in $pids; do
    if running "$pid"; then fail "pid $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -c1-120)) still runs after down.sh"; fi
  done
  for port in "${CLONE_PORTS[@]}"; do if port_open "$port"; then fail "port $port is still open after down.sh"; fi; done
  left=$(processes_inside)
  [ -z "$left" ] || fail "processes left inside the clone or its server data after down.sh:
$left"
  [ ! -e "$SERVERS/postgres" ] && [ ! -e "$SERVERS/rabbitmq" ] || fail "down.sh --purge left server data in $SERVERS"
  [ ! -e "$CLONE/.pipelinecoach/maildev" ] || fail "down.sh --purge left the caught mail in $CLONE/.pipelinecoach/maildev"
}
