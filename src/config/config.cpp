#include "config/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <utility>
#include <vector>

#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "config/aws_endpoints.hpp"
#include "config/choices.hpp"
#include "config/did_you_mean.hpp"
#include "config/messages.hpp"
#include "config/validators.hpp"
#include "net/url.hpp"
#include "store/file_descriptor.hpp"
#include "store/safe_file.hpp"

namespace devflow {
namespace {

constexpr std::string_view top_level_keys[] = {
    "default_provider", "qr", "prompt", "max_wait", "http_timeout",
    "ca_file", "proxy", "state_dir", "reuse_window", "providers",
};

constexpr std::string_view provider_keys[] = {
    "type", "issuer", "client_id", "client_secret_file", "scopes", "username_claim",
    "user_map_file", "groups_claim", "allowed_groups", "required_acr", "required_amr",
    "clock_skew", "reuse_window", "aws_idc_application_arn", "aws_region", "aws_oidc_endpoint",
    "aws_sso_session", "aws_credentials", "aws_imds_endpoint",
};

constexpr std::string_view aws_sso_provider_keys[] = {
    "type", "start_url", "region", "sso_session", "account_id", "role_name",
    "oidc_endpoint", "portal_endpoint", "sts_endpoint", "write_aws_config",
    "user_map_file", "username_domain", "reuse_window",
};

const char *type_name(const toml::node &node) {
    switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

template <typename Range>
bool contains(const Range &keys, std::string_view key) {
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

struct Entry {
    const toml::key *key;
    const toml::node *node;
};

// A table's entries in file order, so the first error reported is the first one
// an admin reading top-down meets (toml++ keeps tables sorted by key).
std::vector<Entry> entries_in_file_order(const toml::table &table) {
    std::vector<Entry> entries;
    for (const auto &[key, node] : table)
        entries.push_back({&key, &node});
    std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        const auto &pa = a.key->source().begin;
        const auto &pb = b.key->source().begin;
        return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
    });
    return entries;
}

class ConfigParser {
public:
    explicit ConfigParser(std::string origin) : origin_(std::move(origin)) {}

    Config parse(const std::string &text) {
        toml::table root;
        try {
            root = toml::parse(std::string_view(text), std::string_view(origin_));
        } catch (const toml::parse_error &error) {
            fail_at(error.source(), std::string(error.description()));
        }
        Config config;
        config.path = origin_;
        read_top_level(root, config);
        return config;
    }

private:
    [[noreturn]] void fail_at(const toml::source_region &region, const std::string &message) const {
        const auto line = std::max<toml::source_index>(region.begin.line, 1);
        const auto column = std::max<toml::source_index>(region.begin.column, 1);
        fail_config(origin_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                    message);
    }

    [[noreturn]] void fail_type(const toml::node &node, std::string_view key,
                                std::string_view expected) const {
        fail_at(node.source(), quoted(key) + " must be " + std::string(expected) + ", not " +
                                   type_name(node));
    }

    std::string read_string(const toml::node &node, std::string_view key) const {
        const auto *value = node.as_string();
        if (!value)
            fail_type(node, key, "a string");
        const std::string &text = value->get();
        if (has_control_character(text))
            fail_at(node.source(), quoted(key) + " must not contain control characters");
        return text;
    }

    std::string read_non_empty(const toml::node &node, std::string_view key) const {
        std::string text = read_string(node, key);
        if (text.empty())
            fail_at(node.source(), quoted(key) + " must not be empty");
        return text;
    }

    bool read_bool(const toml::node &node, std::string_view key) const {
        const auto *value = node.as_boolean();
        if (!value)
            fail_type(node, key, "a boolean (true or false)");
        return value->get();
    }

    std::string read_absolute_path(const toml::node &node, std::string_view key) const {
        std::string text = read_string(node, key);
        if (text.empty() || text.front() != '/')
            fail_at(node.source(), quoted(key) + " must be an absolute path (starting with \"/\"), not " +
                                       quoted(text));
        return text;
    }

    long read_seconds(const toml::node &node, std::string_view key, long min, long max) const {
        const auto *value = node.as_integer();
        if (!value)
            fail_type(node, key, "an integer (seconds)");
        const std::int64_t seconds = value->get();
        if (seconds < min || seconds > max)
            fail_at(node.source(), range_error(key, min, max, std::to_string(seconds)));
        return static_cast<long>(seconds);
    }

    // An array of non-empty strings; `check` may reject an element with a reason.
    template <typename Check>
    std::vector<std::string> read_string_array(const toml::node &node, std::string_view key,
                                               Check check) const {
        const auto *array = node.as_array();
        if (!array)
            fail_type(node, key, "an array of strings");
        std::vector<std::string> out;
        for (const auto &element : *array) {
            if (!element.is_string())
                fail_at(element.source(), quoted(key) + " must contain only strings, not " +
                                              type_name(element));
            std::string text = read_non_empty(element, key);
            if (const std::string reason = check(text); !reason.empty())
                fail_at(element.source(), reason);
            out.push_back(std::move(text));
        }
        return out;
    }

    std::vector<std::string> read_string_array(const toml::node &node, std::string_view key) const {
        return read_string_array(node, key, [](const std::string &) { return std::string{}; });
    }

    // One of `choices`, as the value `from` makes of it.
    template <typename Value>
    Value read_choice(const toml::node &node, std::string_view key, std::optional<Value> (*from)(std::string_view),
                      std::span<const std::string_view> choices) const {
        const std::string text = read_string(node, key);
        const std::optional<Value> value = from(text);
        if (!value)
            fail_at(node.source(), choice_error(key, text, choices));
        return *value;
    }

    template <typename Range>
    [[noreturn]] void fail_unknown_key(const toml::key &key, std::string_view table,
                                       const Range &allowed) const {
        std::string message = "unknown key " + quoted(key.str());
        if (!table.empty())
            message += " in [" + std::string(table) + "]";
        const std::string suggestion = did_you_mean(key.str(), allowed);
        message += suggestion.empty() ? " (allowed: " + quoted_list(allowed) + ")" : suggestion;
        fail_at(key.source(), message);
    }

    void read_top_level(const toml::table &root, Config &config) const {
        const toml::node *default_provider = nullptr;
        const toml::node *providers = nullptr;
        for (const auto &[key, node] : entries_in_file_order(root)) {
            const std::string_view name = key->str();
            if (name == "default_provider") {
                config.default_provider = read_non_empty(*node, name);
                default_provider = node;
            } else if (name == "qr") {
                config.qr = read_choice(*node, name, qr_mode_from, qr_choices);
            } else if (name == "prompt") {
                config.prompt = read_choice(*node, name, prompt_mode_from, prompt_choices);
            } else if (name == "max_wait") {
                config.max_wait = read_seconds(*node, name, max_wait_min, max_wait_max);
            } else if (name == "http_timeout") {
                config.http_timeout = read_seconds(*node, name, http_timeout_min, http_timeout_max);
            } else if (name == "ca_file") {
                config.ca_file = read_absolute_path(*node, name);
            } else if (name == "proxy") {
                config.proxy = read_proxy(*node, name);
            } else if (name == "state_dir") {
                config.state_dir = read_absolute_path(*node, name);
            } else if (name == "reuse_window") {
                config.reuse_window = read_seconds(*node, name, reuse_window_min, reuse_window_max);
            } else if (name == "providers") {
                providers = node;
            } else {
                fail_unknown_key(*key, {}, top_level_keys);
            }
        }
        if (!providers)
            fail_at({}, "no providers configured: add a [providers.NAME] table with issuer and client_id");
        read_providers(*providers, config);
        if (default_provider && !config.providers.contains(config.default_provider))
            fail_at(default_provider->source(), unknown_provider_message(config));
    }

    std::string read_proxy(const toml::node &node, std::string_view key) const {
        std::string text = read_non_empty(node, key);
        if (!parse_url(text))
            fail_at(node.source(), quoted(key) + " must be an http:// or https:// URL without user name or password, not " +
                                       quoted(text));
        return text;
    }

    static std::string unknown_provider_message(const Config &config) {
        std::vector<std::string> names;
        for (const auto &[name, provider] : config.providers)
            names.push_back(name);
        return "\"default_provider\" names " + quoted(config.default_provider) +
               ", which is not a configured provider (configured: " + quoted_list(names) + ")" +
               did_you_mean(config.default_provider, names);
    }

    void read_providers(const toml::node &node, Config &config) const {
        const auto *table = node.as_table();
        if (!table)
            fail_type(node, "providers", "a table of [providers.NAME] tables");
        if (table->empty())
            fail_at(node.source(), "\"providers\" is empty: add a [providers.NAME] table with issuer and client_id");
        for (const auto &[key, provider] : entries_in_file_order(*table)) {
            const std::string name(key->str());
            if (!is_configurable_provider_name(name))
                fail_at(key->source(), "provider name " + quoted(name) +
                                           " may only contain letters, digits, \"-\" and \"_\" (at most 64)");
            config.providers.emplace(name, read_provider(name, *provider));
        }
    }

    ProviderConfig read_provider(const std::string &name, const toml::node &node) const {
        const std::string section = "providers." + name;
        const auto *table = node.as_table();
        if (!table)
            fail_type(node, section, "a table");
        ProviderConfig provider;
        provider.name = name;
        provider.type = read_provider_type(*table, section);
        if (provider.type == "aws-sso") {
            provider.kind = ProviderType::aws_sso;
            read_aws_sso_provider(*table, section, provider);
            return provider;
        }
        bool has_issuer = false;
        bool has_client_id = false;
        for (const auto &[key, value] : entries_in_file_order(*table)) {
            const std::string_view k = key->str();
            const std::string full = section + "." + std::string(k);
            if (k == "type") {
                // read above: the type decides which keys are allowed
            } else if (k == "issuer") {
                provider.issuer = read_issuer(*value, full);
                has_issuer = true;
            } else if (k == "client_id") {
                provider.client_id = read_non_empty(*value, full);
                has_client_id = true;
            } else if (k == "client_secret_file") {
                provider.client_secret_file = read_absolute_path(*value, full);
            } else if (k == "scopes") {
                provider.scopes = read_scopes(*value, full);
            } else if (k == "username_claim") {
                provider.username_claim = read_non_empty(*value, full);
            } else if (k == "user_map_file") {
                provider.user_map_file = read_absolute_path(*value, full);
            } else if (k == "groups_claim") {
                provider.groups_claim = read_non_empty(*value, full);
            } else if (k == "allowed_groups") {
                provider.allowed_groups = read_string_array(*value, full);
            } else if (k == "required_acr") {
                provider.required_acr = read_string_array(*value, full);
            } else if (k == "required_amr") {
                provider.required_amr = read_string_array(*value, full);
            } else if (k == "clock_skew") {
                provider.clock_skew = read_seconds(*value, full, clock_skew_min, clock_skew_max);
            } else if (k == "reuse_window") {
                provider.reuse_window = read_seconds(*value, full, reuse_window_min, reuse_window_max);
            } else if (k == "aws_idc_application_arn") {
                provider.aws_idc.application_arn =
                    read_checked(*value, full, is_idc_application_arn,
                                 "an IAM Identity Center application ARN such as "
                                 "\"arn:aws:sso::123456789012:application/ssoins-0123456789abcdef/apl-0123456789abcdef\"");
            } else if (k == "aws_region") {
                provider.aws_idc.region = read_checked(*value, full, is_aws_region, "an AWS region such as \"us-east-1\"");
            } else if (k == "aws_oidc_endpoint") {
                provider.aws_idc.oidc_endpoint = read_endpoint(*value, full);
            } else if (k == "aws_sso_session") {
                provider.aws_idc.sso_session = read_checked(*value, full, is_sso_session_name,
                                                            "letters, digits, \".\", \"_\" and \"-\" (at most 128)");
            } else if (k == "aws_credentials") {
                provider.aws_idc.credentials = read_choice(*value, full, credential_choice_from, credential_choices);
            } else if (k == "aws_imds_endpoint") {
                provider.aws_idc.imds_endpoint = read_imds_endpoint(*value, full);
            } else if (contains(aws_sso_provider_keys, k)) {
                fail_other_kind(*key, full, "aws-sso", "oidc");
            } else {
                fail_unknown_key(*key, section, provider_keys);
            }
        }
        if (!has_issuer)
            fail_at(node.source(), "[" + section + "] is missing the required key \"issuer\" (the IdP's issuer URL)");
        if (!has_client_id)
            fail_at(node.source(), "[" + section + "] is missing the required key \"client_id\"");
        check_aws_idc_exchange(*table, section, provider.aws_idc);
        return provider;
    }

    // The aws_* keys of an oidc provider go together: the ARN turns the
    // exchange on and needs a region and an sso-session; the others are
    // refused without it (a half-configured exchange would silently not run).
    void check_aws_idc_exchange(const toml::table &table, const std::string &section, AwsIdcExchange &idc) const {
        if (idc.application_arn.empty()) {
            for (const char *key : {"aws_region", "aws_oidc_endpoint", "aws_sso_session", "aws_credentials",
                                    "aws_imds_endpoint"}) {
                if (const toml::node *node = table.get(key))
                    fail_at(node->source(), quoted(section + "." + key) +
                                                " needs \"aws_idc_application_arn\" in the same provider");
            }
            return;
        }
        for (const char *key : {"aws_region", "aws_sso_session"}) {
            if (!table.contains(key))
                fail_at(table.source(), "[" + section + "] has \"aws_idc_application_arn\" but not " + quoted(key));
        }
        // IMDS is used only when chosen: an endpoint without that choice would
        // be silently ignored (configs written when the default still fell
        // back to IMDS must now say so).
        if (const toml::node *node = table.get("aws_imds_endpoint");
            node && idc.credentials != AwsCredentialChoice::imds)
            fail_at(node->source(), quoted(section + ".aws_imds_endpoint") +
                                        " needs aws_credentials = \"imds\" (IMDS is used only when chosen)");
        if (idc.oidc_endpoint.empty())
            idc.oidc_endpoint = default_aws_endpoints(idc.region).oidc;
    }

    // EC2's metadata service is plain http on a link-local address: the one
    // non-loopback http URL allowed, and only here. Loopback for tests.
    std::string read_imds_endpoint(const toml::node &node, const std::string &key) const {
        std::string text = read_non_empty(node, key);
        while (!text.empty() && text.back() == '/')
            text.pop_back();
        const auto url = parse_url(text);
        const bool link_local = url && url->scheme == "http" &&
                                (url->host == "169.254.169.254" || url->host == "[fd00:ec2::254]");
        if (!url || !(link_local || is_loopback_host(url->host)) || !url->path_and_query.empty())
            fail_at(node.source(), quoted(key) + " must be http://169.254.169.254, http://[fd00:ec2::254] "
                                                 "or a loopback URL, without a path, not " + quoted(text));
        return text;
    }

    std::string read_provider_type(const toml::table &table, const std::string &section) const {
        const toml::node *node = table.get("type");
        if (!node)
            return "oidc";
        const std::string full = section + ".type";
        const std::string type = read_string(*node, full);
        constexpr std::string_view types[] = {"oidc", "aws-sso"};
        if (contains(types, type))
            return type;
        fail_at(node->source(), choice_error(full, type, types));
    }

    [[noreturn]] void fail_other_kind(const toml::key &key, const std::string &full,
                                      std::string_view key_kind, std::string_view provider_kind) const {
        fail_at(key.source(), quoted(full) + " is a key of " + quoted(key_kind) +
                                  " providers; this provider has type = " + quoted(provider_kind));
    }

    void read_aws_sso_provider(const toml::table &table, const std::string &section,
                               ProviderConfig &provider) const {
        AwsSsoSettings &aws = provider.aws;
        for (const auto &[key, value] : entries_in_file_order(table)) {
            const std::string_view k = key->str();
            const std::string full = section + "." + std::string(k);
            if (k == "type") {
                // read by read_provider
            } else if (k == "start_url") {
                aws.start_url = read_https_url(*value, full);
            } else if (k == "region") {
                aws.region = read_checked(*value, full, is_aws_region, "an AWS region such as \"us-east-1\"");
            } else if (k == "sso_session") {
                aws.sso_session = read_checked(*value, full, is_sso_session_name,
                                               "letters, digits, \".\", \"_\" and \"-\" (at most 128)");
            } else if (k == "account_id") {
                aws.account_id = read_checked(*value, full, is_aws_account_id, "a 12-digit AWS account ID");
            } else if (k == "role_name") {
                aws.role_name = read_checked(*value, full, is_iam_name,
                                             "an IAM role name: letters, digits and \"_+=,.@-\" (at most 64)");
            } else if (k == "oidc_endpoint") {
                aws.oidc_endpoint = read_endpoint(*value, full);
            } else if (k == "portal_endpoint") {
                aws.portal_endpoint = read_endpoint(*value, full);
            } else if (k == "sts_endpoint") {
                aws.sts_endpoint = read_endpoint(*value, full);
            } else if (k == "write_aws_config") {
                aws.write_aws_config = read_bool(*value, full);
            } else if (k == "user_map_file") {
                provider.user_map_file = read_absolute_path(*value, full);
            } else if (k == "username_domain") {
                aws.username_domain = lower_case(
                    read_checked(*value, full, is_domain_name, "a domain name such as \"example.com\" (without \"@\")"));
            } else if (k == "reuse_window") {
                provider.reuse_window = read_seconds(*value, full, reuse_window_min, reuse_window_max);
            } else if (contains(provider_keys, k)) {
                fail_other_kind(*key, full, "oidc", "aws-sso");
            } else {
                fail_unknown_key(*key, section, aws_sso_provider_keys);
            }
        }
        constexpr std::pair<const char *, const char *> required[] = {
            {"start_url", "the AWS access portal URL"},
            {"region", "the IAM Identity Center region"},
            {"sso_session", "the AWS CLI sso-session name"},
            {"account_id", "the AWS account whose role proves the identity"},
            {"role_name", "the role to read in that account"},
        };
        for (const auto &[key, what] : required) {
            if (!table.contains(key))
                fail_at(table.source(), "[" + section + "] is missing the required key " + quoted(key) +
                                            " (" + what + ")");
        }
        const AwsEndpoints regional = default_aws_endpoints(aws.region);
        if (aws.oidc_endpoint.empty())
            aws.oidc_endpoint = regional.oidc;
        if (aws.portal_endpoint.empty())
            aws.portal_endpoint = regional.portal;
        if (aws.sts_endpoint.empty())
            aws.sts_endpoint = regional.sts;
    }

    template <typename Check>
    std::string read_checked(const toml::node &node, const std::string &key, Check check,
                             std::string_view expected) const {
        std::string text = read_string(node, key);
        if (!check(text))
            fail_at(node.source(), quoted(key) + " must be " + std::string(expected) + ", not " + quoted(text));
        return text;
    }

    std::string read_https_url(const toml::node &node, const std::string &key) const {
        std::string text = read_non_empty(node, key);
        const auto url = parse_url(text);
        if (!url || url->scheme != "https")
            fail_at(node.source(), quoted(key) + " must be an https:// URL, not " + quoted(text));
        return text;
    }

    // A service base URL: https, or http to loopback (a test fake); the trailing
    // slash is dropped so request paths can be appended.
    std::string read_endpoint(const toml::node &node, const std::string &key) const {
        std::string text = read_non_empty(node, key);
        if (!is_secure_url(text) || text.find_first_of("?#") != std::string::npos)
            fail_at(node.source(), quoted(key) + " must be an https:// URL (http:// only for a loopback host) "
                                                 "without query or fragment, not " + quoted(text));
        while (!text.empty() && text.back() == '/')
            text.pop_back();
        return text;
    }

    std::string read_issuer(const toml::node &node, const std::string &key) const {
        std::string issuer = read_non_empty(node, key);
        if (!is_secure_url(issuer))
            fail_at(node.source(), quoted(key) + " must be an https:// URL (http:// only for a loopback host), not " +
                                       quoted(issuer));
        return issuer;
    }

    std::vector<std::string> read_scopes(const toml::node &node, const std::string &key) const {
        auto scopes = read_string_array(node, key, [&key](const std::string &scope) {
            if (is_scope_token(scope))
                return std::string{};
            return quoted(key) + " entries must not contain spaces, quotes or backslashes, not " +
                   quoted(scope);
        });
        if (std::find(scopes.begin(), scopes.end(), "openid") == scopes.end())
            fail_at(node.source(), quoted(key) + " must contain \"openid\"");
        return scopes;
    }

    std::string origin_;
};

// A module argument's choice (no position to name, unlike the file's).
template <typename Value>
Value parse_choice(std::string_view key, const std::string &text, std::optional<Value> (*from)(std::string_view),
                   std::span<const std::string_view> choices) {
    const std::optional<Value> value = from(text);
    if (!value)
        fail_config(choice_error(key, text, choices));
    return *value;
}

void apply_overrides(Config &config, const ConfigOverrides &overrides) {
    if (overrides.qr)
        config.qr = *overrides.qr;
    if (overrides.prompt)
        config.prompt = *overrides.prompt;
    if (overrides.max_wait) {
        const long value = *overrides.max_wait;
        if (value < max_wait_min || value > max_wait_max)
            fail_config("module argument max_wait=" + std::to_string(value) + ": " +
                        range_error("max_wait", max_wait_min, max_wait_max, std::to_string(value)));
        config.max_wait = value;
    }
}

using Reason = TrustedFileRefusal::Reason;

std::string cannot_open_message(const std::string &path, int error) {
    switch (error) {
    case ENOENT:
        return path + ": the configuration file does not exist (create it, or point config= at it)";
    case ELOOP:
        return path + ": the configuration file is a symbolic link; refusing it (point config= at the real file)";
    case EACCES:
        return path + ": cannot read the configuration file: permission denied (it must be readable by root)";
    default:
        return path + ": cannot open the configuration file: " + errno_text(error);
    }
}

// The configuration file's own words for what read_trusted_file refuses:
// admins meet them first, and docs/admin-guide.md quotes them.
std::string config_file_message(const std::string &path, const TrustedFileRefusal &refusal) {
    const std::string file = path + ": the configuration file ";
    switch (refusal.reason) {
    case Reason::invalid_path: return cannot_open_message(path, ENOENT);  // open("") says ENOENT
    case Reason::cannot_open: return cannot_open_message(path, refusal.error);
    case Reason::cannot_stat: return path + ": cannot stat the configuration file: " + errno_text(refusal.error);
    case Reason::not_regular_file:
        return file + "is not a regular file" + (S_ISDIR(refusal.mode) ? " (it is a directory)" : "");
    case Reason::foreign_owner:
        return file + "is owned by uid " + std::to_string(refusal.owner) + ", not root; run: chown root: " + path;
    case Reason::writable_by_others:
        return file + "is group- or world-writable (mode " + octal_mode(refusal.mode) + "); run: chmod go-w " + path;
    case Reason::too_large:
        return file + "is " + std::to_string(refusal.size) + " bytes; the limit is " +
               std::to_string(max_config_file_bytes);
    case Reason::changed_while_read: return file + "changed while being read; try again";
    case Reason::cannot_read: return path + ": cannot read the configuration file: " + errno_text(refusal.error);
    case Reason::readable_by_others: break;  // only asked of secrets
    }
    return path + ": cannot read the configuration file";
}

}  // namespace

const ProviderConfig &Config::provider(const std::string &name) const {
    const std::string where = path.empty() ? std::string{} : path + ": ";
    std::vector<std::string> names;
    for (const auto &[configured, provider] : providers)
        names.push_back(configured);
    const std::string &wanted = name.empty() ? default_provider : name;
    if (!wanted.empty()) {
        const auto found = providers.find(wanted);
        if (found == providers.end())
            fail_config(where + "provider " + quoted(wanted) + " is not configured (configured: " +
                        quoted_list(names) + ")" + did_you_mean(wanted, names));
        return found->second;
    }
    if (providers.size() == 1)
        return providers.begin()->second;
    if (providers.empty())
        fail_config(where + "no providers configured: add a [providers.NAME] table");
    fail_config(where + "several providers are configured (" + quoted_list(names) +
                "): set default_provider in the file or pass provider=NAME on the pam.d line");
}

QrMode parse_qr_mode(const std::string &text) {
    return parse_choice("qr", text, qr_mode_from, qr_choices);
}

PromptMode parse_prompt_mode(const std::string &text) {
    return parse_choice("prompt", text, prompt_mode_from, prompt_choices);
}

Config parse_config(const std::string &text, const std::string &origin,
                    const ConfigOverrides &overrides) {
    Config config = ConfigParser(origin).parse(text);
    apply_overrides(config, overrides);
    return config;
}

Config load_config(const std::string &path, const ConfigOverrides &overrides) {
    // The checks pam-u2f makes, on the open descriptor; O_NONBLOCK there keeps a
    // FIFO planted at the path from hanging sshd.
    const std::string text =
        read_trusted_file(path, trusted_file_owner(), max_config_file_bytes, FileSecrecy::public_content,
                          [&path](const TrustedFileRefusal &refusal) { return config_file_message(path, refusal); });
    return parse_config(text, path, overrides);
}

TransportSettings transport_settings_for(const Config &config) {
    TransportSettings settings;
    settings.timeout_seconds = config.http_timeout;
    settings.ca_file = config.ca_file;
    settings.proxy = config.proxy;
    return settings;
}

}  // namespace devflow
