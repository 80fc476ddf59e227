// SPDX-License-Identifier: Apache-2.0
// AWS IAM Identity Center's sso-oidc side of RFC 8628: the exact requests,
// the error mapping (header first, then body), and the shared client
// registration: cached, renewed, replaced when rejected, safe under races.
#include "aws/aws_client_registration.hpp"
#include "aws/aws_sso_oidc_client.hpp"
#include "base/failure.hpp"
#include "fake_clock.hpp"
#include "fake_transport.hpp"
#include "store/safe_file.hpp"
#include "store/state_lock.hpp"
#include "test_files.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <ctime>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::FakeTransport;
using devflow::test::TempDir;

namespace {

const std::string kOidc = "https://oidc.us-east-1.amazonaws.com";
const std::string kRegister = kOidc + "/client/register";
const std::string kDevice = kOidc + "/device_authorization";
const std::string kToken = kOidc + "/token";
const std::string kStartUrl = "https://d-1234567890.awsapps.com/start";
const std::string kErrorNs = ":http://internal.amazon.com/coral/com.amazonaws.ssooidc/";

const char *const kGoodDevice = R"({"deviceCode":"dc-123","userCode":"WDJB-MJHT",
  "verificationUri":"https://device.sso.us-east-1.amazonaws.com/",
  "verificationUriComplete":"https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT",
  "expiresIn":600,"interval":1})";
const char *const kGoodToken =
    R"({"accessToken":"aoa-1","tokenType":"Bearer","expiresIn":28800,"refreshToken":"aor-1"})";

class RecordingLogger final : public Logger {
public:
    void log(LogLevel, const std::string &line) override { lines.push_back(line); }
    std::vector<std::string> lines;
};

long long epoch(TimePoint when) {
    return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

std::string registration_answer(const std::string &client_id, long long expires_at, long long issued_at = 1700000000) {
    return R"({"clientId":")" + client_id + R"(","clientSecret":"secret-)" + client_id + R"(","clientIdIssuedAt":)" +
           std::to_string(issued_at) + R"(,"clientSecretExpiresAt":)" + std::to_string(expires_at) + "}";
}

// A registration that lives 90 days from the fake clock's start.
std::string ninety_days(const std::string &client_id) {
    return registration_answer(client_id, epoch(FakeClock::default_start()) + 90LL * 86400);
}

std::map<std::string, std::string> error_type(const std::string &type) {
    return {{"x-amzn-errortype", type + kErrorNs}};
}

AwsSsoOidcSettings settings_for(const std::string &state_dir) {
    AwsSsoOidcSettings settings;
    settings.oidc_endpoint = kOidc;
    settings.start_url = kStartUrl;
    settings.region = "us-east-1";
    settings.state_dir = state_dir;
    settings.lock_timeout = std::chrono::milliseconds(2000);
    return settings;
}

struct Fixture {
    TempDir dir;
    FakeTransport transport;
    FakeClock clock;
    RecordingLogger logger;
    std::string state_dir = dir / "state";

    AwsSsoOidcClient client() { return AwsSsoOidcClient(settings_for(state_dir), transport, clock, logger); }
    std::string registration_file() const {
        AwsRegistrationStore store(
            state_dir, AwsRegistrationStore::key_for(kOidc, kStartUrl, "us-east-1", {"sso:account:access"}));
        return state_dir + "/" + store.file_name();
    }
};

#define assert_outcome(actual, expected) assert_int_equal(static_cast<int>(actual), static_cast<int>(Outcome::expected))
#define assert_status(actual, expected) \
    assert_int_equal(static_cast<int>(actual), static_cast<int>(PollStatus::expected))

template <typename Work>
Failure failure_of(Work &&work) {
    auto failure = devflow::test::catch_failure(work);
    if (!failure) fail_msg("no failure");
    return *failure;
}

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// ---- wire format ----

void each_request_has_the_exact_wire_format(void **) {
    Fixture f;
    f.transport.answer(kRegister, 200, ninety_days("cid-1"));
    f.transport.answer(kDevice, 200, kGoodDevice);
    f.transport.answer(kToken, 200, kGoodToken);
    auto client = f.client();
    DeviceAuthorization authorization = client.start();
    PollResult result = client.poll(authorization);
    TokenSet refreshed = client.refresh(Secret("aor-1"));

    const auto &sent = f.transport.sent();
    assert_int_equal(sent.size(), 4);
    const char *expected[][2] = {
        {"/client/register",
         R"({"clientName":"pam_device_flow","clientType":"public","scopes":["sso:account:access"]})"},
        {"/device_authorization",
         R"({"clientId":"cid-1","clientSecret":"secret-cid-1","startUrl":"https://d-1234567890.awsapps.com/start"})"},
        {"/token",
         R"({"clientId":"cid-1","clientSecret":"secret-cid-1","deviceCode":"dc-123","grantType":"urn:ietf:params:oauth:grant-type:device_code"})"},
        {"/token",
         R"({"clientId":"cid-1","clientSecret":"secret-cid-1","grantType":"refresh_token","refreshToken":"aor-1"})"},
    };
    for (std::size_t i = 0; i < sent.size(); ++i) {
        assert_string_equal(sent[i].method.c_str(), "POST");
        assert_string_equal(sent[i].url.c_str(), (kOidc + expected[i][0]).c_str());
        assert_int_equal(sent[i].headers.size(), 1);
        assert_string_equal(sent[i].headers[0].c_str(), "Content-Type: application/json");
        assert_string_equal(sent[i].body.c_str(), expected[i][1]);
    }

    assert_string_equal(authorization.device_code.reveal().c_str(), "dc-123");
    assert_string_equal(authorization.user_code.c_str(), "WDJB-MJHT");
    assert_string_equal(authorization.verification_uri.c_str(), "https://device.sso.us-east-1.amazonaws.com/");
    assert_string_equal(authorization.verification_uri_complete.c_str(),
                        "https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT");
    assert_int_equal(authorization.expires_in.count(), 600);
    assert_int_equal(authorization.interval.count(), 1);

    assert_status(result.status, approved);
    assert_string_equal(result.tokens.access_token.reveal().c_str(), "aoa-1");
    assert_string_equal(result.tokens.refresh_token.reveal().c_str(), "aor-1");
    assert_string_equal(result.tokens.token_type.c_str(), "Bearer");
    assert_true(result.tokens.id_token.empty());
    assert_true(result.tokens.expires_at == FakeClock::default_start() + Seconds(28800));
    assert_string_equal(refreshed.access_token.reveal().c_str(), "aoa-1");

    // What the AWS CLI cache needs afterwards.
    const AwsClientRegistration &registration = client.registration();
    assert_string_equal(registration.client_id.c_str(), "cid-1");
    assert_string_equal(registration.client_secret.reveal().c_str(), "secret-cid-1");
    assert_int_equal(epoch(registration.expires_at), epoch(FakeClock::default_start()) + 90LL * 86400);
    assert_int_equal(epoch(registration.issued_at), 1700000000);
}

void a_missing_interval_means_five_seconds(void **) {
    auto authorization = parse_aws_device_authorization(
        R"({"deviceCode":"d","userCode":"U","verificationUri":"http://127.0.0.1:4000/start","expiresIn":600})");
    assert_int_equal(authorization.interval.count(), 5);
    assert_true(authorization.verification_uri_complete.empty());
}

void registration_is_unknown_before_the_first_request(void **) {
    Fixture f;
    auto client = f.client();
    assert_outcome(failure_of([&] { (void)client.registration(); }).outcome(), system_error);
    assert_int_equal(f.transport.sent().size(), 0);
}

void use_registration_refreshes_without_the_state_dir(void **) {
    FakeTransport transport;
    FakeClock clock;
    RecordingLogger logger;
    AwsSsoOidcClient client(settings_for(""), transport, clock, logger);
    AwsClientRegistration registration;
    registration.client_id = "from-cli-cache";
    registration.client_secret = Secret("s");
    registration.expires_at = clock.now() + std::chrono::hours(24);
    client.use_registration(std::move(registration));
    transport.answer(kToken, 200, R"({"accessToken":"aoa-2","expiresIn":3600})");
    TokenSet tokens = client.refresh(Secret("aor-1"));
    assert_int_equal(transport.count(kRegister), 0);
    assert_string_equal(
        transport.sent().at(0).body.c_str(),
        R"({"clientId":"from-cli-cache","clientSecret":"s","grantType":"refresh_token","refreshToken":"aor-1"})");
    assert_string_equal(tokens.access_token.reveal().c_str(), "aoa-2");
    assert_true(tokens.refresh_token.empty());  // not rotated: the caller keeps its own
    assert_string_equal(tokens.token_type.c_str(), "Bearer");
}

// ---- error mapping ----

PollStatus poll_status(long status, const std::string &body, std::map<std::string, std::string> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = body;
    response.headers = std::move(headers);
    return parse_create_token_answer(response, FakeClock::default_start()).status;
}

void errors_map_from_the_header(void **) {
    assert_status(poll_status(400, "{}", error_type("AuthorizationPendingException")), pending);
    assert_status(poll_status(400, "{}", error_type("SlowDownException")), slow_down);
    assert_status(poll_status(400, "{}", error_type("AccessDeniedException")), denied);
    assert_status(poll_status(400, "{}", error_type("ExpiredTokenException")), expired);
    // The header wins over the body.
    assert_status(poll_status(400, R"({"error":"authorization_pending"})", error_type("SlowDownException")), slow_down);
    // Cut at ',' as well as ':'; surrounding blanks ignored; a non-JSON body does not matter.
    assert_status(poll_status(400, "<html>", {{"x-amzn-errortype", " SlowDownException,Other"}}), slow_down);
    assert_status(poll_status(400, "", {{"x-amzn-errortype", "AccessDeniedException"}}), denied);
}

void errors_map_from_the_body(void **) {
    assert_status(poll_status(400, R"({"error":"authorization_pending","error_description":"x"})"), pending);
    assert_status(poll_status(400, R"({"error":"slow_down"})"), slow_down);
    assert_status(poll_status(400, R"({"error":"access_denied"})"), denied);
    assert_status(poll_status(400, R"({"error":"expired_token"})"), expired);
    assert_status(poll_status(400, R"({"error":"AuthorizationPendingException"})", {{"x-amzn-errortype", ""}}),
                  pending);
}

void other_errors_are_unavailable_naming_the_code(void **) {
    const struct {
        long status;
        const char *body;
        std::map<std::string, std::string> headers;
        const char *named;
    } cases[] = {
        {400, R"({"error":"invalid_grant"})", error_type("InvalidGrantException"), "HTTP 400 (InvalidGrantException)"},
        {400, R"({"error":"invalid_grant"})", {}, "HTTP 400 (invalid_grant)"},
        {500, R"({"error":"server_error"})", error_type("InternalServerException"),
         "HTTP 500 (InternalServerException)"},
        {503, "<html>busy</html>", {}, "HTTP 503 without an error code"},
        {401, R"({"error":"invalid_client"})", error_type("InvalidClientException"),
         "HTTP 401 (InvalidClientException)"},
        {400, R"({"error":"evil\u001b[2J"})", {}, R"(HTTP 400 ("evil\x1b[2J"))"},
    };
    for (const auto &c : cases) {
        HttpResponse response;
        response.status = c.status;
        response.body = c.body;
        response.headers = c.headers;
        const Failure failure = failure_of([&] { parse_create_token_answer(response, FakeClock::default_start()); });
        assert_outcome(failure.outcome(), unavailable);
        if (!contains(failure.what(), c.named)) fail_msg("%s does not name %s", failure.what(), c.named);
    }
}

void refused_start_and_register_are_unavailable(void **) {
    Fixture f;
    f.transport.answer(kRegister, 400, R"({"error":"invalid_client_metadata"})",
                       error_type("InvalidClientMetadataException"));
    auto client = f.client();
    const Failure failure = failure_of([&] { client.start(); });
    assert_outcome(failure.outcome(), unavailable);
    assert_true(contains(failure.what(), "RegisterClient answered HTTP 400 (InvalidClientMetadataException)"));
    assert_false(failure.user_message().empty());

    Fixture g;
    g.transport.answer(kRegister, 200, ninety_days("cid-1"));
    g.transport.answer(kDevice, 400, R"({"error":"invalid_request"})", error_type("InvalidRequestException"));
    auto other = g.client();
    const Failure refused = failure_of([&] { other.start(); });
    assert_outcome(refused.outcome(), unavailable);
    assert_true(contains(refused.what(), "StartDeviceAuthorization answered HTTP 400 (InvalidRequestException)"));
    assert_int_equal(g.transport.count(kDevice), 1);
}

// ---- the shared registration ----

void the_registration_is_cached_and_reused(void **) {
    Fixture f;
    f.transport.answer(kRegister, 200, ninety_days("cid-1"));
    f.transport.answer(kDevice, 200, kGoodDevice);
    f.client().start();
    f.clock.advance(std::chrono::hours(24 * 30));
    auto second = f.client();
    second.start();
    assert_int_equal(f.transport.count(kRegister), 1);
    assert_int_equal(f.transport.count(kDevice), 2);
    assert_string_equal(second.registration().client_id.c_str(), "cid-1");
    assert_int_equal(devflow::test::file_mode(f.registration_file()), 0600);
    assert_int_equal(devflow::test::file_mode(f.state_dir), 0700);
    // The file holds what the next login needs, and nothing is logged of the secret.
    const auto stored = nlohmann::json::parse(devflow::test::read_text(f.registration_file()));
    assert_string_equal(stored.at("clientId").get<std::string>().c_str(), "cid-1");
    assert_int_equal(stored.at("clientSecretExpiresAt").get<long long>(),
                     epoch(FakeClock::default_start()) + 90LL * 86400);
    for (const auto &line : f.logger.lines) assert_false(contains(line, "secret-cid-1"));
}

void the_registration_is_renewed_15_minutes_before_it_expires(void **) {
    Fixture f;
    const long long expires = epoch(f.clock.now()) + 3600;
    f.transport.answer(kRegister, 200, registration_answer("cid-1", expires));
    f.transport.answer(kRegister, 200, registration_answer("cid-2", expires + 90LL * 86400));
    f.transport.answer(kDevice, 200, kGoodDevice);
    f.client().start();
    f.clock.advance(std::chrono::minutes(44) + std::chrono::seconds(59));
    auto reused = f.client();
    reused.start();
    assert_int_equal(f.transport.count(kRegister), 1);
    assert_string_equal(reused.registration().client_id.c_str(), "cid-1");
    f.clock.advance(std::chrono::seconds(1));  // exactly 15 minutes left: renew
    auto renewed = f.client();
    renewed.start();
    assert_int_equal(f.transport.count(kRegister), 2);
    assert_string_equal(renewed.registration().client_id.c_str(), "cid-2");
    assert_true(contains(f.transport.sent().back().body, R"("clientId":"cid-2")"));
    assert_true(contains(devflow::test::read_text(f.registration_file()), "cid-2"));
}

void invalid_client_on_start_registers_again_once(void **) {
    Fixture f;
    f.transport.answer(kRegister, 200, ninety_days("cid-1"));
    f.transport.answer(kDevice, 200, kGoodDevice);
    f.client().start();  // caches cid-1
    Fixture g;           // a fresh transport, used over f's state dir
    g.transport.answer(kRegister, 200, ninety_days("cid-2"));
    g.transport.answer(kDevice, 401, R"({"error":"invalid_client"})", error_type("InvalidClientException"));
    g.transport.answer(kDevice, 200, kGoodDevice);
    AwsSsoOidcClient client(settings_for(f.state_dir), g.transport, g.clock, g.logger);
    DeviceAuthorization authorization = client.start();
    assert_string_equal(authorization.user_code.c_str(), "WDJB-MJHT");
    assert_int_equal(g.transport.count(kRegister), 1);
    assert_int_equal(g.transport.count(kDevice), 2);
    assert_true(contains(g.transport.sent().at(0).body, R"("clientId":"cid-1")"));
    assert_true(contains(g.transport.sent().at(2).body, R"("clientId":"cid-2")"));
    assert_string_equal(client.registration().client_id.c_str(), "cid-2");
    assert_true(contains(devflow::test::read_text(f.registration_file()), "cid-2"));
}

void invalid_client_twice_fails_after_one_new_registration(void **) {
    Fixture f;
    f.transport.answer(kRegister, 200, ninety_days("cid-1"));
    f.transport.answer(kRegister, 200, ninety_days("cid-2"));
    f.transport.answer(kRegister, 200, ninety_days("cid-3"));
    f.transport.answer(kDevice, 401, R"({"error":"invalid_client"})", error_type("InvalidClientException"));
    auto client = f.client();
    const Failure failure = failure_of([&] { client.start(); });
    assert_outcome(failure.outcome(), unavailable);
    assert_true(contains(failure.what(), "InvalidClientException"));
    assert_int_equal(f.transport.count(kRegister), 2);
    assert_int_equal(f.transport.count(kDevice), 2);
}

void invalid_client_on_poll_replaces_the_registration_and_fails(void **) {
    Fixture f;
    f.transport.answer(kRegister, 200, ninety_days("cid-1"));
    f.transport.answer(kRegister, 200, ninety_days("cid-2"));
    f.transport.answer(kDevice, 200, kGoodDevice);
    f.transport.answer(kToken, 400, R"({"error":"invalid_client"})", error_type("InvalidClientException"));
    auto client = f.client();
    DeviceAuthorization authorization = client.start();
    const Failure failure = failure_of([&] { client.poll(authorization); });
    assert_outcome(failure.outcome(), unavailable);
    assert_true(contains(failure.what(), "InvalidClientException"));
    assert_int_equal(f.transport.count(kRegister), 2);
    assert_int_equal(f.transport.count(kToken), 1);
    assert_true(contains(devflow::test::read_text(f.registration_file()), "cid-2"));
    // A second rejection does not register again.
    assert_outcome(failure_of([&] { client.poll(authorization); }).outcome(), unavailable);
    assert_int_equal(f.transport.count(kRegister), 2);
}

void a_corrupt_registration_file_is_ignored_and_replaced(void **) {
    const char *corrupt[] = {
        "not json",
        "[]",
        R"({"key":"another key","clientId":"x","clientSecret":"y","clientSecretExpiresAt":1900000000})",
        R"({"clientId":"x","clientSecret":"y","clientSecretExpiresAt":1900000000})",
        "",
    };
    for (const char *content : corrupt) {
        Fixture f;
        devflow::ensure_private_directory(f.state_dir, ::geteuid());
        devflow::test::write_text(f.registration_file(), content, 0600);
        f.transport.answer(kRegister, 200, ninety_days("cid-new"));
        f.transport.answer(kDevice, 200, kGoodDevice);
        auto client = f.client();
        client.start();
        assert_int_equal(f.transport.count(kRegister), 1);
        const auto stored = nlohmann::json::parse(devflow::test::read_text(f.registration_file()), nullptr, false);
        assert_true(stored.is_object());
        assert_string_equal(stored.at("clientId").get<std::string>().c_str(), "cid-new");
    }
}

// The registration file's epoch seconds were multiplied into nanoseconds
// unchecked: 99999999999 (year 5138) wrapped to a time in 2216, so a forged or
// corrupt file counted as a fresh registration (and UBSan aborts). Times a
// TimePoint cannot hold make the file unusable: register again.
void a_registration_file_with_times_out_of_range_is_replaced(void **) {
    const std::string key = AwsRegistrationStore::key_for(kOidc, kStartUrl, "us-east-1", {"sso:account:access"});
    const std::pair<const char *, const char *> times[] = {
        {"99999999999", "1700000000"},           // expires in 5138
        {"9223372036854775807", "1700000000"},   // the largest integer
        {"1900000000", "9223372036854775807"},   // issued at the largest integer
        {"1900000000", "-9223372036854775807"},  // issued long before 1970
    };
    for (const auto &[expires_at, issued_at] : times) {
        Fixture f;
        devflow::ensure_private_directory(f.state_dir, ::geteuid());
        const nlohmann::json file = {{"key", key}, {"clientId", "cid-forged"}, {"clientSecret", "s"}};
        std::string text = file.dump();
        text.pop_back();
        text += std::string(R"(,"clientSecretExpiresAt":)") + expires_at + R"(,"clientIdIssuedAt":)" + issued_at + "}";
        devflow::test::write_text(f.registration_file(), text, 0600);
        f.transport.answer(kRegister, 200, ninety_days("cid-new"));
        f.transport.answer(kDevice, 200, kGoodDevice);
        auto client = f.client();
        client.start();
        if (f.transport.count(kRegister) != 1) {
            fail_msg("a registration file with clientSecretExpiresAt %s, clientIdIssuedAt %s was used as %s",
                     expires_at, issued_at, client.registration().client_id.c_str());
        }
        assert_string_equal(client.registration().client_id.c_str(), "cid-new");
    }
}

void an_unsafe_registration_file_is_refused(void **) {
    Fixture f;
    devflow::ensure_private_directory(f.state_dir, ::geteuid());
    devflow::test::write_text(f.registration_file(), "{}", 0644);
    f.transport.answer(kRegister, 200, ninety_days("cid-new"));
    auto client = f.client();
    assert_outcome(failure_of([&] { client.start(); }).outcome(), system_error);
    assert_int_equal(f.transport.count(kRegister), 0);
}

void a_held_lock_times_out_as_unavailable(void **) {
    Fixture f;
    f.transport.answer(kRegister, 200, ninety_days("cid-1"));
    AwsRegistrationStore store(f.state_dir,
                               AwsRegistrationStore::key_for(kOidc, kStartUrl, "us-east-1", {"sso:account:access"}));
    // flock locks belong to the open file description: a second open in this
    // process conflicts like another login would.
    StateLock held = store.lock(f.clock, std::chrono::milliseconds(0));
    auto client = f.client();
    const Failure failure = failure_of([&] { client.start(); });
    assert_outcome(failure.outcome(), unavailable);
    assert_true(contains(failure.what(), "held the lock"));
    assert_int_equal(f.transport.count(kRegister), 0);
    assert_true(f.clock.total_slept() >= std::chrono::milliseconds(2000));
}

// Two processes race for the registration; only one may register, and both
// must end up with the same, valid registration.
class SlowRegisterTransport final : public HttpTransport {
public:
    HttpResponse send(const HttpRequest &request) override {
        HttpResponse response;
        response.status = 200;
        if (request.url == kRegister) {
            ++registered;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));  // hold the lock a while
            response.body = registration_answer("cid-" + std::to_string(::getpid()),
                                                static_cast<long long>(std::time(nullptr)) + 90LL * 86400);
        } else {
            response.body = kGoodDevice;
        }
        return response;
    }
    int registered = 0;
};

void concurrent_logins_register_once(void **) {
    TempDir dir;
    const std::string state_dir = dir / "state";
    int go[2];
    int report[2];
    assert_int_equal(::pipe(go), 0);
    assert_int_equal(::pipe(report), 0);
    pid_t children[2];
    for (pid_t &child : children) {
        child = ::fork();
        assert_true(child >= 0);
        if (child == 0) {
            ::close(go[1]);
            char byte;
            if (::read(go[0], &byte, 1) != 1) ::_exit(90);
            std::string line;
            try {
                SlowRegisterTransport transport;
                SystemClock clock;
                RecordingLogger logger;
                AwsSsoOidcClient client(settings_for(state_dir), transport, clock, logger);
                client.start();
                line = std::to_string(transport.registered) + " " + client.registration().client_id + "\n";
            } catch (const std::exception &error) {
                line = std::string("error ") + error.what() + "\n";
            }
            const bool written = ::write(report[1], line.data(), line.size()) == static_cast<ssize_t>(line.size());
            ::_exit(written ? 0 : 91);
        }
    }
    ::close(go[0]);
    ::close(report[1]);
    assert_int_equal(::write(go[1], "gg", 2), 2);  // release both at once
    ::close(go[1]);
    for (pid_t child : children) {
        int status = 0;
        assert_int_equal(::waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    std::string reports;
    char buffer[512];
    for (ssize_t n; (n = ::read(report[0], buffer, sizeof buffer)) > 0;)
        reports.append(buffer, static_cast<std::size_t>(n));
    ::close(report[0]);

    int registrations = 0;
    std::vector<std::string> ids;
    std::size_t start = 0;
    for (std::size_t end; (end = reports.find('\n', start)) != std::string::npos; start = end + 1) {
        const std::string line = reports.substr(start, end - start);
        if (line.rfind("error", 0) == 0) fail_msg("a child failed: %s", line.c_str());
        registrations += std::stoi(line);
        ids.push_back(line.substr(line.find(' ') + 1));
    }
    assert_int_equal(ids.size(), 2);
    assert_int_equal(registrations, 1);
    assert_string_equal(ids[0].c_str(), ids[1].c_str());
    AwsRegistrationStore store(state_dir,
                               AwsRegistrationStore::key_for(kOidc, kStartUrl, "us-east-1", {"sso:account:access"}));
    auto stored = store.load();
    assert_true(stored.has_value());
    assert_string_equal(stored->client_id.c_str(), ids[0].c_str());
}

// ---- hostile answers ----

void hostile_answers_are_unavailable(void **) {
    const auto registration_outcome = [](const std::string &body) {
        auto failure =
            devflow::test::catch_failure([&] { parse_register_client_answer(body, FakeClock::default_start()); });
        return failure ? failure->outcome() : Outcome::success;
    };
    const long long later = epoch(FakeClock::default_start()) + 86400;
    const std::string hostile_registrations[] = {
        "<html>",
        "[]",
        R"({"clientSecret":"s","clientSecretExpiresAt":)" + std::to_string(later) + "}",
        R"({"clientId":"c","clientSecretExpiresAt":)" + std::to_string(later) + "}",
        R"({"clientId":"c","clientSecret":"s"})",
        R"({"clientId":"c d","clientSecret":"s","clientSecretExpiresAt":)" + std::to_string(later) + "}",
        R"({"clientId":"c","clientSecret":"s","clientSecretExpiresAt":1000})",
        R"({"clientId":"c","clientSecret":"s","clientSecretExpiresAt":"soon"})",
    };
    for (const auto &body : hostile_registrations) {
        if (registration_outcome(body) != Outcome::unavailable) fail_msg("accepted: %s", body.c_str());
    }

    const std::string hostile_devices[] = {
        "not json",
        R"({"userCode":"U","verificationUri":"https://d.example/","expiresIn":60})",
        R"({"deviceCode":"d","userCode":"U\u001b[2J","verificationUri":"https://d.example/","expiresIn":60})",
        R"({"deviceCode":"d","userCode":"U","verificationUri":"http://evil.example/","expiresIn":60})",
        R"({"deviceCode":"d","userCode":"U","verificationUri":"https://d.example/"})",
        R"({"deviceCode":"d","userCode":"U","verificationUri":"https://d.example/","expiresIn":60,"interval":-1})",
        R"({"device_code":"d","user_code":"U","verification_uri":"https://d.example/","expires_in":60})",
    };
    for (const auto &body : hostile_devices) {
        auto failure = devflow::test::catch_failure([&] { parse_aws_device_authorization(body); });
        if (!failure || failure->outcome() != Outcome::unavailable) fail_msg("accepted: %s", body.c_str());
    }

    const std::string hostile_tokens[] = {
        "<html>",
        R"({"tokenType":"Bearer","expiresIn":3600})",
        R"({"accessToken":"","expiresIn":3600})",
        R"({"accessToken":"a"})",
        R"({"accessToken":"a","expiresIn":0})",
        R"({"accessToken":"a","expiresIn":3600,"tokenType":"Bearer\u001b]0;x"})",
    };
    for (const auto &body : hostile_tokens) {
        HttpResponse response;
        response.status = 200;
        response.body = body;
        auto failure =
            devflow::test::catch_failure([&] { parse_create_token_answer(response, FakeClock::default_start()); });
        if (!failure || failure->outcome() != Outcome::unavailable) fail_msg("accepted: %s", body.c_str());
    }
}

// The token terms CreateToken and CreateTokenWithIAM share, asked directly.
void token_type_and_expiry_are_checked_for_either_operation(void **) {
    const TimePoint now = FakeClock::default_start();
    assert_false(aws_token_type(nlohmann::json::object(), "CreateToken").has_value());
    assert_string_equal(aws_token_type({{"tokenType", "Bearer"}}, "CreateToken")->c_str(), "Bearer");
    assert_true(aws_token_expiry({{"expiresIn", 3600}}, "CreateToken", now) == now + std::chrono::seconds(3600));

    const auto bad_type = devflow::test::catch_failure([&] {
        aws_token_type({{"tokenType", std::string(65, 'B')}}, "CreateTokenWithIAM");
    });
    assert_true(devflow::test::failed_with(bad_type, Outcome::unavailable,
                                           "CreateTokenWithIAM answer's tokenType is not usable"));
    const auto no_expiry = devflow::test::catch_failure([&] {
        aws_token_expiry({{"expiresIn", 0}}, "CreateTokenWithIAM", now);
    });
    assert_true(devflow::test::failed_with(no_expiry, Outcome::unavailable,
                                           "CreateTokenWithIAM answer has no usable expiresIn"));
}

void a_hostile_register_answer_is_not_cached(void **) {
    Fixture f;
    f.transport.answer(kRegister, 200, R"({"clientId":"c"})");
    auto client = f.client();
    assert_outcome(failure_of([&] { client.start(); }).outcome(), unavailable);
    assert_false(devflow::test::exists_nofollow(f.registration_file()));
    assert_int_equal(f.transport.count(kDevice), 0);
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(each_request_has_the_exact_wire_format),
        cmocka_unit_test(a_missing_interval_means_five_seconds),
        cmocka_unit_test(registration_is_unknown_before_the_first_request),
        cmocka_unit_test(use_registration_refreshes_without_the_state_dir),
        cmocka_unit_test(errors_map_from_the_header),
        cmocka_unit_test(errors_map_from_the_body),
        cmocka_unit_test(other_errors_are_unavailable_naming_the_code),
        cmocka_unit_test(refused_start_and_register_are_unavailable),
        cmocka_unit_test(the_registration_is_cached_and_reused),
        cmocka_unit_test(the_registration_is_renewed_15_minutes_before_it_expires),
        cmocka_unit_test(invalid_client_on_start_registers_again_once),
        cmocka_unit_test(invalid_client_twice_fails_after_one_new_registration),
        cmocka_unit_test(invalid_client_on_poll_replaces_the_registration_and_fails),
        cmocka_unit_test(a_corrupt_registration_file_is_ignored_and_replaced),
        cmocka_unit_test(a_registration_file_with_times_out_of_range_is_replaced),
        cmocka_unit_test(an_unsafe_registration_file_is_refused),
        cmocka_unit_test(a_held_lock_times_out_as_unavailable),
        cmocka_unit_test(concurrent_logins_register_once),
        cmocka_unit_test(hostile_answers_are_unavailable),
        cmocka_unit_test(a_hostile_register_answer_is_not_cached),
        cmocka_unit_test(token_type_and_expiry_are_checked_for_either_operation),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
