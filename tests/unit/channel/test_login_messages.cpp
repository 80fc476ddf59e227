// SPDX-License-Identifier: Apache-2.0
// The messages between the module and its helper: what one side encodes the
// other decodes to the same value, and every malformed message (another
// version, an unknown type, a field over its cap, a value out of range,
// bytes missing or left over) is a ChannelError, never a partial value.
#include "channel/login_messages.hpp"

#include "expect_failure.hpp"
#include "test_files.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::expect_failure;

namespace {

void expect_channel_error(const std::string &payload, const std::function<void(const std::string &)> &decode,
                          const char *wanted) {
    const auto failure = expect_failure([&] { decode(payload); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    if (failure.message.find(wanted) == std::string::npos) {
        fail_msg("expected \"%s\" in: %s", wanted, failure.message.c_str());
    }
}

StartMessage sample_start() {
    StartMessage start;
    start.config_path = "/etc/security/pam_device_flow.conf";
    start.overrides.qr = QrMode::ascii;
    start.overrides.max_wait = 30;
    start.provider_name = "corp";
    start.files.push_back({start.config_path, HandedFile::State::content, "default_provider = \"corp\"\n"});
    start.files.push_back({"/etc/security/secret", HandedFile::State::refused, "secret has mode 0644"});
    start.files.push_back({"/root/.aws/credentials", HandedFile::State::missing, ""});
    start.environment = {{"AWS_ACCESS_KEY_ID", "AKIA"}, {"AWS_SHARED_CREDENTIALS_FILE", "/root/.aws/credentials"}};
    start.user = {"alice", 1000, 1000, "/home/alice"};
    start.service = "sshd";
    start.remote_host = "192.0.2.7";
    start.local_host = "bastion";
    start.reuse_approvals = false;
    start.debug = true;
    return start;
}

void the_start_message_round_trips(void **) {
    const StartMessage sent = sample_start();
    const StartMessage got = decode_start(encode_start(sent));
    assert_string_equal(got.config_path.c_str(), sent.config_path.c_str());
    assert_true(got.overrides.qr == QrMode::ascii);
    assert_false(got.overrides.prompt.has_value());
    assert_int_equal(*got.overrides.max_wait, 30);
    assert_string_equal(got.provider_name.c_str(), "corp");
    assert_int_equal(got.files.size(), 3);
    assert_true(got.files[1].state == HandedFile::State::refused);
    assert_string_equal(got.files[1].content.c_str(), "secret has mode 0644");
    assert_true(got.files[2].state == HandedFile::State::missing);
    assert_string_equal(got.environment[1].second.c_str(), "/root/.aws/credentials");
    assert_string_equal(got.user.name.c_str(), "alice");
    assert_int_equal(got.user.uid, 1000);
    assert_string_equal(got.user.home.c_str(), "/home/alice");
    assert_string_equal(got.remote_host.c_str(), "192.0.2.7");
    assert_false(got.reuse_approvals);
    assert_true(got.debug);
}

// Every QR mode crosses as itself (the color modes too); the value after the
// last one is refused.
void every_qr_mode_round_trips(void **) {
    StartMessage start = sample_start();
    for (QrMode mode : {QrMode::utf8, QrMode::ascii, QrMode::off, QrMode::utf8_color, QrMode::ascii_color}) {
        start.overrides.qr = mode;
        assert_true(decode_start(encode_start(start)).overrides.qr == mode);
    }
    std::string payload = encode_start(start);
    const std::size_t qr_byte = 2 + 4 + start.config_path.size();  // version, type, config_path
    payload[qr_byte] = static_cast<char>(2 + static_cast<int>(devflow::kLastQrMode));
    expect_channel_error(
        payload, [](const std::string &p) { decode_start(p); }, "qr override 6 is unknown");
}

void the_helpers_messages_round_trip(void **) {
    const LogMessage log = decode_log(encode_log({LogLevel::warning, "token cache not written"}));
    assert_true(log.level == LogLevel::warning);
    assert_string_equal(log.line.c_str(), "token cache not written");
    assert_string_equal(decode_text(encode_text(MessageType::ask, "Press Enter")).c_str(), "Press Enter");
    assert_false(decode_answer(encode_answer(std::nullopt)).has_value());
    assert_string_equal(decode_answer(encode_answer(std::string("q")))->c_str(), "q");
    assert_string_equal(decode_authorized(encode_authorized("sub \"1\"")).c_str(), "sub \"1\"");

    TokenSet tokens;
    tokens.access_token = Secret(std::string("at"));
    tokens.id_token = Secret(std::string("a.b.c"));
    tokens.token_type = "Bearer";
    tokens.expires_at = TimePoint(Seconds(1700000000));
    const TokenSet got = decode_oidc_tokens(encode_oidc_tokens(tokens));
    assert_string_equal(got.access_token.reveal().c_str(), "at");
    assert_true(got.refresh_token.empty());
    assert_string_equal(got.id_token.reveal().c_str(), "a.b.c");
    assert_true(got.expires_at == tokens.expires_at);

    AwsTokensMessage aws{AwsCacheUse::refresh, std::string(40, 'a') + ".json", {}};
    aws.entry.access_token = Secret(std::string("aoa"));
    aws.entry.refresh_token = Secret(std::string("aor"));
    aws.entry.client_id = "cid";
    aws.entry.client_secret = Secret(std::string("cs"));
    const AwsTokensMessage back = decode_aws_tokens(encode_aws_tokens(aws));
    assert_true(back.use == AwsCacheUse::refresh);
    assert_string_equal(back.entry.client_secret.reveal().c_str(), "cs");

    const FinishedMessage finished = decode_finished(encode_finished({Outcome::denied, "expired", "No."}));
    assert_true(finished.outcome == Outcome::denied);
    assert_string_equal(finished.user_message.c_str(), "No.");
    const FinishedMessage refused = decode_finished(encode_finished({Outcome::refused, "denied at the IdP", ""}));
    assert_true(refused.outcome == Outcome::refused);
}

// Only the named claims cross, each as its JSON type: strings and arrays of
// strings with their values, anything else as a value of the same type, so
// the module's policy reads the same and words its refusal the same.
void the_identity_carries_only_the_named_claims_by_type(void **) {
    VerifiedIdentity identity;
    identity.claims = Json::parse(R"({"sub":"1","preferred_username":"alice","groups":["ssh","ops"],
        "amr":["pwd",7],"acr":3,"email":"a@example.com","nested":{"x":1}})");
    identity.reused_age_seconds = 42;
    const VerifiedIdentity got = decode_authorize(
        encode_authorize(identity, {"preferred_username", "groups", "acr", "amr", "sub", "absent", "nested"}));
    assert_int_equal(got.claims.size(), 6);
    assert_false(got.claims.contains("email"));
    assert_false(got.claims.contains("absent"));
    assert_string_equal(got.claims["preferred_username"].get<std::string>().c_str(), "alice");
    assert_true(got.claims["groups"] == Json::array({"ssh", "ops"}));
    assert_string_equal(got.claims["acr"].type_name(), "number");
    assert_string_equal(got.claims["amr"].type_name(), "array");
    assert_false(got.claims["amr"][0].is_string());  // not an array of strings, as sent
    assert_string_equal(got.claims["nested"].type_name(), "object");
    assert_int_equal(*got.reused_age_seconds, 42);
}

// What the module's checks read crosses with its value: email_verified and
// hasgroups, an integer acr (Keycloak), the member names of _claim_names
// (Entra's groups overage). A fraction stays a number that is no integer.
void booleans_integers_and_member_names_cross_with_their_values(void **) {
    VerifiedIdentity identity;
    identity.claims = Json::parse(R"({"email_verified":true,"hasgroups":false,"acr":1,"loa":-20,"f":1.5,
        "_claim_names":{"groups":"src1","roles":"src2"}})");
    const VerifiedIdentity got = decode_authorize(
        encode_authorize(identity, {"email_verified", "hasgroups", "acr", "loa", "f", "_claim_names"}));
    assert_true(got.claims["email_verified"] == Json(true));
    assert_true(got.claims["hasgroups"] == Json(false));
    assert_true(got.claims["acr"] == Json(1));
    assert_true(got.claims["loa"] == Json(-20));
    assert_true(got.claims["f"].is_number() && !got.claims["f"].is_number_integer());
    assert_true(got.claims["_claim_names"].contains("groups"));
    assert_true(got.claims["_claim_names"].contains("roles"));
    assert_int_equal(got.claims["_claim_names"].size(), 2);
}

// A boolean other than "true"/"false", or an integer's text that is not one,
// is a broken message.
void a_value_its_type_cannot_have_is_refused(void **) {
    VerifiedIdentity identity;
    identity.claims = Json::parse(R"({"b":true,"n":12})");
    const std::string good = encode_authorize(identity, {"b", "n"});
    for (const auto &[from, to] : std::vector<std::pair<std::string, std::string>>{{"true", "yes!"}, {"12", "1x"}}) {
        std::string payload = good;
        payload.replace(payload.find(from), from.size(), to);
        expect_channel_error(
            payload, [](const std::string &p) { decode_authorize(p); }, "has a value its type cannot have");
    }
}

void another_version_or_type_is_refused(void **) {
    std::string payload = encode_log({LogLevel::info, "x"});
    payload[0] = static_cast<char>(kChannelVersion - 1);  // the helper of an older build
    expect_channel_error(
        payload, [](const std::string &p) { decode_log(p); },
        ("protocol version " + std::to_string(kChannelVersion - 1) + ", expected " + std::to_string(kChannelVersion))
            .c_str());
    payload = encode_log({LogLevel::info, "x"});
    payload[1] = 99;
    expect_channel_error(
        payload, [](const std::string &p) { decode_log(p); }, "unknown type 99");
    expect_channel_error(
        encode_text(MessageType::show, "x"), [](const std::string &p) { decode_log(p); },
        "expected a log message, got a show one");
    expect_channel_error(
        std::string("\x01", 1), [](const std::string &p) { message_type(p); }, "without version");
}

void truncated_oversized_and_padded_messages_are_refused(void **) {
    const std::string whole = encode_finished({Outcome::denied, "line", ""});
    for (std::size_t size = 2; size < whole.size(); ++size) {
        expect_channel_error(
            whole.substr(0, size), [](const std::string &p) { decode_finished(p); }, "ends inside");
    }
    expect_channel_error(
        whole + "x", [](const std::string &p) { decode_finished(p); }, "1 bytes left over");
    // A length that claims more than the cap, whatever follows.
    std::string huge = encode_text(MessageType::show, "");
    huge.replace(2, 4, std::string("\x00\x10\x00\x01", 4));  // 1 MiB + 1
    expect_channel_error(
        huge, [](const std::string &p) { decode_text(p); }, "more than the 65536 allowed");
}

void values_out_of_range_are_refused(void **) {
    std::string payload = encode_finished({Outcome::denied, "", ""});
    payload[2] = static_cast<char>(static_cast<int>(Outcome::refused) + 1);
    expect_channel_error(
        payload, [](const std::string &p) { decode_finished(p); }, "outcome is 6, unknown");
    payload = encode_log({LogLevel::debug, ""});
    payload[2] = 5;
    expect_channel_error(
        payload, [](const std::string &p) { decode_log(p); }, "log level is 5, unknown");
    payload = encode_answer(std::nullopt);
    payload[2] = 2;
    expect_channel_error(
        payload, [](const std::string &p) { decode_answer(p); }, "a flag is 2");
    // An expiry beyond what a TimePoint holds.
    TokenSet tokens;
    std::string oidc = encode_oidc_tokens(tokens);
    oidc.replace(oidc.size() - 8, 8, std::string("\x7f\xff\xff\xff\xff\xff\xff\xff", 8));
    expect_channel_error(
        oidc, [](const std::string &p) { decode_oidc_tokens(p); }, "expires_at is out of range");
    // A reused age beyond a day, and a claim sent twice.
    VerifiedIdentity identity;
    identity.reused_age_seconds = 86401;
    expect_channel_error(
        encode_authorize(identity, {}), [](const std::string &p) { decode_authorize(p); },
        "reused age is out of range");
    identity.reused_age_seconds.reset();
    identity.claims = Json::parse(R"({"sub":"1"})");
    expect_channel_error(
        encode_authorize(identity, {"sub", "sub"}), [](const std::string &p) { decode_authorize(p); },
        "claim sub is sent twice");
}

// The fuzz target's seeds are messages of this version, each accepted by its
// own decoder: after a version change, seeds of the old one would only
// exercise the version check.
void the_fuzz_seeds_are_messages_of_this_version(void **) {
    const std::filesystem::path seeds = DEVFLOW_TEST_DATA "/../fuzz/corpus/fuzz_channel_messages";
    int count = 0;
    for (const auto &entry : std::filesystem::directory_iterator(seeds)) {
        const std::string payload = devflow::test::read_text(entry.path().string());
        try {
            switch (message_type(payload)) {
            case MessageType::log: decode_log(payload); break;
            case MessageType::show: decode_text(payload); break;
            case MessageType::authorize: decode_authorize(payload); break;
            case MessageType::finished: decode_finished(payload); break;
            default: fail_msg("%s: a message type this test does not decode", entry.path().c_str());
            }
        } catch (const Failure &refusal) {
            fail_msg("%s: %s", entry.path().c_str(), refusal.what());
        }
        ++count;
    }
    assert_true(count >= 4);
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_start_message_round_trips),
        cmocka_unit_test(every_qr_mode_round_trips),
        cmocka_unit_test(the_helpers_messages_round_trip),
        cmocka_unit_test(the_identity_carries_only_the_named_claims_by_type),
        cmocka_unit_test(booleans_integers_and_member_names_cross_with_their_values),
        cmocka_unit_test(a_value_its_type_cannot_have_is_refused),
        cmocka_unit_test(another_version_or_type_is_refused),
        cmocka_unit_test(truncated_oversized_and_padded_messages_are_refused),
        cmocka_unit_test(values_out_of_range_are_refused),
        cmocka_unit_test(the_fuzz_seeds_are_messages_of_this_version),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
