// The core's Conversation over the application's PAM conversation function.
#pragma once

#include "conversation.hpp"

#include <security/pam_modules.h>

namespace devflow {

class PamConversation final : public Conversation {
public:
    PamConversation(pam_handle_t *pamh, int flags) : pamh_(pamh), flags_(flags) {}
    void show(const std::string &text) override;
    void show_error(const std::string &text) override;
    std::optional<std::string> ask(const std::string &prompt) override;

private:
    // One message per call: multi-message conversations are read differently
    // by Linux-PAM and Solaris-style applications.
    std::optional<std::string> converse(int style, const std::string &text);

    pam_handle_t *pamh_;
    int flags_;
};

}  // namespace devflow
