#include "json_fields.hpp"

#include "failure.hpp"
#include "secret.hpp"

#include <algorithm>
#include <cctype>
#include <climits>

namespace devflow {

const std::string *string_field(const nlohmann::json &object, const char *name) {
    auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return nullptr;
    return &found->get_ref<const std::string &>();
}

std::optional<long long> integer_field(const nlohmann::json &object, const char *name) {
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

nlohmann::json parse_json_object(const std::string &body, const char *what) {
    nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        fail_unavailable(std::string(what) + " answer is not a JSON object");
    }
    return json;
}

void wipe_json(nlohmann::json &value) noexcept {
    if (value.is_string()) {
        wipe(value.get_ref<std::string &>());
    } else if (value.is_structured()) {
        for (auto &element : value) wipe_json(element);
    }
}

}  // namespace devflow
