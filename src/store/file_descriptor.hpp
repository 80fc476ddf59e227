// SPDX-License-Identifier: Apache-2.0
// An open descriptor that closes itself, and the words a message about a file
// needs: errno's text and a mode in octal. safe_file.cpp is built on them; a
// reader that opens and checks a file itself, with messages of its own (the
// configuration file), can use them too.
#pragma once

#include <string>
#include <sys/types.h>
#include <unistd.h>

namespace devflow {

// Closes the descriptor when it goes out of scope.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }
    bool valid() const noexcept { return fd_ >= 0; }
    // Closes now and reports the result: close() can report a failed write-back.
    int close_now() noexcept {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }
    // Gives the descriptor up: the caller closes it.
    int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

// strerror(error): "No such file or directory".
std::string errno_text(int error);

// The permission bits as four octal digits: "0644".
std::string octal_mode(mode_t mode);

}  // namespace devflow
