#include "flow/login_message.hpp"

#include "flow/qr_code.hpp"
#include "flow/terminal_text.hpp"

namespace devflow {

std::string compose_login_message(const DeviceAuthorization &authorization, const std::string &user,
                                  const std::string &host, QrMode qr) {
    std::string message =
        "\nLog in as " + sanitize_for_terminal(user, 256) + " on " + sanitize_for_terminal(host, 256) + "\n";
    message += "Open " + authorization.verification_uri + "\n";
    message += "and enter the code: " + authorization.user_code + "\n";
    const std::string &qr_target = authorization.verification_uri_complete.empty()
                                       ? authorization.verification_uri
                                       : authorization.verification_uri_complete;
    std::string picture = render_qr(qr_target, qr);
    if (!picture.empty()) {
        message += "or scan this code with your phone:\n" + picture;
        if (message.back() != '\n') message += '\n';
    }
    return message;
}

}  // namespace devflow
