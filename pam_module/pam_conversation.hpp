// SPDX-License-Identifier: Apache-2.0
// The core's Conversation over the application's PAM conversation function.
#pragma once

#include "flow/conversation.hpp"
#include "flow/terminal_text.hpp"

#include <security/pam_modules.h>

namespace devflow {

class PamConversation final : public Conversation {
public:
    // No flags: every message the module sends is one the person needs, so
    // PAM_SILENT changes nothing here (see show and show_error).
    explicit PamConversation(pam_handle_t *pamh) : pamh_(pamh) {}
    void show(const std::string &text) override;
    void show_error(const std::string &text) override;
    std::optional<std::string> ask(const std::string &prompt) override;
    void allow_qr_colors() override { colors_ = TerminalColors::qr_colors; }

private:
    // One message per call: multi-message conversations are read differently
    // by Linux-PAM and Solaris-style applications.
    std::optional<std::string> converse(int style, const std::string &text);

    pam_handle_t *pamh_;
    TerminalColors colors_ = TerminalColors::none;
};

}  // namespace devflow
