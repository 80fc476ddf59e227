// Times read from the network or from files become TimePoints only through
// these functions. A TimePoint counts nanoseconds in a signed 64-bit integer,
// so it ends at 2262-04-11T23:47:16Z; turning a larger number of seconds or
// milliseconds into one is signed overflow: undefined behaviour, which a
// release build turns into a time in the past (an expiry long gone, an age
// that never grows).
#pragma once

#include "clock.hpp"

#include <optional>

namespace devflow {

// The accepted range, in seconds since 1970-01-01T00:00:00Z: from the epoch to
// the last whole second a TimePoint holds. Nothing we read predates 1970, and
// a time this far ahead still leaves room for the margins added to it.
inline constexpr long long earliest_epoch_seconds = 0;
inline constexpr long long latest_epoch_seconds =
    std::chrono::duration_cast<Seconds>(TimePoint::max().time_since_epoch()).count();

// `seconds` after the epoch, or nullopt outside the range above.
std::optional<TimePoint> time_from_epoch_seconds(long long seconds) noexcept;

// `milliseconds` after the epoch (AWS role credentials' expiration), or
// nullopt outside the range above.
std::optional<TimePoint> time_from_epoch_milliseconds(long long milliseconds) noexcept;

// now + `seconds`, for a lifetime read from input (expires_in): nullopt unless
// 0 < seconds <= longest and the result is inside the range above.
std::optional<TimePoint> time_after(TimePoint now, long long seconds, Seconds longest) noexcept;

}  // namespace devflow
