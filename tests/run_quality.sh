#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The second stage of the test command (tests/run_all.sh calls it after the
# normal build and ctest): the unit, libpam and net tests built with
# AddressSanitizer + UBSan (the build tree's `asan` target, build/asan), then
# every libFuzzer target built with clang and run for a bounded time over its
# seeds (the `fuzz` target, build/fuzz; tests/fuzz/README.md). Each step is
# timed. Both stages always run; the exit status is non-zero when any step
# failed.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
failed=()
timings=()

# step NAME COMMAND...: runs it, records its time and whether it failed.
step() {
  local name=$1
  shift
  local start=$SECONDS
  echo "== quality: $name"
  "$@"
  local status=$?
  local took=$((SECONDS - start))
  timings+=("$(printf '%-10s %4d:%02d  %s' "$name" $((took / 60)) $((took % 60)) \
    "$([ "$status" -eq 0 ] && echo ok || echo "FAILED ($status)")")")
  [ "$status" -eq 0 ] || failed+=("$name")
}

# A run is skipped after its build failed (it would only build again).
skipped() {
  timings+=("$(printf '%-10s    -:--  skipped (%s failed)' "$1" "$2")")
  failed+=("$1")
}

step asan-build cmake --build "$build" --target asan_build
if [[ " ${failed[*]} " == *" asan-build "* ]]; then skipped asan-run asan-build
else step asan-run cmake --build "$build" --target asan; fi
step fuzz-build cmake --build "$build" --target fuzz_build
if [[ " ${failed[*]} " == *" fuzz-build "* ]]; then skipped fuzz-run fuzz-build
else step fuzz-run cmake --build "$build" --target fuzz; fi

echo "== quality: times (m:ss)"
printf '   %s\n' "${timings[@]}"
if ((${#failed[@]})); then
  echo "== quality: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "== quality: all passed"
