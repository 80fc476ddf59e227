// SPDX-License-Identifier: Apache-2.0
// The device-flow state machine under a fake clock: every RFC 8628 polling
// rule, both prompt modes, the deadline, cancellation. A ten-minute flow runs
// in microseconds.
#include "base/failure.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "flow/device_flow.hpp"

#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::FakeConversation;
using devflow::test::RecordingLogger;
using std::chrono::milliseconds;

namespace {

// A provider that answers polls from a script and records when it was asked.
class ScriptedClient final : public DeviceFlowClient {
public:
    ScriptedClient(FakeClock &clock, std::deque<PollStatus> script, Seconds expires_in = Seconds(600),
                   Seconds interval = Seconds(5))
        : clock_(clock), script_(std::move(script)), expires_in_(expires_in), interval_(interval) {}

    // How long each poll's answer takes to come back (the fake clock moves by it).
    milliseconds round_trip{0};
    // Called during each poll with its index, from 0: lets a test change the
    // world (e.g. set the wall clock) while a request is out.
    std::function<void(std::size_t)> on_poll;

    DeviceAuthorization start() override {
        started_at = clock_.now();
        DeviceAuthorization authorization;
        authorization.device_code = Secret("device-code-secret");
        authorization.user_code = "WDJB-MJHT";
        authorization.verification_uri = "https://idp.example/device";
        authorization.verification_uri_complete = "https://idp.example/device?user_code=WDJB-MJHT";
        authorization.expires_in = expires_in_;
        authorization.interval = interval_;
        return authorization;
    }

    PollResult poll(const DeviceAuthorization &authorization) override {
        assert_string_equal(authorization.device_code.reveal().c_str(), "device-code-secret");
        polled_at.push_back(clock_.now());
        if (on_poll) on_poll(polled_at.size() - 1);
        PollResult result;
        if (script_.empty()) fail_msg("polled more often than scripted");
        result.status = script_.front();
        script_.pop_front();
        if (result.status == PollStatus::approved) result.tokens.access_token = Secret("access");
        clock_.advance(round_trip);
        return result;
    }

    // Seconds from the start to each poll.
    std::vector<long> poll_offsets() const {
        std::vector<long> offsets;
        for (auto when : polled_at) {
            offsets.push_back(
                static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(when - started_at).count()));
        }
        return offsets;
    }

    // Milliseconds from the start to each poll.
    std::vector<long> poll_offsets_ms() const {
        std::vector<long> offsets;
        for (auto when : polled_at) {
            offsets.push_back(static_cast<long>(std::chrono::duration_cast<milliseconds>(when - started_at).count()));
        }
        return offsets;
    }

    // Milliseconds from the start to now.
    long now_ms() const {
        return static_cast<long>(std::chrono::duration_cast<milliseconds>(clock_.now() - started_at).count());
    }

    TimePoint started_at{};
    std::vector<TimePoint> polled_at;

private:
    FakeClock &clock_;
    std::deque<PollStatus> script_;
    Seconds expires_in_;
    Seconds interval_;
};

FlowSettings settings(PromptMode prompt, long max_wait = 110) {
    FlowSettings flow;
    flow.prompt = prompt;
    flow.qr = QrMode::off;
    flow.max_wait = Seconds(max_wait);
    flow.user = "alice";
    flow.host = "bastion1";
    return flow;
}

Outcome failure_of(ScriptedClient &client, FakeConversation &conversation, FakeClock &clock, const FlowSettings &flow,
                   std::string *user_message = nullptr, std::string *log_line = nullptr) {
    RecordingLogger logger;
    try {
        run_device_flow(client, conversation, clock, logger, flow);
    } catch (const Failure &failure) {
        if (user_message != nullptr) *user_message = failure.user_message();
        if (log_line != nullptr) *log_line = failure.what();
        return failure.outcome();
    }
    fail_msg("the flow succeeded");
    return Outcome::success;
}

void assert_offsets(const std::vector<long> &actual, const std::vector<long> &expected) {
    assert_int_equal(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) assert_int_equal(actual[i], expected[i]);
}

// --- automatic polling ---------------------------------------------------------

void auto_polls_every_interval_until_approved(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::pending, PollStatus::approved});
    FakeConversation conversation;
    RecordingLogger logger;
    TokenSet tokens = run_device_flow(client, conversation, clock, logger, settings(PromptMode::automatic));
    assert_string_equal(tokens.access_token.reveal().c_str(), "access");
    assert_offsets(client.poll_offsets(), {5, 10, 15});
    assert_int_equal(conversation.prompts.size(), 0);
    assert_int_equal(conversation.shown.size(), 1);
}

void auto_honours_the_servers_interval(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::approved}, Seconds(600), Seconds(2));
    FakeConversation conversation;
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::automatic));
    assert_offsets(client.poll_offsets(), {2, 4});
}

void slow_down_adds_five_seconds_for_good(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::slow_down, PollStatus::pending,
                                  PollStatus::slow_down, PollStatus::approved});
    FakeConversation conversation;
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::automatic));
    // 5, then slow_down at 10 -> 10 s, pending at 20, slow_down -> 15 s.
    assert_offsets(client.poll_offsets(), {5, 10, 20, 30, 45});
}

// A poll takes network time: the next one waits the interval after its answer,
// so a server that measures the interval between the requests it receives
// never sees them closer.
void the_interval_counts_from_the_previous_answer(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::pending, PollStatus::approved});
    client.round_trip = milliseconds(200);
    FakeConversation conversation;
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::automatic));
    assert_offsets(client.poll_offsets_ms(), {5000, 10200, 15400});
}

// A denial is the IdP's final answer: refused, which the host must not retry.
void access_denied_stops_with_a_message(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::denied});
    FakeConversation conversation;
    std::string message;
    assert_int_equal(
        static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic), &message)),
        static_cast<int>(Outcome::refused));
    assert_string_equal(message.c_str(), "The login was denied.");
    assert_int_equal(client.polled_at.size(), 2);
}

void expired_token_stops_with_a_message(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::expired});
    FakeConversation conversation;
    std::string message;
    assert_int_equal(
        static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic), &message)),
        static_cast<int>(Outcome::denied));
    assert_non_null(std::strstr(message.c_str(), "expired"));
}

void max_wait_bounds_the_polling(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending);
    FakeConversation conversation;
    std::string message;
    assert_int_equal(
        static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 22), &message)),
        static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets(), {5, 10, 15, 20});
    assert_int_equal(client.now_ms(), 20000);  // at once: a poll at 25 s would overshoot max_wait
    assert_non_null(std::strstr(message.c_str(), "not approved in time"));
}

void expires_in_bounds_the_polling_when_shorter(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending, Seconds(12));
    FakeConversation conversation;
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 600))),
                     static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets(), {5, 10});
}

// The wall clock set an hour ahead, then two hours back (NTP, `date -s`),
// while polls are out: the waits and the max_wait deadline count on the
// monotonic clock, so the polls and the end come exactly as without the steps.
// On the wall clock, the first step ended the login after one poll.
void setting_the_wall_clock_changes_neither_waits_nor_deadline(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending);
    client.on_poll = [&clock](std::size_t poll) {
        if (poll == 0) clock.step_wall_clock(std::chrono::hours(1));
        if (poll == 1) clock.step_wall_clock(-std::chrono::hours(2));
    };
    FakeConversation conversation;
    std::string message;
    assert_int_equal(
        static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 22), &message)),
        static_cast<int>(Outcome::denied));
    assert_int_equal(client.polled_at.size(), 4);
    assert_int_equal(clock.total_slept().count(), 20000);
    assert_non_null(std::strstr(message.c_str(), "not approved in time"));
}

// max_wait = 10 with interval 5 used to give up at 5 s: the poll due at 10 s
// was "after the deadline". A poll at the max_wait deadline itself happens.
void max_wait_gets_a_last_poll_at_the_deadline(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending);
    FakeConversation conversation;
    std::string message;
    std::string log_line;
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 10),
                                                 &message, &log_line)),
                     static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets(), {5, 10});
    assert_int_equal(client.now_ms(), 10000);
    assert_non_null(std::strstr(log_line.c_str(), "no approval within 10 s"));
    assert_string_equal(message.c_str(), "The login was not approved in time. Please log in again.");
}

// With network time, the poll due 5 s after the first went out (10 s) is due
// by the deadline; it goes out 5 s after the first answer (10.2 s), so that the
// server never sees two polls closer than the interval.
void a_poll_due_at_the_deadline_is_not_lost_to_network_time(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending);
    client.round_trip = milliseconds(200);
    FakeConversation conversation;
    std::string log_line;
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 10),
                                                 nullptr, &log_line)),
                     static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets_ms(), {5000, 10200});
    assert_int_equal(client.now_ms(), 10400);
    assert_non_null(std::strstr(log_line.c_str(), "no approval within 10 s"));
}

// ...but a poll due only after the deadline is not made: here the third poll
// is due 5 s after the second went out, at 15.2 s.
void a_poll_due_after_the_deadline_is_not_made(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending);
    client.round_trip = milliseconds(200);
    FakeConversation conversation;
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 15))),
                     static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets_ms(), {5000, 10200});
    assert_int_equal(client.now_ms(), 10400);
}

// A poll at or after the code's expiry could only be told expired_token.
void the_code_expiry_gets_no_poll_at_expiry(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending, Seconds(10));
    FakeConversation conversation;
    std::string message;
    std::string log_line;
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 600),
                                                 &message, &log_line)),
                     static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets(), {5});
    assert_int_equal(client.now_ms(), 5000);
    assert_non_null(std::strstr(log_line.c_str(), "the device code expired (expires_in 10 s)"));
    assert_string_equal(message.c_str(), "The code expired before it was approved. Please log in again.");
}

void a_poll_just_before_the_code_expires_still_happens(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(100, PollStatus::pending);
    ScriptedClient client(clock, pending, Seconds(11));
    FakeConversation conversation;
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::automatic, 600))),
                     static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets(), {5, 10});
}

void a_ten_minute_flow_takes_no_real_time(void **) {
    FakeClock clock;
    std::deque<PollStatus> pending(119, PollStatus::pending);
    pending.push_back(PollStatus::approved);
    ScriptedClient client(clock, pending, Seconds(601));
    FakeConversation conversation;
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::automatic, 3600));
    assert_int_equal(client.polled_at.size(), 120);
    assert_int_equal(client.poll_offsets().back(), 600);
}

void provider_failures_propagate(void **) {
    class Broken final : public DeviceFlowClient {
    public:
        DeviceAuthorization start() override { fail_unavailable("cannot reach idp"); }
        PollResult poll(const DeviceAuthorization &) override { return {}; }
    } broken;
    FakeClock clock;
    FakeConversation conversation;
    RecordingLogger logger;
    try {
        run_device_flow(broken, conversation, clock, logger, settings(PromptMode::automatic));
        fail_msg("no failure");
    } catch (const Failure &failure) {
        assert_int_equal(static_cast<int>(failure.outcome()), static_cast<int>(Outcome::unavailable));
    }
    assert_int_equal(conversation.shown.size(), 0);
}

// --- the Enter prompt -----------------------------------------------------------

void enter_polls_after_the_person_answers(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string("")};
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(30000)); };
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::enter));
    assert_offsets(client.poll_offsets(), {30});
    assert_int_equal(conversation.prompts.size(), 1);
    assert_string_equal(conversation.prompts[0].c_str(), kEnterPrompt);
    assert_int_equal(clock.sleeps().size(), 0);
}

// RFC 8628's interval is between polling requests; the device authorization
// request is not one, so the first poll goes out when the person presses Enter.
void enter_pressed_early_polls_at_once(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string("")};
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(1000)); };
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::enter));
    assert_offsets(client.poll_offsets(), {1});
    assert_int_equal(clock.sleeps().size(), 0);
}

void enter_right_after_the_code_polls_with_no_wait(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string("")};  // Enter at once: time stands still
    RecordingLogger logger;
    TokenSet tokens = run_device_flow(client, conversation, clock, logger, settings(PromptMode::enter));
    assert_string_equal(tokens.access_token.reveal().c_str(), "access");
    assert_offsets(client.poll_offsets_ms(), {0});
    assert_int_equal(clock.sleeps().size(), 0);
}

void enter_twice_quickly_waits_the_rest_of_the_interval(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string(""), std::string("")};
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(1000)); };
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::enter));
    // Enter at 1 s polls at once; Enter again at 2 s waits until 5 s after that poll.
    assert_offsets(client.poll_offsets(), {1, 6});
    assert_int_equal(clock.sleeps().size(), 1);
    assert_int_equal(clock.sleeps()[0].count(), 4000);
    assert_int_equal(conversation.prompts.size(), 2);
}

void slow_down_is_kept_between_enter_polls(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::slow_down, PollStatus::pending, PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string(""), std::string("")};
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(1000)); };
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::enter));
    // Enter at 1 s: slow_down, interval now 10 s; again at 11 s without asking:
    // pending; Enter at 12 s waits until 10 s after the poll at 11 s.
    assert_offsets(client.poll_offsets(), {1, 11, 21});
    assert_int_equal(conversation.prompts.size(), 2);
}

void pending_after_enter_asks_again(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string(""), std::string("")};
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(10000)); };
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::enter));
    assert_int_equal(conversation.prompts.size(), 2);
    assert_string_equal(conversation.prompts[1].c_str(),
                        "Not approved yet. Press Enter after you have approved (q to cancel): ");
}

void slow_down_after_enter_polls_again_without_asking(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::slow_down, PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string("")};
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(20000)); };
    RecordingLogger logger;
    run_device_flow(client, conversation, clock, logger, settings(PromptMode::enter));
    assert_int_equal(conversation.prompts.size(), 1);
    assert_offsets(client.poll_offsets(), {20, 30});
}

void q_cancels_without_polling(void **) {
    for (const char *word : {"q", " Q ", "quit", "cancel"}) {
        FakeClock clock;
        ScriptedClient client(clock, {});
        FakeConversation conversation;
        conversation.answers = {std::string(word)};
        std::string message;
        assert_int_equal(
            static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::enter), &message)),
            static_cast<int>(Outcome::refused));
        assert_string_equal(message.c_str(), "Login cancelled.");
        assert_int_equal(client.polled_at.size(), 0);
    }
}

void a_vanished_client_is_denied(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {});
    FakeConversation conversation;  // no answers: the conversation fails
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::enter))),
                     static_cast<int>(Outcome::denied));
    assert_int_equal(client.polled_at.size(), 0);
}

void enter_after_the_deadline_does_not_poll(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::approved});
    FakeConversation conversation;
    conversation.answers = {std::string("")};
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(111000)); };
    assert_int_equal(static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::enter))),
                     static_cast<int>(Outcome::denied));
    assert_int_equal(client.polled_at.size(), 0);
}

// Enter mode keeps the deadline rule: Enter at 5 s polls at once, Enter at 6 s
// waits for the last poll at the deadline (10 s), Enter at 11 s gives up.
void enter_gets_a_last_poll_at_the_max_wait_deadline(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending, PollStatus::pending});
    FakeConversation conversation;
    conversation.answers = {std::string(""), std::string(""), std::string("")};
    int asked = 0;
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(++asked == 1 ? 5000 : 1000)); };
    std::string log_line;
    assert_int_equal(
        static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::enter, 10), nullptr, &log_line)),
        static_cast<int>(Outcome::denied));
    assert_offsets(client.poll_offsets(), {5, 10});
    assert_int_equal(conversation.prompts.size(), 3);
    assert_non_null(std::strstr(log_line.c_str(), "no approval within 10 s"));
}

void enter_gives_up_at_once_when_no_poll_fits(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::pending});
    FakeConversation conversation;
    conversation.answers = {std::string(""), std::string("")};
    int asked = 0;
    conversation.on_ask = [&](const std::string &) { clock.advance(milliseconds(++asked == 1 ? 8000 : 1000)); };
    std::string log_line;
    assert_int_equal(
        static_cast<int>(failure_of(client, conversation, clock, settings(PromptMode::enter, 10), nullptr, &log_line)),
        static_cast<int>(Outcome::denied));
    // The poll at 8 s leaves the next one due at 13 s, after the deadline.
    assert_offsets(client.poll_offsets(), {8});
    assert_int_equal(client.now_ms(), 9000);
    assert_int_equal(clock.sleeps().size(), 0);
    assert_non_null(std::strstr(log_line.c_str(), "no approval within 10 s"));
}

void the_message_names_user_host_url_and_code(void **) {
    FakeClock clock;
    ScriptedClient client(clock, {PollStatus::approved});
    FakeConversation conversation;
    RecordingLogger logger;
    FlowSettings flow = settings(PromptMode::automatic);
    flow.qr = QrMode::utf8;
    run_device_flow(client, conversation, clock, logger, flow);
    const std::string &message = conversation.shown.at(0);
    // The QR code first, then the text (test_login_message has the layout).
    assert_true(message.rfind("\n", 0) == 0);
    const auto qr = message.find("\u2580");
    const auto login = message.find("\nLog in as alice on bastion1\n");
    assert_true(qr != std::string::npos && login != std::string::npos && qr < login);
    assert_non_null(std::strstr(message.c_str(), "\nOpen https://idp.example/device and enter the code: WDJB-MJHT\n"));
    assert_non_null(std::strstr(message.c_str(), "\nor open https://idp.example/device?user_code=WDJB-MJHT"));
    assert_false(logger.contains("device-code-secret"));
}

void detect_picks_enter_for_remote_logins(void **) {
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::detect, "sshd", "", "bastion1")),
                     static_cast<int>(PromptMode::enter));
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::detect, "sshd-devflow", "", "bastion1")),
                     static_cast<int>(PromptMode::enter));
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::detect, "login", "10.0.0.1", "bastion1")),
                     static_cast<int>(PromptMode::enter));
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::detect, "sudo", "", "bastion1")),
                     static_cast<int>(PromptMode::automatic));
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::detect, "sudo", "bastion1", "bastion1")),
                     static_cast<int>(PromptMode::automatic));
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::detect, "login", "127.0.0.1", "bastion1")),
                     static_cast<int>(PromptMode::automatic));
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::enter, "sudo", "", "bastion1")),
                     static_cast<int>(PromptMode::enter));
    assert_int_equal(static_cast<int>(resolve_prompt_mode(PromptMode::automatic, "sshd", "h", "bastion1")),
                     static_cast<int>(PromptMode::automatic));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(auto_polls_every_interval_until_approved),
        cmocka_unit_test(auto_honours_the_servers_interval),
        cmocka_unit_test(slow_down_adds_five_seconds_for_good),
        cmocka_unit_test(the_interval_counts_from_the_previous_answer),
        cmocka_unit_test(access_denied_stops_with_a_message),
        cmocka_unit_test(expired_token_stops_with_a_message),
        cmocka_unit_test(max_wait_bounds_the_polling),
        cmocka_unit_test(expires_in_bounds_the_polling_when_shorter),
        cmocka_unit_test(max_wait_gets_a_last_poll_at_the_deadline),
        cmocka_unit_test(setting_the_wall_clock_changes_neither_waits_nor_deadline),
        cmocka_unit_test(a_poll_due_at_the_deadline_is_not_lost_to_network_time),
        cmocka_unit_test(a_poll_due_after_the_deadline_is_not_made),
        cmocka_unit_test(the_code_expiry_gets_no_poll_at_expiry),
        cmocka_unit_test(a_poll_just_before_the_code_expires_still_happens),
        cmocka_unit_test(a_ten_minute_flow_takes_no_real_time),
        cmocka_unit_test(provider_failures_propagate),
        cmocka_unit_test(enter_polls_after_the_person_answers),
        cmocka_unit_test(enter_pressed_early_polls_at_once),
        cmocka_unit_test(enter_right_after_the_code_polls_with_no_wait),
        cmocka_unit_test(enter_twice_quickly_waits_the_rest_of_the_interval),
        cmocka_unit_test(slow_down_is_kept_between_enter_polls),
        cmocka_unit_test(pending_after_enter_asks_again),
        cmocka_unit_test(slow_down_after_enter_polls_again_without_asking),
        cmocka_unit_test(q_cancels_without_polling),
        cmocka_unit_test(a_vanished_client_is_denied),
        cmocka_unit_test(enter_after_the_deadline_does_not_poll),
        cmocka_unit_test(enter_gets_a_last_poll_at_the_max_wait_deadline),
        cmocka_unit_test(enter_gives_up_at_once_when_no_poll_fits),
        cmocka_unit_test(the_message_names_user_host_url_and_code),
        cmocka_unit_test(detect_picks_enter_for_remote_logins),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
