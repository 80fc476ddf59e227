// SPDX-License-Identifier: Apache-2.0
// A step after an OIDC login that trades the verified id_token for a token
// the user's other tools need: today AWS IAM Identity Center's
// CreateTokenWithIAM (aws/aws_idc_exchange.hpp). The OIDC provider runs it
// after writing its own cache, without knowing what is behind it; the
// provider construction (login/providers.cpp) plugs it in when configured.
#pragma once

#include "base/secret.hpp"
#include "provider/provider.hpp"

namespace devflow {

class IdTokenExchange {
public:
    virtual ~IdTokenExchange() = default;

    // Exchanges `id_token` (verified, bound and authorized) and hands the
    // result to context.privileged for the user's cache. Never fails the
    // login: a failure is a warning.
    virtual void exchange(const Secret &id_token, LoginContext &context) const = 0;
};

}  // namespace devflow
