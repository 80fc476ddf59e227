// SPDX-License-Identifier: Apache-2.0
// File I/O for a module that runs as root inside sshd and sudo. Every file is
// opened without following a final symlink and checked through the open
// descriptor (fstat), so what we check is what we read; writes go to a temp
// file that is renamed over the target, so a failed write never destroys the
// previous content (pam-u2f and google-authenticator do the same).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace devflow {

// Reads an admin-controlled file (user map, client secret). It must be a
// regular file, not a symlink, owned by `required_owner` or by root (root can
// replace it anyway), not group- or world-writable, and at most `max_bytes`.
// A file holding a secret (client_secret_file) must not be readable by group
// or others either. Throws Failure(config_error) naming the path and the fix.
enum class FileSecrecy { public_content, secret };
std::string read_trusted_file(const std::string &path, uid_t required_owner, std::size_t max_bytes,
                              FileSecrecy secrecy = FileSecrecy::public_content);

// read_trusted_file, but nullopt when the file does not exist (ENOENT).
std::optional<std::string> read_trusted_file_if_present(const std::string &path, uid_t required_owner,
                                                        std::size_t max_bytes, FileSecrecy secrecy);

// The owner read_trusted_file should require for admin files: root when we run
// as root, else the effective uid (the command and the tests run unprivileged).
uid_t trusted_file_owner() noexcept;

// Why read_trusted_file refused a file, for a caller that words the refusal
// itself (the configuration file has messages of its own);
// store/file_descriptor.hpp has the words for errno and the mode.
struct TrustedFileRefusal {
    enum class Reason {
        invalid_path,        // empty, or holding a NUL byte
        cannot_open,         // error; ELOOP for a symlink
        cannot_stat,         // error
        not_regular_file,    // mode
        foreign_owner,       // owner
        writable_by_others,  // mode
        readable_by_others,  // mode (FileSecrecy::secret only)
        too_large,           // size
        changed_while_read,  // it grew past its size while being read
        cannot_read,         // error
    };
    Reason reason = Reason::invalid_path;
    int error = 0;       // errno, for cannot_open, cannot_stat and cannot_read (errno_text)
    mode_t mode = 0;     // st_mode, type bits included, once the file is open (octal_mode)
    uid_t owner = 0;     // st_uid
    long long size = 0;  // st_size
};
using TrustedFileWording = std::function<std::string(const TrustedFileRefusal &)>;

// read_trusted_file with the caller's words: the same checks, each refusal
// thrown as Failure(config_error) with the message `wording` makes of it.
std::string read_trusted_file(const std::string &path, uid_t required_owner, std::size_t max_bytes, FileSecrecy secrecy,
                              const TrustedFileWording &wording);

// Makes sure `path` is a directory owned by `owner` that nobody else can write:
// creates it with mode 0700 when missing (its parent must exist), refuses a
// symlink, a foreign owner and group/world-writable modes.
// Throws Failure(system_error).
void ensure_private_directory(const std::string &path, uid_t owner);

// Checks, without creating or changing anything, that `path` is a directory
// (not a symlink) owned by `owner`. Throws Failure(system_error).
void check_owned_directory(const std::string &path, uid_t owner);

// Replaces dir/name with `content`: a temp file in `dir` created with `mode`,
// written, fsynced, renamed over `name`, then the directory is fsynced. On any
// error the temp file is removed and the existing file is left untouched.
// Refuses when `name` exists as a symlink or as anything but a regular file,
// and when `dir` is a symlink. Throws Failure(system_error).
void write_file_atomically(const std::string &dir, const std::string &name, std::string_view content, mode_t mode);

// Reads dir/name; nullopt when the file (or the directory) does not exist.
// Refuses a symlink, anything but a regular file, a foreign owner, any group or
// world permission and content over `max_bytes`. Throws Failure(system_error).
std::optional<std::string> read_private_file(const std::string &dir, const std::string &name, uid_t owner,
                                             std::size_t max_bytes);

// A file the user owns but need not keep private (~/.aws/config is often
// 0644): its content and permission bits.
struct OwnedFile {
    std::string content;
    mode_t mode = 0;  // st_mode & 07777
};

// Reads dir/name like read_private_file, minus the privacy check: nullopt
// when the file (or the directory) does not exist; refuses a symlink,
// anything but a regular file, a foreign owner and content over `max_bytes`.
// Throws Failure(system_error).
std::optional<OwnedFile> read_owned_file(const std::string &dir, const std::string &name, uid_t owner,
                                         std::size_t max_bytes);

}  // namespace devflow
