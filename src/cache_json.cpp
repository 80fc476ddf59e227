#include "cache_json.hpp"

namespace devflow {

bool is_printable_ascii(std::string_view value) {
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e) return false;
    }
    return true;
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
