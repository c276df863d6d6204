#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite against real PostgreSQL and RabbitMQ (each test
# assembly starts throwaway servers from the Debian binaries unless PIPELINECOACH_TEST_POSTGRES /
# PIPELINECOACH_TEST_RABBITMQ name existing ones). Ends with "N passed, N failed" and exits non-zero on failure.
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
rm -rf "$results"

[ "$assemblies" -gt 0 ] || { echo "0 passed, 1 failed"; die "no test results were produced"; }
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a crashed test host counts as a failure
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
