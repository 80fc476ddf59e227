// SPDX-License-Identifier: Apache-2.0
// The one place that knows the provider kinds: a configured provider becomes
// a Provider (provider/provider.hpp). A new kind is a folder beside oidc/ and
// aws/ plus one operator() here.
#pragma once

#include "config/config.hpp"
#include "provider/provider.hpp"

#include <memory>

namespace devflow {

// `config` and `provider` must outlive the result.
std::unique_ptr<Provider> make_provider(const Config &config, const ProviderConfig &provider);

}  // namespace devflow
