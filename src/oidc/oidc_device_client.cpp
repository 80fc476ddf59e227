// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_device_client.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "base/utc_time.hpp"
#include "flow/terminal_text.hpp"

namespace devflow {
namespace {

constexpr std::size_t kMaxToken = 64 * 1024;
constexpr Seconds kDefaultTokenLifetime{3600};
constexpr Seconds kMaxTokenLifetime{10LL * 365 * 86400};

Secret secret_field(const Json &object, const char *name, bool required) {
    const std::string *value = string_field(object, name);
    if (value == nullptr || value->empty()) {
        if (required) fail_unavailable(std::string("token answer has no ") + name);
        return Secret();
    }
    if (value->size() > kMaxToken) fail_unavailable(std::string("token answer's ") + name + " is too long");
    return Secret(*value);
}

}  // namespace

PollResult parse_token_answer(long status, const std::string &body, TimePoint now) {
    Json json = parse_untrusted_json(body);
    WipeJsonOnExit wipe_answer(json);  // it holds the tokens
    // HTTP 429 is "slow down" in HTTP's own words: Auth0 sends it with
    // {"error":"slow_down"}, and a rate limiter in front of an IdP without a
    // JSON body. Either way: wait 5 s longer, never a login.
    const bool has_error = json.is_object() && string_field(json, "error") != nullptr;
    if (status == 429 && !has_error) {
        PollResult result;
        result.status = PollStatus::slow_down;
        return result;
    }
    if (json.is_discarded() || !json.is_object()) {
        fail_unavailable("token endpoint answered HTTP " + std::to_string(status) + " without a JSON object");
    }
    PollResult result;
    if (status != 200) {
        const std::string *error = string_field(json, "error");
        if (error == nullptr) {
            fail_unavailable("token endpoint answered HTTP " + std::to_string(status) + " without an error code");
        }
        if (*error == "authorization_pending") result.status = PollStatus::pending;
        else if (*error == "slow_down") result.status = PollStatus::slow_down;
        // Entra ID says authorization_declined for a person's "no", and
        // bad_verification_code for a device code it no longer knows: a
        // denial and an ended code, never "unavailable".
        else if (*error == "access_denied" || *error == "authorization_declined") result.status = PollStatus::denied;
        else if (*error == "expired_token" || *error == "bad_verification_code") result.status = PollStatus::expired;
        else {
            // The error code is ASCII by RFC 6749; a hostile IdP's is not.
            fail_unavailable("token endpoint answered error " + quote_for_log(*error, 64));
        }
        return result;
    }
    result.status = PollStatus::approved;
    result.tokens.access_token = secret_field(json, "access_token", true);
    result.tokens.refresh_token = secret_field(json, "refresh_token", false);
    result.tokens.id_token = secret_field(json, "id_token", false);
    const std::string *token_type = string_field(json, "token_type");
    if (token_type == nullptr || token_type->empty() || token_type->size() > 64) {
        fail_unavailable("token answer has no token_type");
    }
    result.tokens.token_type = sanitize_for_terminal(*token_type, 64);
    if (const std::string *scope = string_field(json, "scope")) {
        result.tokens.scope = sanitize_for_terminal(*scope, 4096);
    }
    // expires_in is only RECOMMENDED (RFC 6749 5.1): absent or unusable, assume an hour.
    auto expires_in = integer_field(json, "expires_in");
    const auto expires_at = expires_in ? time_after(now, *expires_in, kMaxTokenLifetime) : std::nullopt;
    result.tokens.expires_at = expires_at.value_or(now + kDefaultTokenLifetime);
    return result;
}

OidcDeviceClient::OidcDeviceClient(OidcEndpoints endpoints, OidcClientSettings settings, HttpTransport &transport,
                                   Clock &clock)
    : endpoints_(std::move(endpoints)), settings_(std::move(settings)), transport_(transport), clock_(clock) {}

HttpResponse OidcDeviceClient::post_form(const std::string &url, FormFields &fields, std::vector<std::string> headers) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = std::move(headers);
    request.headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
    request.body = form_body(fields);
    for (auto &field : fields) wipe(field.second);  // they held the secret or assertion and the device code
    return transport_.send(request);
}

void OidcDeviceClient::check_client_accepted(const HttpResponse &response, const char *request) const {
    if (response.status != 400 && response.status != 401) return;
    Json json = parse_untrusted_json(response.body);
    WipeJsonOnExit wipe_answer(json);
    const std::string *error = json.is_object() ? string_field(json, "error") : nullptr;
    if (error == nullptr || *error != "invalid_client") return;
    fail_unavailable(std::string(request) + " answered HTTP " + std::to_string(response.status) +
                         " (\"invalid_client\"): the identity provider refused the client authentication, " +
                         settings_.authentication.describe(),
                     "The identity provider refused this host's client credentials. Please contact your "
                     "administrator.");
}

DeviceAuthorization OidcDeviceClient::start() {
    std::string scope;
    for (const auto &name : settings_.scopes) scope += (scope.empty() ? "" : " ") + name;
    FormFields fields;
    std::vector<std::string> headers;
    settings_.authentication.add_to(endpoints_.device_authorization_endpoint, fields, headers);
    fields.emplace_back("scope", scope);
    HttpResponse response = post_form(endpoints_.device_authorization_endpoint, fields, std::move(headers));
    if (response.status != 200) {
        check_client_accepted(response, "device authorization request");
        std::string error;
        Json json = parse_untrusted_json(response.body);
        if (json.is_object()) {
            if (const std::string *code = string_field(json, "error")) {
                error = " (" + quote_for_log(*code, 64) + ")";
            }
        }
        fail_unavailable("device authorization request answered HTTP " + std::to_string(response.status) + error,
                         "The identity provider refused to start a login. Please contact your administrator.");
    }
    return parse_device_authorization(response.body);
}

PollResult OidcDeviceClient::poll(const DeviceAuthorization &authorization) {
    FormFields fields;
    std::vector<std::string> headers;
    fields.emplace_back("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
    fields.emplace_back("device_code", authorization.device_code.reveal());
    settings_.authentication.add_to(endpoints_.token_endpoint, fields, headers);
    HttpResponse response = post_form(endpoints_.token_endpoint, fields, std::move(headers));
    check_client_accepted(response, "token request");
    return parse_token_answer(response.status, response.body, clock_.now());
}

}  // namespace devflow
