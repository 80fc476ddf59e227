// SPDX-License-Identifier: Apache-2.0
// verify_aws_identity: GetRoleCredentials on the SSO portal, then STS
// GetCallerIdentity signed with those credentials; what is sent, and how every
// kind of answer (good, refused, failed, malformed, hostile) is read.
#include "aws/aws_identity.hpp"
#include "fake_transport.hpp"
#include "test_files.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::FakeTransport;

namespace {

const char *const kPortal = "https://portal.example";
const char *const kSts = "https://sts.example/";
const char *const kCredentialsUrl =
    "https://portal.example/federation/credentials?role_name=ReadOnly&account_id=111122223333";
const char *const kAccount = "111122223333";
const char *const kArn = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice";
const char *const kUserId = "AROAEXAMPLEROLEID1234:alice";

const char *const kGoodCredentials = R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001",
  "secretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY","sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE==",
  "expiration":1700003600123}})";

std::string sts_answer(const std::string &arn = kArn, const std::string &account = kAccount,
                       const std::string &user_id = kUserId) {
    return "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
           "  <GetCallerIdentityResult>\n"
           "    <Arn>" +
           arn +
           "</Arn>\n"
           "    <UserId>" +
           user_id +
           "</UserId>\n"
           "    <Account>" +
           account +
           "</Account>\n"
           "  </GetCallerIdentityResult>\n"
           "  <ResponseMetadata>\n    <RequestId>5d5f5a9e-0000-4000-8000-000000000000</RequestId>\n"
           "  </ResponseMetadata>\n"
           "</GetCallerIdentityResponse>\n";
}

const char *const kStsError =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
    "<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match"
    "</Message></Error><RequestId>1</RequestId></ErrorResponse>";

AwsEndpoints endpoints() { return AwsEndpoints{"https://oidc.example", kPortal, kSts}; }

AwsIdentity verify(FakeTransport &transport, const std::string &role = "ReadOnly",
                   const std::string &account = kAccount, const std::string &token = "at-123") {
    return verify_aws_identity(transport, endpoints(), "us-east-1", account, role, Secret(token));
}

void answer_good(FakeTransport &transport, const std::string &sts = sts_answer()) {
    transport.answer(kCredentialsUrl, 200, kGoodCredentials);
    transport.answer(kSts, 200, sts);
}

bool has_header(const test::SentRequest &request, const std::string &header) {
    return std::find(request.headers.begin(), request.headers.end(), header) != request.headers.end();
}

// A good portal answer, then `sts` from STS: the failure it causes.
std::optional<Failure> failure_for_sts(const std::string &sts, long status = 200) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 200, kGoodCredentials);
    transport.answer(kSts, status, sts);
    return catch_failure([&] { verify(transport); });
}

// ---- what is sent

void portal_request_is_a_get_with_the_bearer_header(void **) {
    FakeTransport transport;
    answer_good(transport);
    verify(transport);
    const auto &portal = transport.sent().at(0);
    assert_string_equal(portal.method.c_str(), "GET");
    assert_string_equal(portal.url.c_str(), kCredentialsUrl);
    assert_true(has_header(portal, "x-amz-sso_bearer_token: at-123"));
    assert_int_equal(portal.headers.size(), 1);
    assert_false(portal.aws_signing.has_value());
}

void portal_query_values_are_form_encoded(void **) {
    FakeTransport transport;
    const char *url = "https://portal.example/federation/credentials?role_name=Ops%2BAdmin%3D1&account_id=111122223333";
    transport.answer(url, 403, R"({"message":"No access"})");
    catch_failure([&] { verify(transport, "Ops+Admin=1"); });
    assert_int_equal(transport.count(url), 1);
}

void endpoint_trailing_slash_is_dropped(void **) {
    FakeTransport transport;
    answer_good(transport);
    AwsEndpoints with_slashes{"https://oidc.example/", "https://portal.example/", "https://sts.example/"};
    verify_aws_identity(transport, with_slashes, "us-east-1", kAccount, "ReadOnly", Secret("at-123"));
    assert_string_equal(transport.sent().at(0).url.c_str(), kCredentialsUrl);
    assert_string_equal(transport.sent().at(1).url.c_str(), kSts);
}

void sts_request_is_a_signed_form_post(void **) {
    FakeTransport transport;
    answer_good(transport);
    verify(transport);
    assert_int_equal(transport.sent().size(), 2);
    const auto &sts = transport.sent().at(1);
    assert_string_equal(sts.method.c_str(), "POST");
    assert_string_equal(sts.url.c_str(), kSts);
    assert_string_equal(sts.body.c_str(), "Action=GetCallerIdentity&Version=2011-06-15");
    assert_true(has_header(sts, "Content-Type: application/x-www-form-urlencoded"));
    assert_true(has_header(sts, "Accept: text/xml"));
    assert_false(std::any_of(sts.headers.begin(), sts.headers.end(),
                             [](const std::string &h) { return h.find("at-123") != std::string::npos; }));
}

void sts_is_signed_with_the_role_credentials(void **) {
    FakeTransport transport;
    answer_good(transport);
    verify(transport);
    const auto &signing = transport.sent().at(1).aws_signing;
    assert_true(signing.has_value());
    assert_string_equal(signing->provider.c_str(), "aws:amz:us-east-1:sts");
    assert_string_equal(signing->access_key_id.c_str(), "ASIAEXAMPLEKEYID0001");
    assert_string_equal(signing->secret_access_key.c_str(), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    assert_string_equal(signing->session_token.c_str(), "IQoJb3JpZ2luX2VjEXAMPLE==");
}

void sts_region_is_the_configured_one(void **) {
    FakeTransport transport;
    answer_good(transport);
    verify_aws_identity(transport, endpoints(), "eu-central-1", kAccount, "ReadOnly", Secret("at-123"));
    assert_string_equal(transport.sent().at(1).aws_signing->provider.c_str(), "aws:amz:eu-central-1:sts");
}

// ---- a good answer

void good_answers_give_the_identity(void **) {
    FakeTransport transport;
    answer_good(transport);
    const AwsIdentity identity = verify(transport);
    assert_string_equal(identity.account.c_str(), kAccount);
    assert_string_equal(identity.arn.c_str(), kArn);
    assert_string_equal(identity.session_name.c_str(), "alice");
}

void session_name_with_at_and_dots_is_kept(void **) {
    FakeTransport transport;
    answer_good(transport, sts_answer("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_"
                                      "0123456789abcdef/alice.smith@example.com",
                                      kAccount, "AROAEXAMPLEROLEID1234:alice.smith@example.com"));
    assert_string_equal(verify(transport).session_name.c_str(), "alice.smith@example.com");
}

void role_name_with_underscore_is_matched_exactly(void **) {
    FakeTransport transport;
    const char *url = "https://portal.example/federation/credentials?role_name=Read_Only&account_id=111122223333";
    transport.answer(url, 200, kGoodCredentials);
    transport.answer(kSts, 200,
                     sts_answer("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Read_Only_0a1b2c3d4e5f6789/bob",
                                kAccount, "AROAEXAMPLEROLEID1234:bob"));
    assert_string_equal(verify(transport, "Read_Only").session_name.c_str(), "bob");
}

void xml_declaration_is_accepted(void **) {
    FakeTransport transport;
    answer_good(transport, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + sts_answer());
    assert_string_equal(verify(transport).session_name.c_str(), "alice");
}

// ---- role credentials

void expiration_is_epoch_milliseconds(void **) {
    const AwsRoleCredentials credentials = parse_role_credentials(kGoodCredentials);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(credentials.expires_at.time_since_epoch());
    assert_int_equal(ms.count(), 1700003600123LL);
}

void credentials_fields_are_read(void **) {
    const AwsRoleCredentials credentials = parse_role_credentials(kGoodCredentials);
    assert_string_equal(credentials.access_key_id.reveal().c_str(), "ASIAEXAMPLEKEYID0001");
    assert_string_equal(credentials.session_token.reveal().c_str(), "IQoJb3JpZ2luX2VjEXAMPLE==");
}

void expiration_as_string_is_refused(void **) {
    const auto failure = catch_failure([] {
        parse_role_credentials(R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001","secretAccessKey":"s",
            "sessionToken":"t","expiration":"1700003600123"}})");
    });
    assert_true(failed_with(failure, Outcome::unavailable, "expiration"));
}

void negative_expiration_is_refused(void **) {
    const auto failure = catch_failure([] {
        parse_role_credentials(R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001","secretAccessKey":"s",
            "sessionToken":"t","expiration":-1}})");
    });
    assert_true(failed_with(failure, Outcome::unavailable, "out-of-range expiration"));
}

std::string credentials_expiring(const std::string &milliseconds) {
    return R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001","secretAccessKey":"s",
        "sessionToken":"t","expiration":)" +
           milliseconds + "}}";
}

// A TimePoint counts nanoseconds: it ends at 2262-04-11T23:47:16.854Z. A later
// expiration (AWS's own limit is the year 9999) was multiplied into
// nanoseconds: signed overflow, which UBSan aborts on and a release build
// stores as a time long past. It is refused; the last whole second that fits
// is not.
void expiration_past_what_a_time_point_holds_is_refused(void **) {
    for (const char *milliseconds : {"253402300799999", "9223372036855", "9223372037000", "9223372036854775807"}) {
        const auto failure = catch_failure([&] { parse_role_credentials(credentials_expiring(milliseconds)); });
        if (!failure) {
            const AwsRoleCredentials credentials = parse_role_credentials(credentials_expiring(milliseconds));
            fail_msg("expiration %s ms was accepted as %lld s after the epoch", milliseconds,
                     static_cast<long long>(
                         std::chrono::duration_cast<std::chrono::seconds>(credentials.expires_at.time_since_epoch())
                             .count()));
        }
        assert_true(failed_with(failure, Outcome::unavailable, "out-of-range expiration"));
    }
    const AwsRoleCredentials last = parse_role_credentials(credentials_expiring("9223372036000"));
    assert_int_equal(std::chrono::duration_cast<std::chrono::milliseconds>(last.expires_at.time_since_epoch()).count(),
                     9223372036000LL);
}

void missing_session_token_is_refused(void **) {
    const auto failure = catch_failure([] {
        parse_role_credentials(R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001","secretAccessKey":"s",
            "expiration":1700003600123}})");
    });
    assert_true(failed_with(failure, Outcome::unavailable, "no sessionToken"));
}

void key_id_with_colon_is_refused(void **) {
    const auto failure = catch_failure([] {
        parse_role_credentials(R"({"roleCredentials":{"accessKeyId":"ASIA:EXAMPLEKEYID0001","secretAccessKey":"s",
            "sessionToken":"t","expiration":1700003600123}})");
    });
    assert_true(failed_with(failure, Outcome::unavailable, "malformed accessKeyId"));
}

void portal_answer_not_json_is_unavailable(void **) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 200, "<html>");
    const auto failure = catch_failure([&] { verify(transport); });
    assert_true(failed_with(failure, Outcome::unavailable, "not a JSON object"));
    assert_int_equal(transport.count(kSts), 0);
}

// ---- portal refusals and failures

void portal_403_is_denied(void **) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 403, R"({"message":"No access"})",
                     {{"x-amzn-errortype",
                       "ForbiddenException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"}});
    const auto failure = catch_failure([&] { verify(transport); });
    assert_true(failed_with(failure, Outcome::refused,
                            "the approved identity cannot use role ReadOnly in account 111122223333"));
    assert_true(failed_with(failure, Outcome::refused, "\"ForbiddenException\""));
    assert_null(std::strstr(failure->what(), "internal.amazon.com"));
    assert_string_equal(failure->user_message().c_str(), "Your account has no access to this host's AWS role.");
}

void portal_401_is_denied(void **) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 401, R"({"message":"Session token not found or invalid"})",
                     {{"x-amzn-errortype", "UnauthorizedException:http://internal.amazon.com/coral/x/"}});
    const auto failure = catch_failure([&] { verify(transport); });
    assert_true(failed_with(failure, Outcome::refused, "UnauthorizedException"));
    assert_string_equal(failure->user_message().c_str(), "Your account has no access to this host's AWS role.");
}

void portal_refusal_skips_sts(void **) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 403, "{}");
    catch_failure([&] { verify(transport); });
    assert_int_equal(transport.count(kSts), 0);
}

void portal_500_is_unavailable(void **) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 500, R"({"message":"boom"})",
                     {{"x-amzn-errortype", "InternalServerException:http://internal.amazon.com/coral/x/"}});
    const auto failure = catch_failure([&] { verify(transport); });
    assert_true(failed_with(failure, Outcome::unavailable, "HTTP 500 (\"InternalServerException\")"));
}

void portal_429_is_unavailable(void **) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 429, "{}");
    assert_true(failed_with(catch_failure([&] { verify(transport); }), Outcome::unavailable, "HTTP 429"));
}

void portal_unreachable_is_unavailable(void **) {
    FakeTransport transport;
    transport.unreachable(kCredentialsUrl);
    assert_true(failed_with(catch_failure([&] { verify(transport); }), Outcome::unavailable, "cannot reach"));
}

// ---- STS failures

void sts_403_error_is_unavailable(void **) {
    const auto failure = failure_for_sts(kStsError, 403);
    assert_true(failed_with(failure, Outcome::unavailable, "HTTP 403 (\"SignatureDoesNotMatch\")"));
}

void sts_500_is_unavailable(void **) {
    assert_true(failed_with(failure_for_sts("Internal Failure", 500), Outcome::unavailable, "HTTP 500"));
}

void sts_error_xml_with_status_200_is_unavailable(void **) {
    assert_true(failed_with(failure_for_sts(kStsError), Outcome::unavailable, "GetCallerIdentity"));
}

void sts_json_answer_is_unavailable(void **) {
    assert_true(failed_with(failure_for_sts(R"({"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Arn":"x"}}})"),
                            Outcome::unavailable, "GetCallerIdentity"));
}

// ---- the identity STS names

void wrong_account_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer(
        "arn:aws:sts::999988887777:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice", "999988887777"));
    assert_true(failed_with(failure, Outcome::unavailable, "names account \"999988887777\""));
}

void arn_in_another_account_is_refused(void **) {
    const auto failure = failure_for_sts(
        sts_answer("arn:aws:sts::999988887777:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice"));
    assert_true(failed_with(failure, Outcome::unavailable, "not a role session in account 111122223333"));
}

void role_not_reserved_for_sso_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer("arn:aws:sts::111122223333:assumed-role/ReadOnly/alice"));
    assert_true(failed_with(failure, Outcome::unavailable, "not the Identity Center role of permission set ReadOnly"));
}

void longer_permission_set_name_is_refused(void **) {
    const auto failure = failure_for_sts(
        sts_answer("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef/alice"));
    assert_true(failed_with(failure, Outcome::unavailable, "not the Identity Center role"));
}

void role_suffix_that_is_not_hex_is_refused(void **) {
    const auto failure = failure_for_sts(
        sts_answer("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_Admin_0123456789abcdef/alice"));
    assert_true(failed_with(failure, Outcome::unavailable, "not the Identity Center role"));
}

void iam_user_arn_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer("arn:aws:iam::111122223333:user/alice"));
    assert_true(failed_with(failure, Outcome::unavailable, "not a role session"));
}

void session_name_with_slash_is_refused(void **) {
    const auto failure = failure_for_sts(
        sts_answer("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice/root",
                   kAccount, "AROAEXAMPLEROLEID1234:alice/root"));
    assert_true(failed_with(failure, Outcome::unavailable, "session name"));
}

void empty_session_name_is_refused(void **) {
    const auto failure =
        failure_for_sts(sts_answer("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/",
                                   kAccount, "AROAEXAMPLEROLEID1234:"));
    assert_true(failed_with(failure, Outcome::unavailable, "session name"));
}

void user_id_of_another_session_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer(kArn, kAccount, "AROAEXAMPLEROLEID1234:mallory"));
    assert_true(failed_with(failure, Outcome::unavailable, "does not match the session"));
}

// ---- malformed and hostile XML

void missing_arn_is_refused(void **) {
    const auto failure = failure_for_sts(
        "<GetCallerIdentityResponse><GetCallerIdentityResult><UserId>AROAX:alice</UserId>"
        "<Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>");
    assert_true(failed_with(failure, Outcome::unavailable, "has no Arn"));
}

void missing_account_is_refused(void **) {
    const auto failure =
        failure_for_sts("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>" + std::string(kArn) +
                        "</Arn><UserId>AROAX:alice</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>");
    assert_true(failed_with(failure, Outcome::unavailable, "has no Account"));
}

void second_arn_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer(
        std::string(kArn) + "</Arn><Arn>arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_00/root"));
    assert_true(failed_with(failure, Outcome::unavailable, "more than one Arn"));
}

void nested_arn_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer("<Arn>" + std::string(kArn) + "</Arn>"));
    assert_true(failed_with(failure, Outcome::unavailable, "more than one Arn"));
}

void arn_outside_the_result_is_refused(void **) {
    std::string xml = sts_answer();
    xml.insert(xml.find("<ResponseMetadata>"),
               "<Arn>arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_00/root</Arn>");
    assert_true(failed_with(failure_for_sts(xml), Outcome::unavailable, "more than one Arn"));
}

void second_result_is_refused(void **) {
    std::string xml = sts_answer();
    const auto result = xml.substr(xml.find("  <GetCallerIdentityResult>"),
                                   xml.find("  <ResponseMetadata>") - xml.find("  <GetCallerIdentityResult>"));
    xml.insert(xml.find("  <ResponseMetadata>"), result);
    assert_true(failed_with(failure_for_sts(xml), Outcome::unavailable, "exactly one GetCallerIdentityResult"));
}

void arn_with_attribute_is_refused(void **) {
    std::string xml = sts_answer();
    xml.replace(xml.find("<Arn>"), 5, "<Arn a=\"1\">");
    assert_true(failed_with(failure_for_sts(xml), Outcome::unavailable, "malformed Arn element"));
}

void entity_in_arn_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer(std::string(kArn) + "&amp;x"));
    assert_true(failed_with(failure, Outcome::unavailable, "malformed Arn"));
}

void comment_is_refused(void **) {
    std::string xml = sts_answer();
    xml.insert(xml.find("<Arn>"), "<!-- <Arn>arn:aws:sts::1:assumed-role/x/y</Arn> -->");
    assert_true(failed_with(failure_for_sts(xml), Outcome::unavailable, "comment"));
}

void doctype_is_refused(void **) {
    const auto failure = failure_for_sts("<!DOCTYPE x [<!ENTITY e \"alice\">]>\n" + sts_answer());
    assert_true(failed_with(failure, Outcome::unavailable, "DTD"));
}

void cdata_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer("<![CDATA[" + std::string(kArn) + "]]>"));
    assert_true(failed_with(failure, Outcome::unavailable, "CDATA"));
}

void control_byte_in_arn_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer(std::string(kArn) + "\n"));
    assert_true(failed_with(failure, Outcome::unavailable, "malformed Arn"));
}

void huge_answer_is_refused(void **) {
    const auto failure = failure_for_sts(sts_answer() + std::string(70 * 1024, ' '));
    assert_true(failed_with(failure, Outcome::unavailable, "too large"));
}

void parse_caller_identity_reads_all_three(void **) {
    const AwsCallerIdentity identity = parse_caller_identity(sts_answer());
    assert_string_equal(identity.arn.c_str(), kArn);
    assert_string_equal(identity.account.c_str(), kAccount);
    assert_string_equal(identity.user_id.c_str(), kUserId);
}

// ---- settings and token checked before anything is sent

void bad_account_id_is_a_config_error(void **) {
    FakeTransport transport;
    const auto failure = catch_failure([&] { verify(transport, "ReadOnly", "1111-2222-3333"); });
    assert_true(failed_with(failure, Outcome::config_error, "12-digit"));
    assert_int_equal(transport.sent().size(), 0);
}

void bad_role_name_is_a_config_error(void **) {
    FakeTransport transport;
    const auto failure = catch_failure([&] { verify(transport, "Read Only&x=1"); });
    assert_true(failed_with(failure, Outcome::config_error, "permission set name"));
    assert_int_equal(transport.sent().size(), 0);
}

void bad_region_is_a_config_error(void **) {
    FakeTransport transport;
    const auto failure = catch_failure(
        [&] { verify_aws_identity(transport, endpoints(), "us-east-1:evil", kAccount, "ReadOnly", Secret("at-123")); });
    assert_true(failed_with(failure, Outcome::config_error, "region"));
}

void token_with_newline_is_not_sent(void **) {
    FakeTransport transport;
    const auto failure = catch_failure([&] { verify(transport, "ReadOnly", kAccount, "at\r\nX-Evil: 1"); });
    assert_true(failed_with(failure, Outcome::unavailable, "not printable ASCII"));
    assert_int_equal(transport.sent().size(), 0);
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(portal_request_is_a_get_with_the_bearer_header),
        cmocka_unit_test(portal_query_values_are_form_encoded),
        cmocka_unit_test(endpoint_trailing_slash_is_dropped),
        cmocka_unit_test(sts_request_is_a_signed_form_post),
        cmocka_unit_test(sts_is_signed_with_the_role_credentials),
        cmocka_unit_test(sts_region_is_the_configured_one),
        cmocka_unit_test(good_answers_give_the_identity),
        cmocka_unit_test(session_name_with_at_and_dots_is_kept),
        cmocka_unit_test(role_name_with_underscore_is_matched_exactly),
        cmocka_unit_test(xml_declaration_is_accepted),
        cmocka_unit_test(expiration_is_epoch_milliseconds),
        cmocka_unit_test(credentials_fields_are_read),
        cmocka_unit_test(expiration_as_string_is_refused),
        cmocka_unit_test(negative_expiration_is_refused),
        cmocka_unit_test(expiration_past_what_a_time_point_holds_is_refused),
        cmocka_unit_test(missing_session_token_is_refused),
        cmocka_unit_test(key_id_with_colon_is_refused),
        cmocka_unit_test(portal_answer_not_json_is_unavailable),
        cmocka_unit_test(portal_403_is_denied),
        cmocka_unit_test(portal_401_is_denied),
        cmocka_unit_test(portal_refusal_skips_sts),
        cmocka_unit_test(portal_500_is_unavailable),
        cmocka_unit_test(portal_429_is_unavailable),
        cmocka_unit_test(portal_unreachable_is_unavailable),
        cmocka_unit_test(sts_403_error_is_unavailable),
        cmocka_unit_test(sts_500_is_unavailable),
        cmocka_unit_test(sts_error_xml_with_status_200_is_unavailable),
        cmocka_unit_test(sts_json_answer_is_unavailable),
        cmocka_unit_test(wrong_account_is_refused),
        cmocka_unit_test(arn_in_another_account_is_refused),
        cmocka_unit_test(role_not_reserved_for_sso_is_refused),
        cmocka_unit_test(longer_permission_set_name_is_refused),
        cmocka_unit_test(role_suffix_that_is_not_hex_is_refused),
        cmocka_unit_test(iam_user_arn_is_refused),
        cmocka_unit_test(session_name_with_slash_is_refused),
        cmocka_unit_test(empty_session_name_is_refused),
        cmocka_unit_test(user_id_of_another_session_is_refused),
        cmocka_unit_test(missing_arn_is_refused),
        cmocka_unit_test(missing_account_is_refused),
        cmocka_unit_test(second_arn_is_refused),
        cmocka_unit_test(nested_arn_is_refused),
        cmocka_unit_test(arn_outside_the_result_is_refused),
        cmocka_unit_test(second_result_is_refused),
        cmocka_unit_test(arn_with_attribute_is_refused),
        cmocka_unit_test(entity_in_arn_is_refused),
        cmocka_unit_test(comment_is_refused),
        cmocka_unit_test(doctype_is_refused),
        cmocka_unit_test(cdata_is_refused),
        cmocka_unit_test(control_byte_in_arn_is_refused),
        cmocka_unit_test(huge_answer_is_refused),
        cmocka_unit_test(parse_caller_identity_reads_all_three),
        cmocka_unit_test(bad_account_id_is_a_config_error),
        cmocka_unit_test(bad_role_name_is_a_config_error),
        cmocka_unit_test(bad_region_is_a_config_error),
        cmocka_unit_test(token_with_newline_is_not_sent),
    };
    return cmocka_run_group_tests_name("aws_identity", tests, nullptr, nullptr);
}
