#include "config/choices.hpp"

namespace devflow {

std::optional<QrMode> qr_mode_from(std::string_view text) {
    if (text == "utf8") return QrMode::utf8;
    if (text == "utf8-color") return QrMode::utf8_color;
    if (text == "ascii") return QrMode::ascii;
    if (text == "ascii-color") return QrMode::ascii_color;
    if (text == "off") return QrMode::off;
    return std::nullopt;
}

std::optional<PromptMode> prompt_mode_from(std::string_view text) {
    if (text == "enter") return PromptMode::enter;
    if (text == "auto") return PromptMode::automatic;
    if (text == "detect") return PromptMode::detect;
    return std::nullopt;
}

namespace {

// The word of `value`: the one of `words` that `from` reads as it, so each
// mapping is written once, in the direction the parser reads it.
template <typename Value, std::size_t N>
std::string_view word_of(Value value, const std::string_view (&words)[N],
                         std::optional<Value> (*from)(std::string_view)) {
    for (std::string_view word : words) {
        if (from(word) == value) return word;
    }
    return "?";
}

}  // namespace

std::string_view qr_mode_name(QrMode mode) { return word_of(mode, kQrChoices, qr_mode_from); }

std::string_view prompt_mode_name(PromptMode mode) { return word_of(mode, kPromptChoices, prompt_mode_from); }

std::optional<ProviderType> provider_type_from(std::string_view text) {
    if (text == "oidc") return ProviderType::oidc;
    if (text == "aws-sso") return ProviderType::aws_sso;
    return std::nullopt;
}

std::string_view provider_type_name(ProviderType type) { return word_of(type, kProviderTypes, provider_type_from); }

std::optional<AwsCredentialChoice> credential_choice_from(std::string_view text) {
    if (text == "environment") return AwsCredentialChoice::environment;
    if (text == "shared-file") return AwsCredentialChoice::shared_file;
    if (text == "imds") return AwsCredentialChoice::imds;
    return std::nullopt;
}

}  // namespace devflow
