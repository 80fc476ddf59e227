// SPDX-License-Identifier: Apache-2.0
// The device flow as the person lives it: show the code, wait (for Enter, or
// by the clock), poll by RFC 8628's rules, stop at the deadline. An explicit
// state machine over a DeviceFlowClient, a Conversation and a Clock.
#pragma once

#include "base/clock.hpp"
#include "base/logger.hpp"
#include "flow/conversation.hpp"
#include "flow/device_flow_client.hpp"
#include "flow/qr_code.hpp"
#include "flow/token_set.hpp"

#include <string>

namespace devflow {

// When to poll (config key `prompt`): after Enter, at once, or detect which.
enum class PromptMode { enter, automatic, detect };

struct FlowSettings {
    PromptMode prompt = PromptMode::enter;  // enter or automatic (detect resolved by the caller)
    QrMode qr = QrMode::utf8;
    Seconds max_wait{110};
    std::string user;  // who is logging in, shown to the person
    std::string host;  // where, shown to the person
};

extern const char *const kEnterPrompt;

// Returns the tokens of an approved login. Throws Failure(refused) for a
// denial at the IdP and a cancellation (final answers), Failure(denied) for
// expiry, time-out and an ended conversation, Failure(unavailable) for IdP
// errors.
TokenSet run_device_flow(DeviceFlowClient &client, Conversation &conversation, Clock &clock, Logger &logger,
                         const FlowSettings &settings);

// Picks enter or automatic for `detect`: sshd, and any login from another
// host (PAM_RHOST set to something other than this host or loopback), need
// Enter, because sshd holds info text back until the next prompt.
PromptMode resolve_prompt_mode(PromptMode configured, const std::string &service, const std::string &remote_host,
                               const std::string &local_host);

}  // namespace devflow
