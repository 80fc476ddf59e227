// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_sso_oidc_client.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "flow/device_answer.hpp"
#include "flow/terminal_text.hpp"

#include <algorithm>

namespace devflow {
namespace {

constexpr std::size_t kMaxClientId = 4096;
constexpr std::size_t kMaxSecret = 64 * 1024;
constexpr Seconds kMaxTokenLifetime{10LL * 365 * 86400};
const char *const kDeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
const char *const kUserMessage = "AWS IAM Identity Center refused to start a login. Please contact your administrator.";

constexpr DeviceAnswerNames kAwsDeviceAnswer{
    "deviceCode", "userCode", "verificationUri", nullptr, "verificationUriComplete", "expiresIn", "interval",
};

enum class AwsError { pending, slow_down, denied, expired, invalid_client, invalid_grant, other };

AwsError classify(const std::string &code) {
    if (code == "AuthorizationPendingException" || code == "authorization_pending") return AwsError::pending;
    if (code == "SlowDownException" || code == "slow_down") return AwsError::slow_down;
    if (code == "AccessDeniedException" || code == "access_denied") return AwsError::denied;
    if (code == "ExpiredTokenException" || code == "expired_token") return AwsError::expired;
    if (code == "InvalidClientException" || code == "invalid_client") return AwsError::invalid_client;
    if (code == "InvalidGrantException" || code == "invalid_grant") return AwsError::invalid_grant;
    return AwsError::other;
}

bool is_invalid_client(const HttpResponse &response) {
    return response.status != 200 && classify(aws_oidc_error_code(response)) == AwsError::invalid_client;
}

Secret required_secret(const Json &json, const char *name, const char *what) {
    const std::string *value = string_field(json, name);
    if (value == nullptr || value->empty() || value->size() > kMaxSecret) {
        fail_unavailable(std::string(what) + " answer has no usable " + name);
    }
    return Secret(*value);
}

// A successful CreateToken answer (either grant).
TokenSet parse_tokens(const std::string &body, TimePoint now) {
    Json json = parse_json_object(body, "CreateToken");
    WipeJsonOnExit wipe_answer(json);  // it holds the tokens
    TokenSet tokens;
    tokens.access_token = required_secret(json, "accessToken", "CreateToken");
    if (const std::string *refresh = string_field(json, "refreshToken"); refresh && !refresh->empty()) {
        if (refresh->size() > kMaxSecret) fail_unavailable("CreateToken answer's refreshToken is too long");
        tokens.refresh_token = Secret(*refresh);
    }
    tokens.token_type = aws_token_type(json, "CreateToken").value_or("Bearer");
    tokens.expires_at = aws_token_expiry(json, "CreateToken", now);
    return tokens;
}

}  // namespace

std::string aws_oidc_error_code(const HttpResponse &response) {
    std::string code = response.header("x-amzn-errortype");
    code = code.substr(0, code.find_first_of(":,"));
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!code.empty() && blank(code.back())) code.pop_back();
    code.erase(code.begin(), std::find_if_not(code.begin(), code.end(), blank));
    if (code.empty()) {
        Json json = parse_untrusted_json(response.body);
        if (json.is_object()) {
            if (const std::string *error = string_field(json, "error")) code = *error;
        }
    }
    // An error code is a plain identifier; anything else is shown escaped.
    if (code.size() > 64 || !is_visible_ascii(code) || code.find_first_of("\"\\") != std::string::npos) {
        return quote_for_log(code, 64);
    }
    return code;
}

std::string describe_aws_oidc_error(const HttpResponse &response) {
    const std::string code = aws_oidc_error_code(response);
    return "HTTP " + std::to_string(response.status) + (code.empty() ? " without an error code" : " (" + code + ")");
}

std::optional<std::string> aws_token_type(const Json &answer, const char *operation) {
    const std::string *type = string_field(answer, "tokenType");
    if (type == nullptr) return std::nullopt;
    if (type->empty() || type->size() > 64 || sanitize_for_terminal(*type, 64) != *type) {
        fail_unavailable(std::string(operation) + " answer's tokenType is not usable");
    }
    return *type;
}

TimePoint aws_token_expiry(const Json &answer, const char *operation, TimePoint now) {
    const auto expires_in = integer_field(answer, "expiresIn");
    const auto expires_at = expires_in ? time_after(now, *expires_in, kMaxTokenLifetime) : std::nullopt;
    if (!expires_at) fail_unavailable(std::string(operation) + " answer has no usable expiresIn");
    return *expires_at;
}

AwsClientRegistration parse_register_client_answer(const std::string &body, TimePoint now) {
    Json json = parse_json_object(body, "RegisterClient");
    WipeJsonOnExit wipe_answer(json);  // it holds the client secret
    AwsClientRegistration registration;
    const std::string *client_id = string_field(json, "clientId");
    if (client_id == nullptr || client_id->empty() || client_id->size() > kMaxClientId ||
        !is_visible_ascii(*client_id)) {
        fail_unavailable("RegisterClient answer has no usable clientId");
    }
    registration.client_id = *client_id;
    registration.client_secret = required_secret(json, "clientSecret", "RegisterClient");
    const auto expires_at_seconds = integer_field(json, "clientSecretExpiresAt");
    const auto expires_at = expires_at_seconds ? time_from_epoch_seconds(*expires_at_seconds) : std::nullopt;
    if (!expires_at || *expires_at <= now || *expires_at - now > kMaxTokenLifetime) {
        fail_unavailable("RegisterClient answer has no usable clientSecretExpiresAt");
    }
    registration.expires_at = *expires_at;
    const auto issued_at = time_from_epoch_seconds(integer_field(json, "clientIdIssuedAt").value_or(0));
    if (!issued_at || *issued_at > *expires_at) {
        fail_unavailable("RegisterClient answer's clientIdIssuedAt is out of range");
    }
    registration.issued_at = *issued_at;
    return registration;
}

DeviceAuthorization parse_aws_device_authorization(const std::string &body) {
    return parse_device_authorization(body, kAwsDeviceAnswer);
}

PollResult parse_create_token_answer(const HttpResponse &response, TimePoint now) {
    PollResult result;
    if (response.status == 200) {
        result.status = PollStatus::approved;
        result.tokens = parse_tokens(response.body, now);
        return result;
    }
    switch (classify(aws_oidc_error_code(response))) {
    case AwsError::pending: result.status = PollStatus::pending; return result;
    case AwsError::slow_down: result.status = PollStatus::slow_down; return result;
    case AwsError::denied: result.status = PollStatus::denied; return result;
    case AwsError::expired: result.status = PollStatus::expired; return result;
    case AwsError::invalid_client:
    case AwsError::invalid_grant:
    case AwsError::other: break;
    }
    fail_unavailable("CreateToken answered " + describe_aws_oidc_error(response));
}

AwsSsoOidcClient::AwsSsoOidcClient(AwsSsoOidcSettings settings, HttpTransport &transport, Clock &clock, Logger &logger)
    : settings_(std::move(settings)), transport_(transport), clock_(clock), logger_(logger) {
    if (!settings_.state_dir.empty()) {
        store_.emplace(settings_.state_dir, AwsRegistrationStore::key_for(settings_.oidc_endpoint, settings_.start_url,
                                                                          settings_.region, settings_.scopes));
    }
}

HttpResponse AwsSsoOidcClient::post_json(const char *path, Json &body) {
    HttpRequest request;
    request.method = "POST";
    request.url = settings_.oidc_endpoint + path;
    request.headers.emplace_back("Content-Type: application/json");
    try {
        request.body = body.dump();
    } catch (const Json::exception &) {
        wipe_json(body);
        fail_unavailable(std::string("cannot encode the request to ") + path + " (not UTF-8)");
    }
    wipe_json(body);                  // it held the client secret, device code or refresh token
    return transport_.send(request);  // the request wipes its body itself
}

// The body plus the current registration's clientId and clientSecret.
HttpResponse AwsSsoOidcClient::post_with_client(const char *path, Json body) {
    WipeJsonOnExit wipe_body(body);  // it may hold the device code or refresh token
    const AwsClientRegistration &registration = current_registration();
    body["clientId"] = registration.client_id;
    body["clientSecret"] = registration.client_secret.reveal();
    return post_json(path, body);  // which wipes it as soon as it is encoded
}

AwsClientRegistration AwsSsoOidcClient::register_client() {
    Json body = {
        {"clientName", settings_.client_name},
        {"clientType", "public"},
        {"scopes", settings_.scopes},
    };
    HttpResponse response = post_json("/client/register", body);
    if (response.status != 200) {
        fail_unavailable("RegisterClient answered " + describe_aws_oidc_error(response), kUserMessage);
    }
    AwsClientRegistration registration = parse_register_client_answer(response.body, clock_.now());
    logger_.info("registered AWS sso-oidc client " + quote_for_log(registration.client_id) + " at " +
                 settings_.oidc_endpoint);
    return registration;
}

const AwsClientRegistration &AwsSsoOidcClient::current_registration() {
    if (registration_) return *registration_;
    if (!store_) {
        registration_ = register_client();
        return *registration_;
    }
    StateLock lock = store_->lock(clock_, settings_.lock_timeout);
    std::optional<AwsClientRegistration> cached = store_->load();
    if (cached && registration_is_fresh(*cached, clock_.now())) {
        registration_ = std::move(cached);
        return *registration_;
    }
    logger_.debug(cached ? std::string("cached AWS client registration expires within 15 minutes; renewing")
                         : store_->last_miss() + "; registering a client");
    registration_ = register_client();
    store_->save(*registration_);
    return *registration_;
}

// AWS no longer knows the current registration (expired early, deleted):
// replace it, once per client object. Another login may have replaced it
// already; then that one is used.
void AwsSsoOidcClient::replace_rejected_registration() {
    if (replaced_once_) return;
    replaced_once_ = true;
    const std::string rejected = registration_ ? registration_->client_id : std::string();
    logger_.warning("AWS sso-oidc rejected client " + quote_for_log(rejected) + "; registering a new one");
    if (!store_) {
        registration_ = register_client();
        return;
    }
    StateLock lock = store_->lock(clock_, settings_.lock_timeout);
    std::optional<AwsClientRegistration> cached = store_->load();
    if (cached && cached->client_id != rejected && registration_is_fresh(*cached, clock_.now())) {
        registration_ = std::move(cached);
        return;
    }
    store_->remove();  // if registering fails now, the next login must not reuse it
    registration_ = register_client();
    store_->save(*registration_);
}

DeviceAuthorization AwsSsoOidcClient::start() {
    const Json body = {{"startUrl", settings_.start_url}};
    HttpResponse response = post_with_client("/device_authorization", body);
    if (is_invalid_client(response) && !replaced_once_) {
        replace_rejected_registration();
        response = post_with_client("/device_authorization", body);
    }
    if (response.status != 200) {
        fail_unavailable("StartDeviceAuthorization answered " + describe_aws_oidc_error(response), kUserMessage);
    }
    return parse_aws_device_authorization(response.body);
}

PollResult AwsSsoOidcClient::poll(const DeviceAuthorization &authorization) {
    Json body = {
        {"grantType", kDeviceCodeGrant},
        {"deviceCode", authorization.device_code.reveal()},
    };
    HttpResponse response = post_with_client("/token", std::move(body));
    if (is_invalid_client(response)) {
        replace_rejected_registration();
        fail_unavailable("CreateToken answered " + describe_aws_oidc_error(response) +
                         "; the client registration was replaced for the next login");
    }
    return parse_create_token_answer(response, clock_.now());
}

TokenSet AwsSsoOidcClient::refresh(const Secret &refresh_token) {
    Json body = {
        {"grantType", "refresh_token"},
        {"refreshToken", refresh_token.reveal()},
    };
    HttpResponse response = post_with_client("/token", std::move(body));
    if (response.status != 200) {
        const std::string what = "CreateToken (refresh_token) answered " + describe_aws_oidc_error(response);
        switch (classify(aws_oidc_error_code(response))) {
        case AwsError::invalid_client:
            if (store_) replace_rejected_registration();
            fail_denied(what + ": the client registration the refresh token belongs to is gone");
        case AwsError::invalid_grant:
        case AwsError::expired: fail_denied(what + ": the refresh token is expired or revoked");
        default: break;
        }
        fail_unavailable(what);
    }
    return parse_tokens(response.body, clock_.now());
}

void AwsSsoOidcClient::use_registration(AwsClientRegistration registration) { registration_ = std::move(registration); }

const AwsClientRegistration &AwsSsoOidcClient::registration() const {
    if (!registration_) fail_system("AwsSsoOidcClient::registration() called before any request");
    return *registration_;
}

}  // namespace devflow
