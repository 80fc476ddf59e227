// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the CreateTokenWithIAM answer parser.
//
// Input: the first byte picks the HTTP status; the second, whether an
// x-amzn-ErrorType header is sent (its value is the rest up to the first
// newline); the remainder is the body.
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure, outcome unavailable,
//    with a log line under 512 bytes (only the status and a capped error code
//    go in it, never the body, which may hold tokens);
//  - an answer is accepted only for status 200, and then has a non-empty
//    access token of at most 64 KiB, a non-empty terminal-safe token type and
//    an expiry after `now` and at most ten years ahead.
#include "aws/aws_token_exchange.hpp"
#include "base/failure.hpp"
#include "flow/terminal_text.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

constexpr std::array<long, 6> kStatuses{200, 400, 401, 403, 500, 503};

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
    const devflow::TimePoint now{std::chrono::seconds(1800000000)};
    try {
        devflow::AwsExchangedToken token = devflow::parse_create_token_with_iam_answer(response, now);
        require(response.status == 200);
        require(!token.access_token.empty() && token.access_token.reveal().size() <= 64 * 1024);
        require(!token.token_type.empty() && devflow::sanitize_for_terminal(token.token_type, 64) == token.token_type);
        require(token.expires_at > now && token.expires_at <= now + std::chrono::seconds(10LL * 365 * 86400));
    } catch (const devflow::Failure &failure) {
        require(failure.outcome() == devflow::Outcome::unavailable);
        const std::string line = failure.what();
        require(line.size() < 512);
    }
    return 0;
}
