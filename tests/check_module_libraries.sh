#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The PAM module runs inside sshd and sudo: it may load libpam, libc and the
# dynamic loader, and nothing else (its C++ runtime is linked in statically). libcurl, OpenSSL, libqrencode, toml++ and every
# parser of network data belong to the login helper (docs/security.md). This
# reads each module's dynamic section and fails on any other library.
# Usage: check_module_libraries.sh MODULE.so...
set -euo pipefail
allowed='^(libpam\.so\.0|libc\.so\.6|ld-linux[-a-z0-9_.]*\.so\.[0-9]+)$'
failures=0
for module in "$@"; do
  mapfile -t needed < <(readelf -d "$module" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  extra=()
  for library in "${needed[@]}"; do
    [[ $library =~ $allowed ]] || extra+=("$library")
  done
  if ((${#extra[@]})); then
    echo "FAIL: $module loads ${extra[*]} into the host process"
    failures=$((failures + 1))
  else
    echo "ok: $module needs ${needed[*]}"
  fi
done
exit $((failures > 0))
