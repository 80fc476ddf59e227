// SPDX-License-Identifier: Apache-2.0
// The rendered QR code must be the code libqrencode made, module for module:
// in the modes without colors as a pair (dark modules drawn, for light themes;
// light modules and quiet zone drawn, for dark themes), in the color modes once,
// black on white.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include <qrencode.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flow/qr_code.hpp"
#include "flow/terminal_text.hpp"

extern "C" {
#include <cmocka.h>
}

using devflow::kQrBlackOnWhite;
using devflow::kQrMaxColumns;
using devflow::kQrQuietZone;
using devflow::kQrResetColors;
using devflow::kQrWhiteOnBlack;
using devflow::QrMode;
using devflow::render_qr;

namespace {

// A typical verification_uri_complete: 60 characters.
const std::string url60 = "https://login.example.com/realms/corp/device?user_code=WDJBM";

using Grid = std::vector<std::vector<bool>>;  // [row][column]; true = drawn (ink), or dark

std::vector<std::string> split_lines(const std::string &text) {
    std::vector<std::string> lines;
    std::string::size_type start = 0;
    for (;;) {
        const auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        if (end == std::string::npos) return lines;
        start = end + 1;
    }
}

std::unique_ptr<QRcode, void (*)(QRcode *)> encode(const std::string &text, QRecLevel level) {
    return {QRcode_encodeString(text.c_str(), 0, level, QR_MODE_8, 1), QRcode_free};
}

int pair_columns(int size, QrMode mode) { return 2 * size * (mode == QrMode::ascii ? 2 : 1); }

// The level the renderer must use: M, or L when only L lets the pair of a mode
// without colors stand side by side.
QRecLevel expected_level(const std::string &text, QrMode mode) {
    if (mode != QrMode::utf8 && mode != QrMode::ascii) return QR_ECLEVEL_M;
    const auto m = encode(text, QR_ECLEVEL_M);
    const auto l = encode(text, QR_ECLEVEL_L);
    if (pair_columns(m->width + 2 * kQrQuietZone, mode) <= kQrMaxColumns) return QR_ECLEVEL_M;
    if (pair_columns(l->width + 2 * kQrQuietZone, mode) <= kQrMaxColumns) return QR_ECLEVEL_L;
    return QR_ECLEVEL_M;
}

// What libqrencode itself produces for the text, surrounded by the quiet zone:
// true for dark.
Grid expected_modules(const std::string &text, QRecLevel level) {
    const auto code = encode(text, level);
    assert_non_null(code.get());
    const int width = code->width;
    const auto size = static_cast<std::size_t>(width + 2 * kQrQuietZone);
    Grid m(size, std::vector<bool>(size, false));
    for (int r = 0; r < width; ++r)
        for (int c = 0; c < width; ++c)
            m[static_cast<std::size_t>(r + kQrQuietZone)][static_cast<std::size_t>(c + kQrQuietZone)] =
                (code->data[r * width + c] & 1) != 0;
    return m;
}

Grid expected_modules(const std::string &text, QrMode mode) {
    return expected_modules(text, expected_level(text, mode));
}

// `modules` inverted, with `extra_rows` more rows of the quiet zone's value.
Grid drawn(const Grid &modules, bool inverted, std::size_t extra_rows) {
    Grid out;
    for (const auto &row : modules) {
        std::vector<bool> line;
        for (bool dark : row) line.push_back(dark != inverted);
        out.push_back(line);
    }
    for (std::size_t i = 0; i < extra_rows; ++i) out.emplace_back(modules.size(), inverted);
    return out;
}

// The part of `grid` at (row, column), rows x columns.
Grid part(const Grid &grid, std::size_t row, std::size_t column, std::size_t rows, std::size_t columns) {
    Grid out;
    if (row + rows > grid.size()) return {};
    for (std::size_t r = row; r < row + rows; ++r) {
        if (column + columns > grid[r].size()) return {};
        out.emplace_back(grid[r].begin() + static_cast<long>(column),
                         grid[r].begin() + static_cast<long>(column + columns));
    }
    return out;
}

// Strips `prefix` and `suffix` from every line, or returns nullopt when a line
// lacks them.
std::optional<std::vector<std::string>> strip(const std::vector<std::string> &lines, std::string_view prefix,
                                              std::string_view suffix) {
    std::vector<std::string> out;
    for (const auto &line : lines) {
        if (line.size() < prefix.size() + suffix.size() || line.compare(0, prefix.size(), prefix) != 0 ||
            line.compare(line.size() - suffix.size(), suffix.size(), suffix) != 0)
            return std::nullopt;
        out.push_back(line.substr(prefix.size(), line.size() - prefix.size() - suffix.size()));
    }
    return out;
}

// Reads half blocks back: two rows per line, ink where a block is. Empty when
// a line has a foreign character or lines differ in width.
Grid read_half_blocks(const std::vector<std::string> &lines) {
    Grid grid(2 * lines.size());
    for (std::size_t line = 0; line < lines.size(); ++line) {
        const std::string &text = lines[line];
        for (std::size_t pos = 0; pos < text.size();) {
            bool top = false;
            bool bottom = false;
            if (text.compare(pos, 1, " ") == 0) {
                pos += 1;
            } else if (text.compare(pos, 3, "\u2588") == 0) {
                top = bottom = true;
                pos += 3;
            } else if (text.compare(pos, 3, "\u2580") == 0) {
                top = true;
                pos += 3;
            } else if (text.compare(pos, 3, "\u2584") == 0) {
                bottom = true;
                pos += 3;
            } else {
                return {};
            }
            grid[2 * line].push_back(top);
            grid[2 * line + 1].push_back(bottom);
        }
        if (grid[2 * line].size() != grid[0].size()) return {};
    }
    return grid;
}

// "##" is ink, "  " is none; one row per line.
Grid read_hashes(const std::vector<std::string> &lines) {
    Grid grid;
    for (const auto &line : lines) {
        if (line.size() % 2 != 0 || (!grid.empty() && line.size() != 2 * grid[0].size())) return {};
        std::vector<bool> row;
        for (std::size_t i = 0; i < line.size(); i += 2) {
            const std::string cell = line.substr(i, 2);
            if (cell != "##" && cell != "  ") return {};
            row.push_back(cell == "##");
        }
        grid.push_back(row);
    }
    return grid;
}

// Two spaces per module in the colors last set: true (dark) after
// kQrWhiteOnBlack, false after kQrBlackOnWhite; each line starts with one
// and ends with kQrResetColors.
Grid read_colored_spaces(const std::vector<std::string> &lines) {
    Grid grid;
    for (const auto &whole : lines) {
        if (whole.size() < kQrResetColors.size() ||
            whole.compare(whole.size() - kQrResetColors.size(), kQrResetColors.size(), kQrResetColors) != 0)
            return {};
        const std::string line = whole.substr(0, whole.size() - kQrResetColors.size());
        std::vector<bool> row;
        std::optional<bool> dark;
        for (std::size_t pos = 0; pos < line.size();) {
            if (line.compare(pos, kQrWhiteOnBlack.size(), kQrWhiteOnBlack) == 0) {
                dark = true;
                pos += kQrWhiteOnBlack.size();
            } else if (line.compare(pos, kQrBlackOnWhite.size(), kQrBlackOnWhite) == 0) {
                dark = false;
                pos += kQrBlackOnWhite.size();
            } else if (dark && line.compare(pos, 2, "  ") == 0) {
                row.push_back(*dark);
                pos += 2;
            } else {
                return {};
            }
        }
        if (!grid.empty() && row.size() != grid[0].size()) return {};
        grid.push_back(row);
    }
    return grid;
}

// The rendering matches libqrencode's modules in the layout its mode promises.
bool renders_libqrencodes_code(const std::string &text, QrMode mode) {
    const Grid modules = expected_modules(text, mode);
    const std::size_t size = modules.size();
    const auto lines = split_lines(render_qr(text, mode));
    switch (mode) {
    case QrMode::utf8: {
        const Grid grid = read_half_blocks(lines);
        const std::size_t rows = size + size % 2;
        const bool side_by_side = grid.size() == rows;
        if (side_by_side && grid[0].size() != 2 * size) return false;
        if (!side_by_side && (grid.size() != 2 * rows || grid[0].size() != size)) return false;
        return part(grid, 0, 0, rows, size) == drawn(modules, false, size % 2) &&
               part(grid, side_by_side ? 0 : rows, side_by_side ? size : 0, rows, size) ==
                   drawn(modules, true, size % 2);
    }
    case QrMode::ascii: {
        const Grid grid = read_hashes(lines);
        const bool side_by_side = grid.size() == size;
        if (side_by_side && grid[0].size() != 2 * size) return false;
        if (!side_by_side && (grid.size() != 2 * size || grid[0].size() != size)) return false;
        return part(grid, 0, 0, size, size) == drawn(modules, false, 0) &&
               part(grid, side_by_side ? 0 : size, side_by_side ? size : 0, size, size) == drawn(modules, true, 0);
    }
    case QrMode::utf8_color: {
        const auto inner = strip(lines, kQrBlackOnWhite, kQrResetColors);
        if (!inner) return false;
        const Grid grid = read_half_blocks(*inner);
        // Below an odd last row: no ink, i.e. white, more quiet zone.
        return grid.size() == size + size % 2 && grid[0].size() == size && grid == drawn(modules, false, size % 2);
    }
    case QrMode::ascii_color: return read_colored_spaces(lines) == modules;
    case QrMode::off: break;
    }
    return false;
}

const QrMode kDrawingModes[] = {QrMode::utf8, QrMode::ascii, QrMode::utf8_color, QrMode::ascii_color};

void every_mode_matches_libqrencode(void **) {
    for (QrMode mode : kDrawingModes) {
        if (!renders_libqrencodes_code(url60, mode)) fail_msg("mode %d", static_cast<int>(mode));
    }
}

void matches_for_other_lengths(void **) {
    // Versions 1 to 10 (odd and even line counts, pairs side by side and
    // stacked, level M and the level L that keeps a pair side by side).
    for (std::size_t length : {1u, 10u, 30u, 50u, 60u, 100u, 200u}) {
        const std::string text = "https://x.example/" + std::string(length, 'A');
        for (QrMode mode : kDrawingModes) {
            if (!renders_libqrencodes_code(text, mode)) fail_msg("length %zu, mode %d", length, static_cast<int>(mode));
        }
    }
}

// The utf8 pair of a 60-character link, and of any link up to 78 bytes
// (level L, version 4), stands side by side in 80 columns and 19 lines.
void utf8_pair_of_a_typical_link_fits_80_columns(void **) {
    for (std::size_t length : {30u, 60u, 64u, 78u}) {
        const std::string text = "https://login.example.com/" + std::string(length - 26, 'a');
        assert_int_equal(text.size(), length);
        const auto lines = split_lines(render_qr(text, QrMode::utf8));
        const Grid grid = read_half_blocks(lines);
        assert_true(lines.size() <= 19);
        assert_true(!grid.empty() && grid[0].size() <= static_cast<std::size_t>(kQrMaxColumns));
    }
    // 79 bytes need version 5 even at level L: the pair is stacked.
    const std::string longer = "https://login.example.com/" + std::string(53, 'a');
    const Grid stacked = read_half_blocks(split_lines(render_qr(longer, QrMode::utf8)));
    assert_true(!stacked.empty() && stacked.size() > stacked[0].size());
}

void case_is_preserved(void **) {
    // 8-bit mode, case-sensitive: a user_code in the URL must survive.
    assert_true(render_qr("https://x.example/?c=abcd", QrMode::ascii) !=
                render_qr("https://x.example/?c=ABCD", QrMode::ascii));
}

void only_the_color_modes_use_colors(void **) {
    for (QrMode mode : kDrawingModes) {
        const bool has_escape = render_qr(url60, mode).find('\x1b') != std::string::npos;
        assert_int_equal(has_escape, devflow::qr_mode_uses_colors(mode));
    }
    assert_false(devflow::qr_mode_uses_colors(QrMode::off));
}

void off_is_empty(void **) { assert_string_equal(render_qr(url60, QrMode::off).c_str(), ""); }

void too_long_is_empty(void **) {
    for (QrMode mode : kDrawingModes) assert_string_equal(render_qr(std::string(8000, 'x'), mode).c_str(), "");
}

void empty_text_is_empty(void **) { assert_string_equal(render_qr("", QrMode::utf8).c_str(), ""); }

void embedded_nul_is_empty(void **) {
    assert_string_equal(render_qr(std::string("https://a.example/\0evil", 23), QrMode::utf8).c_str(), "");
}

void prints_the_sizes_of_a_60_character_link(void **) {
    std::printf("QR for a %zu-character URL (quiet zone %d):\n", url60.size(), kQrQuietZone);
    const char *const names[] = {"utf8", "ascii", "utf8-color", "ascii-color"};
    int i = 0;
    for (QrMode mode : kDrawingModes) {
        const std::string text = render_qr(url60, mode);
        const auto lines = split_lines(text);
        std::printf("  %-11s %5zu bytes, %2zu lines\n", names[i++], text.size(), lines.size());
    }
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_mode_matches_libqrencode),
        cmocka_unit_test(matches_for_other_lengths),
        cmocka_unit_test(utf8_pair_of_a_typical_link_fits_80_columns),
        cmocka_unit_test(case_is_preserved),
        cmocka_unit_test(only_the_color_modes_use_colors),
        cmocka_unit_test(off_is_empty),
        cmocka_unit_test(too_long_is_empty),
        cmocka_unit_test(empty_text_is_empty),
        cmocka_unit_test(embedded_nul_is_empty),
        cmocka_unit_test(prints_the_sizes_of_a_60_character_link),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
