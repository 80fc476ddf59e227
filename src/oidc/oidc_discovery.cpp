// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_discovery.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "net/url.hpp"
#include "store/state_store.hpp"

namespace devflow {
namespace {

constexpr std::chrono::seconds kCacheLifetime{3600};

std::string required_url(const Json &document, const char *name) {
    auto found = document.find(name);
    if (found == document.end() || !found->is_string()) {
        fail_unavailable(std::string("discovery document has no ") + name);
    }
    const std::string &url = found->get_ref<const std::string &>();
    if (!is_secure_url(url)) {
        fail_unavailable(std::string("discovery document's ") + name + " is not an https (or loopback http) URL");
    }
    return url;
}

// Optional (RFC 8414): absent is nullopt. Present, it must be what RFC 8414
// says it is, since the client authentication is chosen from it.
std::optional<std::vector<std::string>> auth_methods(const Json &document) {
    auto found = document.find("token_endpoint_auth_methods_supported");
    if (found == document.end()) return std::nullopt;
    if (!found->is_array() || found->size() > kMaxAuthMethods) {
        fail_unavailable("discovery document's token_endpoint_auth_methods_supported is not an array of at most " +
                         std::to_string(kMaxAuthMethods) + " names");
    }
    std::vector<std::string> methods;
    for (const auto &method : *found) {
        if (!method.is_string() || method.get_ref<const std::string &>().size() > kMaxAuthMethodLength) {
            fail_unavailable(
                "discovery document's token_endpoint_auth_methods_supported holds something else than a "
                "method name");
        }
        methods.push_back(method.get<std::string>());
    }
    return methods;
}

// Cache errors never stop a login: the cache only saves round trips.
std::optional<std::string> cached(StateStore *cache, const std::string &key, Logger &logger) {
    if (cache == nullptr) return std::nullopt;
    try {
        return cache->get(key, kCacheLifetime);
    } catch (const Failure &failure) {
        logger.warning(std::string("state cache not readable: ") + failure.what());
        return std::nullopt;
    }
}

void remember(StateStore *cache, const std::string &key, const std::string &value, Logger &logger) {
    if (cache == nullptr) return;
    try {
        cache->put(key, value);
    } catch (const Failure &failure) {
        logger.warning(std::string("state cache not writable: ") + failure.what());
    }
}

}  // namespace

std::string fetch_document(HttpTransport &transport, const std::string &url, const char *what) {
    HttpRequest request;
    request.url = url;
    HttpResponse response = transport.send(request);
    if (response.status != 200) {
        fail_unavailable(std::string(what) + " request answered HTTP " + std::to_string(response.status),
                         "The identity provider is not answering correctly. Please try again later.");
    }
    return response.body;
}

OidcEndpoints parse_discovery(const std::string &document, const std::string &expected_issuer) {
    auto json = parse_untrusted_json(document);
    if (json.is_discarded() || !json.is_object()) {
        fail_unavailable("discovery document is not a JSON object");
    }
    auto issuer = json.find("issuer");
    if (issuer == json.end() || !issuer->is_string()) {
        fail_unavailable("discovery document has no issuer");
    }
    const std::string &named = issuer->get_ref<const std::string &>();
    if (named.find("{tenantid}") != std::string::npos) {
        // Entra ID's multi-tenant discovery (common, organizations, consumers)
        // names a template, not an issuer: no token would ever match it, and
        // an issuer configured as the template is the same mistake.
        fail_config("discovery document names the template issuer " + quote_for_log(named) +
                    " (Entra ID's multi-tenant endpoint): set issuer to the tenant's own, "
                    "https://login.microsoftonline.com/<tenant id>/v2.0");
    }
    if (named != expected_issuer) {
        fail_unavailable("discovery document names issuer " + quote_for_log(issuer->get_ref<const std::string &>()) +
                         ", not the configured " + quote_for_log(expected_issuer));
    }
    OidcEndpoints endpoints;
    endpoints.issuer = expected_issuer;
    if (!json.contains("device_authorization_endpoint")) {
        fail_unavailable(
            "the provider does not offer the device authorization grant "
            "(no device_authorization_endpoint in its discovery document)");
    }
    endpoints.device_authorization_endpoint = required_url(json, "device_authorization_endpoint");
    endpoints.token_endpoint = required_url(json, "token_endpoint");
    endpoints.jwks_uri = required_url(json, "jwks_uri");
    endpoints.token_endpoint_auth_methods = auth_methods(json);
    return endpoints;
}

OidcEndpoints discover_endpoints(const std::string &issuer, HttpTransport &transport, StateStore *cache,
                                 Logger &logger) {
    const std::string key = "discovery " + issuer;
    if (auto document = cached(cache, key, logger)) {
        try {
            return parse_discovery(*document, issuer);
        } catch (const Failure &failure) {
            logger.warning(std::string("ignoring cached discovery document: ") + failure.what());
        }
    }
    std::string url = issuer;
    if (!url.empty() && url.back() == '/') url.pop_back();
    url += "/.well-known/openid-configuration";
    logger.debug("fetching " + url);
    std::string document = fetch_document(transport, url, "discovery");
    OidcEndpoints endpoints = parse_discovery(document, issuer);
    remember(cache, key, document, logger);
    return endpoints;
}

CachedJwksSource::CachedJwksSource(std::string jwks_uri, HttpTransport &transport, StateStore *cache, Logger &logger)
    : jwks_uri_(std::move(jwks_uri)), transport_(transport), cache_(cache), logger_(logger) {}

const JsonWebKeySet &CachedJwksSource::keys() {
    if (keys_) return *keys_;
    if (auto document = cached(cache_, "jwks " + jwks_uri_, logger_)) {
        try {
            keys_.emplace(JsonWebKeySet::parse(*document));
            return *keys_;
        } catch (const Failure &failure) {
            logger_.warning(std::string("ignoring cached JWKS: ") + failure.what());
        }
    }
    return refresh();
}

const JsonWebKeySet &CachedJwksSource::refresh() {
    logger_.debug("fetching JWKS " + quote_for_log(jwks_uri_, 512));
    std::string document = fetch_document(transport_, jwks_uri_, "JWKS");
    keys_.emplace(JsonWebKeySet::parse(document));
    remember(cache_, "jwks " + jwks_uri_, document, logger_);
    return *keys_;
}

}  // namespace devflow
