#include "config/choices.hpp"

namespace devflow {

std::optional<QrMode> qr_mode_from(std::string_view text) {
    if (text == "utf8") return QrMode::utf8;
    if (text == "ascii") return QrMode::ascii;
    if (text == "off") return QrMode::off;
    return std::nullopt;
}

std::optional<PromptMode> prompt_mode_from(std::string_view text) {
    if (text == "enter") return PromptMode::enter;
    if (text == "auto") return PromptMode::automatic;
    if (text == "detect") return PromptMode::detect;
    return std::nullopt;
}

std::optional<ProviderType> provider_type_from(std::string_view text) {
    if (text == "oidc") return ProviderType::oidc;
    if (text == "aws-sso") return ProviderType::aws_sso;
    return std::nullopt;
}

std::string_view provider_type_name(ProviderType type) { return type == ProviderType::aws_sso ? "aws-sso" : "oidc"; }

std::optional<AwsCredentialChoice> credential_choice_from(std::string_view text) {
    if (text == "environment") return AwsCredentialChoice::environment;
    if (text == "shared-file") return AwsCredentialChoice::shared_file;
    if (text == "imds") return AwsCredentialChoice::imds;
    return std::nullopt;
}

}  // namespace devflow
