// One login, from the module's arguments to a result: the whole core behind
// one call. The PAM module gathers the items and collaborators, calls this and
// maps the outcome to a PAM code; nothing here knows about PAM.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "base/failure.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "flow/conversation.hpp"
#include "net/curl_transport.hpp"
#include "net/http_transport.hpp"
#include "privileged/privileged_steps.hpp"

#include <functional>
#include <memory>
#include <string>

namespace devflow {

struct LoginRequest {
    std::string config_path = DEVFLOW_DEFAULT_CONFIG;
    ConfigOverrides overrides;
    std::string provider_name;  // empty: the configured default
    std::string user;           // PAM_USER
    std::string service;        // PAM_SERVICE
    std::string remote_host;    // PAM_RHOST, may be empty
    std::string local_host;     // shown to the person: "Log in as USER on HOST"
    // false: neither reuse nor record a reuse_window approval (pam-device-flow
    // login, whose point is fresh tokens in the caller's cache).
    bool reuse_approvals = true;
};

using TransportFactory = std::function<std::unique_ptr<HttpTransport>(const TransportSettings &)>;

struct LoginServices {
    Clock &clock;
    Conversation &conversation;
    Logger &logger;
    PrivilegeDrop &privileges;
    TransportFactory make_transport;  // empty: libcurl
};

struct LoginResult {
    Outcome outcome = Outcome::system_error;
    std::string log_line;      // one line for syslog
    std::string user_message;  // may be empty
};

// Never throws: every failure becomes a result whose outcome is not success.
// The whole login in this process: the configuration, the user's account and
// the privileged steps (LocalPrivilegedSteps) too.
LoginResult authenticate(const LoginRequest &request, LoginServices &services) noexcept;

// The login after the configuration is read and the account looked up, with
// the privileged steps wherever `privileged` does them: what the helper
// process runs. Throws Failure; `services.privileges` is not used.
LoginResult run_provider_login(const Config &config, const ProviderConfig &provider_config, const LoginRequest &request,
                               const UserAccount &user, PrivilegedSteps &privileged, LoginServices &services);

}  // namespace devflow
