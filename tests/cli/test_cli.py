#!/usr/bin/python3
"""pam-device-flow against the real IdP fixture (node-oidc-provider on loopback).

check (good config, typo, unreachable issuer), login --prompt auto approved by
approve.js, token from the cache, token after expiry (refresh grant). The
command runs under nss_wrapper with a passwd entry giving the caller's uid a
scratch home, so no real home directory is touched.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

FAILURES = []


def check(condition, what, detail=""):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        FAILURES.append(what)
        if detail:
            print("     " + detail.replace("\n", "\n     "))


class Idp:
    def __init__(self, node, fixtures):
        self.proc = subprocess.Popen([node, os.path.join(fixtures, "idp", "server.js")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.issuer = json.loads(line)["issuer"]

    def stop(self):
        self.proc.terminate()
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_code(login):
    """The verification URL and user code, read from stdout as they appear."""
    output = ""
    url = code = None
    for line in login.stdout:
        output += line
        if m := re.match(r"Open (\S+)", line):
            url = m.group(1)
        if m := re.match(r"and enter the code: (\S+)", line):
            code = m.group(1)
            break
    return url, code, output


def approve(args, url, code, user):
    if not (url and code):
        return False
    r = subprocess.run([args.node, os.path.join(args.fixtures, "idp", "approve.js"),
                        "--url", url, "--user-code", code, "--login", user],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
    return r.returncode == 0


def write_config(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--command", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--node", default="node")
    parser.add_argument("--nss-wrapper", default="/usr/lib/x86_64-linux-gnu/libnss_wrapper.so")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="devflow-cli-")
    os.chmod(scratch, 0o755)
    home = os.path.join(scratch, "home")
    os.mkdir(home, 0o700)
    user = "clitester"
    with open(os.path.join(scratch, "passwd"), "w") as f:
        f.write(f"{user}:x:{os.getuid()}:{os.getgid()}:CLI tester:{home}:/bin/sh\n")
    with open(os.path.join(scratch, "group"), "w") as f:
        f.write(f"{user}:x:{os.getgid()}:\n")
    env = dict(os.environ, LD_PRELOAD=args.nss_wrapper,
               NSS_WRAPPER_PASSWD=os.path.join(scratch, "passwd"),
               NSS_WRAPPER_GROUP=os.path.join(scratch, "group"), HOME=home)
    state_dir = os.path.join(scratch, "state")

    def run(*command_args, timeout=60):
        return subprocess.run([args.command, *command_args], env=env, capture_output=True,
                              text=True, timeout=timeout)

    idp = Idp(args.node, args.fixtures)
    try:
        good = os.path.join(scratch, "good.conf")
        write_config(good, f'''default_provider = "corp"
qr = "off"
max_wait = 60
state_dir = "{state_dir}"

[providers.corp]
type = "oidc"
issuer = "{idp.issuer}"
client_id = "bastion"
scopes = ["openid", "profile", "offline_access"]
''')
        r = run("check", "--config", good)
        check(r.returncode == 0 and "provider corp (oidc)" in r.stdout and "usable key" in r.stdout,
              "check: good config exits 0 and names the provider", r.stdout + r.stderr)

        typo = os.path.join(scratch, "typo.conf")
        write_config(typo, f'''[providers.corp]
type = "oidc"
isuser = "{idp.issuer}"
client_id = "bastion"
''')
        r = run("check", "--config", typo)
        check(r.returncode == 1 and re.search(re.escape(typo) + r":3:\d+", r.stderr) is not None,
              "check: a typo exits 1 with file:line", f"rc={r.returncode}\n" + r.stderr)

        down = os.path.join(scratch, "down.conf")
        write_config(down, f'''http_timeout = 3
[providers.gone]
type = "oidc"
issuer = "http://127.0.0.1:{free_port()}"
client_id = "bastion"
''')
        r = run("check", "--config", down)
        check(r.returncode == 2 and "gone" in r.stderr, "check: an unreachable issuer exits 2",
              f"rc={r.returncode}\n" + r.stdout + r.stderr)

        aws = os.path.join(scratch, "aws.conf")
        write_config(aws, f'''[providers.aws]
type = "aws-sso"
start_url = "https://d-1234567890.awsapps.com/start"
region = "us-east-1"
sso_session = "corp"
account_id = "111122223333"
role_name = "ReadOnly"
oidc_endpoint = "{idp.issuer}"
portal_endpoint = "{idp.issuer}"
sts_endpoint = "{idp.issuer}"
''')
        r = run("check", "--config", aws)
        check(r.returncode == 0 and "provider aws (aws-sso)" in r.stdout and "no API call" in r.stdout,
              "check: an aws-sso provider's reachable endpoints exit 0, saying what was checked",
              f"rc={r.returncode}\n" + r.stdout + r.stderr)
        r = run("token", "--config", aws)
        check(r.returncode == 1 and "AWS CLI" in r.stderr and r.stdout == "",
              "token: an aws-sso provider points to the AWS CLI's own cache", f"rc={r.returncode}\n" + r.stderr)

        r = run("check", "--nonsense")
        check(r.returncode == 64, "usage error exits 64", f"rc={r.returncode}")

        r = run("token", "--config", good)
        check(r.returncode == 3 and "no token cache" in r.stderr and r.stdout == "",
              "token: without a cache exits 3 and prints nothing on stdout", f"rc={r.returncode}\n" + r.stderr)

        # login with the Enter prompt, on stdin when there is no terminal
        # (start_new_session: no controlling terminal, so no /dev/tty)
        login = subprocess.Popen([args.command, "login", "--config", good, "--prompt", "enter"], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, start_new_session=True)
        url, code, output = read_code(login)
        approved = approve(args, url, code, user)
        rest, errors = login.communicate(input="\n", timeout=90)
        # Enter mode polls only after an answer: EOF would have been a cancel.
        check(approved and login.returncode == 0 and "Logged in as" in rest,
              "login --prompt enter: Enter on stdin after the approval logs in",
              f"rc={login.returncode}\n{output}{rest}\n{errors}")

        # login, approved by the browser-like script as soon as the code appears
        login = subprocess.Popen([args.command, "login", "--config", good, "--prompt", "auto"], env=env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, start_new_session=True)
        url, code, output = read_code(login)
        approved = approve(args, url, code, user)
        rest, errors = login.communicate(timeout=90)
        output += rest
        cache = os.path.join(home, ".cache", "pam_device_flow", "corp.json")
        check(approved, "login: approve.js approved the code", output)
        check(login.returncode == 0 and os.path.isfile(cache) and cache in output,
              "login --prompt auto exits 0 and names the cache it wrote",
              f"rc={login.returncode}\n{output}\n{errors}")
        if not os.path.isfile(cache):
            return
        with open(cache) as f:
            first = json.load(f)
        check(oct(os.stat(cache).st_mode & 0o777) == "0o600", "login: the cache is 0600")

        r = run("token", "--config", good)
        check(r.returncode == 0 and r.stdout == first["access_token"] + "\n",
              "token prints the cached access token, and only it", f"rc={r.returncode}\n{r.stderr}")

        first["expires_at"] = "2000-01-01T00:00:00Z"
        with open(cache, "w") as f:
            json.dump(first, f)
        os.chmod(cache, 0o600)
        r = run("token", "--config", good)
        with open(cache) as f:
            second = json.load(f)
        check(r.returncode == 0 and r.stdout.strip() != first["access_token"]
              and r.stdout == second["access_token"] + "\n",
              "token refreshes an expired access token and prints the new one",
              f"rc={r.returncode}\n{r.stderr}")
        check(second["expires_at"] > time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
              and second["refresh_token"] != "" and second["issuer"] == idp.issuer,
              "token: the rewritten cache has a future expires_at and a refresh token", json.dumps(
                  {k: v for k, v in second.items() if "token" not in k}))
        check(oct(os.stat(cache).st_mode & 0o777) == "0o600", "token: the rewritten cache is 0600")
        r = run("token", "--config", good)
        check(r.returncode == 0 and r.stdout == second["access_token"] + "\n",
              "token: a fresh cache is printed without refreshing")
    finally:
        idp.stop()
        subprocess.run(["rm", "-rf", scratch])

    print(f"{len(FAILURES)} failure(s)")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
