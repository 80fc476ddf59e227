// SPDX-License-Identifier: Apache-2.0
// base64url (RFC 4648 section 5), the encoding of every part of a JWS and of
// the numbers in a JWK. The decoder is strict because its input is untrusted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace devflow {

// Decodes base64url text. Padding is optional, but when present it must be
// exactly what the length requires. Returns nullopt for characters outside the
// base64url alphabet (including '+', '/' and whitespace), for a length no
// encoding can have, and for non-zero unused bits in the last character (so
// each byte string has exactly one accepted unpadded encoding).
std::optional<std::string> base64url_decode(std::string_view text);

// Encodes bytes as base64url without padding, as JWS (RFC 7515) requires.
std::string base64url_encode(std::string_view bytes);

}  // namespace devflow
