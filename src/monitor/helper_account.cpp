// SPDX-License-Identifier: Apache-2.0
#include "monitor/helper_account.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"

#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace devflow {

std::optional<HelperAccount> helper_account(const std::string &name) {
    if (::geteuid() != 0) return std::nullopt;
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd *found = nullptr;
    const int error = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (error != 0 || found == nullptr) {
        fail_config("the helper account " + quote_for_log(name) +
                    " does not exist; create it: useradd --system --no-create-home --home-dir /nonexistent "
                    "--shell /usr/sbin/nologin " +
                    name);
    }
    if (entry.pw_uid == 0 || entry.pw_gid == 0) {
        fail_config("the helper account " + quote_for_log(name) + " has uid or gid 0; it must be unprivileged");
    }
    if (name == "nobody" || entry.pw_uid == 65534) {
        fail_config("the helper account " + quote_for_log(name) +
                    " is the shared nobody account; the helper needs an account of its own");
    }
    return HelperAccount{name, entry.pw_uid, entry.pw_gid};
}

}  // namespace devflow
