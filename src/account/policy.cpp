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

void check_groups(const Json &claims, const OidcProviderConfig &provider) {
    const std::string claim_name = quote_for_log(provider.groups_claim);
    const auto claim = claims.find(provider.groups_claim);
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
        if (contains(groups, allowed)) return;
    }
    fail_refused("policy: none of the " + std::to_string(groups.size()) + " values of claim " + claim_name +
                     " is in allowed_groups " + quoted_list(provider.allowed_groups),
                 kGroupMessage);
}

void check_acr(const Json &claims, const OidcProviderConfig &provider) {
    const auto claim = claims.find("acr");
    if (claim == claims.end() || !claim->is_string()) {
        fail_refused(std::string("policy: claim \"acr\" is ") + (claim == claims.end() ? "missing" : "not a string") +
                         "; required_acr accepts " + quoted_list(provider.required_acr),
                     kAcrMessage);
    }
    const auto &acr = claim->get_ref<const std::string &>();
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
    const bool has_rules =
        !provider.allowed_groups.empty() || !provider.required_acr.empty() || !provider.required_amr.empty();
    if (has_rules && !claims.is_object())
        fail_refused("policy: the claims are not a JSON object", "Your login does not meet this host's policy.");
    if (!provider.allowed_groups.empty()) check_groups(claims, provider);
    if (!provider.required_acr.empty()) check_acr(claims, provider);
    if (!provider.required_amr.empty()) check_amr(claims, provider);
}

std::vector<std::string> policy_claim_names(const OidcProviderConfig &provider) {
    std::vector<std::string> names = {provider.username_claim, provider.groups_claim, "acr", "amr", "sub"};
    std::vector<std::string> unique;
    for (auto &name : names) {
        if (!contains(unique, name)) unique.push_back(std::move(name));
    }
    return unique;
}

}  // namespace devflow
