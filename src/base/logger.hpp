// SPDX-License-Identifier: Apache-2.0
// Where the core's log lines go. The PAM module sends them to pam_syslog
// (LOG_AUTHPRIV); the command to stderr; tests to a vector they inspect.
// Never pass a token, device code, client secret or response body.
#pragma once

#include <functional>
#include <string>

namespace devflow {

enum class LogLevel { error, warning, notice, info, debug };

class Logger {
public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, const std::string &line) = 0;

    void error(const std::string &line) { log(LogLevel::error, line); }
    void warning(const std::string &line) { log(LogLevel::warning, line); }
    void notice(const std::string &line) { log(LogLevel::notice, line); }
    void info(const std::string &line) { log(LogLevel::info, line); }
    // Debug lines are dropped unless the admin set `debug`.
    void debug(const std::string &line) { log(LogLevel::debug, line); }
};

// Runs `work`; when it throws a Failure, logs "<what_failed>: <reason>" as
// a warning and returns false. For steps a login carries on without, such as
// writing a user's cache (a login must not fail because a home directory is
// unwritable). Other exceptions pass through.
bool warn_if_fails(Logger &logger, const std::string &what_failed, const std::function<void()> &work);

}  // namespace devflow
