// SPDX-License-Identifier: Apache-2.0
#include "helper/seccomp_filter.hpp"

#include "base/failure.hpp"

#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string>
#include <unistd.h>

namespace devflow {
namespace {

// The calls allowed whatever their arguments, by what needs them: the set
// strace -f shows libcurl, OpenSSL, glibc's resolver and the state store make
// in tests/helper/sandbox_probe (test_sandbox.py --wrapper 'strace -f -o
// FILE'), on x86-64 with glibc 2.36 and libcurl 7.88. An operation is allowed
// in each spelling glibc may use for it (open/openat, poll/ppoll, ...): the
// kernel does the same thing, under the same Landlock checks, and arm64 has
// only the later ones. Calls with arguments worth checking (socket, clone,
// ioctl, fcntl, tgkill) have rules of their own below. Never here: execve,
// ptrace, process_vm_*, mount, setuid and chown families, kexec, bpf, keyctl,
// perf_event_open, personality, unshare, setns, module loading, bind, listen.
// clang-format off
constexpr int kAllowed[] = {
    // Memory: malloc (mremap: realloc of a large block), thread stacks, and
    // the libraries loaded late (NSS modules, OpenSSL providers).
    SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect), SCMP_SYS(madvise),
    // Files; Landlock decides which. Reading the CA store, OpenSSL's
    // configuration and the resolver's files; the state store's atomic
    // writes (temp file, fchmod, fsync, rename, unlinkat on failure), its
    // directories and its flock.
    SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(close), SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(lseek),
    SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(flock), SCMP_SYS(fsync), SCMP_SYS(fchmod),
    SCMP_SYS(mkdir), SCMP_SYS(mkdirat), SCMP_SYS(rename), SCMP_SYS(renameat), SCMP_SYS(renameat2),
    SCMP_SYS(unlink), SCMP_SYS(unlinkat),
    // Sockets: HTTP (connect, options, names), DNS (sendmmsg sends the A and
    // AAAA queries at once; recvfrom), the wake-up socketpair of libcurl's
    // threaded resolver, and the module's socket on fd 3 (sendmsg, recvmsg).
    SCMP_SYS(connect), SCMP_SYS(getsockname), SCMP_SYS(getpeername), SCMP_SYS(getsockopt),
    SCMP_SYS(setsockopt), SCMP_SYS(sendto), SCMP_SYS(recvfrom), SCMP_SYS(sendmsg), SCMP_SYS(recvmsg),
    SCMP_SYS(sendmmsg), SCMP_SYS(socketpair),
    // Waiting on sockets.
    SCMP_SYS(poll), SCMP_SYS(ppoll),
    // Threads (libcurl's resolver runs getaddrinfo in one): locks, glibc's
    // per-thread set-up, a thread's end.
    SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(exit),
    // Signals: glibc sets its own handler and masks; rt_sigreturn and
    // restart_syscall are how the kernel ends a handler or resumes a call.
    SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn), SCMP_SYS(restart_syscall),
    // Time (the vDSO's fallback; the sleep between device-flow polls) and
    // randomness (OpenSSL, temp file names).
    SCMP_SYS(clock_gettime), SCMP_SYS(clock_nanosleep), SCMP_SYS(getrandom),
    // Who we are (OpenSSL checks getpid for a fork; the store compares
    // owners with geteuid) and the machine (glibc's resolver reads the host
    // name with uname; qsort sizes memory with sysinfo).
    SCMP_SYS(getpid), SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid),
    SCMP_SYS(uname), SCMP_SYS(sysinfo),
    // The end.
    SCMP_SYS(exit_group),
};
// clang-format on

struct FilterReleaser {
    void operator()(void *filter) const noexcept { seccomp_release(filter); }
};
using Filter = std::unique_ptr<void, FilterReleaser>;

[[noreturn]] void fail_seccomp(const std::string &what, int result) {
    fail_system("sandbox: seccomp: " + what + ": " + std::strerror(-result));
}

std::string call_name(int call) {
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, call);
    std::string text = name != nullptr ? name : "call " + std::to_string(call);
    std::free(name);
    return text;
}

void add(const Filter &filter, std::uint32_t action, int call, unsigned count = 0,
         const scmp_arg_cmp *conditions = nullptr) {
    const int result = seccomp_rule_add_array(filter.get(), action, call, count, conditions);
    if (result != 0) fail_seccomp("a rule for " + call_name(call), result);
}

// socket() only for IPv4, IPv6 (HTTP, DNS) and Unix sockets (nscd, the
// systemd resolver). Netlink fails with EAFNOSUPPORT, not a kill: glibc's
// getaddrinfo asks it which addresses the host has before sorting two or
// more results (RFC 6724), and without an answer assumes both IPv4 and IPv6;
// allowing it would mean allowing bind() too. Any other family is a kill.
void allow_socket_families(const Filter &filter) {
    for (const int family : {AF_INET, AF_INET6, AF_UNIX}) {
        const scmp_arg_cmp family_is[] = {SCMP_A0_64(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family))};
        add(filter, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, family_is);
    }
    const scmp_arg_cmp netlink[] = {SCMP_A0_64(SCMP_CMP_EQ, AF_NETLINK)};
    add(filter, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, netlink);
}

// clone() only for a thread: CLONE_THREAD set and no namespace flag, so no
// new process. clone3 passes its flags in memory, which a filter cannot read:
// it fails with ENOSYS, and glibc falls back to clone.
void allow_threads_only(const Filter &filter) {
    constexpr scmp_datum_t kNamespaces =
        CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
    const scmp_arg_cmp thread_only[] = {SCMP_A0_64(SCMP_CMP_MASKED_EQ, CLONE_THREAD | kNamespaces, CLONE_THREAD)};
    add(filter, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, thread_only);
    add(filter, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3));
}

// A signal only to ourselves (abort() raises SIGABRT with tgkill), so a
// crash is reported as what it is rather than as a seccomp kill.
void allow_signals_to_self(const Filter &filter) {
    const scmp_arg_cmp to_self[] = {SCMP_A0_64(SCMP_CMP_EQ, static_cast<scmp_datum_t>(::getpid()))};
    add(filter, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, to_self);
}

// ioctl: FIONREAD (glibc's DNS client sizes an answer with it); any other
// request fails with ENOTTY, not a kill: stdio asks whether stderr is a
// terminal (TCGETS) and must simply hear no.
void allow_socket_ioctls(const Filter &filter) {
    const scmp_arg_cmp fionread[] = {SCMP_A1_64(SCMP_CMP_EQ, FIONREAD)};
    add(filter, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, fionread);
    const scmp_arg_cmp other[] = {SCMP_A1_64(SCMP_CMP_NE, FIONREAD)};
    add(filter, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), 1, other);
}

// fcntl: reading and setting the status flags (O_NONBLOCK, as libcurl does)
// and close-on-exec; not F_SETOWN/F_SETSIG (signals to another process),
// locks or duplicates.
void allow_plain_fcntls(const Filter &filter) {
    for (const int command : {F_GETFL, F_SETFL, F_GETFD, F_SETFD}) {
        const scmp_arg_cmp command_is[] = {SCMP_A1_64(SCMP_CMP_EQ, static_cast<scmp_datum_t>(command))};
        add(filter, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, command_is);
    }
}

}  // namespace

void install_seccomp_filter() {
    Filter filter(seccomp_init(SCMP_ACT_KILL_PROCESS));
    if (!filter) fail_system("sandbox: seccomp: cannot create a filter");
    // A call made through another architecture's entry (int 0x80 on x86-64)
    // is killed too, not only the thread that makes it.
    const int badarch = seccomp_attr_set(filter.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (badarch != 0) fail_seccomp("the action for other architectures", badarch);
    for (const int call : kAllowed) {
        // A negative number is a call this architecture does not have
        // (open, poll, ... on arm64): nothing to allow.
        if (call < 0) continue;
        add(filter, SCMP_ACT_ALLOW, call);
    }
    allow_socket_families(filter);
    allow_threads_only(filter);
    allow_signals_to_self(filter);
    allow_socket_ioctls(filter);
    allow_plain_fcntls(filter);
    const int loaded = seccomp_load(filter.get());
    if (loaded != 0) fail_seccomp("loading the filter", loaded);
}

}  // namespace devflow
