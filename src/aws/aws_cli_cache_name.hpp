// SPDX-License-Identifier: Apache-2.0
// Where the AWS CLI keeps an sso-session's token: botocore names the file by
// the SHA-1 of the session name. Apart from the writer (usercache/
// aws_cli_cache.hpp) because SHA-1 needs OpenSSL, which the module does not
// load: the helper names the file, the module checks the name's form.
#pragma once

#include "account/user_account.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <string>

namespace devflow {

// The cache file name for an sso-session: SHA-1 (hex) of the name + ".json".
std::string aws_cli_cache_file_name(const std::string &sso_session);

// <home>/.aws/sso/cache/<aws_cli_cache_file_name>, for messages; nothing is
// created or checked.
std::string aws_cli_token_cache_path(const UserAccount &user, const std::string &sso_session);

// write_aws_cli_token_cache to the file aws_cli_cache_file_name names, for
// the code that runs where OpenSSL is loaded (the helper, the command).
void write_aws_cli_token_cache(const UserAccount &user, const AwsCliCacheEntry &entry);

}  // namespace devflow
