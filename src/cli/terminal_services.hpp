// SPDX-License-Identifier: Apache-2.0
// The collaborators the core asks for, as a command run by a person at a
// terminal provides them: no PAM, no privilege changes.
#pragma once

#include "account/user_account.hpp"
#include "base/failure.hpp"
#include "base/logger.hpp"
#include "base/secret.hpp"
#include "flow/conversation.hpp"
#include "flow/terminal_text.hpp"

namespace devflow::cli {

// Text on stdout (flushed at once: a script waits for the code); errors on
// stderr; prompts on /dev/tty when there is one, else stdout and stdin.
class TerminalConversation final : public Conversation {
public:
    void show(const std::string &text) override;
    void show_error(const std::string &text) override;
    std::optional<std::string> ask(const std::string &prompt) override;
    void allow_qr_colors() override { colors_ = TerminalColors::qr_colors; }

private:
    TerminalColors colors_ = TerminalColors::none;
};

// "pam-device-flow: warning: ..." on stderr; notice, info and debug lines only
// with --debug. Bytes outside printable ASCII are written as \xNN.
class StderrLogger final : public Logger {
public:
    explicit StderrLogger(bool debug) : debug_(debug) {}
    void log(LogLevel level, const std::string &line) override;

private:
    bool debug_;
};

// Acts only as the caller's own account: the command never changes privileges,
// so the tokens land where the caller could write them anyway.
class CallerOnlyPrivilegeDrop final : public PrivilegeDrop {
public:
    void run_as(const UserAccount &user, const std::function<void()> &work) override;
};

// The caller's account (getpwuid(getuid())), with its passwd home.
// Throws Failure(system_error) when the uid has no passwd entry.
UserAccount caller_account();

// The exit status for a core outcome.
int exit_code_for(Outcome outcome) noexcept;

// Prints the access token and a newline on stdout, for the caller's scripts.
// A token that is not printable ASCII (RFC 6750 allows far less) is not
// printed, since it would act on a terminal: the error names `source` and
// the result is false.
bool print_access_token(const Secret &token, const std::string &source);

// Prints "pam-device-flow: <line>" on stderr, bytes outside printable ASCII
// as \xNN.
void print_error(const std::string &line);

}  // namespace devflow::cli
