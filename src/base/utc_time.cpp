// SPDX-License-Identifier: Apache-2.0
#include "base/utc_time.hpp"

#include "base/failure.hpp"

#include <array>
#include <cctype>
#include <ctime>

namespace devflow {
namespace {

int digits(std::string_view text, std::size_t at, std::size_t count) {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

long long epoch_seconds(TimePoint when) noexcept {
    return std::chrono::duration_cast<Seconds>(when.time_since_epoch()).count();
}

std::optional<TimePoint> time_from_epoch_seconds(long long seconds) noexcept {
    if (seconds < kEarliestEpochSeconds || seconds > kLatestEpochSeconds) return std::nullopt;
    return TimePoint(Seconds(seconds));
}

std::optional<TimePoint> time_from_epoch_milliseconds(long long milliseconds) noexcept {
    if (milliseconds < kEarliestEpochSeconds * 1000 || milliseconds > kLatestEpochSeconds * 1000) {
        return std::nullopt;
    }
    return TimePoint(std::chrono::milliseconds(milliseconds));
}

std::optional<TimePoint> time_after(TimePoint now, long long seconds, Seconds longest) noexcept {
    if (seconds <= 0 || seconds > longest.count()) return std::nullopt;
    const long long start = std::chrono::floor<Seconds>(now.time_since_epoch()).count();
    // Strictly below the bound: now's fraction of a second comes on top.
    if (start < kEarliestEpochSeconds || start >= kLatestEpochSeconds - seconds) return std::nullopt;
    return now + Seconds(seconds);
}

std::string format_rfc3339_utc(TimePoint when) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(when.time_since_epoch()).count();
    const auto time = static_cast<std::time_t>(seconds);
    std::tm parts{};
    if (::gmtime_r(&time, &parts) == nullptr) fail_system("cannot convert a time to UTC");
    std::array<char, 64> buffer{};
    const std::size_t length = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
    if (length == 0) fail_system("cannot format a time as RFC 3339");
    return std::string(buffer.data(), length);
}

std::optional<TimePoint> parse_rfc3339_utc(std::string_view text) {
    static constexpr std::string_view kPattern = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != kPattern.size()) return std::nullopt;
    for (std::size_t i = 0; i < kPattern.size(); ++i) {
        const bool ok =
            kPattern[i] == 'd' ? std::isdigit(static_cast<unsigned char>(text[i])) != 0 : text[i] == kPattern[i];
        if (!ok) return std::nullopt;
    }
    std::tm parts{};
    parts.tm_year = digits(text, 0, 4) - 1900;
    parts.tm_mon = digits(text, 5, 2) - 1;
    parts.tm_mday = digits(text, 8, 2);
    parts.tm_hour = digits(text, 11, 2);
    parts.tm_min = digits(text, 14, 2);
    parts.tm_sec = digits(text, 17, 2);
    if (parts.tm_mon > 11 || parts.tm_mday < 1 || parts.tm_mday > 31 || parts.tm_hour > 23 || parts.tm_min > 59 ||
        parts.tm_sec > 60) {
        return std::nullopt;
    }
    const std::time_t seconds = ::timegm(&parts);
    if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
    // TimePoint counts nanoseconds: past the year 2262 it would wrap around.
    return time_from_epoch_seconds(seconds);
}

}  // namespace devflow
