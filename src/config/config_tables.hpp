// SPDX-License-Identifier: Apache-2.0
// The walk through the configuration file's tables: the top level, then each
// [providers.NAME] table by its type. Each table is a list of key readers,
// so a key is named once, next to how it is read. Inside config/ only; the
// entry points are load_config and parse_config (config.hpp).
#pragma once

#include "config/config.hpp"
#include "config/toml_values.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace devflow {

// How one key of a table is read into what it configures.
template <typename Target>
struct KeyReader {
    std::string_view key;
    // Reads `node`, called `name` in messages, into `target`; nullptr for a
    // key read apart from the walk (a provider's type, the providers table).
    // The tables write it as a lambda of (in, v, k, target).
    void (*read)(const TomlValues &values, const toml::node &node, const std::string &name, Target &target);
};

// The keys `readers` know, in their order: the order messages list them in.
template <typename Target>
std::vector<std::string_view> key_names(std::span<const KeyReader<Target>> readers) {
    std::vector<std::string_view> names;
    for (const KeyReader<Target> &reader : readers) names.push_back(reader.key);
    return names;
}

// Walks `table` in file order, each entry read by the reader of its key and
// called "SECTION.KEY" (just KEY when `section` is empty). `refuse` is given
// the key no reader knows, and must throw. Each key is one values.attempt().
template <typename Target, typename Refuse>
void read_keys(const TomlValues &values, const toml::table &table, const std::string &section,
               std::span<const KeyReader<Target>> readers, Target &target, Refuse &&refuse) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
    for (const TomlEntry &entry : entries_in_file_order(table)) {
        const toml::key *key = entry.key;
        const toml::node *node = entry.node;
        const std::string_view k = key->str();
        const auto reader = std::find_if(readers.begin(), readers.end(), [k](const auto &r) { return r.key == k; });
        values.attempt([&] {
            if (reader == readers.end()) refuse(*key);
            else if (reader->read)
                reader->read(values, *node, section.empty() ? std::string(k) : section + "." + std::string(k), target);
        });
    }
}

// How the messages describe the rules both provider kinds use.
inline constexpr std::string_view kAwsRegionDescribed = "an AWS region such as \"us-east-1\"";
inline constexpr std::string_view kSsoSessionDescribed = "letters, digits, \".\", \"_\" and \"-\" (at most 128)";

// The whole document (top_level_table.cpp).
Config read_config_document(const TomlValues &values, const toml::table &root);

// [providers.NAME]: its type says which keys it may have (provider_table.cpp).
ProviderConfig read_provider_table(const TomlValues &values, const std::string &name, const toml::node &node);

// Each provider kind: the readers of its keys, and the checks made once the
// whole table is read (required keys, keys that go together, defaults).
// `section` is "providers.NAME".
std::span<const KeyReader<OidcProviderConfig>> oidc_provider_readers();       // oidc_provider_table.cpp
std::span<const KeyReader<AwsSsoProviderConfig>> aws_sso_provider_readers();  // aws_sso_provider_table.cpp
void finish_oidc_provider(const TomlValues &values, const toml::table &table, const std::string &section,
                          OidcProviderConfig &provider);
void finish_aws_sso_provider(const TomlValues &values, const toml::table &table, const std::string &section,
                             AwsSsoProviderConfig &provider);

// Refuses the table unless it has `key`: "[SECTION] is missing the required
// key "KEY" (WHAT)", without the parenthesis when `what` is empty. When
// errors are collected (TomlValues::attempt) the next key is checked too.
void require_key(const TomlValues &values, const toml::table &table, const std::string &section, std::string_view key,
                 std::string_view what);

}  // namespace devflow
