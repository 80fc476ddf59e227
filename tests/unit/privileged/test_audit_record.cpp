// SPDX-License-Identifier: Apache-2.0
// The audit fields of a login's syslog line and the PAM environment after a
// success (privileged/audit_record): stable keys, values that cannot add a
// field or a line, nothing empty in the environment.
#include "privileged/audit_record.hpp"
#include "privileged/verified_identity.hpp"
#include "provider/token_fingerprint.hpp"

#include <cstring>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

namespace {

devflow::AuditRecord oidc_record() {
    devflow::AuditRecord record;
    record.service = "sshd";
    record.user = "alice";
    record.rhost = "203.0.113.7";
    record.tty = "ssh";
    record.provider = "corp";
    record.issuer = "https://idp.example/realms/corp";
    devflow::VerifiedIdentity identity;
    identity.claims = {{"sub", "248289761001"}, {"acr", "urn:mfa"}, {"amr", {"pwd", "otp"}}};
    identity.token_fingerprint = "3f2a9c01b7e4";
    record.take_identity(identity);
    return record;
}

void success_fields_in_their_order(void **) {
    const std::string line = devflow::audit_fields(oidc_record(), 2140, "success", nullptr);
    assert_string_equal(line.c_str(),
                        " service=sshd user=alice rhost=203.0.113.7 tty=ssh provider=corp sub=248289761001 "
                        "acr=urn:mfa amr=pwd,otp token=3f2a9c01b7e4 duration_ms=2140 result=success");
}

void a_failure_names_its_pam_code_and_unknowns_are_dashes(void **) {
    devflow::AuditRecord record;
    record.service = "sudo";
    record.user = "bob";
    const std::string line = devflow::audit_fields(record, 7, "unavailable", "PAM_AUTHINFO_UNAVAIL");
    assert_string_equal(line.c_str(),
                        " service=sudo user=bob rhost=- tty=- provider=- sub=- acr=- amr=- token=- duration_ms=7 "
                        "result=unavailable pam=PAM_AUTHINFO_UNAVAIL");
}

// An IdP controls sub, acr and amr: quoted, they cannot add a field, a
// space-separated token or a line.
void hostile_values_cannot_forge_a_field(void **) {
    devflow::AuditRecord record;
    devflow::VerifiedIdentity identity;
    identity.claims = {{"sub", "x\" result=success pam=PAM_SUCCESS\nforged"}, {"acr", "a b"}};
    record.take_identity(identity);
    const std::string line = devflow::audit_fields(record, 1, "refused", "PAM_AUTH_ERR");
    assert_null(std::strchr(line.c_str(), '\n'));
    assert_non_null(std::strstr(line.c_str(), " sub=\"x\\\" result=success pam=PAM_SUCCESS\\x0aforged\" "));
    assert_non_null(std::strstr(line.c_str(), " acr=\"a b\" "));
    // The real result is the last "result=" outside quotes: the line ends with it.
    const std::string tail = " result=refused pam=PAM_AUTH_ERR";
    assert_true(line.size() > tail.size() && line.compare(line.size() - tail.size(), tail.size(), tail) == 0);
}

void aws_session_name_is_the_subject(void **) {
    devflow::AuditRecord record;
    devflow::VerifiedIdentity identity;
    identity.session_name = "alice@example.com";
    identity.arn = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123/alice@example.com";
    record.take_identity(identity);
    assert_string_equal(record.sub.c_str(), "alice@example.com");
    bool has_arn = false;
    for (const auto &[name, value] : devflow::audit_environment(record)) {
        if (name == "DEVFLOW_AWS_ROLE_ARN") has_arn = value == identity.arn;
        assert_true(name != "DEVFLOW_ISSUER");  // no issuer: left out, not empty
    }
    assert_true(has_arn);
}

void environment_has_the_verified_values_only(void **) {
    const auto environment = devflow::audit_environment(oidc_record());
    std::string text;
    for (const auto &[name, value] : environment) text += name + "=" + value + ";";
    assert_string_equal(text.c_str(),
                        "DEVFLOW_PROVIDER=corp;DEVFLOW_SUBJECT=248289761001;DEVFLOW_ACR=urn:mfa;DEVFLOW_AMR=pwd,otp;"
                        "DEVFLOW_ISSUER=https://idp.example/realms/corp;DEVFLOW_TOKEN_ID=3f2a9c01b7e4;");
    for (const auto &[name, value] : environment) {
        bool listed = false;
        for (const auto &known : devflow::audit_environment_names()) listed = listed || known == name;
        assert_true(listed);
    }
}

void fingerprint_is_twelve_hex_of_sha256(void **) {
    // SHA-256("abc") = ba7816bf8f01cfea...
    assert_string_equal(devflow::token_fingerprint("abc").c_str(), "ba7816bf8f01");
    assert_true(devflow::token_fingerprint("").empty());
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(success_fields_in_their_order),
        cmocka_unit_test(a_failure_names_its_pam_code_and_unknowns_are_dashes),
        cmocka_unit_test(hostile_values_cannot_forge_a_field),
        cmocka_unit_test(aws_session_name_is_the_subject),
        cmocka_unit_test(environment_has_the_verified_values_only),
        cmocka_unit_test(fingerprint_is_twelve_hex_of_sha256),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
