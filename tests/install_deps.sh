#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what building and testing pam_device_flow needs on Debian 12, and
# only what is missing: Debian packages (apt) and the test IdP's npm packages
# (npm ci, from the committed lock file). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # build
  cmake g++ make pkg-config libpam0g-dev libcurl4-openssl-dev nlohmann-json3-dev
  libqrencode-dev libssl-dev libtomlplusplus-dev
  libseccomp-dev  # the helper's seccomp filter (helper/seccomp_filter.cpp)
  sudo python3-pexpect  # tests: e2e.sudo, a real sudo driven by pexpect
  # tests: real libpam under pam_wrapper, fake accounts, the IdP, the demo
  libcmocka-dev libpam-wrapper libpamtest0-dev libnss-wrapper pamtester expect
  curl binutils ca-certificates groff-base openssl
  # tests: the QR code of the login message drawn as a dark and a light
  # terminal show it, and scanned (tests/scan_qr.py)
  zbar-tools python3-pil
  # e2e: a real OpenSSH server (its own config, never the system service) and
  # the pexpect client that drives it
  openssh-server openssh-client python3-pexpect
  # e2e: the real AWS CLI v2 reads and refreshes the aws-sso token cache
  awscli
  # quality stage (tests/run_quality.sh): the fuzz targets need clang and its
  # runtime (libclang_rt.fuzzer/asan/ubsan: libclang-rt-14-dev on Debian 12,
  # through the unversioned package that follows the default clang); the
  # ASan build uses g++'s libasan, which g++ brings
  clang libclang-rt-dev
  # format-check and format (tests/check_format.sh): .clang-format is set for
  # clang-format 14, and another version formats differently, so this one is
  # named by version
  clang-format-14
  # install test: the .deb built from debian/ and checked as Debian checks it
  debhelper dpkg-dev lintian
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
# Node.js: keep a newer one the machine already has; else Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install_deps: missing packages: ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "install_deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # openssh-server's postinst would start the system sshd: a policy-rc.d that
  # answers 101 (action forbidden) stops it. Keep one the machine already has;
  # remove ours afterwards, even when apt-get fails.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    trap 'rm -f "$policy"' EXIT
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The login helper's system account (the module refuses to run without it).
if [ "$(id -u)" -eq 0 ]; then tests/helper_account.sh; fi

# The fixtures' npm packages: node-oidc-provider, and the official AWS SDK
# clients that prove the AWS fake's wire format. Exact versions from the locks.
# A node_modules that is a symlink is another checkout's (git worktrees may
# share one): npm ci would empty the directory it points to, under that
# checkout's feet. Leave it to its owner.
for fixture in tests/fixtures/idp tests/fixtures/aws; do
  if [ -L "$fixture/node_modules" ]; then
    echo "install_deps: $fixture/node_modules is a symlink; not touching it"
    continue
  fi
  if [ ! -d "$fixture/node_modules" ] || [ "$fixture/package-lock.json" -nt "$fixture/node_modules" ]; then
    echo "install_deps: npm ci ($fixture)"
    (cd "$fixture" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
