// SPDX-License-Identifier: Apache-2.0
// The core's Logger and PrivilegeDrop, implemented with libpam's helpers.
#pragma once

#include "account/user_account.hpp"
#include "base/logger.hpp"

#include <security/pam_modules.h>

namespace devflow {

// pam_syslog: LOG_AUTHPRIV, prefixed "pam_device_flow(service:auth):". Bytes
// outside printable ASCII that reach it are written as \xNN (escape_log_line).
class PamSyslogLogger final : public Logger {
public:
    PamSyslogLogger(pam_handle_t *pamh, bool debug) : pamh_(pamh), debug_(debug) {}
    void log(LogLevel level, const std::string &line) override;

private:
    pam_handle_t *pamh_;
    bool debug_;
};

// pam_modutil_drop_priv / pam_modutil_regain_priv, both checked. When the
// module does not run as root (tests), only the caller's own account works.
class PamPrivilegeDrop final : public PrivilegeDrop {
public:
    explicit PamPrivilegeDrop(pam_handle_t *pamh) : pamh_(pamh) {}
    void run_as(const UserAccount &user, const std::function<void()> &work) override;

private:
    pam_handle_t *pamh_;
};

// The login helper this build of the module starts (helper_path.cpp).
const char *default_helper_path() noexcept;

}  // namespace devflow
