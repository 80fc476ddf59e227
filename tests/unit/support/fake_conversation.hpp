// SPDX-License-Identifier: Apache-2.0
// A Conversation that records what the person was shown and answers prompts
// from a script (nullopt = the client went away).
#pragma once

#include "base/logger.hpp"
#include "flow/conversation.hpp"

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace devflow::test {

class FakeConversation final : public Conversation {
public:
    void show(const std::string &text) override { shown.push_back(text); }
    void show_error(const std::string &text) override { errors.push_back(text); }
    std::optional<std::string> ask(const std::string &prompt) override {
        prompts.push_back(prompt);
        if (on_ask) on_ask(prompt);
        if (answers.empty()) return std::nullopt;
        std::optional<std::string> answer = answers.front();
        answers.pop_front();
        return answer;
    }

    std::deque<std::optional<std::string>> answers;
    std::function<void(const std::string &)> on_ask;
    std::vector<std::string> shown;
    std::vector<std::string> errors;
    std::vector<std::string> prompts;
};

class RecordingLogger final : public Logger {
public:
    void log(LogLevel level, const std::string &line) override { lines.push_back({level, line}); }
    bool contains(const std::string &fragment) const {
        for (const auto &entry : lines) {
            if (entry.second.find(fragment) != std::string::npos) return true;
        }
        return false;
    }
    std::vector<std::pair<LogLevel, std::string>> lines;
};

}  // namespace devflow::test
