// SPDX-License-Identifier: Apache-2.0
// The three AWS IAM Identity Center services an aws-sso provider talks to.
// Config may override each (a loopback fake, a FIPS or VPC endpoint); these
// are AWS's regional hosts otherwise. The one place those URLs are built: the
// configuration fills in its defaults with them, and aws/ may use config/.
#pragma once

#include <string>

namespace devflow {

struct AwsEndpoints {
    std::string oidc;    // sso-oidc: client registration, device flow, tokens
    std::string portal;  // SSO portal: role credentials
    std::string sts;     // STS: GetCallerIdentity
};

// https://oidc.REGION.amazonaws.com, https://portal.sso.REGION.amazonaws.com,
// https://sts.REGION.amazonaws.com. `region` must already be validated.
inline AwsEndpoints default_aws_endpoints(const std::string &region) {
    return AwsEndpoints{"https://oidc." + region + ".amazonaws.com", "https://portal.sso." + region + ".amazonaws.com",
                        "https://sts." + region + ".amazonaws.com"};
}

}  // namespace devflow
