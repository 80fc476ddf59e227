// SPDX-License-Identifier: Apache-2.0
#include "channel/wire.hpp"

#include "base/secret.hpp"

namespace devflow {

void WireWriter::u32(std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) byte(static_cast<std::uint8_t>(value >> shift));
}

void WireWriter::i64(std::int64_t value) {
    const auto bits = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8) byte(static_cast<std::uint8_t>(bits >> shift));
}

void WireWriter::text(std::string_view value) {
    if (value.size() > UINT32_MAX) throw ChannelError("a text too long to send");
    u32(static_cast<std::uint32_t>(value.size()));
    bytes_.append(value);
}

void WireWriter::texts(const std::vector<std::string> &values) {
    if (values.size() > UINT32_MAX) throw ChannelError("a list too long to send");
    u32(static_cast<std::uint32_t>(values.size()));
    for (const auto &value : values) text(value);
}

WireWriter::~WireWriter() { wipe(bytes_); }

void WireReader::fail(const std::string &problem) const { throw ChannelError(what_ + ": " + problem); }

std::string_view WireReader::take(std::size_t count, const char *field) {
    if (count > bytes_.size() - offset_) {
        fail(std::string("ends inside ") + field + " (" + std::to_string(count) + " bytes wanted, " +
             std::to_string(bytes_.size() - offset_) + " left)");
    }
    std::string_view part = bytes_.substr(offset_, count);
    offset_ += count;
    return part;
}

std::uint8_t WireReader::byte() { return static_cast<std::uint8_t>(take(1, "a byte")[0]); }

bool WireReader::flag() {
    const std::uint8_t value = byte();
    if (value > 1) fail("a flag is " + std::to_string(value) + ", not 0 or 1");
    return value == 1;
}

std::uint32_t WireReader::u32() {
    std::uint32_t value = 0;
    for (char c : take(4, "a number")) value = (value << 8) | static_cast<unsigned char>(c);
    return value;
}

std::int64_t WireReader::i64() {
    std::uint64_t value = 0;
    for (char c : take(8, "a number")) value = (value << 8) | static_cast<unsigned char>(c);
    return static_cast<std::int64_t>(value);
}

std::string WireReader::text(std::size_t max_bytes, const char *field) {
    const std::uint32_t size = u32();
    if (size > max_bytes) {
        fail(std::string(field) + " is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) +
             " allowed");
    }
    return std::string(take(size, field));
}

std::vector<std::string> WireReader::texts(std::size_t max_count, std::size_t max_bytes, const char *field) {
    const std::uint32_t count = u32();
    if (count > max_count) {
        fail(std::string(field) + " has " + std::to_string(count) + " entries, more than the " +
             std::to_string(max_count) + " allowed");
    }
    std::vector<std::string> values;
    values.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) values.push_back(text(max_bytes, field));
    return values;
}

void WireReader::finish() const {
    if (offset_ != bytes_.size()) fail(std::to_string(bytes_.size() - offset_) + " bytes left over");
}

}  // namespace devflow
