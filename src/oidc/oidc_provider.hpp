// SPDX-License-Identifier: Apache-2.0
// An OpenID Connect provider (type = "oidc") behind the Provider seam: the
// device flow and id_token verification (oidc_login.hpp), binding through the
// username claim or user map (account/identity.hpp), the claims policy
// (policy.hpp), our own token cache (oidc_token_cache.hpp), step-up reuse
// (oidc_approval_reuse.hpp), and the check and token commands' parts
// (oidc_check.hpp, oidc_access_token.hpp).
#pragma once

#include "config/config.hpp"
#include "provider/id_token_exchange.hpp"
#include "provider/provider.hpp"

#include <memory>

namespace devflow {

// `exchange` (may be null) runs after each fresh login's cache is written.
// `config` and `provider` must outlive the result.
std::unique_ptr<Provider> make_oidc_provider(const Config &config, const OidcProviderConfig &provider,
                                             std::unique_ptr<IdTokenExchange> exchange);

}  // namespace devflow
