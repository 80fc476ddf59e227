// An oidc provider's part of `pam-device-flow check`: its settings as the
// module reads them, then discovery and the JWKS reached over the network.
#pragma once

#include "base/logger.hpp"
#include "config/config.hpp"
#include "net/http_transport.hpp"
#include "provider/provider.hpp"

namespace devflow {

// Reports the settings, and whether the client secret file is usable (only
// root can tell; the secret itself is never shown). Throws Failure when the
// secret file is unsafe or unreadable.
void report_oidc_settings(CheckReport &report, const Config &config, const OidcProviderConfig &provider);

// Throws Failure(unavailable) naming the first thing that is wrong.
void reach_oidc_provider(CheckReport &report, const OidcProviderConfig &provider, HttpTransport &transport,
                         Logger &logger);

}  // namespace devflow
