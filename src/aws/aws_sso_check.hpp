// SPDX-License-Identifier: Apache-2.0
// An aws-sso provider's part of `pam-device-flow check`: its settings as the
// module reads them, then each AWS endpoint reached (TLS and HTTP only; no
// AWS API is called and nothing is registered).
#pragma once

#include "config/config.hpp"
#include "net/http_transport.hpp"
#include "provider/provider.hpp"

namespace devflow {

void report_aws_sso_settings(CheckReport &report, const Config &config, const AwsSsoProviderConfig &provider);

// Throws Failure(unavailable) for the first endpoint that does not answer.
void reach_aws_sso_endpoints(CheckReport &report, const AwsSsoSettings &aws, HttpTransport &transport);

}  // namespace devflow
