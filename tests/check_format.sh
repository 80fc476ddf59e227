#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks that the C++ sources follow .clang-format (clang-format 14), or with
# --fix rewrites them in place. The build targets `format-check` and `format`
# (cmake/QualityTargets.cmake) call this; CI can call it directly.
#
#   tests/check_format.sh [--fix] [FILE...]
#
# Without FILEs: every *.cpp and *.hpp under src/, pam_module/, helper/ and
# tests/, at any depth, except tests/fixtures/, node_modules/ and build trees. The list
# comes from git (tracked and new, not ignored files) or, outside a git
# checkout, from find.
#
# Exit status: 0 all formatted (or rewritten, with --fix); 1 some file is not
# formatted; 2 clang-format is missing or failed.
# CLANG_FORMAT picks the binary (default: clang-format-14, else clang-format).
# A failing check prints the diff of the first FORMAT_DIFF_FILES files (10),
# at most FORMAT_DIFF_LINES lines each (12).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
style=$root/.clang-format

fix=0
if [ "${1-}" = --fix ]; then
  fix=1
  shift
fi
name=$([ "$fix" -eq 1 ] && echo format || echo format-check)

clang_format=${CLANG_FORMAT:-}
if [ -z "$clang_format" ]; then
  clang_format=$(command -v clang-format-14 || command -v clang-format || true)
fi
if [ -z "$clang_format" ] || ! [ -x "$(command -v "$clang_format")" ]; then
  echo "$name: clang-format not found (install clang-format-14: tests/install_deps.sh)" >&2
  exit 2
fi
version=$("$clang_format" --version | sed -n 's/.*clang-format version \([0-9]*\).*/\1/p')
if [ "$version" != 14 ]; then
  echo "$name: note: $clang_format is version ${version:-unknown}; the style is set for 14" >&2
fi

# The sources to check, one per line, relative to the root.
list_sources() {
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$root" ls-files --cached --others --exclude-standard -- \
      'src/*.cpp' 'src/*.hpp' 'pam_module/*.cpp' 'pam_module/*.hpp' \
      'helper/*.cpp' 'helper/*.hpp' 'tests/*.cpp' 'tests/*.hpp'
  else
    (cd "$root" && find src pam_module helper tests -type f \( -name '*.cpp' -o -name '*.hpp' \) 2>/dev/null)
  fi | sed 's|^\./||' |
    grep -Ev '^tests/fixtures/|(^|/)node_modules/|(^|/)(build|build[-_.][^/]*|cmake-build-[^/]*|CMakeFiles)/' |
    sort -u
}

files=()
if (($#)); then
  files=("$@")
else
  cd "$root" || exit 2
  while IFS= read -r file; do
    [ -f "$file" ] && files+=("$file")  # a tracked file deleted in the work tree
  done < <(list_sources)
fi
if ((${#files[@]} == 0)); then
  echo "$name: no files found" >&2
  exit 2
fi

if [ "$fix" -eq 1 ]; then
  if ! "$clang_format" --style="file:$style" -i "${files[@]}"; then
    echo "$name: clang-format failed" >&2
    exit 2
  fi
  echo "format: ${#files[@]} files formatted in place"
  exit 0
fi

diff_files=${FORMAT_DIFF_FILES:-10}
diff_lines=${FORMAT_DIFF_LINES:-12}
unformatted=0
errors=0
formatted=$(mktemp)
trap 'rm -f "$formatted"' EXIT
for file in "${files[@]}"; do
  if ! "$clang_format" --style="file:$style" "$file" >"$formatted"; then
    echo "format-check: clang-format failed on $file" >&2
    errors=$((errors + 1))
    continue
  fi
  cmp -s "$file" "$formatted" && continue
  unformatted=$((unformatted + 1))
  echo "not formatted: $file"
  if ((unformatted <= diff_files)); then
    diff -u --label "$file" --label "$file (formatted)" "$file" "$formatted" |
      head -n "$((diff_lines + 2))" | sed 's/^/    /'
  fi
done
if ((unformatted > diff_files)); then
  echo "(diffs shown for the first $diff_files; \`cmake --build build --target format\` fixes them all)"
fi
echo "format-check: ${#files[@]} files checked, $unformatted not formatted"
((errors)) && exit 2
((unformatted)) && exit 1
exit 0
