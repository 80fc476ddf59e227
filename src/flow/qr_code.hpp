// The QR code of verification_uri_complete, drawn as text for the PAM conversation.
#pragma once

#include <string>

namespace devflow {

// How the code is drawn (config key `qr`).
enum class QrMode { utf8, ascii, off };

// Quiet zone around the code, in modules. The standard asks for 4, but measured
// for a 60-character URL (version 4, level M) the utf8 rendering is 1879 bytes with
// 2, 2109 with 3 and 2355 with 4; only 2 keeps the code under 2 KB, the size known
// to pass through ssh and sudo intact. Phone scanners read a 2-module zone fine,
// and the terminal's own margin adds to it. test_qr_code prints the figures.
inline constexpr int kQrQuietZone = 2;

// utf8: Unicode half blocks, two module rows per line, light modules drawn as blocks
//       (for light-on-dark terminals, like `qrencode -t UTF8`).
// ascii: "##" per dark module, "  " per light one, one line per module row.
// off:  "".
// Lines are separated by '\n' (no trailing newline) and keep their full width.
// Returns "" when the text cannot be encoded (too long, out of memory); never throws.
std::string render_qr(const std::string &text, QrMode mode) noexcept;

}  // namespace devflow
