// SPDX-License-Identifier: Apache-2.0
#include "base/base64url.hpp"

#include <array>
#include <cstdint>

namespace devflow {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr int kInvalid = -1;

constexpr std::array<int, 256> make_decode_table() {
    std::array<int, 256> table{};
    for (auto &entry : table) {
        entry = kInvalid;
    }
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    }
    return table;
}

constexpr std::array<int, 256> decode_table = make_decode_table();

// Strips correct padding; returns nullopt when padding is present but wrong.
std::optional<std::string_view> strip_padding(std::string_view text) {
    const auto first_pad = text.find('=');
    if (first_pad == std::string_view::npos) {
        return text;
    }
    const std::string_view data = text.substr(0, first_pad);
    const std::string_view padding = text.substr(first_pad);
    if (padding.find_first_not_of('=') != std::string_view::npos) {
        return std::nullopt;  // '=' in the middle
    }
    // Padded input is a whole number of quads: two data characters take "==",
    // three take "=".
    const std::size_t remainder = data.size() % 4;
    const bool valid =
        text.size() % 4 == 0 && ((remainder == 2 && padding.size() == 2) || (remainder == 3 && padding.size() == 1));
    if (!valid) {
        return std::nullopt;
    }
    return data;
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
    const auto stripped = strip_padding(text);
    if (!stripped) {
        return std::nullopt;
    }
    const std::string_view data = *stripped;
    if (data.size() % 4 == 1) {
        return std::nullopt;  // six bits cannot make a byte
    }

    std::string out;
    out.reserve(data.size() / 4 * 3 + 2);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : data) {
        const int value = decode_table[static_cast<unsigned char>(c)];
        if (value == kInvalid) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xffU));
        }
    }
    // Leftover bits must be zero, or two texts would decode to the same bytes.
    if ((buffer & ((1U << bits) - 1U)) != 0) {
        return std::nullopt;
    }
    return out;
}

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(buffer >> bits) & 0x3fU]);
        }
    }
    if (bits > 0) {
        out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3fU]);
    }
    return out;
}

}  // namespace devflow
