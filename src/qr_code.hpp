// The QR code of verification_uri_complete, drawn as text for the PAM conversation.
#pragma once

#include <string>

#include "config.hpp"

namespace devflow {

// Quiet zone around the code, in modules. Four is the standard's figure; for a
// 60-character URL it keeps the utf8 rendering under 2 KB (tests print the sizes).
inline constexpr int qr_quiet_zone = 4;

// utf8: Unicode half blocks, two module rows per line, light modules drawn as blocks
//       (for light-on-dark terminals, like `qrencode -t UTF8`).
// ascii: "##" per dark module, "  " per light one, one line per module row.
// off:  "".
// Lines are separated by '\n' (no trailing newline) and keep their full width.
// Returns "" when the text cannot be encoded (too long, out of memory); never throws.
std::string render_qr(const std::string &text, QrMode mode) noexcept;

}  // namespace devflow
