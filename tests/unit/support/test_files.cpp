// SPDX-License-Identifier: Apache-2.0
#include "test_files.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace devflow::test {
namespace {

// Tests make directories unreadable or unwritable; give the owner access back
// so the tree can be removed.
void restore_access(const std::string &path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return;
    ::chmod(path.c_str(), 0700);
    DIR *dir = ::opendir(path.c_str());
    if (dir == nullptr) return;
    std::vector<std::string> children;
    while (const dirent *entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") children.push_back(path + "/" + name);
    }
    ::closedir(dir);
    for (const auto &child : children) restore_access(child);
}

}  // namespace

TempDir::TempDir() {
    const char *base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/devflow-test.XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        std::perror("mkdtemp");
        std::abort();
    }
    path_ = buffer.data();
}

TempDir::~TempDir() {
    restore_access(path_);
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);  // does not follow symlinks
}

void write_text(const std::string &path, const std::string &content, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        std::fprintf(stderr, "cannot create %s: %s\n", path.c_str(), std::strerror(errno));
        std::abort();
    }
    const bool ok =
        ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fchmod(fd, mode) == 0;
    ::close(fd);
    if (!ok) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::abort();
    }
}

std::string read_text(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "<unreadable>";
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

long file_mode(const std::string &path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return -1;
    return static_cast<long>(info.st_mode & 07777);
}

bool exists_nofollow(const std::string &path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0;
}

std::string list_dir(const std::string &dir) {
    std::vector<std::string> names;
    DIR *handle = ::opendir(dir.c_str());
    if (handle == nullptr) return "<unreadable>";
    while (const dirent *entry = ::readdir(handle)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(handle);
    std::sort(names.begin(), names.end());
    std::string joined;
    for (const auto &name : names) {
        if (!joined.empty()) joined += ",";
        joined += name;
    }
    return joined;
}

FileSizeLimit::FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) {
        std::perror("setrlimit(RLIMIT_FSIZE)");
        std::abort();
    }
}

FileSizeLimit::~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
}

bool running_as_root() noexcept { return ::geteuid() == 0; }

bool failed_with(const std::optional<Failure> &failure, Outcome outcome, const std::string &text) {
    if (!failure) {
        std::fprintf(stderr, "expected a Failure(%s), nothing was thrown\n", outcome_name(outcome));
        return false;
    }
    const std::string line = failure->what();
    if (failure->outcome() != outcome || line.find(text) == std::string::npos) {
        std::fprintf(stderr, "expected Failure(%s) containing \"%s\", got Failure(%s): %s\n", outcome_name(outcome),
                     text.c_str(), outcome_name(failure->outcome()), line.c_str());
        return false;
    }
    return true;
}

}  // namespace devflow::test
