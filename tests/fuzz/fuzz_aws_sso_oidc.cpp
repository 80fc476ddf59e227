// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for AWS IAM Identity Center's unsigned sso-oidc answers:
// RegisterClient (parse_register_client_answer), StartDeviceAuthorization
// (parse_aws_device_authorization), CreateToken (parse_create_token_answer)
// and the error code of an answer (aws_oidc_error_code).
//
// Input: the first byte picks the HTTP status (200, 400, 401, 403, 500, 503
// by % 6; '0' is 200); bit 0 of the second byte sends an x-amzn-ErrorType
// header whose value is the rest up to the first newline; the remainder is
// the body, given to every parser.
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure, outcome
//    unavailable, with a log line under 512 bytes of printable ASCII;
//  - an accepted registration has the body's clientId (1..4096 visible
//    ASCII) and clientSecret (1..64 KiB), expires at the body's
//    clientSecretExpiresAt (an integer or a string of 1..9 digits), after now
//    and at most ten years ahead, and was issued at the body's
//    clientIdIssuedAt (0..expiry), or at epoch 0 without one;
//  - an accepted device authorization has a device code of 1..4096 bytes, a
//    terminal-safe user code of 1..64 bytes, a secure verification URI, a
//    complete URI that is empty or secure, interval 1..300 s and expiresIn
//    1..86400 s;
//  - CreateToken is approved exactly for HTTP 200, then with the body's
//    accessToken (1..64 KiB), the body's refreshToken or none, a
//    terminal-safe token type of 1..64 bytes and an expiry of now + the
//    body's expiresIn (1 s .. ten years); any other answer carries no token,
//    and pending, slow_down, denied and expired come only from their AWS or
//    RFC 8628 error codes;
//  - the error code is printable ASCII of at most 261 bytes (64 bytes,
//    escaped and quoted), and a plain code in the header is returned as is.
#include "aws/aws_sso_oidc_client.hpp"
#include "base/failure.hpp"
#include "flow/terminal_text.hpp"
#include "fuzz_support.hpp"
#include "net/url.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

using devflow::fuzz::require;

constexpr std::array<long, 6> kStatuses{200, 400, 401, 403, 500, 503};
constexpr long long kNow = 1800000000;
constexpr long long kTenYears = 10LL * 365 * 86400;
const devflow::TimePoint kNowPoint{std::chrono::seconds(kNow)};

bool printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool terminal_safe(const std::string &text, std::size_t max_bytes) {
    return devflow::sanitize_for_terminal(text, max_bytes) == text;
}

long long epoch_seconds(devflow::TimePoint when) {
    return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

void check_failure(const devflow::Failure &failure) {
    require(failure.outcome() == devflow::Outcome::unavailable);
    const std::string line = failure.what();
    require(line.size() < 512 && printable_ascii(line));
}

const std::string *text_of(const nlohmann::json &object, const char *name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? &found->get_ref<const std::string &>() : nullptr;
}

// AWS sends integers; some servers send short digit strings, which count too.
std::optional<long long> integer_of(const nlohmann::json &object, const char *name) {
    const auto found = object.find(name);
    if (found == object.end()) return std::nullopt;
    if (found->is_number_integer()) return found->get<long long>();
    if (found->is_string()) {
        const std::string &text = found->get_ref<const std::string &>();
        if (!text.empty() && text.size() <= 9 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return std::stoll(text);
        }
    }
    return std::nullopt;
}

void check_registration(const std::string &body) {
    try {
        const devflow::AwsClientRegistration registration = devflow::parse_register_client_answer(body, kNowPoint);
        const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
        require(json.is_object());
        const std::string &id = registration.client_id;
        require(!id.empty() && id.size() <= 4096 && printable_ascii(id) && id.find(' ') == std::string::npos);
        require(text_of(json, "clientId") != nullptr && *text_of(json, "clientId") == id);
        const std::string &secret = registration.client_secret.reveal();
        require(!secret.empty() && secret.size() <= 64 * 1024);
        require(text_of(json, "clientSecret") != nullptr && *text_of(json, "clientSecret") == secret);
        const long long expires = epoch_seconds(registration.expires_at);
        require(expires > kNow && expires <= kNow + kTenYears);
        require(integer_of(json, "clientSecretExpiresAt") == expires);
        const std::optional<long long> issued = integer_of(json, "clientIdIssuedAt");
        require(epoch_seconds(registration.issued_at) == issued.value_or(0));
        require(!issued || (*issued >= 0 && *issued <= expires));
    } catch (const devflow::Failure &failure) {
        check_failure(failure);
    }
}

void check_device_authorization(const std::string &body) {
    try {
        const devflow::DeviceAuthorization answer = devflow::parse_aws_device_authorization(body);
        const std::string &device_code = answer.device_code.reveal();
        require(!device_code.empty() && device_code.size() <= 4096);
        require(!answer.user_code.empty() && answer.user_code.size() <= 64 && terminal_safe(answer.user_code, 64));
        require(devflow::is_secure_url(answer.verification_uri));
        require(terminal_safe(answer.verification_uri, answer.verification_uri.size()));
        require(answer.verification_uri_complete.empty() || devflow::is_secure_url(answer.verification_uri_complete));
        require(terminal_safe(answer.verification_uri_complete, answer.verification_uri_complete.size()));
        require(answer.interval >= devflow::Seconds(1) && answer.interval <= devflow::Seconds(300));
        require(answer.expires_in >= devflow::Seconds(1) && answer.expires_in <= devflow::Seconds(86400));
    } catch (const devflow::Failure &failure) {
        check_failure(failure);
    }
}

void check_create_token(const devflow::HttpResponse &response) {
    try {
        const devflow::PollResult result = devflow::parse_create_token_answer(response, kNowPoint);
        const devflow::TokenSet &tokens = result.tokens;
        const bool approved = result.status == devflow::PollStatus::approved;
        require(approved == (response.status == 200));
        if (!approved) {
            require(tokens.access_token.empty() && tokens.refresh_token.empty() && tokens.id_token.empty());
            const std::string code = devflow::aws_oidc_error_code(response);
            const auto is = [&code](const char *aws, const char *rfc) { return code == aws || code == rfc; };
            switch (result.status) {
            case devflow::PollStatus::pending:
                require(is("AuthorizationPendingException", "authorization_pending"));
                break;
            case devflow::PollStatus::slow_down: require(is("SlowDownException", "slow_down")); break;
            case devflow::PollStatus::denied: require(is("AccessDeniedException", "access_denied")); break;
            case devflow::PollStatus::expired: require(is("ExpiredTokenException", "expired_token")); break;
            case devflow::PollStatus::approved: require(false); break;
            }
            return;
        }
        const nlohmann::json json = nlohmann::json::parse(response.body, nullptr, false);
        require(json.is_object());
        const std::string &access = tokens.access_token.reveal();
        require(!access.empty() && access.size() <= 64 * 1024);
        require(text_of(json, "accessToken") != nullptr && *text_of(json, "accessToken") == access);
        if (!tokens.refresh_token.empty()) {
            require(tokens.refresh_token.reveal().size() <= 64 * 1024);
            require(text_of(json, "refreshToken") != nullptr &&
                    *text_of(json, "refreshToken") == tokens.refresh_token.reveal());
        }
        require(tokens.id_token.empty());
        require(!tokens.token_type.empty() && tokens.token_type.size() <= 64 && terminal_safe(tokens.token_type, 64));
        const long long expires = epoch_seconds(tokens.expires_at);
        require(expires > kNow && expires <= kNow + kTenYears);
        require(integer_of(json, "expiresIn") == expires - kNow);
    } catch (const devflow::Failure &failure) {
        check_failure(failure);
    }
}

void check_error_code(const devflow::HttpResponse &response) {
    const std::string code = devflow::aws_oidc_error_code(response);
    require(code.size() <= 2 + 64 * 4 + 3 && printable_ascii(code));
    std::string header = response.header("x-amzn-errortype");
    header = header.substr(0, header.find_first_of(":,"));
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!header.empty() && blank(header.back())) header.pop_back();
    header.erase(header.begin(), std::find_if_not(header.begin(), header.end(), blank));
    const bool plain = !header.empty() && header.size() <= 64 &&
                       std::all_of(header.begin(), header.end(), [](char c) { return c > 0x20 && c < 0x7f; }) &&
                       header.find_first_of("\"\\") == std::string::npos;
    if (plain) require(code == header);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size < 2) return 0;
    devflow::HttpResponse response;
    response.status = kStatuses[data[0] % kStatuses.size()];
    std::string rest(reinterpret_cast<const char *>(data + 2), size - 2);
    if (data[1] & 1) {
        const std::size_t newline = rest.find('\n');
        response.headers["x-amzn-errortype"] = rest.substr(0, newline);
        rest = newline == std::string::npos ? std::string() : rest.substr(newline + 1);
    }
    response.body = rest;
    check_registration(response.body);
    check_device_authorization(response.body);
    check_create_token(response);
    check_error_code(response);
    return 0;
}
