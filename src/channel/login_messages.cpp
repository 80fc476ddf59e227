// SPDX-License-Identifier: Apache-2.0
#include "channel/login_messages.hpp"

#include "base/json_fields.hpp"
#include "base/secret.hpp"
#include "base/utc_time.hpp"
#include "channel/wire.hpp"

#include <algorithm>
#include <climits>
#include <optional>

namespace devflow {
namespace {

constexpr std::size_t kMaxPath = 4096;
constexpr std::size_t kMaxName = 256;
constexpr std::size_t kMaxLine = 16 * 1024;
constexpr std::size_t kMaxText = 64 * 1024;
constexpr std::size_t kMaxToken = 64 * 1024;
constexpr std::size_t kMaxFiles = 8;
constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr std::size_t kMaxVariables = 8;
constexpr std::size_t kMaxClaims = 16;
constexpr std::size_t kMaxClaimValues = 4096;
constexpr std::size_t kMaxClaimValueBytes = 4096;

WireWriter started(MessageType type) {
    WireWriter out;
    out.byte(kChannelVersion);
    out.byte(static_cast<std::uint8_t>(type));
    return out;
}

// A reader past the version and type bytes, which must be `type`.
WireReader opened(std::string_view payload, MessageType type) {
    if (message_type(payload) != type) {
        throw ChannelError(std::string("expected a ") + message_type_name(type) + " message, got a " +
                           message_type_name(message_type(payload)) + " one");
    }
    WireReader in(payload.substr(2), std::string("the ") + message_type_name(type) + " message");
    return in;
}

template <class Enum>
Enum enum_in_range(WireReader &in, std::uint8_t last, const char *field) {
    const std::uint8_t value = in.byte();
    if (value > last) in.fail(std::string(field) + " is " + std::to_string(value) + ", unknown");
    return static_cast<Enum>(value);
}

void write_time(WireWriter &out, TimePoint when) { out.i64(epoch_seconds(when)); }

TimePoint read_time(WireReader &in, const char *field) {
    const std::int64_t seconds = in.i64();
    const auto when = time_from_epoch_seconds(seconds);
    if (!when) in.fail(std::string(field) + " is out of range");
    return *when;
}

void write_optional_number(WireWriter &out, const std::optional<long> &value) {
    out.flag(value.has_value());
    out.i64(value.value_or(0));
}

std::optional<long> read_optional_number(WireReader &in, long low, long high, const char *field) {
    const bool present = in.flag();
    const std::int64_t value = in.i64();
    if (!present) {
        if (value != 0) in.fail(std::string(field) + " is absent but has a value");
        return std::nullopt;
    }
    if (value < low || value > high) in.fail(std::string(field) + " is out of range");
    return static_cast<long>(value);
}

// A claim's JSON type, as it crosses: enough for the module to rebuild a value
// of that type for the policy's checks and messages.
enum class ClaimKind : std::uint8_t { null, boolean, number, string, strings, other_array, object };
constexpr std::uint8_t kLastClaimKind = static_cast<std::uint8_t>(ClaimKind::object);

ClaimKind kind_of(const Json &value) {
    if (value.is_string()) return ClaimKind::string;
    if (value.is_boolean()) return ClaimKind::boolean;
    if (value.is_number()) return ClaimKind::number;
    if (value.is_object()) return ClaimKind::object;
    if (value.is_array()) {
        for (const auto &element : value) {
            if (!element.is_string()) return ClaimKind::other_array;
        }
        return ClaimKind::strings;
    }
    return ClaimKind::null;
}

// What crosses besides the type: a string's text, a boolean's and an
// integer's value as text (email_verified, hasgroups, a numeric acr), the
// strings of an array of strings, and an object's member names (the groups
// overage's _claim_names); the module's checks need no more.
std::string text_of(const Json &value, ClaimKind kind) {
    if (kind == ClaimKind::string) return value.get_ref<const std::string &>();
    if (kind == ClaimKind::boolean) return value.get<bool>() ? "true" : "false";
    if (kind == ClaimKind::number && value.is_number_integer()) return value.dump();
    return {};
}

std::vector<std::string> values_of(const Json &value, ClaimKind kind) {
    std::vector<std::string> values;
    if (kind == ClaimKind::strings) {
        for (const auto &element : value) values.push_back(element.get<std::string>());
    } else if (kind == ClaimKind::object) {
        for (const auto &member : value.items()) values.push_back(member.key());
    }
    return values;
}

// nullopt: the text or values cannot be what the type sends.
std::optional<Json> rebuilt(ClaimKind kind, std::string text, std::vector<std::string> values) {
    if (kind != ClaimKind::strings && kind != ClaimKind::object && !values.empty()) return std::nullopt;
    switch (kind) {
    case ClaimKind::null:
    case ClaimKind::other_array:
        if (!text.empty()) return std::nullopt;
        return kind == ClaimKind::null ? Json(nullptr) : Json::array({nullptr});
    case ClaimKind::boolean:
        if (text != "true" && text != "false") return std::nullopt;
        return Json(text == "true");
    case ClaimKind::number: {
        if (text.empty()) return Json(0.5);  // a number that is no integer
        Json number = parse_untrusted_json(text);
        if (!number.is_number_integer() || number.dump() != text) return std::nullopt;
        return number;
    }
    case ClaimKind::string: return Json(std::move(text));
    case ClaimKind::strings:
        if (!text.empty()) return std::nullopt;
        return Json(std::move(values));
    case ClaimKind::object: {
        // Member names in the order a JSON object keeps them, each once: the
        // encoding stays canonical.
        if (!text.empty() || !std::is_sorted(values.begin(), values.end()) ||
            std::adjacent_find(values.begin(), values.end()) != values.end()) {
            return std::nullopt;
        }
        Json object = Json::object();
        for (auto &name : values) object[std::move(name)] = nullptr;
        return object;
    }
    }
    return std::nullopt;
}

}  // namespace

const char *message_type_name(MessageType type) noexcept {
    switch (type) {
    case MessageType::start: return "start";
    case MessageType::answer: return "answer";
    case MessageType::authorized: return "authorized";
    case MessageType::log: return "log";
    case MessageType::show: return "show";
    case MessageType::show_error: return "show_error";
    case MessageType::ask: return "ask";
    case MessageType::authorize: return "authorize";
    case MessageType::oidc_tokens: return "oidc_tokens";
    case MessageType::aws_tokens: return "aws_tokens";
    case MessageType::finished: return "finished";
    }
    return "unknown";
}

MessageType message_type(std::string_view payload) {
    if (payload.size() < 2) throw ChannelError("a message without version and type");
    const auto version = static_cast<std::uint8_t>(payload[0]);
    if (version != kChannelVersion) {
        throw ChannelError("a message of protocol version " + std::to_string(version) + ", expected " +
                           std::to_string(kChannelVersion) + " (module and helper from different builds?)");
    }
    const auto type = static_cast<MessageType>(static_cast<std::uint8_t>(payload[1]));
    if (std::string_view(message_type_name(type)) == "unknown") {
        throw ChannelError("a message of unknown type " + std::to_string(static_cast<unsigned char>(payload[1])));
    }
    return type;
}

std::string encode_start(const StartMessage &message) {
    WireWriter out = started(MessageType::start);
    out.text(message.config_path);
    out.byte(message.overrides.qr ? static_cast<std::uint8_t>(1 + static_cast<int>(*message.overrides.qr)) : 0);
    out.byte(message.overrides.prompt ? static_cast<std::uint8_t>(1 + static_cast<int>(*message.overrides.prompt)) : 0);
    write_optional_number(out, message.overrides.max_wait);
    out.text(message.provider_name);
    out.u32(static_cast<std::uint32_t>(message.files.size()));
    for (const auto &file : message.files) {
        out.text(file.path);
        out.byte(static_cast<std::uint8_t>(file.state));
        out.text(file.content);
    }
    out.u32(static_cast<std::uint32_t>(message.environment.size()));
    for (const auto &[name, value] : message.environment) {
        out.text(name);
        out.text(value);
    }
    out.text(message.user.name);
    out.u32(message.user.uid);
    out.u32(message.user.gid);
    out.text(message.user.home);
    out.text(message.service);
    out.text(message.remote_host);
    out.text(message.local_host);
    out.flag(message.reuse_approvals);
    out.flag(message.debug);
    return out.take();
}

StartMessage decode_start(std::string_view payload) {
    WireReader in = opened(payload, MessageType::start);
    StartMessage message;
    message.config_path = in.text(kMaxPath, "config_path");
    if (const std::uint8_t qr = in.byte(); qr > 1 + static_cast<int>(kLastQrMode)) {
        in.fail("qr override " + std::to_string(qr) + " is unknown");
    } else if (qr > 0) {
        message.overrides.qr = static_cast<QrMode>(qr - 1);
    }
    if (const std::uint8_t prompt = in.byte(); prompt > 3) {
        in.fail("prompt override " + std::to_string(prompt) + " is unknown");
    } else if (prompt > 0) {
        message.overrides.prompt = static_cast<PromptMode>(prompt - 1);
    }
    message.overrides.max_wait = read_optional_number(in, 0, LONG_MAX, "max_wait override");
    message.provider_name = in.text(kMaxName, "provider");
    const std::uint32_t files = in.u32();
    if (files > kMaxFiles)
        in.fail(std::to_string(files) + " files handed over, more than " + std::to_string(kMaxFiles));
    for (std::uint32_t i = 0; i < files; ++i) {
        HandedFile file;
        file.path = in.text(kMaxPath, "a file's path");
        file.state = enum_in_range<HandedFile::State>(in, 2, "a file's state");
        file.content = in.text(kMaxFileBytes, "a file's content");
        message.files.push_back(std::move(file));
    }
    const std::uint32_t variables = in.u32();
    if (variables > kMaxVariables) in.fail(std::to_string(variables) + " environment variables, too many");
    for (std::uint32_t i = 0; i < variables; ++i) {
        std::string name = in.text(kMaxName, "a variable's name");
        std::string value = in.text(kMaxText, "a variable's value");
        message.environment.emplace_back(std::move(name), std::move(value));
    }
    message.user.name = in.text(kMaxName, "user");
    message.user.uid = in.u32();
    message.user.gid = in.u32();
    message.user.home = in.text(kMaxPath, "home");
    message.service = in.text(kMaxName, "service");
    message.remote_host = in.text(kMaxName, "remote_host");
    message.local_host = in.text(kMaxName, "local_host");
    message.reuse_approvals = in.flag();
    message.debug = in.flag();
    in.finish();
    return message;
}

std::string encode_answer(const std::optional<std::string> &answer) {
    WireWriter out = started(MessageType::answer);
    out.flag(answer.has_value());
    out.text(answer.value_or(""));
    return out.take();
}

std::optional<std::string> decode_answer(std::string_view payload) {
    WireReader in = opened(payload, MessageType::answer);
    const bool given = in.flag();
    std::string text = in.text(kMaxText, "answer");
    in.finish();
    if (!given) {
        if (!text.empty()) in.fail("no answer, but a text");
        return std::nullopt;
    }
    return text;
}

std::string encode_authorized(const std::string &approver) {
    WireWriter out = started(MessageType::authorized);
    out.text(approver);
    return out.take();
}

std::string decode_authorized(std::string_view payload) {
    WireReader in = opened(payload, MessageType::authorized);
    std::string approver = in.text(kMaxLine, "approver");
    in.finish();
    return approver;
}

std::string encode_log(const LogMessage &message) {
    WireWriter out = started(MessageType::log);
    out.byte(static_cast<std::uint8_t>(message.level));
    out.text(message.line.size() > kMaxLine ? message.line.substr(0, kMaxLine) : message.line);
    return out.take();
}

LogMessage decode_log(std::string_view payload) {
    WireReader in = opened(payload, MessageType::log);
    LogMessage message;
    message.level = enum_in_range<LogLevel>(in, static_cast<std::uint8_t>(LogLevel::debug), "log level");
    message.line = in.text(kMaxLine, "log line");
    in.finish();
    return message;
}

std::string encode_text(MessageType type, const std::string &text) {
    WireWriter out = started(type);
    out.text(text);
    return out.take();
}

std::string decode_text(std::string_view payload) {
    const MessageType type = message_type(payload);
    if (type != MessageType::show && type != MessageType::show_error && type != MessageType::ask) {
        throw ChannelError(std::string("expected a text to show, got a ") + message_type_name(type) + " message");
    }
    WireReader in = opened(payload, type);
    std::string text = in.text(kMaxText, "text");
    in.finish();
    return text;
}

namespace {

// A fingerprint is 12 lower-case hex digits, or empty (no token to name).
constexpr std::size_t kMaxFingerprint = 12;
bool is_fingerprint(const std::string &text) {
    if (text.empty()) return true;
    if (text.size() != kMaxFingerprint) return false;
    return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string encode_authorize(const VerifiedIdentity &identity, const std::vector<std::string> &claim_names) {
    WireWriter out = started(MessageType::authorize);
    std::vector<const std::string *> present;
    for (const auto &name : claim_names) {
        if (identity.claims.is_object() && identity.claims.contains(name)) present.push_back(&name);
    }
    out.u32(static_cast<std::uint32_t>(present.size()));
    for (const std::string *name : present) {
        const Json &value = identity.claims.at(*name);
        const ClaimKind kind = kind_of(value);
        out.text(*name);
        out.byte(static_cast<std::uint8_t>(kind));
        out.text(text_of(value, kind));
        out.texts(values_of(value, kind));
    }
    out.text(identity.session_name);
    out.text(identity.arn);
    write_optional_number(out, identity.reused_age_seconds);
    out.text(identity.token_fingerprint);
    return out.take();
}

VerifiedIdentity decode_authorize(std::string_view payload) {
    WireReader in = opened(payload, MessageType::authorize);
    VerifiedIdentity identity;
    const std::uint32_t claims = in.u32();
    if (claims > kMaxClaims) in.fail(std::to_string(claims) + " claims, more than " + std::to_string(kMaxClaims));
    for (std::uint32_t i = 0; i < claims; ++i) {
        std::string name = in.text(kMaxName, "a claim's name");
        const auto kind = enum_in_range<ClaimKind>(in, kLastClaimKind, "a claim's type");
        std::string text = in.text(kMaxText, "a claim's value");
        std::vector<std::string> values = in.texts(kMaxClaimValues, kMaxClaimValueBytes, "a claim's values");
        std::optional<Json> value = rebuilt(kind, std::move(text), std::move(values));
        if (!value) in.fail("claim " + name + " has a value its type cannot have");
        if (identity.claims.contains(name)) in.fail("claim " + name + " is sent twice");
        identity.claims[name] = std::move(*value);
    }
    identity.session_name = in.text(kMaxName, "session_name");
    identity.arn = in.text(kMaxLine, "arn");
    identity.reused_age_seconds = read_optional_number(in, 0, 86400, "reused age");
    identity.token_fingerprint = in.text(kMaxFingerprint, "token fingerprint");
    if (!is_fingerprint(identity.token_fingerprint)) in.fail("the token fingerprint is not 12 hex digits");
    in.finish();
    return identity;
}

std::string encode_oidc_tokens(const TokenSet &tokens) {
    WireWriter out = started(MessageType::oidc_tokens);
    out.text(tokens.access_token.reveal());
    out.text(tokens.refresh_token.reveal());
    out.text(tokens.id_token.reveal());
    out.text(tokens.token_type);
    out.text(tokens.scope);
    write_time(out, tokens.expires_at);
    return out.take();
}

TokenSet decode_oidc_tokens(std::string_view payload) {
    WireReader in = opened(payload, MessageType::oidc_tokens);
    TokenSet tokens;
    tokens.access_token = Secret(in.text(kMaxToken, "access_token"));
    tokens.refresh_token = Secret(in.text(kMaxToken, "refresh_token"));
    tokens.id_token = Secret(in.text(kMaxToken, "id_token"));
    tokens.token_type = in.text(kMaxName, "token_type");
    tokens.scope = in.text(kMaxLine, "scope");
    tokens.expires_at = read_time(in, "expires_at");
    in.finish();
    return tokens;
}

std::string encode_aws_tokens(const AwsTokensMessage &message) {
    WireWriter out = started(MessageType::aws_tokens);
    out.byte(static_cast<std::uint8_t>(message.use));
    out.text(message.file_name);
    out.text(message.entry.access_token.reveal());
    write_time(out, message.entry.expires_at);
    out.text(message.entry.refresh_token.reveal());
    out.text(message.entry.client_id);
    out.text(message.entry.client_secret.reveal());
    write_time(out, message.entry.registration_expires_at);
    return out.take();
}

AwsTokensMessage decode_aws_tokens(std::string_view payload) {
    WireReader in = opened(payload, MessageType::aws_tokens);
    AwsTokensMessage message;
    message.use = enum_in_range<AwsCacheUse>(in, static_cast<std::uint8_t>(AwsCacheUse::id_token_exchange), "use");
    message.file_name = in.text(kMaxName, "file_name");
    message.entry.access_token = Secret(in.text(kMaxToken, "access_token"));
    message.entry.expires_at = read_time(in, "expires_at");
    message.entry.refresh_token = Secret(in.text(kMaxToken, "refresh_token"));
    message.entry.client_id = in.text(kMaxLine, "client_id");
    message.entry.client_secret = Secret(in.text(kMaxToken, "client_secret"));
    message.entry.registration_expires_at = read_time(in, "registration_expires_at");
    in.finish();
    return message;
}

std::string encode_finished(const FinishedMessage &message) {
    WireWriter out = started(MessageType::finished);
    out.byte(static_cast<std::uint8_t>(message.outcome));
    out.text(message.log_line.size() > kMaxLine ? message.log_line.substr(0, kMaxLine) : message.log_line);
    out.text(message.user_message.size() > kMaxLine ? message.user_message.substr(0, kMaxLine) : message.user_message);
    return out.take();
}

FinishedMessage decode_finished(std::string_view payload) {
    WireReader in = opened(payload, MessageType::finished);
    FinishedMessage message;
    message.outcome = enum_in_range<Outcome>(in, static_cast<std::uint8_t>(Outcome::refused), "outcome");
    message.log_line = in.text(kMaxLine, "log line");
    message.user_message = in.text(kMaxLine, "user message");
    in.finish();
    return message;
}

}  // namespace devflow
