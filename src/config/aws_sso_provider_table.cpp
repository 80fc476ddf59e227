// SPDX-License-Identifier: Apache-2.0
// An aws-sso provider's table: AWS IAM Identity Center, the account and role
// whose credentials prove who approved, and how the user's AWS CLI is fed.
#include "config/config_tables.hpp"

#include "config/aws_endpoints.hpp"
#include "config/validators.hpp"

namespace devflow {
namespace {

// One key a row, each with how it is read.
// clang-format off
constexpr KeyReader<AwsSsoProviderConfig> kAwsSsoReaders[] = {
    {"type", nullptr},  // read first: the type decides which keys are allowed
    {"start_url", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws.start_url = in.read_url(v, k, is_https_url, "an https:// URL");
     }},
    {"region", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws.region = in.read_checked(v, k, is_aws_region, kAwsRegionDescribed);
     }},
    {"sso_session", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws.sso_session = in.read_checked(v, k, is_sso_session_name, kSsoSessionDescribed);
     }},
    {"account_id", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws.account_id = in.read_checked(v, k, is_aws_account_id, "a 12-digit AWS account ID");
     }},
    {"role_name", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws.role_name = in.read_checked(v, k, is_iam_name,
                                           "an IAM role name: letters, digits and \"_+=,.@-\" (at most 64)");
     }},
    {"oidc_endpoint", [](auto &in, auto &v, auto &k, auto &p) { p.aws.oidc_endpoint = in.read_endpoint(v, k); }},
    {"portal_endpoint", [](auto &in, auto &v, auto &k, auto &p) { p.aws.portal_endpoint = in.read_endpoint(v, k); }},
    {"sts_endpoint", [](auto &in, auto &v, auto &k, auto &p) { p.aws.sts_endpoint = in.read_endpoint(v, k); }},
    {"write_aws_config", [](auto &in, auto &v, auto &k, auto &p) { p.aws.write_aws_config = in.read_bool(v, k); }},
    {"user_map_file", [](auto &in, auto &v, auto &k, auto &p) { p.user_map_file = in.read_absolute_path(v, k); }},
    {"username_domain", [](auto &in, auto &v, auto &k, auto &p) {
         p.aws.username_domain = lower_case(
             in.read_checked(v, k, is_domain_name, "a domain name such as \"example.com\" (without \"@\")"));
     }},
    {"reuse_window", [](auto &in, auto &v, auto &k, auto &p) {
         p.reuse_window = in.read_seconds(v, k, kReuseWindowMin, kReuseWindowMax);
     }},
};
// clang-format on

}  // namespace

std::span<const KeyReader<AwsSsoProviderConfig>> aws_sso_provider_readers() { return kAwsSsoReaders; }

void finish_aws_sso_provider(const TomlValues &values, const toml::table &table, const std::string &section,
                             AwsSsoProviderConfig &provider) {
    require_key(values, table, section, "start_url", "the AWS access portal URL");
    require_key(values, table, section, "region", "the IAM Identity Center region");
    require_key(values, table, section, "sso_session", "the AWS CLI sso-session name");
    require_key(values, table, section, "account_id", "the AWS account whose role proves the identity");
    require_key(values, table, section, "role_name", "the role to read in that account");
    AwsSsoSettings &aws = provider.aws;
    const AwsEndpoints regional = default_aws_endpoints(aws.region);
    if (aws.oidc_endpoint.empty()) aws.oidc_endpoint = regional.oidc;
    if (aws.portal_endpoint.empty()) aws.portal_endpoint = regional.portal;
    if (aws.sts_endpoint.empty()) aws.sts_endpoint = regional.sts;
}

}  // namespace devflow
