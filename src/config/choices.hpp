// SPDX-License-Identifier: Apache-2.0
// The words a choice key takes and the values they stand for: qr and prompt
// (in the file and on the pam.d line), a provider's type and an oidc
// provider's aws_credentials, token_endpoint_auth_method and
// client_assertion_audience.
#pragma once

#include "config/config.hpp"

#include <optional>
#include <string_view>

namespace devflow {

// The provider kinds, as the parser tells them apart (provider_table.cpp).
enum class ProviderType { oidc, aws_sso };

inline constexpr std::string_view kQrChoices[] = {"utf8", "utf8-color", "ascii", "ascii-color", "off"};
inline constexpr std::string_view kPromptChoices[] = {"enter", "auto", "detect"};
inline constexpr std::string_view kProviderTypes[] = {"oidc", "aws-sso"};
inline constexpr std::string_view kCredentialChoices[] = {"environment", "shared-file", "imds"};
inline constexpr std::string_view kTokenEndpointAuthMethods[] = {"auto", "client_secret_basic", "client_secret_post",
                                                                 "private_key_jwt", "none"};
inline constexpr std::string_view kClientAssertionAudiences[] = {"token_endpoint", "issuer"};

// The value `text` names, or nullopt when it is none of the choices.
std::optional<QrMode> qr_mode_from(std::string_view text);
std::optional<PromptMode> prompt_mode_from(std::string_view text);
std::string_view qr_mode_name(QrMode mode);          // the word the config uses
std::string_view prompt_mode_name(PromptMode mode);  // the word the config uses
std::optional<ProviderType> provider_type_from(std::string_view text);
std::string_view provider_type_name(ProviderType type);  // "oidc" or "aws-sso"
std::optional<AwsCredentialChoice> credential_choice_from(std::string_view text);
std::optional<TokenEndpointAuthMethod> token_endpoint_auth_method_from(std::string_view text);
std::string_view token_endpoint_auth_method_name(TokenEndpointAuthMethod method);  // the word the config uses
std::optional<ClientAssertionAudience> client_assertion_audience_from(std::string_view text);
std::string_view client_assertion_audience_name(ClientAssertionAudience audience);  // the word the config uses

}  // namespace devflow
