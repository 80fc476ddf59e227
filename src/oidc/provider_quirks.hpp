// SPDX-License-Identifier: Apache-2.0
// What `pam-device-flow check` says it detected about a provider: the big
// IdPs' documented differences from RFC 8628 and OIDC Core that the module
// handles (docs/configuration.md, "What differs between identity providers").
#pragma once

#include "config/config.hpp"
#include "oidc/oidc_discovery.hpp"

#include <string>
#include <vector>

namespace devflow {

// One short sentence per quirk, from the configuration and the discovered
// endpoints alone (no token is needed); empty when none applies.
std::vector<std::string> detected_quirks(const OidcProviderConfig &provider, const OidcEndpoints &endpoints);

}  // namespace devflow
