// SPDX-License-Identifier: Apache-2.0
#include "store/state_lock.hpp"

#include "base/failure.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace devflow {
namespace {

constexpr std::chrono::milliseconds kRetryEvery{20};

int open_lock_file(const std::string &path) {
    // O_NONBLOCK: a FIFO planted at the path must not hang the login.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
    if (fd < 0) {
        fail_system("cannot open the lock file " + path + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
        (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        ::close(fd);
        fail_system("the lock file " + path +
                    " is not a private regular file owned by us; remove it and check who created it");
    }
    return fd;
}

}  // namespace

StateLock::StateLock(const std::string &dir, const std::string &name, Clock &clock, std::chrono::milliseconds timeout) {
    const std::string path = dir + "/" + name;
    fd_ = open_lock_file(path);
    const MonotonicTime deadline = clock.monotonic_now() + timeout;
    for (;;) {
        if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
        const int error = errno;
        if (error != EWOULDBLOCK && error != EINTR) {
            ::close(fd_);
            fail_system("cannot lock " + path + ": " + std::strerror(error));
        }
        if (clock.monotonic_now() >= deadline) {
            ::close(fd_);
            fail_unavailable("another login has held the lock " + path + " for " + std::to_string(timeout.count()) +
                             " ms; giving up");
        }
        clock.sleep_for(kRetryEvery);
    }
}

StateLock::~StateLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace devflow
