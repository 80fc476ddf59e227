// SPDX-License-Identifier: Apache-2.0
#include "flow/login_message.hpp"

#include "flow/qr_code.hpp"
#include "flow/terminal_text.hpp"

namespace devflow {

std::string compose_login_message(const DeviceAuthorization &authorization, const std::string &user,
                                  const std::string &host, QrMode qr) {
    const std::string &complete = authorization.verification_uri_complete;
    std::string message = "\n";
    const std::string picture = render_qr(complete.empty() ? authorization.verification_uri : complete, qr);
    if (!picture.empty()) message += picture + "\n";
    message += "Log in as " + sanitize_for_terminal(user, 256) + " on " + sanitize_for_terminal(host, 256) + "\n";
    const std::string open = "Open " + authorization.verification_uri;
    const std::string code = "and enter the code: " + authorization.user_code;
    // Bytes for columns: the URL is ASCII, and a UTF-8 code only splits earlier.
    const bool one_line = open.size() + 1 + code.size() <= static_cast<std::size_t>(kQrMaxColumns);
    message += open + (one_line ? " " : "\n") + code;
    if (!complete.empty() && complete != authorization.verification_uri) message += "\nor open " + complete;
    return message;
}

}  // namespace devflow
