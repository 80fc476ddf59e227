// SPDX-License-Identifier: Apache-2.0
// An oidc provider's table: the IdP, the client's authentication, the login's
// claims and policy, and the optional IAM Identity Center exchange (the aws_*
// keys).
#include "config/config_tables.hpp"

#include "config/aws_endpoints.hpp"
#include "config/choices.hpp"
#include "config/validators.hpp"
#include "net/url.hpp"

#include <algorithm>

namespace devflow {
namespace {

std::vector<std::string> read_scopes(const TomlValues &values, const toml::node &node, std::string_view key) {
    auto scopes = values.read_string_array(node, key, [&key](const std::string &scope) {
        if (is_scope_token(scope)) return std::string{};
        return quoted(key) + " entries must not contain spaces, quotes or backslashes, not " + quoted(scope);
    });
    if (std::find(scopes.begin(), scopes.end(), "openid") == scopes.end())
        values.fail_at(node.source(), quoted(key) + " must contain \"openid\"");
    return scopes;
}

// EC2's metadata service is plain http on a link-local address: the one
// non-loopback http URL allowed, and only here. Loopback for tests.
std::string read_imds_endpoint(const TomlValues &values, const toml::node &node, std::string_view key) {
    // read_url: a value with user@ is refused without being repeated (it may hold a password).
    std::string text = values.read_url(
        node, key, [](std::string_view) { return true; }, "");
    while (!text.empty() && text.back() == '/') text.pop_back();
    const auto url = parse_url(text);
    const bool link_local =
        url && url->scheme == "http" && (url->host == "169.254.169.254" || url->host == "[fd00:ec2::254]");
    if (!url || !(link_local || is_loopback_host(url->host)) || !url->path_and_query.empty())
        values.fail_at(node.source(), quoted(key) +
                                          " must be http://169.254.169.254, http://[fd00:ec2::254] "
                                          "or a loopback URL, without a path, not " +
                                          quoted(text));
    return text;
}

constexpr std::string_view kArnDescribed =
    "an IAM Identity Center application ARN such as "
    "\"arn:aws:sso::123456789012:application/ssoins-0123456789abcdef/apl-0123456789abcdef\"";

// One key a row, each with how it is read.
// clang-format off
constexpr KeyReader<OidcProviderConfig> kOidcReaders[] = {
    {"type", nullptr},  // read first: the type decides which keys are allowed
    {"issuer", [](auto &in, auto &v, auto &k, auto &p) {
         p.issuer = in.read_url(v, k, is_secure_url, "an https:// URL (http:// only for a loopback host)");
     }},
    {"client_id", [](auto &in, auto &v, auto &k, auto &p) { p.client_id = in.read_non_empty(v, k); }},
    {"client_secret_file", [](auto &in, auto &v, auto &k, auto &p) {
         p.client_secret_file = in.read_absolute_path(v, k);
     }},
    {"token_endpoint_auth_method", [](auto &in, auto &v, auto &k, auto &p) {
         p.token_endpoint_auth_method =
             in.read_choice(v, k, token_endpoint_auth_method_from, kTokenEndpointAuthMethods);
     }},
    {"private_key_file", [](auto &in, auto &v, auto &k, auto &p) { p.private_key_file = in.read_absolute_path(v, k); }},
    {"private_key_kid", [](auto &in, auto &v, auto &k, auto &p) { p.private_key_kid = in.read_non_empty(v, k); }},
    {"client_assertion_audience", [](auto &in, auto &v, auto &k, auto &p) {
         p.client_assertion_audience =
             in.read_choice(v, k, client_assertion_audience_from, kClientAssertionAudiences);
     }},
    {"scopes", [](auto &in, auto &v, auto &k, auto &p) { p.scopes = read_scopes(in, v, k); }},
    {"username_claim", [](auto &in, auto &v, auto &k, auto &p) { p.username_claim = in.read_non_empty(v, k); }},
    {"user_map_file", [](auto &in, auto &v, auto &k, auto &p) { p.user_map_file = in.read_absolute_path(v, k); }},
    {"groups_claim", [](auto &in, auto &v, auto &k, auto &p) { p.groups_claim = in.read_non_empty(v, k); }},
    {"allowed_groups", [](auto &in, auto &v, auto &k, auto &p) { p.allowed_groups = in.read_string_array(v, k); }},
    {"allowed_hosted_domains",
     [](auto &in, auto &v, auto &k, auto &p) { p.allowed_hosted_domains = in.read_string_array(v, k); }},
    {"required_acr", [](auto &in, auto &v, auto &k, auto &p) { p.required_acr = in.read_string_array(v, k); }},
    {"required_amr", [](auto &in, auto &v, auto &k, auto &p) { p.required_amr = in.read_string_array(v, k); }},
    {"clock_skew", [](auto &in, auto &v, auto &k, auto &p) {
         p.clock_skew = in.read_seconds(v, k, kClockSkewMin, kClockSkewMax);
     }},
    {"reuse_window", [](auto &in, auto &v, auto &k, auto &p) {
         p.reuse_window = in.read_seconds(v, k, kReuseWindowMin, kReuseWindowMax);
     }},
    {"aws_idc_application_arn", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws_idc.application_arn = in.read_checked(v, k, is_idc_application_arn, kArnDescribed);
     }},
    {"aws_region", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws_idc.region = in.read_checked(v, k, is_aws_region, kAwsRegionDescribed);
     }},
    {"aws_oidc_endpoint", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws_idc.oidc_endpoint = in.read_endpoint(v, k);
     }},
    {"aws_sso_session", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws_idc.sso_session = in.read_checked(v, k, is_sso_session_name, kSsoSessionDescribed);
     }},
    {"aws_credentials", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws_idc.credentials = in.read_choice(v, k, credential_choice_from, kCredentialChoices);
     }},
    {"aws_imds_endpoint", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws_idc.imds_endpoint = read_imds_endpoint(in, v, k);
     }},
};
// clang-format on

// The aws_* keys of an oidc provider go together: the ARN turns the
// exchange on and needs a region and an sso-session; the others are
// refused without it (a half-configured exchange would silently not run).
void check_aws_idc_exchange(const TomlValues &values, const toml::table &table, const std::string &section,
                            AwsIdcExchange &idc) {
    if (idc.application_arn.empty()) {
        for (const char *key :
             {"aws_region", "aws_oidc_endpoint", "aws_sso_session", "aws_credentials", "aws_imds_endpoint"}) {
            if (const toml::node *node = table.get(key))
                values.fail_at(node->source(),
                               quoted(section + "." + key) + " needs \"aws_idc_application_arn\" in the same provider");
        }
        return;
    }
    for (const char *key : {"aws_region", "aws_sso_session"}) {
        if (!table.contains(key))
            values.fail_at(table.source(), "[" + section + "] has \"aws_idc_application_arn\" but not " + quoted(key));
    }
    // IMDS is used only when chosen: an endpoint without that choice would
    // be silently ignored (configs written when the default still fell
    // back to IMDS must now say so).
    if (const toml::node *node = table.get("aws_imds_endpoint"); node && idc.credentials != AwsCredentialChoice::imds)
        values.fail_at(node->source(), quoted(section + ".aws_imds_endpoint") +
                                           " needs aws_credentials = \"imds\" (IMDS is used only when chosen)");
    if (idc.oidc_endpoint.empty()) idc.oidc_endpoint = default_aws_endpoints(idc.region).oidc;
}

// The method and the credentials go together: a method needs its credential;
// auto must be able to tell which credential is meant; a kid needs a key.
// With an explicit method a credential it does not use is allowed (kept for a
// switch back, say): it is then neither read nor sent.
void check_client_authentication(const TomlValues &values, const toml::table &table, const std::string &section,
                                 const OidcProviderConfig &provider) {
    const auto method = provider.token_endpoint_auth_method;
    const std::string key = section + ".token_endpoint_auth_method";
    const auto needs = [&](const char *credential) {
        if (table.contains(credential)) return;
        const toml::node *node = table.get("token_endpoint_auth_method");
        values.fail_at(node->source(), quoted(key) + " = " + quoted(token_endpoint_auth_method_name(method)) +
                                           " needs " + quoted(credential) + " in the same provider");
    };
    if (method == TokenEndpointAuthMethod::client_secret_basic || method == TokenEndpointAuthMethod::client_secret_post)
        needs("client_secret_file");
    if (method == TokenEndpointAuthMethod::private_key_jwt) needs("private_key_file");
    for (const char *assertion_key : {"private_key_kid", "client_assertion_audience"}) {
        if (const toml::node *node = table.get(assertion_key); node && !table.contains("private_key_file"))
            values.fail_at(node->source(),
                           quoted(section + "." + assertion_key) + " needs \"private_key_file\" in the same provider");
    }
    if (method == TokenEndpointAuthMethod::automatic && table.contains("client_secret_file") &&
        table.contains("private_key_file"))
        values.fail_at(table.get("private_key_file")->source(),
                       "[" + section +
                           "] has both \"client_secret_file\" and \"private_key_file\": set "
                           "\"token_endpoint_auth_method\" to the method the client is registered with");
}

}  // namespace

std::span<const KeyReader<OidcProviderConfig>> oidc_provider_readers() { return kOidcReaders; }

void finish_oidc_provider(const TomlValues &values, const toml::table &table, const std::string &section,
                          OidcProviderConfig &provider) {
    require_key(values, table, section, "issuer", "the IdP's issuer URL");
    require_key(values, table, section, "client_id", {});
    check_client_authentication(values, table, section, provider);
    check_aws_idc_exchange(values, table, section, provider.aws_idc);
}

}  // namespace devflow
