// SPDX-License-Identifier: Apache-2.0
#include "base/logger.hpp"

#include "base/failure.hpp"

namespace devflow {

bool warn_if_fails(Logger &logger, const std::string &what_failed, const std::function<void()> &work) {
    try {
        work();
        return true;
    } catch (const Failure &failure) {
        logger.warning(what_failed + ": " + failure.what());
        return false;
    }
}

}  // namespace devflow
