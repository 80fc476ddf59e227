// SPDX-License-Identifier: Apache-2.0
#include "helper/landlock.hpp"

#include "base/failure.hpp"

#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace devflow {
namespace {

using Access = std::uint64_t;

// Access rights by the ABI version that brought them. Debian 12's kernel
// headers (6.1) name only those of ABI 1 and 2, so the later ones are spelled
// out here, with the values of the kernel's UAPI.
constexpr Access kAbi1Rights = (Access{1} << 13) - 1;  // EXECUTE ... MAKE_SYM
constexpr Access kRefer = LANDLOCK_ACCESS_FS_REFER;    // ABI 2
constexpr Access kTruncate = Access{1} << 14;          // ABI 3
constexpr Access kIoctlDev = Access{1} << 15;          // ABI 5
// ABI 6 scopes: no connecting to abstract Unix sockets, and no signals, to
// processes outside the sandbox.
constexpr Access kScopeAbstractUnixSocket = Access{1} << 0;
constexpr Access kScopeSignal = Access{1} << 1;

// The rights a rule on a file (rather than a directory) may carry.
constexpr Access kFileRights =
    LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | kTruncate | kIoctlDev;

constexpr Access kRead = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
// Beneath the state directory: read, write, replace (temp file + rename, also
// into a subdirectory: REFER), remove, and make files and directories. No
// symlinks, sockets, FIFOs or devices, no execution.
constexpr Access kReadWrite = kRead | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG |
                              LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                              LANDLOCK_ACCESS_FS_REMOVE_DIR | kRefer | kTruncate;

// Read-only, for every helper: what libcurl, OpenSSL and glibc's resolver
// read after the sandbox is up (found with strace -f on
// tests/helper/sandbox_probe). Paths that do not exist are skipped. A rule
// binds the file a path names after its symlinks (/etc/resolv.conf may point
// into /run). Left out because nothing there is read: /dev (OpenSSL and
// glibc use getrandom, not /dev/urandom), /proc, /etc/passwd (libcurl reads
// it only for .netrc, never enabled), /etc/ca-certificates (update hooks),
// /usr/lib/ssl (links into /etc/ssl, and under /usr/lib anyway).
// clang-format off
const char *const kReadOnlyPaths[] = {
    // The CA store libcurl and OpenSSL use by default (Debian: CAINFO
    // ca-certificates.crt and CAPATH /etc/ssl/certs, whose hashed links point
    // into the two ca-certificates directories) and OpenSSL's configuration,
    // read when libcurl initialises. Not all of /etc/ssl: /etc/ssl/private
    // holds the host's private keys.
    "/etc/ssl/certs",
    "/etc/ssl/openssl.cnf",
    "/usr/share/ca-certificates",
    "/usr/local/share/ca-certificates",
    // glibc's resolver: which sources (nsswitch.conf, host.conf), the hosts
    // file, the name servers, and how getaddrinfo orders addresses.
    "/etc/nsswitch.conf",
    "/etc/host.conf",
    "/etc/hosts",
    "/etc/resolv.conf",
    "/etc/gai.conf",
    // The time zone: gmtime_r, which OpenSSL calls to check a certificate's
    // dates, loads it first. Refused, glibc would fall back to UTC, but
    // Landlock would log a denial (ABI 7 audits) on every login.
    "/etc/localtime",
    // Libraries loaded late, by name: NSS modules (nss_resolve, nss_sss,
    // ...), OpenSSL providers and engines. ld.so.cache is how the loader
    // finds them. Read is enough: Landlock's EXECUTE is about execve, which
    // the seccomp filter kills, not about mapping a library.
    "/etc/ld.so.cache",
    "/usr/lib",
    "/usr/lib64",
    "/lib",
    "/lib64",
};
// clang-format on

struct RulesetAttr {  // struct landlock_ruleset_attr as of ABI 6
    std::uint64_t handled_access_fs = 0;
    std::uint64_t handled_access_net = 0;
    std::uint64_t scoped = 0;
};

[[noreturn]] void fail_landlock(const std::string &what, int error) {
    fail_system("sandbox: Landlock: " + what + ": " + std::strerror(error));
}

class Descriptor {
public:
    explicit Descriptor(int fd) noexcept : fd_(fd) {}
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

// Every file-system right this ABI knows, so none is left allowed by default.
Access handled_rights(int abi) {
    Access rights = kAbi1Rights;
    if (abi >= 2) rights |= kRefer;
    if (abi >= 3) rights |= kTruncate;
    if (abi >= 5) rights |= kIoctlDev;
    return rights;
}

int create_ruleset(int abi) {
    RulesetAttr attr;
    attr.handled_access_fs = handled_rights(abi);
    // The network rights (ABI 4) stay unhandled: the helper connects to any
    // port an IdP or proxy uses, and the seccomp filter has no bind or listen.
    if (abi >= 6) attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
    // An older kernel reads the prefix it knows.
    const std::size_t size = abi >= 6 ? sizeof attr : abi >= 4 ? 2 * sizeof(std::uint64_t) : sizeof(std::uint64_t);
    const long fd = ::syscall(SYS_landlock_create_ruleset, &attr, size, 0U);
    if (fd < 0) fail_landlock("creating the rule set", errno);
    return static_cast<int>(fd);
}

// Allows `access` beneath `path` (on the file itself when it is not a
// directory); false when the path does not exist, or (`unreachable_too`)
// when the helper's account may not reach it; errno says which.
bool allow(int ruleset, const std::string &path, Access access, int abi, bool unreachable_too = false) {
    Descriptor fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return false;
        if (unreachable_too && errno == EACCES) return false;
        fail_landlock("opening " + path, errno);
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) fail_landlock("stat " + path, errno);
    access &= handled_rights(abi);
    if (!S_ISDIR(info.st_mode)) access &= kFileRights;
    landlock_path_beneath_attr rule{};
    rule.allowed_access = access;
    rule.parent_fd = fd.get();
    if (::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0U) != 0) {
        fail_landlock("a rule for " + path, errno);
    }
    return true;
}

std::string join(const std::vector<std::string> &items) {
    std::string text;
    for (const auto &item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

}  // namespace

int landlock_abi() {
    const long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi >= 0) return static_cast<int>(abi);
    // ENOSYS: not built into this kernel; EOPNOTSUPP: built in, not enabled.
    if (errno == ENOSYS || errno == EOPNOTSUPP) return 0;
    fail_landlock("asking for the ABI version", errno);
}

void restrict_file_system(const SandboxPaths &paths, SandboxReport &report) {
    report.landlock_abi = landlock_abi();
    if (report.landlock_abi == 0) {
        report.landlock_note = "the kernel has no Landlock; the file system is not restricted";
        return;
    }
    const int abi = report.landlock_abi;
    Descriptor ruleset(create_ruleset(abi));
    std::vector<std::string> missing;
    for (const char *path : kReadOnlyPaths) {
        if (!allow(ruleset.get(), path, kRead, abi)) missing.emplace_back(path);
    }
    for (const auto &path : paths.read_only) {
        if (!allow(ruleset.get(), path, kRead, abi)) missing.push_back(path);
    }
    if (!paths.state_dir.empty() && !allow(ruleset.get(), paths.state_dir, kReadWrite, abi, true)) {
        report.state_dir_problem = paths.state_dir + ": " + std::strerror(errno);
    }
    if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0U) != 0) fail_landlock("restricting", errno);
    report.landlock = true;
    report.landlock_note = "Landlock ABI " + std::to_string(abi);
    if (!missing.empty()) report.landlock_note += "; not present, left out: " + join(missing);
}

}  // namespace devflow
