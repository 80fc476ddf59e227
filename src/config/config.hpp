// SPDX-License-Identifier: Apache-2.0
// The admin's configuration: /etc/security/pam_device_flow.conf (TOML) plus the
// module arguments that override it. See docs/configuration.md for every key.
#pragma once

#include "flow/device_flow.hpp"
#include "flow/qr_code.hpp"
#include "net/curl_transport.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace devflow {

// The keys of an `type = "aws-sso"` provider (AWS IAM Identity Center). The
// endpoints are always set: the admin's override, else the regional default;
// never with a trailing slash.
struct AwsSsoSettings {
    std::string start_url;          // https; the AWS access portal URL
    std::string region;             // e.g. "us-east-1"
    std::string sso_session;        // AWS CLI cache key and ~/.aws/config [sso-session NAME]
    std::string account_id;         // 12 digits
    std::string role_name;          // the permission set's role name
    std::string oidc_endpoint;      // https://oidc.{region}.amazonaws.com
    std::string portal_endpoint;    // https://portal.sso.{region}.amazonaws.com
    std::string sts_endpoint;       // https://sts.{region}.amazonaws.com
    bool write_aws_config = false;  // also write ~/.aws/config sections for the user
    std::string username_domain;    // optional, lower case: "alice@DOMAIN" maps to "alice"
};

enum class AwsCredentialChoice { any, environment, shared_file, imds };

// The largest AWS shared credentials file read for the exchange.
inline constexpr std::size_t kMaxAwsCredentialsFileBytes = 64 * 1024;

// An `oidc` provider's optional CreateTokenWithIAM exchange: after a login
// the verified id_token is traded for an IAM Identity Center token of this
// application, signed with the host's IAM credentials, and written to the
// user's AWS CLI cache. Off when application_arn is empty.
struct AwsIdcExchange {
    std::string application_arn;  // arn:aws:sso::ACCOUNT:application/ssoins-.../apl-...
    std::string region;           // required with the ARN
    std::string oidc_endpoint;    // https://oidc.{region}.amazonaws.com unless overridden
    std::string sso_session;      // required with the ARN: the AWS CLI cache key
    AwsCredentialChoice credentials = AwsCredentialChoice::any;
    std::string imds_endpoint = "http://169.254.169.254";  // or loopback (tests)
};

// The keys every provider kind has.
struct ProviderBasics {
    std::string name;                  // the table name under [providers.NAME]
    std::string type;                  // "oidc" or "aws-sso", as written (for messages)
    std::string user_map_file;         // optional; "name local-user" lines
    std::optional<long> reuse_window;  // seconds, 0..86400; unset: the top-level value
};

// How an oidc client authenticates at the IdP's device, token and refresh
// requests (token_endpoint_auth_method). `automatic` picks one from the
// credential configured and the methods the discovery document lists.
enum class TokenEndpointAuthMethod { automatic, none, client_secret_basic, client_secret_post, private_key_jwt };

// The aud of a private_key_jwt client assertion (client_assertion_audience):
// the token endpoint URL (OpenID Connect Core 9) or the issuer identifier
// (what Auth0 documents, and the OpenID Foundation's 2025 advice).
enum class ClientAssertionAudience { token_endpoint, issuer };

// A `type = "oidc"` provider (the default type).
struct OidcProviderConfig : ProviderBasics {
    std::string issuer;  // exact issuer URL; discovery at issuer + /.well-known/openid-configuration
    std::string client_id;
    std::string client_secret_file;  // optional; root-owned, 0600; its first line is the secret
    TokenEndpointAuthMethod token_endpoint_auth_method = TokenEndpointAuthMethod::automatic;
    std::string private_key_file;  // optional; root-owned, 0600; PEM RSA or EC key for private_key_jwt
    std::string private_key_kid;   // optional; the "kid" header of the client assertions
    ClientAssertionAudience client_assertion_audience = ClientAssertionAudience::token_endpoint;
    std::vector<std::string> scopes{"openid", "profile", "email"};
    std::string username_claim = "preferred_username";
    std::string groups_claim = "groups";
    std::vector<std::string> allowed_groups;          // empty: no group check
    std::vector<std::string> allowed_hosted_domains;  // empty: no check; else the hd claim must be one
    std::vector<std::string> required_acr;            // empty: no check; else acr must be one of them
    std::vector<std::string> required_amr;            // empty: no check; else amr must contain all
    long clock_skew = 60;                             // seconds, 0..600
    AwsIdcExchange aws_idc;                           // optional CreateTokenWithIAM exchange
};

// Whether the client authentication reads the provider's client_secret_file,
// or its private_key_file: each is read when it is set and the method may use
// it (auto uses the one configured; the parser refuses both under auto). A
// credential an explicit method does not use is neither read nor sent.
bool uses_client_secret_file(const OidcProviderConfig &provider) noexcept;
bool uses_private_key_file(const OidcProviderConfig &provider) noexcept;

// A `type = "aws-sso"` provider (AWS IAM Identity Center).
struct AwsSsoProviderConfig : ProviderBasics {
    AwsSsoSettings aws;
};

// One type per provider kind. Only the configuration parser and the provider
// construction (login/providers.cpp) look at which one a provider is.
using ProviderConfig = std::variant<OidcProviderConfig, AwsSsoProviderConfig>;

// The keys every kind has, of any provider.
const ProviderBasics &basics_of(const ProviderConfig &provider) noexcept;

// Who reads the configuration, for the messages that tell how to name another
// file or provider: the module (config= and provider= on the pam.d line) or
// the pam-device-flow command (--config and --provider).
enum class ConfigReader { module, command };

struct Config {
    std::string path;                            // where it was read from, for messages
    ConfigReader reader = ConfigReader::module;  // who read it, for messages
    std::string default_provider;
    QrMode qr = QrMode::utf8;
    PromptMode prompt = PromptMode::detect;
    long max_wait = 110;     // seconds, 10..3600
    long http_timeout = 10;  // seconds per request, 1..120
    std::string ca_file;     // optional PEM bundle instead of the system store
    std::string proxy;       // optional proxy URL
    std::string state_dir = "/var/cache/pam_device_flow";
    long reuse_window = 0;  // seconds, 0..86400; 0: every login asks the IdP
    std::map<std::string, ProviderConfig> providers;

    // The provider to use: `name` if given, else default_provider, else the only one.
    // Throws Failure(config_error) when it cannot be chosen.
    const ProviderConfig &provider(const std::string &name) const;

    // How long an approval with `provider` may be reused: its own
    // reuse_window when set, else the top-level one.
    long reuse_window_for(const ProviderBasics &provider) const { return provider.reuse_window.value_or(reuse_window); }
};

// The ranges the file accepts, in seconds (max_wait also on the pam.d line).
inline constexpr long kMaxWaitMin = 10, kMaxWaitMax = 3600;
inline constexpr long kHttpTimeoutMin = 1, kHttpTimeoutMax = 120;
inline constexpr long kClockSkewMin = 0, kClockSkewMax = 600;
inline constexpr long kReuseWindowMin = 0, kReuseWindowMax = 86400;

// Overrides from the pam.d line (module arguments), applied after the file.
struct ConfigOverrides {
    std::optional<QrMode> qr;
    std::optional<PromptMode> prompt;
    std::optional<long> max_wait;
};

// The largest user_map_file read.
inline constexpr std::size_t kMaxUserMapFileBytes = 1024 * 1024;

// The largest configuration file load_config reads.
inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

// Reads and validates the file. Refuses a file that is not a regular file, is a
// symlink, is not owned by root (or by the caller, for tests run unprivileged),
// or is group/world-writable. Unknown keys, wrong types and out-of-range values
// are errors with "path:line:column". Throws Failure(config_error).
Config load_config(const std::string &path, const ConfigOverrides &overrides = {},
                   ConfigReader reader = ConfigReader::module);

// The file's text, with load_config's checks and messages.
std::string read_config_file(const std::string &path, ConfigReader reader = ConfigReader::module);

// Parses TOML text already read (no file checks); `origin` names it in errors.
Config parse_config(const std::string &text, const std::string &origin, const ConfigOverrides &overrides = {});

// Every error of TOML text, for `pam-device-flow check`: each key, provider
// table and cross-key rule is checked on its own, so one run lists them all
// ("origin:line:column: message", in file order). A syntax error ends the
// parse and is the last one. `config` is set only when there is no error.
struct ConfigErrors {
    std::optional<Config> config;
    std::vector<std::string> errors;
};
ConfigErrors collect_config_errors(const std::string &text, const std::string &origin);

// The settings the configuration asks for: http_timeout, ca_file, proxy.
TransportSettings transport_settings_for(const Config &config);

QrMode parse_qr_mode(const std::string &text);          // throws config_error
PromptMode parse_prompt_mode(const std::string &text);  // throws config_error

}  // namespace devflow
