// SPDX-License-Identifier: Apache-2.0
#include "base/failure.hpp"

namespace devflow {

const char *outcome_name(Outcome outcome) noexcept {
    switch (outcome) {
    case Outcome::success: return "success";
    case Outcome::denied: return "denied";
    case Outcome::unavailable: return "unavailable";
    case Outcome::config_error: return "config_error";
    case Outcome::system_error: return "system_error";
    case Outcome::refused: return "refused";
    }
    return "unknown";
}

}  // namespace devflow
