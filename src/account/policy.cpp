// SPDX-License-Identifier: Apache-2.0
#include "account/policy.hpp"
#include "base/json.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace devflow {
namespace {

const char *const kGroupMessage = "Your account is not in a group allowed to log in here.";
const char *const kOverageMessage =
    "The identity provider left your groups out of the sign-in (too many groups), so group membership "
    "cannot be checked. Please contact your administrator.";
const char *const kDomainMessage = "Your account's domain is not allowed to log in here.";
const char *const kAcrMessage = "This login needs a stronger sign-in at your identity provider.";
const char *const amr_message = "This login needs additional sign-in factors (such as MFA) at your identity provider.";

std::string quoted_list(const std::vector<std::string> &values) {
    std::string out = "[";
    for (const auto &value : values) {
        if (out.size() > 1) out += ", ";
        out += quote_for_log(value);
    }
    return out + "]";
}

// A JSON array whose elements are all strings; nullopt for anything else.
std::optional<std::vector<std::string>> string_array(const Json &value) {
    if (!value.is_array()) return std::nullopt;
    std::vector<std::string> strings;
    for (const auto &element : value) {
        if (!element.is_string()) return std::nullopt;
        strings.push_back(element.get<std::string>());
    }
    return strings;
}

bool contains(const std::vector<std::string> &values, const std::string &wanted) {
    return std::find(values.begin(), values.end(), wanted) != values.end();
}

// Keycloak's group mapper with "Full group path" on sends "/ssh-users" and
// "/parent/child". An allowed group written with a leading slash is a full
// path, matched exactly; one without also matches the top-level path
// "/name", never a nested "/x/name": that is another group, which whoever
// administers "x" can create.
bool group_matches(const std::string &group, const std::string &allowed) {
    if (group == allowed) return true;
    return !allowed.empty() && allowed.front() != '/' && group.size() == allowed.size() + 1 && group.front() == '/' &&
           group.compare(1, std::string::npos, allowed) == 0;
}

// Entra ID's groups overage (OIDC Core 5.6.2 distributed claims): with too
// many groups the claim is left out, and _claim_names names a source for it
// instead (or, from the implicit flow, hasgroups is true). The person may
// well be in an allowed group: say so, never read it as "in no group".
bool groups_left_out(const Json &claims, const std::string &claim_name) {
    const auto names = claims.find("_claim_names");
    if (names != claims.end() && names->is_object() && names->contains(claim_name)) return true;
    const auto hasgroups = claims.find("hasgroups");
    return hasgroups != claims.end() && hasgroups->is_boolean() && hasgroups->get<bool>();
}

void check_groups(const Json &claims, const OidcProviderConfig &provider) {
    const std::string claim_name = quote_for_log(provider.groups_claim);
    const auto claim = claims.find(provider.groups_claim);
    if (claim == claims.end() && groups_left_out(claims, provider.groups_claim)) {
        fail_refused("policy: the IdP left the groups out: too many groups (overage); claim " + claim_name +
                         " is absent and _claim_names/hasgroups point elsewhere, so allowed_groups " +
                         quoted_list(provider.allowed_groups) +
                         " cannot be checked (use group filtering or app roles at the IdP)",
                     kOverageMessage);
    }
    if (claim == claims.end()) {
        fail_refused("policy: claim " + claim_name + " is missing; allowed_groups requires one of " +
                         quoted_list(provider.allowed_groups),
                     kGroupMessage);
    }
    std::vector<std::string> groups;
    if (claim->is_string()) {
        groups.push_back(claim->get<std::string>());
    } else if (auto array = string_array(*claim)) {
        groups = std::move(*array);
    } else {
        fail_refused("policy: claim " + claim_name + " is a " + std::string(claim->type_name()) +
                         ", not a string or an array of strings",
                     kGroupMessage);
    }
    for (const auto &allowed : provider.allowed_groups) {
        for (const auto &group : groups) {
            if (group_matches(group, allowed)) return;
        }
    }
    fail_refused("policy: none of the " + std::to_string(groups.size()) + " values of claim " + claim_name +
                     " is in allowed_groups " + quoted_list(provider.allowed_groups),
                 kGroupMessage);
}

// Google's hd: the Workspace domain of the account; absent for a consumer
// account, which allowed_hosted_domains therefore refuses.
void check_hosted_domain(const Json &claims, const OidcProviderConfig &provider) {
    const auto claim = claims.find("hd");
    if (claim == claims.end() || !claim->is_string()) {
        fail_refused(std::string("policy: claim \"hd\" is ") + (claim == claims.end() ? "missing" : "not a string") +
                         " (not a Workspace account); allowed_hosted_domains accepts " +
                         quoted_list(provider.allowed_hosted_domains),
                     kDomainMessage);
    }
    const auto &domain = claim->get_ref<const std::string &>();
    if (!contains(provider.allowed_hosted_domains, domain)) {
        fail_refused("policy: hosted domain " + quote_for_log(domain) + " is not one of allowed_hosted_domains " +
                         quoted_list(provider.allowed_hosted_domains),
                     kDomainMessage);
    }
}

// Keycloak's LoA levels come as "1" or, from some mappers and IdPs, as the
// JSON number 1: a number is compared by its decimal text.
void check_acr(const Json &claims, const OidcProviderConfig &provider) {
    const auto claim = claims.find("acr");
    const bool usable = claim != claims.end() && (claim->is_string() || claim->is_number_integer());
    if (!usable) {
        fail_refused(std::string("policy: claim \"acr\" is ") +
                         (claim == claims.end() ? "missing" : "not a string (nor an integer)") +
                         "; required_acr accepts " + quoted_list(provider.required_acr),
                     kAcrMessage);
    }
    const std::string acr = claim->is_string() ? claim->get<std::string>() : claim->dump();
    if (!contains(provider.required_acr, acr)) {
        fail_refused("policy: acr " + quote_for_log(acr) + " is not one of required_acr " +
                         quoted_list(provider.required_acr),
                     kAcrMessage);
    }
}

void check_amr(const Json &claims, const OidcProviderConfig &provider) {
    const auto claim = claims.find("amr");
    if (claim == claims.end()) {
        fail_refused("policy: claim \"amr\" is missing; required_amr needs " + quoted_list(provider.required_amr),
                     amr_message);
    }
    const auto amr = string_array(*claim);
    if (!amr) {
        fail_refused("policy: claim \"amr\" is a " + std::string(claim->type_name()) + ", not an array of strings",
                     amr_message);
    }
    std::vector<std::string> absent;
    for (const auto &required : provider.required_amr) {
        if (!contains(*amr, required)) absent.push_back(required);
    }
    if (!absent.empty()) {
        fail_refused("policy: amr " + quoted_list(*amr) + " lacks required_amr " + quoted_list(absent), amr_message);
    }
}

}  // namespace

void enforce_policy(const Json &claims, const OidcProviderConfig &provider) {
    const bool has_rules = !provider.allowed_groups.empty() || !provider.allowed_hosted_domains.empty() ||
                           !provider.required_acr.empty() || !provider.required_amr.empty();
    if (has_rules && !claims.is_object())
        fail_refused("policy: the claims are not a JSON object", "Your login does not meet this host's policy.");
    if (!provider.allowed_groups.empty()) check_groups(claims, provider);
    if (!provider.allowed_hosted_domains.empty()) check_hosted_domain(claims, provider);
    if (!provider.required_acr.empty()) check_acr(claims, provider);
    if (!provider.required_amr.empty()) check_amr(claims, provider);
}

std::vector<std::string> policy_claim_names(const OidcProviderConfig &provider) {
    std::vector<std::string> names = {provider.username_claim, provider.groups_claim, "acr", "amr",           "sub",
                                      "_claim_names",          "hasgroups",           "hd",  "email_verified"};
    std::vector<std::string> unique;
    for (auto &name : names) {
        if (!contains(unique, name)) unique.push_back(std::move(name));
    }
    return unique;
}

}  // namespace devflow
