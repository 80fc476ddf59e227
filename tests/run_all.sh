#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors,
# and runs every test (unit, libpam, fixtures; e2e as root, else skipped). .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install_deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DDEVFLOW_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j2
