// SPDX-License-Identifier: Apache-2.0
#include "scripted_login.hpp"

#include <pwd.h>
#include <unistd.h>

namespace devflow::test {

std::string current_user() {
    const passwd *entry = getpwuid(geteuid());
    return entry != nullptr ? entry->pw_name : "root";
}

}  // namespace devflow::test
