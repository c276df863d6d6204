#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite against real PostgreSQL and RabbitMQ (each test
# assembly starts throwaway servers from the Debian binaries unless PIPELINECOACH_TEST_POSTGRES /
# PIPELINECOACH_TEST_RABBITMQ name existing ones), then the script tests in deploy/local/tests/ (each one passes when
# it exits 0; lib-*.sh are their shared helpers). Ends with "N passed, N failed" over both and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib.sh

ensure_packages
results=$(mktemp -d)
log "building"
dotnet build Services.sln -c Release -nologo -v quiet -clp:ErrorsOnly || die "build failed"

log "testing"
dotnet test Services.sln -c Release --no-build --nologo 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}

# Each test assembly ends with one summary line: "Passed!  - Failed: 0, Passed: 48, Skipped: 0, Total: 48, ...".
read -r passed failed skipped assemblies < <(
  grep -E '^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/console.log" |
    sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' |
    awk '{ f += $1; p += $2; s += $3; n++ } END { printf "%d %d %d %d\n", p, f, s, n }')
[ "$assemblies" -gt 0 ] || { failed=$((failed + 1)); log "no dotnet test results were produced"; }
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a crashed test host counts as a failure

for script in deploy/local/tests/*.sh; do
  name=$(basename "$script" .sh)
  case "$name" in lib-*) continue ;; esac  # sourced by the tests, not tests themselves
  log "script test $name"
  started=$SECONDS
  if "$script" > "$results/$name.log" 2>&1; then
    passed=$((passed + 1))
    echo "  Passed $name [$((SECONDS - started)) s]"
  else
    failed=$((failed + 1))
    echo "  Failed $name [$((SECONDS - started)) s], its last lines:"
    grep -v '"LogLevel":"Information"' "$results/$name.log" | tail -n 40 | sed 's/^/    /'
  fi
done
rm -rf "$results"

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
