// SPDX-License-Identifier: Apache-2.0
#include "config/trusted_files.hpp"

#include "config/client_secret_file.hpp"
#include "config/private_key_file.hpp"

#include <pwd.h>
#include <unistd.h>

#include <variant>

namespace devflow {
namespace {

const char *const kAwsVariables[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"};

// The oidc provider's exchange settings when it has the exchange and it may
// read AWS credentials from the host; else null.
const AwsIdcExchange *exchange_of(const ProviderConfig &provider) {
    const auto *oidc = std::get_if<OidcProviderConfig>(&provider);
    if (oidc == nullptr || oidc->aws_idc.application_arn.empty()) return nullptr;
    return &oidc->aws_idc;
}

}  // namespace

std::vector<TrustedFileUse> trusted_files_read_by(const Config &config, const ProviderConfig &provider,
                                                  const EnvironmentLookup &environment) {
    std::vector<TrustedFileUse> files;
    if (!config.ca_file.empty()) files.push_back({config.ca_file, kMaxCaFileBytes, FileSecrecy::public_content, true});
    if (const auto *oidc = std::get_if<OidcProviderConfig>(&provider)) {
        if (uses_client_secret_file(*oidc))
            files.push_back({oidc->client_secret_file, kMaxClientSecretFileBytes, FileSecrecy::secret});
        if (uses_private_key_file(*oidc))
            files.push_back({oidc->private_key_file, kMaxPrivateKeyFileBytes, FileSecrecy::secret});
    }
    if (const auto &basics = basics_of(provider); !basics.user_map_file.empty()) {
        files.push_back({basics.user_map_file, kMaxUserMapFileBytes, FileSecrecy::public_content});
    }
    if (const AwsIdcExchange *idc = exchange_of(provider);
        idc && (idc->credentials == AwsCredentialChoice::any || idc->credentials == AwsCredentialChoice::shared_file)) {
        if (std::string path = default_shared_credentials_path(environment); !path.empty()) {
            files.push_back({std::move(path), kMaxAwsCredentialsFileBytes, FileSecrecy::secret});
        }
    }
    return files;
}

std::vector<std::pair<std::string, std::string>> environment_read_by(const ProviderConfig &provider,
                                                                     const EnvironmentLookup &environment) {
    std::vector<std::pair<std::string, std::string>> variables;
    if (exchange_of(provider) == nullptr) return variables;
    for (const char *name : kAwsVariables) {
        if (const char *value = environment(name)) variables.emplace_back(name, value);
    }
    if (std::string path = default_shared_credentials_path(environment); !path.empty()) {
        variables.emplace_back("AWS_SHARED_CREDENTIALS_FILE", std::move(path));
    }
    return variables;
}

std::string default_shared_credentials_path(const EnvironmentLookup &environment) {
    if (const char *path = environment("AWS_SHARED_CREDENTIALS_FILE"); path != nullptr && *path != '\0') {
        return path;
    }
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd *result = nullptr;
    if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &result) != 0 || result == nullptr ||
        entry.pw_dir == nullptr || entry.pw_dir[0] != '/') {
        return {};
    }
    std::string home = entry.pw_dir;
    while (home.size() > 1 && home.back() == '/') home.pop_back();
    return (home == "/" ? std::string() : home) + "/.aws/credentials";
}

}  // namespace devflow
