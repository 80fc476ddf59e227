// SPDX-License-Identifier: Apache-2.0
// One login, from the module's arguments to a result: the whole core behind
// one call. The PAM module gathers the items and collaborators, calls this and
// maps the outcome to a PAM code; nothing here knows about PAM.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "base/environment.hpp"
#include "base/failure.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "config/login_request.hpp"
#include "flow/conversation.hpp"
#include "net/curl_transport.hpp"
#include "net/http_transport.hpp"
#include "privileged/login_result.hpp"
#include "privileged/privileged_steps.hpp"

#include <functional>
#include <memory>
#include <string>

namespace devflow {

using TransportFactory = std::function<std::unique_ptr<HttpTransport>(const TransportSettings &)>;

struct LoginServices {
    Clock &clock;
    Conversation &conversation;
    Logger &logger;
    PrivilegeDrop &privileges;
    TransportFactory make_transport;  // empty: libcurl
    EnvironmentLookup environment;    // empty: secure_getenv
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
