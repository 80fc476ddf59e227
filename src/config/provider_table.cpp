// SPDX-License-Identifier: Apache-2.0
// A [providers.NAME] table: its type says which keys it may have.
#include "config/config_tables.hpp"

#include "config/choices.hpp"

#include <algorithm>

namespace devflow {
namespace {

ProviderType read_provider_type(const TomlValues &values, const toml::table &table, const std::string &section) {
    const toml::node *node = table.get("type");
    if (!node) return ProviderType::oidc;
    return values.read_choice(*node, section + ".type", provider_type_from, kProviderTypes);
}

// A kind's type word and key names, for the message about a key of another kind.
struct KindKeys {
    std::string_view type;
    std::vector<std::string_view> keys;
};

// A key the provider's kind does not have: named as the other kind's key when
// it is one, else unknown with a suggestion.
[[noreturn]] void refuse_provider_key(const TomlValues &values, const toml::key &key, const std::string &section,
                                      const KindKeys &own, const KindKeys &other) {
    if (std::find(other.keys.begin(), other.keys.end(), key.str()) == other.keys.end())
        values.fail_unknown_key(key, section, own.keys);
    values.fail_at(key.source(), quoted(section + "." + std::string(key.str())) + " is a key of " + quoted(other.type) +
                                     " providers; this provider has type = " + quoted(own.type));
}

template <typename Kind>
using FinishTable = void (*)(const TomlValues &, const toml::table &, const std::string &, Kind &);

template <typename Kind>
ProviderConfig read_kind(const TomlValues &values, const toml::table &table, const std::string &name,
                         std::string_view type, std::span<const KeyReader<Kind>> readers, const KindKeys &other,
                         FinishTable<Kind> finish) {
    const std::string section = "providers." + name;
    Kind provider;
    provider.name = name;
    provider.type = std::string(type);
    const KindKeys own{type, key_names(readers)};
    read_keys(values, table, section, readers, provider,
              [&](const toml::key &key) { refuse_provider_key(values, key, section, own, other); });
    values.attempt([&] { finish(values, table, section, provider); });
    return provider;
}

}  // namespace

ProviderConfig read_provider_table(const TomlValues &values, const std::string &name, const toml::node &node) {
    const std::string section = "providers." + name;
    const auto *table = node.as_table();
    if (!table) values.fail_type(node, section, "a table");
    const KindKeys oidc{provider_type_name(ProviderType::oidc), key_names(oidc_provider_readers())};
    const KindKeys aws_sso{provider_type_name(ProviderType::aws_sso), key_names(aws_sso_provider_readers())};
    if (read_provider_type(values, *table, section) == ProviderType::aws_sso) {
        return read_kind(values, *table, name, aws_sso.type, aws_sso_provider_readers(), oidc,
                         &finish_aws_sso_provider);
    }
    return read_kind(values, *table, name, oidc.type, oidc_provider_readers(), aws_sso, &finish_oidc_provider);
}

void require_key(const TomlValues &values, const toml::table &table, const std::string &section, std::string_view key,
                 std::string_view what) {
    if (table.contains(key)) return;
    std::string message = "[" + section + "] is missing the required key " + quoted(key);
    if (!what.empty()) message += " (" + std::string(what) + ")";
    values.attempt([&] { values.fail_at(table.source(), message); });
}

}  // namespace devflow
