#include "log_text.hpp"

#include <array>
#include <cstdio>

namespace devflow {

std::string quote_for_log(std::string_view value, std::size_t max_length) {
    std::string out = "\"";
    const bool cut = value.size() > max_length;
    if (cut) value = value.substr(0, max_length);
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte >= 0x7f) {
            std::array<char, 5> escaped{};
            std::snprintf(escaped.data(), escaped.size(), "\\x%02x", static_cast<unsigned>(byte));
            out += escaped.data();
        } else {
            out += c;
        }
    }
    out += '"';
    if (cut) out += "...";
    return out;
}

}  // namespace devflow
