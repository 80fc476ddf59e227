// SPDX-License-Identifier: Apache-2.0
#include "base/log_text.hpp"

#include "base/text.hpp"

namespace devflow {
namespace {

void append_hex_escape(std::string &out, unsigned char byte) {
    out += "\\x";
    out += hex_encode({&byte, 1});
}

}  // namespace

std::string quote_for_log(std::string_view value, std::size_t max_length) {
    std::string out = "\"";
    const bool cut = value.size() > max_length;
    if (cut) value = value.substr(0, max_length);
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (!is_printable_ascii(byte)) {
            append_hex_escape(out, byte);
        } else {
            out += c;
        }
    }
    out += '"';
    if (cut) out += "...";
    return out;
}

std::string escape_log_line(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (char c : line) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_printable_ascii(byte)) {
            out += c;
        } else {
            append_hex_escape(out, byte);
        }
    }
    return out;
}

}  // namespace devflow
