#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The demo: builds pam_device_flow, starts the bundled IdP (node-oidc-provider
# on 127.0.0.1) and runs a real device-flow login through real libpam
# (pamtester under pam_wrapper: no file under /etc is touched).
#
#   tests/demo.sh                 you approve in a browser, then press Enter
#   tests/demo.sh --auto-approve  a script approves as a browser would
#
# Options: --user NAME (default alice), --qr utf8|utf8-color|ascii|ascii-color|off, --no-install,
# --build-dir DIR, --module PATH (use a built module; skips the build). At the IdP, log in as the same NAME with any password.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

user=alice qr=utf8 auto=0 install=1 build=${BUILD_DIR:-build} module=
while (($#)); do
  case $1 in
    --auto-approve) auto=1 ;;
    --user) user=$2; shift ;;
    --qr) qr=$2; shift ;;
    --no-install) install=0 ;;
    --build-dir) build=$2; shift ;;
    --module) module=$(realpath "$2"); install=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "demo: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if ((install)); then bash tests/install_deps.sh; fi
if [ -z "$module" ]; then
  echo "== building pam_device_flow.so in $build"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j"$(nproc)" --target pam_device_flow >/dev/null
  module=$(realpath "$build/pam_device_flow.so")
fi

work=$(mktemp -d /tmp/devflow-demo-XXXXXX)
chmod 755 "$work"
idp_pid=
cleanup() {
  [ -n "$idp_pid" ] && kill "$idp_pid" 2>/dev/null && wait "$idp_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The bundled IdP, on a free loopback port.
mkfifo "$work/idp.out"
node tests/fixtures/idp/server.js --port 0 >"$work/idp.out" 2>"$work/idp.log" </dev/zero &
idp_pid=$!
read -r ready <"$work/idp.out"
issuer=$(node -e 'console.log(JSON.parse(process.argv[1]).issuer)' "$ready")

# A demo account (nss_wrapper) whose home is in the scratch directory: as root
# it gets its own uid, so the token cache is written with dropped privileges.
uid=$(id -u) gid=$(id -g)
if [ "$uid" -eq 0 ]; then uid=47001 gid=47001; fi
home="$work/home/$user"
mkdir -p "$home" && chmod 700 "$home" && chown "$uid:$gid" "$home"
printf '%s:x:%s:%s:%s:%s:/bin/sh\nroot:x:0:0:root:/root:/bin/sh\n' "$user" "$uid" "$gid" "$user" "$home" >"$work/passwd"
printf '%s:x:%s:\nroot:x:0:\n' "$user" "$gid" >"$work/group"
# As root the module runs its network stage as the helper account: create it
# when missing (as the package does) and let nss_wrapper know it.
if [ "$(id -u)" -eq 0 ]; then
  tests/helper_account.sh
  getent passwd _devflow >>"$work/passwd"
  getent group _devflow >>"$work/group"
fi

mkdir -p "$work/services" "$work/state"
cat >"$work/pam_device_flow.conf" <<CONF
qr = "$qr"
prompt = "enter"
max_wait = 110
state_dir = "$work/state"

[providers.demo]
type = "oidc"
issuer = "$issuer"
client_id = "bastion"
scopes = ["openid", "profile", "email", "groups", "offline_access"]
allowed_groups = ["ssh-users"]
CONF
chmod 600 "$work/pam_device_flow.conf"
echo "auth required $module config=$work/pam_device_flow.conf" >"$work/services/devflow-demo"
deny=$(ls /lib/*/security/pam_deny.so /usr/lib/*/security/pam_deny.so 2>/dev/null | head -n 1)
echo "auth required $deny" >"$work/services/other"

export PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$work/services"
export NSS_WRAPPER_PASSWD="$work/passwd" NSS_WRAPPER_GROUP="$work/group"
preload="$(dpkg -L libpam-wrapper | grep '/libpam_wrapper.so$'):$(dpkg -L libnss-wrapper | grep '/libnss_wrapper.so$')"

echo "== pam_device_flow demo: IdP at $issuer; logging in \"$user\" through libpam (service devflow-demo)"
if ((auto)); then
  echo "== --auto-approve: a script will approve as \"$user\" the way a browser would"
  status=0
  expect -f tests/demo_auto_approve.exp -- \
    "$top/tests/fixtures/idp/approve.js" "$user" devflow-demo "$preload" || status=$?
else
  echo "== Open the URL below in a browser on this machine, log in as \"$user\" (any password),"
  echo "   approve, then press Enter here."
  status=0
  LD_PRELOAD="$preload" pamtester -v devflow-demo "$user" authenticate || status=$?
fi
unset PAM_WRAPPER NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP

cache="$home/.cache/pam_device_flow/demo.json"
if [ "$status" -eq 0 ]; then
  echo "== Login succeeded. Token cache (removed with the demo's scratch directory): $cache"
  ls -l "$cache"
  node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const k of ["access_token", "refresh_token", "id_token"]) if (c[k]) c[k] = c[k].slice(0, 8) + "... (redacted)";
    console.log(JSON.stringify(c, null, 2));' "$cache"
else
  echo "== Login failed (exit $status); the IdP log is below." >&2
  tail -n 20 "$work/idp.log" >&2 || true
fi
exit "$status"
