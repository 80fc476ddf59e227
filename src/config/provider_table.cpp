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

std::span<const KeyReader<ProviderConfig>> readers_of(ProviderType kind) {
    return kind == ProviderType::oidc ? oidc_provider_readers() : aws_sso_provider_readers();
}

// A key the provider's kind does not have: named as the other kind's key when
// it is one, else unknown with a suggestion.
[[noreturn]] void refuse_provider_key(const TomlValues &values, const toml::key &key, const std::string &section,
                                      ProviderType kind) {
    const ProviderType other = kind == ProviderType::oidc ? ProviderType::aws_sso : ProviderType::oidc;
    const auto other_keys = key_names(readers_of(other));
    if (std::find(other_keys.begin(), other_keys.end(), key.str()) == other_keys.end())
        values.fail_unknown_key(key, section, key_names(readers_of(kind)));
    values.fail_at(key.source(), quoted(section + "." + std::string(key.str())) + " is a key of " +
                                     quoted(provider_type_name(other)) +
                                     " providers; this provider has type = " + quoted(provider_type_name(kind)));
}

}  // namespace

ProviderConfig read_provider_table(const TomlValues &values, const std::string &name, const toml::node &node) {
    const std::string section = "providers." + name;
    const auto *table = node.as_table();
    if (!table) values.fail_type(node, section, "a table");
    ProviderConfig provider;
    provider.name = name;
    provider.kind = read_provider_type(values, *table, section);
    provider.type = provider_type_name(provider.kind);
    read_keys(values, *table, section, readers_of(provider.kind), provider,
              [&](const toml::key &key) { refuse_provider_key(values, key, section, provider.kind); });
    if (provider.kind == ProviderType::aws_sso) finish_aws_sso_provider(values, *table, section, provider);
    else finish_oidc_provider(values, *table, section, provider);
    return provider;
}

void require_key(const TomlValues &values, const toml::table &table, const std::string &section, std::string_view key,
                 std::string_view what) {
    if (table.contains(key)) return;
    std::string message = "[" + section + "] is missing the required key " + quoted(key);
    if (!what.empty()) message += " (" + std::string(what) + ")";
    values.fail_at(table.source(), message);
}

}  // namespace devflow
