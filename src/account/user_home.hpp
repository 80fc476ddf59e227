// SPDX-License-Identifier: Apache-2.0
// The user's home directory, for the files we write as the user (the OIDC
// token cache, the AWS CLI cache and config): it must be the user's own real
// directory, since we create things under it and a symlink could point anywhere.
#pragma once

#include "account/user_account.hpp"

#include <string>
#include <string_view>

namespace devflow {

// user.home without trailing slashes (a trailing slash would make open()
// follow a symlinked last component). No checks.
std::string user_home_path(const UserAccount &user);

// user_home_path(user), after checking that it is absolute and a directory
// (not a symlink) owned by user.uid. Throws Failure(system_error) whose line
// ends with "; not writing <what>".
std::string checked_user_home(const UserAccount &user, std::string_view what);

}  // namespace devflow
