// SPDX-License-Identifier: Apache-2.0
#include "store/safe_file.hpp"

#include "base/failure.hpp"
#include "base/secret.hpp"
#include "base/text.hpp"
#include "store/file_descriptor.hpp"
#include "store/handed_files.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace devflow {
namespace {

bool has_nul(const std::string &text) { return text.find('\0') != std::string::npos; }

// A name inside a directory: no path separators, no "." or "..".
bool is_plain_name(const std::string &name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos && !has_nul(name);
}

// Reads the whole descriptor into one buffer sized from fstat, so the content
// (a client secret, say) is never copied into a chunk buffer or left behind by
// a reallocation. A file that grows past its fstat size while we read it is
// refused. On failure the buffer is wiped.
bool read_all(int fd, std::size_t expected_size, std::string &out, int &error) {
    out.assign(expected_size + 1, '\0');
    std::size_t done = 0;
    for (;;) {
        const ssize_t got = ::read(fd, out.data() + done, out.size() - done);
        if (got < 0) {
            if (errno == EINTR) continue;
            error = errno;
            wipe(out);
            return false;
        }
        if (got == 0) break;
        done += static_cast<std::size_t>(got);
        if (done == out.size()) {
            error = EFBIG;
            wipe(out);
            return false;
        }
    }
    out.resize(done);
    return true;
}

bool write_all(int fd, std::string_view content, int &error) {
    while (!content.empty()) {
        const ssize_t put = ::write(fd, content.data(), content.size());
        if (put < 0) {
            if (errno == EINTR) continue;
            error = errno;
            return false;
        }
        content.remove_prefix(static_cast<std::size_t>(put));
    }
    return true;
}

std::string temp_name_for(const std::string &name) {
    std::array<unsigned char, 8> random{};
    if (getrandom(random.data(), random.size(), 0) != static_cast<ssize_t>(random.size())) {
        // O_EXCL keeps this safe anyway; randomness only avoids collisions.
        const auto pid = static_cast<unsigned long>(getpid());
        std::memcpy(random.data(), &pid, std::min(sizeof pid, random.size()));
    }
    return "." + name + ".tmp." + hex_encode(random);
}

FileDescriptor open_directory_nofollow(const std::string &path) {
    return FileDescriptor(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

std::string directory_open_problem(const std::string &path, int error) {
    // O_DIRECTORY|O_NOFOLLOW on a symlink fails with ENOTDIR on Linux (ELOOP
    // elsewhere); lstat only picks the message, the open already refused.
    struct stat info {};
    const bool is_symlink = ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
    if (error == ELOOP || (error == ENOTDIR && is_symlink)) {
        return "directory " + path + " is a symlink; refusing to follow it";
    }
    if (error == ENOTDIR) return path + " is not a directory";
    return "cannot open directory " + path + ": " + errno_text(error);
}

// The status of the directory `fd` (just opened with open_directory_nofollow)
// after checking that the open worked, that it is a directory and that `owner`
// owns it. Throws Failure(system_error).
struct stat owned_directory_status(const FileDescriptor &fd, const std::string &path, uid_t owner) {
    if (!fd.valid()) fail_system(directory_open_problem(path, errno));
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) fail_system("cannot stat directory " + path + ": " + errno_text(errno));
    if (!S_ISDIR(info.st_mode)) fail_system(path + " is not a directory");
    if (info.st_uid != owner) {
        fail_system("directory " + path + " is owned by uid " + std::to_string(info.st_uid) + ", expected uid " +
                    std::to_string(owner) + "; refusing to use it");
    }
    return info;
}

}  // namespace

uid_t trusted_file_owner() noexcept { return geteuid(); }

namespace {

using Reason = TrustedFileRefusal::Reason;

// read_trusted_file's own words for a refusal.
std::string trusted_file_message(const std::string &path, uid_t required_owner, std::size_t max_bytes,
                                 const TrustedFileRefusal &refusal) {
    switch (refusal.reason) {
    case Reason::invalid_path: return "invalid file path \"" + path + "\"";
    case Reason::cannot_open:
        if (refusal.error == ELOOP) return path + " is a symlink; point the configuration at the real file";
        return "cannot open " + path + ": " + errno_text(refusal.error) +
               "; check that the file exists and is readable";
    case Reason::cannot_stat: return "cannot stat " + path + ": " + errno_text(refusal.error);
    case Reason::not_regular_file: return path + " is not a regular file; point the configuration at a regular file";
    case Reason::foreign_owner:
        return path + " is owned by uid " + std::to_string(refusal.owner) + "; it must be owned by " +
               (required_owner == 0 ? std::string("root") : "root or uid " + std::to_string(required_owner)) +
               " (chown root " + path + ")";
    case Reason::writable_by_others:
        return path + " has mode " + octal_mode(refusal.mode) + ", writable by group or others; run chmod go-w " + path;
    case Reason::readable_by_others:
        return path + " has mode " + octal_mode(refusal.mode) +
               " but holds a secret: only its owner may read it; run chmod 600 " + path;
    case Reason::too_large:
        return path + " is larger than " + std::to_string(max_bytes) + " bytes; is it the right file?";
    case Reason::changed_while_read: return path + " changed while being read; try again";
    case Reason::cannot_read: return "cannot read " + path + ": " + errno_text(refusal.error);
    }
    return "cannot read " + path;
}

// The files the module handed over, in the helper process (handed_files.hpp).
std::optional<std::vector<HandedFile>> &handed_files() {
    static std::optional<std::vector<HandedFile>> files;
    return files;
}

const HandedFile *handed_file(const std::string &path) {
    for (const auto &file : *handed_files()) {
        if (file.path == path) return &file;
    }
    return nullptr;
}

}  // namespace

void serve_trusted_files_from(std::vector<HandedFile> files) { handed_files() = std::move(files); }

std::string read_trusted_file(const std::string &path, uid_t required_owner, std::size_t max_bytes,
                              FileSecrecy secrecy) {
    return read_trusted_file(path, required_owner, max_bytes, secrecy, [&](const TrustedFileRefusal &refusal) {
        return trusted_file_message(path, required_owner, max_bytes, refusal);
    });
}

std::optional<std::string> read_trusted_file_if_present(const std::string &path, uid_t required_owner,
                                                        std::size_t max_bytes, FileSecrecy secrecy) {
    bool missing = false;
    try {
        return read_trusted_file(path, required_owner, max_bytes, secrecy, [&](const TrustedFileRefusal &refusal) {
            missing = refusal.reason == Reason::cannot_open && refusal.error == ENOENT;
            return trusted_file_message(path, required_owner, max_bytes, refusal);
        });
    } catch (const Failure &) {
        if (missing) return std::nullopt;
        throw;
    }
}

std::string read_trusted_file(const std::string &path, uid_t required_owner, std::size_t max_bytes, FileSecrecy secrecy,
                              const TrustedFileWording &wording) {
    TrustedFileRefusal refusal;
    const auto refuse = [&](Reason reason, int error) {
        refusal.reason = reason;
        refusal.error = error;
        fail_config(wording(refusal));
    };
    if (path.empty() || has_nul(path)) refuse(Reason::invalid_path, 0);
    if (handed_files()) {
        const HandedFile *file = handed_file(path);
        if (file == nullptr) fail_config(path + " was not handed over to the helper by the module");
        if (file->state == HandedFile::State::missing) refuse(Reason::cannot_open, ENOENT);
        if (file->state == HandedFile::State::refused) fail_config(file->content);
        refusal.size = static_cast<long long>(file->content.size());
        if (file->content.size() > max_bytes) refuse(Reason::too_large, 0);
        return file->content;
    }
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.valid()) refuse(Reason::cannot_open, errno);
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) refuse(Reason::cannot_stat, errno);
    refusal.mode = info.st_mode;
    refusal.owner = info.st_uid;
    refusal.size = static_cast<long long>(info.st_size);
    if (!S_ISREG(info.st_mode)) refuse(Reason::not_regular_file, 0);
    if (info.st_uid != required_owner && info.st_uid != 0) refuse(Reason::foreign_owner, 0);
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) refuse(Reason::writable_by_others, 0);
    if (secrecy == FileSecrecy::secret && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        refuse(Reason::readable_by_others, 0);
    }
    if (info.st_size < 0 || static_cast<unsigned long long>(info.st_size) > max_bytes) refuse(Reason::too_large, 0);
    std::string content;
    int error = 0;
    if (!read_all(fd.get(), static_cast<std::size_t>(info.st_size), content, error)) {
        refuse(error == EFBIG ? Reason::changed_while_read : Reason::cannot_read, error == EFBIG ? 0 : error);
    }
    return content;
}

void ensure_private_directory(const std::string &path, uid_t owner) {
    if (path.empty() || has_nul(path)) fail_system("invalid directory path \"" + path + "\"");
    bool created = false;
    if (::mkdir(path.c_str(), 0700) == 0) {
        created = true;
    } else if (errno != EEXIST) {
        fail_system("cannot create directory " + path + ": " + errno_text(errno));
    }
    FileDescriptor fd = open_directory_nofollow(path);
    const struct stat info = owned_directory_status(fd, path, owner);
    // The umask may have taken bits we need; a directory we made is exactly 0700.
    if (created && (info.st_mode & 07777) != 0700) {
        if (::fchmod(fd.get(), 0700) != 0) fail_system("cannot chmod 0700 " + path + ": " + errno_text(errno));
        return;
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        fail_system("directory " + path + " has mode " + octal_mode(info.st_mode) +
                    ", writable by group or others; run chmod go-w " + path);
    }
}

void check_owned_directory(const std::string &path, uid_t owner) {
    if (path.empty() || has_nul(path)) fail_system("invalid directory path \"" + path + "\"");
    FileDescriptor fd = open_directory_nofollow(path);
    owned_directory_status(fd, path, owner);
}

void write_file_atomically(const std::string &dir, const std::string &name, std::string_view content, mode_t mode) {
    if (dir.empty() || has_nul(dir)) fail_system("invalid directory path \"" + dir + "\"");
    if (!is_plain_name(name)) fail_system("invalid file name \"" + name + "\" in " + dir);
    const std::string target = dir + "/" + name;

    FileDescriptor dir_fd = open_directory_nofollow(dir);
    if (!dir_fd.valid()) fail_system(directory_open_problem(dir, errno));

    struct stat existing {};
    if (::fstatat(dir_fd.get(), name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(existing.st_mode)) fail_system(target + " is a symlink; refusing to replace it");
        if (!S_ISREG(existing.st_mode)) fail_system(target + " is not a regular file; refusing to replace it");
    } else if (errno != ENOENT) {
        fail_system("cannot stat " + target + ": " + errno_text(errno));
    }

    std::string temp;
    int temp_fd_number = -1;
    for (int attempt = 0; attempt < 8 && temp_fd_number < 0; ++attempt) {
        temp = temp_name_for(name);
        temp_fd_number =
            ::openat(dir_fd.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);
        if (temp_fd_number < 0 && errno != EEXIST) break;
    }
    if (temp_fd_number < 0) fail_system("cannot create a temporary file in " + dir + ": " + errno_text(errno));
    FileDescriptor temp_fd(temp_fd_number);

    // From here on every failure removes the temp file; the target is untouched
    // until the rename, which replaces it in one step.
    auto give_up = [&](const std::string &what, int error) {
        ::unlinkat(dir_fd.get(), temp.c_str(), 0);
        fail_system("cannot write " + target + ": " + what + ": " + errno_text(error) +
                    "; the previous file was left in place");
    };
    int error = 0;
    // The umask must not change the mode the caller asked for.
    if (::fchmod(temp_fd.get(), mode) != 0) give_up("fchmod", errno);
    if (!write_all(temp_fd.get(), content, error)) give_up("write", error);
    if (::fsync(temp_fd.get()) != 0) give_up("fsync", errno);
    if (temp_fd.close_now() != 0) give_up("close", errno);
    if (::renameat(dir_fd.get(), temp.c_str(), dir_fd.get(), name.c_str()) != 0) give_up("rename", errno);
    // The new content is in place; make the rename itself durable.
    if (::fsync(dir_fd.get()) != 0) {
        fail_system("cannot fsync directory " + dir + " after replacing " + target + ": " + errno_text(errno));
    }
}

namespace {

enum class Privacy { required, not_required };

std::optional<OwnedFile> read_user_file(const std::string &dir, const std::string &name, uid_t owner,
                                        std::size_t max_bytes, Privacy privacy) {
    if (dir.empty() || has_nul(dir)) fail_system("invalid directory path \"" + dir + "\"");
    if (!is_plain_name(name)) fail_system("invalid file name \"" + name + "\" in " + dir);
    const std::string path = dir + "/" + name;

    FileDescriptor dir_fd = open_directory_nofollow(dir);
    if (!dir_fd.valid()) {
        if (errno == ENOENT) return std::nullopt;
        fail_system(directory_open_problem(dir, errno));
    }
    FileDescriptor fd(::openat(dir_fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.valid()) {
        const int open_error = errno;
        if (open_error == ENOENT) return std::nullopt;
        if (open_error == ELOOP) fail_system(path + " is a symlink; refusing to follow it");
        fail_system("cannot open " + path + ": " + errno_text(open_error));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) fail_system("cannot stat " + path + ": " + errno_text(errno));
    if (!S_ISREG(info.st_mode)) fail_system(path + " is not a regular file");
    if (info.st_uid != owner) {
        fail_system(path + " is owned by uid " + std::to_string(info.st_uid) + ", expected uid " +
                    std::to_string(owner) + "; refusing to read it");
    }
    if (privacy == Privacy::required && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        fail_system(path + " has mode " + octal_mode(info.st_mode) +
                    ", accessible by group or others; refusing to read it (chmod 0600 " + path + ")");
    }
    if (info.st_size < 0 || static_cast<unsigned long long>(info.st_size) > max_bytes) {
        fail_system(path + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    OwnedFile file;
    file.mode = info.st_mode & 07777;
    int error = 0;
    if (!read_all(fd.get(), static_cast<std::size_t>(info.st_size), file.content, error)) {
        if (error == EFBIG) fail_system(path + " changed while being read");
        fail_system("cannot read " + path + ": " + errno_text(error));
    }
    return file;
}

}  // namespace

std::optional<std::string> read_private_file(const std::string &dir, const std::string &name, uid_t owner,
                                             std::size_t max_bytes) {
    auto file = read_user_file(dir, name, owner, max_bytes, Privacy::required);
    if (!file) return std::nullopt;
    return std::move(file->content);
}

std::optional<OwnedFile> read_owned_file(const std::string &dir, const std::string &name, uid_t owner,
                                         std::size_t max_bytes) {
    return read_user_file(dir, name, owner, max_bytes, Privacy::not_required);
}

}  // namespace devflow
