// SPDX-License-Identifier: Apache-2.0
// From verified claims to a local account name, and the binding of that name
// to PAM_USER. A device code approved by somebody else must never log in here.
#pragma once

#include "base/json.hpp"
#include "config/config.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace devflow {

// The local user the verified `claims` stand for: the `username_claim` value,
// translated through `user_map_file` when one is configured. Throws
// Failure(refused) when the claim is missing or has no mapping, and
// Failure(config_error) when the map file is unsafe or malformed.
std::string map_identity(const Json &claims, const OidcProviderConfig &provider);

// The local user an aws-sso login stands for: the STS session name with the
// provider's username_domain removed (apply_username_domain), then translated
// through user_map_file when one is configured (its first column is the name
// without the domain). Throws like map_identity.
std::string map_aws_session_name(const std::string &session_name, const AwsSsoProviderConfig &provider);

// The local user name for an AWS session name under `username_domain`:
// without a domain the name is returned unchanged; with one, "alice@DOMAIN"
// (domain compared case-insensitively) gives "alice", and any other name,
// another domain or no domain at all, throws Failure(refused).
std::string apply_username_domain(const std::string &session_name, const std::string &username_domain);

// Throws Failure(refused) unless `mapped_user` is exactly `pam_user`.
void require_same_user(const std::string &mapped_user, const std::string &pam_user);

// Not empty, at most 256 bytes, no '/', no control characters.
bool is_plausible_username(std::string_view name);

inline constexpr std::size_t kMaxUserMapBytes = kMaxUserMapFileBytes;

}  // namespace devflow
