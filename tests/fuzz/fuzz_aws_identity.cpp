// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the two answers that name an aws-sso user: the SSO
// portal's GetRoleCredentials JSON and STS GetCallerIdentity XML
// (parse_role_credentials, parse_caller_identity), and verify_aws_identity
// around them, through a scripted HttpTransport.
//
// Input: the whole answer body. It goes to both parsers, then to
// verify_aws_identity twice: once as the portal's answer (STS answers a good
// GetCallerIdentity) and once as STS's answer (the portal answers good
// credentials), both with HTTP 200.
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure, outcome
//    unavailable (denied needs HTTP 401/403, which is not sent here), with a
//    log line under 1 KiB of printable ASCII;
//  - accepted role credentials come from an answer of at most 64 KiB whose
//    roleCredentials (re-read with nlohmann_json) hold exactly the returned
//    accessKeyId (16..128 of A-Z0-9), secretAccessKey and sessionToken
//    (1..8192 visible ASCII each) and an integer expiration of 1 ms up to
//    9999-12-31T23:59:59.999Z that expires_at equals to the millisecond (or,
//    past 2262, where TimePoint ends, holds at TimePoint::max(): never a
//    wrapped time);
//  - an accepted caller identity comes from at most 64 KiB holding no DTD,
//    comment, CDATA or processing instruction after the XML declaration, and
//    each of Arn, Account and UserId is 1..2048 visible ASCII without markup
//    characters and appears in the text exactly once, as <Name>value</Name>;
//  - a verified identity is in account 111122223333, its ARN is
//    arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_<1..32
//    lower hex>/<session>, its session name is that last segment (1..64 IAM
//    name characters) and the answer's UserId ends in ":<session>";
//  - STS is asked exactly once per verification that reaches it, signed with
//    exactly the key id, secret and session token the portal handed out.
#include "aws/aws_identity.hpp"
#include "base/failure.hpp"
#include "config/aws_endpoints.hpp"
#include "fake_transport.hpp"
#include "fuzz_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using devflow::fuzz::require;
using devflow::test::FakeTransport;

constexpr std::size_t kMaxAnswer = 64 * 1024;
constexpr long long kLatestExpirationMs = 253402300799999LL;
const std::string kAccount = "111122223333";
const std::string kRole = "ReadOnly";
const devflow::AwsEndpoints kEndpoints{"https://oidc.example", "https://portal.example", "https://sts.example"};
const std::string kCredentialsUrl =
    "https://portal.example/federation/credentials?role_name=ReadOnly&account_id=111122223333";
const std::string kStsUrl = "https://sts.example/";
const char *const kGoodCredentials =
    R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001","secretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",)"
    R"("sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE==","expiration":1700003600123}})";
const char *const kGoodSts =
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
    "<Arn>arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice</Arn>"
    "<UserId>AROAEXAMPLEROLEID1234:alice</UserId><Account>111122223333</Account>"
    "</GetCallerIdentityResult></GetCallerIdentityResponse>";

bool visible_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::size_t count_of(std::string_view text, std::string_view needle) {
    std::size_t count = 0;
    for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) ++count;
    return count;
}

void check_failure(const devflow::Failure &failure) {
    require(failure.outcome() == devflow::Outcome::unavailable);
    const std::string line = failure.what();
    require(line.size() < 1024 && printable_ascii(line));
}

const nlohmann::json *member(const nlohmann::json &object, const char *name) {
    if (!object.is_object()) return nullptr;
    const auto found = object.find(name);
    return found == object.end() ? nullptr : &*found;
}

bool string_member_is(const nlohmann::json &object, const char *name, const std::string &value) {
    const nlohmann::json *found = member(object, name);
    return found != nullptr && found->is_string() && found->get_ref<const std::string &>() == value;
}

void check_role_credentials(const std::string &body) {
    try {
        const devflow::AwsRoleCredentials credentials = devflow::parse_role_credentials(body);
        require(body.size() <= kMaxAnswer);
        const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
        const nlohmann::json *fields = member(json, "roleCredentials");
        require(fields != nullptr && fields->is_object());
        const std::string &key_id = credentials.access_key_id.reveal();
        require(key_id.size() >= 16 && key_id.size() <= 128 && std::all_of(key_id.begin(), key_id.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                }));
        require(string_member_is(*fields, "accessKeyId", key_id));
        for (const auto &[name, secret] : {std::pair{"secretAccessKey", &credentials.secret_access_key},
                                           std::pair{"sessionToken", &credentials.session_token}}) {
            const std::string &value = secret->reveal();
            require(!value.empty() && value.size() <= 8192 && visible_ascii(value));
            require(string_member_is(*fields, name, value));
        }
        const nlohmann::json *expiration = member(*fields, "expiration");
        require(expiration != nullptr && expiration->is_number_integer());
        const long long milliseconds = expiration->get<long long>();
        require(milliseconds > 0 && milliseconds <= kLatestExpirationMs);
        // TimePoint counts nanoseconds, up to 2262: a later expiration may be
        // refused or held at TimePoint::max(), never wrapped around.
        const long long held_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(devflow::TimePoint::max().time_since_epoch()).count();
        if (milliseconds <= held_ms) {
            require(std::chrono::duration_cast<std::chrono::milliseconds>(credentials.expires_at.time_since_epoch())
                        .count() == milliseconds);
        } else {
            require(credentials.expires_at == devflow::TimePoint::max());
        }
    } catch (const devflow::Failure &failure) {
        check_failure(failure);
    }
}

// The text after leading blanks and an optional <?xml ...?> declaration.
std::string_view after_declaration(std::string_view xml) {
    const auto start = xml.find_first_not_of(" \t\r\n");
    xml.remove_prefix(start == std::string_view::npos ? xml.size() : start);
    if (xml.rfind("<?xml", 0) == 0) {
        const auto end = xml.find("?>");
        xml.remove_prefix(end == std::string_view::npos ? xml.size() : end + 2);
    }
    return xml;
}

void require_single_element(std::string_view xml, const std::string &name, const std::string &value) {
    require(!value.empty() && value.size() <= 2048 && visible_ascii(value));
    require(value.find_first_of("<>&\"'") == std::string::npos);
    require(count_of(xml, "<" + name + ">" + value + "</" + name + ">") == 1);
    require(count_of(xml, "<" + name + ">") == 1);
}

void check_caller_identity(const std::string &xml) {
    try {
        const devflow::AwsCallerIdentity identity = devflow::parse_caller_identity(xml);
        require(xml.size() <= kMaxAnswer);
        const std::string_view body = after_declaration(xml);
        require(body.find("<!") == std::string_view::npos && body.find("<?") == std::string_view::npos);
        require(count_of(body, "<GetCallerIdentityResult") >= 1);
        require_single_element(body, "Arn", identity.arn);
        require_single_element(body, "Account", identity.account);
        require_single_element(body, "UserId", identity.user_id);
    } catch (const devflow::Failure &failure) {
        check_failure(failure);
    }
}

bool is_iam_name(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("_+=,.@-").find(c) != std::string_view::npos;
    });
}

void check_identity(const devflow::AwsIdentity &identity, const std::string &sts_body) {
    require(identity.account == kAccount);
    const std::string prefix = "arn:aws:sts::" + kAccount + ":assumed-role/AWSReservedSSO_" + kRole + "_";
    require(identity.arn.rfind(prefix, 0) == 0);
    const std::string rest = identity.arn.substr(prefix.size());
    const auto slash = rest.find('/');
    require(slash != std::string::npos && slash >= 1 && slash <= 32);
    require(std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(slash),
                        [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
    require(rest.substr(slash + 1) == identity.session_name && is_iam_name(identity.session_name));
    // Markup-like text inside the XML declaration's attribute values is not
    // an element: look after the declaration, as the parser does.
    const std::string_view body = after_declaration(sts_body);
    require(count_of(body, "<Arn>" + identity.arn + "</Arn>") == 1);
    const auto user_id_open = body.find("<UserId>");
    require(user_id_open != std::string_view::npos);
    const auto user_id_close = body.find("</UserId>", user_id_open);
    require(user_id_close != std::string_view::npos);
    const std::string user_id(body.substr(user_id_open + 8, user_id_close - user_id_open - 8));
    const std::string suffix = ":" + identity.session_name;
    require(user_id.size() > suffix.size() &&
            user_id.compare(user_id.size() - suffix.size(), suffix.size(), suffix) == 0);
}

// verify_aws_identity with `portal_body` and `sts_body` as the two answers.
void check_verification(const std::string &portal_body, const std::string &sts_body) {
    FakeTransport transport;
    transport.answer(kCredentialsUrl, 200, portal_body);
    transport.answer(kStsUrl, 200, sts_body);
    bool verified = false;
    try {
        const devflow::AwsIdentity identity = devflow::verify_aws_identity(transport, kEndpoints, "us-east-1", kAccount,
                                                                           kRole, devflow::Secret("aoa-token"));
        check_identity(identity, sts_body);
        verified = true;
    } catch (const devflow::Failure &failure) {
        check_failure(failure);
    }
    const std::size_t sts_calls = transport.count(kStsUrl);
    require(sts_calls <= 1);
    require(!verified || sts_calls == 1);
    if (sts_calls == 1) {
        // The portal's answer parsed: STS saw exactly its credentials.
        const devflow::AwsRoleCredentials credentials = devflow::parse_role_credentials(portal_body);
        const auto &signing = transport.sent().back().aws_signing;
        require(signing.has_value() && signing->provider == "aws:amz:us-east-1:sts");
        require(signing->access_key_id == credentials.access_key_id.reveal());
        require(signing->secret_access_key == credentials.secret_access_key.reveal());
        require(signing->session_token == credentials.session_token.reveal());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string body(reinterpret_cast<const char *>(data), size);
    check_role_credentials(body);
    check_caller_identity(body);
    check_verification(body, kGoodSts);
    check_verification(kGoodCredentials, body);
    return 0;
}
