// SPDX-License-Identifier: Apache-2.0
#include "config/config.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/failure.hpp"
#include "config/choices.hpp"
#include "config/config_tables.hpp"
#include "config/did_you_mean.hpp"
#include "config/messages.hpp"
#include "store/file_descriptor.hpp"
#include "store/safe_file.hpp"

namespace devflow {
namespace {

// A module argument's choice (no position to name, unlike the file's).
template <typename Value>
Value parse_choice(std::string_view key, const std::string &text, std::optional<Value> (*from)(std::string_view),
                   std::span<const std::string_view> choices) {
    const std::optional<Value> value = from(text);
    if (!value) fail_config(choice_error(key, text, choices));
    return *value;
}

void apply_overrides(Config &config, const ConfigOverrides &overrides) {
    if (overrides.qr) config.qr = *overrides.qr;
    if (overrides.prompt) config.prompt = *overrides.prompt;
    if (overrides.max_wait) {
        const long value = *overrides.max_wait;
        if (value < kMaxWaitMin || value > kMaxWaitMax)
            fail_config("module argument max_wait=" + std::to_string(value) + ": " +
                        range_error("max_wait", kMaxWaitMin, kMaxWaitMax, std::to_string(value)));
        config.max_wait = value;
    }
}

using Reason = TrustedFileRefusal::Reason;

// How the reader's admin names another configuration file or provider.
std::string config_option(ConfigReader reader) { return reader == ConfigReader::command ? "--config" : "config="; }
std::string provider_option(ConfigReader reader) {
    return reader == ConfigReader::command ? "pass --provider NAME" : "pass provider=NAME on the pam.d line";
}

std::string cannot_open_message(const std::string &path, int error, ConfigReader reader) {
    const std::string option = config_option(reader);
    switch (error) {
    case ENOENT: return path + ": the configuration file does not exist (create it, or point " + option + " at it)";
    case ELOOP:
        return path + ": the configuration file is a symbolic link; refusing it (point " + option +
               " at the real file)";
    case EACCES: return path + ": cannot read the configuration file: permission denied (it must be readable by root)";
    default: return path + ": cannot open the configuration file: " + errno_text(error);
    }
}

// The configuration file's own words for what read_trusted_file refuses:
// admins meet them first, and docs/admin-guide.md quotes them.
std::string config_file_message(const std::string &path, const TrustedFileRefusal &refusal, ConfigReader reader) {
    const std::string file = path + ": the configuration file ";
    switch (refusal.reason) {
    case Reason::invalid_path: return cannot_open_message(path, ENOENT, reader);  // open("") says ENOENT
    case Reason::cannot_open: return cannot_open_message(path, refusal.error, reader);
    case Reason::cannot_stat: return path + ": cannot stat the configuration file: " + errno_text(refusal.error);
    case Reason::not_regular_file:
        return file + "is not a regular file" + (S_ISDIR(refusal.mode) ? " (it is a directory)" : "");
    case Reason::foreign_owner:
        return file + "is owned by uid " + std::to_string(refusal.owner) + ", not root; run: chown root: " + path;
    case Reason::writable_by_others:
        return file + "is group- or world-writable (mode " + octal_mode(refusal.mode) + "); run: chmod go-w " + path;
    case Reason::too_large:
        return file + "is " + std::to_string(refusal.size) + " bytes; the limit is " +
               std::to_string(kMaxConfigFileBytes);
    case Reason::changed_while_read: return file + "changed while being read; try again";
    case Reason::cannot_read: return path + ": cannot read the configuration file: " + errno_text(refusal.error);
    case Reason::readable_by_others: break;  // only asked of secrets
    }
    return path + ": cannot read the configuration file";
}

}  // namespace

const ProviderBasics &basics_of(const ProviderConfig &provider) noexcept {
    return std::visit([](const ProviderBasics &basics) -> const ProviderBasics & { return basics; }, provider);
}

bool uses_client_secret_file(const OidcProviderConfig &provider) noexcept {
    const auto method = provider.token_endpoint_auth_method;
    return !provider.client_secret_file.empty() &&
           (method == TokenEndpointAuthMethod::automatic || method == TokenEndpointAuthMethod::client_secret_basic ||
            method == TokenEndpointAuthMethod::client_secret_post);
}

bool uses_private_key_file(const OidcProviderConfig &provider) noexcept {
    const auto method = provider.token_endpoint_auth_method;
    return !provider.private_key_file.empty() &&
           (method == TokenEndpointAuthMethod::automatic || method == TokenEndpointAuthMethod::private_key_jwt);
}

const ProviderConfig &Config::provider(const std::string &name) const {
    const std::string where = path.empty() ? std::string{} : path + ": ";
    std::vector<std::string> names;
    for (const auto &[configured, provider] : providers) names.push_back(configured);
    const std::string &wanted = name.empty() ? default_provider : name;
    if (!wanted.empty()) {
        const auto found = providers.find(wanted);
        if (found == providers.end())
            fail_config(where + "provider " + quoted(wanted) + " is not configured (configured: " + quoted_list(names) +
                        ")" + did_you_mean(wanted, names));
        return found->second;
    }
    if (providers.size() == 1) return providers.begin()->second;
    if (providers.empty()) fail_config(where + "no providers configured: add a [providers.NAME] table");
    fail_config(where + "several providers are configured (" + quoted_list(names) +
                "): set default_provider in the file or " + provider_option(reader));
}

QrMode parse_qr_mode(const std::string &text) { return parse_choice("qr", text, qr_mode_from, kQrChoices); }

PromptMode parse_prompt_mode(const std::string &text) {
    return parse_choice("prompt", text, prompt_mode_from, kPromptChoices);
}

Config parse_config(const std::string &text, const std::string &origin, const ConfigOverrides &overrides) {
    const TomlValues values(origin);
    Config config = read_config_document(values, values.parse(text));
    apply_overrides(config, overrides);
    return config;
}

ConfigErrors collect_config_errors(const std::string &text, const std::string &origin) {
    ConfigErrors result;
    TomlValues values(origin);
    values.collect_errors_in(&result.errors);
    try {
        Config config = read_config_document(values, values.parse(text));
        if (result.errors.empty()) result.config = std::move(config);
    } catch (const Failure &failure) {
        if (failure.outcome() != Outcome::config_error) throw;
        result.errors.push_back(failure.what());
    }
    return result;
}

std::string read_config_file(const std::string &path, ConfigReader reader) {
    // The checks pam-u2f makes, on the open descriptor; O_NONBLOCK there keeps a
    // FIFO planted at the path from hanging sshd.
    return read_trusted_file(
        path, trusted_file_owner(), kMaxConfigFileBytes, FileSecrecy::public_content,
        [&path, reader](const TrustedFileRefusal &refusal) { return config_file_message(path, refusal, reader); });
}

Config load_config(const std::string &path, const ConfigOverrides &overrides, ConfigReader reader) {
    Config config = parse_config(read_config_file(path, reader), path, overrides);
    config.reader = reader;
    return config;
}

TransportSettings transport_settings_for(const Config &config) {
    TransportSettings settings;
    settings.timeout_seconds = config.http_timeout;
    settings.ca_file = config.ca_file;
    settings.proxy = config.proxy;
    return settings;
}

}  // namespace devflow
