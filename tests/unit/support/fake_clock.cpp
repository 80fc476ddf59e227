// SPDX-License-Identifier: Apache-2.0
#include "fake_clock.hpp"

namespace devflow {

TimePoint FakeClock::default_start() noexcept { return TimePoint{std::chrono::seconds{1700000000}}; }

FakeClock::FakeClock(TimePoint start) : now_(start) {}

TimePoint FakeClock::now() {
    ++now_calls_;
    return now_;
}

MonotonicTime FakeClock::monotonic_now() {
    ++now_calls_;
    const auto since_epoch = (now_ - wall_step_).time_since_epoch();
    return MonotonicTime{std::chrono::duration_cast<MonotonicTime::duration>(since_epoch)};
}

void FakeClock::sleep_for(Milliseconds duration) {
    sleeps_.push_back(duration);
    if (duration > Milliseconds::zero()) now_ += duration;
    if (hook_) hook_(duration);
}

FakeClock::Milliseconds FakeClock::total_slept() const noexcept {
    Milliseconds total{0};
    for (const auto &sleep : sleeps_) {
        if (sleep > Milliseconds::zero()) total += sleep;
    }
    return total;
}

}  // namespace devflow
