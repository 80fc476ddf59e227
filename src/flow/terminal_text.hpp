// SPDX-License-Identifier: Apache-2.0
// Text from the IdP (user_code, verification URLs) is shown on the user's terminal.
// A hostile IdP must not be able to move the cursor, clear the screen, set the
// window title, plant hyperlinks, reorder what the user reads, or make one code
// or URL look like another with characters that show nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace devflow {

// Keeps printable ASCII and valid printable UTF-8. Drops C0 controls (with whole
// ESC/CSI/OSC/DCS sequences), DEL, C1 controls (with the sequences they introduce),
// bidi embedding/override/isolate characters (U+202A-U+202E, U+2066-U+2069),
// direction marks (U+200E, U+200F, U+061C), line and paragraph separators
// (U+2028, U+2029) and invisible format characters: zero width space (U+200B),
// U+2060-U+206F, U+FEFF, U+00AD, U+034F, U+180E, U+FFF9-U+FFFB, the Hangul
// fillers and Khmer inherent vowels, and U+E0000-U+E0FFF (tags) except the
// variation selectors there. ZWNJ, ZWJ and variation selectors are kept (emoji,
// Persian and Indic text need them; they only pick a glyph). Replaces invalid
// UTF-8 with '?'. The result is at most max_bytes long and never ends inside a
// UTF-8 sequence.
std::string sanitize_for_terminal(std::string_view untrusted, std::size_t max_bytes);

// The only escape sequences that may reach a terminal, and only in text shown
// by a login whose QR mode draws with colors (qr_code.hpp): black on white,
// white on black, and back to the terminal's own colors. Each sets both
// colors to a readable pair, so whatever they wrap stays visible on any theme;
// none moves the cursor or changes anything but color.
inline constexpr std::string_view kQrBlackOnWhite = "\x1b[30;47m";
inline constexpr std::string_view kQrWhiteOnBlack = "\x1b[37;40m";
inline constexpr std::string_view kQrResetColors = "\x1b[0m";

// What sanitize_lines_for_terminal lets through besides text: nothing, or
// exactly the three sequences above (each byte for byte; any other escape
// sequence, a longer one that starts like them included, is dropped whole).
enum class TerminalColors { none, qr_colors };

// Multi-line text (the login message, a prompt): each line through
// sanitize_for_terminal, the newlines between them kept. The conversations
// pass everything through it, whatever the call site already did.
std::string sanitize_lines_for_terminal(std::string_view text, TerminalColors colors = TerminalColors::none);

}  // namespace devflow
