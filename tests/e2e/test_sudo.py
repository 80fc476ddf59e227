#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: pam_device_flow under a real sudo (Debian's 1.9), as root.

The fixture starts the test IdP on loopback, creates a throw-away user, a PAM
service /etc/pam.d/<service> whose auth line is the module under test, and a
sudoers drop-in that makes sudo use that service for this user only
(pam_service=..., timestamp_timeout=0 so sudo's own cache never answers for us).
/etc/pam.d/sudo and /etc/sudoers are never touched. Everything created is
removed at the end, also when a case fails.

Each case runs `runuser -u USER -- sudo -S id -u` on a pseudo-terminal
(pexpect), reads the verification URL and user code from what sudo prints, and
approves or denies at the IdP with approve.js as the user's browser would. The
aws-sso case uses the loopback AWS fake (tests/fixtures/aws/fake_aws.js), which
approves the user's device codes as they are issued.

    /usr/bin/python3 tests/e2e/test_sudo.py --module build/pam_device_flow.so

Exit status: 0 all cases passed, 1 a case failed, 77 skipped (not root, or
sudo/pexpect/node missing).
"""

import argparse
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures", "idp")
AWS_FIXTURE = os.path.join(os.path.dirname(HERE), "fixtures", "aws")
AWS_ACCOUNT = "111122223333"
AWS_CACHE_NAME = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json"  # sha1("corp")
CODE_LINE = re.compile(r"and enter the code: (\S+)")
URL_LINE = re.compile(r"Open (\S+)")
ENTER_PROMPT = re.compile(r"Press Enter after you have approved \(q to cancel\): ")
RETRY_LINE = "Sorry, try again."  # sudo's badpass_message, printed before each new try
QR_BLOCKS = ("\u2580", "\u2584", "\u2588")  # the half blocks of qr = "utf8"
SCAN_QR = os.path.join(os.path.dirname(HERE), "scan_qr.py")
QR_COLORS = "\x1b[30;47m"  # black on white: the color modes' own sequence
FLOW_TIMEOUT = 60  # seconds for one sudo run; max_wait in the config is 45


def skip(reason):
    print(f"SKIP: e2e.sudo: {reason}")
    sys.exit(SKIP)


def log(text):
    print(text, flush=True)


class CaseFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


class IdP:
    """tests/fixtures/idp/server.js on 127.0.0.1; ends when we close its stdin."""

    def __init__(self, node):
        self.node = node
        self.process = subprocess.Popen(
            [node, os.path.join(FIXTURES, "server.js")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the test IdP did not start (node server.js printed nothing)")
        self.issuer = json.loads(line)["issuer"]

    def approve(self, url, code, login, password="test", deny=False):
        """Starts the browser side in the background; wait() it later."""
        argv = [self.node, os.path.join(FIXTURES, "approve.js"), "--url", url,
                "--user-code", code, "--login", login, "--password", password]
        if deny:
            argv.append("--deny")
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class FakeAws:
    """tests/fixtures/aws/fake_aws.js on 127.0.0.1; ends when we close its stdin."""

    def __init__(self, node):
        self.process = subprocess.Popen(
            [node, os.path.join(AWS_FIXTURE, "fake_aws.js")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the AWS fake did not start (node fake_aws.js printed nothing)")
        self.url = json.loads(line)["issuer"]

    def call(self, method, path, body=None, headers=None):
        import urllib.request
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def count(self, operation):
        return self.call("GET", "/_stats")["counts"].get(operation, 0)

    def stop(self):
        IdP.stop(self)


class Fixture:
    """The user, PAM service, sudoers drop-in and module config; cleans up all."""

    def __init__(self, module, idp, aws):
        self.module = module
        self.idp = idp
        self.aws = aws
        suffix = secrets.token_hex(4)
        self.user = f"dfsudo{suffix}"
        self.service = f"devflow-e2e-sudo-{suffix}"
        self.pam_file = f"/etc/pam.d/{self.service}"
        # No '.' in the name: sudo skips drop-ins whose names contain one.
        self.sudoers_file = f"/etc/sudoers.d/devflow-e2e-sudo-{suffix}"
        self.scratch = tempfile.mkdtemp(prefix="devflow-e2e-sudo-")  # root, 0700
        # The login helper (its own account) must pass through to state_dir.
        os.chmod(self.scratch, 0o711)
        self.config = os.path.join(self.scratch, "pam_device_flow.conf")
        self.state_dir = os.path.join(self.scratch, "state")
        self.created_user = False
        self.closed_port = closed_loopback_port()

    def set_up(self):
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", self.user], check=True)
        self.created_user = True
        self.write_config()
        self.write_sudoers()
        self.use_provider("plain")

    def write_config(self):
        common = (f'type = "oidc"\nissuer = "{self.idp.issuer}"\nclient_id = "bastion"\n'
                  'username_claim = "preferred_username"\n')
        text = (
            'prompt = "detect"\n'   # a local sudo must resolve to automatic polling
            'qr = "utf8"\n'
            'max_wait = 45\n'
            f'state_dir = "{self.state_dir}"\n'
            'reuse_window = 0\n'
            f'[providers.plain]\n{common}'
            f'[providers.mfa]\n{common}required_amr = ["mfa"]\n'
            f'[providers.reuse]\n{common}reuse_window = 120\n'
            f'[providers.short]\n{common}reuse_window = 3\n'
            f'[providers.recheck]\n{common}reuse_window = 120\n'
            # The IdP's client whose device codes expire after 5 s.
            f'[providers.expiring]\n{common.replace("bastion", "short-lived")}'
            # Nothing listens there: every login fails as "unavailable".
            f'[providers.down]\ntype = "oidc"\nissuer = "http://127.0.0.1:{self.closed_port}"\n'
            'client_id = "bastion"\nusername_claim = "preferred_username"\n'
            '[providers.aws]\ntype = "aws-sso"\n'
            'start_url = "https://d-1234567890.awsapps.com/start"\nregion = "us-east-1"\n'
            f'sso_session = "corp"\naccount_id = "{AWS_ACCOUNT}"\nrole_name = "ReadOnly"\n'
            f'oidc_endpoint = "{self.aws.url}"\nportal_endpoint = "{self.aws.url}"\n'
            f'sts_endpoint = "{self.aws.url}"\nreuse_window = 120\n')
        with open(self.config, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(self.config, 0o644)

    def use_provider(self, provider, *arguments):
        """(Re)writes the test service's stack with provider=NAME and `arguments`."""
        extra = "".join(" " + argument for argument in arguments)
        text = ("#%PAM-1.0\n"
                "# pam_device_flow e2e test (tests/e2e/test_sudo.py); removed after the test\n"
                f"auth    required {self.module} config={self.config} provider={provider}{extra}\n"
                "account include  common-account\n"
                "session required pam_permit.so\n")
        with open(self.pam_file + ".tmp", "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(self.pam_file + ".tmp", 0o644)
        os.rename(self.pam_file + ".tmp", self.pam_file)

    def write_sudoers(self):
        text = (f"# pam_device_flow e2e test (tests/e2e/test_sudo.py); removed after the test\n"
                f"Defaults:{self.user} pam_service={self.service}, timestamp_timeout=0, "
                "passwd_tries=3, lecture=never\n"
                f"{self.user} ALL=(ALL) ALL\n")
        candidate = os.path.join(self.scratch, "sudoers")
        with open(candidate, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(candidate, 0o440)
        checked = subprocess.run(["visudo", "-cf", candidate], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"visudo -cf refused the drop-in: {checked.stdout}{checked.stderr}")
        shutil.copyfile(candidate, self.sudoers_file + ".tmp")
        os.chmod(self.sudoers_file + ".tmp", 0o440)
        os.rename(self.sudoers_file + ".tmp", self.sudoers_file)

    def tear_down(self):
        problems = []
        for path in (self.sudoers_file, self.sudoers_file + ".tmp",
                     self.pam_file, self.pam_file + ".tmp"):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as error:
                problems.append(f"{path}: {error}")
        if self.created_user:
            # sudo runs with the user's real uid: -U as well as -u. userdel refuses
            # while a process of the user lives, so give the kill a moment.
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
        try:
            os.unlink(f"/run/sudo/ts/{self.user}")
        except OSError:
            pass
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


def closed_loopback_port():
    """A 127.0.0.1 port nothing listens on (bound once, then released)."""
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SudoRun:
    """One `sudo -S id -u` as the test user, on a pseudo-terminal."""

    def __init__(self, fixture):
        import pexpect  # checked in main()
        self.pexpect = pexpect
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"}
        self.child = pexpect.spawn(
            "runuser", ["-u", fixture.user, "--", "sudo", "-S", "id", "-u"],
            env=env, encoding="utf-8", timeout=FLOW_TIMEOUT, dimensions=(60, 200))
        self.seen = ""

    def expect_code(self, enter_prompt=False):
        """Waits for the code; returns (verification_uri, user_code). With
        `enter_prompt` the module was told prompt=enter: the code must be
        followed by its Enter prompt."""
        index = self.child.expect([CODE_LINE, self.pexpect.EOF, "Press Enter"])
        self._note_match()
        check(index != 2, "the module asked for Enter: prompt=detect chose 'enter' under sudo")
        check(index == 0, "sudo ended without showing a code:\n" + self.seen)
        code = self.child.match.group(1)
        url = URL_LINE.search(self.seen)
        check(url is not None, "no 'Open <url>' line before the code:\n" + self.seen)
        if enter_prompt:
            index = self.child.expect([ENTER_PROMPT, self.pexpect.EOF])
            self._note_match()
            check(index == 0, "no Enter prompt after the code:\n" + self.seen)
        return url.group(1), code

    def answer(self, text):
        self.child.sendline(text)

    def finish(self, max_codes=1):
        """Reads to the end; returns (exit status, everything printed). Fails
        as soon as sudo shows more than `max_codes` codes in all: a retry that
        starts another device flow (which would otherwise wait for max_wait)."""
        while True:
            index = self.child.expect([CODE_LINE, self.pexpect.EOF])
            self._note_match()
            if index == 1:
                break
            codes = len(CODE_LINE.findall(self.seen))
            check(codes <= max_codes,
                  f"sudo started device flow number {codes} (at most {max_codes} expected):\n" + self.seen)
        self.child.close()
        return self.child.exitstatus, self.seen

    def _note_match(self):
        self.seen += self.child.before + (self.child.after if isinstance(self.child.after, str) else "")

    def close(self):
        if self.child.isalive():
            self.child.close(force=True)


def printed_uid(output):
    """The line `id -u` printed, if any."""
    lines = [line.strip() for line in output.replace("\r", "").split("\n")]
    return [line for line in lines if re.fullmatch(r"\d+", line)]


VERBOSE = False


def run_sudo(fixture, approve=None, expect_code=True, answer=None, max_codes=1):
    """One sudo; `approve` is a dict for IdP.approve (login, password, deny);
    `answer` is typed at the module's Enter prompt (prompt=enter) after the
    browser is done."""
    run = SudoRun(fixture)
    try:
        browser = None
        if expect_code:
            url, code = run.expect_code(enter_prompt=answer is not None)
            if approve is not None:
                browser = fixture.idp.approve(url, code, **approve)
            if answer is not None:
                if browser is not None:
                    browser.wait(timeout=30)
                run.answer(answer)
        status, output = run.finish(max_codes=max_codes)
        if browser is not None:
            out, err = browser.communicate(timeout=30)
            check(browser.returncode == 0, f"approve.js failed: {out}{err}")
        if VERBOSE:
            log("---- sudo printed (status %s) ----\n%s----" % (status, output.replace("\r", "")))
        return status, output
    finally:
        run.close()


def approved_by(fixture, password="test"):
    return {"login": fixture.user, "password": password}


def expect_success(status, output, what):
    check(status == 0 and printed_uid(output) == ["0"],
          f"{what}: sudo should have run `id -u` as root (status {status}):\n{output}")


def expect_refusal(status, output, what):
    check(status != 0 and "0" not in printed_uid(output),
          f"{what}: sudo should have refused (status {status}):\n{output}")


def check_qr_scans(output, what):
    """The QR code in what sudo printed decodes to the complete link, drawn as a
    dark and as a light terminal shows it (tests/scan_qr.py, no inverted codes)."""
    text = output.replace("\r", "")
    link = re.search(r"^or open (\S+)$", text, re.MULTILINE)
    check(link is not None, f"{what}: no 'or open <link>' line in:\n{output}")
    message = text[:link.end()]
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as screen:
        screen.write(message)
        screen.flush()
        result = subprocess.run(["/usr/bin/python3", SCAN_QR, screen.name, "--expect", link.group(1)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log(f"  {what}, scanned: " + result.stdout.strip().replace("\n", "; "))
    check(result.returncode == 0, f"{what}: the QR code does not scan on both themes:\n{result.stdout}")


def expect_no_retry(output, what):
    """sudo (passwd_tries=3) took the module's answer as final: one code, and
    no "Sorry, try again." (run_sudo already failed on a second code)."""
    check(len(CODE_LINE.findall(output)) == 1, f"{what}: not exactly one code shown:\n{output}")
    check(RETRY_LINE not in output, f"{what}: sudo tried again:\n{output}")


# ---- cases ----

def case_approved_sudo_shows_code_and_qr(fixture):
    fixture.use_provider("plain")
    status, output = run_sudo(fixture, approve=approved_by(fixture))
    expect_success(status, output, "approved")
    check(any(block in output for block in QR_BLOCKS), "no UTF-8 QR code in:\n" + output)
    check(f"Log in as {fixture.user}" in output, "no 'Log in as USER' line in:\n" + output)
    check_qr_scans(output, "qr=utf8")
    check("\x1b" not in output, "an escape sequence reached the terminal without a color mode:\n" + output)
    # The module wrote the user's token cache as the user, even under sudo.
    cache = os.path.join(pwd.getpwnam(fixture.user).pw_dir, ".cache/pam_device_flow/plain.json")
    info = os.stat(cache)
    check(info.st_uid == pwd.getpwnam(fixture.user).pw_uid and (info.st_mode & 0o777) == 0o600,
          f"{cache}: owner {info.st_uid}, mode {oct(info.st_mode & 0o777)}")


def case_color_qr_reaches_the_terminal_and_scans(fixture):
    """qr=utf8-color (on the pam.d line): the one black-on-white code reaches
    sudo's terminal with its colors, and scans on both themes."""
    fixture.use_provider("plain", "qr=utf8-color")
    status, output = run_sudo(fixture, approve=approved_by(fixture))
    expect_success(status, output, "approved with qr=utf8-color")
    check(QR_COLORS in output, "the QR code's colors did not reach the terminal:\n" + output)
    check_qr_scans(output, "qr=utf8-color")


def case_denied_at_the_idp_fails(fixture):
    fixture.use_provider("plain")
    status, output = run_sudo(fixture, approve=dict(approved_by(fixture), deny=True))
    expect_refusal(status, output, "denied")
    # The reason reaches the user although sudo passes PAM_SILENT.
    check("The login was denied." in output, "no denial message in:\n" + output)
    expect_no_retry(output, "denied")


def case_required_amr_refuses_a_password_only_login(fixture):
    fixture.use_provider("mfa")
    status, output = run_sudo(fixture, approve=approved_by(fixture))
    expect_refusal(status, output, "password-only approval for an mfa provider")
    check("additional sign-in factors" in output, "no 'needs MFA' message in:\n" + output)
    expect_no_retry(output, "policy refusal")
    status, output = run_sudo(fixture, approve=approved_by(fixture, password="mfa"))
    expect_success(status, output, "mfa approval for an mfa provider")


def case_reuse_within_the_window_shows_no_code(fixture):
    fixture.use_provider("reuse")
    status, output = run_sudo(fixture, approve=approved_by(fixture))
    expect_success(status, output, "first sudo")
    status, output = run_sudo(fixture, expect_code=False)
    expect_success(status, output, "second sudo within reuse_window")
    check(not CODE_LINE.search(output) and "Open " not in output,
          "the second sudo showed a code although the approval is reusable:\n" + output)


def case_reuse_checks_the_current_providers_policy(fixture):
    # A password-only approval recorded by one sudo...
    fixture.use_provider("recheck")
    status, output = run_sudo(fixture, approve=approved_by(fixture))
    expect_success(status, output, "password-only approval")
    # ...is not reused when the same provider name now requires MFA (another
    # config, as an SSH and a sudo stack might have): a new code is shown.
    with open(fixture.config, encoding="utf-8") as source:
        text = source.read()
    with open(fixture.config, "w", encoding="utf-8") as out:
        out.write(text.replace("[providers.recheck]\n", "[providers.recheck]\nrequired_amr = [\"mfa\"]\n"))
    try:
        status, output = run_sudo(fixture, approve=approved_by(fixture, password="mfa"))
        expect_success(status, output, "mfa approval after a password-only one")
        check(CODE_LINE.search(output), "no new code shown")
    finally:
        fixture.write_config()


def case_zero_window_asks_every_time(fixture):
    fixture.use_provider("plain")  # reuse_window = 0
    for attempt in ("first", "second"):
        status, output = run_sudo(fixture, approve=approved_by(fixture))
        expect_success(status, output, f"{attempt} sudo with reuse_window = 0")
    check(not any(_is_approval(fixture, name, "plain") for name in os.listdir(fixture.state_dir)),
          "an approval was recorded with reuse_window = 0")


def case_after_the_window_a_code_is_shown_again(fixture):
    fixture.use_provider("short")  # reuse_window = 3
    status, output = run_sudo(fixture, approve=approved_by(fixture))
    expect_success(status, output, "first sudo")
    time.sleep(4)
    status, output = run_sudo(fixture, approve=approved_by(fixture))
    expect_success(status, output, "sudo after the window")
    check(CODE_LINE.search(output), "no code shown after the window ended:\n" + output)


def case_aws_sso_reuse_asks_aws_again(fixture):
    fixture.use_provider("aws")
    fixture.aws.call("POST", "/_scenario", {
        "autoApprove": fixture.user,
        "users": {fixture.user: {"assignments": [{"accountId": AWS_ACCOUNT, "roleName": "ReadOnly"}]}}})
    status, output = run_sudo(fixture)  # the fake approves the code as it is issued
    expect_success(status, output, "aws-sso sudo")
    account = pwd.getpwnam(fixture.user)
    cache = os.path.join(account.pw_dir, ".aws/sso/cache", AWS_CACHE_NAME)
    info = os.stat(cache)
    check(info.st_uid == account.pw_uid and (info.st_mode & 0o777) == 0o600,
          f"{cache}: owner {info.st_uid}, mode {oct(info.st_mode & 0o777)}")

    status, output = run_sudo(fixture, expect_code=False)
    expect_success(status, output, "second aws-sso sudo within reuse_window")
    check(not CODE_LINE.search(output), "the reuse showed a code:\n" + output)
    check(fixture.aws.count("deviceAuthorization") == 1 and fixture.aws.count("roleCredentials") == 2
          and fixture.aws.count("sts") == 2, "the reuse did not show the stored token to AWS again")

    # Signed out at AWS: the stored token is dead, so the next sudo asks again.
    with open(cache, encoding="utf-8") as source:
        token = json.load(source)["accessToken"]
    fixture.aws.call("POST", "/logout", headers={"x-amz-sso_bearer_token": token})
    status, output = run_sudo(fixture)
    expect_success(status, output, "aws-sso sudo after signing out")
    check(fixture.aws.count("deviceAuthorization") == 2, "no new device flow after signing out")


def case_q_ends_sudo_at_once(fixture):
    fixture.use_provider("plain", "prompt=enter")
    status, output = run_sudo(fixture, answer="q")
    expect_refusal(status, output, "cancelled with q")
    check("Login cancelled." in output, "no 'Login cancelled.' in:\n" + output)
    expect_no_retry(output, "cancelled with q")
    check(len(ENTER_PROMPT.findall(output)) == 1, "the Enter prompt came again after q:\n" + output)


def case_identity_mismatch_ends_sudo_at_once(fixture):
    fixture.use_provider("plain")
    status, output = run_sudo(fixture, approve={"login": "someone-else"})
    expect_refusal(status, output, "approved by another identity")
    check("This approval belongs to another account." in output, "no mismatch message in:\n" + output)
    expect_no_retry(output, "identity mismatch")


def case_unreachable_idp_is_retried(fixture):
    # A transient failure is not the person's answer: sudo asks again, up to
    # passwd_tries (3) times, and each try fails the same way here.
    fixture.use_provider("down")
    status, output = run_sudo(fixture, expect_code=False, max_codes=0)
    expect_refusal(status, output, "IdP unreachable")
    check(output.count(RETRY_LINE) == 2, "sudo did not try three times:\n" + output)
    check("3 incorrect password attempts" in output, "no 3 attempts reported:\n" + output)


def case_time_out_is_retried(fixture):
    # The code expired before anybody approved it: a new code on the next try
    # may still be approved, so sudo may ask again: three codes, then sudo
    # gives up.
    fixture.use_provider("expiring")
    status, output = run_sudo(fixture, max_codes=3)
    expect_refusal(status, output, "not approved in time")
    check(len(CODE_LINE.findall(output)) == 3, "not one code per try:\n" + output)
    check(output.count(RETRY_LINE) == 2, "sudo did not try three times:\n" + output)


def _is_approval(fixture, name, provider):
    """Whether state file `name` is the approval entry of (provider, user)."""
    try:
        with open(os.path.join(fixture.state_dir, name), encoding="utf-8") as entry:
            return json.load(entry).get("key") == f"approval:{provider}:{fixture.user}"
    except (OSError, ValueError):
        return False


CASES = [
    ("a: approved sudo shows code and QR", case_approved_sudo_shows_code_and_qr),
    ("a2: qr=utf8-color keeps its colors and scans", case_color_qr_reaches_the_terminal_and_scans),
    ("b: denial at the IdP fails sudo", case_denied_at_the_idp_fails),
    ("c: required_amr refuses pwd, accepts mfa", case_required_amr_refuses_a_password_only_login),
    ("d1: reuse within the window shows no code", case_reuse_within_the_window_shows_no_code),
    ("d2: reuse re-checks the provider's policy", case_reuse_checks_the_current_providers_policy),
    ("d3: reuse_window = 0 asks every time", case_zero_window_asks_every_time),
    ("d4: after the window a code is shown again", case_after_the_window_a_code_is_shown_again),
    ("e: aws-sso reuse asks AWS again, ends with the AWS session", case_aws_sso_reuse_asks_aws_again),
    ("f1: q ends sudo at once", case_q_ends_sudo_at_once),
    ("f2: identity mismatch ends sudo at once", case_identity_mismatch_ends_sudo_at_once),
    ("g1: IdP unreachable: sudo tries again", case_unreachable_idp_is_retried),
    ("g2: code expired unapproved: sudo tries again", case_time_out_is_retried),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--module", required=True, help="path of the built pam_device_flow.so")
    parser.add_argument("--node", default=shutil.which("node") or "node")
    parser.add_argument("--filter", default=os.environ.get("DEVFLOW_TEST_FILTER", ""),
                        help="run only cases whose name contains this text")
    parser.add_argument("--verbose", action="store_true", help="show what each sudo printed")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose

    if os.geteuid() != 0:
        skip("needs root (creates a user, /etc/pam.d and /etc/sudoers.d files)")
    for tool in ("sudo", "visudo", "useradd", "userdel", "runuser"):
        if shutil.which(tool, path="/usr/sbin:/usr/bin:/sbin:/bin") is None:
            skip(f"{tool} is not installed (bash tests/install_deps.sh)")
    try:
        import pexpect  # noqa: F401
    except ImportError:
        skip("python3-pexpect is not installed (bash tests/install_deps.sh)")
    if shutil.which(args.node) is None:
        skip("node is not installed")
    for fixture_dir in (FIXTURES, AWS_FIXTURE):
        if not os.path.isdir(os.path.join(fixture_dir, "node_modules")):
            skip(f"the npm packages of {fixture_dir} are missing (bash tests/install_deps.sh)")
    module = os.path.abspath(args.module)
    if not os.path.isfile(module):
        log(f"FAIL: e2e.sudo: no module at {module}")
        return 1

    selected = [(name, case) for name, case in CASES if args.filter in name]
    # A timeout (ctest sends SIGTERM) or ^C must still run the clean-up below.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: sys.exit(f"e2e.sudo: signal {number}, cleaning up"))
    idp = IdP(args.node)
    aws = FakeAws(args.node)
    fixture = Fixture(module, idp, aws)
    failures = 0
    failed_cases = 0
    try:
        fixture.set_up()
        log(f"e2e.sudo: user {fixture.user}, service {fixture.service}, IdP {idp.issuer}")
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
        idp.stop()
        aws.stop()
        if leftover:
            log(f"FAIL  cleanup left {', '.join(leftover)}")
            failures += 1
    log(f"e2e.sudo: {len(selected) - failed_cases} of {len(selected)} cases passed")
    return 1 if failures or failed_cases else 0


if __name__ == "__main__":
    sys.exit(main())
