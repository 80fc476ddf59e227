// SPDX-License-Identifier: Apache-2.0
// An AWS IAM Identity Center provider (type = "aws-sso") behind the Provider
// seam: the device flow against sso-oidc and AWS's own word on who approved
// (aws_sso_login.hpp), binding through the STS session name
// (account/identity.hpp), the user's AWS CLI cache and config
// (aws_cli_cache.hpp), step-up reuse (aws_approval_reuse.hpp), and the check
// and token commands' parts (aws_sso_check.hpp, aws_sso_access_token.hpp).
#pragma once

#include "config/config.hpp"
#include "provider/provider.hpp"

#include <memory>

namespace devflow {

// `config` and `provider` must outlive the result.
std::unique_ptr<Provider> make_aws_sso_provider(const Config &config, const AwsSsoProviderConfig &provider);

}  // namespace devflow
