// SPDX-License-Identifier: Apache-2.0
// An oidc provider's optional CreateTokenWithIAM exchange (aws_idc in the
// config): after a verified, bound and authorized OIDC login the id_token
// becomes an IAM Identity Center token of the configured application, signed
// with the host's IAM credentials, and lands in the user's AWS CLI cache.
#pragma once

#include "config/config.hpp"
#include "provider/id_token_exchange.hpp"

#include <memory>

namespace devflow {

// `settings` must outlive the result.
std::unique_ptr<IdTokenExchange> make_aws_idc_exchange(const AwsIdcExchange &settings);

}  // namespace devflow
