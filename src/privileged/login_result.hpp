// SPDX-License-Identifier: Apache-2.0
// How a login ended, as the PAM module reports it: an outcome, one line for
// syslog and maybe one message for the person. Made in one place whether the
// login ran in this process (login/authenticator) or in the helper
// (monitor/), so the log lines are the same.
#pragma once

#include "base/failure.hpp"

#include <functional>
#include <optional>
#include <string>

namespace devflow {

struct LoginResult {
    Outcome outcome = Outcome::system_error;
    std::string log_line;      // one line for syslog
    std::string user_message;  // may be empty
};

// Success: "user U logged in with provider P[: reused an approval from N s
// ago] (APPROVER)".
LoginResult logged_in(const std::string &user, const std::string &provider, std::optional<long> reused_age_seconds,
                      const std::string &approver);

// Runs `login` and turns whatever it throws into a failed result (Failure's
// outcome, log line and message; out of memory; internal errors). Never
// throws, and never returns success for a failure.
LoginResult guarded_login(const std::function<LoginResult()> &login) noexcept;

}  // namespace devflow
