// SPDX-License-Identifier: Apache-2.0
// File helpers for unit tests: a private temp directory removed with all its
// content, small read/write/stat helpers, and catching a devflow::Failure.
#pragma once

#include "base/failure.hpp"

#include <optional>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>

namespace devflow::test {

// mkdtemp under $TMPDIR (or /tmp); the destructor removes the whole tree.
class TempDir {
public:
    TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    ~TempDir();
    const std::string &path() const noexcept { return path_; }
    std::string operator/(const std::string &name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Creates or truncates `path` with exactly `mode`. Aborts the test on error.
void write_text(const std::string &path, const std::string &content, mode_t mode = 0600);
// The whole file; "<unreadable>" when it cannot be read.
std::string read_text(const std::string &path);
// Permission bits (07777), or -1 when lstat fails.
long file_mode(const std::string &path);
bool exists_nofollow(const std::string &path);
// Names in `dir` other than "." and "..", sorted, joined by ','.
std::string list_dir(const std::string &dir);

bool running_as_root() noexcept;
// A uid that is not ours, for foreign-owner tests run as root.
constexpr uid_t other_uid = 65534;

// While alive, writes that would grow a file beyond `bytes` fail with EFBIG
// (SIGXFSZ ignored). Unlike permissions this also stops root, so tests of
// "a failed write keeps the old file" run the same as root and as a user.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes);
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;
    ~FileSizeLimit();

private:
    rlimit saved_{};
    void (*previous_handler_)(int) = nullptr;
};

// Runs `work`; returns the Failure it threw, or nullopt if it returned.
template <typename Work>
std::optional<Failure> catch_failure(Work &&work) {
    try {
        work();
    } catch (const Failure &failure) {
        return failure;
    }
    return std::nullopt;
}

// True when `failure` is set, has `outcome`, and its log line contains `text`.
bool failed_with(const std::optional<Failure> &failure, Outcome outcome, const std::string &text = {});

}  // namespace devflow::test
