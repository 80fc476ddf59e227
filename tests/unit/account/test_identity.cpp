// SPDX-License-Identifier: Apache-2.0
// map_identity and require_same_user: from verified claims to PAM_USER.
#include "account/identity.hpp"
#include "config/config.hpp"
#include "test_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::AwsSsoProviderConfig;
using devflow::OidcProviderConfig;
using devflow::Outcome;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::TempDir;
using nlohmann::json;

namespace {

TempDir &dir_of(void **state) { return *static_cast<TempDir *>(*state); }

int setup(void **state) {
    *state = new TempDir();
    return 0;
}

int teardown(void **state) {
    delete static_cast<TempDir *>(*state);
    return 0;
}

template <typename Kind = OidcProviderConfig>
Kind provider() {
    Kind config;
    config.name = "corp";
    config.type = "oidc";
    return config;
}

template <typename Kind = OidcProviderConfig>
Kind provider_with_map(TempDir &dir, const std::string &map_text, mode_t mode = 0644) {
    Kind config = provider<Kind>();
    config.user_map_file = dir / "users";
    devflow::test::write_text(config.user_map_file, map_text, mode);
    return config;
}

const char *const map_text =
    "# IdP name       local user\n"
    "\n"
    "alice@corp.example   alice\n"
    "   bob@corp.example\tbob   \n";

// ---- the claim

void claim_value_is_the_local_name(void **) {
    assert_string_equal(devflow::map_identity(json{{"preferred_username", "alice"}}, provider()).c_str(), "alice");
}

void configured_claim_is_used(void **) {
    OidcProviderConfig config = provider();
    config.username_claim = "uid";
    assert_string_equal(devflow::map_identity(json{{"preferred_username", "x"}, {"uid", "carol"}}, config).c_str(),
                        "carol");
}

// username_claim = "email": only an address the IdP verified names a person.
void an_email_is_mapped_only_when_verified(void **) {
    OidcProviderConfig config = provider();
    config.username_claim = "email";
    assert_string_equal(devflow::map_identity(json{{"email", "carol"}, {"email_verified", true}}, config).c_str(),
                        "carol");
    assert_string_equal(devflow::map_identity(json{{"email", "carol"}, {"email_verified", "true"}}, config).c_str(),
                        "carol");
    for (const json &claims :
         {json{{"email", "carol"}}, json{{"email", "carol"}, {"email_verified", false}},
          json{{"email", "carol"}, {"email_verified", "false"}}, json{{"email", "carol"}, {"email_verified", 1}},
          json{{"email", "carol"}, {"email_verified", "TRUE"}}}) {
        const auto failure = catch_failure([&] { devflow::map_identity(claims, config); });
        assert_true(failed_with(failure, Outcome::refused, "claim \"email\" is not verified"));
    }
    // Another claim name needs no email_verified.
    config.username_claim = "uid";
    assert_string_equal(devflow::map_identity(json{{"uid", "carol"}, {"email_verified", false}}, config).c_str(),
                        "carol");
}

void missing_claim_is_refused(void **) {
    const auto failure = catch_failure([] { devflow::map_identity(json{{"sub", "123"}}, provider()); });
    assert_true(failed_with(failure, Outcome::refused, "claim \"preferred_username\" is missing"));
}

void missing_claim_tells_the_user(void **) {
    const auto failure = catch_failure([] { devflow::map_identity(json{{"sub", "123"}}, provider()); });
    assert_false(failure.value_or(devflow::Failure(Outcome::refused, "")).user_message().empty());
}

void non_string_claim_is_refused(void **) {
    const auto failure = catch_failure([] { devflow::map_identity(json{{"preferred_username", 42}}, provider()); });
    assert_true(failed_with(failure, Outcome::refused, "not a non-empty string"));
}

void empty_claim_is_refused(void **) {
    const auto failure = catch_failure([] { devflow::map_identity(json{{"preferred_username", ""}}, provider()); });
    assert_true(failed_with(failure, Outcome::refused, "an empty string"));
}

void claims_not_an_object_are_refused(void **) {
    const auto failure = catch_failure([] { devflow::map_identity(json::array({"alice"}), provider()); });
    assert_true(failed_with(failure, Outcome::refused, "not a JSON object"));
}

void unmapped_name_with_slash_is_refused(void **) {
    const auto failure = catch_failure([] {
        devflow::map_identity(json{{"preferred_username", "../root"}}, provider());
    });
    assert_true(failed_with(failure, Outcome::refused, "not a plausible local user name"));
}

void unmapped_name_with_control_character_is_refused(void **) {
    const auto failure = catch_failure([] {
        devflow::map_identity(json{{"preferred_username", "alice\nroot"}}, provider());
    });
    assert_true(failed_with(failure, Outcome::refused, "\"alice\\x0aroot\" is not a plausible"));
}

void unmapped_overlong_name_is_refused(void **) {
    const auto failure = catch_failure([] {
        devflow::map_identity(json{{"preferred_username", std::string(257, 'a')}}, provider());
    });
    assert_true(failed_with(failure, Outcome::refused, "not a plausible local user name"));
}

// ---- the map file

void map_hit_returns_local_user(void **state) {
    const auto config = provider_with_map(dir_of(state), map_text);
    assert_string_equal(devflow::map_identity(json{{"preferred_username", "bob@corp.example"}}, config).c_str(), "bob");
}

void map_miss_is_refused(void **state) {
    const auto config = provider_with_map(dir_of(state), map_text);
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "mallory@corp.example"}}, config);
    });
    assert_true(
        failed_with(failure, Outcome::refused, "\"mallory@corp.example\" has no entry in " + config.user_map_file));
}

void map_does_not_fall_back_to_claim(void **state) {
    // With a map, a claim value that happens to be a local name is still unmapped.
    const auto config = provider_with_map(dir_of(state), map_text);
    const auto failure = catch_failure([&] { devflow::map_identity(json{{"preferred_username", "alice"}}, config); });
    assert_true(failed_with(failure, Outcome::refused, "has no entry"));
}

void malformed_line_names_file_and_line(void **state) {
    const auto config = provider_with_map(dir_of(state), "# users\nalice@corp alice\ncarol@corp\n");
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "alice@corp"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, config.user_map_file + ":3: expected"));
}

void line_with_three_fields_is_malformed(void **state) {
    const auto config = provider_with_map(dir_of(state), "alice@corp alice extra\n");
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "alice@corp"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, config.user_map_file + ":1: expected"));
}

void invalid_local_user_is_malformed(void **state) {
    const auto config = provider_with_map(dir_of(state), "alice@corp ../alice\n");
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "alice@corp"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, ":1: \"../alice\" is not a valid local user name"));
}

void duplicate_entry_is_refused(void **state) {
    const auto config = provider_with_map(dir_of(state), "alice@corp alice\nalice@corp root\n");
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "alice@corp"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, ":2: \"alice@corp\" is already mapped on line 1"));
}

void control_character_in_map_is_malformed(void **state) {
    const auto config = provider_with_map(dir_of(state), std::string("alice@corp alice\nbob\0x bob\n", 26));
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "alice@corp"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, ":2: control character"));
}

void crlf_map_is_accepted(void **state) {
    const auto config = provider_with_map(dir_of(state), "alice@corp alice\r\n");
    assert_string_equal(devflow::map_identity(json{{"preferred_username", "alice@corp"}}, config).c_str(), "alice");
}

void group_writable_map_is_refused(void **state) {
    const auto config = provider_with_map(dir_of(state), map_text, 0664);
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "bob@corp.example"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, "writable by group or others"));
}

void symlinked_map_is_refused(void **state) {
    auto config = provider_with_map(dir_of(state), map_text);
    const auto link = dir_of(state) / "users.link";
    assert_int_equal(symlink(config.user_map_file.c_str(), link.c_str()), 0);
    config.user_map_file = link;
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "bob@corp.example"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, "is a symlink"));
}

void foreign_owned_map_is_refused(void **state) {
    if (!devflow::test::running_as_root()) {
        print_message("skipped: giving the map file to another uid needs root\n");
        skip();
    }
    const auto config = provider_with_map(dir_of(state), map_text);
    assert_int_equal(chown(config.user_map_file.c_str(), devflow::test::other_uid, 0), 0);
    const auto failure = catch_failure([&] {
        devflow::map_identity(json{{"preferred_username", "bob@corp.example"}}, config);
    });
    assert_true(failed_with(failure, Outcome::config_error, "owned by uid 65534"));
}

void missing_map_is_config_error(void **state) {
    OidcProviderConfig config = provider();
    config.user_map_file = dir_of(state) / "absent";
    const auto failure = catch_failure([&] { devflow::map_identity(json{{"preferred_username", "bob"}}, config); });
    assert_true(failed_with(failure, Outcome::config_error, "cannot open " + config.user_map_file));
}

// ---- binding to PAM_USER

void same_user_passes(void **) { devflow::require_same_user("alice", "alice"); }

void mismatch_is_refused_with_both_names(void **) {
    const auto failure = catch_failure([] { devflow::require_same_user("bob", "alice"); });
    assert_true(
        failed_with(failure, Outcome::refused, "identity mismatch: the IdP says \"bob\", logging in as \"alice\""));
}

void mismatch_tells_the_user(void **) {
    const auto failure = catch_failure([] { devflow::require_same_user("bob", "alice"); });
    assert_string_equal(failure.value_or(devflow::Failure(Outcome::refused, "")).user_message().c_str(),
                        "This approval belongs to another account.");
}

void case_differs_is_mismatch(void **) {
    const auto failure = catch_failure([] { devflow::require_same_user("Alice", "alice"); });
    assert_true(failed_with(failure, Outcome::refused, "identity mismatch"));
}

void empty_pam_user_is_mismatch(void **) {
    const auto failure = catch_failure([] { devflow::require_same_user("", ""); });
    assert_true(failed_with(failure, Outcome::refused, "identity mismatch"));
}

// ---- aws-sso session names

AwsSsoProviderConfig aws_provider(const std::string &domain = {}) {
    AwsSsoProviderConfig config = provider<AwsSsoProviderConfig>();
    config.type = "aws-sso";
    config.aws.username_domain = domain;
    return config;
}

void username_domain_maps_and_refuses(void **) {
    assert_string_equal(devflow::apply_username_domain("alice@example.com", "example.com").c_str(), "alice");
    assert_string_equal(devflow::apply_username_domain("alice@EXAMPLE.com", "example.com").c_str(), "alice");
    assert_string_equal(devflow::apply_username_domain("alice@other.com", "").c_str(), "alice@other.com");
    for (const char *refused : {"alice@other.com", "alice", "@example.com", "alice@example.com.evil",
                                "bob@x@example.com", "alice@sub.example.com"}) {
        const auto failure = catch_failure([&] { (void)devflow::apply_username_domain(refused, "example.com"); });
        if (!failed_with(failure, Outcome::refused)) fail_msg("%s was not refused", refused);
    }
}

void aws_session_name_is_the_local_name(void **) {
    assert_string_equal(devflow::map_aws_session_name("alice", aws_provider()).c_str(), "alice");
}

void aws_session_name_loses_the_username_domain(void **) {
    assert_string_equal(devflow::map_aws_session_name("alice@Corp.Example", aws_provider("corp.example")).c_str(),
                        "alice");
    const auto failure =
        catch_failure([] { devflow::map_aws_session_name("alice@evil.example", aws_provider("corp.example")); });
    assert_true(failed_with(failure, Outcome::refused, "username_domain"));
}

void aws_session_name_goes_through_the_map_without_its_domain(void **state) {
    AwsSsoProviderConfig config = provider_with_map<AwsSsoProviderConfig>(dir_of(state), "carol   alice\n");
    config.type = "aws-sso";
    config.aws.username_domain = "corp.example";
    assert_string_equal(devflow::map_aws_session_name("carol@corp.example", config).c_str(), "alice");
    const auto failure = catch_failure([&] { devflow::map_aws_session_name("alice@corp.example", config); });
    assert_true(failed_with(failure, Outcome::refused, "AWS session name value \"alice\" has no entry in"));
}

void aws_session_name_that_is_no_user_name_is_refused(void **) {
    const auto failure = catch_failure([] { devflow::map_aws_session_name("../root", aws_provider()); });
    assert_true(failed_with(failure, Outcome::refused, "not a plausible local user name"));
}

}  // namespace

#define CASE(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(claim_value_is_the_local_name),
        cmocka_unit_test(configured_claim_is_used),
        cmocka_unit_test(an_email_is_mapped_only_when_verified),
        cmocka_unit_test(missing_claim_is_refused),
        cmocka_unit_test(missing_claim_tells_the_user),
        cmocka_unit_test(non_string_claim_is_refused),
        cmocka_unit_test(empty_claim_is_refused),
        cmocka_unit_test(claims_not_an_object_are_refused),
        cmocka_unit_test(unmapped_name_with_slash_is_refused),
        cmocka_unit_test(unmapped_name_with_control_character_is_refused),
        cmocka_unit_test(unmapped_overlong_name_is_refused),
        CASE(map_hit_returns_local_user),
        CASE(map_miss_is_refused),
        CASE(map_does_not_fall_back_to_claim),
        CASE(malformed_line_names_file_and_line),
        CASE(line_with_three_fields_is_malformed),
        CASE(invalid_local_user_is_malformed),
        CASE(duplicate_entry_is_refused),
        CASE(control_character_in_map_is_malformed),
        CASE(crlf_map_is_accepted),
        CASE(group_writable_map_is_refused),
        CASE(symlinked_map_is_refused),
        CASE(foreign_owned_map_is_refused),
        CASE(missing_map_is_config_error),
        cmocka_unit_test(aws_session_name_is_the_local_name),
        cmocka_unit_test(username_domain_maps_and_refuses),
        cmocka_unit_test(aws_session_name_loses_the_username_domain),
        CASE(aws_session_name_goes_through_the_map_without_its_domain),
        cmocka_unit_test(aws_session_name_that_is_no_user_name_is_refused),
        cmocka_unit_test(same_user_passes),
        cmocka_unit_test(mismatch_is_refused_with_both_names),
        cmocka_unit_test(mismatch_tells_the_user),
        cmocka_unit_test(case_differs_is_mismatch),
        cmocka_unit_test(empty_pam_user_is_mismatch),
    };
    return cmocka_run_group_tests_name("identity", tests, nullptr, nullptr);
}
