// SPDX-License-Identifier: Apache-2.0
#include "account/identity.hpp"
#include "base/json.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "config/validators.hpp"
#include "store/safe_file.hpp"

#include <map>
#include <vector>

namespace devflow {
namespace {

const char *const kUnmappedMessage = "Your account is not set up to log in to this host.";

std::string json_type_name(const Json &value) { return value.type_name(); }

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Splits a line into whitespace-separated fields.
std::vector<std::string> fields_of(const std::string &line) {
    std::vector<std::string> fields;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && is_blank(line[pos])) ++pos;
        const std::size_t start = pos;
        while (pos < line.size() && !is_blank(line[pos])) ++pos;
        if (pos > start) fields.push_back(line.substr(start, pos - start));
    }
    return fields;
}

bool has_control_character(std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t') || byte == 0x7f) return true;
    }
    return false;
}

// Parses the whole map (so a broken file is reported whoever logs in):
// "claim-value local-user" per line, '#' comment lines, blank lines.
std::map<std::string, std::string> parse_user_map(const std::string &text, const std::string &path) {
    std::map<std::string, std::string> map;
    std::map<std::string, std::size_t> defined_on;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string where = path + ":" + std::to_string(line_number) + ": ";
        if (has_control_character(line)) fail_config(where + "control character in the line");
        const auto fields = fields_of(line);
        if (fields.empty() || fields.front().front() == '#') continue;
        if (fields.size() != 2) {
            fail_config(where + "expected \"claim-value local-user\", found " + std::to_string(fields.size()) +
                        " fields");
        }
        if (!is_plausible_username(fields[1])) {
            fail_config(where + quote_for_log(fields[1]) + " is not a valid local user name");
        }
        const auto previous = defined_on.find(fields[0]);
        if (previous != defined_on.end()) {
            // Two answers for one identity: refuse rather than guess which one the admin meant.
            fail_config(where + quote_for_log(fields[0]) + " is already mapped on line " +
                        std::to_string(previous->second));
        }
        defined_on.emplace(fields[0], line_number);
        map.emplace(fields[0], fields[1]);
    }
    return map;
}

// `value` as a local user name: itself, or its entry in user_map_file when
// one is configured. `what` names the value in log lines.
std::string map_local_name(const std::string &value, const std::string &what, const ProviderBasics &provider) {
    if (provider.user_map_file.empty()) {
        if (!is_plausible_username(value)) {
            fail_refused(what + " value " + quote_for_log(value) + " is not a plausible local user name",
                         kUnmappedMessage);
        }
        return value;
    }

    const std::string text = read_trusted_file(provider.user_map_file, trusted_file_owner(), kMaxUserMapBytes);
    const auto map = parse_user_map(text, provider.user_map_file);
    const auto entry = map.find(value);
    if (entry == map.end()) {
        fail_refused(what + " value " + quote_for_log(value) + " has no entry in " + provider.user_map_file,
                     kUnmappedMessage);
    }
    return entry->second;
}

// An email address names a person only once the IdP has verified it: at
// several IdPs (Google among them) anyone can put any address on an account.
// true, or the string "true" some IdPs send; anything else refuses.
void require_verified_email(const Json &claims) {
    const auto verified = claims.find("email_verified");
    const bool yes = verified != claims.end() && ((verified->is_boolean() && verified->get<bool>()) ||
                                                  (verified->is_string() && verified->get<std::string>() == "true"));
    if (!yes) {
        fail_refused(std::string("claim \"email\" is not verified: email_verified is ") +
                         (verified == claims.end() ? "missing" : "not true") +
                         ", and an unverified address is never mapped to a local user",
                     "Your identity provider has not verified your email address; ask your administrator.");
    }
}

}  // namespace

bool is_plausible_username(std::string_view name) {
    if (name.empty() || name.size() > 256) return false;
    for (char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '/' || byte < 0x20 || byte == 0x7f) return false;
    }
    return true;
}

std::string map_identity(const Json &claims, const OidcProviderConfig &provider) {
    const std::string &claim_name = provider.username_claim;
    const std::string missing = "claim " + quote_for_log(claim_name) + " is missing";
    if (!claims.is_object()) fail_refused(missing + ": the claims are not a JSON object", kUnmappedMessage);
    const auto claim = claims.find(claim_name);
    if (claim == claims.end()) {
        fail_refused(missing + " from the token of provider " + quote_for_log(provider.name),
                     "Your identity provider did not say who you are; ask your administrator.");
    }
    if (!claim->is_string() || claim->get_ref<const std::string &>().empty()) {
        fail_refused(missing + " or unusable: it is " +
                         (claim->is_string() ? std::string("an empty string") : "a " + json_type_name(*claim)) +
                         ", not a non-empty string",
                     "Your identity provider did not say who you are; ask your administrator.");
    }
    if (claim_name == "email") require_verified_email(claims);
    return map_local_name(claim->get_ref<const std::string &>(), "claim " + quote_for_log(claim_name), provider);
}

std::string apply_username_domain(const std::string &session_name, const std::string &username_domain) {
    if (username_domain.empty()) return session_name;
    const std::size_t at = session_name.rfind('@');
    if (at == std::string::npos || at == 0 || session_name.find('@') != at ||
        lower_case(session_name.substr(at + 1)) != lower_case(username_domain))
        fail_refused("AWS session name " + quote_for_log(session_name) +
                         " is not in the configured username_domain \"" + username_domain + "\"",
                     "Your AWS identity is not allowed to log in here.");
    return session_name.substr(0, at);
}

std::string map_aws_session_name(const std::string &session_name, const AwsSsoProviderConfig &provider) {
    const std::string name = apply_username_domain(session_name, provider.aws.username_domain);
    return map_local_name(name, "AWS session name", provider);
}

void require_same_user(const std::string &mapped_user, const std::string &pam_user) {
    if (pam_user.empty() || mapped_user != pam_user) {
        fail_refused("identity mismatch: the IdP says " + quote_for_log(mapped_user) + ", logging in as " +
                         quote_for_log(pam_user),
                     "This approval belongs to another account.");
    }
}

}  // namespace devflow
