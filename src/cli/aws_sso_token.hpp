// `pam-device-flow token` for an aws-sso provider: the access token from the
// caller's AWS CLI cache (~/.aws/sso/cache), refreshed first under the cache's
// own client registration when it is about to expire, and the cache rewritten.
#pragma once

#include "config/config.hpp"

namespace devflow::cli {

// Prints the token on stdout; returns the exit status (cli.hpp).
int run_aws_sso_token(const Config &config, const ProviderConfig &provider, bool debug);

}  // namespace devflow::cli
