// SPDX-License-Identifier: Apache-2.0
// enforce_policy: groups, acr and amr rules, each passing and failing.
#include "account/policy.hpp"
#include "config/config.hpp"
#include "test_files.hpp"

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::OidcProviderConfig;
using devflow::Outcome;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using nlohmann::json;

namespace {

OidcProviderConfig with_groups(std::vector<std::string> groups) {
    OidcProviderConfig config;
    config.allowed_groups = std::move(groups);
    return config;
}

OidcProviderConfig with_acr(std::vector<std::string> acr) {
    OidcProviderConfig config;
    config.required_acr = std::move(acr);
    return config;
}

OidcProviderConfig with_amr(std::vector<std::string> amr) {
    OidcProviderConfig config;
    config.required_amr = std::move(amr);
    return config;
}

std::string user_message_of(const std::optional<devflow::Failure> &failure) {
    return failure ? failure->user_message() : "<no failure>";
}

void no_rules_allow_anything(void **) { devflow::enforce_policy(json::object(), OidcProviderConfig{}); }

// ---- groups

void group_in_array_passes(void **) {
    devflow::enforce_policy(json{{"groups", {"staff", "ssh-users"}}}, with_groups({"admins", "ssh-users"}));
}

void group_as_string_passes(void **) {
    devflow::enforce_policy(json{{"groups", "ssh-users"}}, with_groups({"ssh-users"}));
}

void configured_groups_claim_is_used(void **) {
    OidcProviderConfig config = with_groups({"ssh-users"});
    config.groups_claim = "roles";
    devflow::enforce_policy(json{{"groups", "nobody"}, {"roles", {"ssh-users"}}}, config);
}

void no_allowed_group_is_denied(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"groups", {"staff"}}}, with_groups({"ssh-users"}));
    });
    assert_true(
        failed_with(failure, Outcome::refused, "none of the 1 values of claim \"groups\" is in allowed_groups"));
}

void no_allowed_group_tells_the_user(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"groups", {"staff"}}}, with_groups({"ssh-users"}));
    });
    assert_string_equal(user_message_of(failure).c_str(), "Your account is not in a group allowed to log in here.");
}

void group_string_not_allowed_is_denied(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"groups", "staff"}}, with_groups({"ssh-users"}));
    });
    assert_true(failed_with(failure, Outcome::refused, "allowed_groups"));
}

void missing_groups_claim_is_denied(void **) {
    const auto failure = catch_failure([] { devflow::enforce_policy(json{{"sub", "1"}}, with_groups({"ssh-users"})); });
    assert_true(failed_with(failure, Outcome::refused, "claim \"groups\" is missing"));
}

void groups_with_non_strings_are_denied(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"groups", json::array({"ssh-users", 7})}}, with_groups({"ssh-users"}));
    });
    assert_true(failed_with(failure, Outcome::refused, "not a string or an array of strings"));
}

void group_match_is_exact(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"groups", {"SSH-Users"}}}, with_groups({"ssh-users"}));
    });
    assert_true(failed_with(failure, Outcome::refused, "allowed_groups"));
}

// ---- acr

void accepted_acr_passes(void **) { devflow::enforce_policy(json{{"acr", "gold"}}, with_acr({"silver", "gold"})); }

void other_acr_is_denied(void **) {
    const auto failure = catch_failure([] { devflow::enforce_policy(json{{"acr", "bronze"}}, with_acr({"gold"})); });
    assert_true(failed_with(failure, Outcome::refused, "acr \"bronze\" is not one of required_acr [\"gold\"]"));
}

void missing_acr_is_denied(void **) {
    const auto failure = catch_failure([] { devflow::enforce_policy(json::object(), with_acr({"gold"})); });
    assert_true(failed_with(failure, Outcome::refused, "claim \"acr\" is missing"));
}

void non_string_acr_is_denied(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"acr", json::array({"gold"})}}, with_acr({"gold"}));
    });
    assert_true(failed_with(failure, Outcome::refused, "claim \"acr\" is not a string"));
}

// ---- amr

void all_required_amr_pass(void **) {
    devflow::enforce_policy(json{{"amr", {"pwd", "otp", "mfa"}}}, with_amr({"mfa", "otp"}));
}

void lacking_one_amr_is_denied(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"amr", {"pwd", "mfa"}}}, with_amr({"mfa", "hwk"}));
    });
    assert_true(failed_with(failure, Outcome::refused, "lacks required_amr [\"hwk\"]"));
}

void missing_amr_is_denied(void **) {
    const auto failure = catch_failure([] { devflow::enforce_policy(json{{"acr", "1"}}, with_amr({"mfa"})); });
    assert_true(failed_with(failure, Outcome::refused, "claim \"amr\" is missing"));
}

void amr_as_string_is_denied(void **) {
    const auto failure = catch_failure([] { devflow::enforce_policy(json{{"amr", "mfa"}}, with_amr({"mfa"})); });
    assert_true(failed_with(failure, Outcome::refused, "not an array of strings"));
}

void missing_amr_tells_the_user(void **) {
    const auto failure = catch_failure([] { devflow::enforce_policy(json::object(), with_amr({"mfa"})); });
    assert_false(user_message_of(failure).empty());
}

// ---- combined

void every_rule_is_checked(void **) {
    OidcProviderConfig config = with_groups({"ssh-users"});
    config.required_acr = {"gold"};
    config.required_amr = {"mfa"};
    const auto failure = catch_failure([&] {
        devflow::enforce_policy(json{{"groups", {"ssh-users"}}, {"acr", "gold"}, {"amr", {"pwd"}}}, config);
    });
    assert_true(failed_with(failure, Outcome::refused, "required_amr"));
}

void claims_not_an_object_are_denied(void **) {
    const auto failure = catch_failure([] { devflow::enforce_policy(json("groups"), with_groups({"ssh-users"})); });
    assert_true(failed_with(failure, Outcome::refused, "not a JSON object"));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(no_rules_allow_anything),
        cmocka_unit_test(group_in_array_passes),
        cmocka_unit_test(group_as_string_passes),
        cmocka_unit_test(configured_groups_claim_is_used),
        cmocka_unit_test(no_allowed_group_is_denied),
        cmocka_unit_test(no_allowed_group_tells_the_user),
        cmocka_unit_test(group_string_not_allowed_is_denied),
        cmocka_unit_test(missing_groups_claim_is_denied),
        cmocka_unit_test(groups_with_non_strings_are_denied),
        cmocka_unit_test(group_match_is_exact),
        cmocka_unit_test(accepted_acr_passes),
        cmocka_unit_test(other_acr_is_denied),
        cmocka_unit_test(missing_acr_is_denied),
        cmocka_unit_test(non_string_acr_is_denied),
        cmocka_unit_test(all_required_amr_pass),
        cmocka_unit_test(lacking_one_amr_is_denied),
        cmocka_unit_test(missing_amr_is_denied),
        cmocka_unit_test(amr_as_string_is_denied),
        cmocka_unit_test(missing_amr_tells_the_user),
        cmocka_unit_test(every_rule_is_checked),
        cmocka_unit_test(claims_not_an_object_are_denied),
    };
    return cmocka_run_group_tests_name("policy", tests, nullptr, nullptr);
}
