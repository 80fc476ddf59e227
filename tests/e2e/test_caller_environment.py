#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: the invoking user's environment never steers the module, as root.

Inside setuid hosts (su, sudo with !env_reset) the module runs as root with the
*caller's* environment. libcurl reads SSLKEYLOGFILE with plain getenv and opens
that file for append when it initialises: the audit of 2026-12 created
/etc/proof, mode 0666, as root, with `SSLKEYLOGFILE=/etc/proof su USER -c true`.

Each case runs a real setuid host as a throw-away user with such variables set
and checks that no file was created, while a loopback HTTP recorder proves that
the module did reach its network code in that process (so the case cannot pass
because the module never ran):

- su: the system's /etc/pam.d/su is never edited. The case runs su in a private
  mount namespace (`unshare --mount`) where a private stack is bind-mounted over
  /etc/pam.d/su; only that namespace sees it.
- sudo with !env_reset: a sudoers drop-in for the test user only, selecting a
  test PAM service /etc/pam.d/<service> (pam_service=...), as e2e.sudo does.

Everything created (user, /etc/pam.d/<service>, /etc/sudoers.d/<file>, the
scratch directory) is removed at the end, also when a case fails.

    /usr/bin/python3 tests/e2e/test_caller_environment.py --module build/pam_device_flow.so

Exit status: 0 all cases passed, 1 a case failed, 77 skipped (not root, or a
tool missing, or no mount namespaces here).
"""

import argparse
import http.server
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

SKIP = 77
TOOLS = ("su", "sudo", "visudo", "useradd", "userdel", "unshare", "setpriv", "mount", "runuser")
# libcurl opens this file for append when it initialises (docs/security.md
# lists every variable that was checked).
KEY_LOG = "SSLKEYLOGFILE"


def skip(reason):
    print(f"SKIP: e2e.caller_environment: {reason}")
    sys.exit(SKIP)


def log(text):
    print(text, flush=True)


class CaseFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


class Recorder:
    """An HTTP server on 127.0.0.1 that records each request line and answers 503."""

    def __init__(self):
        requests = self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                requests.append(f"{self.command} {self.path}")
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Fixture:
    """The user, scratch directory, module config, PAM stacks and sudoers drop-in."""

    def __init__(self, module, recorder):
        suffix = secrets.token_hex(4)
        self.module = module
        self.recorder = recorder
        self.user = f"dfenv{suffix}"
        self.service = f"devflow-e2e-env-{suffix}"
        self.pam_file = f"/etc/pam.d/{self.service}"
        self.sudoers_file = f"/etc/sudoers.d/devflow-e2e-env-{suffix}"  # no '.': sudo skips those
        self.scratch = tempfile.mkdtemp(prefix="devflow-e2e-env-")  # root, 0700
        os.chmod(self.scratch, 0o755)  # the user may look, not write
        self.config = os.path.join(self.scratch, "pam_device_flow.conf")
        self.stack = os.path.join(self.scratch, "su-stack")
        self.created_user = False

    def set_up(self):
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", self.user], check=True)
        self.created_user = True
        with open(self.config, "w", encoding="utf-8") as out:
            out.write('prompt = "enter"\nqr = "off"\nmax_wait = 10\nhttp_timeout = 5\n'
                      '[providers.corp]\ntype = "oidc"\n'
                      f'issuer = "{self.recorder.url}/idp"\nclient_id = "bastion"\n')
        os.chmod(self.config, 0o644)
        stack = ("#%PAM-1.0\n"
                 "# pam_device_flow e2e test (tests/e2e/test_caller_environment.py)\n"
                 f"auth    required {self.module} config={self.config}\n"
                 "account required pam_permit.so\n"
                 "session required pam_permit.so\n")
        for path in (self.stack, self.pam_file):
            with open(path, "w", encoding="utf-8") as out:
                out.write(stack)
            os.chmod(path, 0o644)
        candidate = os.path.join(self.scratch, "sudoers")
        with open(candidate, "w", encoding="utf-8") as out:
            out.write("# pam_device_flow e2e test (tests/e2e/test_caller_environment.py)\n"
                      f"Defaults:{self.user} !env_reset, pam_service={self.service}, "
                      "timestamp_timeout=0, passwd_tries=1, lecture=never\n"
                      f"{self.user} ALL=(ALL) ALL\n")
        os.chmod(candidate, 0o440)
        checked = subprocess.run(["visudo", "-cf", candidate], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"visudo -cf refused the drop-in: {checked.stdout}{checked.stderr}")
        shutil.copyfile(candidate, self.sudoers_file + ".tmp")
        os.chmod(self.sudoers_file + ".tmp", 0o440)
        os.rename(self.sudoers_file + ".tmp", self.sudoers_file)

    def hostile_environment(self, tag):
        """The caller's variables, each naming a file in a directory only root may write."""
        entry = pwd.getpwnam(self.user)
        return {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": entry.pw_dir,
            "USER": self.user,
            "LOGNAME": self.user,
            KEY_LOG: os.path.join(self.scratch, f"{tag}-keylog"),
            # Proxies the admin did not configure, pointed at the recorder: a
            # proxied request would show there with an absolute URL.
            "http_proxy": self.recorder.url,
            "HTTPS_PROXY": self.recorder.url,
            "ALL_PROXY": self.recorder.url,
        }

    def tear_down(self):
        problems = []
        for path in (self.sudoers_file, self.sudoers_file + ".tmp", self.pam_file):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as error:
                problems.append(f"{path}: {error}")
        if self.created_user:
            for attempt in range(10):
                for flag in ("-U", "-u"):
                    subprocess.run(["pkill", "-KILL", flag, self.user], capture_output=True)
                done = subprocess.run(["userdel", "-r", self.user], capture_output=True, text=True)
                if done.returncode in (0, 6, 12):  # 6: no such user; 12: home not removed
                    break
                time.sleep(0.3)
            else:
                problems.append(f"userdel -r {self.user}: {done.stderr.strip()}")
        shutil.rmtree(f"/run/sudo/ts/{self.user}", ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)
        for problem in problems:
            log(f"cleanup problem: {problem}")
        leftover = [p for p in (self.sudoers_file, self.pam_file) if os.path.exists(p)]
        try:
            pwd.getpwnam(self.user)
            leftover.append(f"user {self.user}")
        except KeyError:
            pass
        return leftover


def run_as_user(fixture, tag, host_command):
    """Runs `host_command` (argv) as the test user, umask 000, with the hostile
    environment, inside a private mount namespace whose /etc/pam.d/su is the
    test stack. Returns (status, output, environment)."""
    entry = pwd.getpwnam(fixture.user)
    environment = fixture.hostile_environment(tag)
    before = len(fixture.recorder.requests)
    inner = ("mount --bind \"$1\" /etc/pam.d/su || exit 125; shift; "
             "exec setpriv --reuid=\"$1\" --regid=\"$2\" --init-groups --reset-env -- "
             "/bin/sh -c 'umask 000; shift 2; exec env -i \"$@\"' sh \"$@\"")
    argv = (["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", inner, "sh",
             fixture.stack, str(entry.pw_uid), str(entry.pw_gid)]
            + [f"{name}={value}" for name, value in environment.items()] + host_command)
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    check(done.returncode != 125, f"could not bind the test stack over /etc/pam.d/su: {output}")
    requests = fixture.recorder.requests[before:]
    return done.returncode, output, environment, requests


def expect_no_caller_files(fixture, status, output, environment, requests, host):
    check(status != 0, f"{host} succeeded, but the IdP answered 503 to everything: {output}")
    check(any("/idp/.well-known/openid-configuration" in r for r in requests),
          f"the module never reached its network code under {host} (requests: {requests}; "
          f"output: {output})")
    check(not os.path.lexists(environment[KEY_LOG]),
          f"{host} as root created the caller's {KEY_LOG} {environment[KEY_LOG]}")
    proxied = [r for r in requests if not r.split(" ")[1].startswith("/")]
    check(not proxied, f"the caller's proxy variables were used under {host}: {proxied}")


def case_su_ignores_the_callers_variables(fixture):
    status, output, environment, requests = run_as_user(
        fixture, "su", ["su", fixture.user, "-c", "true"])
    expect_no_caller_files(fixture, status, output, environment, requests, "su")


def case_sudo_without_env_reset_ignores_the_callers_variables(fixture):
    status, output, environment, requests = run_as_user(
        fixture, "sudo", ["sudo", "-S", "true"])
    expect_no_caller_files(fixture, status, output, environment, requests, "sudo (!env_reset)")


CASES = [
    ("su_ignores_the_callers_variables", case_su_ignores_the_callers_variables),
    ("sudo_without_env_reset_ignores_the_callers_variables",
     case_sudo_without_env_reset_ignores_the_callers_variables),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--module", required=True, help="path of the built pam_device_flow.so")
    parser.add_argument("--filter", default=os.environ.get("DEVFLOW_TEST_FILTER", ""),
                        help="run only cases whose name contains this text")
    args = parser.parse_args()

    if os.geteuid() != 0:
        skip("needs root (creates a user, /etc/pam.d and /etc/sudoers.d files, a mount namespace)")
    for tool in TOOLS:
        if shutil.which(tool, path="/usr/sbin:/usr/bin:/sbin:/bin") is None:
            skip(f"{tool} is not installed (bash tests/install_deps.sh)")
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        skip(f"no private mount namespace here: {probe.stderr.strip()}")
    module = os.path.abspath(args.module)
    if not os.path.isfile(module):
        log(f"FAIL: e2e.caller_environment: no module at {module}")
        return 1

    selected = [(name, case) for name, case in CASES if args.filter in name]
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: sys.exit(f"e2e.caller_environment: signal {number}"))
    recorder = Recorder()
    fixture = Fixture(module, recorder)
    failures = 0
    failed_cases = 0
    try:
        fixture.set_up()
        log(f"e2e.caller_environment: user {fixture.user}, service {fixture.service}")
        for name, case in selected:
            started = time.monotonic()
            try:
                case(fixture)
                log(f"PASS  {name} ({time.monotonic() - started:.1f} s)")
            except Exception as error:  # one case's failure must not skip the others
                failed_cases += 1
                log(f"FAIL  {name}: {error}")
                if not isinstance(error, CaseFailed):
                    traceback.print_exc()
    finally:
        leftover = fixture.tear_down()
        recorder.stop()
        if leftover:
            log(f"FAIL  cleanup left {', '.join(leftover)}")
            failures += 1
    log(f"e2e.caller_environment: {len(selected) - failed_cases} of {len(selected)} cases passed")
    return 1 if failures or failed_cases else 0


if __name__ == "__main__":
    sys.exit(main())
