// `pam-device-flow check`: the configuration as the module reads it, then
// each provider reached over the network. Prints settings, never secrets.
#include "cli.hpp"
#include "terminal_services.hpp"

#include "config/client_secret_file.hpp"
#include "config/config.hpp"
#include "net/curl_transport.hpp"
#include "oidc/jwks.hpp"
#include "oidc/oidc_discovery.hpp"
#include "flow/terminal_text.hpp"

#include <iomanip>
#include <iostream>
#include <unistd.h>

namespace devflow::cli {
namespace {

const char *qr_name(QrMode mode) {
    switch (mode) {
    case QrMode::utf8: return "utf8";
    case QrMode::ascii: return "ascii";
    case QrMode::off: return "off";
    }
    return "?";
}

const char *prompt_name(PromptMode mode) {
    switch (mode) {
    case PromptMode::enter: return "enter";
    case PromptMode::automatic: return "auto";
    case PromptMode::detect: return "detect";
    }
    return "?";
}

std::string joined(const std::vector<std::string> &items) {
    std::string text;
    for (const auto &item : items) text += (text.empty() ? "" : ", ") + item;
    return text.empty() ? "(none)" : text;
}

// Values come from the configuration and from the IdP (endpoint URLs, failure
// lines): each goes through the terminal sanitizer. Failure lines already hold
// untrusted values quoted (quote_for_log), so nothing is lost there.
void row(const char *name, const std::string &value) {
    std::cout << "  " << std::left << std::setw(17) << name << ' ' << sanitize_for_terminal(value, 4096) << '\n';
}

void print_global(const Config &config) {
    std::cout << "config " << config.path << ": OK\n";
    row("default_provider", config.default_provider.empty() ? "(none)" : config.default_provider);
    row("qr", qr_name(config.qr));
    row("prompt", prompt_name(config.prompt));
    row("max_wait", std::to_string(config.max_wait) + " s");
    row("http_timeout", std::to_string(config.http_timeout) + " s");
    row("ca_file", config.ca_file.empty() ? "(system store)" : config.ca_file);
    row("proxy", config.proxy.empty() ? "(none)" : config.proxy);
    row("state_dir", config.state_dir);
    row("reuse_window", std::to_string(config.reuse_window) + " s");
}

void print_oidc(const Config &config, const ProviderConfig &provider) {
    row("issuer", provider.issuer);
    row("client_id", provider.client_id);
    row("client auth", provider.client_secret_file.empty()
                           ? "public client (no secret)"
                           : "client_secret_file " + provider.client_secret_file);
    row("scopes", joined(provider.scopes));
    row("username_claim", provider.username_claim);
    row("user_map_file", provider.user_map_file.empty() ? "(none)" : provider.user_map_file);
    if (!provider.allowed_groups.empty()) {
        row("allowed_groups", joined(provider.allowed_groups) + " (claim " + provider.groups_claim + ")");
    } else {
        row("allowed_groups", "(no group check)");
    }
    row("required_acr", joined(provider.required_acr));
    row("required_amr", joined(provider.required_amr));
    row("clock_skew", std::to_string(provider.clock_skew) + " s");
    row("reuse_window", std::to_string(config.reuse_window_for(provider)) + " s");
}

void print_aws(const Config &config, const ProviderConfig &provider) {
    const AwsSsoSettings &aws = provider.aws;
    row("start_url", aws.start_url);
    row("region", aws.region);
    row("sso_session", aws.sso_session);
    row("account_id", aws.account_id);
    row("role_name", aws.role_name);
    row("oidc_endpoint", aws.oidc_endpoint);
    row("portal_endpoint", aws.portal_endpoint);
    row("sts_endpoint", aws.sts_endpoint);
    row("write_aws_config", aws.write_aws_config ? "yes" : "no");
    row("username_domain", aws.username_domain.empty() ? "(none)" : aws.username_domain);
    row("user_map_file", provider.user_map_file.empty() ? "(none)" : provider.user_map_file);
    row("reuse_window", std::to_string(config.reuse_window_for(provider)) + " s");
}

// The secret itself is never printed; only whether the module could read it.
// Only root can: the file must be root-owned and private.
void check_client_secret(const ProviderConfig &provider) {
    if (provider.client_secret_file.empty()) return;
    if (::geteuid() != 0) {
        row("client secret", "not checked (only root can read " + provider.client_secret_file + ")");
        return;
    }
    Secret secret = read_client_secret_file(provider.client_secret_file);
    row("client secret", "readable, private, not empty");
}

// Throws Failure(unavailable) naming the first thing that is wrong.
void reach_oidc(const ProviderConfig &provider, HttpTransport &transport, Logger &logger) {
    OidcEndpoints endpoints = discover_endpoints(provider.issuer, transport, nullptr, logger);
    row("discovery", "OK: issuer matches, device flow offered");
    row("device endpoint", endpoints.device_authorization_endpoint);
    row("token endpoint", endpoints.token_endpoint);
    std::string document = fetch_document(transport, endpoints.jwks_uri, "JWKS");
    JsonWebKeySet keys = JsonWebKeySet::parse(document);
    if (keys.size() == 0) {
        fail_unavailable("the JWKS at " + endpoints.jwks_uri +
                         " has no usable signing key (RSA >= 2048, P-256 or Ed25519)");
    }
    row("jwks", "OK: " + std::to_string(keys.size()) + " usable key" + (keys.size() == 1 ? "" : "s") +
                    " at " + endpoints.jwks_uri);
}

// Only reachability: a GET of the endpoint's root proves DNS, TCP, TLS (with
// verification) and an HTTP answer. No AWS API is called, nothing registered.
void reach_aws_endpoint(const char *label, const std::string &endpoint, HttpTransport &transport) {
    HttpRequest request;
    request.url = endpoint + "/";
    HttpResponse response = transport.send(request);
    row(label, "reachable: GET " + request.url + " answered HTTP " + std::to_string(response.status) +
                   " (TLS and HTTP only; no API call)");
}

bool reach_provider(const ProviderConfig &provider, HttpTransport &transport, Logger &logger) {
    try {
        if (provider.kind == ProviderType::oidc) {
            reach_oidc(provider, transport, logger);
        } else {
            reach_aws_endpoint("sso-oidc", provider.aws.oidc_endpoint, transport);
            reach_aws_endpoint("portal", provider.aws.portal_endpoint, transport);
            reach_aws_endpoint("sts", provider.aws.sts_endpoint, transport);
        }
        return true;
    } catch (const Failure &failure) {
        if (failure.outcome() != Outcome::unavailable) throw;
        row("FAILED", failure.what());
        print_error("provider " + provider.name + ": " + failure.what());
        return false;
    }
}

}  // namespace

int run_check(const Options &options) {
    StderrLogger logger(options.debug);
    Config config;
    std::vector<const ProviderConfig *> chosen;
    try {
        config = load_config(config_path_of(options));
        if (!options.provider.empty()) {
            chosen.push_back(&config.provider(options.provider));
        } else {
            for (const auto &entry : config.providers) chosen.push_back(&entry.second);
        }
        print_global(config);
        for (const ProviderConfig *provider : chosen) {
            std::cout << "provider " << provider->name << " (" << provider->type << ")\n";
            if (provider->kind == ProviderType::oidc) {
                print_oidc(config, *provider);
                check_client_secret(*provider);
            } else {
                print_aws(config, *provider);
            }
        }
    } catch (const Failure &failure) {
        print_error(failure.what());
        return failure.outcome() == Outcome::config_error ? exit_config : exit_code_for(failure.outcome());
    }
    std::cout.flush();

    CurlTransport transport(transport_settings_for(config));
    bool all_fine = true;
    for (const ProviderConfig *provider : chosen) {
        std::cout << "provider " << provider->name << ": reaching the identity provider\n";
        all_fine = reach_provider(*provider, transport, logger) && all_fine;
        std::cout.flush();
    }
    std::cout << (all_fine ? "OK: configuration valid, every provider answered correctly\n"
                           : "FAILED: at least one provider is unreachable or answered wrongly\n");
    return all_fine ? exit_ok : exit_unavailable;
}

std::string config_path_of(const Options &options) {
    return options.config_path.empty() ? std::string(DEVFLOW_DEFAULT_CONFIG) : options.config_path;
}

}  // namespace devflow::cli
