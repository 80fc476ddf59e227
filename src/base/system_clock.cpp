// SPDX-License-Identifier: Apache-2.0
#include "base/clock.hpp"

#include <cerrno>
#include <ctime>

namespace devflow {

TimePoint SystemClock::now() { return std::chrono::system_clock::now(); }

MonotonicTime SystemClock::monotonic_now() { return std::chrono::steady_clock::now(); }

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
    if (duration.count() <= 0) return;
    timespec request{};
    request.tv_sec = static_cast<time_t>(duration.count() / 1000);
    request.tv_nsec = static_cast<long>((duration.count() % 1000) * 1000000L);
    timespec remaining{};
    // A signal in the host may interrupt us; finish the wait.
    while (nanosleep(&request, &remaining) == -1 && errno == EINTR) {
        request = remaining;
    }
}

}  // namespace devflow
