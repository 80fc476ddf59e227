#include "flow/device_flow.hpp"

#include "base/failure.hpp"
#include "flow/login_message.hpp"
#include "net/url.hpp"

#include <algorithm>
#include <cctype>

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
        started_ = last_request_ = clock_.now();
        interval_ = authorization_.interval;
        const Seconds lifetime = std::min(authorization_.expires_in, settings_.max_wait);
        deadline_ = started_ + lifetime;
        deadline_is_code_expiry_ = authorization_.expires_in <= settings_.max_wait;
        logger_.debug("device authorization started: expires_in " + std::to_string(authorization_.expires_in.count()) +
                      " s, interval " + std::to_string(interval_.count()) + " s, waiting at most " +
                      std::to_string(lifetime.count()) + " s");
        conversation_.show(compose_login_message(authorization_, settings_.user, settings_.host, settings_.qr));
        return settings_.prompt == PromptMode::enter ? run_with_enter() : run_automatically();
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
                fail_denied("the user cancelled the login", "Login cancelled.");
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
            wait_for_next_request();
            PollResult result = client_.poll(authorization_);
            last_request_ = clock_.now();
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
                fail_denied("the login was denied at the identity provider", "The login was denied.");
            case PollStatus::expired:
                fail_denied("the device code expired before it was approved",
                            "The code expired before it was approved. Please log in again.");
            }
        }
    }

    // Sleeps until the interval since the last request has passed; a wait that
    // would end after the deadline ends the login instead.
    void wait_for_next_request() {
        const TimePoint now = clock_.now();
        const TimePoint next = last_request_ + interval_;
        if ((now >= deadline_ || next >= deadline_) && deadline_is_code_expiry_) {
            fail_denied("the device code expired (expires_in " + std::to_string(authorization_.expires_in.count()) +
                            " s) before it was approved",
                        "The code expired before it was approved. Please log in again.");
        }
        if (now >= deadline_ || next >= deadline_) {
            fail_denied("no approval within " +
                            std::to_string(std::chrono::duration_cast<Seconds>(deadline_ - started_).count()) +
                            " s (the deadline is min(expires_in, max_wait))",
                        "The login was not approved in time. Please log in again.");
        }
        if (next > now) {
            clock_.sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(next - now));
        }
    }

    DeviceFlowClient &client_;
    Conversation &conversation_;
    Clock &clock_;
    Logger &logger_;
    const FlowSettings &settings_;
    DeviceAuthorization authorization_;
    bool deadline_is_code_expiry_ = false;
    TimePoint started_{};
    TimePoint last_request_{};
    TimePoint deadline_{};
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
