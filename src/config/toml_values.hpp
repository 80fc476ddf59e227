// SPDX-License-Identifier: Apache-2.0
// Typed values out of a parsed TOML document, each refusal a
// Failure(config_error) "origin:line:column: message" that names the key,
// what it must be and what it is.
#pragma once

#include "base/failure.hpp"
#include "config/messages.hpp"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <utility>
#include <vector>

namespace devflow {

struct TomlEntry {
    const toml::key *key;
    const toml::node *node;
};

// A table's entries in file order, so the first error reported is the first one
// an admin reading top-down meets (toml++ keeps tables sorted by key).
std::vector<TomlEntry> entries_in_file_order(const toml::table &table);

// Reads the values of the document called `origin` in messages.
class TomlValues {
public:
    explicit TomlValues(std::string origin) : origin_(std::move(origin)) {}

    const std::string &origin() const { return origin_; }

    // `pam-device-flow check` wants every error of a file, as `sshd -t` lists
    // them; the module stops at the first. With a list set, attempt() adds a
    // refusal of `step` to it and goes on; without one it lets it through.
    void collect_errors_in(std::vector<std::string> *errors) { errors_ = errors; }
    template <typename Step>
    void attempt(Step &&step) const {
        if (errors_ == nullptr) return step();
        try {
            step();
        } catch (const Failure &failure) {
            if (failure.outcome() != Outcome::config_error) throw;
            errors_->push_back(failure.what());
        }
    }

    // The document `text`; a syntax error is refused with its position.
    toml::table parse(const std::string &text) const;

    [[noreturn]] void fail_at(const toml::source_region &region, const std::string &message) const;
    [[noreturn]] void fail_type(const toml::node &node, std::string_view key, std::string_view expected) const;
    // "unknown key ..." with a suggestion, else the list of allowed keys.
    [[noreturn]] void fail_unknown_key(const toml::key &key, std::string_view table,
                                       std::span<const std::string_view> allowed) const;

    std::string read_string(const toml::node &node, std::string_view key) const;  // no control characters
    std::string read_non_empty(const toml::node &node, std::string_view key) const;
    bool read_bool(const toml::node &node, std::string_view key) const;
    std::string read_absolute_path(const toml::node &node, std::string_view key) const;
    long read_seconds(const toml::node &node, std::string_view key, long min, long max) const;

    // An array of non-empty strings; `check` may reject an element with a
    // reason (it returns "" for a good one).
    using ElementCheck = std::function<std::string(const std::string &)>;
    std::vector<std::string> read_string_array(const toml::node &node, std::string_view key,
                                               const ElementCheck &check = {}) const;

    // A string `check` accepts; else "KEY must be EXPECTED, not VALUE".
    using Check = bool (*)(std::string_view);
    std::string read_checked(const toml::node &node, std::string_view key, Check check,
                             std::string_view expected) const;
    // The same for a string that must not be empty either.
    std::string read_non_empty_checked(const toml::node &node, std::string_view key, Check check,
                                       std::string_view expected) const;

    // One of `choices`, as the value `from` makes of it.
    template <typename Value>
    Value read_choice(const toml::node &node, std::string_view key, std::optional<Value> (*from)(std::string_view),
                      std::span<const std::string_view> choices) const {
        const std::string text = read_string(node, key);
        const std::optional<Value> value = from(text);
        if (!value) fail_at(node.source(), choice_error(key, text, choices));
        return *value;
    }

    // A URL `check` accepts, else "KEY must be EXPECTED, not VALUE". One with
    // user information ("https://user@host") is refused for that, and without
    // the value: what precedes "@" may be a password, and the message is logged.
    std::string read_url(const toml::node &node, std::string_view key, Check check, std::string_view expected) const;

    // A service base URL: https, or http to loopback (a test fake); the trailing
    // slash is dropped so request paths can be appended.
    std::string read_endpoint(const toml::node &node, std::string_view key) const;

private:
    std::string checked(const toml::node &node, std::string_view key, std::string text, Check check,
                        std::string_view expected) const;

    std::string origin_;
    std::vector<std::string> *errors_ = nullptr;
};

}  // namespace devflow
