// SPDX-License-Identifier: Apache-2.0
#include "monitor/state_directory.hpp"

#include "base/log_text.hpp"
#include "store/file_descriptor.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace devflow {
namespace {

// Hands the regular root-owned files directly in `directory` to the account.
// Returns how many changed owner.
int hand_over_entries(int directory, const HelperAccount &account, Logger &logger) {
    const int listing = ::dup(directory);
    if (listing < 0) return 0;
    DIR *entries = ::fdopendir(listing);
    if (entries == nullptr) {
        ::close(listing);
        return 0;
    }
    int moved = 0;
    while (const dirent *entry = ::readdir(entries)) {
        const std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        struct stat info {};
        if (::fstatat(directory, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISREG(info.st_mode) || info.st_uid != 0) continue;
        if (::fchownat(directory, name.c_str(), account.uid, account.gid, AT_SYMLINK_NOFOLLOW) == 0) {
            ++moved;
        } else {
            logger.warning("state_dir: cannot hand " + quote_for_log(name) + " to " + account.name + ": " +
                           errno_text(errno));
        }
    }
    ::closedir(entries);
    return moved;
}

void prepare(const std::string &path, const HelperAccount &account, Logger &logger) {
    if (::mkdir(path.c_str(), 0700) == 0) {
        logger.debug("state_dir " + path + " created for " + account.name);
    } else if (errno != EEXIST) {
        logger.warning("state_dir " + path + " cannot be created: " + errno_text(errno));
        return;
    }
    FileDescriptor directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!directory.valid()) {
        logger.warning("state_dir " + path + " cannot be opened (" + errno_text(errno) +
                       "); it must be a directory, not a symlink");
        return;
    }
    struct stat info {};
    if (::fstat(directory.get(), &info) != 0) return;
    if (info.st_uid == account.uid) return;
    if (info.st_uid != 0) {
        logger.warning("state_dir " + path + " is owned by uid " + std::to_string(info.st_uid) + ", not by " +
                       account.name + " or root; the login runs without the state cache");
        return;
    }
    // Root's, from an older version (or just created): the helper's now.
    if (::fchown(directory.get(), account.uid, account.gid) != 0 || ::fchmod(directory.get(), 0700) != 0) {
        logger.warning("state_dir " + path + " cannot be handed to " + account.name + ": " + errno_text(errno));
        return;
    }
    const int moved = hand_over_entries(directory.get(), account, logger);
    if (moved > 0) {
        logger.info("state_dir " + path + " handed over to the helper account " + account.name + " (" +
                    std::to_string(moved) + " files)");
    }
}

}  // namespace

void prepare_state_directory(const std::string &path, const HelperAccount &account, Logger &logger) noexcept {
    try {
        prepare(path, account, logger);
    } catch (...) {
    }
}

}  // namespace devflow
