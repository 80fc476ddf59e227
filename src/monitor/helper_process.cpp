// SPDX-License-Identifier: Apache-2.0
#include "monitor/helper_process.hpp"

#include "base/failure.hpp"
#include "store/file_descriptor.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace devflow {
namespace {

constexpr int kChildChannel = 3;

void check_binary(const std::string &path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        fail_config("the login helper " + path + " cannot be used: " + errno_text(errno) +
                    "; install the package's helper or pass helper= with its path");
    }
    if (!S_ISREG(info.st_mode) || (info.st_mode & S_IXUSR) == 0) {
        fail_config("the login helper " + path + " is not an executable file");
    }
    if (::geteuid() == 0 && (info.st_uid != 0 || (info.st_mode & (S_IWGRP | S_IWOTH)) != 0)) {
        fail_config("the login helper " + path + " must be owned by root and writable by nobody else (mode " +
                    octal_mode(info.st_mode) + ", uid " + std::to_string(info.st_uid) + ")");
    }
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void become_helper(int channel, const char *path, const std::optional<HelperAccount> &account,
                                pid_t parent) {
    if (channel != kChildChannel) {
        if (::dup2(channel, kChildChannel) < 0) ::_exit(126);
    } else if (::fcntl(kChildChannel, F_SETFD, 0) < 0) {
        ::_exit(126);
    }
    const int null = ::open("/dev/null", O_RDWR);
    if (null < 0) ::_exit(126);
    for (int fd = 0; fd < 3; ++fd) {
        if (null != fd && ::dup2(null, fd) < 0) ::_exit(126);
    }
    if (::syscall(SYS_close_range, kChildChannel + 1, ~0U, 0) != 0) ::_exit(126);
    if (null > 2 && null != kChildChannel) ::close(null);  // already closed by close_range if above 3

    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);

    if (account) {
        if (::setgroups(0, nullptr) != 0 || ::setresgid(account->gid, account->gid, account->gid) != 0 ||
            ::setresuid(account->uid, account->uid, account->uid) != 0) {
            ::_exit(125);
        }
        if (::setuid(0) == 0 || ::geteuid() == 0 || ::getegid() == 0) ::_exit(125);  // root must be gone for good
    }
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(125);
    // After the uid change, which clears it; then make sure the module still lives.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || ::getppid() != parent) ::_exit(125);

    char name[] = "pam-device-flow-helper";
    char *const argv[] = {name, nullptr};
    char *const envp[] = {nullptr};
    ::execve(path, argv, envp);
    ::_exit(127);
}

std::string ending_of(int status) {
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        std::string text = "exited with status " + std::to_string(code);
        if (code == 125) text += " (could not drop privileges)";
        if (code == 126) text += " (could not set up its descriptors)";
        if (code == 127) text += " (could not be executed)";
        return text;
    }
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        std::string text = "was killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
        if (signal == SIGSYS) text += ": a system call outside its seccomp filter";
        return text;
    }
    return "ended with wait status " + std::to_string(status);
}

}  // namespace

HelperProcess::HelperProcess(const std::string &path, const std::optional<HelperAccount> &account) {
    check_binary(path);
    int ends[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
        fail_system(std::string("cannot create the helper's channel: ") + errno_text(errno));
    }
    FileDescriptor mine(ends[0]);
    FileDescriptor theirs(ends[1]);
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0) fail_system(std::string("cannot start the login helper: fork: ") + errno_text(errno));
    if (child == 0) become_helper(theirs.get(), path.c_str(), account, parent);
    pid_ = child;
    channel_ = mine.release();
}

HelperProcess::~HelperProcess() { stop(std::chrono::milliseconds(0)); }

std::string HelperProcess::stop(std::chrono::milliseconds grace) noexcept {
    if (channel_ >= 0) {
        ::close(channel_);
        channel_ = -1;
    }
    if (pid_ <= 0) return ending_;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            ending_ = ending_of(status);
            break;
        }
        if (done < 0 && errno != EINTR) {  // ECHILD: the host reaped it (or ignores SIGCHLD)
            ending_.clear();
            break;
        }
        if (done == 0 && std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            ending_ = ending_of(status);
            break;
        }
        if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    pid_ = -1;
    return ending_;
}

}  // namespace devflow
