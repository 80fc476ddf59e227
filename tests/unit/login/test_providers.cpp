// SPDX-License-Identifier: Apache-2.0
// The provider construction: each configured kind becomes its Provider, and
// what the Provider says about itself comes from that kind's settings only.
#include "account/user_account.hpp"
#include "config/config.hpp"
#include "login/providers.hpp"

#include <string>
#include <utility>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

namespace {

const std::string kConfig =
    "[providers.corp]\n"
    "issuer = \"https://login.example.com\"\n"
    "client_id = \"bastion\"\n"
    "[providers.aws]\n"
    "type = \"aws-sso\"\n"
    "start_url = \"https://d-1234567890.awsapps.com/start\"\n"
    "region = \"eu-central-1\"\n"
    "sso_session = \"corp\"\n"
    "account_id = \"111122223333\"\n"
    "role_name = \"ReadOnly\"\n";

class RecordingReport final : public devflow::CheckReport {
public:
    void row(const char *name, const std::string &value) override { rows.emplace_back(name, value); }
    bool has(const std::string &name) const {
        for (const auto &row : rows) {
            if (row.first == name) return true;
        }
        return false;
    }
    std::vector<std::pair<std::string, std::string>> rows;
};

devflow::UserAccount alice() {
    devflow::UserAccount user;
    user.name = "alice";
    user.uid = 1000;
    user.gid = 1000;
    user.home = "/home/alice";
    return user;
}

void an_oidc_provider_speaks_of_its_issuer(void **) {
    const devflow::Config config = devflow::parse_config(kConfig, "test");
    auto provider = devflow::make_provider(config, config.provider("corp"));
    assert_string_equal(provider->describe().c_str(), "issuer https://login.example.com");
    assert_string_equal(provider->user_cache_path(alice()).c_str(), "/home/alice/.cache/pam_device_flow/corp.json");
    RecordingReport report;
    provider->report_settings(report);
    assert_true(report.has("issuer"));
    assert_true(report.has("client_id"));
    assert_false(report.has("start_url"));
}

void an_aws_sso_provider_speaks_of_its_start_url(void **) {
    const devflow::Config config = devflow::parse_config(kConfig, "test");
    auto provider = devflow::make_provider(config, config.provider("aws"));
    assert_string_equal(provider->describe().c_str(), "start URL https://d-1234567890.awsapps.com/start");
    // The AWS CLI's own cache: SHA-1 of the sso-session name.
    assert_string_equal(provider->user_cache_path(alice()).c_str(),
                        "/home/alice/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
    RecordingReport report;
    provider->report_settings(report);
    assert_true(report.has("start_url"));
    assert_true(report.has("sts_endpoint"));
    assert_false(report.has("issuer"));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_oidc_provider_speaks_of_its_issuer),
        cmocka_unit_test(an_aws_sso_provider_speaks_of_its_start_url),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
