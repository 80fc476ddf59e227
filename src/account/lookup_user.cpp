#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "account/user_account.hpp"

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace devflow {

UserAccount lookup_user(const std::string &name) {
    // An embedded NUL would make getpwnam_r look up a different, shorter name.
    if (name.empty() || name.find('\0') != std::string::npos) {
        fail_denied("unknown local user " + quote_for_log(name));
    }
    const long suggested = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::size_t size = suggested > 0 ? static_cast<std::size_t>(suggested) : 16384;
    constexpr std::size_t max_size = 1024 * 1024;
    for (;;) {
        std::vector<char> buffer(size);
        passwd entry{};
        passwd *result = nullptr;
        const int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &result);
        if (rc == ERANGE && size < max_size) {
            size *= 2;
            continue;
        }
        // getpwnam_r(3): ENOENT, ESRCH, EBADF and EPERM also mean "no such
        // user" for some NSS backends (nss_wrapper, sssd in some versions).
        if (rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM) {
            fail_denied("unknown local user " + quote_for_log(name));
        }
        if (rc != 0) {
            fail_system("cannot look up local user " + quote_for_log(name) + ": " + std::strerror(rc));
        }
        if (result == nullptr) fail_denied("unknown local user " + quote_for_log(name));
        UserAccount account;
        account.name = entry.pw_name;
        account.uid = entry.pw_uid;
        account.gid = entry.pw_gid;
        account.home = entry.pw_dir != nullptr ? entry.pw_dir : "";
        return account;
    }
}

}  // namespace devflow
