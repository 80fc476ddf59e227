// SPDX-License-Identifier: Apache-2.0
#include "store/cache_json.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/secret.hpp"
#include "store/safe_file.hpp"

namespace devflow {

std::optional<Json> read_cache_object(const std::string &dir, const std::string &name, uid_t owner,
                                      std::size_t max_bytes) {
    std::optional<std::string> text = read_private_file(dir, name, owner, max_bytes);
    if (!text) return std::nullopt;
    WipeOnExit wipe_text(*text);
    Json json = parse_untrusted_json(*text);
    if (json.is_discarded() || !json.is_object()) fail_system(dir + "/" + name + " is not a JSON object");
    return std::optional<Json>(std::move(json));
}

std::string cache_text_member(const Json &object, const char *name, const std::string &path) {
    auto found = object.find(name);
    if (found == object.end()) return {};
    if (!found->is_string()) fail_system(path + ": \"" + name + "\" is not a string");
    return found->get<std::string>();
}

void serialize_string_object(const std::vector<JsonStringField> &fields, JsonLayout layout, std::string &out) {
    const bool indented = layout == JsonLayout::indented;
    std::size_t bound = 4;
    for (const auto &field : fields) bound += std::string_view(field.name).size() + 2 * field.value.size() + 16;
    out.clear();
    out.reserve(bound);
    out += indented ? "{\n" : "{";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (indented) out += "  ";
        out += '"';
        out += fields[i].name;
        out += "\": \"";
        for (char c : fields[i].value) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
        if (i + 1 < fields.size()) out += indented ? ",\n" : ", ";
        else if (indented) out += '\n';
    }
    out += "}";
}

}  // namespace devflow
