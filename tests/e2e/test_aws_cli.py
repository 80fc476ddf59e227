#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The real AWS CLI (Debian's awscli, /usr/bin/aws) uses what an aws-sso login
wrote.

A login runs through the built module with pamtester under pam_wrapper +
nss_wrapper (no /etc changes) against tests/fixtures/aws/fake_aws.js on
127.0.0.1; the "browser" approves through the fake's /_approve hook. Then, as
the test user, with HOME at the test home and AWS_DATA_PATH holding
endpoint-rule-set overrides that send sso, sso-oidc and sts to the fake:

  1. `aws sts get-caller-identity --profile corp` succeeds with the token
     cache and the ~/.aws/config sections the module wrote;
  2. with the cache's expiresAt moved to the near past, the CLI refreshes the
     token through the fake (CreateToken refresh_token grant) with the
     clientId/clientSecret/refreshToken we wrote, and rewrites the cache;
  3. `pam-device-flow token` reads the cache the CLI rewrote and prints its
     token without a refresh;
  4. expired again, `pam-device-flow token` refreshes it and rewrites the cache,
     and the CLI then works on that cache without refreshing.

Everything lives in one scratch directory, removed at the end; the real
~/.aws of the user running the test is checked to be untouched.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ACCOUNT = "111122223333"
START_URL = "https://d-1234567890.awsapps.com/start"
USER_CODE = "BCDF-GHJK"
CACHE_NAME = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json"  # sha1("corp")
USER = "alice"
AWS_SERVICES = {"sso": "2019-06-10", "sso-oidc": "2019-06-10", "sts": "2011-06-15"}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}")


class FakeAws:
    def __init__(self, node, script):
        self.process = subprocess.Popen([node, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        first = json.loads(self.process.stdout.readline())
        self.url = first["issuer"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"null")

    def stats(self):
        return self.call("GET", "/_stats")

    def stop(self):
        self.process.terminate()
        self.process.stdin.close()
        self.process.wait(timeout=10)


def endpoint_rule_set(url):
    # One rule: every request of the service goes to the fake.
    return {
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": False, "documentation": "The region",
                       "type": "String"},
        },
        "rules": [{"conditions": [], "endpoint": {"url": url, "properties": {}, "headers": {}},
                   "type": "endpoint"}],
    }


def helper_account_line(database):
    """As root, the login helper's account as the system has it (the module
    runs its network stage as _devflow), for nss_wrapper's files."""
    if os.geteuid() != 0:
        return ""
    return subprocess.run(["getent", database, "_devflow"], check=True, capture_output=True, text=True).stdout


def write_file(path, text, mode=0o644):
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, mode)


def real_aws_dir_state():
    path = os.path.expanduser("~/.aws")
    if not os.path.lexists(path):
        return None
    listing = []
    for root, dirs, files in os.walk(path):
        for name in sorted(dirs + files):
            full = os.path.join(root, name)
            listing.append((full, os.lstat(full).st_mtime_ns))
    return sorted(listing)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--module", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--pam-wrapper", required=True)
    parser.add_argument("--nss-wrapper", required=True)
    parser.add_argument("--pam-deny", required=True)
    args = parser.parse_args()
    for tool in ("/usr/bin/aws", "/usr/bin/pamtester"):
        if not os.access(tool, os.X_OK):
            print(f"SKIPPED: {tool} is not installed")
            return 77

    started = time.monotonic()
    real_aws_before = real_aws_dir_state()
    root = os.geteuid() == 0
    uid, gid = (47201, 47201) if root else (os.getuid(), os.getgid())
    scratch = tempfile.mkdtemp(prefix="devflow-e2e-aws-")
    fake = None
    try:
        os.chmod(scratch, 0o755)
        home = os.path.join(scratch, "home", USER)
        os.makedirs(home, mode=0o700)
        if root:
            os.chown(home, uid, gid)

        fake = FakeAws(args.node, os.path.join(args.fixtures, "aws", "fake_aws.js"))
        fake.call("POST", "/_scenario", {"userCode": USER_CODE, "startUrl": START_URL})

        # Accounts for nss_wrapper, the PAM service, the module's config.
        write_file(os.path.join(scratch, "passwd"),
                   f"{USER}:x:{uid}:{gid}:{USER}:{home}:/bin/sh\nroot:x:0:0:root:/root:/bin/sh\n"
                   + helper_account_line("passwd"))
        write_file(os.path.join(scratch, "group"), f"{USER}:x:{gid}:\nroot:x:0:\n" + helper_account_line("group"))
        services = os.path.join(scratch, "services")
        os.mkdir(services)
        config = os.path.join(scratch, "pam_device_flow.conf")
        write_file(os.path.join(services, "devflow_aws"), f"auth required {args.module} config={config}\n")
        write_file(os.path.join(services, "other"), f"auth required {args.pam_deny}\n")
        write_file(config, f"""default_provider = "aws"
prompt = "auto"
qr = "off"
max_wait = 60
state_dir = "{scratch}/state"

[providers.aws]
type = "aws-sso"
start_url = "{START_URL}"
region = "us-east-1"
sso_session = "corp"
account_id = "{ACCOUNT}"
role_name = "ReadOnly"
oidc_endpoint = "{fake.url}"
portal_endpoint = "{fake.url}"
sts_endpoint = "{fake.url}"
write_aws_config = true
""", 0o600)

        # The login: pamtester waits for the approval, which the browser
        # gives once the device authorization has started.
        pam_env = {
            "PATH": "/usr/bin:/bin",
            "LD_PRELOAD": f"{args.pam_wrapper}:{args.nss_wrapper}",
            "PAM_WRAPPER": "1",
            "PAM_WRAPPER_SERVICE_DIR": services,
            "NSS_WRAPPER_PASSWD": os.path.join(scratch, "passwd"),
            "NSS_WRAPPER_GROUP": os.path.join(scratch, "group"),
        }
        login_started = time.monotonic()
        pamtester = subprocess.Popen(["/usr/bin/pamtester", "devflow_aws", USER, "authenticate"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=pam_env, text=True)
        deadline = time.monotonic() + 30
        while fake.stats()["counts"].get("deviceAuthorization", 0) == 0:
            if time.monotonic() > deadline or pamtester.poll() is not None:
                fail(f"no device authorization started: {pamtester.communicate()[0]}")
            time.sleep(0.1)
        fake.call("POST", "/_approve", {"userCode": USER_CODE, "user": USER})
        output = pamtester.communicate(timeout=60)[0]
        check(pamtester.returncode == 0 and "successfully authenticated" in output,
              f"pamtester login through the module ({time.monotonic() - login_started:.1f} s)")

        cache_path = os.path.join(home, ".aws", "sso", "cache", CACHE_NAME)
        written = json.load(open(cache_path, encoding="utf-8"))
        check(os.stat(cache_path).st_uid == uid and os.stat(cache_path).st_mode & 0o777 == 0o600,
              "the token cache belongs to the user, mode 0600")
        aws_config = open(os.path.join(home, ".aws", "config"), encoding="utf-8").read()
        check("[sso-session corp]" in aws_config and "[profile corp]" in aws_config,
              "~/.aws/config has the sso-session and profile sections")

        # The AWS CLI, as the user, pointed at the fake.
        data_path = os.path.join(scratch, "aws-data")
        for service, version in AWS_SERVICES.items():
            directory = os.path.join(data_path, service, version)
            os.makedirs(directory)
            write_file(os.path.join(directory, "endpoint-rule-set-1.json"),
                       json.dumps(endpoint_rule_set(fake.url)))
        aws_env = {
            "PATH": "/usr/bin:/bin",
            "HOME": home,
            "AWS_CONFIG_FILE": os.path.join(home, ".aws", "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, ".aws", "credentials"),
            "AWS_DATA_PATH": data_path,
            "AWS_PAGER": "",
            "LANG": "C.UTF-8",
        }

        def as_user():
            if root:
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)

        def caller_identity():
            shutil.rmtree(os.path.join(home, ".aws", "cli", "cache"), ignore_errors=True)
            begun = time.monotonic()
            result = subprocess.run(["/usr/bin/aws", "sts", "get-caller-identity", "--profile", "corp",
                                     "--output", "json"], env=aws_env, preexec_fn=as_user,
                                    capture_output=True, text=True, timeout=120, cwd=home)
            if result.returncode != 0:
                fail(f"aws sts get-caller-identity: {result.returncode}: {result.stderr}")
            return json.loads(result.stdout), time.monotonic() - begun

        identity, took = caller_identity()
        check(identity["Account"] == ACCOUNT and identity["Arn"].endswith(f"/{USER}")
              and ":assumed-role/AWSReservedSSO_ReadOnly_" in identity["Arn"],
              f"aws sts get-caller-identity --profile corp names {identity['Arn']} ({took:.1f} s)")
        stats = fake.stats()
        check(stats["counts"].get("roleCredentials") == 2 and stats["counts"].get("sts") == 2
              and stats["counts"].get("refresh", 0) == 0,
              "the CLI used our access token at the portal (no refresh needed)")

        # Near-past expiry: the CLI must refresh with the fields we wrote.
        expired = dict(written)
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=30)
        expired["expiresAt"] = past.strftime("%Y-%m-%dT%H:%M:%SZ")
        with open(cache_path, "w", encoding="utf-8") as out:  # keeps owner and mode
            json.dump(expired, out)
        identity, took = caller_identity()
        check(identity["Arn"].endswith(f"/{USER}"), f"after expiry the CLI still works ({took:.1f} s)")
        stats = fake.stats()
        refresh_calls = stats["calls"].get("refresh", [])
        check(len(refresh_calls) == 1 and refresh_calls[0]["answer"] == "ok"
              and refresh_calls[0].get("user") == USER,
              "the CLI refreshed the token once through the fake (CreateToken refresh_token)")
        refreshed = json.load(open(cache_path, encoding="utf-8"))
        new_expiry = datetime.datetime.strptime(refreshed["expiresAt"].replace("UTC", "Z")[:19],
                                                "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        check(refreshed["accessToken"] != written["accessToken"]
              and refreshed["refreshToken"] != written["refreshToken"]
              and refreshed["clientId"] == written["clientId"]
              and new_expiry > datetime.datetime.now(datetime.timezone.utc),
              "the CLI rewrote the cache with the new token, same client")

        # pam-device-flow token, as the user, on the cache the CLI rewrote.
        user_config = os.path.join(scratch, "user.conf")  # the same, readable by the user
        write_file(user_config, open(config, encoding="utf-8").read(), 0o644)
        command_env = {
            "PATH": "/usr/bin:/bin",
            "LD_PRELOAD": args.nss_wrapper,
            "NSS_WRAPPER_PASSWD": os.path.join(scratch, "passwd"),
            "NSS_WRAPPER_GROUP": os.path.join(scratch, "group"),
        }

        def token():
            result = subprocess.run([args.command, "token", "--config", user_config, "--provider", "aws"],
                                    env=command_env, preexec_fn=as_user, capture_output=True, text=True,
                                    timeout=60, cwd=home)
            if result.returncode != 0:
                fail(f"pam-device-flow token: {result.returncode}: {result.stderr}")
            return result.stdout

        printed = token()
        check(printed == refreshed["accessToken"] + "\n" and len(fake.stats()["calls"].get("refresh", [])) == 1,
              "pam-device-flow token prints the token the CLI refreshed, without refreshing")

        # Expired again: our refresh, then the CLI on our rewrite.
        expired = json.load(open(cache_path, encoding="utf-8"))
        expired["expiresAt"] = past.strftime("%Y-%m-%dT%H:%M:%SZ")
        with open(cache_path, "w", encoding="utf-8") as out:
            json.dump(expired, out)
        printed = token()
        ours = json.load(open(cache_path, encoding="utf-8"))
        refresh_calls = fake.stats()["calls"].get("refresh", [])
        check(len(refresh_calls) == 2 and refresh_calls[1]["answer"] == "ok"
              and printed == ours["accessToken"] + "\n" and ours["accessToken"] != refreshed["accessToken"]
              and ours["refreshToken"] != refreshed["refreshToken"]
              and ours["clientId"] == written["clientId"]
              and os.stat(cache_path).st_uid == uid and os.stat(cache_path).st_mode & 0o777 == 0o600,
              "pam-device-flow token refreshed the expired token and rewrote the cache (0600, the user's)")
        identity, took = caller_identity()
        check(identity["Arn"].endswith(f"/{USER}") and len(fake.stats()["calls"].get("refresh", [])) == 2,
              f"the CLI works on the cache pam-device-flow rewrote, without refreshing ({took:.1f} s)")
    finally:
        if fake is not None:
            fake.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    check(real_aws_dir_state() == real_aws_before, "the real ~/.aws is untouched")
    check(not os.path.exists(scratch), "the scratch directory is gone")
    print(f"e2e.aws_cli passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
