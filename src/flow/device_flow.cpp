// SPDX-License-Identifier: Apache-2.0
#include "flow/device_flow.hpp"

#include "base/failure.hpp"
#include "flow/login_message.hpp"
#include "net/url.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>

namespace devflow {

const char *const kEnterPrompt = "Press Enter after you have approved (q to cancel): ";

namespace {

constexpr Seconds kSlowDownStep{5};

bool is_cancel(std::string answer) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    answer.erase(answer.begin(), std::find_if(answer.begin(), answer.end(), not_space));
    answer.erase(std::find_if(answer.rbegin(), answer.rend(), not_space).base(), answer.end());
    std::transform(answer.begin(), answer.end(), answer.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return answer == "q" || answer == "quit" || answer == "cancel";
}

class DeviceFlow {
public:
    DeviceFlow(DeviceFlowClient &client, Conversation &conversation, Clock &clock, Logger &logger,
               const FlowSettings &settings)
        : client_(client), conversation_(conversation), clock_(clock), logger_(logger), settings_(settings) {}

    TokenSet run() {
        authorization_ = client_.start();
        started_ = clock_.monotonic_now();
        interval_ = authorization_.interval;
        const Seconds lifetime = std::min(authorization_.expires_in, settings_.max_wait);
        deadline_ = started_ + lifetime;
        deadline_is_code_expiry_ = authorization_.expires_in <= settings_.max_wait;
        logger_.debug("device authorization started: expires_in " + std::to_string(authorization_.expires_in.count()) +
                      " s, interval " + std::to_string(interval_.count()) + " s, waiting at most " +
                      std::to_string(lifetime.count()) + " s");
        conversation_.show(compose_login_message(authorization_, settings_.user, settings_.host, settings_.qr));
        if (settings_.prompt == PromptMode::enter) {
            // RFC 8628 asks for the interval between polling requests, and the
            // device authorization request is not one. Enter says the person
            // has approved, so the first poll after it goes out at once.
            first_poll_ = started_;
            return run_with_enter();
        }
        // Automatic mode has no such sign: the person has only just been shown
        // the code and cannot have approved yet, so its first poll waits one
        // interval.
        first_poll_ = started_ + interval_;
        return run_automatically();
    }

private:
    TokenSet run_with_enter() {
        std::string note;
        for (;;) {
            std::optional<std::string> answer = conversation_.ask(note + kEnterPrompt);
            if (!answer) {
                fail_denied("the conversation ended before the login was approved");
            }
            if (is_cancel(*answer)) {
                fail_refused("the user cancelled the login", "Login cancelled.");
            }
            if (auto tokens = poll_until_settled(/*stop_when_pending=*/true)) {
                return std::move(*tokens);
            }
            note = "Not approved yet. ";
        }
    }

    TokenSet run_automatically() {
        auto tokens = poll_until_settled(/*stop_when_pending=*/false);
        return std::move(*tokens);
    }

    // Polls, respecting the interval, until approval, a final answer, or (in
    // Enter mode) a plain "pending" that sends the person back to the prompt.
    std::optional<TokenSet> poll_until_settled(bool stop_when_pending) {
        for (;;) {
            const MonotonicTime sent = wait_for_next_poll();
            PollResult result = client_.poll(authorization_);
            last_poll_ = PollTimes{sent, clock_.monotonic_now()};
            switch (result.status) {
            case PollStatus::approved:
                logger_.debug("the login was approved at the identity provider");
                return std::move(result.tokens);
            case PollStatus::pending:
                if (stop_when_pending) return std::nullopt;
                break;
            case PollStatus::slow_down:
                interval_ += kSlowDownStep;
                logger_.debug("identity provider asked to slow down: interval now " +
                              std::to_string(interval_.count()) + " s");
                break;
            case PollStatus::denied:
                fail_refused("the login was denied at the identity provider", "The login was denied.");
            case PollStatus::expired:
                fail_denied("the device code expired before it was approved",
                            "The code expired before it was approved. Please log in again.");
            }
        }
    }

    // Sleeps until the next poll may go out and returns that time, or ends the
    // login when no poll is due by the deadline.
    //
    // RFC 8628 asks for `interval` between polling requests. A poll waits the
    // interval after the previous poll's answer: the server received that
    // request before it answered, so by its own clock we are never early,
    // whatever the network delays (a server that enforces the interval answers
    // slow_down, which costs five seconds for good, and at the deadline costs
    // the login).
    //
    // Whether a poll is due by a max_wait deadline counts from when the
    // previous poll went out, as the RFC counts: max_wait = 10 with interval 5
    // polls at 5 and 10 s, though the previous answer's round trip puts the
    // second poll that much after 10 s. Counting from the answer instead would
    // give up after one poll at 5 s. A poll due only after the deadline means
    // giving up at once: max_wait is the admin's promise, and no wait of an
    // interval goes past it.
    MonotonicTime wait_for_next_poll() {
        const MonotonicTime now = clock_.monotonic_now();
        const MonotonicTime after_answer = last_poll_ ? last_poll_->answered + interval_ : first_poll_;
        const MonotonicTime after_sending = last_poll_ ? last_poll_->sent + interval_ : first_poll_;
        const MonotonicTime poll_at = std::max(now, after_answer);
        if (deadline_is_code_expiry_) {
            // A poll at or after the expiry could only be told expired_token.
            if (poll_at >= deadline_) fail_code_expired();
        } else if (std::max(now, after_sending) > deadline_) {
            fail_no_approval();
        }
        // Rounded up: a wait must not end before the interval has passed.
        if (poll_at > now) clock_.sleep_for(std::chrono::ceil<std::chrono::milliseconds>(poll_at - now));
        return poll_at;
    }

    [[noreturn]] void fail_code_expired() const {
        fail_denied("the device code expired (expires_in " + std::to_string(authorization_.expires_in.count()) +
                        " s) before it was approved",
                    "The code expired before it was approved. Please log in again.");
    }

    [[noreturn]] void fail_no_approval() const {
        fail_denied("no approval within " +
                        std::to_string(std::chrono::duration_cast<Seconds>(deadline_ - started_).count()) +
                        " s (the deadline is min(expires_in, max_wait))",
                    "The login was not approved in time. Please log in again.");
    }

    // When a poll went out (the time its wait aimed at, so that the sleep's own
    // delay does not count against the deadline) and when its answer came back.
    struct PollTimes {
        MonotonicTime sent;
        MonotonicTime answered;
    };

    DeviceFlowClient &client_;
    Conversation &conversation_;
    Clock &clock_;
    Logger &logger_;
    const FlowSettings &settings_;
    DeviceAuthorization authorization_;
    bool deadline_is_code_expiry_ = false;
    // Waits and the deadline count on the monotonic clock: setting the wall
    // clock during a login changes neither.
    MonotonicTime started_{};
    MonotonicTime first_poll_{};  // the earliest time of the first poll
    std::optional<PollTimes> last_poll_;
    MonotonicTime deadline_{};
    Seconds interval_{5};
};

}  // namespace

TokenSet run_device_flow(DeviceFlowClient &client, Conversation &conversation, Clock &clock, Logger &logger,
                         const FlowSettings &settings) {
    DeviceFlow flow(client, conversation, clock, logger, settings);
    return flow.run();
}

PromptMode resolve_prompt_mode(PromptMode configured, const std::string &service, const std::string &remote_host,
                               const std::string &local_host) {
    if (configured != PromptMode::detect) return configured;
    if (service.find("sshd") != std::string::npos) return PromptMode::enter;
    // sudo's pam_rhost option sets PAM_RHOST to this host's own name.
    const bool remote = !remote_host.empty() && remote_host != local_host && !is_loopback_host(remote_host);
    return remote ? PromptMode::enter : PromptMode::automatic;
}

}  // namespace devflow
