// SPDX-License-Identifier: Apache-2.0
// Time, behind an interface: the core never reads the clock or sleeps directly,
// so unit tests run a ten-minute device flow in milliseconds.
#pragma once

#include <chrono>

namespace devflow {

using Seconds = std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() = 0;
    virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The real wall clock and nanosleep.
class SystemClock final : public Clock {
public:
    TimePoint now() override;
    void sleep_for(std::chrono::milliseconds duration) override;
};

}  // namespace devflow
