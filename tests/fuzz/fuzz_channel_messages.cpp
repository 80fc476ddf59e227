// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for what the module decodes from its helper process: a
// compromised helper controls every byte of these messages, and the module
// decodes them as root inside sshd or sudo.
//
// Input: one message payload (version, type, fields), given to message_type
// and to every decoder of a helper message (and to the module's own, which
// the helper decodes).
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure (ChannelError),
//    outcome unavailable, with a log line under 1 KiB;
//  - a decoder succeeds only for its own type of the current version;
//  - what a decoder accepts encodes back to the same bytes (the encoding is
//    canonical: no slack a helper could hide anything in), except authorize,
//    whose claim values are rebuilt by type (and must decode to themselves).
#include "base/failure.hpp"
#include "channel/login_messages.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

// Runs `decode`; true when it accepted the payload.
bool accepted(const std::function<void()> &decode) {
    try {
        decode();
        return true;
    } catch (const devflow::Failure &failure) {
        require(failure.outcome() == devflow::Outcome::unavailable);
        require(std::string(failure.what()).size() < 1024);
        return false;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace devflow;
    const std::string payload(reinterpret_cast<const char *>(data), size);
    std::optional<MessageType> type;
    accepted([&] { type = message_type(payload); });

    const auto canonical = [&](MessageType own, const std::function<std::string()> &round_trip) {
        std::string again;
        if (accepted([&] { again = round_trip(); })) {
            require(type == own);
            require(again == payload);
        }
    };
    canonical(MessageType::log, [&] { return encode_log(decode_log(payload)); });
    canonical(MessageType::oidc_tokens, [&] { return encode_oidc_tokens(decode_oidc_tokens(payload)); });
    canonical(MessageType::aws_tokens, [&] { return encode_aws_tokens(decode_aws_tokens(payload)); });
    canonical(MessageType::finished, [&] { return encode_finished(decode_finished(payload)); });
    canonical(MessageType::answer, [&] { return encode_answer(decode_answer(payload)); });
    canonical(MessageType::authorized, [&] { return encode_authorized(decode_authorized(payload)); });
    canonical(MessageType::start, [&] { return encode_start(decode_start(payload)); });
    std::string text;
    if (accepted([&] { text = decode_text(payload); })) {
        require(type == MessageType::show || type == MessageType::show_error || type == MessageType::ask);
        require(encode_text(*type, text) == payload);
    }
    VerifiedIdentity identity;
    if (accepted([&] { identity = decode_authorize(payload); })) {
        require(type == MessageType::authorize);
        std::vector<std::string> names;
        for (const auto &claim : identity.claims.items()) names.push_back(claim.key());
        const VerifiedIdentity again = decode_authorize(encode_authorize(identity, names));
        require(again.claims == identity.claims);
        require(again.session_name == identity.session_name && again.arn == identity.arn);
        require(again.reused_age_seconds == identity.reused_age_seconds);
    }
    return 0;
}
