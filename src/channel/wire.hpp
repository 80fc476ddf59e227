// SPDX-License-Identifier: Apache-2.0
// The encoding of the messages between the module and its helper process: a
// few fixed types, written in a fixed order per message, with nothing
// self-describing to parse. Integers are big-endian; a text is a 32-bit
// length and its bytes; a list a 32-bit count and its texts. WireReader
// checks every length against the caller's cap and the bytes left before it
// reads, and refuses a message with bytes left over: a malformed or
// oversized message is a ChannelError, never a partial value.
#pragma once

#include "base/failure.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace devflow {

// The other process broke the protocol (or went away): the login is
// unavailable. Its what() names what was wrong, for the log line.
class ChannelError : public Failure {
public:
    explicit ChannelError(const std::string &what) : Failure(Outcome::unavailable, what) {}
};

class WireWriter {
public:
    void byte(std::uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
    void flag(bool value) { byte(value ? 1 : 0); }
    void u32(std::uint32_t value);
    void i64(std::int64_t value);
    void text(std::string_view value);
    void texts(const std::vector<std::string> &values);

    // The encoded bytes; the writer is empty afterwards.
    std::string take() { return std::move(bytes_); }
    // Wipes what was written (secrets), for a writer whose bytes are dropped.
    ~WireWriter();

private:
    std::string bytes_;
};

class WireReader {
public:
    // `what` names the message in errors ("the start message").
    WireReader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

    std::uint8_t byte();
    bool flag();  // 0 or 1, anything else is an error
    std::uint32_t u32();
    std::int64_t i64();
    // At most `max_bytes`; `field` names it in errors.
    std::string text(std::size_t max_bytes, const char *field);
    // At most `max_count` texts of at most `max_bytes` each.
    std::vector<std::string> texts(std::size_t max_count, std::size_t max_bytes, const char *field);

    // Throws unless every byte was read.
    void finish() const;
    [[noreturn]] void fail(const std::string &problem) const;

private:
    std::string_view take(std::size_t count, const char *field);

    std::string_view bytes_;
    std::size_t offset_ = 0;
    std::string what_;
};

}  // namespace devflow
