// SPDX-License-Identifier: Apache-2.0
// The text the person sees: the QR code, who logs in where, the URL, the code.
#pragma once

#include "flow/device_flow_client.hpp"
#include "flow/qr_code.hpp"

#include <string>

namespace devflow {

// The screen the person reads, top to bottom, ending just above the prompt:
//
//   (empty: ssh clients prefix the first line with "(user@host)")
//   the QR code of verification_uri_complete (or verification_uri)
//   Log in as USER on HOST
//   Open VERIFICATION_URI and enter the code: USER_CODE
//   or open VERIFICATION_URI_COMPLETE        (when the IdP sent one)
//
// What must be read sits nearest the prompt; the host and user, the person's
// defence against a code someone else phished, right under the picture. The
// complete link is printed in every mode, QR code or not. "Open ... code"
// becomes two lines when it would not fit kQrMaxColumns. With qr = "utf8" and a
// 60-character link this is 23 lines, the prompt the 24th. No trailing
// newline: every PAM client ends an info message with one.
std::string compose_login_message(const DeviceAuthorization &authorization, const std::string &user,
                                  const std::string &host, QrMode qr);

}  // namespace devflow
