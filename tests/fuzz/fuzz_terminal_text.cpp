// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for sanitize_for_terminal and sanitize_lines_for_terminal.
//
// Input: the first byte is max_bytes (0..254; 255 means "no limit": the input's
// size), the rest is the untrusted text.
//
// Invariants checked, beyond "no crash":
//  - the output is at most max_bytes long;
//  - it is valid UTF-8 (shortest forms, no surrogates, nothing above U+10FFFF),
//    decoded here by a validator independent of the one under test;
//  - it holds no C0 control (< 0x20), no DEL, no C1 control (U+0080-U+009F), no
//    bidi embedding/override/isolate (U+202A-U+202E, U+2066-U+2069), no direction
//    mark (U+200E, U+200F, U+061C), no line or paragraph separator (U+2028,
//    U+2029) and no invisible format character (U+200B, U+2060-U+206F, U+FEFF,
//    U+00AD, U+034F, U+180E, U+115F, U+1160, U+17B4, U+17B5, U+3164, U+FFA0,
//    U+FFF9-U+FFFB, U+1BCA0-U+1BCA3, U+1D173-U+1D17A, U+E0000-U+E0FFF other
//    than the variation selectors U+E0100-U+E01EF);
//  - it is idempotent: sanitising the output again, with the same limit, gives
//    the output back;
//  - text that is only printable ASCII passes unchanged, cut at max_bytes;
//  - sanitize_lines_for_terminal keeps exactly the input's newlines and each
//    line between them is valid UTF-8 without any of the above;
//  - with TerminalColors::qr_colors the same holds once the three QR color
//    sequences are taken out: every ESC left starts one of them, whole, and
//    nothing else passes; sanitizing the output again gives it back.
#include "flow/terminal_text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

// Strict UTF-8 decoding by the table in RFC 3629 section 4; nullopt if invalid.
std::optional<std::vector<char32_t>> decode(std::string_view text) {
    std::vector<char32_t> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t value = 0;
        if (b0 < 0x80) {
            length = 1;
            value = b0;
        } else if ((b0 & 0xE0) == 0xC0) {
            length = 2;
            value = b0 & 0x1Fu;
        } else if ((b0 & 0xF0) == 0xE0) {
            length = 3;
            value = b0 & 0x0Fu;
        } else if ((b0 & 0xF8) == 0xF0) {
            length = 4;
            value = b0 & 0x07u;
        } else {
            return std::nullopt;
        }
        if (i + length > text.size()) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xC0) != 0x80) {
                return std::nullopt;
            }
            value = (value << 6) | (b & 0x3Fu);
        }
        const char32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (value < minimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            return std::nullopt;
        }
        out.push_back(value);
        i += length;
    }
    return out;
}

bool is_forbidden(char32_t c) {
    static constexpr char32_t single[] = {0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E,
                                          0x200B, 0x200E, 0x200F, 0x2028, 0x2029, 0x3164, 0xFEFF, 0xFFA0};
    if (std::find(std::begin(single), std::end(single), c) != std::end(single)) {
        return true;
    }
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x206F) || (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0x1BCA0 && c <= 0x1BCA3) ||
           (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE00FF) || (c >= 0xE01F0 && c <= 0xE0FFF);
}

bool is_clean_line(std::string_view line) {
    const auto code_points = decode(line);
    return code_points.has_value() && std::none_of(code_points->begin(), code_points->end(), is_forbidden);
}

// The line with every QR color sequence taken out, or nullopt when an ESC in it
// starts none of them.
std::optional<std::string> without_qr_colors(std::string_view line) {
    static constexpr std::string_view kAllowed[] = {devflow::kQrBlackOnWhite, devflow::kQrWhiteOnBlack,
                                                    devflow::kQrResetColors};
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        if (line[i] != '\x1b') {
            out += line[i++];
            continue;
        }
        const auto found = std::find_if(std::begin(kAllowed), std::end(kAllowed), [&](std::string_view allowed) {
            return line.substr(i, allowed.size()) == allowed;
        });
        if (found == std::end(kAllowed)) {
            return std::nullopt;
        }
        i += found->size();
    }
    return out;
}

// Each line of `lines` passes `check`, and there are as many as in `text`.
template <typename Check>
void require_lines(std::string_view text, std::string_view lines, Check check) {
    require(std::count(lines.begin(), lines.end(), '\n') == std::count(text.begin(), text.end(), '\n'));
    std::size_t start = 0;
    while (start <= lines.size()) {
        std::size_t end = lines.find('\n', start);
        if (end == std::string::npos) end = lines.size();
        require(check(lines.substr(start, end - start)));
        start = end + 1;
    }
}

bool is_printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view text(reinterpret_cast<const char *>(data) + 1, size - 1);
    const std::size_t max_bytes = data[0] == 0xFF ? text.size() : data[0];

    const std::string out = devflow::sanitize_for_terminal(text, max_bytes);
    require(out.size() <= max_bytes);
    const auto code_points = decode(out);
    require(code_points.has_value());
    require(std::none_of(code_points->begin(), code_points->end(), is_forbidden));
    require(devflow::sanitize_for_terminal(out, max_bytes) == out);
    if (is_printable_ascii(text)) {
        require(out == text.substr(0, max_bytes));
    }

    const std::string lines = devflow::sanitize_lines_for_terminal(text);
    require_lines(text, lines, is_clean_line);

    const std::string colored = devflow::sanitize_lines_for_terminal(text, devflow::TerminalColors::qr_colors);
    require_lines(text, colored, [](std::string_view line) {
        const auto rest = without_qr_colors(line);
        return rest.has_value() && is_clean_line(*rest);
    });
    require(devflow::sanitize_lines_for_terminal(colored, devflow::TerminalColors::qr_colors) == colored);
    return 0;
}
