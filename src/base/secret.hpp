// SPDX-License-Identifier: Apache-2.0
// A string that holds a token, device code or client secret. Move-only, and its
// bytes are wiped with explicit_bzero when it dies, so secrets do not linger in
// the host process (sshd, sudo) after the login.
#pragma once

#include <string>
#include <string_view>

namespace devflow {

void wipe(std::string &text) noexcept;
void wipe(void *data, std::size_t size) noexcept;

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(const Secret &) = delete;
    Secret &operator=(const Secret &) = delete;
    Secret(Secret &&other) noexcept : value_(std::move(other.value_)) { wipe(other.value_); }
    Secret &operator=(Secret &&other) noexcept {
        if (this != &other) {
            wipe(value_);
            value_ = std::move(other.value_);
            wipe(other.value_);
        }
        return *this;
    }
    ~Secret() { wipe(value_); }

    const std::string &reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }
    Secret copy() const { return Secret(value_); }

private:
    std::string value_;
};

// Calls `wipe_value` on a value that held secrets however the scope ends,
// exceptions included. Declare it right after the value exists.
template <typename Value, void (*wipe_value)(Value &) noexcept>
class ScopedWipe {
public:
    explicit ScopedWipe(Value &value) noexcept : value_(value) {}
    ScopedWipe(const ScopedWipe &) = delete;
    ScopedWipe &operator=(const ScopedWipe &) = delete;
    ~ScopedWipe() { wipe_value(value_); }

private:
    Value &value_;
};

// Wipes a buffer that held secrets (a serialized cache, say).
using WipeOnExit = ScopedWipe<std::string, wipe>;

}  // namespace devflow
