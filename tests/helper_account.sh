#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Creates the login helper's system account, _devflow, when it is missing
# (as the package's postinst does): the module runs its network stage as this
# account and refuses to start without it. Needs root; safe to run again.
set -euo pipefail
account=_devflow
if getent passwd "$account" >/dev/null; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "helper_account: the account $account is missing; run as root to create it" >&2
  exit 1
fi
useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
  --comment "pam_device_flow login helper" "$account"
echo "helper_account: created the system account $account"
