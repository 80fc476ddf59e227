#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""pam_device_flow in a real OpenSSH server, driven by a real ssh client.

Needs root: it creates a test user and /etc/pam.d/<service>, and runs a
private sshd (its own config, host key and port on 127.0.0.1) under a symlink
whose name is the PAM service (sshd has no option to pick one). Everything it
creates is removed at the end, whatever happens. See tests/e2e/README.md.

    /usr/bin/python3 tests/e2e/test_sshd.py [--module PATH] [--node PATH] [-v] [Test.case ...]

Exit status: 0 all passed, 1 a case failed, 77 skipped (not root).
"""

import argparse
import grp
import os
import pwd
import re
import secrets
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(SOURCE, "tests", "fixtures", "idp")
SSHD = "/usr/sbin/sshd"
PROVIDER = "e2e"
# Well below LoginGraceTime (120 s): the login must never run into it.
LOGIN_BUDGET = 60

ENTER_PROMPT = r"Press Enter after you have approved \(q to cancel\): "
PENDING_PROMPT = r"Not approved yet\. " + ENTER_PROMPT
SCAN_QR = os.path.join(SOURCE, "tests", "scan_qr.py")
RAN_MARKER = ".devflow-e2e-ran"
REMOTE_COMMAND = f"echo devflow-ok && touch ~/{RAN_MARKER}"

OPTIONS = None  # parsed command line
FIXTURE = None  # the running world, built once for all cases


def run(*command, **kwargs):
    return subprocess.run(command, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kwargs).stdout


def scan_qr(text, link):
    """tests/scan_qr.py on `text`: (exit status, report). 0: the QR code in it
    decodes to `link` drawn as a dark and as a light terminal shows it."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as screen:
        screen.write(text)
        screen.flush()
        result = subprocess.run(["/usr/bin/python3", SCAN_QR, screen.name, "--expect", link],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return result.returncode, result.stdout


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SyslogCatcher:
    """Collects the module's pam_syslog lines when the machine has no syslog.

    Only when /dev/log does not exist: it is then bound here and unlinked at
    the end (only if it is still this socket)."""

    def __init__(self):
        self.lines = []
        self.sock = None
        self.inode = None
        self.stopping = threading.Event()
        self.thread = None
        if os.path.exists("/dev/log"):
            return
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("/dev/log")
        self.inode = os.stat("/dev/log").st_ino
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()

    def _collect(self):
        while not self.stopping.is_set():
            ready, _, _ = select.select([self.sock], [], [], 0.2)
            if ready:
                data = self.sock.recv(65536)
                self.lines.append(data.decode("utf-8", "replace").rstrip("\n\0"))

    def module_lines(self, service, since=0):
        """The module's lines for this service (other programs may log too)."""
        tag = f"pam_device_flow({service}:"
        return [line for line in self.lines[since:] if tag in line]

    def close(self):
        if self.sock is None:
            return
        self.stopping.set()
        self.thread.join()
        self.sock.close()
        self.sock = None
        try:
            if os.stat("/dev/log").st_ino == self.inode:
                os.unlink("/dev/log")
        except FileNotFoundError:
            pass


class Cleanup:
    """Undo actions, run last-in first-out, each one even if another failed."""

    def __init__(self):
        self.actions = []

    def push(self, description, action):
        self.actions.append((description, action))

    def run(self):
        while self.actions:
            description, action = self.actions.pop()
            try:
                action()
            except Exception as error:  # keep cleaning up
                print(f"cleanup: {description} failed: {error}", file=sys.stderr)


class Fixture:
    """The IdP, the test user, the PAM service and two private sshd servers."""

    def __init__(self, module, node):
        self.module = module
        self.node = node
        self.cleanup = Cleanup()
        self.syslog = None

    def start(self):
        tag = secrets.token_hex(3)
        self.tmp = tempfile.mkdtemp(prefix="devflow-e2e-")
        self.cleanup.push("remove " + self.tmp, lambda: shutil.rmtree(self.tmp, ignore_errors=True))

        self.syslog = SyslogCatcher()
        self.cleanup.push("close the syslog catcher", self.syslog.close)

        self._start_idp()
        self._create_user("devflow-e2e-" + tag)
        self.service = "sshd-devflow-e2e-" + tag
        self._write_config()
        self._write_pam_service()
        self._prepare_sshd()
        # Device flow alone; and the bastion setup: key first, then the device flow.
        self.sshd = Sshd(self, "kbd", "keyboard-interactive")
        self.bastion = Sshd(self, "bastion", "publickey,keyboard-interactive")
        for server in (self.sshd, self.bastion):
            server.start()
            self.cleanup.push("stop sshd " + server.name, server.stop)

    def stop(self):
        self.cleanup.run()

    # -- the identity provider ------------------------------------------------

    def _start_idp(self):
        self.idp_log = open(os.path.join(self.tmp, "idp.log"), "w")
        self.idp = subprocess.Popen([self.node, os.path.join(FIXTURES, "server.js")],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=self.idp_log, text=True)
        self.cleanup.push("stop the IdP", self._stop_idp)
        ready, _, _ = select.select([self.idp.stdout], [], [], 30)
        line = self.idp.stdout.readline() if ready else ""
        match = re.search(r'"issuer":"([^"]+)"', line)
        if not match:
            raise RuntimeError(f"the IdP did not start: {line!r}")
        self.issuer = match.group(1)

    def _stop_idp(self):
        self.idp.terminate()
        try:
            self.idp.wait(10)
        except subprocess.TimeoutExpired:
            self.idp.kill()
            self.idp.wait()
        self.idp_log.close()

    # -- the test user ---------------------------------------------------------

    def _create_user(self, name):
        run("useradd", "--create-home", "--shell", "/bin/sh", name)
        self.cleanup.push("remove user " + name, lambda: self._remove_user(name))
        self.user = name
        account = pwd.getpwnam(name)
        self.uid, self.gid, self.home = account.pw_uid, account.pw_gid, account.pw_dir

        self.key = os.path.join(self.tmp, "user_key")
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", self.key)
        ssh_dir = os.path.join(self.home, ".ssh")
        os.mkdir(ssh_dir, 0o700)
        shutil.copy(self.key + ".pub", os.path.join(ssh_dir, "authorized_keys"))
        os.chmod(os.path.join(ssh_dir, "authorized_keys"), 0o600)
        for path in (ssh_dir, os.path.join(ssh_dir, "authorized_keys")):
            os.chown(path, self.uid, self.gid)

    def _remove_user(self, name):
        uid = pwd.getpwnam(name).pw_uid
        # Sessions of this user were started by these tests; end them by pid.
        deadline = time.monotonic() + 5
        while True:
            pids = user_processes(uid)
            if not pids or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        run("userdel", "--remove", "--force", name)
        try:
            grp.getgrnam(name)
            run("groupdel", name)
        except KeyError:
            pass

    # -- configuration files ---------------------------------------------------

    def _write_config(self):
        self.config = os.path.join(self.tmp, "pam_device_flow.conf")
        write_file(self.config, 0o600, f"""\
default_provider = "{PROVIDER}"
qr = "utf8"
prompt = "detect"
max_wait = 60
http_timeout = 5
state_dir = "{self.tmp}/state"

[providers.{PROVIDER}]
type = "oidc"
issuer = "{self.issuer}"
client_id = "bastion"
scopes = ["openid", "profile", "email", "offline_access"]
username_claim = "preferred_username"
""")

    def _write_pam_service(self):
        # Debian's /etc/pam.d/sshd minus what a test login does not need: the
        # device flow instead of common-auth; pam_unix for account and session.
        self.pam_file = os.path.join("/etc/pam.d", self.service)
        arguments = f"config={self.config}" + (" debug" if OPTIONS.debug else "")
        write_file(self.pam_file, 0o644, f"""\
# Written by pam_device_flow's tests/e2e/test_sshd.py; removed when it ends.
auth     required  {self.module} {arguments}
account  required  pam_nologin.so
account  required  pam_unix.so
session  required  pam_unix.so
""", exclusive=True)
        self.cleanup.push("remove " + self.pam_file, lambda: os.unlink(self.pam_file))

    def _prepare_sshd(self):
        # sshd takes its PAM service from its program name (DESIGN §6).
        self.sshd_link = os.path.join(self.tmp, self.service)
        os.symlink(SSHD, self.sshd_link)
        self.host_key = os.path.join(self.tmp, "host_key")
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", self.host_key)
        # The privilege separation directory.
        if not os.path.isdir("/run/sshd"):
            os.mkdir("/run/sshd", 0o755)
            self.cleanup.push("remove /run/sshd", lambda: os.rmdir("/run/sshd"))


class Sshd:
    def __init__(self, fixture, name, methods):
        self.fixture = fixture
        self.name = name
        self.methods = methods
        self.port = free_port()
        self.config = os.path.join(fixture.tmp, f"sshd_config.{name}")
        self.log_path = os.path.join(fixture.tmp, f"sshd.{name}.log")
        self.process = None

    def start(self):
        f = self.fixture
        write_file(self.config, 0o600, f"""\
ListenAddress 127.0.0.1
Port {self.port}
HostKey {f.host_key}
PidFile {f.tmp}/sshd.{self.name}.pid
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
PubkeyAuthentication yes
AuthenticationMethods {self.methods}
AuthorizedKeysFile .ssh/authorized_keys
LoginGraceTime 120
AllowUsers {f.user}
PrintMotd no
PrintLastLog no
X11Forwarding no
LogLevel VERBOSE
""")
        run(f.sshd_link, "-t", "-f", self.config)
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([f.sshd_link, "-D", "-e", "-f", self.config],
                                        stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 15
        while "Server listening" not in read_file(self.log_path):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("sshd did not start:\n" + read_file(self.log_path))
            time.sleep(0.1)

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def write_file(path, mode, text, exclusive=False):
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, mode)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.chmod(path, mode)


def read_file(path):
    with open(path, errors="replace") as source:
        return source.read()


def user_processes(uid):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat("/proc/" + entry).st_uid == uid:
                    pids.append(int(entry))
            except FileNotFoundError:
                pass
    return pids


# -- the person at the ssh client ---------------------------------------------

class Login:
    """One ssh session under pexpect, as a person at a UTF-8 terminal."""

    def __init__(self, server, with_key=False):
        import pexpect
        self.pexpect = pexpect
        f = server.fixture
        methods = "publickey,keyboard-interactive" if with_key else "keyboard-interactive"
        identity = ["-o", "IdentityFile=" + f.key] if with_key else ["-o", "IdentityFile=none"]
        command = ["-F", "/dev/null",
                   "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                   # ssh's default level: it shows the module's failure
                   # message (sshd sends it as a kbd-interactive instruction,
                   # printed at INFO), as a user sees it.
                   "-o", "LogLevel=INFO", "-o", "BatchMode=no",
                   "-o", "PreferredAuthentications=" + methods,
                   "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", *identity,
                   # One keyboard-interactive round: a refused login must not
                   # start a second device flow.
                   "-o", "NumberOfPasswordPrompts=1",
                   "-p", str(server.port), f"{f.user}@127.0.0.1", REMOTE_COMMAND]
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
        env.update(LANG="C.UTF-8", TERM="dumb")
        env.pop("SSH_AUTH_SOCK", None)
        self.fixture = f
        self.started = time.monotonic()
        self.syslog_mark = len(f.syslog.lines)
        self.child = pexpect.spawn("/usr/bin/ssh", command, env=env, encoding="utf-8",
                                   codec_errors="replace", timeout=30, dimensions=(200, 200))
        self.transcript = []
        self.child.logfile_read = _Collector(self.transcript)

    def output(self):
        return "".join(self.transcript)

    def wait_prompt(self, pattern=ENTER_PROMPT):
        self.child.expect(pattern)
        return self.child.before

    def shown_code(self, text):
        url = re.search(r"Open (\S+)", text)
        code = re.search(r"enter the code: (\S+)", text)
        if not (url and code):
            raise AssertionError("no URL and code in the ssh output:\n" + text)
        return url.group(1), code.group(1)

    def approve(self, text, login=None, deny=False):
        url, code = self.shown_code(text)
        command = [self.fixture.node, os.path.join(FIXTURES, "approve.js"),
                   "--url", url, "--user-code", code]
        command += ["--deny"] if deny else ["--login", login or self.fixture.user]
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, timeout=60)
        if result.returncode != 0:
            raise AssertionError(f"approve.js failed: {result.stdout}")
        return result.stdout.strip()

    def answer(self, text=""):
        self.child.sendline(text)

    def finish(self):
        """Waits for ssh to exit; returns its exit status."""
        self.child.expect(self.pexpect.EOF, timeout=LOGIN_BUDGET)
        self.child.close()
        self.elapsed = time.monotonic() - self.started
        return self.child.exitstatus if self.child.exitstatus is not None else -self.child.signalstatus

    def close(self):
        if self.child.isalive():
            self.child.close(force=True)

    def syslog(self):
        return self.fixture.syslog.module_lines(self.fixture.service, self.syslog_mark)


class _Collector:
    def __init__(self, sink):
        self.sink = sink

    def write(self, data):
        self.sink.append(data)

    def flush(self):
        pass


# -- the cases -----------------------------------------------------------------

class SshdCase(unittest.TestCase):
    server_name = "sshd"

    def setUp(self):
        self.server = getattr(FIXTURE, self.server_name)
        self.marker = os.path.join(FIXTURE.home, RAN_MARKER)
        if os.path.lexists(self.marker):
            os.unlink(self.marker)
        self.sessions = []

    def tearDown(self):
        for session in self.sessions:
            session.close()
        failed = not getattr(self._outcome, "success", True)
        if OPTIONS.verbose or failed:
            for session in self.sessions:
                print(f"\n--- ssh transcript ({self.id()}) ---\n{session.output()}"
                      f"\n--- module syslog ---\n" + "\n".join(session.syslog()), file=sys.stderr)

    def login(self, with_key=False):
        session = Login(self.server, with_key)
        self.sessions.append(session)
        return session

    def approved_login(self, session):
        """The happy path: read the code, approve, press Enter, exit status."""
        shown = session.wait_prompt()
        session.approve(shown)
        session.answer()
        return session.finish()


class DeviceFlowOverSsh(SshdCase):

    def test_a_code_url_and_qr_are_shown_before_approval_then_login_runs_the_command(self):
        session = self.login()
        shown = session.wait_prompt()
        # What the person sees before approving anything.
        url, code = session.shown_code(shown)
        self.assertTrue(url.startswith(FIXTURE.issuer + "/device"), url)
        self.assertRegex(code, r"^[A-Z]{4}-[A-Z]{4}$")
        self.assertRegex(shown, "[\u2580\u2584\u2588]{3}")  # half-block QR rows
        # The screen as ssh shows it, from its "(user@host)" line to the prompt
        # (the last line): the QR code, then who logs in where, the URL and the
        # code, and the complete link nearest the prompt; 24 lines at most; the
        # code scans on a dark and on a light terminal.
        screen = shown.replace("\r", "")
        screen = screen[screen.rfind(f"({FIXTURE.user}@127.0.0.1)"):]
        lines = screen.split("\n")
        self.assertLessEqual(len(lines), 24, screen)
        login_line = next(i for i, line in enumerate(lines) if line.startswith("Log in as "))
        self.assertRegex(lines[login_line], f"^Log in as {FIXTURE.user} on ")
        self.assertRegex(lines[1], "[\u2580\u2584\u2588]")
        self.assertTrue(lines[login_line + 1].startswith("Open " + url), screen)
        link = re.fullmatch(r"or open (\S+)", lines[login_line + 2])
        self.assertIsNotNone(link, screen)
        self.assertEqual((login_line + 3, lines[-1]), (len(lines) - 1, ""), screen)  # then the prompt
        status, report = scan_qr(screen, link.group(1))
        print(f"\n    what ssh showed ({len(lines)} lines with the prompt), scanned:\n    "
              + report.strip().replace("\n", "\n    "), file=sys.stderr)
        self.assertEqual(status, 0, report)
        self.assertEqual(session.approve(shown), "approved")
        session.answer()
        session.child.expect("devflow-ok")
        self.assertEqual(session.finish(), 0)

    def test_b_enter_before_approval_prompts_again(self):
        session = self.login()
        shown = session.wait_prompt()
        session.answer()
        session.wait_prompt(PENDING_PROMPT)
        session.approve(shown)
        session.answer()
        status = session.finish()
        self.assertEqual((status, "devflow-ok" in session.output()), (0, True))

    def test_c_approval_by_another_identity_is_refused(self):
        session = self.login()
        shown = session.wait_prompt()
        session.approve(shown, login="mallory-" + secrets.token_hex(2))
        session.answer()
        status = session.finish()
        ran = "devflow-ok" in session.output() or os.path.exists(self.marker)
        self.assertEqual((status, ran), (255, False), session.output())

    def test_d_q_cancels(self):
        session = self.login()
        session.wait_prompt()
        session.answer("q")
        status = session.finish()
        ran = "devflow-ok" in session.output() or os.path.exists(self.marker)
        self.assertEqual((status, ran), (255, False), session.output())

    def test_e_login_finishes_well_within_login_grace_time(self):
        session = self.login()
        shown = session.wait_prompt()
        prompted = time.monotonic()
        session.approve(shown)
        approved = time.monotonic()
        session.answer()
        status = session.finish()
        print(f"\n    login took {session.elapsed:.1f} s: code shown after "
              f"{prompted - session.started:.1f} s, approval (approve.js) "
              f"{approved - prompted:.1f} s, Enter to exit {session.elapsed - (approved - session.started):.1f} s",
              file=sys.stderr)
        self.assertEqual((status, session.elapsed < LOGIN_BUDGET), (0, True))

    def test_g_token_cache_is_written_as_the_user(self):
        cache_dir = os.path.join(FIXTURE.home, ".cache", "pam_device_flow")
        shutil.rmtree(os.path.join(FIXTURE.home, ".cache"), ignore_errors=True)
        session = self.login()
        self.assertEqual(self.approved_login(session), 0)
        info = os.lstat(os.path.join(cache_dir, PROVIDER + ".json"))
        self.assertEqual((stat.S_ISREG(info.st_mode), info.st_uid, stat.S_IMODE(info.st_mode)),
                         (True, FIXTURE.uid, 0o600))


class BastionOverSsh(SshdCase):
    """AuthenticationMethods publickey,keyboard-interactive."""
    server_name = "bastion"

    def test_f1_with_the_key_the_device_flow_runs_and_logs_in(self):
        session = self.login(with_key=True)
        status = self.approved_login(session)
        self.assertEqual((status, "devflow-ok" in session.output()), (0, True))

    def test_f2_without_the_key_ssh_is_refused_before_any_code_is_shown(self):
        session = self.login(with_key=False)
        status = session.finish()
        shown = "enter the code" in session.output() or "Open " in session.output()
        self.assertEqual((status, shown), (255, False), session.output())


# -- the runner ----------------------------------------------------------------

def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_module = os.path.join(SOURCE, "build", "pam_device_flow.so")
    parser.add_argument("--module", default=default_module,
                        help="the pam_device_flow.so to test (default: %(default)s)")
    parser.add_argument("--node", default=shutil.which("node") or "node")
    parser.add_argument("--debug", action="store_true", help="add 'debug' to the module line")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print every ssh transcript and the module's syslog lines")
    parser.add_argument("cases", nargs="*", help="e.g. DeviceFlowOverSsh.test_d_q_cancels")
    return parser.parse_args()


def main():
    global OPTIONS, FIXTURE
    OPTIONS = parse_arguments()
    if os.geteuid() != 0:
        print("e2e.sshd: SKIPPED: needs root (creates a user, /etc/pam.d/<service> and runs sshd)")
        return SKIP
    try:
        import pexpect  # noqa: F401
    except ImportError:
        print("e2e.sshd: python3-pexpect is missing: run tests/install_deps.sh", file=sys.stderr)
        return 1
    if not os.access(SSHD, os.X_OK):
        print(f"e2e.sshd: {SSHD} is missing: run tests/install_deps.sh", file=sys.stderr)
        return 1
    module = os.path.abspath(OPTIONS.module)
    if not os.path.isfile(module):
        print(f"e2e.sshd: no module at {module}", file=sys.stderr)
        return 1

    # ctest's timeout and ^C: clean up on the way out.
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)

    loader = unittest.TestLoader()
    module_self = sys.modules[__name__]
    suite = (loader.loadTestsFromNames(OPTIONS.cases, module_self) if OPTIONS.cases
             else loader.loadTestsFromModule(module_self))

    FIXTURE = Fixture(module, OPTIONS.node)
    try:
        FIXTURE.start()
        print(f"e2e.sshd: user {FIXTURE.user}, service {FIXTURE.service}, "
              f"sshd on 127.0.0.1:{FIXTURE.sshd.port} and :{FIXTURE.bastion.port} (bastion), "
              f"IdP {FIXTURE.issuer}")
        started = time.monotonic()
        result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
        failed = len(result.failures) + len(result.errors)
        passed = result.testsRun - failed - len(result.skipped)
        print(f"{passed} passed, {failed} failed ({time.monotonic() - started:.0f} s)")
        if failed or OPTIONS.verbose:
            for name, server in (("sshd", FIXTURE.sshd), ("bastion", FIXTURE.bastion)):
                print(f"--- sshd log ({name}) ---\n{read_file(server.log_path)}", file=sys.stderr)
            print("--- module syslog ---\n" + "\n".join(FIXTURE.syslog.module_lines(FIXTURE.service)),
                  file=sys.stderr)
        return 0 if failed == 0 and result.testsRun > 0 else 1
    finally:
        FIXTURE.stop()


if __name__ == "__main__":
    sys.exit(main())
