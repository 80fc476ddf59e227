#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The test command: installs what is missing, builds with warnings as errors,
# and runs every test (unit, libpam, fixtures; e2e as root, else skipped);
# then the quality stage (tests/run_quality.sh): the unit and libpam tests
# under ASan + UBSan, and every fuzz target for a bounded time. Both stages
# run; a failure in either makes the exit status non-zero. .ci/run calls
# exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install_deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DDEVFLOW_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
start=$SECONDS
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ctest --test-dir "$build" --output-on-failure -j2 2>&1 | tee "$log" || status=1
echo "== tests: ctest took $(((SECONDS - start) / 60))m$(((SECONDS - start) % 60))s"
BUILD_DIR=$build bash tests/run_quality.sh 2>&1 | tee -a "$log" || status=1

# One line for the three ctest runs (this tree, ASan, fuzz). A step that failed
# before its tests ran (a build) counts as one failure.
read -r passed failed < <(awk '/tests passed, [0-9]+ tests failed out of/ {
  failed += $4; total += $NF } END { print total - failed, failed }' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
