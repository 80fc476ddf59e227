// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the configuration parser.
//
// Invariant: arbitrary bytes yield either a Config that keeps every promise the
// rest of the module relies on, or a Failure of outcome config_error. Any other
// exception, or a Config that breaks a promise, aborts.
//
// Built and run by `cmake --build build --target fuzz` (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/failure.hpp"
#include "config/config.hpp"
#include "config/validators.hpp"
#include "net/url.hpp"

#include <variant>

namespace {

bool in_range(long value, long min, long max) { return value >= min && value <= max; }

// The client authentication's promises: a method has its credential, auto
// has at most one, a kid and an audience go with a key, and both paths are
// absolute.
bool client_auth_is_valid(const devflow::OidcProviderConfig &p) {
    using Method = devflow::TokenEndpointAuthMethod;
    const bool secret = !p.client_secret_file.empty();
    const bool key = !p.private_key_file.empty();
    const auto method = p.token_endpoint_auth_method;
    if ((method == Method::client_secret_basic || method == Method::client_secret_post) && !secret) return false;
    if (method == Method::private_key_jwt && !key) return false;
    if (method == Method::automatic && secret && key) return false;
    if (!p.private_key_kid.empty() && !key) return false;
    if (p.client_assertion_audience != devflow::ClientAssertionAudience::token_endpoint && !key) return false;
    return (!secret || p.client_secret_file.front() == '/') && (!key || p.private_key_file.front() == '/');
}

// A provider name that every file and key built from it can hold.
bool name_is_valid(const std::string &name, const devflow::ProviderBasics &basics) {
    return basics.name == name && name.find('/') == std::string::npos && name.find('.') == std::string::npos &&
           name.find(':') == std::string::npos &&  // approval keys are "approval:NAME:USER"
           (!basics.reuse_window || in_range(*basics.reuse_window, 0, 86400)) &&
           (basics.user_map_file.empty() || basics.user_map_file.front() == '/');
}

bool oidc_provider_is_valid(const devflow::OidcProviderConfig &p) {
    const bool has_openid = [&] {
        for (const auto &scope : p.scopes)
            if (scope == "openid") return true;
        return false;
    }();
    return p.type == "oidc" && devflow::is_secure_url(p.issuer) && !p.client_id.empty() && client_auth_is_valid(p) &&
           has_openid && in_range(p.clock_skew, 0, 600);
}

// An endpoint the AWS clients append paths to: set, secure, no trailing slash.
bool endpoint_is_valid(const std::string &url) { return devflow::is_secure_url(url) && url.back() != '/'; }

bool aws_sso_provider_is_valid(const devflow::AwsSsoProviderConfig &p) {
    const devflow::AwsSsoSettings &aws = p.aws;
    return p.type == "aws-sso" && devflow::is_https_url(aws.start_url) && devflow::is_aws_region(aws.region) &&
           devflow::is_sso_session_name(aws.sso_session) && devflow::is_aws_account_id(aws.account_id) &&
           devflow::is_iam_name(aws.role_name) && endpoint_is_valid(aws.oidc_endpoint) &&
           endpoint_is_valid(aws.portal_endpoint) && endpoint_is_valid(aws.sts_endpoint) &&
           (aws.username_domain.empty() || devflow::is_domain_name(aws.username_domain));
}

bool provider_is_valid(const std::string &name, const devflow::ProviderConfig &provider) {
    if (!name_is_valid(name, devflow::basics_of(provider))) return false;
    if (const auto *oidc = std::get_if<devflow::OidcProviderConfig>(&provider)) return oidc_provider_is_valid(*oidc);
    return aws_sso_provider_is_valid(std::get<devflow::AwsSsoProviderConfig>(provider));
}

bool config_is_valid(const devflow::Config &config) {
    if (config.providers.empty() || !in_range(config.max_wait, 10, 3600) || !in_range(config.http_timeout, 1, 120) ||
        !in_range(config.reuse_window, 0, 86400) || config.state_dir.empty() || config.state_dir.front() != '/')
        return false;
    if (!config.default_provider.empty() && !config.providers.contains(config.default_provider)) return false;
    for (const auto &[name, provider] : config.providers)
        if (!provider_is_valid(name, provider)) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        const devflow::Config config = devflow::parse_config(text, "fuzz.conf");
        if (!config_is_valid(config)) std::abort();
    } catch (const devflow::Failure &failure) {
        if (failure.outcome() != devflow::Outcome::config_error) std::abort();
    } catch (...) {
        std::abort();
    }
    return 0;
}
