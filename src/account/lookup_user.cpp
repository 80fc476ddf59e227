// SPDX-License-Identifier: Apache-2.0
#include "account/user_account.hpp"
#include "base/failure.hpp"
#include "base/log_text.hpp"

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace devflow {
namespace {

// What getpwnam_r or getpwuid_r answered; `entry` points into `buffer`.
struct PasswdAnswer {
    std::vector<char> buffer;
    passwd entry{};
    passwd *result = nullptr;
    int rc = 0;
};

// Runs `query` (getpwnam_r or getpwuid_r with its key bound) with the buffer
// size sysconf suggests, doubled on ERANGE up to 1 MiB.
template <typename Query>
void ask_passwd(PasswdAnswer &answer, Query query) {
    const long suggested = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    answer.buffer.resize(suggested > 0 ? static_cast<std::size_t>(suggested) : 16384);
    constexpr std::size_t kMaxBufferBytes = 1024 * 1024;
    while ((answer.rc = query(&answer.entry, answer.buffer.data(), answer.buffer.size(), &answer.result)) == ERANGE &&
           answer.buffer.size() < kMaxBufferBytes) {
        answer.buffer.resize(answer.buffer.size() * 2);
    }
}

UserAccount account_from(const passwd &entry) {
    UserAccount account;
    account.name = entry.pw_name;
    account.uid = entry.pw_uid;
    account.gid = entry.pw_gid;
    account.home = entry.pw_dir != nullptr ? entry.pw_dir : "";
    return account;
}

}  // namespace

UserAccount lookup_user(const std::string &name) {
    // An embedded NUL would make getpwnam_r look up a different, shorter name.
    if (name.empty() || name.find('\0') != std::string::npos) {
        fail_denied("unknown local user " + quote_for_log(name));
    }
    PasswdAnswer answer;
    ask_passwd(answer, [&name](passwd *entry, char *buffer, std::size_t size, passwd **result) {
        return ::getpwnam_r(name.c_str(), entry, buffer, size, result);
    });
    const int rc = answer.rc;
    // getpwnam_r(3): ENOENT, ESRCH, EBADF and EPERM also mean "no such
    // user" for some NSS backends (nss_wrapper, sssd in some versions).
    if (rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM) {
        fail_denied("unknown local user " + quote_for_log(name));
    }
    if (rc != 0) {
        fail_system("cannot look up local user " + quote_for_log(name) + ": " + std::strerror(rc));
    }
    if (answer.result == nullptr) fail_denied("unknown local user " + quote_for_log(name));
    return account_from(answer.entry);
}

UserAccount lookup_user_by_uid(uid_t uid) {
    PasswdAnswer answer;
    ask_passwd(answer, [uid](passwd *entry, char *buffer, std::size_t size, passwd **result) {
        return ::getpwuid_r(uid, entry, buffer, size, result);
    });
    if (answer.rc != 0 || answer.result == nullptr) {
        fail_system("uid " + std::to_string(uid) + " has no passwd entry" +
                    (answer.rc != 0 ? std::string(": ") + std::strerror(answer.rc) : std::string()));
    }
    return account_from(answer.entry);
}

}  // namespace devflow
