// SPDX-License-Identifier: Apache-2.0
// The host's AWS credentials: environment, shared credentials file, IMDSv2,
// the order they are tried in, and IMDS only when the admin asked for it.
#include "aws/aws_credentials.hpp"
#include "base/failure.hpp"
#include "expect_failure.hpp"
#include "fake_transport.hpp"
#include "test_files.hpp"

#include <map>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::expect_failure;
using devflow::test::FakeTransport;
using devflow::test::TempDir;

namespace {

const std::string kImds = "http://127.0.0.1:9";
const std::string kImdsToken = kImds + "/latest/api/token";
const std::string kImdsRoles = kImds + "/latest/meta-data/iam/security-credentials/";

EnvironmentLookup environment_of(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const char *name) -> const char * {
        auto found = values.find(name);
        return found == values.end() ? nullptr : found->second.c_str();
    };
}

void environment_credentials_are_read(void **) {
    auto found = aws_credentials_from_environment(environment_of(
        {{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "secret/env"}, {"AWS_SESSION_TOKEN", "tok"}}));
    assert_true(found.has_value());
    assert_string_equal(found->access_key_id.reveal().c_str(), "AKIDENV");
    assert_string_equal(found->secret_access_key.reveal().c_str(), "secret/env");
    assert_string_equal(found->session_token.reveal().c_str(), "tok");
    assert_false(aws_credentials_from_environment(environment_of({{"AWS_ACCESS_KEY_ID", "AKIDENV"}})).has_value());
    assert_false(aws_credentials_from_environment(environment_of({})).has_value());
}

void shared_file_default_section_is_read(void **) {
    TempDir dir;
    const std::string path = dir / "credentials";
    test::write_text(path,
                     "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = no\n"
                     "# comment\n[default]\r\naws_access_key_id = AKIDFILE\r\n aws_secret_access_key=s3cr3t \n"
                     "aws_session_token = st\n[later]\naws_session_token = nope\n",
                     0600);
    auto found = aws_credentials_from_shared_file(path);
    assert_true(found.has_value());
    assert_string_equal(found->access_key_id.reveal().c_str(), "AKIDFILE");
    assert_string_equal(found->secret_access_key.reveal().c_str(), "s3cr3t");
    assert_string_equal(found->session_token.reveal().c_str(), "st");
}

void shared_file_missing_or_without_default_is_none(void **) {
    TempDir dir;
    assert_false(aws_credentials_from_shared_file(dir / "missing").has_value());
    test::write_text(dir / "credentials", "[prod]\naws_access_key_id = A\naws_secret_access_key = B\n", 0600);
    assert_false(aws_credentials_from_shared_file(dir / "credentials").has_value());
}

void a_readable_shared_file_is_refused(void **) {
    TempDir dir;
    test::write_text(dir / "credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = B\n", 0644);
    auto caught = expect_failure([&] { aws_credentials_from_shared_file(dir / "credentials"); });
    assert_int_equal(static_cast<int>(caught.outcome), static_cast<int>(Outcome::config_error));
}

void the_shared_file_path_follows_the_environment(void **) {
    assert_string_equal(
        default_shared_credentials_path(environment_of({{"AWS_SHARED_CREDENTIALS_FILE", "/etc/x"}})).c_str(), "/etc/x");
    const std::string fallback = default_shared_credentials_path(environment_of({{"HOME", "/nonexistent"}}));
    assert_true(fallback.find("/nonexistent") == std::string::npos);
    assert_true(fallback.size() > 17 && fallback.substr(fallback.size() - 17) == "/.aws/credentials");
}

void imds_v2_token_role_and_credentials(void **) {
    FakeTransport transport;
    transport.answer(kImdsToken, 200, "imds-token");
    transport.answer(kImdsRoles, 200, "web-role\n");
    transport.answer(kImdsRoles + "web-role", 200,
                     R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret",
                        "Token":"imds-session","Expiration":"2030-01-01T00:00:00Z"})");
    auto found = aws_credentials_from_imds(kImds, transport);
    assert_true(found.has_value());
    assert_string_equal(found->access_key_id.reveal().c_str(), "ASIAIMDS");
    assert_string_equal(found->session_token.reveal().c_str(), "imds-session");
    assert_string_equal(found->source.c_str(), "IMDS role web-role");
    const auto &sent = transport.sent();
    assert_int_equal(sent.size(), 3);
    assert_string_equal(sent[0].method.c_str(), "PUT");
    assert_string_equal(sent[0].headers.at(0).c_str(), "X-aws-ec2-metadata-token-ttl-seconds: 300");
    assert_string_equal(sent[1].method.c_str(), "GET");
    assert_string_equal(sent[1].headers.at(0).c_str(), "X-aws-ec2-metadata-token: imds-token");
    assert_string_equal(sent[2].headers.at(0).c_str(), "X-aws-ec2-metadata-token: imds-token");
}

void imds_unreachable_or_without_role_is_none(void **) {
    FakeTransport unreachable;
    unreachable.unreachable(kImdsToken);
    assert_false(aws_credentials_from_imds(kImds, unreachable).has_value());
    FakeTransport no_role;
    no_role.answer(kImdsToken, 200, "t");
    no_role.answer(kImdsRoles, 404, "");
    assert_false(aws_credentials_from_imds(kImds, no_role).has_value());
}

void imds_hostile_answers_are_unavailable(void **) {
    FakeTransport bad_role;
    bad_role.answer(kImdsToken, 200, "t");
    bad_role.answer(kImdsRoles, 200, "../../etc");
    auto caught = expect_failure([&] { aws_credentials_from_imds(kImds, bad_role); });
    assert_int_equal(static_cast<int>(caught.outcome), static_cast<int>(Outcome::unavailable));
    FakeTransport bad_code;
    bad_code.answer(kImdsToken, 200, "t");
    bad_code.answer(kImdsRoles, 200, "r");
    bad_code.answer(kImdsRoles + "r", 200, R"({"Code":"Failed","AccessKeyId":"A","SecretAccessKey":"B"})");
    caught = expect_failure([&] { aws_credentials_from_imds(kImds, bad_code); });
    assert_int_equal(static_cast<int>(caught.outcome), static_cast<int>(Outcome::unavailable));
    // Keys that are not printable ASCII: a malformed answer from the network,
    // not a configuration error (found by fuzz_aws_imds).
    FakeTransport bad_key;
    bad_key.answer(kImdsToken, 200, "t");
    bad_key.answer(kImdsRoles, 200, "r");
    bad_key.answer(kImdsRoles + "r", 200, "{\"AccessKeyId\":\"A\\u0007\",\"SecretAccessKey\":\"B\"}");
    caught = expect_failure([&] { aws_credentials_from_imds(kImds, bad_key); });
    assert_int_equal(static_cast<int>(caught.outcome), static_cast<int>(Outcome::unavailable));
}

// An IMDS that answers with credentials, as a LAN neighbour of a non-EC2 host
// can (plain http to a link-local address).
void answer_as_imds(FakeTransport &transport) {
    transport.answer(kImdsToken, 200, "imds-token");
    transport.answer(kImdsRoles, 200, "web-role\n");
    transport.answer(kImdsRoles + "web-role", 200,
                     R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"s"})");
}

void the_default_tries_environment_then_file(void **) {
    TempDir dir;
    test::write_text(dir / "credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n", 0600);
    FakeTransport transport;
    answer_as_imds(transport);
    AwsCredentialSettings settings;
    settings.imds_endpoint = kImds;
    settings.shared_file = dir / "credentials";
    auto env = environment_of({{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "e"}});
    assert_string_equal(find_aws_credentials(settings, env, transport).access_key_id.reveal().c_str(), "AKIDENV");
    assert_string_equal(find_aws_credentials(settings, environment_of({}), transport).access_key_id.reveal().c_str(),
                        "AKIDFILE");
    settings.source = AwsCredentialSource::shared_file;
    assert_string_equal(find_aws_credentials(settings, env, transport).access_key_id.reveal().c_str(), "AKIDFILE");
    assert_int_equal(transport.sent().size(), 0);
}

// IMDS is plain http to a link-local address: on a host that is not an EC2
// instance anyone on the LAN can answer there. So the default never asks it,
// even when nothing else has credentials; only aws_credentials = "imds" does.
void the_default_never_asks_imds(void **) {
    TempDir dir;
    FakeTransport transport;
    answer_as_imds(transport);
    AwsCredentialSettings settings;
    settings.imds_endpoint = kImds;
    settings.shared_file = dir / "missing";
    std::string used;
    const auto failure =
        test::catch_failure([&] { used = find_aws_credentials(settings, environment_of({}), transport).source; });
    if (!transport.sent().empty()) {
        fail_msg("the default source asked IMDS (%s) and used: %s", transport.sent()[0].url.c_str(),
                 used.empty() ? "nothing" : used.c_str());
    }
    assert_true(test::failed_with(failure, Outcome::unavailable, "no AWS credentials"));

    settings.source = AwsCredentialSource::imds;
    assert_string_equal(find_aws_credentials(settings, environment_of({}), transport).access_key_id.reveal().c_str(),
                        "ASIAIMDS");
    assert_int_equal(transport.count(kImdsToken), 1);
}

void explicit_imds_that_cannot_be_reached_is_unavailable(void **) {
    FakeTransport transport;
    transport.unreachable(kImdsToken);
    AwsCredentialSettings settings;
    settings.source = AwsCredentialSource::imds;
    settings.imds_endpoint = kImds;
    auto caught = expect_failure([&] { find_aws_credentials(settings, environment_of({}), transport); });
    assert_int_equal(static_cast<int>(caught.outcome), static_cast<int>(Outcome::unavailable));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(environment_credentials_are_read),
        cmocka_unit_test(shared_file_default_section_is_read),
        cmocka_unit_test(shared_file_missing_or_without_default_is_none),
        cmocka_unit_test(a_readable_shared_file_is_refused),
        cmocka_unit_test(the_shared_file_path_follows_the_environment),
        cmocka_unit_test(imds_v2_token_role_and_credentials),
        cmocka_unit_test(imds_unreachable_or_without_role_is_none),
        cmocka_unit_test(imds_hostile_answers_are_unavailable),
        cmocka_unit_test(the_default_tries_environment_then_file),
        cmocka_unit_test(the_default_never_asks_imds),
        cmocka_unit_test(explicit_imds_that_cannot_be_reached_is_unavailable),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
