// SPDX-License-Identifier: Apache-2.0
// The helper's side of the channel to the module (fd 3), and what the login
// running in the helper asks of the module through it: the conversation,
// the log, and the privileged steps. Each is the module's to do; here they
// are messages (channel/login_messages.hpp).
#pragma once

#include "base/logger.hpp"
#include "channel/frames.hpp"
#include "channel/login_messages.hpp"
#include "config/config.hpp"
#include "flow/conversation.hpp"
#include "privileged/privileged_steps.hpp"

#include <string>

namespace devflow {

class ModuleChannel {
public:
    explicit ModuleChannel(int fd) : fd_(fd) {}
    void send(const std::string &payload);
    // The next message, which must be of `type`.
    std::string receive(MessageType type, std::size_t max_bytes);

private:
    int fd_;
};

class RemoteLogger final : public Logger {
public:
    RemoteLogger(ModuleChannel &channel, bool debug) : channel_(channel), debug_(debug) {}
    // A line that cannot be sent is dropped: the next exchange reports the
    // broken channel.
    void log(LogLevel level, const std::string &line) override;

private:
    ModuleChannel &channel_;
    bool debug_;
};

class RemoteConversation final : public Conversation {
public:
    explicit RemoteConversation(ModuleChannel &channel) : channel_(channel) {}
    void show(const std::string &text) override;
    void show_error(const std::string &text) override;
    std::optional<std::string> ask(const std::string &prompt) override;

private:
    ModuleChannel &channel_;
};

class RemotePrivilegedSteps final : public PrivilegedSteps {
public:
    RemotePrivilegedSteps(ModuleChannel &channel, const ProviderConfig &provider)
        : channel_(channel), provider_(provider) {}
    std::string authorize(const VerifiedIdentity &identity) override;
    void write_oidc_token_cache(const TokenSet &tokens) override;
    void write_aws_cli_cache(const AwsCliCacheEntry &entry, const std::string &file_name, AwsCacheUse use) override;

private:
    ModuleChannel &channel_;
    const ProviderConfig &provider_;
};

}  // namespace devflow
