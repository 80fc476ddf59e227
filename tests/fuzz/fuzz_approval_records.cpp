// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the step-up reuse records (reuse_window): what
// find_reusable_approval (oidc) and find_reusable_aws_approval (aws-sso) make
// of an approval stored in the root-owned state directory. A record must
// never stretch a reuse beyond what the IdP or AWS confirms again.
//
// Input: bit 0 of byte 0 picks the provider (0 oidc, 1 aws-sso); the rest is
// the stored record (the state store entry's value), stored with the real
// StateStore::put for user "alice" at a fixed time and looked up with a
// 300 s window. For oidc, a record whose "id_token" is a JSON object (and
// that is nested at most 32 deep) gets that object signed as the claims of an
// EdDSA token by the key the IdP publishes; any other id_token stays as it
// is. The IdP and AWS are scripted: AWS accepts only the access tokens
// "aoa-good" and "aoa-refreshed", and renews only refresh token "aor-good"
// of client "cid" / "csecret" (to "aoa-refreshed", rotating to
// "aor-rotated"), and STS names session "alice".
//
// Invariants checked, beyond "no crash" (both lookups are noexcept):
//  - a reuse comes only from a record given where the lookup comes from
//    (service "sudo-devflow", remote_host ""), and from a JSON object
//    (re-read with nlohmann_json) with
//    an integer approved_at in the window (now - 300 s, now], and reports
//    its age as now - approved_at;
//  - oidc: only a record we signed is reused, with this provider's issuer
//    and client_id, and claims equal to the signed ones, which name issuer
//    and audience, a non-empty sub, "alice", an exp after now - clock_skew
//    and an iat inside the window (with clock_skew);
//  - aws-sso: the record is kind "aws-sso" for this start URL and region;
//    AWS saw only the record's access token or the renewed one; without a
//    refresh the record holds "aoa-good" valid for more than 60 s; with one
//    it held "aor-good", "cid", "csecret" and an unexpired registration, the
//    renewed tokens are "aoa-refreshed" / "aor-rotated", and the state now
//    holds them with the same approved_at; STS's session is the identity.
#include "aws/aws_approval_reuse.hpp"
#include "base/failure.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "fuzz_support.hpp"
#include "oidc/oidc_approval_reuse.hpp"
#include "store/state_store.hpp"
#include "test_files.hpp"
#include "test_keys.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using devflow::fuzz::require;
using nlohmann::json;

constexpr long long kNow = 1700000000;
constexpr long long kWindow = 300;
constexpr long long kSkew = 60;
const std::string kUser = "alice";
// Where the lookups come from: a record reuses only from where it was given.
const devflow::LoginOrigin kOrigin{"sudo-devflow", ""};
const std::string kIssuer = "https://idp.example";
const std::string kDiscovery = kIssuer + "/.well-known/openid-configuration";
const std::string kJwks = kIssuer + "/jwks";
const std::string kStartUrl = "https://d-1234567890.awsapps.com/start";
const std::string kOidcToken = "https://oidc.example/token";
const std::string kCredentials =
    "https://portal.example/federation/credentials?role_name=ReadOnly&account_id=111122223333";
const std::string kSts = "https://sts.example/";
const char *const kBearer = "x-amz-sso_bearer_token: ";

struct World {
    devflow::test::TempDir dir;
    devflow::FakeClock clock{devflow::TimePoint(std::chrono::seconds(kNow))};
    devflow::StateStore state{dir / "state", clock};
    devflow::test::TestKey key{devflow::test::KeyKind::ed25519};
    devflow::OidcProviderConfig oidc;
    devflow::AwsSsoProviderConfig aws;

    World() {
        oidc.name = "corp";
        oidc.issuer = kIssuer;
        oidc.client_id = "bastion";
        oidc.clock_skew = kSkew;
        aws.name = "aws";
        aws.type = "aws-sso";
        aws.aws.start_url = kStartUrl;
        aws.aws.region = "us-east-1";
        aws.aws.sso_session = "corp";
        aws.aws.account_id = "111122223333";
        aws.aws.role_name = "ReadOnly";
        aws.aws.oidc_endpoint = "https://oidc.example";
        aws.aws.portal_endpoint = "https://portal.example";
        aws.aws.sts_endpoint = "https://sts.example";
    }
};

World &world() {
    static World instance;
    return instance;
}

// AWS as the header says: the portal, STS and the refresh grant.
class ScriptedAws final : public devflow::HttpTransport {
public:
    devflow::HttpResponse send(const devflow::HttpRequest &request) override {
        devflow::HttpResponse response;
        if (request.url == kCredentials) {
            std::string bearer;
            for (const auto &header : request.headers) {
                if (header.rfind(kBearer, 0) == 0) bearer = header.substr(std::string(kBearer).size());
            }
            bearers.push_back(bearer);
            const bool known = bearer == "aoa-good" || bearer == "aoa-refreshed";
            response.status = known ? 200 : 401;
            response.body = known ? R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001",
                "secretAccessKey":"secret","sessionToken":"session","expiration":1700003600123}})"
                                  : R"({"message":"Session token not found or invalid"})";
        } else if (request.url == kSts) {
            response.status = 200;
            response.body =
                "<GetCallerIdentityResponse><GetCallerIdentityResult>"
                "<Arn>arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice</Arn>"
                "<UserId>AROAEXAMPLEROLEID1234:alice</UserId><Account>111122223333</Account>"
                "</GetCallerIdentityResult></GetCallerIdentityResponse>";
        } else if (request.url == kOidcToken) {
            const json body = json::parse(request.body, nullptr, false);
            const bool good = body.is_object() && body.value("grantType", "") == "refresh_token" &&
                              body.value("refreshToken", "") == "aor-good" && body.value("clientId", "") == "cid" &&
                              body.value("clientSecret", "") == "csecret";
            response.status = good ? 200 : 400;
            response.body = good ? R"({"accessToken":"aoa-refreshed","tokenType":"Bearer","expiresIn":28800,
                                       "refreshToken":"aor-rotated"})"
                                 : R"({"error":"invalid_grant"})";
        } else {
            devflow::fail_unavailable("no such host in this script: " + request.url);
        }
        return response;
    }

    std::vector<std::string> bearers;
};

const json *member(const json &object, const char *name) {
    if (!object.is_object()) return nullptr;
    const auto found = object.find(name);
    return found == object.end() ? nullptr : &*found;
}

bool text_is(const json &object, const char *name, const std::string &value) {
    const json *found = member(object, name);
    return found != nullptr && found->is_string() && found->get_ref<const std::string &>() == value;
}

std::optional<long long> integer(const json &object, const char *name) {
    const json *found = member(object, name);
    if (found == nullptr || !found->is_number_integer()) return std::nullopt;
    if (found->is_number_unsigned() && found->get<unsigned long long>() > 9223372036854775807ULL) return std::nullopt;
    return found->get<long long>();
}

// approved_at in the window, and the reported age.
void check_window(const json &record, long age_seconds) {
    require(text_is(record, "service", kOrigin.service) && text_is(record, "remote_host", kOrigin.remote_host));
    const std::optional<long long> approved_at = integer(record, "approved_at");
    require(approved_at && *approved_at > kNow - kWindow && *approved_at <= kNow);
    require(age_seconds == kNow - *approved_at);
}

bool number_in(const json &claims, const char *name, double low, double high) {
    const json *found = member(claims, name);
    return found != nullptr && found->is_number() && found->get<double>() > low && found->get<double>() <= high;
}

void check_oidc(const std::string &input) {
    World &w = world();
    std::string record_text = input;
    std::optional<json> signed_claims;
    if (devflow::fuzz::json_nesting_depth(input) <= 32) {
        json record = json::parse(input, nullptr, false);
        if (record.is_object() && record.contains("id_token") && record["id_token"].is_object()) {
            signed_claims = record["id_token"];
            record["id_token"] =
                devflow::test::make_jws({{"alg", "EdDSA"}, {"kid", "fuzz"}}, *signed_claims, w.key, "EdDSA");
            record_text = record.dump();
        }
    }
    try {
        w.state.put(devflow::approval_key(w.oidc.name, kUser), record_text);
    } catch (const devflow::Failure &) {
        return;  // not UTF-8: no record can be stored
    }
    devflow::test::FakeTransport transport;
    transport.answer(kDiscovery, 200,
                     json{{"issuer", kIssuer},
                          {"device_authorization_endpoint", kIssuer + "/device"},
                          {"token_endpoint", kIssuer + "/token"},
                          {"jwks_uri", kJwks}}
                         .dump());
    transport.answer(kJwks, 200, devflow::test::jwks_document({w.key.jwk("fuzz")}));
    devflow::test::RecordingLogger logger;
    const std::optional<devflow::ReusedApproval> reused = devflow::find_reusable_approval(
        w.oidc, devflow::Seconds(kWindow), kUser, kOrigin, transport, w.state, w.clock, logger);
    if (!reused) return;

    require(signed_claims.has_value());
    const json record = json::parse(record_text, nullptr, false);
    require(text_is(record, "issuer", kIssuer) && text_is(record, "client_id", "bastion"));
    check_window(record, reused->age_seconds);
    const json &claims = *signed_claims;
    require(reused->claims == claims);
    require(text_is(claims, "iss", kIssuer));
    const json *aud = member(claims, "aud");
    require(aud != nullptr);
    bool audience = aud->is_string() && aud->get_ref<const std::string &>() == "bastion";
    if (aud->is_array()) {
        for (const json &entry : *aud) audience = audience || (entry.is_string() && entry == "bastion");
    }
    require(audience);
    const json *sub = member(claims, "sub");
    require(sub != nullptr && sub->is_string() && !sub->get_ref<const std::string &>().empty());
    require(text_is(claims, "preferred_username", kUser));
    require(number_in(claims, "exp", static_cast<double>(kNow - kSkew), 1e300));
    require(number_in(claims, "iat", static_cast<double>(kNow - kWindow - kSkew), static_cast<double>(kNow + kSkew)));
}

void check_aws(const std::string &input) {
    World &w = world();
    const std::string key = devflow::approval_key(w.aws.name, kUser);
    try {
        w.state.put(key, input);
    } catch (const devflow::Failure &) {
        return;  // not UTF-8: no record can be stored
    }
    ScriptedAws transport;
    devflow::test::RecordingLogger logger;
    const std::optional<devflow::ReusedAwsApproval> reused = devflow::find_reusable_aws_approval(
        w.aws, devflow::Seconds(kWindow), kUser, kOrigin, transport, w.state, w.clock, logger);
    const json record = json::parse(input, nullptr, false);
    const json *access = member(record, "access_token");
    for (const std::string &bearer : transport.bearers) {
        require(bearer == "aoa-refreshed" ||
                (access != nullptr && access->is_string() && bearer == access->get_ref<const std::string &>()));
    }
    if (!reused) return;

    require(text_is(record, "kind", "aws-sso") && text_is(record, "start_url", kStartUrl) &&
            text_is(record, "region", "us-east-1"));
    check_window(record, reused->age_seconds);
    require(reused->identity.session_name == kUser && reused->identity.account == "111122223333");
    const std::optional<long long> expires_at = integer(record, "expires_at");
    require(expires_at.has_value());
    if (!reused->refreshed) {
        require(text_is(record, "access_token", "aoa-good") && *expires_at > kNow + 60);
        return;
    }
    require(*expires_at <= kNow + 60);
    require(text_is(record, "refresh_token", "aor-good") && text_is(record, "client_id", "cid") &&
            text_is(record, "client_secret", "csecret"));
    const std::optional<long long> registration_expires_at = integer(record, "registration_expires_at");
    require(registration_expires_at && *registration_expires_at > kNow);
    require(reused->refreshed->access_token.reveal() == "aoa-refreshed" &&
            reused->refreshed->refresh_token.reveal() == "aor-rotated");
    const std::optional<std::string> stored = w.state.get(key, devflow::Seconds(kWindow));
    require(stored.has_value());
    const json renewed = json::parse(*stored, nullptr, false);
    require(text_is(renewed, "access_token", "aoa-refreshed") && text_is(renewed, "refresh_token", "aor-rotated"));
    require(integer(renewed, "approved_at") == integer(record, "approved_at"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size < 1) return 0;
    const std::string record(reinterpret_cast<const char *>(data) + 1, size - 1);
    if (data[0] & 1) {
        check_aws(record);
    } else {
        check_oidc(record);
    }
    return 0;
}
