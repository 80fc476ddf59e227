// SPDX-License-Identifier: Apache-2.0
// Times read from the network or from files become TimePoints only through
// these functions. A TimePoint counts nanoseconds in a signed 64-bit integer,
// so it ends at 2262-04-11T23:47:16Z; turning a larger number of seconds or
// milliseconds into one is signed overflow: undefined behaviour, which a
// release build turns into a time in the past (an expiry long gone, an age
// that never grows).
#pragma once

#include "base/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace devflow {

// The accepted range, in seconds since 1970-01-01T00:00:00Z: from the epoch to
// the last whole second a TimePoint holds. Nothing we read predates 1970, and
// a time this far ahead still leaves room for the margins added to it.
inline constexpr long long kEarliestEpochSeconds = 0;
inline constexpr long long kLatestEpochSeconds =
    std::chrono::duration_cast<Seconds>(TimePoint::max().time_since_epoch()).count();

// Whole seconds since the epoch (truncated toward zero).
long long epoch_seconds(TimePoint when) noexcept;

// `seconds` after the epoch, or nullopt outside the range above.
std::optional<TimePoint> time_from_epoch_seconds(long long seconds) noexcept;

// `milliseconds` after the epoch (AWS role credentials' expiration), or
// nullopt outside the range above.
std::optional<TimePoint> time_from_epoch_milliseconds(long long milliseconds) noexcept;

// now + `seconds`, for a lifetime read from input (expires_in): nullopt unless
// 0 < seconds <= longest and the result is inside the range above.
std::optional<TimePoint> time_after(TimePoint now, long long seconds, Seconds longest) noexcept;

// "YYYY-MM-DDTHH:MM:SSZ", truncated to the second. Throws Failure(system_error)
// for a time the C library cannot represent.
std::string format_rfc3339_utc(TimePoint when);

// "YYYY-MM-DDTHH:MM:SSZ" exactly (what format_rfc3339_utc writes), else
// nullopt; also nullopt before 1970 or after what TimePoint holds (2262).
std::optional<TimePoint> parse_rfc3339_utc(std::string_view text);

}  // namespace devflow
