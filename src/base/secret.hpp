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

// Wipes a buffer that held secrets (a serialized cache, say) however the
// scope ends, exceptions included.
class WipeOnExit {
public:
    explicit WipeOnExit(std::string &text) noexcept : text_(text) {}
    WipeOnExit(const WipeOnExit &) = delete;
    WipeOnExit &operator=(const WipeOnExit &) = delete;
    ~WipeOnExit() { wipe(text_); }

private:
    std::string &text_;
};

}  // namespace devflow
