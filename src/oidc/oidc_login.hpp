// SPDX-License-Identifier: Apache-2.0
// The untrusted stage: everything that talks to the network and parses what
// comes back (discovery, the device flow, id_token verification). Its output
// is a small validated value; the privileged steps (binding to the PAM user,
// policy, writing the user's cache) consume only that value, so this stage can
// later move into an unprivileged child process without redesign.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "flow/conversation.hpp"
#include "flow/device_flow.hpp"
#include "flow/token_set.hpp"
#include "net/http_transport.hpp"

#include <string>

namespace devflow {

class StateStore;

struct VerifiedOidcLogin {
    Json claims;  // of a verified id_token
    TokenSet tokens;
};

VerifiedOidcLogin obtain_verified_login(const OidcProviderConfig &provider, const FlowSettings &flow,
                                        HttpTransport &transport, StateStore *state, Clock &clock,
                                        Conversation &conversation, Logger &logger);

// Verifies an id_token of `provider` exactly as a fresh login does: the JWKS
// found through discovery (state cache or network), the algorithm allowlist,
// iss, aud, exp/iat/nbf with clock_skew at clock.now(). Returns its claims.
// Throws Failure like obtain_verified_login. Used to re-check a stored one.
Json verify_provider_id_token(const OidcProviderConfig &provider, const std::string &id_token, HttpTransport &transport,
                              StateStore *state, Clock &clock, Logger &logger);

}  // namespace devflow
