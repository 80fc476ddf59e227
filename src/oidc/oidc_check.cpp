// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_check.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "config/choices.hpp"
#include "config/client_secret_file.hpp"
#include "config/private_key_file.hpp"
#include "oidc/client_authentication.hpp"
#include "oidc/jwks.hpp"
#include "oidc/oidc_discovery.hpp"
#include "oidc/provider_quirks.hpp"

#include <unistd.h>

namespace devflow {
namespace {

std::string joined(const std::vector<std::string> &items) {
    std::string text;
    for (const auto &item : items) text += (text.empty() ? "" : ", ") + item;
    return text.empty() ? "(none)" : text;
}

// The secret itself is never printed; only whether the module could read it.
// Only root can: the file must be root-owned and private.
void check_client_secret(CheckReport &report, const OidcProviderConfig &provider) {
    if (!uses_client_secret_file(provider)) return;
    if (::geteuid() != 0) {
        report.row("client secret", "not checked (only root can read " + provider.client_secret_file + ")");
        return;
    }
    Secret secret = read_client_secret_file(provider.client_secret_file);
    report.row("client secret", "readable, private, not empty");
}

// At most this many rows of skipped keys: a hostile JWKS has up to
// JsonWebKeySet::kMaxKeys entries, and an admin needs the first few.
constexpr std::size_t kMaxSkippedRows = 10;

std::string key_name(const std::string &kid) { return kid.empty() ? "(no kid)" : quote_for_log(kid); }

// What the module would tolerate or skip in the JWKS, and why: the same
// reasons a login's log line gives for a token naming one of these keys.
void report_key_details(CheckReport &report, const JsonWebKeySet &keys) {
    for (const PublicKey &key : keys.keys()) {
        if (!key.note().empty()) report.row("jwks key", key_name(key.kid()) + " accepted: " + key.note());
    }
    const auto &skipped = keys.unusable();
    for (std::size_t i = 0; i < skipped.size() && i < kMaxSkippedRows; ++i) {
        report.row("jwks skipped", key_name(skipped[i].kid) + ": " + skipped[i].reason);
    }
    if (skipped.size() > kMaxSkippedRows) {
        report.row("jwks skipped", "... and " + std::to_string(skipped.size() - kMaxSkippedRows) + " more");
    }
}

// Likewise the private key: what kind of key it is, never the key.
void check_private_key(CheckReport &report, const OidcProviderConfig &provider) {
    if (!uses_private_key_file(provider)) return;
    if (::geteuid() != 0) {
        report.row("private key", "not checked (only root can read " + provider.private_key_file + ")");
        return;
    }
    const Secret pem = read_private_key_file(provider.private_key_file);
    const ClientAssertionKey key = ClientAssertionKey::from_pem(pem, provider.private_key_file);
    report.row("private key", "readable, private, " + key.description());
}

// The configured method and credentials; which method is in effect needs the
// discovery document (reach_oidc_provider).
std::string client_auth_settings(const OidcProviderConfig &provider) {
    std::string text(token_endpoint_auth_method_name(provider.token_endpoint_auth_method));
    const auto credential = [&](const char *key, const std::string &path, bool used) {
        if (!path.empty()) text += std::string(", ") + key + " " + path + (used ? "" : " (not used)");
    };
    credential("client_secret_file", provider.client_secret_file, uses_client_secret_file(provider));
    credential("private_key_file", provider.private_key_file, uses_private_key_file(provider));
    if (!provider.private_key_kid.empty()) text += ", kid " + provider.private_key_kid;
    if (uses_private_key_file(provider))
        text += ", aud the " + std::string(client_assertion_audience_name(provider.client_assertion_audience));
    if (provider.client_secret_file.empty() && provider.private_key_file.empty()) text += ", a public client";
    return text;
}

}  // namespace

void report_oidc_settings(CheckReport &report, const Config &config, const OidcProviderConfig &provider) {
    report.row("issuer", provider.issuer);
    report.row("client_id", provider.client_id);
    report.row("client auth", client_auth_settings(provider));
    report.row("scopes", joined(provider.scopes));
    report.row("username_claim", provider.username_claim);
    report.row("user_map_file", provider.user_map_file.empty() ? "(none)" : provider.user_map_file);
    if (!provider.allowed_groups.empty()) {
        report.row("allowed_groups", joined(provider.allowed_groups) + " (claim " + provider.groups_claim + ")");
    } else {
        report.row("allowed_groups", "(no group check)");
    }
    if (!provider.allowed_hosted_domains.empty()) {
        report.row("allowed_hosted_domains", joined(provider.allowed_hosted_domains) + " (claim hd)");
    }
    report.row("required_acr", joined(provider.required_acr));
    report.row("required_amr", joined(provider.required_amr));
    report.row("clock_skew", std::to_string(provider.clock_skew) + " s");
    report.row("reuse_window", std::to_string(config.reuse_window_for(provider)) + " s");
    check_client_secret(report, provider);
    check_private_key(report, provider);
    // Google's token endpoint wants the secret even from a device ("TVs and
    // Limited Input devices") client: without it every login fails.
    if (provider.issuer == "https://accounts.google.com" && provider.client_secret_file.empty()) {
        report.row("WARNING", "Google requires the client secret even for device clients: set client_secret_file");
    }
}

void reach_oidc_provider(CheckReport &report, const OidcProviderConfig &provider, HttpTransport &transport,
                         Logger &logger) {
    OidcEndpoints endpoints = discover_endpoints(provider.issuer, transport, nullptr, logger);
    report.row("discovery", "OK: issuer matches, device flow offered");
    report.row("device endpoint", endpoints.device_authorization_endpoint);
    report.row("token endpoint", endpoints.token_endpoint);
    report.row("auth method", client_auth_choice_for(provider, endpoints).describe());
    std::string quirks;
    for (const auto &quirk : detected_quirks(provider, endpoints)) quirks += (quirks.empty() ? "" : "; ") + quirk;
    report.row("quirks", quirks.empty() ? "none detected" : quirks);
    std::string document = fetch_document(transport, endpoints.jwks_uri, "JWKS");
    JsonWebKeySet keys = JsonWebKeySet::parse(document);
    if (keys.size() == 0) {
        report_key_details(report, keys);
        fail_unavailable("the JWKS at " + endpoints.jwks_uri +
                         " has no usable signing key (RSA >= 2048, P-256 or Ed25519)" +
                         (keys.unusable().empty() ? "" : "; why each was skipped is listed above"));
    }
    report.row("jwks", "OK: " + std::to_string(keys.size()) + " usable key" + (keys.size() == 1 ? "" : "s") + " at " +
                           endpoints.jwks_uri);
    report_key_details(report, keys);
}

}  // namespace devflow
