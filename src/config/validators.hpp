// SPDX-License-Identifier: Apache-2.0
// The rules configuration values must follow. The TOML walk checks each key
// with them, and code that is handed such a value again (the AWS identity
// check) asks the same rule rather than a copy of it.
#pragma once

#include <string>
#include <string_view>

namespace devflow {

// A byte below 0x20 (tab included) or DEL.
bool has_control_character(std::string_view text);

// RFC 6749 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ).
bool is_scope_token(std::string_view text);

// Provider names become file names (the user's token cache, NAME.json):
// [A-Za-z0-9._-]+, not starting with ".". The token cache refuses others.
bool is_valid_provider_name(std::string_view name);

// What [providers.NAME] may be called: a valid provider name without ".",
// at most 64 bytes ([A-Za-z0-9_-]{1,64}). Every configured name passes
// is_valid_provider_name too.
bool is_configurable_provider_name(std::string_view name);

// Starts with "/".
bool is_absolute_path(std::string_view text);

// URLs, as net/url.hpp parses them: any http(s) URL without user name or
// password (a proxy); an https URL (the AWS access portal); a secure URL
// (https, or http to loopback) without query or fragment, to which request
// paths are appended (a service endpoint).
bool is_proxy_url(std::string_view text);
bool is_https_url(std::string_view text);
bool is_service_url(std::string_view text);

// An AWS region name such as "us-east-1" or "us-gov-west-1": two letters,
// words joined by "-", a final digit ([a-z]{2}(-[a-z]+)+-[0-9]).
bool is_aws_region(std::string_view text);

// An AWS account ID: exactly 12 digits.
bool is_aws_account_id(std::string_view text);

// An IAM name (role, permission set, role session): [\w+=,.@-]{1,64}.
bool is_iam_name(std::string_view text);

// IAM Identity Center application ARNs as AWS documents them:
// arn:PARTITION:sso::ACCOUNT:application/(sso)ins-.../apl-...
bool is_idc_application_arn(std::string_view text);

// An AWS CLI sso-session name, which also names a cache file and an INI
// section: letters, digits, ".", "_" and "-", at most 128.
bool is_sso_session_name(std::string_view text);

// A DNS name: dot-separated labels of letters, digits and inner hyphens
// (each 1..63, all of it at most 253).
bool is_domain_name(std::string_view text);

// `text` with A-Z made a-z, nothing else changed: domain names compare so.
std::string lower_case(std::string text);

}  // namespace devflow
