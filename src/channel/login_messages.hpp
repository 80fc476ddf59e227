// SPDX-License-Identifier: Apache-2.0
// The messages of one login between the module (root, in sshd or sudo) and
// its helper process (unprivileged, confined), version 4. Every message is
// one frame (frames.hpp): a version byte, a type byte, then its fields in the
// order below (wire.hpp), each with a cap. A decoder refuses a wrong version,
// an unknown type, a field over its cap, a value out of range and bytes left
// over; both sides decode everything they receive this way.
//
//   module                               helper
//   start  ------------------------->    reads the configuration (its bytes),
//                                        confines itself, runs the login
//          <-------------------------    log | show | show_error
//          <-------------------------    ask
//   answer ------------------------->
//          <-------------------------    authorize (who approved: claims the
//   authorized (approver) ---------->    policy reads, or the AWS session)
//          <-------------------------    oidc_tokens | aws_tokens (after
//                                        authorized only), log
//          <-------------------------    finished (success, or the failure)
//
// The module decides the result: success needs its own authorization of the
// identity and then `finished` with success; anything else is a failure.
#pragma once

#include "account/user_account.hpp"
#include "base/failure.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "flow/token_set.hpp"
#include "privileged/privileged_steps.hpp"
#include "privileged/verified_identity.hpp"
#include "store/handed_files.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace devflow {

// Module and helper come from one build; the version makes a mismatch a clear
// refusal instead of a misread field. 2: `finished` may carry Outcome::refused.
// 3: `authorize` carries booleans, integers and object member names.
// 4: `authorize` ends with the token's fingerprint for the audit line.
inline constexpr std::uint8_t kChannelVersion = 4;

// The start message carries the configuration and the files handed over;
// everything else is small.
inline constexpr std::size_t kMaxStartMessageBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxHelperMessageBytes = 1024 * 1024;
inline constexpr std::size_t kMaxModuleMessageBytes = 64 * 1024;

enum class MessageType : std::uint8_t {
    // module -> helper
    start = 1,
    answer = 2,
    authorized = 3,
    // helper -> module
    log = 16,
    show = 17,
    show_error = 18,
    ask = 19,
    authorize = 20,
    oidc_tokens = 21,
    aws_tokens = 22,
    finished = 23,
};

const char *message_type_name(MessageType type) noexcept;

// The type of a received message, after checking its version. Throws
// ChannelError for another version or an unknown type.
MessageType message_type(std::string_view payload);

struct StartMessage {
    std::string config_path;  // for messages; its bytes are the first file
    ConfigOverrides overrides;
    std::string provider_name;
    std::vector<HandedFile> files;  // root's files the module read for the helper
    // The host's AWS_* variables for the CreateTokenWithIAM exchange, as the
    // module read them (secure_getenv): in this message, never in the
    // helper's environment.
    std::vector<std::pair<std::string, std::string>> environment;
    UserAccount user;
    std::string service;
    std::string remote_host;
    std::string local_host;
    bool reuse_approvals = true;
    bool debug = false;
};

struct LogMessage {
    LogLevel level = LogLevel::info;
    std::string line;
};

struct FinishedMessage {
    Outcome outcome = Outcome::system_error;
    std::string log_line;
    std::string user_message;
};

struct AwsTokensMessage {
    AwsCacheUse use = AwsCacheUse::login;
    std::string file_name;
    AwsCliCacheEntry entry;  // the tokens and registration; names come from the module's config
};

std::string encode_start(const StartMessage &message);
StartMessage decode_start(std::string_view payload);

std::string encode_answer(const std::optional<std::string> &answer);
std::optional<std::string> decode_answer(std::string_view payload);

std::string encode_authorized(const std::string &approver);
std::string decode_authorized(std::string_view payload);

std::string encode_log(const LogMessage &message);
LogMessage decode_log(std::string_view payload);

// show, show_error and ask: one text.
std::string encode_text(MessageType type, const std::string &text);
std::string decode_text(std::string_view payload);

// The identity with only the claims named in `claim_names` (those binding and
// policy read); each crosses as its JSON type plus, for a string or an array
// of strings, its value: the module rebuilds a value of the same type.
std::string encode_authorize(const VerifiedIdentity &identity, const std::vector<std::string> &claim_names);
VerifiedIdentity decode_authorize(std::string_view payload);

std::string encode_oidc_tokens(const TokenSet &tokens);
TokenSet decode_oidc_tokens(std::string_view payload);

std::string encode_aws_tokens(const AwsTokensMessage &message);
AwsTokensMessage decode_aws_tokens(std::string_view payload);

std::string encode_finished(const FinishedMessage &message);
FinishedMessage decode_finished(std::string_view payload);

}  // namespace devflow
