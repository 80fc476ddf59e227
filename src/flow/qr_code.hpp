// SPDX-License-Identifier: Apache-2.0
// The QR code of verification_uri_complete, drawn as text for the PAM conversation.
#pragma once

#include <string>

namespace devflow {

// How the code is drawn (config key `qr`). The values are the order of the
// module–helper protocol's qr override: new modes go at the end.
enum class QrMode { utf8, ascii, off, utf8_color, ascii_color };
inline constexpr QrMode kLastQrMode = QrMode::ascii_color;

// Whether the mode draws with colors: the SGR sequences of terminal_text.hpp,
// which only such a login lets through to the terminal. Inline: the module
// asks it, and must not link libqrencode (qr_code.cpp) to do so.
constexpr bool qr_mode_uses_colors(QrMode mode) noexcept {
    return mode == QrMode::utf8_color || mode == QrMode::ascii_color;
}

// Quiet zone around the code, in modules. The standard asks for 4; phone
// scanners read a 2-module zone fine, and 2 is what lets the utf8 pair of a
// 60-character URL fit 80 columns (2 x 37) and 19 lines.
inline constexpr int kQrQuietZone = 2;

// The width the pair of codes must fit side by side; wider, they are stacked.
inline constexpr int kQrMaxColumns = 80;

// A terminal shows text in its foreground color on its background color, and
// which of the two is dark depends on its theme. Scanners want dark modules on
// a light background, and many reject the inverted code. Without colors no one
// drawing is right on both themes, so the modes without colors draw the code
// twice:
//   first, dark modules drawn, for light themes (dark text on light);
//   second, light modules and the quiet zone drawn, for dark themes;
// side by side when they fit kQrMaxColumns, else the first above the second.
// On either theme one of the two is dark on light; the other is an inverted
// code that scanners pass over (or read as the same link).
//
// utf8:        the pair in Unicode half blocks, two module rows per line.
// ascii:       the pair in "##" per drawn module, one line per module row
//              (terminals or ssh clients without UTF-8; tall: stacked).
// utf8_color:  one code in half blocks, black on white (kQrBlackOnWhite), so
//              dark on light whatever the theme. Only where escape sequences
//              reach the terminal (sudo, su, the console): the OpenSSH client
//              prints them as text during authentication.
// ascii_color: one code of two spaces per module, white on black
//              (kQrWhiteOnBlack) for dark modules, black on white for light:
//              solid cells, whatever the font.
// off:         "".
// Every color line ends in kQrResetColors. Lines are separated by '\n' (no
// trailing newline) and keep their full width. Returns "" when the text cannot
// be encoded (too long, out of memory); never throws.
std::string render_qr(const std::string &text, QrMode mode) noexcept;

}  // namespace devflow
