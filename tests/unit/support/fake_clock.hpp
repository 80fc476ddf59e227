// SPDX-License-Identifier: Apache-2.0
// A Clock for tests: time stands still until the test (or the code under test,
// through sleep_for) moves it. Every sleep is recorded so tests can assert the
// exact waits, e.g. the device flow's polling intervals.
#pragma once

#include "base/clock.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

namespace devflow {

class FakeClock : public Clock {
public:
    using Milliseconds = std::chrono::milliseconds;
    // Called after each sleep_for has advanced the time, with the requested
    // duration: lets a test change the world while the code "sleeps".
    using SleepHook = std::function<void(Milliseconds)>;

    // 2023-11-14T22:13:20Z (epoch 1700000000) unless told otherwise.
    static TimePoint default_start() noexcept;

    explicit FakeClock(TimePoint start = default_start());

    TimePoint now() override;
    // The fake wall time seen as a monotonic clock: both move together here,
    // unless a test steps the wall clock alone with step_wall_clock.
    MonotonicTime monotonic_now() override;
    // Records `duration` and advances the time by it (negative requests are
    // recorded but do not move time backwards, as a real sleep would not).
    void sleep_for(Milliseconds duration) override;

    void set_now(TimePoint when) noexcept { now_ = when; }
    void advance(Milliseconds duration) noexcept { now_ += duration; }
    // Sets the wall clock forwards or back without time passing, as NTP or
    // `date -s` would: monotonic_now() does not move.
    void step_wall_clock(std::chrono::seconds step) noexcept {
        now_ += step;
        wall_step_ += step;
    }
    void on_sleep(SleepHook hook) { hook_ = std::move(hook); }

    const std::vector<Milliseconds> &sleeps() const noexcept { return sleeps_; }
    Milliseconds total_slept() const noexcept;
    void clear_sleeps() noexcept { sleeps_.clear(); }
    std::size_t now_calls() const noexcept { return now_calls_; }

private:
    TimePoint now_;
    std::chrono::seconds wall_step_{0};  // the sum of step_wall_clock's steps
    std::vector<Milliseconds> sleeps_;
    SleepHook hook_;
    std::size_t now_calls_ = 0;
};

}  // namespace devflow
