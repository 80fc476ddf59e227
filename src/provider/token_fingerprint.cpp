// SPDX-License-Identifier: Apache-2.0
#include "provider/token_fingerprint.hpp"

#include <openssl/evp.h>

#include <array>

namespace devflow {

std::string token_fingerprint(std::string_view token_id) {
    if (token_id.empty()) return {};
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(token_id.data(), token_id.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 || length < 6)
        return {};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < 6; ++i) {
        text += kHex[digest[i] >> 4];
        text += kHex[digest[i] & 0x0f];
    }
    return text;
}

}  // namespace devflow
