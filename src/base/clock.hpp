// SPDX-License-Identifier: Apache-2.0
// Time, behind an interface: the core never reads the clock or sleeps directly,
// so unit tests run a ten-minute device flow in milliseconds.
#pragma once

#include <chrono>

namespace devflow {

using Seconds = std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;
// For waits and deadlines: it never jumps when the wall clock is set (NTP, an
// admin's `date -s`), so a step during a login neither ends it early nor keeps
// it waiting past max_wait.
using MonotonicTime = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    // The wall clock: for token lifetimes and anything compared with an IdP's time.
    virtual TimePoint now() = 0;
    // The monotonic clock: for how long something waits.
    virtual MonotonicTime monotonic_now() = 0;
    virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The real wall clock, CLOCK_MONOTONIC and nanosleep.
class SystemClock final : public Clock {
public:
    TimePoint now() override;
    MonotonicTime monotonic_now() override;
    void sleep_for(std::chrono::milliseconds duration) override;
};

}  // namespace devflow
