// SPDX-License-Identifier: Apache-2.0
// The one error vocabulary of the core. Every failure carries the outcome class
// that decides the PAM code (mapped once, in pam_module/pam_entry.cpp), a line
// for syslog and, where the person at the terminal can act on it, a message.
#pragma once

#include <stdexcept>
#include <string>

namespace devflow {

enum class Outcome {
    success,       // approved, verified, bound and allowed
    denied,        // not approved, and asking again may succeed: the code expired or was
                   // not approved in time, the conversation ended, unknown local user
    unavailable,   // IdP unreachable, TLS, malformed or hostile responses
    config_error,  // the admin's configuration is wrong
    system_error,  // the host is broken (out of memory, privileges)
    refused,       // a final no, asking again is pointless: cancelled by the person, denied
                   // at the IdP, identity mismatch or unmapped, policy not met
};

const char *outcome_name(Outcome outcome) noexcept;

class Failure : public std::runtime_error {
public:
    // log_line goes to syslog; user_message (may be empty) to the conversation.
    Failure(Outcome outcome, std::string log_line, std::string user_message = {})
        : std::runtime_error(log_line), outcome_(outcome), user_message_(std::move(user_message)) {}

    Outcome outcome() const noexcept { return outcome_; }
    const std::string &user_message() const noexcept { return user_message_; }

private:
    Outcome outcome_;
    std::string user_message_;
};

[[noreturn]] inline void fail_denied(std::string log_line, std::string user_message = {}) {
    throw Failure(Outcome::denied, std::move(log_line), std::move(user_message));
}
[[noreturn]] inline void fail_refused(std::string log_line, std::string user_message = {}) {
    throw Failure(Outcome::refused, std::move(log_line), std::move(user_message));
}
[[noreturn]] inline void fail_unavailable(std::string log_line, std::string user_message = {}) {
    throw Failure(Outcome::unavailable, std::move(log_line), std::move(user_message));
}
[[noreturn]] inline void fail_config(std::string log_line, std::string user_message = {}) {
    throw Failure(Outcome::config_error, std::move(log_line), std::move(user_message));
}
[[noreturn]] inline void fail_system(std::string log_line, std::string user_message = {}) {
    throw Failure(Outcome::system_error, std::move(log_line), std::move(user_message));
}

}  // namespace devflow
