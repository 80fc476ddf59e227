#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The helper's sandbox (helper/sandbox.hpp) holds, and the helper's work runs
inside it: tests/helper/sandbox_probe against servers on loopback.

This script serves one JSON file over http and over https (a certificate from
a test CA made here with the openssl command) on 127.0.0.1, and runs the probe,
which confines itself and fetches it: plain, pinned to the test CA, and with
the system store (refused for the certificate). As root it also runs the probe
in a private mount namespace whose /etc/hosts, /etc/resolv.conf and
/etc/nsswitch.conf are ours: one name comes from the hosts file, one from a
DNS server run here on port 53 of 127.53.53.53 (or the next free 127.53.53.x),
and nsswitch.conf names an NSS module to load on the way, so libcurl's
threaded resolver, NSS and glibc's DNS client all run under the sandbox (the
host's files are not touched). The probe then drops to nobody by itself. Unprivileged, the names
are skipped and the rest runs as the caller.

Checks: the probe exits 0 and prints no FAIL line; NoNewPrivs 1 and Seccomp 2
(filter mode); Landlock on whenever the kernel has it; execve and fork killed
with SIGSYS; as root, uid 65534 and a DNS query that reached our server.
"""
import argparse
import ctypes
import functools
import http.server
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading

FAILURES = []
# Port 53 on a loopback address of our own; the next ones when a test run
# beside this one (another checkout) holds it.
DNS_SERVERS = [f"127.53.53.{n}" for n in range(53, 63)]
HOSTS_NAME = "files.devflow.test"  # answered by our /etc/hosts
DNS_NAME = "dns.devflow.test"      # answered by our DNS server


def check(condition, what, detail=""):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        FAILURES.append(what)
        if detail:
            print("     " + detail.replace("\n", "\n     "))


def landlock_abi():
    """The kernel's Landlock ABI (landlock_create_ruleset, 444 on every
    architecture, with LANDLOCK_CREATE_RULESET_VERSION), 0 without one."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return max(0, libc.syscall(ctypes.c_long(444), None, ctypes.c_size_t(0), ctypes.c_uint(1)))


def make_certificates(scratch):
    """A test CA and a server certificate for 127.0.0.1 and our two names."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)
    path = functools.partial(os.path.join, scratch)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", path("ca.key"), "-out", path("ca.crt"), "-days", "2",
            "-subj", "/CN=pam_device_flow sandbox test CA")
    openssl("req", *ec, "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=" + HOSTS_NAME)
    with open(path("server.ext"), "w") as ext:
        ext.write(f"subjectAltName=DNS:{HOSTS_NAME},DNS:{DNS_NAME},IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-days", "2", "-extfile", path("server.ext"), "-out", path("server.crt"))
    os.chmod(path("ca.crt"), 0o644)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(www, tls_context=None):
    """A loopback HTTP(S) server for `www` in a thread; returns its port."""
    handler = functools.partial(QuietHandler, directory=www)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls_context:
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def dns_answer(query, names):
    """The answer to one DNS query: the A or AAAA record of a name we know
    (none for its other types), NXDOMAIN for any other name."""
    if len(query) < 17:
        return None
    ident, flags, questions = struct.unpack(">HHH", query[:6])
    labels, i = [], 12
    while i < len(query) and query[i] != 0:
        labels.append(query[i + 1:i + 1 + query[i]].decode("ascii", "replace").lower())
        i += 1 + query[i]
    if questions != 1 or i + 5 > len(query):
        return None
    qtype = struct.unpack(">H", query[i + 1:i + 3])[0]
    question = query[12:i + 5]
    name = ".".join(labels)
    answer = b""
    for family, rtype in ((socket.AF_INET, 1), (socket.AF_INET6, 28)):
        address = names.get(name, {}).get(family)
        if address and qtype == rtype:
            data = socket.inet_pton(family, address)
            answer = b"\xc0\x0c" + struct.pack(">HHIH", rtype, 1, 60, len(data)) + data
    rcode = 0 if name in names else 3
    header = struct.pack(">HHHHHH", ident, 0x8080 | (flags & 0x0100) | rcode, 1, 1 if answer else 0, 0, 0)
    return header + question + answer


def serve_dns(names, asked):
    """A DNS server on port 53 (UDP) of the first free address of DNS_SERVERS,
    in a thread; `asked` collects the names it was asked for. Returns the
    address."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for address in DNS_SERVERS:
        try:
            sock.bind((address, 53))
            break
        except OSError:
            continue
    else:
        raise OSError(f"no free port 53 on {DNS_SERVERS[0]} ... {DNS_SERVERS[-1]}")

    def loop():
        while True:
            query, peer = sock.recvfrom(4096)
            reply = dns_answer(query, names)
            if reply:
                asked.append(reply[12:reply.index(b"\0", 12)])
                sock.sendto(reply, peer)
    threading.Thread(target=loop, daemon=True).start()
    return address


def private_name_files(scratch, dns_server):
    """Our hosts, resolv.conf and nsswitch.conf, and the shell lines that
    bind-mount them over the system's in a private mount namespace."""
    files = {
        "/etc/hosts": f"127.0.0.1 localhost\n127.0.0.1 {HOSTS_NAME}\n::1 {HOSTS_NAME}\n",
        "/etc/resolv.conf": f"nameserver {dns_server}\noptions timeout:2 attempts:2\n",
        # hesiod ships with glibc and answers no host lookups: glibc loads it
        # by name (ld.so.cache, dlopen) inside the sandbox all the same, as it
        # would nss_resolve or nss_sss on a real host, then asks dns.
        "/etc/nsswitch.conf": "hosts: files hesiod dns\n",
    }
    mounts = []
    for target, content in files.items():
        source = os.path.join(scratch, os.path.basename(target))
        with open(source, "w") as out:
            out.write(content)
        os.chmod(source, 0o644)
        mounts.append(f"mount --bind {source} {target}")
    return " && ".join(mounts)


def can_use_mount_namespace():
    # A missing target (a dangling resolv.conf symlink) cannot be mounted over.
    targets = ("/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf")
    if os.geteuid() != 0 or not shutil.which("unshare") or not all(map(os.path.exists, targets)):
        return False
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                          capture_output=True).returncode == 0


def probe_command(args, scratch, dns_server):
    """The probe's command line; inside a private mount namespace with our
    name files when `dns_server` is set."""
    www = os.path.join(scratch, "www")
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(os.path.join(scratch, "server.crt"), os.path.join(scratch, "server.key"))
    plain, secure = serve(www), serve(www, tls)
    command = args.wrapper.split() + [args.probe, "--state-dir", os.path.join(scratch, "state"),
               "--ca-file", os.path.join(scratch, "ca.crt"),
               "--read-only", os.path.join(scratch, "read-only.txt"),
               "--outside", os.path.join(scratch, "outside.txt"),
               "--plain", f"http://127.0.0.1:{plain}/probe.json",
               "--plain", f"http://localhost:{plain}/probe.json",
               "--pinned", f"https://127.0.0.1:{secure}/probe.json",
               "--untrusted", f"https://127.0.0.1:{secure}/probe.json"]
    if not dns_server:
        print("skip names through /etc/hosts and DNS: they need root and a private mount namespace")
        return command
    for name in (HOSTS_NAME, DNS_NAME):
        command += ["--pinned", f"https://{name}:{secure}/probe.json"]
    script = private_name_files(scratch, dns_server) + ' && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"] + command


def prepare(scratch):
    os.chmod(scratch, 0o755)  # nobody, once the probe drops to it, must reach its files
    os.makedirs(os.path.join(scratch, "www"))
    with open(os.path.join(scratch, "www", "probe.json"), "w") as out:
        out.write('{"probe": "sandbox", "served": "over loopback"}\n')
    os.mkdir(os.path.join(scratch, "state"), 0o700)
    for name in ("read-only.txt", "outside.txt"):
        with open(os.path.join(scratch, name), "w") as out:
            out.write(name + "\n")
        os.chmod(os.path.join(scratch, name), 0o644)
    make_certificates(scratch)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--probe", required=True)
    parser.add_argument("--wrapper", default="",
                        help="a command to run the probe under, e.g. 'strace -f -o FILE' (how the allowlist was found)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="devflow-sandbox-")
    try:
        prepare(scratch)
        asked, dns_server = [], None
        if can_use_mount_namespace():
            # Two addresses, as most IdPs have: getaddrinfo then sorts them
            # (gai.conf, a UDP socket per address); curl tries both.
            dns_server = serve_dns({DNS_NAME: {socket.AF_INET: "127.0.0.1", socket.AF_INET6: "::1"}}, asked)
        result = subprocess.run(probe_command(args, scratch, dns_server), capture_output=True, text=True,
                                timeout=90)
        print(result.stdout + result.stderr)
        lines = result.stdout.splitlines()
        check(result.returncode == 0, "the probe exits 0", f"exit {result.returncode}")
        check(not [line for line in lines if line.startswith("FAIL ")], "the probe reports no failed check")
        check("status NoNewPrivs:\t1" in lines, "no_new_privs is set (NoNewPrivs: 1)")
        check("status Seccomp:\t2" in lines, "a seccomp filter is installed (Seccomp: 2)")
        for call in ("execve(\"/bin/true\")", "fork()"):
            check(any(line.startswith("ok   killed by SIGSYS: " + call) for line in lines),
                  f"{call} in the sandbox is killed with SIGSYS")
        if landlock_abi() > 0:
            check(any(line.startswith("sandbox: landlock on") for line in lines),
                  f"Landlock is on (the kernel has ABI {landlock_abi()})")
        if os.geteuid() == 0:
            check(any(line.startswith("status Uid:\t65534\t65534\t65534") for line in lines),
                  "the probe runs as nobody (65534), not root")
        if dns_server:
            check(any(line.startswith(f"ok   GET https://{DNS_NAME}:") for line in lines) and
                  any(DNS_NAME.split(".")[0].encode() in query for query in asked),
                  f"{DNS_NAME} was resolved by our DNS server from inside the sandbox")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
