// SPDX-License-Identifier: Apache-2.0
// What the AWS CLI needs to use an aws-sso login: its SSO token cache, in
// botocore's own format, and (write_aws_config = true) the sso-session and
// profile sections of ~/.aws/config. Written as the user: call these with
// privileges already dropped (PrivilegeDrop::run_as).
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "base/secret.hpp"

#include <string>
#include <string_view>

namespace devflow {

struct AwsCliCacheEntry {
    std::string sso_session;  // names the file: aws_cli_cache_file_name
    std::string start_url;    // left out of the file when empty (CreateTokenWithIAM)
    std::string region;       // the Identity Center (sso-oidc) region
    Secret access_token;
    TimePoint expires_at{};
    // The CLI refreshes the access token only when all four are present; they
    // are written when refresh_token is not empty, else left out.
    Secret refresh_token;
    std::string client_id;
    Secret client_secret;
    TimePoint registration_expires_at{};

    // A deep copy (Secret itself is move-only, so copies are explicit).
    AwsCliCacheEntry copy() const;
};

// Writes <home>/.aws/sso/cache/<file_name> (mode 0600) as
// {"startUrl", "region", "accessToken", "expiresAt", "clientId",
// "clientSecret", "registrationExpiresAt", "refreshToken"} with times as
// "YYYY-MM-DDTHH:MM:SSZ", one line as botocore writes it. Creates .aws,
// .aws/sso and .aws/sso/cache (0700) when missing; refuses a home or any of
// them that is a symlink or owned by someone else, and a cache file that is a
// symlink. The old file is replaced atomically and kept when anything fails.
// Every value must be printable ASCII, else Failure(unavailable) before any
// file is touched; Failure(config_error) for an unusable sso_session name;
// Failure(system_error) for file problems.
// `file_name` is aws_cli_cache_file_name(entry.sso_session) (aws/
// aws_cli_cache_name.hpp: SHA-1 needs OpenSSL, which the module does not
// load); anything but 40 lower-case hex digits and ".json" is
// Failure(unavailable).
void write_aws_cli_token_cache(const UserAccount &user, const AwsCliCacheEntry &entry, const std::string &file_name);

// True for 40 lower-case hex digits followed by ".json".
bool is_aws_cli_cache_file_name(std::string_view name);

// <home>/.aws/sso/cache, created (0700) and checked as
// write_aws_cli_token_cache does before it writes: for work whose result must
// be written there (a refresh that may retire the old refresh token), to fail
// before that work. Throws Failure(system_error).
std::string aws_cli_cache_directory(const UserAccount &user);

struct AwsCliProfile {
    std::string profile;      // [profile NAME]
    std::string sso_session;  // [sso-session NAME]
    std::string start_url;
    std::string sso_region;
    std::string account_id;
    std::string role_name;
    std::string region;  // the profile's default region
};

// Appends to <home>/.aws/config
//   [sso-session S]  sso_start_url, sso_region, sso_registration_scopes = sso:account:access
//   [profile P]      sso_session, sso_account_id, sso_role_name, region
// each only when no section with that name exists (botocore's reading of
// headers: "[profile  P]" and "[profile \"P\"]" count). What is there is kept
// byte for byte; nothing is written when both exist. The new file (old content
// + new sections) replaces the old one atomically with the old one's mode, or
// 0600 when there was none. Creates .aws (0700) when missing; refuses
// symlinks and foreign owners. Throws Failure(config_error) for names or
// values that cannot go in an INI file, Failure(system_error) for file problems.
void add_aws_cli_config(const UserAccount &user, const AwsCliProfile &profile);

}  // namespace devflow
