// The text the person sees: who logs in where, the URL, the code, the QR code.
#pragma once

#include "flow/device_flow_client.hpp"
#include "flow/qr_code.hpp"

#include <string>

namespace devflow {

// Starts with a newline: ssh clients prefix the first line with "(user@host)".
std::string compose_login_message(const DeviceAuthorization &authorization, const std::string &user,
                                  const std::string &host, QrMode qr);

}  // namespace devflow
