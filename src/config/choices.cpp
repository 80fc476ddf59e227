// SPDX-License-Identifier: Apache-2.0
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

std::optional<TokenEndpointAuthMethod> token_endpoint_auth_method_from(std::string_view text) {
    if (text == "auto") return TokenEndpointAuthMethod::automatic;
    if (text == "none") return TokenEndpointAuthMethod::none;
    if (text == "client_secret_basic") return TokenEndpointAuthMethod::client_secret_basic;
    if (text == "client_secret_post") return TokenEndpointAuthMethod::client_secret_post;
    if (text == "private_key_jwt") return TokenEndpointAuthMethod::private_key_jwt;
    return std::nullopt;
}

std::string_view token_endpoint_auth_method_name(TokenEndpointAuthMethod method) {
    return word_of(method, kTokenEndpointAuthMethods, token_endpoint_auth_method_from);
}

std::optional<ClientAssertionAudience> client_assertion_audience_from(std::string_view text) {
    if (text == "token_endpoint") return ClientAssertionAudience::token_endpoint;
    if (text == "issuer") return ClientAssertionAudience::issuer;
    return std::nullopt;
}

std::string_view client_assertion_audience_name(ClientAssertionAudience audience) {
    return word_of(audience, kClientAssertionAudiences, client_assertion_audience_from);
}

}  // namespace devflow
