// SPDX-License-Identifier: Apache-2.0
// Runs code that must throw devflow::Failure and hands the failure back for
// the test to check; anything else (no throw, another exception) fails the test.
#pragma once

#include "base/failure.hpp"

#include <exception>
#include <string>

#include "cmocka_cpp.hpp"

namespace devflow::test {

struct CaughtFailure {
    Outcome outcome;
    std::string message;
};

template <typename Code>
CaughtFailure expect_failure(Code &&code) {
    try {
        code();
    } catch (const Failure &failure) {
        return CaughtFailure{failure.outcome(), failure.what()};
    } catch (const std::exception &other) {
        fail_msg("expected devflow::Failure, got std::exception: %s", other.what());
    }
    fail_msg("expected devflow::Failure, nothing was thrown");
    return {};  // not reached: fail_msg longjmps
}

}  // namespace devflow::test
