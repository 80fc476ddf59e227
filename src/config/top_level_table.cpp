// SPDX-License-Identifier: Apache-2.0
// The top level of the configuration file and its [providers] table.
#include "config/config_tables.hpp"

#include "config/choices.hpp"
#include "config/did_you_mean.hpp"
#include "config/validators.hpp"

#include <vector>

namespace devflow {
namespace {

// One key a row, each with how it is read.
// clang-format off
constexpr KeyReader<Config> kTopLevelReaders[] = {
    {"default_provider", [](auto &in, auto &v, auto &k, auto &c) { c.default_provider = in.read_non_empty(v, k); }},
    {"qr", [](auto &in, auto &v, auto &k, auto &c) { c.qr = in.read_choice(v, k, qr_mode_from, kQrChoices); }},
    {"prompt", [](auto &in, auto &v, auto &k, auto &c) {
         c.prompt = in.read_choice(v, k, prompt_mode_from, kPromptChoices);
     }},
    {"max_wait", [](auto &in, auto &v, auto &k, auto &c) {
         c.max_wait = in.read_seconds(v, k, kMaxWaitMin, kMaxWaitMax);
     }},
    {"http_timeout", [](auto &in, auto &v, auto &k, auto &c) {
         c.http_timeout = in.read_seconds(v, k, kHttpTimeoutMin, kHttpTimeoutMax);
     }},
    {"ca_file", [](auto &in, auto &v, auto &k, auto &c) { c.ca_file = in.read_absolute_path(v, k); }},
    {"proxy", [](auto &in, auto &v, auto &k, auto &c) {
         c.proxy =
             in.read_url(v, k, is_proxy_url, "an http:// or https:// URL without user name or password");
     }},
    {"state_dir", [](auto &in, auto &v, auto &k, auto &c) { c.state_dir = in.read_absolute_path(v, k); }},
    {"reuse_window", [](auto &in, auto &v, auto &k, auto &c) {
         c.reuse_window = in.read_seconds(v, k, kReuseWindowMin, kReuseWindowMax);
     }},
    {"providers", nullptr},  // read after the walk
};
// clang-format on

std::string unknown_provider_message(const Config &config) {
    std::vector<std::string> names;
    for (const auto &[name, provider] : config.providers) names.push_back(name);
    return "\"default_provider\" names " + quoted(config.default_provider) +
           ", which is not a configured provider (configured: " + quoted_list(names) + ")" +
           did_you_mean(config.default_provider, names);
}

std::size_t providers_in(const toml::node &node) {
    const auto *table = node.as_table();
    return table == nullptr ? 0 : table->size();
}

void read_providers(const TomlValues &values, const toml::node &node, Config &config) {
    const auto *table = node.as_table();
    if (!table) values.fail_type(node, "providers", "a table of [providers.NAME] tables");
    if (table->empty())
        values.fail_at(node.source(), "\"providers\" is empty: add a [providers.NAME] table with issuer and client_id");
    for (const TomlEntry &entry : entries_in_file_order(*table)) {  // clang 14 cannot capture a binding
        const toml::key *key = entry.key;
        const toml::node *provider = entry.node;
        values.attempt([&] {
            const std::string name(key->str());
            if (!is_configurable_provider_name(name))
                values.fail_at(key->source(), "provider name " + quoted(name) +
                                                  " may only contain letters, digits, \"-\" and \"_\" (at most 64)");
            config.providers.emplace(name, read_provider_table(values, name, *provider));
        });
    }
}

}  // namespace

Config read_config_document(const TomlValues &values, const toml::table &root) {
    Config config;
    config.path = values.origin();
    const std::span<const KeyReader<Config>> readers = kTopLevelReaders;
    read_keys(values, root, {}, readers, config,
              [&](const toml::key &key) { values.fail_unknown_key(key, {}, key_names(readers)); });
    const toml::node *providers = root.get("providers");
    if (!providers)
        values.fail_at({}, "no providers configured: add a [providers.NAME] table with issuer and client_id");
    values.attempt([&] { read_providers(values, *providers, config); });
    const toml::node *default_provider = root.get("default_provider");
    // Only when every provider table was read: one refused is not "unknown".
    if (default_provider && !config.default_provider.empty() && !config.providers.contains(config.default_provider) &&
        config.providers.size() == providers_in(*providers))
        values.fail_at(default_provider->source(), unknown_provider_message(config));
    return config;
}

}  // namespace devflow
