// SPDX-License-Identifier: Apache-2.0
#include "config/toml_values.hpp"

#include "base/failure.hpp"
#include "config/did_you_mean.hpp"
#include "config/validators.hpp"
#include "net/url.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace devflow {
namespace {

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

}  // namespace

std::vector<TomlEntry> entries_in_file_order(const toml::table &table) {
    std::vector<TomlEntry> entries;
    for (const auto &[key, node] : table) entries.push_back({&key, &node});
    std::stable_sort(entries.begin(), entries.end(), [](const TomlEntry &a, const TomlEntry &b) {
        const auto &pa = a.key->source().begin;
        const auto &pb = b.key->source().begin;
        return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
    });
    return entries;
}

toml::table TomlValues::parse(const std::string &text) const {
    try {
        return toml::parse(std::string_view(text), std::string_view(origin_));
    } catch (const toml::parse_error &error) {
        fail_at(error.source(), std::string(error.description()));
    }
}

void TomlValues::fail_at(const toml::source_region &region, const std::string &message) const {
    const auto line = std::max<toml::source_index>(region.begin.line, 1);
    const auto column = std::max<toml::source_index>(region.begin.column, 1);
    fail_config(origin_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message);
}

void TomlValues::fail_type(const toml::node &node, std::string_view key, std::string_view expected) const {
    fail_at(node.source(), quoted(key) + " must be " + std::string(expected) + ", not " + type_name(node));
}

void TomlValues::fail_unknown_key(const toml::key &key, std::string_view table,
                                  std::span<const std::string_view> allowed) const {
    std::string message = "unknown key " + quoted(key.str());
    if (!table.empty()) message += " in [" + std::string(table) + "]";
    const std::string suggestion = did_you_mean(key.str(), allowed);
    message += suggestion.empty() ? " (allowed: " + quoted_list(allowed) + ")" : suggestion;
    fail_at(key.source(), message);
}

std::string TomlValues::read_string(const toml::node &node, std::string_view key) const {
    const auto *value = node.as_string();
    if (!value) fail_type(node, key, "a string");
    const std::string &text = value->get();
    if (has_control_character(text)) fail_at(node.source(), quoted(key) + " must not contain control characters");
    return text;
}

std::string TomlValues::read_non_empty(const toml::node &node, std::string_view key) const {
    std::string text = read_string(node, key);
    if (text.empty()) fail_at(node.source(), quoted(key) + " must not be empty");
    return text;
}

bool TomlValues::read_bool(const toml::node &node, std::string_view key) const {
    const auto *value = node.as_boolean();
    if (!value) fail_type(node, key, "a boolean (true or false)");
    return value->get();
}

std::string TomlValues::read_absolute_path(const toml::node &node, std::string_view key) const {
    return read_checked(node, key, is_absolute_path, "an absolute path (starting with \"/\")");
}

long TomlValues::read_seconds(const toml::node &node, std::string_view key, long min, long max) const {
    const auto *value = node.as_integer();
    if (!value) fail_type(node, key, "an integer (seconds)");
    const std::int64_t seconds = value->get();
    if (seconds < min || seconds > max) fail_at(node.source(), range_error(key, min, max, std::to_string(seconds)));
    return static_cast<long>(seconds);
}

std::vector<std::string> TomlValues::read_string_array(const toml::node &node, std::string_view key,
                                                       const ElementCheck &check) const {
    const auto *array = node.as_array();
    if (!array) fail_type(node, key, "an array of strings");
    std::vector<std::string> out;
    for (const auto &element : *array) {
        if (!element.is_string())
            fail_at(element.source(), quoted(key) + " must contain only strings, not " + type_name(element));
        std::string text = read_non_empty(element, key);
        if (const std::string reason = check ? check(text) : std::string{}; !reason.empty())
            fail_at(element.source(), reason);
        out.push_back(std::move(text));
    }
    return out;
}

std::string TomlValues::checked(const toml::node &node, std::string_view key, std::string text, Check check,
                                std::string_view expected) const {
    if (!check(text))
        fail_at(node.source(), quoted(key) + " must be " + std::string(expected) + ", not " + quoted(text));
    return text;
}

std::string TomlValues::read_checked(const toml::node &node, std::string_view key, Check check,
                                     std::string_view expected) const {
    return checked(node, key, read_string(node, key), check, expected);
}

std::string TomlValues::read_non_empty_checked(const toml::node &node, std::string_view key, Check check,
                                               std::string_view expected) const {
    return checked(node, key, read_non_empty(node, key), check, expected);
}

std::string TomlValues::read_url(const toml::node &node, std::string_view key, Check check,
                                 std::string_view expected) const {
    std::string text = read_non_empty(node, key);
    if (has_user_information(text)) fail_at(node.source(), quoted(key) + " must not contain user information (user@)");
    return checked(node, key, std::move(text), check, expected);
}

std::string TomlValues::read_endpoint(const toml::node &node, std::string_view key) const {
    std::string text = read_url(node, key, is_service_url,
                                "an https:// URL (http:// only for a loopback host) without query or fragment");
    while (!text.empty() && text.back() == '/') text.pop_back();
    return text;
}

}  // namespace devflow
