// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_sso_check.hpp"

namespace devflow {
namespace {

// Only reachability: a GET of the endpoint's root proves DNS, TCP, TLS (with
// verification) and an HTTP answer.
void reach_endpoint(CheckReport &report, const char *label, const std::string &endpoint, HttpTransport &transport) {
    HttpRequest request;
    request.url = endpoint + "/";
    HttpResponse response = transport.send(request);
    report.row(label, "reachable: GET " + request.url + " answered HTTP " + std::to_string(response.status) +
                          " (TLS and HTTP only; no API call)");
}

}  // namespace

void report_aws_sso_settings(CheckReport &report, const Config &config, const AwsSsoProviderConfig &provider) {
    const AwsSsoSettings &aws = provider.aws;
    report.row("start_url", aws.start_url);
    report.row("region", aws.region);
    report.row("sso_session", aws.sso_session);
    report.row("account_id", aws.account_id);
    report.row("role_name", aws.role_name);
    report.row("oidc_endpoint", aws.oidc_endpoint);
    report.row("portal_endpoint", aws.portal_endpoint);
    report.row("sts_endpoint", aws.sts_endpoint);
    report.row("write_aws_config", aws.write_aws_config ? "yes" : "no");
    report.row("username_domain", aws.username_domain.empty() ? "(none)" : aws.username_domain);
    report.row("user_map_file", provider.user_map_file.empty() ? "(none)" : provider.user_map_file);
    report.row("reuse_window", std::to_string(config.reuse_window_for(provider)) + " s");
}

void reach_aws_sso_endpoints(CheckReport &report, const AwsSsoSettings &aws, HttpTransport &transport) {
    reach_endpoint(report, "sso-oidc", aws.oidc_endpoint, transport);
    reach_endpoint(report, "portal", aws.portal_endpoint, transport);
    reach_endpoint(report, "sts", aws.sts_endpoint, transport);
}

}  // namespace devflow
