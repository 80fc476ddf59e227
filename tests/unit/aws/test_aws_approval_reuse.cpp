// SPDX-License-Identifier: Apache-2.0
// Step-up reuse for aws-sso providers: the recorded approval in the real state
// store (temp directory), AWS faked at the HTTP level. A reuse shows the stored
// token to AWS again; the window, the provider, the user, AWS's answer and the
// stored record itself must all be right, else there is no reuse (never a
// failure).
#include "aws/aws_approval_reuse.hpp"
#include "base/utc_time.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "store/approval_record.hpp"
#include "store/state_store.hpp"
#include "test_files.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::FakeTransport;
using devflow::test::RecordingLogger;
using devflow::test::TempDir;
using Json = nlohmann::json;

namespace {

const std::string kOidc = "https://oidc.example";
const std::string kToken = kOidc + "/token";
const std::string kCredentials =
    "https://portal.example/federation/credentials?role_name=ReadOnly&account_id=111122223333";
const std::string kSts = "https://sts.example/";
const std::string kStartUrl = "https://d-1234567890.awsapps.com/start";
const char *const kGoodCredentials = R"({"roleCredentials":{"accessKeyId":"ASIAEXAMPLEKEYID0001",
  "secretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY","sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE==",
  "expiration":1700003600123}})";

std::string sts_answer(const std::string &session) {
    return "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
           "<Arn>arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/" +
           session + "</Arn><UserId>AROAEXAMPLEROLEID1234:" + session +
           "</UserId><Account>111122223333</Account>"
           "</GetCallerIdentityResult></GetCallerIdentityResponse>";
}

struct World {
    TempDir dir;
    FakeClock clock;
    RecordingLogger logger;
    FakeTransport transport;
    std::unique_ptr<StateStore> state;
    AwsSsoProviderConfig provider;
    LoginOrigin sudo{"sudo-devflow", ""};  // where record() and find() log in from

    World() {
        state = std::make_unique<StateStore>(dir / "state", clock);
        provider.name = "aws";
        provider.aws.start_url = kStartUrl;
        provider.aws.region = "us-east-1";
        provider.aws.sso_session = "corp";
        provider.aws.account_id = "111122223333";
        provider.aws.role_name = "ReadOnly";
        provider.aws.oidc_endpoint = kOidc;
        provider.aws.portal_endpoint = "https://portal.example";
        provider.aws.sts_endpoint = kSts;
    }

    AwsCliCacheEntry tokens(Seconds lifetime = Seconds(28800)) {
        AwsCliCacheEntry entry;
        entry.sso_session = "corp";
        entry.start_url = kStartUrl;
        entry.region = "us-east-1";
        entry.access_token = Secret("aoa-stored");
        entry.expires_at = clock.now() + lifetime;
        entry.refresh_token = Secret("aor-stored");
        entry.client_id = "cid";
        entry.client_secret = Secret("csecret");
        entry.registration_expires_at = clock.now() + std::chrono::hours(24 * 90);
        return entry;
    }

    void record(Seconds lifetime = Seconds(28800), const std::string &user = "alice") {
        record_aws_approval(*state, provider, user, sudo, tokens(lifetime), clock, logger);
    }

    void aws_says(const std::string &session) {
        transport.answer(kCredentials, 200, kGoodCredentials);
        transport.answer(kSts, 200, sts_answer(session));
    }

    std::optional<ReusedAwsApproval> find(const std::string &user = "alice", Seconds window = Seconds(300)) {
        return find_from(sudo, user, window);
    }

    std::optional<ReusedAwsApproval> find_from(const LoginOrigin &origin, const std::string &user = "alice",
                                               Seconds window = Seconds(300)) {
        return find_reusable_aws_approval(provider, window, user, origin, transport, *state, clock, logger);
    }

    Json stored(const std::string &user = "alice") {
        auto text = state->get(approval_key(provider.name, user), Seconds(86400));
        return text ? Json::parse(*text) : Json();
    }

    void store_raw(const Json &entry, const std::string &user = "alice") {
        state->put(approval_key(provider.name, user), entry.dump());
    }
};

const std::string &bearer_of(const test::SentRequest &request) {
    static std::string none;
    for (const auto &header : request.headers) {
        if (header.rfind("x-amz-sso_bearer_token:", 0) == 0) return header;
    }
    return none;
}

void a_recent_approval_is_reused_after_aws_accepts_the_token(void **) {
    World w;
    w.record();
    w.clock.advance(std::chrono::seconds(120));
    w.aws_says("alice");
    auto reused = w.find();
    assert_true(reused.has_value());
    assert_int_equal(reused->age_seconds, 120);
    assert_string_equal(reused->identity.session_name.c_str(), "alice");
    assert_false(reused->refreshed.has_value());
    assert_int_equal(w.transport.count(kCredentials), 1);
    assert_int_equal(w.transport.count(kSts), 1);
    assert_int_equal(w.transport.count(kToken), 0);
    assert_string_equal(bearer_of(w.transport.sent().at(0)).c_str(), "x-amz-sso_bearer_token: aoa-stored");
}

void the_record_is_root_private_and_keeps_what_a_refresh_needs(void **) {
    World w;
    w.record();
    const Json entry = w.stored();
    assert_string_equal(entry["kind"].get<std::string>().c_str(), "aws-sso");
    assert_string_equal(entry["start_url"].get<std::string>().c_str(), kStartUrl.c_str());
    assert_string_equal(entry["refresh_token"].get<std::string>().c_str(), "aor-stored");
    assert_string_equal(entry["client_id"].get<std::string>().c_str(), "cid");
    assert_true(entry["approved_at"].is_number_integer());
    struct stat info {};
    const std::string file = w.dir / ("state/" + StateStore::file_name_for(approval_key("aws", "alice")));
    assert_int_equal(stat(file.c_str(), &info), 0);
    assert_int_equal(info.st_mode & 0777, 0600);
}

void outside_the_window_nothing_is_asked(void **) {
    World w;
    w.record();
    w.clock.advance(std::chrono::seconds(300));
    w.aws_says("alice");
    assert_false(w.find().has_value());
    assert_int_equal(w.transport.sent().size(), 0);
}

void another_user_or_provider_setting_is_not_reused(void **) {
    World w;
    w.record();
    w.aws_says("alice");
    assert_false(w.find("carol").has_value());  // no record of hers
    w.provider.aws.start_url = "https://d-9999999999.awsapps.com/start";
    assert_false(w.find().has_value());
    w.provider.aws.start_url = kStartUrl;
    w.provider.aws.region = "eu-west-1";
    assert_false(w.find().has_value());
    assert_int_equal(w.transport.sent().size(), 0);
}

void aws_naming_someone_else_is_not_reused(void **) {
    World w;
    w.record();
    w.aws_says("mallory");  // e.g. a record copied from another user's
    assert_false(w.find().has_value());
    assert_true(w.logger.contains("not reusing"));
}

void aws_refusing_the_token_is_not_reused(void **) {
    World w;
    w.record();
    w.transport.answer(kCredentials, 401, R"({"message":"Session token not found or invalid"})",
                       {{"x-amzn-errortype", "UnauthorizedException"}});
    assert_false(w.find().has_value());
    w.transport.unreachable(kCredentials);
    assert_false(w.find().has_value());
}

void a_token_about_to_expire_is_refreshed_and_the_record_renewed(void **) {
    World w;
    w.record(Seconds(30));  // inside the one-minute margin
    const long long approved_at = w.stored()["approved_at"].get<long long>();
    w.clock.advance(std::chrono::seconds(10));
    w.transport.answer(kToken, 200, R"({"accessToken":"aoa-new","expiresIn":3600,"refreshToken":"aor-new"})");
    w.aws_says("alice");
    auto reused = w.find();
    assert_true(reused.has_value());
    assert_true(reused->refreshed.has_value());
    assert_string_equal(reused->refreshed->access_token.reveal().c_str(), "aoa-new");
    assert_string_equal(reused->refreshed->refresh_token.reveal().c_str(), "aor-new");
    assert_string_equal(reused->refreshed->client_id.c_str(), "cid");
    // AWS was shown the new token, and the record holds it, with the old approval time.
    assert_string_equal(bearer_of(w.transport.sent().at(1)).c_str(), "x-amz-sso_bearer_token: aoa-new");
    const Json entry = w.stored();
    assert_string_equal(entry["access_token"].get<std::string>().c_str(), "aoa-new");
    assert_string_equal(entry["refresh_token"].get<std::string>().c_str(), "aor-new");
    assert_int_equal(entry["approved_at"].get<long long>(), approved_at);
}

void a_refused_refresh_is_not_reused(void **) {
    World w;
    w.record(Seconds(30));
    w.transport.answer(kToken, 400, R"({"error":"invalid_grant"})", {{"x-amzn-errortype", "InvalidGrantException"}});
    w.aws_says("alice");
    assert_false(w.find().has_value());
    assert_int_equal(w.transport.count(kCredentials), 0);
    // An expired token without a refresh token cannot be reused either.
    AwsCliCacheEntry bare = w.tokens(Seconds(-5));
    bare.refresh_token = Secret();
    record_aws_approval(*w.state, w.provider, "alice", w.sudo, bare, w.clock, w.logger);
    assert_false(w.find().has_value());
    assert_int_equal(w.transport.count(kCredentials), 0);
}

void a_tampered_or_foreign_record_is_not_reused(void **) {
    World w;
    w.aws_says("alice");
    const long long now = epoch_seconds(w.clock.now());
    Json good = {{"kind", "aws-sso"},     {"start_url", kStartUrl},   {"region", "us-east-1"},     {"approved_at", now},
                 {"access_token", "aoa"}, {"expires_at", now + 3600}, {"service", "sudo-devflow"}, {"remote_host", ""}};
    w.store_raw(good);
    assert_true(w.find().has_value());  // the baseline is reusable

    for (const char *member :
         {"kind", "start_url", "region", "approved_at", "access_token", "expires_at", "service", "remote_host"}) {
        Json broken = good;
        broken.erase(member);
        w.store_raw(broken);
        if (w.find().has_value()) fail_msg("reused without %s", member);
    }
    Json oidc = good;
    oidc["kind"] = "oidc";
    w.store_raw(oidc);
    assert_false(w.find().has_value());
    Json future = good;
    future["approved_at"] = now + 60;
    w.store_raw(future);
    assert_false(w.find().has_value());
    Json far = good;
    far["expires_at"] = 99999999999LL;  // year 5138: past what a TimePoint holds
    w.store_raw(far);
    assert_false(w.find().has_value());
    Json huge = good;
    huge["expires_at"] = 18446744073709551615ULL;
    w.store_raw(huge);
    assert_false(w.find().has_value());
    Json typed = good;
    typed["access_token"] = 7;
    w.store_raw(typed);
    assert_false(w.find().has_value());
    w.state->put(approval_key("aws", "alice"), "not json");
    assert_false(w.find().has_value());
}

// The audit's case: an approval given to a local sudo does not open a login
// through another PAM service, nor one from a remote host (PAM_RHOST compared
// byte for byte, unset only matching unset); AWS is not even asked.
void an_approval_is_reused_only_from_where_it_was_given(void **) {
    World w;
    w.record();
    w.clock.advance(std::chrono::seconds(2));
    w.aws_says("alice");
    const LoginOrigin elsewhere[] = {{"sshd-devflow", ""},
                                     {"sshd-devflow", "203.0.113.7"},
                                     {"sudo-devflow", "203.0.113.7"},
                                     {"sudo-devflow", " "},
                                     {"Sudo-devflow", ""}};
    for (const LoginOrigin &origin : elsewhere) {
        if (w.find_from(origin).has_value()) {
            fail_msg("reused through \"%s\" from \"%s\"", origin.service.c_str(), origin.remote_host.c_str());
        }
    }
    assert_int_equal(w.transport.sent().size(), 0);
    assert_true(
        w.logger.contains("given through PAM service \"sudo-devflow\", this login comes through "
                          "\"sshd-devflow\""));
    assert_true(w.logger.contains("given from remote host \"\", this login comes from \"203.0.113.7\""));

    // The refusals left the approval alone: from the same place it is reused.
    auto reused = w.find_from({"sudo-devflow", ""});
    assert_true(reused.has_value());
    assert_int_equal(reused->age_seconds, 2);

    // And one given from a remote host is reused from that host only.
    World remote;
    remote.sudo = {"sshd-devflow", "198.51.100.4"};
    remote.record();
    remote.aws_says("alice");
    assert_false(remote.find_from({"sshd-devflow", ""}).has_value());
    assert_false(remote.find_from({"sshd-devflow", "198.51.100.40"}).has_value());
    assert_true(remote.find_from({"sshd-devflow", "198.51.100.4"}).has_value());
}

// A refresh during a reuse keeps the record bound to where it was given.
void a_refreshed_record_keeps_its_origin(void **) {
    World w;
    w.sudo = {"sshd-devflow", "198.51.100.4"};
    w.record(Seconds(30));
    w.transport.answer(kToken, 200, R"({"accessToken":"aoa-new","expiresIn":3600,"refreshToken":"aor-new"})");
    w.aws_says("alice");
    assert_true(w.find().has_value());
    const Json entry = w.stored();
    assert_string_equal(entry["access_token"].get<std::string>().c_str(), "aoa-new");
    assert_string_equal(entry["service"].get<std::string>().c_str(), "sshd-devflow");
    assert_string_equal(entry["remote_host"].get<std::string>().c_str(), "198.51.100.4");
}

// A record without the PAM service and remote host it was given through
// (written before approvals were bound, or edited) is no approval, and its
// token is not shown to AWS.
void a_record_without_service_and_remote_host_is_not_reused(void **) {
    World w;
    w.aws_says("alice");
    const long long now = epoch_seconds(w.clock.now());
    w.store_raw({{"kind", "aws-sso"},
                 {"start_url", kStartUrl},
                 {"region", "us-east-1"},
                 {"approved_at", now},
                 {"access_token", "aoa"},
                 {"expires_at", now + 3600}});
    assert_false(w.find().has_value());
    assert_int_equal(w.transport.sent().size(), 0);
    assert_true(w.logger.contains("not reusing"));
}

void nothing_stored_is_logged(void **) {
    World w;
    w.record(Seconds(30));
    w.transport.answer(kToken, 200, R"({"accessToken":"aoa-new","expiresIn":3600,"refreshToken":"aor-new"})");
    w.aws_says("alice");
    assert_true(w.find().has_value());
    for (const char *secret : {"aoa-", "aor-", "csecret"}) assert_false(w.logger.contains(secret));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(a_recent_approval_is_reused_after_aws_accepts_the_token),
        cmocka_unit_test(the_record_is_root_private_and_keeps_what_a_refresh_needs),
        cmocka_unit_test(outside_the_window_nothing_is_asked),
        cmocka_unit_test(another_user_or_provider_setting_is_not_reused),
        cmocka_unit_test(aws_naming_someone_else_is_not_reused),
        cmocka_unit_test(aws_refusing_the_token_is_not_reused),
        cmocka_unit_test(a_token_about_to_expire_is_refreshed_and_the_record_renewed),
        cmocka_unit_test(a_refused_refresh_is_not_reused),
        cmocka_unit_test(a_tampered_or_foreign_record_is_not_reused),
        cmocka_unit_test(an_approval_is_reused_only_from_where_it_was_given),
        cmocka_unit_test(a_refreshed_record_keeps_its_origin),
        cmocka_unit_test(a_record_without_service_and_remote_host_is_not_reused),
        cmocka_unit_test(nothing_stored_is_logged),
    };
    return cmocka_run_group_tests_name("aws_approval_reuse", tests, nullptr, nullptr);
}
