// SPDX-License-Identifier: Apache-2.0
// The refresh_token grant (RFC 6749 section 6) at an OIDC provider's token
// endpoint: how `pam-device-flow token` renews the access token in a user's
// cache. The answer goes through the device flow's own token-answer parser,
// so it gets the same checks (types, sizes, printable token_type and scope).
#pragma once

#include "base/clock.hpp"
#include "flow/token_set.hpp"
#include "net/http_transport.hpp"
#include "oidc/oidc_device_client.hpp"

#include <string>

namespace devflow {

// Sends grant_type=refresh_token with the client's authentication (the scope
// is not sent, so the grant keeps the original one). Returns the new
// tokens; refresh_token and id_token are empty when the answer has none (the
// caller keeps the old refresh token then, RFC 6749 section 6). Throws
// Failure(denied) when the provider refuses the refresh token (log in again):
// invalid_grant, or HTTP 400 or 401 without an error code (an empty, HTML or
// JSON body without "error"); Failure(unavailable) for anything else (other
// error codes, 5xx, no answer).
TokenSet refresh_oidc_tokens(const std::string &token_endpoint, const ClientAuthentication &client,
                             const Secret &refresh_token, HttpTransport &transport, Clock &clock);

// Interprets the token endpoint's answer to a refresh request. Exposed for
// unit tests and fuzzing; throws like refresh_oidc_tokens.
TokenSet parse_refresh_answer(long status, const std::string &body, TimePoint now);

}  // namespace devflow
