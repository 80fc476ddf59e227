#!/usr/bin/env bash
# Installs what building and testing pam_device_flow needs on Debian 12, and
# only what is missing: Debian packages (apt) and the test IdP's npm packages
# (npm ci, from the committed lock file). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # build
  cmake g++ make pkg-config libpam0g-dev libcurl4-openssl-dev nlohmann-json3-dev
  libqrencode-dev libssl-dev libtomlplusplus-dev
  sudo python3-pexpect  # tests: e2e.sudo, a real sudo driven by pexpect
  # tests: real libpam under pam_wrapper, fake accounts, the IdP, the demo
  libcmocka-dev libpam-wrapper libpamtest0-dev libnss-wrapper pamtester expect
  curl binutils ca-certificates groff-base openssl
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
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d tests/fixtures/idp/node_modules ] ||
   [ tests/fixtures/idp/package-lock.json -nt tests/fixtures/idp/node_modules ]; then
  echo "install_deps: npm ci (tests/fixtures/idp)"
  (cd tests/fixtures/idp && npm ci --no-audit --no-fund --loglevel=error)
fi
