#include "time_range.hpp"

namespace devflow {

std::optional<TimePoint> time_from_epoch_seconds(long long seconds) noexcept {
    if (seconds < earliest_epoch_seconds || seconds > latest_epoch_seconds) return std::nullopt;
    return TimePoint(Seconds(seconds));
}

std::optional<TimePoint> time_from_epoch_milliseconds(long long milliseconds) noexcept {
    if (milliseconds < earliest_epoch_seconds * 1000 || milliseconds > latest_epoch_seconds * 1000) {
        return std::nullopt;
    }
    return TimePoint(std::chrono::milliseconds(milliseconds));
}

std::optional<TimePoint> time_after(TimePoint now, long long seconds, Seconds longest) noexcept {
    if (seconds <= 0 || seconds > longest.count()) return std::nullopt;
    const long long start = std::chrono::floor<Seconds>(now.time_since_epoch()).count();
    // Strictly below the bound: now's fraction of a second comes on top.
    if (start < earliest_epoch_seconds || start >= latest_epoch_seconds - seconds) return std::nullopt;
    return now + Seconds(seconds);
}

}  // namespace devflow
