// SPDX-License-Identifier: Apache-2.0
// One login with its untrusted stage in the helper process: what the PAM
// module runs. The module reads the configuration and the files the login
// needs, starts the helper as its own account, and then only serves it:
// shows what it asks to show (through the module's own terminal-text
// check), asks what it asks, authorizes the identity it reports with the
// module's own reading of the configuration, and writes the user's caches.
// It decides the result itself: success needs its own authorization and
// then the helper's finished message; a helper that crashes, hangs, breaks
// the protocol or says anything after finishing fails the login as
// unavailable, with one log line.
#pragma once

#include "account/user_account.hpp"
#include "base/logger.hpp"
#include "config/login_request.hpp"
#include "flow/conversation.hpp"
#include "privileged/audit_record.hpp"
#include "privileged/login_result.hpp"

#include <string>

namespace devflow {

struct HelperSettings {
    std::string path;     // the helper binary
    std::string account;  // the account it runs as when the module is root
    bool debug = false;   // whether the helper sends debug lines
};

struct MonitorServices {
    Conversation &conversation;
    Logger &logger;
    PrivilegeDrop &privileges;
};

// Never throws: every failure becomes a result whose outcome is not success.
// `audit` gets the provider and, once the helper reports it, the verified
// identity, for the audit fields and the PAM environment.
LoginResult monitored_login(const LoginRequest &request, const HelperSettings &helper, MonitorServices &services,
                            AuditRecord &audit) noexcept;

}  // namespace devflow
