// SPDX-License-Identifier: Apache-2.0
#include "helper/module_channel.hpp"

#include "account/policy.hpp"
#include "base/secret.hpp"

#include <variant>

namespace devflow {
namespace {

// The module answers at its own pace (a person at a prompt, max_wait at
// most); it bounds the whole login itself and closes the channel at its end.
constexpr std::chrono::hours kPatience{2};

ChannelDeadline from_now() { return std::chrono::steady_clock::now() + kPatience; }

}  // namespace

void ModuleChannel::send(const std::string &payload) { send_frame(fd_, payload, from_now()); }

std::string ModuleChannel::receive(MessageType type, std::size_t max_bytes) {
    std::string payload = receive_frame(fd_, max_bytes, from_now(), "the module");
    if (message_type(payload) != type) {
        wipe(payload);
        throw ChannelError(std::string("the module sent an unexpected message; expected ") + message_type_name(type));
    }
    return payload;
}

void RemoteLogger::log(LogLevel level, const std::string &line) {
    if (level == LogLevel::debug && !debug_) return;
    try {
        channel_.send(encode_log({level, line}));
    } catch (const std::exception &) {
    }
}

void RemoteConversation::show(const std::string &text) { channel_.send(encode_text(MessageType::show, text)); }

void RemoteConversation::show_error(const std::string &text) {
    channel_.send(encode_text(MessageType::show_error, text));
}

std::optional<std::string> RemoteConversation::ask(const std::string &prompt) {
    channel_.send(encode_text(MessageType::ask, prompt));
    std::string reply = channel_.receive(MessageType::answer, kMaxModuleMessageBytes);
    WipeOnExit wipe_reply(reply);
    return decode_answer(reply);
}

std::string RemotePrivilegedSteps::authorize(const VerifiedIdentity &identity) {
    std::vector<std::string> claims;
    if (const auto *oidc = std::get_if<OidcProviderConfig>(&provider_)) claims = policy_claim_names(*oidc);
    channel_.send(encode_authorize(identity, claims));
    // The module closes the channel when it says no.
    return decode_authorized(channel_.receive(MessageType::authorized, kMaxModuleMessageBytes));
}

void RemotePrivilegedSteps::write_oidc_token_cache(const TokenSet &tokens) {
    std::string payload = encode_oidc_tokens(tokens);
    WipeOnExit wipe_payload(payload);
    channel_.send(payload);
}

void RemotePrivilegedSteps::write_aws_cli_cache(const AwsCliCacheEntry &entry, const std::string &file_name,
                                                AwsCacheUse use) {
    AwsTokensMessage message{use, file_name, entry.copy()};
    std::string payload = encode_aws_tokens(message);
    WipeOnExit wipe_payload(payload);
    channel_.send(payload);
}

}  // namespace devflow
