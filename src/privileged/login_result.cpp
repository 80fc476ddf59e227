// SPDX-License-Identifier: Apache-2.0
#include "privileged/login_result.hpp"

#include "base/log_text.hpp"

#include <new>

namespace devflow {

LoginResult logged_in(const std::string &user, const std::string &provider, std::optional<long> reused_age_seconds,
                      const std::string &approver) {
    LoginResult result;
    result.outcome = Outcome::success;
    const std::string how =
        reused_age_seconds ? ": reused an approval from " + std::to_string(*reused_age_seconds) + " s ago" : "";
    result.log_line =
        "user " + quote_for_log(user) + " logged in with provider " + provider + how + " (" + approver + ")";
    return result;
}

LoginResult guarded_login(const std::function<LoginResult()> &login) noexcept {
    LoginResult result;
    try {
        return login();
    } catch (const Failure &failure) {
        result.outcome = failure.outcome();
        result.log_line = failure.what();
        try {
            result.user_message = failure.user_message();
        } catch (...) {
        }
    } catch (const std::bad_alloc &) {
        result.outcome = Outcome::system_error;
        result.log_line = "out of memory";
    } catch (const std::exception &error) {
        result.outcome = Outcome::system_error;
        try {
            result.log_line = std::string("internal error: ") + error.what();
        } catch (...) {
        }
    } catch (...) {
        result.outcome = Outcome::system_error;
    }
    if (result.outcome == Outcome::success) result.outcome = Outcome::system_error;  // fail closed
    return result;
}

}  // namespace devflow
