#!/usr/bin/env bash
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
ctest --test-dir "$build" --output-on-failure -j2 || status=$?
echo "== tests: ctest took $(((SECONDS - start) / 60))m$(((SECONDS - start) % 60))s"
BUILD_DIR=$build bash tests/run_quality.sh || status=1
exit "$status"
