// SPDX-License-Identifier: Apache-2.0
// Reading back the AWS CLI's SSO token cache for one sso-session: what
// write_aws_cli_token_cache (aws_cli_cache.hpp) writes, and what the AWS CLI
// itself writes after `aws sso login` or a refresh. For `pam-device-flow
// token`, which runs as the user.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace devflow {

// The largest AWS CLI cache file read back.
inline constexpr std::size_t kMaxAwsCliCacheBytes = 256 * 1024;

// Reads <home>/.aws/sso/cache/<sha1hex(sso_session)>.json. nullopt when the
// file does not exist. accessToken and expiresAt are required; startUrl and
// region are read when present. The refresh members (refreshToken, clientId,
// clientSecret, registrationExpiresAt) are kept only when all four are there,
// as the AWS CLI uses them: else refresh_token is left empty. Members the
// format does not name are ignored. Throws Failure(system_error) for an
// unsafe file (a symlink, a foreign owner, group or world permissions, too
// large) and for content that is not the format, naming what is wrong.
std::optional<AwsCliCacheEntry> read_aws_cli_token_cache(const UserAccount &user, const std::string &sso_session);

// A time as botocore writes it: "YYYY-MM-DDTHH:MM:SSZ" (its token refresh, the
// `aws sso login` command) or "YYYY-MM-DDTHH:MM:SSUTC" (its JSON file cache),
// or with "+00:00" (Python's isoformat), with optional fractional seconds;
// nullopt for anything else (other offsets included).
std::optional<TimePoint> parse_botocore_time(std::string_view text);

}  // namespace devflow
