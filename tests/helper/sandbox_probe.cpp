// SPDX-License-Identifier: Apache-2.0
// The helper's sandbox, for real: a process confines itself with
// confine_helper (helper/sandbox.hpp) and then does what the helper does, with
// the project's own code — HTTP through CurlTransport (plain to loopback, TLS
// against a test CA and against the system store, names through libcurl's
// threaded resolver and glibc's NSS), JSON, SHA-256 and an ECDSA check with
// OpenSSL (a provider module loaded after the sandbox is up), the state store
// (atomic write, rename, read, flock) — and what it must not: files outside its
// paths, and forbidden calls, each in a child of its own that the kernel must
// kill with SIGSYS. tests/helper/test_sandbox.py starts the servers and reads
// the output: one line per check, "ok   ...", "FAIL ..." or "skip ...".
//
// A confined process cannot fork, so the probe is a parent that never
// confines itself and runs each part in a forked child. Started as root, it
// first gives the state directory to nobody (65534) and becomes nobody, so the
// confinement runs on the same non-root path as the real helper (which the
// module starts as its own account). Exit status: 0 when every check passed.
#include "base/clock.hpp"
#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "helper/sandbox.hpp"
#include "net/curl_transport.hpp"
#include "store/safe_file.hpp"
#include "store/state_lock.hpp"

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using devflow::Failure;

constexpr uid_t kNobody = 65534;

struct Options {
    std::string state_dir;
    std::string ca_file;                      // the test CA: trusted for pinned URLs, readable in the sandbox
    std::string read_only;                    // a file the sandbox may read, not write
    std::string outside;                      // a file anyone may read, outside every sandbox path
    std::vector<std::string> plain_urls;      // http to loopback, system trust
    std::vector<std::string> pinned_urls;     // https, trusted through ca_file
    std::vector<std::string> untrusted_urls;  // https, system trust: must be refused for the certificate
};

int failures = 0;

void report(bool passed, const std::string &what, const std::string &detail = {}) {
    std::printf("%s%s%s%s\n", passed ? "ok   " : "FAIL ", what.c_str(), detail.empty() ? "" : ": ", detail.c_str());
    if (!passed) ++failures;
}

// ---- HTTP and JSON --------------------------------------------------------

// The fixture's JSON file, {"probe": "sandbox", ...}, fetched and parsed.
void expect_json(const std::string &url, const std::string &ca_file) {
    devflow::TransportSettings settings;
    settings.timeout_seconds = 10;
    settings.ca_file = ca_file;
    try {
        devflow::CurlTransport transport(settings);
        devflow::HttpRequest request;
        request.url = url;
        const devflow::HttpResponse response = transport.send(request);
        const devflow::Json json = devflow::parse_untrusted_json(response.body);
        const auto probe = json.find("probe");
        const bool parsed = probe != json.end() && probe->is_string() && probe->get<std::string>() == "sandbox";
        report(response.status == 200 && parsed, "GET " + url,
               "HTTP " + std::to_string(response.status) + (parsed ? ", JSON parsed" : ", unexpected body"));
    } catch (const Failure &failure) {
        report(false, "GET " + url, failure.what());
    }
}

// Refused for the certificate, which means the system store was read: a store
// the sandbox hid would fail with "error setting certificate file" instead.
void expect_untrusted(const std::string &url) {
    try {
        devflow::CurlTransport transport(devflow::TransportSettings{});
        devflow::HttpRequest request;
        request.url = url;
        const devflow::HttpResponse response = transport.send(request);
        report(false, "GET " + url + " with the system store", "accepted, HTTP " + std::to_string(response.status));
    } catch (const Failure &failure) {
        const std::string line = failure.what();
        report(line.find("SSL certificate problem") != std::string::npos,
               "GET " + url + " with the system store refused for the certificate", line);
    }
}

// ---- OpenSSL --------------------------------------------------------------

// A P-256 key and an ECDSA-SHA256 signature of kSignedText, made once with
// `openssl ecparam -genkey` and `openssl dgst -sha256 -sign`.
const char kPublicKey[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEc2wzCeYmIqHIFErI32x0OozQmymP\n"
    "f8OF8ZN3kcTA9UGxDumxB+LQJxufyzY3IRLAKKNwm52wOsnQeM4HSSiiEw==\n"
    "-----END PUBLIC KEY-----\n";
const char kSignedText[] = "pam_device_flow sandbox probe";
const char kSignatureHex[] =
    "3045022100f189259fdb1e3f461cccb304e8d27f0bb977292cb889847270f6ec70c09d6320"
    "022018f77e6a83356f7f39c9ae1754378f8e9113ef77a38e74b8af4f1a840a2af606";

std::vector<unsigned char> from_hex(const std::string &hex) {
    std::vector<unsigned char> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

std::string sha256_hex(const std::string &text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) return "(failed)";
    std::string hex;
    char pair[3];
    for (unsigned int i = 0; i < size; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    return hex;
}

bool signature_verifies() {
    std::unique_ptr<BIO, decltype(&BIO_free)> pem(BIO_new_mem_buf(kPublicKey, -1), BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        pem ? PEM_read_bio_PUBKEY(pem.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!key || !context) return false;
    const std::vector<unsigned char> signature = from_hex(kSignatureHex);
    return EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
           EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                            reinterpret_cast<const unsigned char *>(kSignedText), sizeof kSignedText - 1) == 1;
}

void check_openssl() {
    const std::string abc = sha256_hex("abc");  // FIPS 180-2, appendix B.1
    report(abc == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 (EVP)", abc);
    report(signature_verifies(), "ECDSA P-256 signature verified (EVP_DigestVerify)");
    // A provider is a module loaded from disk (ossl-modules/legacy.so).
    OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(nullptr, "legacy");
    report(legacy != nullptr, "OpenSSL loads the legacy provider module after confinement");
    if (legacy != nullptr) OSSL_PROVIDER_unload(legacy);
}

// ---- The state directory --------------------------------------------------

void check_state_dir(const std::string &dir) {
    const std::string entry = "{\"written\":\"in the sandbox\"}";
    try {
        devflow::write_file_atomically(dir, "probe-entry.json", entry, 0600);
        const auto read_back = devflow::read_private_file(dir, "probe-entry.json", ::geteuid(), 4096);
        report(read_back && *read_back == entry, "state dir: write (temp file, fsync, rename) and read back");
        devflow::ensure_private_directory(dir + "/sub", ::geteuid());
        const bool moved = ::rename((dir + "/probe-entry.json").c_str(), (dir + "/sub/moved.json").c_str()) == 0;
        report(moved, "state dir: mkdir, and rename into the subdirectory", moved ? "" : std::strerror(errno));
        devflow::SystemClock clock;
        devflow::StateLock lock(dir, "probe.lock", clock, std::chrono::milliseconds(1000));
        report(true, "state dir: flock on a lock file");
    } catch (const Failure &failure) {
        report(false, "state dir", failure.what());
    }
}

// ---- What the sandbox must refuse -----------------------------------------

// open(path, flags) must fail with EACCES; a path that is not there says
// nothing (Landlock checks the file it opens) and is skipped.
void expect_denied(const std::string &path, int flags, const std::string &how) {
    struct stat info {};
    if ((flags & O_CREAT) == 0 && ::stat(path.c_str(), &info) != 0 && errno == ENOENT) {
        std::printf("skip open %s %s: not present\n", path.c_str(), how.c_str());
        return;
    }
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
    const int error = errno;
    if (fd >= 0) ::close(fd);
    report(fd < 0 && error == EACCES, "denied: open " + path + " " + how, fd >= 0 ? "it opened" : std::strerror(error));
}

void check_file_denials(const Options &options, bool landlock) {
    expect_denied("/etc/shadow", O_RDONLY, "for reading");
    expect_denied("/root", O_RDONLY | O_DIRECTORY, "(a directory) for reading");
    expect_denied("/etc/passwd", O_WRONLY, "for writing");
    if (!landlock) {
        std::printf("skip the denials only Landlock makes: the kernel has no Landlock\n");
        return;
    }
    expect_denied("/etc/passwd", O_RDONLY, "for reading");
    expect_denied("/tmp/devflow-sandbox-probe-" + std::to_string(::getpid()), O_WRONLY | O_CREAT | O_EXCL,
                  "to create a file");
    expect_denied(options.outside, O_RDONLY, "for reading (outside every sandbox path)");
    expect_denied(options.read_only, O_WRONLY, "for writing (a read-only sandbox path)");
    const int fd = ::open(options.read_only.c_str(), O_RDONLY | O_CLOEXEC);
    report(fd >= 0, "open " + options.read_only + " for reading (a read-only sandbox path)");
    if (fd >= 0) ::close(fd);
}

// ---- The confined child ---------------------------------------------------

void check_threads_and_time() {
    bool ran = false;
    std::thread([&ran] { ran = true; }).join();
    report(ran, "a thread starts and ends (clone3 refused, glibc falls back to clone)");
    devflow::SystemClock clock;
    const devflow::TimePoint before = clock.now();
    clock.sleep_for(std::chrono::milliseconds(20));  // as between device-flow polls
    report(clock.now() - before >= std::chrono::milliseconds(20), "SystemClock sleeps and reads the time");
}

// Refused with an error rather than killed: glibc copes with both.
void check_soft_refusals() {
    const int netlink = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
    const int netlink_error = errno;
    if (netlink >= 0) ::close(netlink);
    report(netlink < 0 && netlink_error == EAFNOSUPPORT, "socket(AF_NETLINK) fails with EAFNOSUPPORT",
           netlink >= 0 ? "it opened" : std::strerror(netlink_error));
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    const int tty_error = errno;
    report(!terminal && tty_error == ENOTTY, "isatty(stderr): ioctl(TCGETS) fails with ENOTTY",
           std::strerror(tty_error));
}

// Uid, NoNewPrivs and Seccomp from /proc/self/status, read through a
// descriptor opened before the sandbox: the sandbox itself keeps /proc out.
void print_status(int status_fd) {
    char buffer[8192];
    const ssize_t size = ::lseek(status_fd, 0, SEEK_SET) == 0 ? ::read(status_fd, buffer, sizeof buffer - 1) : -1;
    if (size <= 0) {
        report(false, "reading /proc/self/status", std::strerror(errno));
        return;
    }
    buffer[size] = '\0';
    for (char *line = std::strtok(buffer, "\n"); line != nullptr; line = std::strtok(nullptr, "\n")) {
        for (const char *name : {"Uid:", "Gid:", "NoNewPrivs:", "Seccomp:"}) {
            if (std::strncmp(line, name, std::strlen(name)) == 0) std::printf("status %s\n", line);
        }
    }
}

devflow::SandboxPaths sandbox_paths(const Options &options) {
    devflow::SandboxPaths paths;
    paths.state_dir = options.state_dir;
    paths.read_only = {options.ca_file, options.read_only};
    return paths;
}

int exercise(const Options &options) {
    const int status_fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    const devflow::SandboxReport sandbox = devflow::confine_helper(sandbox_paths(options));
    std::printf("sandbox: landlock %s, ABI %d: %s\n", sandbox.landlock ? "on" : "off", sandbox.landlock_abi,
                sandbox.landlock_note.c_str());
    check_threads_and_time();
    check_soft_refusals();
    for (const auto &url : options.plain_urls) expect_json(url, "");
    for (const auto &url : options.pinned_urls) expect_json(url, options.ca_file);
    for (const auto &url : options.untrusted_urls) expect_untrusted(url);
    check_openssl();
    check_state_dir(options.state_dir);
    check_file_denials(options, sandbox.landlock);
    print_status(status_fd);
    return failures == 0 ? 0 : 1;
}

// ---- The parent -----------------------------------------------------------

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("killed by SIG") + ::sigabbrev_np(WTERMSIG(status));
    return "status " + std::to_string(status);
}

// Runs `part` in a child process and returns its wait status.
int run_in_child(const std::function<int()> &part) {
    std::fflush(stdout);
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        failures = 0;  // the child's own count, not the parent's so far
        int code = 1;
        try {
            code = part();
        } catch (const std::exception &error) {
            report(false, "the confined child threw", error.what());
        }
        std::fflush(stdout);
        ::_exit(code);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

// A call the filter must answer with SIGSYS, made by a confined child.
struct Forbidden {
    const char *what;
    std::function<long()> call;
};

std::vector<Forbidden> forbidden_calls() {
    static char *const kArgv[] = {const_cast<char *>("/bin/true"), nullptr};
    static char *const kEnvp[] = {nullptr};
    return {
        {"execve(\"/bin/true\")", [] { return static_cast<long>(::execve("/bin/true", kArgv, kEnvp)); }},
        {"fork()", [] { return static_cast<long>(::fork()); }},
        {"setuid(own uid)", [] { return static_cast<long>(::setuid(::getuid())); }},
        {"unshare(CLONE_NEWUSER)", [] { return static_cast<long>(::unshare(CLONE_NEWUSER)); }},
        {"ptrace(PTRACE_TRACEME)", [] { return ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr); }},
        {"socket(AF_PACKET)", [] { return static_cast<long>(::socket(AF_PACKET, SOCK_RAW, 0)); }},
        {"bind() of a TCP socket",
         [] {
             const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
             sockaddr_in address{};
             address.sin_family = AF_INET;
             return static_cast<long>(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address));
         }},
    };
}

void check_forbidden(const Options &options) {
    for (const Forbidden &forbidden : forbidden_calls()) {
        const int status = run_in_child([&] {
            devflow::confine_helper(sandbox_paths(options));
            const long result = forbidden.call();
            std::printf("     %s returned %ld (%s)\n", forbidden.what, result, std::strerror(errno));
            return 3;
        });
        report(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "killed by SIGSYS: " + std::string(forbidden.what),
               describe_status(status));
    }
}

// confine_helper must throw, with `expected` in its message; in a child,
// which would otherwise stay confined.
void expect_refusal(
    const Options &options, const std::string &what, const std::string &expected,
    const std::function<void()> &before = [] {}) {
    const int status = run_in_child([&] {
        before();
        try {
            devflow::confine_helper(sandbox_paths(options));
        } catch (const Failure &failure) {
            std::printf("     %s\n", failure.what());
            return std::string(failure.what()).find(expected) != std::string::npos ? 0 : 1;
        }
        return 1;
    });
    report(WIFEXITED(status) && WEXITSTATUS(status) == 0, "confine_helper refuses " + what, describe_status(status));
}

void check_refuses_root(const Options &options) { expect_refusal(options, "to run as root", "runs as root"); }

// A thread that blocks for good: the child exits, never joins it.
void check_refuses_threads(const Options &options) {
    expect_refusal(options, "a process with a second thread", "more than one thread",
                   [] { std::thread([] { ::pause(); }).detach(); });
}

// As root: the state directory becomes nobody's, then so does the process.
bool become_nobody(const std::string &state_dir) {
    const bool dropped = ::chown(state_dir.c_str(), kNobody, kNobody) == 0 && ::setgroups(0, nullptr) == 0 &&
                         ::setresgid(kNobody, kNobody, kNobody) == 0 && ::setresuid(kNobody, kNobody, kNobody) == 0;
    if (!dropped) std::fprintf(stderr, "sandbox_probe: cannot become nobody: %s\n", std::strerror(errno));
    return dropped;
}

bool parse(int argc, char **argv, Options &options) {
    const std::map<std::string, std::string *> single = {{"--state-dir", &options.state_dir},
                                                         {"--ca-file", &options.ca_file},
                                                         {"--read-only", &options.read_only},
                                                         {"--outside", &options.outside}};
    const std::map<std::string, std::vector<std::string> *> repeated = {
        {"--plain", &options.plain_urls}, {"--pinned", &options.pinned_urls}, {"--untrusted", &options.untrusted_urls}};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (auto one = single.find(argv[i]); one != single.end()) {
            *one->second = argv[i + 1];
        } else if (auto many = repeated.find(argv[i]); many != repeated.end()) {
            many->second->push_back(argv[i + 1]);
        } else {
            return false;
        }
    }
    return argc % 2 == 1 && !options.state_dir.empty() && !options.ca_file.empty() && !options.read_only.empty() &&
           !options.outside.empty();
}

}  // namespace

int main(int argc, char **argv) {
    Options options;
    if (!parse(argc, argv, options)) {
        std::fprintf(stderr,
                     "usage: sandbox_probe --state-dir DIR --ca-file PEM --read-only FILE --outside FILE "
                     "[--plain URL]... [--pinned URL]... [--untrusted URL]...\n");
        return 2;
    }
    if (::geteuid() == 0) {
        check_refuses_root(options);
        if (!become_nobody(options.state_dir)) return 2;
    }
    check_refuses_threads(options);
    const int status = run_in_child([&] { return exercise(options); });
    report(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the confined child's checks", describe_status(status));
    check_forbidden(options);
    std::printf("probe: %s\n", failures == 0 ? "all checks passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
