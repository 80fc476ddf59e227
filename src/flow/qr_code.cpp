// SPDX-License-Identifier: Apache-2.0
#include "flow/qr_code.hpp"

#include "flow/terminal_text.hpp"

#include <qrencode.h>

#include <memory>
#include <new>
#include <vector>

namespace devflow {
namespace {

struct QrCodeDeleter {
    void operator()(QRcode *code) const noexcept { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

// Level M survives a smudged screen or a glare better than L, and a typical
// verification_uri_complete (~60 bytes) still fits version 4 (33x33).
QrCodePtr encode(const std::string &text, QRecLevel level) {
    QrCodePtr code(QRcode_encodeString(text.c_str(), 0, level, QR_MODE_8, 1));
    if (!code || code->width <= 0) return nullptr;
    return code;
}

// What the terminal draws, cell row by cell column: true where it puts ink
// (its foreground color; black in the color modes).
class Ink {
public:
    Ink(int rows, int columns)
        : rows_(rows), columns_(columns), cells_(static_cast<std::size_t>(rows) * static_cast<std::size_t>(columns)) {}

    int rows() const { return rows_; }
    int columns() const { return columns_; }
    bool at(int row, int column) const {
        if (row >= rows_) return false;  // below the last row: no ink (background, or white in color)
        return cells_[index(row, column)];
    }
    void set(int row, int column, bool ink) { cells_[index(row, column)] = ink; }

    // `other` drawn with its top left corner at (row, column).
    void paste(const Ink &other, int row, int column) {
        for (int r = 0; r < other.rows_; ++r)
            for (int c = 0; c < other.columns_; ++c) set(row + r, column + c, other.at(r, c));
    }

private:
    std::size_t index(int row, int column) const {
        return static_cast<std::size_t>(row) * static_cast<std::size_t>(columns_) + static_cast<std::size_t>(column);
    }

    int rows_;
    int columns_;
    std::vector<bool> cells_;
};

// The code with its quiet zone, `rows` tall (at least its size; rows beyond
// it widen the bottom quiet zone). Ink on dark modules, or, inverted, on light
// ones and the quiet zone.
Ink symbol(const QRcode &code, int rows, bool inverted) {
    const int size = code.width + 2 * kQrQuietZone;
    Ink ink(rows, size);
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < size; ++column) {
            const int r = row - kQrQuietZone;
            const int c = column - kQrQuietZone;
            bool dark = false;
            if (r >= 0 && c >= 0 && r < code.width && c < code.width) {
                // libqrencode: bit 0 of each byte is the module's color (1 = dark).
                dark = (code.data[static_cast<std::size_t>(r) * static_cast<std::size_t>(code.width) +
                                  static_cast<std::size_t>(c)] &
                        1u) != 0;
            }
            ink.set(row, column, dark != inverted);
        }
    }
    return ink;
}

int symbol_size(const QRcode &code) { return code.width + 2 * kQrQuietZone; }

// Half blocks draw two module rows per line: a code of odd size gets one more
// quiet row, so that in a pair each code's last line stays its own.
int rows_for(QrMode mode, int size) { return mode == QrMode::utf8 ? size + size % 2 : size; }

// Terminal columns per module: a cell is about twice as tall as it is wide.
int columns_per_module(QrMode mode) { return mode == QrMode::ascii || mode == QrMode::ascii_color ? 2 : 1; }

bool pair_fits_side_by_side(QrMode mode, const QRcode &code) {
    return 2 * symbol_size(code) * columns_per_module(mode) <= kQrMaxColumns;
}

// The two codes of the modes without colors (see qr_code.hpp).
Ink pair(QrMode mode, const QRcode &code) {
    const int size = symbol_size(code);
    const int rows = rows_for(mode, size);
    const Ink for_light_themes = symbol(code, rows, /*inverted=*/false);
    const Ink for_dark_themes = symbol(code, rows, /*inverted=*/true);
    const bool side_by_side = pair_fits_side_by_side(mode, code);
    Ink both(side_by_side ? rows : 2 * rows, side_by_side ? 2 * size : size);
    both.paste(for_light_themes, 0, 0);
    both.paste(for_dark_themes, side_by_side ? 0 : rows, side_by_side ? size : 0);
    return both;
}

std::string half_blocks(const Ink &ink, bool colored) {
    std::string out;
    for (int row = 0; row < ink.rows(); row += 2) {
        if (row != 0) out += '\n';
        if (colored) out += kQrBlackOnWhite;
        for (int column = 0; column < ink.columns(); ++column) {
            const bool top = ink.at(row, column);
            const bool bottom = ink.at(row + 1, column);
            if (top && bottom) out += "\u2588";  // █
            else if (top) out += "\u2580";       // ▀
            else if (bottom) out += "\u2584";    // ▄
            else out += ' ';
        }
        if (colored) out += kQrResetColors;
    }
    return out;
}

std::string hashes(const Ink &ink) {
    std::string out;
    for (int row = 0; row < ink.rows(); ++row) {
        if (row != 0) out += '\n';
        for (int column = 0; column < ink.columns(); ++column) out += ink.at(row, column) ? "##" : "  ";
    }
    return out;
}

// Solid cells: two spaces per module in the background color, so no glyph's
// shape matters. A color sequence only where the color changes.
std::string colored_spaces(const Ink &ink) {
    std::string out;
    for (int row = 0; row < ink.rows(); ++row) {
        if (row != 0) out += '\n';
        for (int column = 0; column < ink.columns(); ++column) {
            const bool dark = ink.at(row, column);
            if (column == 0 || dark != ink.at(row, column - 1)) out += dark ? kQrWhiteOnBlack : kQrBlackOnWhite;
            out += "  ";
        }
        out += kQrResetColors;
    }
    return out;
}

std::string render(QrMode mode, const QRcode &code) {
    switch (mode) {
    case QrMode::utf8: return half_blocks(pair(mode, code), /*colored=*/false);
    case QrMode::ascii: return hashes(pair(mode, code));
    case QrMode::utf8_color:
        return half_blocks(symbol(code, rows_for(mode, symbol_size(code)), false), /*colored=*/true);
    case QrMode::ascii_color: return colored_spaces(symbol(code, symbol_size(code), false));
    case QrMode::off: break;
    }
    return {};
}

}  // namespace

std::string render_qr(const std::string &text, QrMode mode) noexcept {
    // libqrencode reads a C string: an embedded NUL would silently shorten the code.
    if (mode == QrMode::off || text.empty() || text.find('\0') != std::string::npos) return {};
    try {
        QrCodePtr code = encode(text, QR_ECLEVEL_M);
        if (!code) return {};
        // A pair that level M makes too wide to stand side by side would be
        // stacked, twice as tall: level L keeps URLs up to 78 bytes in version
        // 4, side by side, and still corrects 7% of the code.
        if (!qr_mode_uses_colors(mode) && !pair_fits_side_by_side(mode, *code)) {
            if (QrCodePtr smaller = encode(text, QR_ECLEVEL_L); smaller && pair_fits_side_by_side(mode, *smaller)) {
                code = std::move(smaller);
            }
        }
        return render(mode, *code);
    } catch (const std::bad_alloc &) {
        return {};
    }
}

}  // namespace devflow
