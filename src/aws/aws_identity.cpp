// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_identity.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "config/validators.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

namespace devflow {
namespace {

constexpr std::size_t kMaxPortalAnswer = 64 * 1024;
constexpr std::size_t kMaxStsAnswer = 64 * 1024;
constexpr std::size_t kMaxCredentialField = 8192;  // session tokens run to a few KiB
constexpr std::size_t kMaxXmlValue = 2048;

bool all_of_chars(std::string_view value, bool (*allowed)(char)) {
    return std::all_of(value.begin(), value.end(), allowed);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_key_id_char(char c) { return (c >= 'A' && c <= 'Z') || is_digit(c); }

// The configuration's own rules (config/validators.hpp); the region is also
// held to 32 bytes here, as it always was, since it goes into the signature.
void check_settings(const std::string &region, const std::string &account_id, const std::string &role_name) {
    if (region.size() > 32 || !is_aws_region(region)) {
        fail_config("aws-sso region " + quote_for_log(region) + " is not an AWS region name");
    }
    if (!is_aws_account_id(account_id)) {
        fail_config("aws-sso account_id " + quote_for_log(account_id) + " is not a 12-digit AWS account id");
    }
    if (!is_iam_name(role_name)) {
        fail_config("aws-sso role_name " + quote_for_log(role_name) + " is not a permission set name");
    }
}

std::string without_trailing_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// The exception name of an AWS error: "ForbiddenException:http://internal..." → "ForbiddenException".
std::string aws_error_type(const HttpResponse &response) {
    std::string type = response.header("x-amzn-errortype");
    type = type.substr(0, type.find(':'));
    return type.empty() ? std::string("no error type") : quote_for_log(type, 64);
}

Secret credential_field(const Json &object, const char *name, bool (*allowed)(std::string_view)) {
    auto found = object.find(name);
    if (found == object.end() || !found->is_string()) {
        fail_unavailable(std::string("role credentials have no ") + name);
    }
    const auto &value = found->get_ref<const std::string &>();
    if (value.empty() || value.size() > kMaxCredentialField || !allowed(value)) {
        fail_unavailable(std::string("role credentials have a malformed ") + name);
    }
    return Secret(value);
}

bool is_key_id(std::string_view value) {
    return value.size() >= 16 && value.size() <= 128 && all_of_chars(value, is_key_id_char);
}

// ---- XML: only the few elements we need, found by exact, counted tags.

bool is_tag_end(char c) { return c == '>' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/'; }

// Positions of every tag `<name` or `</name` (closing) in `text`, whatever follows the name.
std::vector<std::size_t> tag_positions(std::string_view text, std::string_view name, bool closing) {
    const std::string opener = std::string(closing ? "</" : "<") + std::string(name);
    std::vector<std::size_t> found;
    for (std::size_t at = text.find(opener); at != std::string_view::npos; at = text.find(opener, at + 1)) {
        const std::size_t end = at + opener.size();
        if (end < text.size() && is_tag_end(text[end])) found.push_back(at);
    }
    return found;
}

// The text of the single <name>...</name> in `text`. Anything else (absent,
// repeated, attributes, nested markup, entities, unprintable bytes) is refused.
std::string_view only_element(std::string_view text, std::string_view name, const char *what) {
    const auto opens = tag_positions(text, name, false);
    const auto closes = tag_positions(text, name, true);
    if (opens.empty() && closes.empty()) fail_unavailable(std::string(what) + " has no " + std::string(name));
    if (opens.size() != 1 || closes.size() != 1) {
        fail_unavailable(std::string(what) + " has more than one " + std::string(name));
    }
    const std::string open_tag = "<" + std::string(name) + ">";
    const std::string close_tag = "</" + std::string(name) + ">";
    if (text.compare(opens[0], open_tag.size(), open_tag) != 0 ||
        text.compare(closes[0], close_tag.size(), close_tag) != 0 || closes[0] < opens[0] + open_tag.size()) {
        fail_unavailable(std::string(what) + " has a malformed " + std::string(name) + " element");
    }
    return text.substr(opens[0] + open_tag.size(), closes[0] - opens[0] - open_tag.size());
}

std::string checked_value(std::string_view value, std::string_view name) {
    // ARNs, account ids and user ids need no entities and no markup.
    if (value.empty() || value.size() > kMaxXmlValue || !is_visible_ascii(value) ||
        value.find_first_of("<>&\"'") != std::string_view::npos) {
        fail_unavailable("GetCallerIdentity answer has a malformed " + std::string(name));
    }
    return std::string(value);
}

// STS error answers: <ErrorResponse><Error><Code>...</Code>...; for the log only.
std::string sts_error_code(const std::string &xml) {
    const auto open = xml.find("<Code>");
    if (open == std::string::npos) return "no error code";
    const auto start = open + 6;
    const auto close = xml.find("</Code>", start);
    if (close == std::string::npos || close - start > 64) return "malformed error code";
    return quote_for_log(std::string_view(xml).substr(start, close - start), 64);
}

// ---- the two calls

HttpResponse request_role_credentials(HttpTransport &transport, const std::string &portal,
                                      const std::string &account_id, const std::string &role_name,
                                      const Secret &access_token) {
    if (access_token.empty() || access_token.reveal().size() > kMaxCredentialField ||
        !is_visible_ascii(access_token.reveal())) {
        fail_unavailable("the aws-sso access token is empty or not printable ASCII");
    }
    HttpRequest request;
    request.method = "GET";
    request.url = without_trailing_slashes(portal) + "/federation/credentials?role_name=" + form_encode(role_name) +
                  "&account_id=" + form_encode(account_id);
    request.headers.push_back("x-amz-sso_bearer_token: " + access_token.reveal());
    return transport.send(request);
}

AwsRoleCredentials role_credentials(HttpTransport &transport, const std::string &portal, const std::string &account_id,
                                    const std::string &role_name, const Secret &access_token) {
    const HttpResponse response = request_role_credentials(transport, portal, account_id, role_name, access_token);
    if (response.status == 401 || response.status == 403) {
        fail_refused("the approved identity cannot use role " + role_name + " in account " + account_id +
                         " (SSO portal: HTTP " + std::to_string(response.status) + ", " + aws_error_type(response) +
                         ")",
                     "Your account has no access to this host's AWS role.");
    }
    if (response.status != 200) {
        fail_unavailable("SSO portal GetRoleCredentials answered HTTP " + std::to_string(response.status) + " (" +
                             aws_error_type(response) + ")",
                         "AWS IAM Identity Center cannot be reached. Please try again later.");
    }
    return parse_role_credentials(response.body);
}

AwsCallerIdentity caller_identity(HttpTransport &transport, const std::string &sts, const std::string &region,
                                  AwsRoleCredentials credentials) {
    HttpRequest request;
    request.method = "POST";
    request.url = without_trailing_slashes(sts) + "/";
    request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: text/xml"};
    request.body = "Action=GetCallerIdentity&Version=2011-06-15";
    request.aws_signing = AwsSigning{"aws:amz:" + region + ":sts", std::move(credentials.access_key_id),
                                     std::move(credentials.secret_access_key), std::move(credentials.session_token)};
    const HttpResponse response = transport.send(request);
    if (response.status != 200) {
        fail_unavailable("STS GetCallerIdentity answered HTTP " + std::to_string(response.status) + " (" +
                             sts_error_code(response.body) + ")",
                         "AWS cannot confirm your identity right now. Please try again later.");
    }
    return parse_caller_identity(response.body);
}

[[noreturn]] void refuse_arn(const std::string &arn, const std::string &why) {
    fail_unavailable("STS names " + quote_for_log(arn) + ", " + why);
}

// arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_<role>_<hex>/<session>: the
// role Identity Center provisions for the permission set, nothing else.
std::string session_name_of(const std::string &arn, const std::string &account_id, const std::string &role_name) {
    const std::string prefix = "arn:aws:sts::" + account_id + ":assumed-role/";
    auto refuse = [&arn](const std::string &why) { refuse_arn(arn, why); };
    if (arn.rfind(prefix, 0) != 0) refuse("not a role session in account " + account_id);
    const std::string rest = arn.substr(prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) refuse("which has no session name");
    const std::string role_part = rest.substr(0, slash);
    const std::string session = rest.substr(slash + 1);
    const std::string role_prefix = "AWSReservedSSO_" + role_name + "_";
    if (role_part.rfind(role_prefix, 0) != 0) refuse("not the Identity Center role of permission set " + role_name);
    const std::string role_id = role_part.substr(role_prefix.size());
    if (role_id.empty() || role_id.size() > 32 || !all_of_chars(role_id, is_lower_hex)) {
        refuse("not the Identity Center role of permission set " + role_name);
    }
    if (!is_iam_name(session)) {
        refuse("whose session name is not a user name");
    }
    return session;
}

}  // namespace

AwsRoleCredentials parse_role_credentials(const std::string &body) {
    if (body.size() > kMaxPortalAnswer) fail_unavailable("GetRoleCredentials answer is too large");
    Json json = parse_untrusted_json(body);
    WipeJsonOnExit wipe_credentials(json);  // it holds the role credentials
    if (json.is_discarded() || !json.is_object()) fail_unavailable("GetRoleCredentials answer is not a JSON object");
    auto found = json.find("roleCredentials");
    if (found == json.end() || !found->is_object())
        fail_unavailable("GetRoleCredentials answer has no roleCredentials");
    const Json &fields = *found;

    AwsRoleCredentials credentials;
    credentials.access_key_id = credential_field(fields, "accessKeyId", is_key_id);
    credentials.secret_access_key = credential_field(fields, "secretAccessKey", is_visible_ascii);
    credentials.session_token = credential_field(fields, "sessionToken", is_visible_ascii);
    auto expiration = fields.find("expiration");
    if (expiration == fields.end() || !expiration->is_number_integer()) {
        fail_unavailable("role credentials have no integer expiration");
    }
    // An unsigned value past LLONG_MAX reads as negative here, and is refused.
    const auto milliseconds = expiration->get<long long>();
    const std::optional<TimePoint> expires_at =
        milliseconds > 0 ? time_from_epoch_milliseconds(milliseconds) : std::nullopt;
    if (!expires_at) fail_unavailable("role credentials have an out-of-range expiration");
    credentials.expires_at = *expires_at;
    return credentials;
}

AwsCallerIdentity parse_caller_identity(const std::string &xml) {
    const char *what = "GetCallerIdentity answer";
    if (xml.size() > kMaxStsAnswer) fail_unavailable("GetCallerIdentity answer is too large");
    std::string_view text = xml;
    const auto start = text.find_first_not_of(" \t\r\n");
    text.remove_prefix(start == std::string_view::npos ? text.size() : start);
    if (text.rfind("<?xml", 0) == 0) {
        const auto end = text.find("?>");
        if (end == std::string_view::npos) fail_unavailable("GetCallerIdentity answer has a malformed XML declaration");
        text.remove_prefix(end + 2);
    }
    // No DTDs (entity definitions), comments, CDATA or processing instructions:
    // each could make the text mean something other than it reads.
    if (text.find("<!") != std::string_view::npos || text.find("<?") != std::string_view::npos) {
        fail_unavailable("GetCallerIdentity answer holds a DTD, comment, CDATA or processing instruction");
    }
    if (tag_positions(text, "GetCallerIdentityResponse", false).size() != 1) {
        fail_unavailable("GetCallerIdentity answer is not one GetCallerIdentityResponse");
    }
    const auto opens = tag_positions(text, "GetCallerIdentityResult", false);
    const auto closes = tag_positions(text, "GetCallerIdentityResult", true);
    if (opens.size() != 1 || closes.size() != 1 || closes[0] < opens[0]) {
        fail_unavailable("GetCallerIdentity answer does not hold exactly one GetCallerIdentityResult");
    }
    const std::string_view result = text.substr(opens[0], closes[0] - opens[0]);
    AwsCallerIdentity identity;
    identity.arn = checked_value(only_element(result, "Arn", what), "Arn");
    identity.account = checked_value(only_element(result, "Account", what), "Account");
    identity.user_id = checked_value(only_element(result, "UserId", what), "UserId");
    // The same names outside the result would mean a second, conflicting answer.
    for (const char *name : {"Arn", "Account", "UserId"}) {
        if (tag_positions(text, name, false).size() != 1) {
            fail_unavailable(std::string("GetCallerIdentity answer has more than one ") + name);
        }
    }
    return identity;
}

AwsIdentity verify_aws_identity(HttpTransport &transport, const AwsEndpoints &endpoints, const std::string &region,
                                const std::string &account_id, const std::string &role_name,
                                const Secret &access_token) {
    check_settings(region, account_id, role_name);
    AwsRoleCredentials credentials = role_credentials(transport, endpoints.portal, account_id, role_name, access_token);
    const AwsCallerIdentity caller = caller_identity(transport, endpoints.sts, region, std::move(credentials));
    if (caller.account != account_id) {
        fail_unavailable("STS names account " + quote_for_log(caller.account) + ", not the configured " + account_id);
    }
    AwsIdentity identity;
    identity.account = caller.account;
    identity.arn = caller.arn;
    identity.session_name = session_name_of(caller.arn, account_id, role_name);
    const std::string user_id_suffix = ":" + identity.session_name;
    if (caller.user_id.size() <= user_id_suffix.size() ||
        caller.user_id.compare(caller.user_id.size() - user_id_suffix.size(), user_id_suffix.size(), user_id_suffix) !=
            0) {
        fail_unavailable("STS UserId " + quote_for_log(caller.user_id) + " does not match the session in " +
                         quote_for_log(caller.arn));
    }
    return identity;
}

}  // namespace devflow
