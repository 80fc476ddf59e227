// SPDX-License-Identifier: Apache-2.0
// enforce_policy: groups, acr and amr rules, each passing and failing.
#include "account/policy.hpp"
#include "config/config.hpp"
#include "test_files.hpp"

#include <cstring>
#include <utility>
#include <vector>

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

// Keycloak's full group paths.
void a_top_level_group_path_matches_its_name(void **) {
    devflow::enforce_policy(json{{"groups", {"/staff", "/ssh-users"}}}, with_groups({"ssh-users"}));
    devflow::enforce_policy(json{{"groups", {"/corp/ssh-users"}}}, with_groups({"/corp/ssh-users"}));
    devflow::enforce_policy(json{{"groups", {"/ssh-users"}}}, with_groups({"/ssh-users"}));
}

void a_nested_group_path_never_matches_a_bare_name(void **) {
    for (const auto &one_case :
         std::vector<std::pair<json, std::string>>{{json{"/x/ssh-users"}, "ssh-users"},  // another group, named alike
                                                   {json{"ssh-users"}, "/ssh-users"},  // a full path is matched exactly
                                                   {json{"/corp/ssh-users"}, "/ssh-users"},
                                                   {json{"//ssh-users"}, "ssh-users"},
                                                   {json{"/ssh-users/"}, "ssh-users"},
                                                   {json{"/"}, ""}}) {
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
        const auto failure = catch_failure([&] {
            devflow::enforce_policy(json{{"groups", one_case.first}}, with_groups({one_case.second}));
        });
        assert_true(failed_with(failure, Outcome::refused, "allowed_groups"));
    }
}

void group_match_is_exact(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"groups", {"SSH-Users"}}}, with_groups({"ssh-users"}));
    });
    assert_true(failed_with(failure, Outcome::refused, "allowed_groups"));
}

// Entra ID's groups overage: the claim is left out and _claim_names points
// to Graph. With allowed_groups that is a refusal naming the cause.
void groups_overage_fails_closed_naming_the_cause(void **) {
    const json overage = {{"sub", "1"},
                          {"_claim_names", {{"groups", "src1"}}},
                          {"_claim_sources", {{"src1", {{"endpoint", "https://graph.microsoft.com/v1.0/me"}}}}}};
    const auto failure = catch_failure([&] { devflow::enforce_policy(overage, with_groups({"ssh-users"})); });
    assert_true(failed_with(failure, Outcome::refused, "the IdP left the groups out: too many groups (overage)"));
    assert_non_null(std::strstr(user_message_of(failure).c_str(), "too many groups"));

    const auto implicit = catch_failure([] {
        devflow::enforce_policy(json{{"sub", "1"}, {"hasgroups", true}}, with_groups({"ssh-users"}));
    });
    assert_true(failed_with(implicit, Outcome::refused, "overage"));
    // Without allowed_groups the overage does not matter.
    devflow::enforce_policy(overage, OidcProviderConfig{});
}

// A _claim_names entry for another claim, or hasgroups false, is no overage.
void other_distributed_claims_are_no_overage(void **) {
    const auto failure = catch_failure([] {
        devflow::enforce_policy(json{{"_claim_names", {{"roles", "src1"}}}, {"hasgroups", false}},
                                with_groups({"ssh-users"}));
    });
    assert_true(failed_with(failure, Outcome::refused, "claim \"groups\" is missing"));
}

// ---- hosted domain (Google's hd)

void allowed_hosted_domain_passes(void **) {
    OidcProviderConfig config;
    config.allowed_hosted_domains = {"example.com", "example.org"};
    devflow::enforce_policy(json{{"hd", "example.org"}}, config);
}

void other_or_missing_hosted_domain_is_denied(void **) {
    OidcProviderConfig config;
    config.allowed_hosted_domains = {"example.com"};
    const auto other = catch_failure([&] { devflow::enforce_policy(json{{"hd", "evil.com"}}, config); });
    assert_true(
        failed_with(other, Outcome::refused, "hosted domain \"evil.com\" is not one of allowed_hosted_domains"));
    assert_string_equal(user_message_of(other).c_str(), "Your account's domain is not allowed to log in here.");
    // A consumer account has no hd at all; a case variant is another domain.
    const auto missing = catch_failure([&] { devflow::enforce_policy(json{{"sub", "1"}}, config); });
    assert_true(failed_with(missing, Outcome::refused, "claim \"hd\" is missing"));
    const auto number = catch_failure([&] { devflow::enforce_policy(json{{"hd", 7}}, config); });
    assert_true(failed_with(number, Outcome::refused, "not a string"));
    const auto upper = catch_failure([&] { devflow::enforce_policy(json{{"hd", "Example.com"}}, config); });
    assert_true(failed_with(upper, Outcome::refused, "allowed_hosted_domains"));
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

// Keycloak LoA levels: the number 1 is "1"; a fraction or a boolean is no level.
void numeric_acr_is_compared_by_its_decimal_text(void **) {
    devflow::enforce_policy(json{{"acr", 1}}, with_acr({"1"}));
    devflow::enforce_policy(json{{"acr", "1"}}, with_acr({"1"}));
    const auto zero = catch_failure([] { devflow::enforce_policy(json{{"acr", 0}}, with_acr({"1"})); });
    assert_true(failed_with(zero, Outcome::refused, "acr \"0\" is not one of required_acr [\"1\"]"));
    const auto fraction = catch_failure([] { devflow::enforce_policy(json{{"acr", 1.0}}, with_acr({"1"})); });
    assert_true(failed_with(fraction, Outcome::refused, "claim \"acr\" is not a string"));
    const auto boolean = catch_failure([] { devflow::enforce_policy(json{{"acr", true}}, with_acr({"true"})); });
    assert_true(failed_with(boolean, Outcome::refused, "claim \"acr\" is not a string"));
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
        cmocka_unit_test(a_top_level_group_path_matches_its_name),
        cmocka_unit_test(a_nested_group_path_never_matches_a_bare_name),
        cmocka_unit_test(groups_overage_fails_closed_naming_the_cause),
        cmocka_unit_test(other_distributed_claims_are_no_overage),
        cmocka_unit_test(allowed_hosted_domain_passes),
        cmocka_unit_test(other_or_missing_hosted_domain_is_denied),
        cmocka_unit_test(accepted_acr_passes),
        cmocka_unit_test(other_acr_is_denied),
        cmocka_unit_test(missing_acr_is_denied),
        cmocka_unit_test(non_string_acr_is_denied),
        cmocka_unit_test(numeric_acr_is_compared_by_its_decimal_text),
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
