// SPDX-License-Identifier: Apache-2.0
// The person at the terminal, behind an interface. The PAM module adapts the
// PAM conversation; the command uses the terminal; tests assert on a script.
#pragma once

#include <optional>
#include <string>

namespace devflow {

class Conversation {
public:
    virtual ~Conversation() = default;
    // Text the person must see (the code, URL and QR). Shown even under
    // PAM_SILENT: it is the authentication question itself.
    virtual void show(const std::string &text) = 0;
    // The one message after a failure the person can act on ("denied", "needs
    // MFA"). Also shown under PAM_SILENT: it answers the question show() asked.
    virtual void show_error(const std::string &text) = 0;
    // Asks with echo on. Returns nullopt when the person or the client gives up
    // (conversation error, closed connection).
    virtual std::optional<std::string> ask(const std::string &prompt) = 0;
    // Lets show() pass the colors of a QR code drawn in color, and no other
    // escape sequence (terminal_text.hpp's TerminalColors::qr_colors). Called
    // by whoever read the login's configuration, when its QR mode uses colors;
    // off until then. A conversation that writes to no terminal itself (the
    // helper's, which hands the text to the module) has nothing to allow.
    virtual void allow_qr_colors() {}
};

}  // namespace devflow
