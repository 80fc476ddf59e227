// SPDX-License-Identifier: Apache-2.0
#include "pam_conversation.hpp"

#include "base/secret.hpp"
#include "flow/terminal_text.hpp"

#include <security/pam_ext.h>

#include <cstdlib>
#include <cstring>

namespace devflow {

std::optional<std::string> PamConversation::converse(int style, const std::string &text) {
    const void *item = nullptr;
    if (pam_get_item(pamh_, PAM_CONV, &item) != PAM_SUCCESS || item == nullptr) {
        return std::nullopt;
    }
    const auto *conversation = static_cast<const pam_conv *>(item);
    if (conversation->conv == nullptr) return std::nullopt;

    pam_message message{};
    message.msg_style = style;
    message.msg = text.c_str();
    const pam_message *messages[1] = {&message};
    pam_response *responses = nullptr;
    int status = conversation->conv(1, messages, &responses, conversation->appdata_ptr);

    std::optional<std::string> answer;
    if (status == PAM_SUCCESS) {
        answer.emplace();
        if (responses != nullptr && responses[0].resp != nullptr) {
            answer->assign(responses[0].resp);
        }
    }
    if (responses != nullptr) {
        if (responses[0].resp != nullptr) {
            wipe(responses[0].resp, std::strlen(responses[0].resp));
            std::free(responses[0].resp);
        }
        std::free(responses);
    }
    return answer;
}

// Every text goes through sanitize_lines_for_terminal: the core sanitizes
// what the IdP sent where it builds a message, and this catches anything a
// call site missed before it reaches the person's terminal.
//
// The code, URL and QR are the authentication question itself: they are shown
// even under PAM_SILENT (sudo passes it by default), or nobody could log in.
// A QR code drawn in color keeps its three color sequences, and only when the
// module's own reading of the configuration chose such a mode: a helper cannot
// ask for them, and errors and prompts never carry them.
void PamConversation::show(const std::string &text) {
    converse(PAM_TEXT_INFO, sanitize_lines_for_terminal(text, colors_));
}

// The one message after a failure is the answer to that question ("denied",
// "needs MFA"), not chatter: under PAM_SILENT, which sudo always passes, it was
// dropped and sudo users saw only "1 incorrect password attempt".
void PamConversation::show_error(const std::string &text) {
    converse(PAM_ERROR_MSG, sanitize_lines_for_terminal(text));
}

std::optional<std::string> PamConversation::ask(const std::string &prompt) {
    return converse(PAM_PROMPT_ECHO_ON, sanitize_lines_for_terminal(prompt));
}

}  // namespace devflow
