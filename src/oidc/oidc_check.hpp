// SPDX-License-Identifier: Apache-2.0
// An oidc provider's part of `pam-device-flow check`: its settings as the
// module reads them, then discovery and the JWKS reached over the network.
#pragma once

#include "base/logger.hpp"
#include "config/config.hpp"
#include "net/http_transport.hpp"
#include "provider/provider.hpp"

namespace devflow {

// Reports the settings, and whether the client secret or private key file is
// usable (only root can tell; the secret and the key are never shown). Throws
// Failure when such a file is unsafe, unreadable or not a usable key.
void report_oidc_settings(CheckReport &report, const Config &config, const OidcProviderConfig &provider);

// Reports the endpoints, the client authentication method in effect and why,
// and the JWKS. Throws Failure(unavailable) naming the first thing that is wrong.
void reach_oidc_provider(CheckReport &report, const OidcProviderConfig &provider, HttpTransport &transport,
                         Logger &logger);

}  // namespace devflow
