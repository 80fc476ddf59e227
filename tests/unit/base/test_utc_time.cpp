// SPDX-License-Identifier: Apache-2.0
// The one gate for times read from the network or from files: epoch seconds
// and milliseconds, and now + a lifetime, only inside what a TimePoint holds.
#include "base/utc_time.hpp"

#include <climits>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;

namespace {

long long seconds_of(TimePoint when) { return std::chrono::floor<Seconds>(when.time_since_epoch()).count(); }

void the_range_is_1970_to_2262(void **) {
    assert_int_equal(kLatestEpochSeconds, 9223372036LL);  // 2262-04-11T23:47:16Z
    assert_true(TimePoint(Seconds(kLatestEpochSeconds)) <= TimePoint::max());
}

void epoch_seconds_inside_the_range_are_kept(void **) {
    for (long long seconds : {0LL, 1700000000LL, kLatestEpochSeconds}) {
        const auto when = time_from_epoch_seconds(seconds);
        assert_true(when.has_value());
        assert_int_equal(seconds_of(*when), seconds);
    }
}

void epoch_seconds_outside_the_range_are_refused(void **) {
    for (long long seconds : {-1LL, LLONG_MIN, kLatestEpochSeconds + 1, 99999999999LL, 253402300799LL, LLONG_MAX}) {
        if (time_from_epoch_seconds(seconds)) fail_msg("accepted %lld s", seconds);
    }
}

void epoch_milliseconds(void **) {
    const auto when = time_from_epoch_milliseconds(1700003600123LL);
    assert_true(when.has_value());
    assert_int_equal(std::chrono::duration_cast<std::chrono::milliseconds>(when->time_since_epoch()).count(),
                     1700003600123LL);
    assert_true(time_from_epoch_milliseconds(0).has_value());
    assert_true(time_from_epoch_milliseconds(kLatestEpochSeconds * 1000).has_value());
    for (long long milliseconds : {-1LL, LLONG_MIN, kLatestEpochSeconds * 1000 + 1, 253402300799999LL, LLONG_MAX}) {
        if (time_from_epoch_milliseconds(milliseconds)) fail_msg("accepted %lld ms", milliseconds);
    }
}

void a_lifetime_is_added_only_when_it_fits(void **) {
    const TimePoint now(Seconds(1700000000));
    const auto later = time_after(now, 3600, Seconds(86400));
    assert_true(later.has_value());
    assert_int_equal(seconds_of(*later), 1700003600LL);
    assert_true(time_after(now, 86400, Seconds(86400)).has_value());
    for (long long seconds : {0LL, -1LL, 86401LL, LLONG_MAX, LLONG_MIN}) {
        if (time_after(now, seconds, Seconds(86400))) fail_msg("accepted a lifetime of %lld s", seconds);
    }
    // A clock at the end of the range (or before 1970) gets no lifetime added.
    assert_false(time_after(TimePoint(Seconds(kLatestEpochSeconds - 10)), 60, Seconds(86400)).has_value());
    assert_false(time_after(TimePoint::max(), 1, Seconds(86400)).has_value());
    assert_false(time_after(TimePoint::min(), 1, Seconds(86400)).has_value());
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_range_is_1970_to_2262),
        cmocka_unit_test(epoch_seconds_inside_the_range_are_kept),
        cmocka_unit_test(epoch_seconds_outside_the_range_are_refused),
        cmocka_unit_test(epoch_milliseconds),
        cmocka_unit_test(a_lifetime_is_added_only_when_it_fits),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
