// SPDX-License-Identifier: Apache-2.0
// What a hostile IdP may leave in a log line or on a terminal: nothing that
// acts. A log line must be printable ASCII (quote_for_log escapes the rest),
// so no newline can forge a second syslog line and no escape sequence can
// reach the terminal of the admin reading it; a terminal message must be what
// sanitize_for_terminal leaves, line by line.
#pragma once

#include "flow/terminal_text.hpp"

#include <string>
#include <string_view>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

namespace devflow::test {

// A hostile value built from the audit's report (issue 8): an OSC title, a
// clear screen, a newline starting a forged syslog line, a carriage return, a
// C1 CSI, a right-to-left mark and override, DEL.
inline const std::string kHostileText =
    "x\x1b]0;TITLE\x07\x1b[2J\nNov  1 evil: fake line\r\xc2\x9b"
    "31m\xe2\x80\x8f\xe2\x80\xae\x7f";

// Where the first byte outside printable ASCII is, or npos.
inline std::size_t first_unprintable_byte(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto byte = static_cast<unsigned char>(line[i]);
        if (byte < 0x20 || byte > 0x7e) return i;
    }
    return std::string_view::npos;
}

// Each line of `text` unchanged by sanitize_for_terminal (newlines separate
// lines; a carriage return is a control like any other).
inline bool is_terminal_safe(std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        if (sanitize_for_terminal(line, line.size()) != line) return false;
        start = end + 1;
    }
    return true;
}

// For a failure message: the line with every unprintable byte as <0xNN>, told
// apart from the "\xNN" text that quoting writes.
inline std::string shown(std::string_view line) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (char c : line) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e) {
            out += "<0x";
            out += digits[byte >> 4];
            out += digits[byte & 0x0f];
            out += '>';
        } else {
            out += c;
        }
    }
    return out;
}

inline void assert_log_line_safe(std::string_view line) {
    const std::size_t at = first_unprintable_byte(line);
    if (at != std::string_view::npos) {
        fail_msg("raw byte 0x%02x at %zu in log line: %s", static_cast<unsigned>(static_cast<unsigned char>(line[at])),
                 at, shown(line).c_str());
    }
}

inline void assert_terminal_safe(std::string_view text) {
    if (!is_terminal_safe(text)) fail_msg("terminal text not sanitized: %s", shown(text).c_str());
}

inline void assert_contains(std::string_view text, std::string_view fragment) {
    if (text.find(fragment) == std::string_view::npos) {
        fail_msg("expected %s in: %s", shown(fragment).c_str(), shown(text).c_str());
    }
}

}  // namespace devflow::test
