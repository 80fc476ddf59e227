// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the two RFC 8628 answer parsers: the device authorization
// answer and the token endpoint's answer to a device_code poll.
//
// Input: the first byte picks the HTTP status of the token answer; the rest is
// the body, given to both parsers.
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure, outcome unavailable;
//  - an accepted DeviceAuthorization has a device_code of 1..4096 bytes, a
//    non-empty user_code that sanitize_for_terminal(user_code, 64) leaves as it
//    is, a verification_uri that is_secure_url accepts, a verification_uri_complete
//    that is empty or secure, interval 1..300 s and expires_in 1..86400 s;
//  - a PollResult is approved exactly when the status is 200, and then carries a
//    non-empty access_token, a non-empty terminal-safe token_type and an expiry
//    after `now`.
#include "base/failure.hpp"
#include "flow/terminal_text.hpp"
#include "net/url.hpp"
#include "oidc/oidc_device_client.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

bool is_terminal_safe(const std::string &text, std::size_t max_bytes) {
    return devflow::sanitize_for_terminal(text, max_bytes) == text;
}

void check_device_authorization(const std::string &body) {
    try {
        const devflow::DeviceAuthorization answer = devflow::parse_device_authorization(body);
        const std::string &device_code = answer.device_code.reveal();
        require(!device_code.empty() && device_code.size() <= 4096);
        require(!answer.user_code.empty() && answer.user_code.size() <= 64);
        require(is_terminal_safe(answer.user_code, 64));
        require(devflow::is_secure_url(answer.verification_uri));
        require(is_terminal_safe(answer.verification_uri, answer.verification_uri.size()));
        require(answer.verification_uri_complete.empty() || devflow::is_secure_url(answer.verification_uri_complete));
        require(is_terminal_safe(answer.verification_uri_complete, answer.verification_uri_complete.size()));
        require(answer.interval >= devflow::Seconds(1) && answer.interval <= devflow::Seconds(300));
        require(answer.expires_in >= devflow::Seconds(1) && answer.expires_in <= devflow::Seconds(86400));
    } catch (const devflow::Failure &failure) {
        require(failure.outcome() == devflow::Outcome::unavailable);
    } catch (...) {
        std::abort();
    }
}

void check_token_answer(long status, const std::string &body) {
    const devflow::TimePoint now{std::chrono::seconds(1700000000)};
    try {
        const devflow::PollResult result = devflow::parse_token_answer(status, body, now);
        const bool approved = result.status == devflow::PollStatus::approved;
        require(approved == (status == 200));
        if (approved) {
            require(!result.tokens.access_token.empty());
            require(!result.tokens.token_type.empty() && is_terminal_safe(result.tokens.token_type, 64));
            require(result.tokens.expires_at > now);
        } else {
            require(result.tokens.access_token.empty() && result.tokens.id_token.empty() &&
                    result.tokens.refresh_token.empty());
        }
    } catch (const devflow::Failure &failure) {
        require(failure.outcome() == devflow::Outcome::unavailable);
    } catch (...) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    // 200 and the codes providers really use for the RFC 8628 errors, plus odd ones.
    constexpr std::array<long, 8> statuses{200, 400, 401, 403, 429, 500, 0, 201};
    const long status = statuses[data[0] % statuses.size()];
    const std::string body(reinterpret_cast<const char *>(data) + 1, size - 1);
    check_device_authorization(body);
    check_token_answer(status, body);
    return 0;
}
