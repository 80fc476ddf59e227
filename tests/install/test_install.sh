#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs pam_device_flow the ways an admin would and checks the result:
#   a. `cmake --install --prefix /usr` into a staging root (DESTDIR): every
#      file where Debian expects it, sane modes, nothing under /etc;
#   b. the .deb, built from debian/ with `dpkg-buildpackage -us -uc -b` on a
#      copy of the source tree: control fields, versioned dependencies,
#      maintainer scripts, the same files as the staging install (man pages
#      and long docs compressed), a -dbgsym package, and `lintian --pedantic`
#      with no error and no warning;
#   c. the pam-auth-update profile, in a private mount namespace (root): the
#      postinst's `--package` leaves common-auth alone, `--enable` puts
#      "auth required pam_device_flow.so" after the primary block, `--remove`
#      takes it out again;
#   d. as root, when the package is not installed: dpkg -i, common-auth still
#      byte-identical, libpam loads the module by its bare name (PAM_SERVICE_ERR
#      for a missing config, not "Module is unknown"), the sshd end-to-end
#      login against the installed module, dpkg -r, everything gone, and
#      dpkg --purge: common-* still byte-identical, _devflow gone when the
#      package created it.
# Nothing under /etc or /var/lib/pam outlives the test: d restores them on any
# exit, and c only ever writes to copies.
#
# Usage: test_install.sh --build-dir DIR --source-dir DIR --pamdir DIR [--deb FILE]
set -euo pipefail

build_dir= source_dir= pamdir= deb=
while (($#)); do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --source-dir) source_dir=$2; shift 2 ;;
    --pamdir) pamdir=$2; shift 2 ;;
    --deb) deb=$2; shift 2 ;;
    *) echo "usage: $0 --build-dir DIR --source-dir DIR --pamdir DIR [--deb FILE]" >&2; exit 2 ;;
  esac
done
[[ -n $build_dir && -n $source_dir && -n $pamdir ]] || { echo "missing arguments" >&2; exit 2; }

package=libpam-device-flow
profile=pam-device-flow
docdir=usr/share/doc/$package
module=${pamdir#/}/pam_device_flow.so
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; }

debconf_profiles() { debconf-show libpam-runtime 2>/dev/null | sed -n 's/^[* ] libpam-runtime\/profiles: //p'; }
saved_profiles=
[[ $(id -u) -eq 0 ]] && command -v debconf-show >/dev/null && saved_profiles=$(debconf_profiles)

work=$(mktemp -d /tmp/devflow-install.XXXXXX)
backup=$work/backup
installed_by_us=0
service=
restore() {
  local status=$?
  if ((installed_by_us)); then
    echo "cleanup: purging $package"
    DEBIAN_FRONTEND=noninteractive dpkg --purge "$package" >/dev/null 2>&1 || true
  fi
  [[ -n $service ]] && rm -f "/etc/pam.d/$service"
  if [[ -d $backup/pam.d ]]; then
    for saved in "$backup"/pam.d/common-*; do
      cmp -s "$saved" "/etc/pam.d/${saved##*/}" || { echo "cleanup: restoring /etc/pam.d/${saved##*/}"; cp -a "$saved" /etc/pam.d/; }
    done
  fi
  if [[ -d $backup/var-lib-pam ]]; then
    for saved in "$backup"/var-lib-pam/*; do
      cmp -s "$saved" "/var/lib/pam/${saved##*/}" || { echo "cleanup: restoring /var/lib/pam/${saved##*/}"; cp -a "$saved" /var/lib/pam/; }
    done
  fi
  # pam-auth-update keeps the enabled profiles in debconf as well.
  if [[ -n $saved_profiles ]] && [[ $(debconf_profiles) != "$saved_profiles" ]]; then
    echo "cleanup: restoring debconf libpam-runtime/profiles"
    echo "libpam-runtime libpam-runtime/profiles multiselect $saved_profiles" | debconf-set-selections
  fi
  rm -rf "$work"
  exit "$status"
}
trap restore EXIT
trap 'exit 130' INT TERM

# The files both install paths must produce (relative to the root), and
# nothing else.
expected=(
  "$module"
  usr/bin/pam-device-flow
  usr/libexec/pam_device_flow/pam-device-flow-helper
  usr/share/man/man1/pam-device-flow.1
  usr/share/man/man8/pam_device_flow.8
  usr/share/man/man5/pam_device_flow.conf.5
  usr/share/pam-configs/$profile
  "$docdir"/examples/pam_device_flow.conf
  "$docdir"/examples/pam.d/sshd-devflow
  "$docdir"/examples/pam.d/sudo-devflow
  "$docdir"/examples/sshd_config.d/pam_device_flow.conf
)
for guide in "$source_dir"/docs/*.md; do expected+=("$docdir/${guide##*/}"); done
for recipe in "$source_dir"/docs/providers/*.md; do expected+=("$docdir/providers/${recipe##*/}"); done
printf '%s\n' "${expected[@]}" | sort >"$work/expected"

# --- a. staging install ----------------------------------------------------
echo "== a. cmake --install --prefix /usr into a staging root"
stage=$work/stage
DESTDIR=$stage cmake --install "$build_dir" --prefix /usr >"$work/install.log"
(cd "$stage" && find . -type f -o -type l | sed 's|^\./||' | sort) >"$work/staged"
if diff -u "$work/expected" "$work/staged"; then
  pass "staging root holds exactly the ${#expected[@]} expected files"
else
  fail "staging root differs from the expected file list (- expected, + installed)"
fi

if command -v dpkg >/dev/null && dpkg -L libpam-modules >/dev/null 2>&1; then
  libpam_dir=$(dirname "$(dpkg -L libpam-modules | grep -m1 '/pam_unix\.so$')")
  if [[ $libpam_dir == "$pamdir" ]]; then
    pass "module directory $pamdir is where libpam-modules keeps pam_unix.so"
  else
    fail "module directory $pamdir is not libpam's ($libpam_dir); libpam will not find pam_device_flow.so by name"
  fi
fi

while IFS= read -r file; do
  [[ -e $stage/$file ]] || continue
  mode=$(stat -c %a "$stage/$file")
  want=644
  [[ $file == usr/bin/* || $file == usr/libexec/* ]] && want=755  # the command and the helper; the rest is data
  [[ $mode == "$want" ]] || fail "$file has mode $mode, expected $want"
done <"$work/expected"
writable=$(find "$stage" -perm /022 -printf '%m %P\n')
[[ -z $writable ]] || fail "group- or world-writable: $writable"
etc_files=$(cd "$stage" && find . -path ./etc -prune -print)
[[ -z $etc_files ]] && pass "nothing installed under /etc" || fail "the install writes under /etc: $etc_files"
if file_type=$(od -An -c -N4 "$stage/$module" | tr -d ' ') && [[ $file_type == 177ELF ]]; then
  pass "$module is an ELF object, mode 0644"
else
  fail "$module is not an ELF object"
fi
if grep -qx 'Default: no' "$stage/usr/share/pam-configs/$profile"; then
  pass "pam-auth-update profile is off by default"
else
  fail "pam-auth-update profile lacks 'Default: no'"
fi

# --- b. the Debian package ---------------------------------------------------
echo "== b. the Debian package"
if [[ -z $deb ]]; then
  if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
    skip "dpkg-buildpackage or debhelper not available: no package checks"
    exit $((failures > 0))
  fi
  # The tracked files (the working tree's version of each), as a clean clone
  # would have them: no build trees, no node_modules.
  mkdir -p "$work/src"
  if git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$source_dir" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$work/src"
  else
    tar -C "$source_dir" --exclude='./build*' --exclude=node_modules -cf - . | tar -xf - -C "$work/src"
  fi
  echo "dpkg-buildpackage -us -uc -b (log: dpkg-buildpackage.log)"
  if (cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/dpkg-buildpackage.log" 2>&1; then
    pass "dpkg-buildpackage -us -uc -b builds the package from debian/"
  else
    tail -40 "$work/dpkg-buildpackage.log"; fail "dpkg-buildpackage failed"; exit 1
  fi
  deb=$(ls "$work"/${package}_*.deb)
  ls "$work"/${package}-dbgsym_*deb >/dev/null 2>&1 && pass "a -dbgsym package is built" ||
    fail "no -dbgsym package"
  if command -v lintian >/dev/null; then
    if lintian --pedantic -EvI --fail-on error,warning "$work"/${package}_*.changes >"$work/lintian.log" 2>&1; then
      pass "lintian --pedantic: no error, no warning"
    else
      cat "$work/lintian.log"; fail "lintian --pedantic reports errors or warnings"
    fi
  else
    skip "lintian not installed"
  fi
fi
echo "package: $deb"
dpkg-deb --info "$deb"
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == "$package" ]] && pass "Package: $package" || fail "Package is $(field Package)"
[[ $(field Section) == admin ]] && pass "Section: admin" || fail "Section is $(field Section)"
depends=$(field Depends)
depended=$(tr ',' '\n' <<<"$depends" | awk '{print $1}')
missing_depends=0
grep -q 'libcurl4 (>= 7\.85' <<<"$depends" && pass "Depends: libcurl4 (>= 7.85): CURLOPT_PROTOCOLS_STR" ||
  fail "Depends lacks libcurl4 (>= 7.85): $depends"
for needed in libpam0g libcurl4 libqrencode4 libssl3 libc6 libpam-runtime libseccomp2 adduser; do
  grep -qxF "$needed" <<<"$depended" || { fail "Depends lacks $needed: $depends"; missing_depends=1; }
done
((missing_depends)) || pass "Depends: $depends"

# debhelper compresses man pages and long docs and adds the changelog, the
# copyright and the lintian overrides: the rest is the staging install's.
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./||' | grep -v -e '/$' -e '^$' | sort >"$work/packaged"
grep -vE "^$docdir/(changelog\.gz|copyright)$|^usr/share/lintian/overrides/$package$" "$work/packaged" |
  sed 's/\.gz$//' | sort >"$work/packaged-plain"
if diff -u "$work/expected" "$work/packaged-plain"; then
  pass "package holds the same files as the staging install"
else
  fail "package contents differ from the expected list (- expected, + packaged)"
fi
for page in usr/share/man/man1/pam-device-flow.1 usr/share/man/man5/pam_device_flow.conf.5 \
            usr/share/man/man8/pam_device_flow.8; do
  grep -qxF "$page.gz" "$work/packaged" || fail "$page is not compressed in the package"
done
grep -qxF "$docdir/copyright" "$work/packaged" && grep -qxF "$docdir/changelog.gz" "$work/packaged" &&
  pass "copyright and changelog.gz are in $docdir" || fail "copyright or changelog.gz missing in $docdir"
dpkg-deb --contents "$deb" | awk -v m="./$module" '$6 == m && $1 != "-rw-r--r--" {bad = 1} END {exit bad}' ||
  fail "$module is not -rw-r--r-- in the package"
dpkg-deb --contents "$deb" | awk '$2 != "root/root" {bad = 1} END {exit bad}' || fail "package files not owned by root/root"

dpkg-deb --control "$deb" "$work/control"
[[ ! -e $work/control/conffiles ]] && pass "no conffiles" || fail "unexpected conffiles: $(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do
  [[ -x $work/control/$script ]] || fail "$script is missing or not executable"
  sh -n "$work/control/$script" || fail "$script has a syntax error"
done
grep -q '^[[:space:]]*pam-auth-update --package$' "$work/control/postinst" &&
  pass "postinst runs pam-auth-update --package" || fail "postinst does not run pam-auth-update --package"
grep -q "^[[:space:]]*pam-auth-update --package --remove $profile\$" "$work/control/prerm" &&
  pass "prerm runs pam-auth-update --package --remove $profile" || fail "prerm does not remove the profile"


# --- c. what the profile does to common-auth (private mount namespace) ------
echo "== c. pam-auth-update with the profile, on copies of /etc/pam.d and /var/lib/pam"
if [[ $(id -u) -ne 0 ]] || ! command -v pam-auth-update >/dev/null || ! command -v unshare >/dev/null; then
  skip "needs root, pam-auth-update and unshare"
else
  cp -a /etc/pam.d "$work/ns-pamd"
  cp -a /var/lib/pam "$work/ns-varlib"
  cp -a /usr/share/pam-configs "$work/ns-configs"
  cp "$stage/usr/share/pam-configs/$profile" "$work/ns-configs/"
  # Bind mounts in a private namespace: pam-auth-update sees the profile and
  # writes only the copies; the host's files are untouched even on a crash.
  DEBIAN_FRONTEND=noninteractive unshare -m --propagation private bash -euc '
    mount --bind "$1/ns-pamd" /etc/pam.d
    mount --bind "$1/ns-varlib" /var/lib/pam
    mount --bind "$1/ns-configs" /usr/share/pam-configs
    pam-auth-update --package
    cp /etc/pam.d/common-auth "$1/after-package"
    pam-auth-update --enable "$2"
    cp /etc/pam.d/common-auth "$1/after-enable"
    pam-auth-update --package --remove "$2"
    cp /etc/pam.d/common-auth "$1/after-remove"
  ' namespace "$work" "$profile" >"$work/ns.log" 2>&1 || { cat "$work/ns.log"; fail "pam-auth-update failed"; }
  if cmp -s /etc/pam.d/common-auth "$work/after-package"; then
    pass "pam-auth-update --package (postinst) leaves common-auth byte-identical"
  else
    fail "pam-auth-update --package changed common-auth"; diff /etc/pam.d/common-auth "$work/after-package" || true
  fi
  echo "-- common-auth after pam-auth-update --enable $profile:"
  grep -v '^#' "$work/after-enable" | grep .
  if awk '/pam_permit\.so/ {permit = NR} $1 == "auth" && $2 == "required" && $3 == "pam_device_flow.so" {flow = NR}
          END {exit !(permit && flow > permit)}' "$work/after-enable"; then
    pass "enabled, the profile adds 'auth required pam_device_flow.so' after the primary block"
  else
    fail "enabled, the profile does not add 'auth required pam_device_flow.so' after pam_permit.so"
  fi
  cmp -s /etc/pam.d/common-auth "$work/after-remove" &&
    pass "pam-auth-update --remove (prerm) restores common-auth" || fail "common-auth differs after --remove"
fi

# --- d. dpkg -i / dpkg -r on this host ----------------------------------------
echo "== d. dpkg -i, load the module through libpam, dpkg -r"
if [[ $(id -u) -ne 0 ]]; then
  skip "not root"
elif dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'installed'; then
  skip "$package is already installed; not touching it"
elif [[ -e /$module ]]; then
  skip "/$module exists (installed by hand?); not touching it"
elif ! command -v pamtester >/dev/null; then
  skip "pamtester not installed"
else
  mkdir -p "$backup/pam.d" "$backup/var-lib-pam"
  cp -a /etc/pam.d/common-* "$backup/pam.d/"
  cp -a /var/lib/pam/. "$backup/var-lib-pam/"

  # Another test or apt may hold the dpkg lock for a moment.
  run_dpkg() {
    local attempt
    for attempt in $(seq 1 30); do
      if DEBIAN_FRONTEND=noninteractive dpkg "$@" >"$work/dpkg.log" 2>&1; then return 0; fi
      grep -qi 'lock' "$work/dpkg.log" || { cat "$work/dpkg.log"; return 1; }
      sleep 2
    done
    cat "$work/dpkg.log"; return 1
  }

  installed_by_us=1
  if run_dpkg -i "$deb"; then
    pass "dpkg -i $package"
    echo "DEVFLOW_INSTALLED_MODULE=/$module"
    [[ $(stat -c '%a %U:%G' "/$module") == "644 root:root" ]] &&
      pass "/$module is 0644 root:root" || fail "/$module is $(stat -c '%a %U:%G' "/$module")"
    [[ $(/usr/bin/pam-device-flow --version) == "pam-device-flow "* ]] &&
      pass "/usr/bin/pam-device-flow runs" || fail "/usr/bin/pam-device-flow --version failed"
    for saved in "$backup"/pam.d/common-*; do
      cmp -s "$saved" "/etc/pam.d/${saved##*/}" || fail "dpkg -i changed /etc/pam.d/${saved##*/}"
    done
    pass "installing left /etc/pam.d/common-* byte-identical (profile not enabled)"
    [[ ! -e /etc/security/pam_device_flow.conf ]] || echo "note: /etc/security/pam_device_flow.conf exists (not ours)"

    # A private service naming the module without a path: libpam must find
    # it in its own directory. With a config file that does not exist the
    # module answers PAM_SERVICE_ERR ("Error in service module"); a module
    # libpam cannot find gives "Module is unknown".
    service=devflow-install-test-$$
    printf 'auth required pam_device_flow.so config=%s/absent.conf\n' "$work" >"/etc/pam.d/$service"
    outcome=$(pamtester -v "$service" root authenticate </dev/null 2>&1 || true)
    echo "$outcome" | sed 's/^/  /'
    if grep -q 'Error in service module' <<<"$outcome"; then
      pass "libpam loads pam_device_flow.so by its bare name (PAM_SERVICE_ERR: no config)"
    else
      fail "libpam did not load the installed module as expected"
    fi
    printf 'auth required pam_device_flow_absent.so\n' >"/etc/pam.d/$service"
    outcome=$(pamtester "$service" root authenticate </dev/null 2>&1 || true)
    grep -q 'Module is unknown' <<<"$outcome" &&
      pass "control: a module that is not there gives 'Module is unknown'" ||
      fail "control: unexpected answer for a missing module: $outcome"
    rm -f "/etc/pam.d/$service"; service=

    # The installed module in a real sshd: the e2e login (code, QR, approval,
    # command) against /lib/.../security/pam_device_flow.so, not the build's.
    if [[ -f $source_dir/tests/e2e/test_sshd.py && -x /usr/sbin/sshd ]]; then
      if /usr/bin/python3 "$source_dir/tests/e2e/test_sshd.py" --module "/$module" \
           DeviceFlowOverSsh.test_a_code_url_and_qr_are_shown_before_approval_then_login_runs_the_command \
           DeviceFlowOverSsh.test_g_token_cache_is_written_as_the_user 2>&1 | sed 's/^/  /'; then
        pass "sshd end-to-end login through the installed module"
      else
        fail "sshd end-to-end login through the installed module"
      fi
    else
      skip "sshd not installed: no end-to-end login against the installed module"
    fi

    if run_dpkg -r "$package"; then
      pass "dpkg -r $package"
      while IFS= read -r file; do
        [[ ! -e /$file ]] || fail "/$file is still there after dpkg -r"
      done <"$work/expected"
      [[ ! -e /$docdir ]] || fail "/$docdir is still there after dpkg -r"
      for saved in "$backup"/pam.d/common-*; do
        cmp -s "$saved" "/etc/pam.d/${saved##*/}" || fail "/etc/pam.d/${saved##*/} differs after dpkg -r"
      done
      for saved in "$backup"/var-lib-pam/*; do
        cmp -s "$saved" "/var/lib/pam/${saved##*/}" || fail "/var/lib/pam/${saved##*/} differs after dpkg -r"
      done
      pass "after dpkg -r: the package's files are gone, common-* and /var/lib/pam byte-identical"
      created_account=0
      [[ -e /var/lib/libpam-device-flow/account-created ]] && created_account=1
      if run_dpkg --purge "$package"; then
        pass "dpkg --purge $package"
        for saved in "$backup"/pam.d/common-*; do
          cmp -s "$saved" "/etc/pam.d/${saved##*/}" || fail "/etc/pam.d/${saved##*/} differs after dpkg --purge"
        done
        pass "after dpkg --purge: /etc/pam.d/common-* byte-identical"
        if ((created_account)); then
          if getent passwd _devflow >/dev/null; then
            fail "purge left the _devflow account the package created"
          else
            pass "purge removed the _devflow account the package created"
          fi
          # The other tests need the account: make it again as a source install does.
          bash "$source_dir/tests/helper_account.sh" >/dev/null
        fi
      else
        fail "dpkg --purge"
      fi
      installed_by_us=0
    else
      fail "dpkg -r $package"
    fi
  else
    fail "dpkg -i $deb"
  fi
fi

if [[ -n $saved_profiles ]]; then
  [[ $(debconf_profiles) == "$saved_profiles" ]] &&
    pass "debconf libpam-runtime/profiles unchanged ($saved_profiles)" ||
    fail "debconf libpam-runtime/profiles changed to: $(debconf_profiles)"
fi

echo "install tests: $failures failure(s)"
((failures == 0))
