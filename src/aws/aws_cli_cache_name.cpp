// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_cli_cache_name.hpp"

#include "account/user_home.hpp"
#include "base/failure.hpp"
#include "base/text.hpp"

#include <openssl/evp.h>

#include <array>
#include <string_view>

namespace devflow {
namespace {

std::string sha1_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1 || length != 20) {
        fail_system("OpenSSL cannot compute SHA-1");
    }
    return hex_encode({digest.data(), length});
}

}  // namespace

std::string aws_cli_cache_file_name(const std::string &sso_session) { return sha1_hex(sso_session) + ".json"; }

std::string aws_cli_token_cache_path(const UserAccount &user, const std::string &sso_session) {
    return user_home_path(user) + "/.aws/sso/cache/" + aws_cli_cache_file_name(sso_session);
}

void write_aws_cli_token_cache(const UserAccount &user, const AwsCliCacheEntry &entry) {
    write_aws_cli_token_cache(user, entry, aws_cli_cache_file_name(entry.sso_session));
}

}  // namespace devflow
