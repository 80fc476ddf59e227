// SPDX-License-Identifier: Apache-2.0
// The admin's rules about who may log in, checked on verified claims after the
// identity is bound: allowed groups, accepted acr values, required amr values.
#pragma once

#include "base/json.hpp"
#include "config/config.hpp"

#include <string>
#include <vector>

namespace devflow {

// Throws Failure(refused) with a precise log line and a short message for the
// person when a configured rule is not met. Rules left empty are not checked.
void enforce_policy(const Json &claims, const OidcProviderConfig &provider);

// The claims map_identity, enforce_policy and the login's log line read:
// username_claim, groups_claim, acr, amr, sub, the groups overage markers
// (_claim_names, hasgroups), hd and email_verified. Only these cross from the
// helper process to the module.
std::vector<std::string> policy_claim_names(const OidcProviderConfig &provider);

}  // namespace devflow
