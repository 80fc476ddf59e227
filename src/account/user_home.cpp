// SPDX-License-Identifier: Apache-2.0
#include "account/user_home.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "store/safe_file.hpp"

namespace devflow {

std::string user_home_path(const UserAccount &user) {
    std::string path = user.home;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

std::string checked_user_home(const UserAccount &user, std::string_view what) {
    const std::string home = user_home_path(user);
    if (home.empty() || home.front() != '/' || home.find('\0') != std::string::npos) {
        fail_system("home directory " + quote_for_log(user.home) + " of " + quote_for_log(user.name) +
                    " is not an absolute path; not writing " + std::string(what));
    }
    try {
        check_owned_directory(home, user.uid);
    } catch (const Failure &failure) {
        fail_system("home directory of " + quote_for_log(user.name) + ": " + failure.what() + "; not writing " +
                    std::string(what));
    }
    return home;
}

}  // namespace devflow
