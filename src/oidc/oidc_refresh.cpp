// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_refresh.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "flow/terminal_text.hpp"

#include <utility>
#include <vector>

namespace devflow {

namespace {

// RFC 6749 5.2 answers a refused grant with 400 (401 for client
// authentication) and an error code.
bool is_refusal_status(long status) { return status == 400 || status == 401; }

}  // namespace

TokenSet parse_refresh_answer(long status, const std::string &body, TimePoint now) {
    if (status != 200) {
        // invalid_grant is the one error code the user can act on (log in
        // again); parse_token_answer reports every other one (invalid_client,
        // unauthorized_client...: the setup, not the token). A 400 or 401
        // without a code to read (an empty or HTML body, JSON without
        // "error") is how some servers refuse a revoked refresh token: log in
        // again too. 5xx is the server's trouble, not the token's.
        const auto json = parse_untrusted_json(body);
        const std::string *error = json.is_object() ? string_field(json, "error") : nullptr;
        if (error != nullptr && *error == "invalid_grant") {
            fail_denied(
                "the identity provider refused the refresh token (invalid_grant: "
                "expired or revoked)");
        }
        if (error == nullptr && is_refusal_status(status)) {
            fail_denied("the identity provider refused the refresh token (HTTP " + std::to_string(status) +
                        " without an error code)");
        }
    }
    PollResult result = parse_token_answer(status, body, now);
    if (result.status != PollStatus::approved) {
        // Device-flow codes (authorization_pending, slow_down...) make no sense here.
        fail_unavailable("token endpoint answered a refresh request with HTTP " + std::to_string(status) +
                         " and a device flow error code");
    }
    return std::move(result.tokens);
}

TokenSet refresh_oidc_tokens(const std::string &token_endpoint, const ClientAuthentication &client,
                             const Secret &refresh_token, HttpTransport &transport, Clock &clock) {
    if (refresh_token.empty()) fail_denied("the token cache holds no refresh token");
    FormFields fields;
    fields.emplace_back("grant_type", "refresh_token");
    fields.emplace_back("refresh_token", refresh_token.reveal());

    HttpRequest request;
    client.add_to(token_endpoint, fields, request.headers);
    request.method = "POST";
    request.url = token_endpoint;
    request.headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
    request.body = form_body(fields);
    for (auto &field : fields) wipe(field.second);  // the refresh token and the secret or assertion
    HttpResponse response = transport.send(request);
    return parse_refresh_answer(response.status, response.body, clock.now());
}

}  // namespace devflow
