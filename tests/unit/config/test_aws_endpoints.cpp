// SPDX-License-Identifier: Apache-2.0
// default_aws_endpoints: AWS's regional hosts, what an aws-sso provider and
// an oidc provider's IAM Identity Center exchange talk to unless configured.
#include "config/aws_endpoints.hpp"

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;

namespace {

void default_endpoints_are_regional(void **) {
    const AwsEndpoints regional = default_aws_endpoints("eu-west-1");
    assert_string_equal(regional.oidc.c_str(), "https://oidc.eu-west-1.amazonaws.com");
    assert_string_equal(regional.portal.c_str(), "https://portal.sso.eu-west-1.amazonaws.com");
    assert_string_equal(regional.sts.c_str(), "https://sts.eu-west-1.amazonaws.com");
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(default_endpoints_are_regional),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
