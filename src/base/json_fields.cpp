// SPDX-License-Identifier: Apache-2.0
#include "base/json_fields.hpp"

#include "base/failure.hpp"
#include "base/secret.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <vector>

namespace devflow {

const std::string *string_field(const Json &object, const char *name) {
    auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return nullptr;
    return &found->get_ref<const std::string &>();
}

std::optional<long long> integer_field(const Json &object, const char *name) {
    auto found = object.find(name);
    if (found == object.end()) return std::nullopt;
    if (found->is_number_integer()) {
        if (found->is_number_unsigned() &&
            found->get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX)) {
            fail_unavailable(std::string("field ") + name + " is out of range");
        }
        return found->get<long long>();
    }
    if (found->is_string()) {
        const std::string &text = found->get_ref<const std::string &>();
        if (!text.empty() && text.size() < 10 &&
            std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
            return std::stoll(text);
        }
    }
    fail_unavailable(std::string("field ") + name + " is not an integer");
}

Json parse_untrusted_json(std::string_view text) {
    bool too_deep = false;
    // The parser itself is iterative; the callback sees each value's depth and
    // drops what is too deep, so a hostile document costs time linear in its
    // size and never builds a deep tree.
    const Json::parser_callback_t limit_depth = [&too_deep](int depth, Json::parse_event_t event, Json &) {
        // `depth` counts the containers around the event: one that opens
        // here is one level more.
        const bool opens = event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
        if ((opens ? depth + 1 : depth) <= kMaxJsonDepth) return true;
        too_deep = true;
        return false;
    };
    Json json = Json::parse(text.begin(), text.end(), limit_depth, false);
    if (too_deep) {
        wipe_json(json);
        return Json(Json::value_t::discarded);
    }
    return json;
}

Json parse_json_object(const std::string &body, const char *what) {
    Json json = parse_untrusted_json(body);
    if (json.is_discarded() || !json.is_object()) {
        fail_unavailable(std::string(what) + " answer is not a JSON object");
    }
    return json;
}

void wipe_json(Json &value) noexcept {
    // Strings are wiped as they are met; only containers wait on the heap.
    std::vector<Json *> pending;
    Json *current = &value;
    for (;;) {
        if (current->is_string()) {
            wipe(current->get_ref<std::string &>());
        } else if (current->is_structured()) {
            for (auto &element : *current) {
                if (element.is_string()) {
                    wipe(element.get_ref<std::string &>());
                } else if (element.is_structured()) {
                    try {
                        pending.push_back(&element);
                    } catch (...) {
                        // Out of memory: skip what is deeper rather than
                        // throw from a wipe.
                    }
                }
            }
        }
        if (pending.empty()) return;
        current = pending.back();
        pending.pop_back();
    }
}

}  // namespace devflow
