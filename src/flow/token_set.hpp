// SPDX-License-Identifier: Apache-2.0
// The tokens a successful device flow yields. Secrets wipe themselves.
#pragma once

#include "base/clock.hpp"
#include "base/secret.hpp"

#include <string>

namespace devflow {

struct TokenSet {
    Secret access_token;
    Secret refresh_token;  // may be empty
    Secret id_token;       // may be empty (not for oidc providers: required there)
    std::string token_type;
    std::string scope;
    TimePoint expires_at{};  // when the access token expires
};

}  // namespace devflow
