#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""pam-device-flow against the real IdP fixture (node-oidc-provider on loopback)
and the loopback AWS fake (tests/fixtures/aws/fake_aws.js).

check (good config, typo, unreachable issuer), login --prompt auto approved by
approve.js, token from the cache, token after expiry (refresh grant). For an
aws-sso provider: login --prompt auto writes the AWS CLI's own token cache,
token prints it, refreshes an expired one through sso-oidc CreateToken and
rewrites the cache, and refuses (without touching the file) a missing, foreign,
unsafe or unrefreshable one. Against the scripted fake IdP: a hostile discovery
issuer (check), a hostile sub (login --debug) and a tampered cache's issuer
(token) reach stdout and stderr quoted, and a refresh refused with HTTP 400 or
401 without a JSON error exits 3 (a 500 exits 2); private_key_jwt in check,
login and token's refresh; and check's quirks row against the fake's IdP
profiles (issue #11 item 6). The command runs under nss_wrapper with a passwd entry giving
the caller's uid a scratch home, so no real home directory is touched.
"""
import argparse
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

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


class FakeAws:
    def __init__(self, node, fixtures):
        self.proc = subprocess.Popen([node, os.path.join(fixtures, "aws", "fake_aws.js")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.issuer = json.loads(line)["issuer"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.issuer + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"null")

    def counts(self):
        return self.call("GET", "/_stats")["counts"]

    def stop(self):
        self.proc.terminate()
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


class ScriptedIdp:
    """tests/fixtures/scripted_idp.js: a fake IdP that sends what it is told to."""

    def __init__(self, node, fixtures, scenario_file=None):
        command = [node, os.path.join(fixtures, "scripted_idp.js")]
        if scenario_file:
            command += ["--scenario", scenario_file]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.issuer = json.loads(self.proc.stdout.readline())["issuer"]

    def scenario(self, scenario):
        request = urllib.request.Request(self.issuer + "/_scenario", data=json.dumps(scenario).encode(),
                                         method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()

    def stats(self):
        with urllib.request.urlopen(self.issuer + "/_stats", timeout=10) as answer:
            return json.loads(answer.read())

    def stop(self):
        self.proc.terminate()
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


# The audit's hostile value (issue 8): a window title, a clear screen, a
# newline that starts a forged log line, a carriage return, a C1 CSI, bidi marks.
HOSTILE = "x\x1b]0;TITLE\x07\x1b[2J\nNov  1 evil: fake line\r\u009b31m\u200f\u202e"


def raw_controls(text):
    """The C0 controls other than newline, DEL and C1 controls in `text`."""
    return sorted({hex(ord(c)) for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f})


def forged_lines(text, prefix="pam-device-flow: "):
    """Lines of stderr that the command did not start: a raw newline's work."""
    return [line for line in text.splitlines() if not line.startswith(prefix)]


def hostile_cases(run, scratch, home, scripted):
    """Strings a hostile IdP (or a tampered cache) sends reach stderr and
    stdout quoted: no escape sequence acts, no newline forges a line."""
    config = os.path.join(scratch, "hostile.conf")
    write_config(config, f'''qr = "off"
max_wait = 60
state_dir = "{os.path.join(scratch, "hostile-state")}"

[providers.evil]
type = "oidc"
issuer = "{scripted.issuer}"
client_id = "bastion"
''')
    quoted_start = "\"x\\x1b]0;TITLE\\x07\\x1b[2J\\x0aNov  1 evil: fake line\\x0d"

    scripted.scenario({"hostile": {"discovery_issuer": HOSTILE}})
    r = run("check", "--config", config)
    check(r.returncode == 2 and quoted_start in r.stderr,
          "check: a hostile discovery issuer exits 2 and is shown quoted, \\xNN escaped",
          f"rc={r.returncode}\nstdout={r.stdout!r}\nstderr={r.stderr!r}")
    check(not raw_controls(r.stderr) and not forged_lines(r.stderr),
          "check: a hostile discovery issuer puts no raw control byte and no forged line on stderr",
          f"controls={raw_controls(r.stderr)}\nforged={forged_lines(r.stderr)!r}\nstderr={r.stderr!r}")
    check(not raw_controls(r.stdout) and quoted_start in r.stdout,
          "check: a hostile discovery issuer puts no raw control byte on stdout", f"stdout={r.stdout!r}")

    # The whole login with a hostile sub: the success line (--debug) quotes it.
    scripted.scenario({"final": "success", "claims": {"preferred_username": "clitester", "sub": HOSTILE}})
    r = run("login", "--config", config, "--prompt", "auto", "--debug", timeout=90,
            stdin=subprocess.DEVNULL, start_new_session=True)
    check(r.returncode == 0 and "(sub " + quoted_start in r.stderr,
          "login: a hostile sub is logged quoted in the success line",
          f"rc={r.returncode}\nstdout={r.stdout!r}\nstderr={r.stderr!r}")
    check(not raw_controls(r.stderr) and not forged_lines(r.stderr),
          "login: a hostile sub puts no raw control byte and no forged line on stderr",
          f"controls={raw_controls(r.stderr)}\nforged={forged_lines(r.stderr)!r}")

    # The user's own cache, edited: its issuer is shown quoted, not raw.
    cache_dir = os.path.join(home, ".cache", "pam_device_flow")
    os.makedirs(cache_dir, mode=0o700, exist_ok=True)
    cache = os.path.join(cache_dir, "evil.json")
    with open(cache, "w", encoding="utf-8") as f:
        json.dump({"issuer": HOSTILE, "client_id": "bastion", "access_token": "at-hostile",
                   "expires_at": "2030-01-01T00:00:00Z"}, f)
    os.chmod(cache, 0o600)
    r = run("token", "--config", config)
    check(r.returncode == 3 and r.stdout == "" and quoted_start in r.stderr,
          "token: a cache naming a hostile issuer exits 3 and shows it quoted",
          f"rc={r.returncode}\nstdout={r.stdout!r}\nstderr={r.stderr!r}")
    check(not raw_controls(r.stderr) and not forged_lines(r.stderr),
          "token: a hostile cached issuer puts no raw control byte and no forged line on stderr",
          f"controls={raw_controls(r.stderr)}\nforged={forged_lines(r.stderr)!r}")

    # token prints the cached access token for scripts: one that is not
    # printable ASCII (RFC 6750 allows far less) would act on the terminal.
    with open(cache, "w", encoding="utf-8") as f:
        json.dump({"issuer": scripted.issuer, "client_id": "bastion", "access_token": "at-" + HOSTILE,
                   "expires_at": "2030-01-01T00:00:00Z"}, f)
    os.chmod(cache, 0o600)
    r = run("token", "--config", config)
    check(r.returncode == 4 and r.stdout == "" and not raw_controls(r.stderr) and not forged_lines(r.stderr),
          "token: a cached access token with control bytes is not printed, exits 4",
          f"rc={r.returncode}\nstdout={r.stdout!r}\nstderr={r.stderr!r}")
    os.remove(cache)


def refused_refresh_cases(run, scratch, home, scripted):
    """token: a refresh the token endpoint answers with 400 or 401 and no JSON
    error (an empty or HTML body) is refused: exit 3, log in again; a 500 is
    the IdP's trouble: exit 2. The cache stays as it was either way."""
    config = os.path.join(scratch, "refresh.conf")
    write_config(config, f'''qr = "off"

[providers.refused]
type = "oidc"
issuer = "{scripted.issuer}"
client_id = "bastion"
''')
    cache_dir = os.path.join(home, ".cache", "pam_device_flow")
    os.makedirs(cache_dir, mode=0o700, exist_ok=True)
    cache = os.path.join(cache_dir, "refused.json")
    expired = json.dumps({"issuer": scripted.issuer, "client_id": "bastion", "access_token": "at-expired",
                          "refresh_token": "rt-revoked", "id_token": "", "token_type": "Bearer",
                          "scope": "openid", "expires_at": "2000-01-01T00:00:00Z"})
    html = "<html><body><h1>400 Bad Request</h1></body></html>"
    for status, body, content_type, exit_status, what in (
            (400, "", "application/json", 3, "400 with an empty body"),
            (401, "", "application/json", 3, "401 with an empty body"),
            (400, html, "text/html", 3, "400 with an HTML body"),
            (500, "", "application/json", 2, "500 with an empty body")):
        with open(cache, "w", encoding="utf-8") as f:
            f.write(expired)
        os.chmod(cache, 0o600)
        scripted.scenario({"hostile": {"status": status, "token_body": body, "content_type": content_type}})
        r = run("token", "--config", config)
        grants = [(t["grant_type"], t["answer"]) for t in scripted.stats()["token"]]
        advice = "pam-device-flow login" in r.stderr
        check(r.returncode == exit_status and r.stdout == "" and grants == [("refresh_token", f"status {status}")]
              and advice == (exit_status == 3),
              f"token: a refresh answered {what} exits {exit_status}"
              + (" and says to log in again" if exit_status == 3 else ""),
              f"rc={r.returncode}\ngrants={grants}\nstdout={r.stdout!r}\nstderr={r.stderr!r}")
        with open(cache, encoding="utf-8") as f:
            check(f.read() == expired, f"token: a refresh answered {what} leaves the cache as it was")
    os.remove(cache)


def client_auth_cases(run, scratch, home, scripted):
    """private_key_jwt in the command: check names the method in effect and
    why, login authenticates with it, and token refreshes with a fresh
    assertion (the key file read as the caller, who owns it here)."""
    key = os.path.join(scratch, "client-key.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key],
                   check=True, capture_output=True)
    os.chmod(key, 0o600)
    public_pem = subprocess.run(["openssl", "pkey", "-in", key, "-pubout"], check=True, capture_output=True,
                                text=True).stdout
    config = os.path.join(scratch, "keyed.conf")
    write_config(config, f'''qr = "off"
max_wait = 60
state_dir = "{os.path.join(scratch, "keyed-state")}"

[providers.keyed]
type = "oidc"
issuer = "{scripted.issuer}"
client_id = "bastion"
private_key_file = "{key}"
private_key_kid = "cli-key"
''')
    scripted.scenario({"interval": 1, "final": "success", "claims": {"preferred_username": "clitester"},
                       "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
                       "client_auth": "private_key_jwt", "client_public_key": public_pem,
                       "client_key_kid": "cli-key"})
    r = run("check", "--config", config)
    check(r.returncode == 0 and re.search(r"auth method +private_key_jwt \(auto: the server lists "
                                          r"client_secret_basic, private_key_jwt\)", r.stdout) is not None
          and re.search(r"private key +readable, private, EC P-256 \(ES256\)", r.stdout) is not None,
          "check: names private_key_jwt, why auto chose it, and the key's kind",
          f"rc={r.returncode}\n{r.stdout}{r.stderr}")
    check(re.search(r"client auth +auto, private_key_file \S+, kid cli-key, aud the token_endpoint\n", r.stdout)
          is not None, "check: the assertion's audience is the token endpoint by default", r.stdout)
    with open(config) as f:
        keyed = f.read()
    with open(config, "a") as f:
        f.write('client_assertion_audience = "issuer"\n')
    r = run("check", "--offline", "--no-sshd", "--config", config)
    check(r.returncode == 0 and re.search(r"client auth +auto, private_key_file \S+, kid cli-key, aud the issuer\n",
                                          r.stdout) is not None,
          "check: client_assertion_audience = \"issuer\" is shown", f"rc={r.returncode}\n{r.stdout}{r.stderr}")
    write_config(config, keyed)

    r = run("login", "--config", config, "--prompt", "auto", timeout=90, stdin=subprocess.DEVNULL,
            start_new_session=True)
    cache = os.path.join(home, ".cache", "pam_device_flow", "keyed.json")
    check(r.returncode == 0 and os.path.isfile(cache), "login with private_key_jwt exits 0 and writes the cache",
          f"rc={r.returncode}\n{r.stdout}{r.stderr}")
    if not os.path.isfile(cache):
        return
    with open(cache) as f:
        first = json.load(f)
    first["expires_at"] = "2000-01-01T00:00:00Z"
    with open(cache, "w") as f:
        json.dump(first, f)
    os.chmod(cache, 0o600)
    r = run("token", "--config", config)
    with open(cache) as f:
        second = json.load(f)
    refreshes = [e for e in scripted.stats()["token"] if e["grant_type"] == "refresh_token"]
    check(r.returncode == 0 and r.stdout == second["access_token"] + "\n"
          and second["access_token"] != first["access_token"]
          and [(e["client_auth"], e["answer"]) for e in refreshes] == [("private_key_jwt", "success")],
          "token: an expired token is refreshed with a private_key_jwt assertion",
          f"rc={r.returncode}\nrefreshes={refreshes}\n{r.stderr}")
    seen = [(e["endpoint"], e["method"], e["ok"], e["kid"]) for e in scripted.stats()["client_auth"]]
    check(seen == [("device", "private_key_jwt", True, "cli-key"), ("token", "private_key_jwt", True, "cli-key"),
                   ("token", "private_key_jwt", True, "cli-key")],
          "login and token: every request carried an accepted assertion with the configured kid", repr(seen))

    os.remove(cache)


def quirks_cases(run, scratch, node, fixtures, scripted):
    """check's quirks row: what it detects of the big IdPs' documented
    differences (issue #11 item 6), and "none detected" for a plain server."""
    def check_with(name, issuer):
        config = os.path.join(scratch, f"quirks-{name}.conf")
        write_config(config, f'''qr = "off"
state_dir = "{os.path.join(scratch, "quirks-state")}"

[providers.{name}]
type = "oidc"
issuer = "{issuer}"
client_id = "bastion"
''')
        return run("check", "--config", config)

    scripted.scenario({})
    r = check_with("plain", scripted.issuer)
    check(r.returncode == 0 and re.search(r"quirks +none detected", r.stdout) is not None,
          "check: a plain RFC 8628 server has no quirks", f"rc={r.returncode}\n{r.stdout}{r.stderr}")
    expected = {
        "auth0": r"quirks +issuer with trailing slash \(Auth0/Authentik style\)",
        "keycloak": r"quirks +Keycloak device endpoint",
        "authentik": r"quirks +issuer with trailing slash .*; device endpoint outside the issuer's path: "
                     r"\"http://127\.0\.0\.1:[0-9]+/application/o/device/\"",
    }
    # Entra's common/organizations discovery names the template issuer: a
    # configuration error (exit 1) that says to use the tenant id.
    scripted.scenario({"hostile": {"discovery_issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"}})
    r = check_with("entra", scripted.issuer)
    check(r.returncode == 1 and "https://login.microsoftonline.com/<tenant id>/v2.0" in r.stderr,
          "check: Entra's multi-tenant template issuer is refused, asking for the tenant id",
          f"rc={r.returncode}\n{r.stdout}{r.stderr}")
    scripted.scenario({})

    for profile, pattern in expected.items():
        scenario_file = os.path.join(scratch, f"quirks-{profile}.json")
        with open(scenario_file, "w") as f:
            json.dump({"profile": profile}, f)
        server = ScriptedIdp(node, fixtures, scenario_file)
        try:
            r = check_with(profile, server.issuer)
        finally:
            server.stop()
        check(r.returncode == 0 and re.search(pattern, r.stdout) is not None,
              f"check: the quirks row names what a {profile} server does",
              f"rc={r.returncode}\n{r.stdout}{r.stderr}")


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
        if m := re.search(r"enter the code: (\S+)", line):
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


AWS_START_URL = "https://d-1234567890.awsapps.com/start"
AWS_ACCOUNT = "111122223333"
# The fake's Identity Center: the test's user, assigned the configured role;
# every device code is approved at once, as if in a browser.
AWS_SCENARIO = {
    "startUrl": AWS_START_URL,
    "autoApprove": "clitester",
    "users": {"clitester": {"assignments": [{"accountId": AWS_ACCOUNT, "roleName": "ReadOnly"}]}},
}


def aws_provider_config(state_dir, oidc, portal, sts, http_timeout=10):
    return f'''qr = "off"
max_wait = 60
http_timeout = {http_timeout}
state_dir = "{state_dir}"

[providers.aws]
type = "aws-sso"
start_url = "{AWS_START_URL}"
region = "us-east-1"
sso_session = "corp"
account_id = "{AWS_ACCOUNT}"
role_name = "ReadOnly"
oidc_endpoint = "{oidc}"
portal_endpoint = "{portal}"
sts_endpoint = "{sts}"
'''


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write_aws_cache(path, entry, mode=0o600):
    """Rewrites the AWS CLI cache as a user would: same file, the given mode."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(entry, f)
    os.chmod(path, mode)


def aws_cases(run, scratch, home, fake):
    """pam-device-flow token (and login) for an aws-sso provider: the AWS CLI's cache."""
    fake.call("POST", "/_scenario", AWS_SCENARIO)
    config = os.path.join(scratch, "aws-fake.conf")
    write_config(config, aws_provider_config(os.path.join(scratch, "aws-state"),
                                             fake.issuer, fake.issuer, fake.issuer))
    cache = os.path.join(home, ".aws", "sso", "cache",
                         hashlib.sha1(b"corp").hexdigest() + ".json")

    def login(what):
        # No terminal (start_new_session), nothing on stdin: the fake approves.
        r = run("login", "--config", config, "--prompt", "auto", timeout=90,
                stdin=subprocess.DEVNULL, start_new_session=True)
        ok = r.returncode == 0 and os.path.isfile(cache) and cache in r.stdout
        check(ok, what, f"rc={r.returncode}\n{r.stdout}{r.stderr}")
        return ok

    # 1. Nothing cached yet.
    r = run("token", "--config", config)
    check(r.returncode == 3 and r.stdout == "" and cache in r.stderr
          and "pam-device-flow login --provider aws" in r.stderr,
          "token aws-sso: without an AWS CLI cache exits 3, names the cache and says to log in",
          f"rc={r.returncode}\nstdout={r.stdout!r}\n{r.stderr}")

    # 2. A login writes the cache; token prints it without asking AWS.
    if not login("login aws-sso --prompt auto writes the AWS CLI cache and names it"):
        return
    first = json.loads(read_text(cache))
    check(oct(os.stat(cache).st_mode & 0o777) == "0o600"
          and all(first.get(k) for k in ("startUrl", "region", "accessToken", "expiresAt", "clientId",
                                         "clientSecret", "registrationExpiresAt", "refreshToken")),
          "login aws-sso: the AWS CLI cache is 0600 and has every member the CLI refreshes with",
          json.dumps(sorted(first)))
    before = fake.counts()
    r = run("token", "--config", config)
    after = fake.counts()
    check(r.returncode == 0 and r.stdout == first["accessToken"] + "\n",
          "token aws-sso: prints the cached accessToken, and only it", f"rc={r.returncode}\n{r.stderr}")
    check(after.get("refresh", 0) == 0 and after == before,
          "token aws-sso: a fresh token is printed without any call to AWS (no CreateToken)",
          f"before={before}\nafter={after}")

    # 3. Expired: refreshed with the cache's own registration, cache rewritten.
    expired = dict(first, expiresAt="2000-01-01T00:00:00Z")
    write_aws_cache(cache, expired)
    r = run("token", "--config", config)
    second = json.loads(read_text(cache))
    check(r.returncode == 0 and r.stdout.strip() != first["accessToken"]
          and r.stdout == second["accessToken"] + "\n",
          "token aws-sso: an expired token is refreshed, the new one printed and cached",
          f"rc={r.returncode}\nstdout={r.stdout!r}\n{r.stderr}")
    check(fake.counts().get("refresh", 0) == 1, "token aws-sso: the refresh is one CreateToken call",
          json.dumps(fake.counts()))
    check(oct(os.stat(cache).st_mode & 0o777) == "0o600", "token aws-sso: the rewritten cache is 0600")
    kept = ("clientId", "clientSecret", "registrationExpiresAt", "startUrl", "region")
    check(second["refreshToken"] != first["refreshToken"]
          and all(second.get(k) == first[k] for k in kept)
          and second["expiresAt"] > time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
          "token aws-sso: the rewritten cache has the rotated refreshToken, a future expiresAt "
          "and the same client registration, start URL and region",
          json.dumps({k: (second.get(k) == first.get(k)) for k in sorted(set(first) | set(second))}))

    # 4. The times as botocore's JSONFileCache writes them ("%Y-%m-%dT%H:%M:%S%Z",
    # so "...UTC", in older AWS CLI caches) are read too.
    write_aws_cache(cache, dict(second, expiresAt="2000-01-01T00:00:00UTC",
                                registrationExpiresAt=second["registrationExpiresAt"].replace("Z", "UTC")))
    r = run("token", "--config", config)
    third = json.loads(read_text(cache))
    check(r.returncode == 0 and r.stdout == third["accessToken"] + "\n"
          and third["accessToken"] != second["accessToken"] and fake.counts().get("refresh", 0) == 2
          and third["registrationExpiresAt"] == second["registrationExpiresAt"],
          "token aws-sso: a cache with times in the AWS CLI's older \"...UTC\" format is read and refreshed",
          f"rc={r.returncode}\n{r.stderr}{json.dumps(fake.counts())}\n"
          f"registrationExpiresAt {second['registrationExpiresAt']} -> {third.get('registrationExpiresAt')}")

    # An expired token without the refresh members (as from an old CLI): log in again.
    bare = {k: third[k] for k in ("startUrl", "region", "accessToken")}
    bare["expiresAt"] = "2000-01-01T00:00:00Z"
    write_aws_cache(cache, bare)
    before = fake.counts()
    r = run("token", "--config", config)
    check(r.returncode == 3 and r.stdout == "" and "pam-device-flow login" in r.stderr
          and fake.counts() == before,
          "token aws-sso: an expired token without refreshToken/clientId/clientSecret exits 3, no call",
          f"rc={r.returncode}\n{r.stderr}")

    # An expired token whose client registration has expired too: no use asking AWS.
    write_aws_cache(cache, dict(third, expiresAt="2000-01-01T00:00:00Z",
                                registrationExpiresAt="2000-01-01T00:00:00Z"))
    before = fake.counts()
    r = run("token", "--config", config)
    check(r.returncode == 3 and r.stdout == "" and "pam-device-flow login" in r.stderr
          and fake.counts() == before,
          "token aws-sso: an expired token of an expired client registration exits 3, no call",
          f"rc={r.returncode}\n{r.stderr}")

    # 5. AWS refuses the refresh: a new login is needed, the cache stays as it was.
    # (/_scenario resets the fake, so every earlier token is forgotten: log in again.)
    fake.call("POST", "/_scenario", dict(AWS_SCENARIO, script={"refresh": ["invalid_grant"]}))
    if not login("login aws-sso again after the fake's reset"):
        return
    write_aws_cache(cache, dict(json.loads(read_text(cache)), expiresAt="2000-01-01T00:00:00Z"))
    with open(cache, "rb") as f:
        untouched = f.read()
    r = run("token", "--config", config)
    with open(cache, "rb") as f:
        now = f.read()
    check(r.returncode == 3 and r.stdout == "" and "pam-device-flow login --provider aws" in r.stderr
          and fake.counts().get("refresh", 0) == 1,
          "token aws-sso: a refresh refused by AWS (InvalidGrantException) exits 3 and says to log in again",
          f"rc={r.returncode}\nstdout={r.stdout!r}\n{r.stderr}")
    check(now == untouched and oct(os.stat(cache).st_mode & 0o777) == "0o600",
          "token aws-sso: a refused refresh leaves the cache byte for byte as it was")
    refusable = json.loads(untouched)

    # 6. A cache of another Identity Center: not ours to print or refresh.
    write_aws_cache(cache, dict(refusable, startUrl="https://d-0000000000.awsapps.com/start"))
    before = fake.counts()
    r = run("token", "--config", config)
    check(r.returncode == 3 and r.stdout == "" and "d-0000000000" in r.stderr and fake.counts() == before,
          "token aws-sso: a cache of another start URL exits 3 without any call to AWS",
          f"rc={r.returncode}\n{r.stderr}{json.dumps(fake.counts())}")

    # 7. Readable by others: refused, even though the token is fresh.
    write_aws_cache(cache, dict(refusable, expiresAt="2999-01-01T00:00:00Z"), mode=0o644)
    r = run("token", "--config", config)
    check(r.returncode == 4 and r.stdout == "" and refusable["accessToken"] not in r.stderr,
          "token aws-sso: a group/world-readable cache exits 4 and prints no token",
          f"rc={r.returncode}\nstdout={r.stdout!r}\n{r.stderr}")

    # 8. sso-oidc unreachable while the token needs a refresh.
    down = os.path.join(scratch, "aws-down.conf")
    closed = f"http://127.0.0.1:{free_port()}"
    write_config(down, aws_provider_config(os.path.join(scratch, "aws-state"), closed, closed, closed,
                                           http_timeout=3))
    write_aws_cache(cache, refusable)
    before = read_text(cache)
    r = run("token", "--config", down)
    check(r.returncode == 2 and r.stdout == "" and read_text(cache) == before,
          "token aws-sso: an unreachable sso-oidc endpoint exits 2 and leaves the cache",
          f"rc={r.returncode}\nstdout={r.stdout!r}\n{r.stderr}")

    # 9. A ~/.aws the new tokens could not be written to: refused before asking
    # AWS (whose answer may retire the refresh token in the cache).
    aws_dir = os.path.join(home, ".aws")
    os.chmod(aws_dir, 0o777)
    try:
        before = fake.counts()
        r = run("token", "--config", config)
        check(r.returncode == 4 and r.stdout == "" and ".aws" in r.stderr and fake.counts() == before,
              "token aws-sso: a world-writable ~/.aws exits 4 before any call to AWS",
              f"rc={r.returncode}\n{r.stderr}{json.dumps(fake.counts())}")
    finally:
        os.chmod(aws_dir, 0o700)

    # 10. Another process refreshes first (and so retires our refresh token):
    # its fresh token is printed, not "log in again".
    fake.call("POST", "/_scenario", dict(AWS_SCENARIO, script={
        "refresh": [{"error": "invalid_grant", "delayMs": 3000}]}))
    if not login("login aws-sso again for the concurrent refresh"):
        return
    write_aws_cache(cache, dict(json.loads(read_text(cache)), expiresAt="2000-01-01T00:00:00Z"))
    token = subprocess.Popen([run.command, "token", "--config", config], env=run.env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1)  # it has read the expired cache and is waiting for CreateToken
    write_aws_cache(cache, dict(json.loads(read_text(cache)), accessToken="aoa-from-another-process",
                                expiresAt="2100-01-01T00:00:00Z"))
    out, err = token.communicate(timeout=60)
    check(token.returncode == 0 and out == "aoa-from-another-process\n" and fake.counts().get("refresh", 0) == 1,
          "token aws-sso: when another process refreshed meanwhile, its token is printed",
          f"rc={token.returncode}\nstdout={out!r}\n{err}")


def check_command_cases(run, scratch):
    """check as `sshd -t`: every error of a file at once with file:line:col;
    --offline contacts no IdP; two providers without default_provider fail
    the stacks that cannot choose one; sshd -T's LoginGraceTime and
    keyboard-interactive give warnings."""
    bad = os.path.join(scratch, "many-errors.conf")
    write_config(bad, """max_wiat = 30
qr = "big"

[providers.a]
issuer = "http://idp.example.com"
client_id = "x"
colour = "red"

[providers.b]
type = "aws-sso"
region = "nowhere"
""")
    r = run("check", "--config", bad, "--offline")
    expected = [f"{bad}:1:1: unknown key \"max_wiat\" (did you mean \"max_wait\"?)",
                f"{bad}:2:6: \"qr\" must be one of",
                f"{bad}:5:10: \"providers.a.issuer\" must be an https:// URL",
                f"{bad}:7:1: unknown key \"colour\" in [providers.a]",
                f"{bad}:11:10: \"providers.b.region\" must be an AWS region",
                f"{bad}:9:1: [providers.b] is missing the required key \"start_url\"",
                f"{bad}:9:1: [providers.b] is missing the required key \"sso_session\"",
                f"FAILED: 9 error(s) in {bad}"]
    lines = r.stderr.splitlines()
    found = all(any(line.startswith(e) for line in lines) for e in expected)
    check(r.returncode == 1 and found and r.stdout == "",
          "check: every error of a file in one run, each with file:line:col, exit 1",
          f"rc={r.returncode}\n{r.stdout}{r.stderr}")

    # The files a login reads, with the module's checks, offline.
    loose_map = os.path.join(scratch, "loose.map")
    with open(loose_map, "w") as f:
        f.write("alice alice\n")
    os.chmod(loose_map, 0o666)
    files = os.path.join(scratch, "files.conf")
    write_config(files, f"""ca_file = "{scratch}/absent-ca.pem"
[providers.a]
issuer = "https://127.0.0.1:1/a"
client_id = "x"
user_map_file = "{loose_map}"
""")
    r = run("check", "--config", files, "--offline", "--no-sshd", "--pam-dir", scratch)
    check(r.returncode == 1 and f"provider a: cannot open {scratch}/absent-ca.pem" in r.stderr
          and f"{loose_map} has mode 0666" in r.stderr and "FAILED: 2 error(s)" in r.stderr,
          "check --offline: a missing ca_file and a group/world-writable user_map_file are errors",
          f"rc={r.returncode}\n{r.stderr}")

    # An issuer on a listening loopback port: --offline must not connect.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    pam_dir = os.path.join(scratch, "pam.d")
    os.makedirs(pam_dir, exist_ok=True)
    two = os.path.join(scratch, "two-offline.conf")
    write_config(two, f"""max_wait = 110
[providers.a]
issuer = "https://127.0.0.1:{port}/a"
client_id = "x"
[providers.b]
issuer = "https://unresolvable.invalid/b"
client_id = "y"
""")
    r = run("check", "--config", two, "--offline", "--pam-dir", pam_dir, "--no-sshd")
    check(r.returncode == 1 and "several providers (\"a\", \"b\") and no default_provider" in r.stderr
          and "no stack in" in r.stderr,
          "check: two providers, no default_provider and no stack naming one exit 1", r.stderr)
    stack = os.path.join(pam_dir, "svc")
    with open(stack, "w") as f:
        f.write(f"auth required pam_device_flow.so config={two} provider=a\n"
                f"# auth required pam_device_flow.so config={two}\n"
                f"auth [success=done default=die] /lib/security/pam_device_flow.so config={two} debug\n")
    r = run("check", "--config", two, "--offline", "--pam-dir", pam_dir, "--no-sshd")
    check(r.returncode == 1 and f"{stack}:3: no provider= on this line" in r.stderr
          and f"{stack}:1:" not in r.stderr and f"{stack}:2:" not in r.stderr,
          "check: names the pam.d line that cannot choose a provider", r.stderr)
    with open(stack, "w") as f:
        f.write(f"auth required pam_device_flow.so config={two} provider=c\n")
    r = run("check", "--config", two, "--offline", "--pam-dir", pam_dir, "--no-sshd")
    check(r.returncode == 1 and f"{stack}:1: provider=c names no provider" in r.stderr,
          "check: a pam.d line's provider= that names no provider", r.stderr)
    with open(stack, "w") as f:
        f.write(f"auth required pam_device_flow.so config={two} provider=a\n"
                f"-auth sufficient pam_device_flow.so config={two} provider=b\n")
    r = run("check", "--config", two, "--offline", "--pam-dir", pam_dir, "--no-sshd")
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    check(r.returncode == 0 and "--offline: no identity provider was contacted" in r.stdout and not connected
          and r.stderr == "",
          "check --offline: valid with every stack naming a provider, exit 0, no connection to the issuer",
          f"rc={r.returncode} connected={connected}\n{r.stdout}{r.stderr}")

    if os.geteuid() != 0 or not os.path.exists("/usr/sbin/sshd"):
        print("SKIP  check: sshd -T warnings (needs root and sshd)")
        return
    host_key = os.path.join(scratch, "ssh_host_ed25519_key")
    if not os.path.exists(host_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key], check=True)
    sshd_config = os.path.join(scratch, "sshd_config")
    with open(sshd_config, "w") as f:
        f.write(f"HostKey {host_key}\nLoginGraceTime 60\nKbdInteractiveAuthentication no\nUsePAM yes\n")
    made_run_sshd = not os.path.isdir("/run/sshd")  # sshd -T wants its privsep directory
    if made_run_sshd:
        os.makedirs("/run/sshd", mode=0o755)
    try:
        r = run("check", "--config", two, "--offline", "--pam-dir", pam_dir, "--sshd-config", sshd_config)
        check(r.returncode == 0 and "sshd's LoginGraceTime is 60 s and max_wait is 110 s" in r.stderr
              and "set max_wait to at most 50" in r.stderr and "KbdInteractiveAuthentication no" in r.stderr,
              "check: warns when LoginGraceTime is not above max_wait and keyboard-interactive is off (exit 0)",
              f"rc={r.returncode}\n{r.stderr}")
        with open(sshd_config, "w") as f:
            f.write(f"HostKey {host_key}\nLoginGraceTime 300\nKbdInteractiveAuthentication yes\nUsePAM yes\n")
        r = run("check", "--config", two, "--offline", "--pam-dir", pam_dir, "--sshd-config", sshd_config)
        check(r.returncode == 0 and "warning" not in r.stderr, "check: no sshd warning for a fitting sshd",
              f"rc={r.returncode}\n{r.stderr}")
    finally:
        if made_run_sshd:
            os.rmdir("/run/sshd")


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

    def run(*command_args, timeout=60, **options):
        return subprocess.run([args.command, *command_args], env=env, capture_output=True,
                              text=True, timeout=timeout, **options)
    run.command, run.env = args.command, env

    idp = fake = scripted = None
    try:
        idp = Idp(args.node, args.fixtures)
        fake = FakeAws(args.node, args.fixtures)
        scripted = ScriptedIdp(args.node, args.fixtures)
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

        # The command's own option in its messages, not the module's config=/provider=.
        missing = os.path.join(scratch, "missing.conf")
        r = run("check", "--config", missing)
        check(r.returncode == 1 and "point --config at it" in r.stderr and "config=" not in r.stderr,
              "check: a missing file exits 1 and says to point --config at another",
              f"rc={r.returncode}\n" + r.stderr)
        two = os.path.join(scratch, "two.conf")
        write_config(two, f'''[providers.corp]
issuer = "{idp.issuer}"
client_id = "bastion"
[providers.lab]
issuer = "{idp.issuer}"
client_id = "lab"
''')
        r = run("token", "--config", two)
        check(r.returncode == 1 and "pass --provider NAME" in r.stderr and "pam.d" not in r.stderr,
              "token: two providers and no default exit 1 and name --provider",
              f"rc={r.returncode}\n" + r.stderr)

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

        check_command_cases(run, scratch)
        aws_cases(run, scratch, home, fake)
        hostile_cases(run, scratch, home, scripted)
        refused_refresh_cases(run, scratch, home, scripted)
        client_auth_cases(run, scratch, home, scripted)
        quirks_cases(run, scratch, args.node, args.fixtures, scripted)

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

        # With reuse_window set (and a state_dir this caller owns) login still
        # runs a device flow every time: fresh tokens in the cache are its
        # point, and a reused approval would write none. It records none either.
        reuse = os.path.join(scratch, "reuse.conf")
        with open(good) as f:
            write_config(reuse, "reuse_window = 300\n" + f.read())
        for attempt in ("first", "second"):
            login = subprocess.Popen([args.command, "login", "--config", reuse, "--prompt", "auto"], env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
            url, code, output = read_code(login)
            approved = approve(args, url, code, user)
            rest, errors = login.communicate(timeout=90)
            check(approved and login.returncode == 0 and cache in rest,
                  f"login with reuse_window ({attempt}): a device flow, and the cache written",
                  f"rc={login.returncode}\n{output}{rest}\n{errors}")
        recorded = []
        for name in (os.listdir(state_dir) if os.path.isdir(state_dir) else []):
            try:
                with open(os.path.join(state_dir, name)) as f:
                    if json.load(f).get("key", "").startswith("approval:"):
                        recorded.append(name)
            except (OSError, ValueError):
                pass
        check(not recorded, "login records no reuse_window approval", " ".join(recorded))
    finally:
        for server in (idp, fake, scripted):
            if server is not None:
                server.stop()
        subprocess.run(["rm", "-rf", scratch])

    print(f"{len(FAILURES)} failure(s)")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
