// SPDX-License-Identifier: Apache-2.0
#include "pam_services.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include <pwd.h>
#include <syslog.h>
#include <unistd.h>

namespace devflow {

void PamSyslogLogger::log(LogLevel level, const std::string &line) {
    int priority = LOG_INFO;
    switch (level) {
    case LogLevel::error: priority = LOG_ERR; break;
    case LogLevel::warning: priority = LOG_WARNING; break;
    case LogLevel::notice: priority = LOG_NOTICE; break;
    case LogLevel::info: priority = LOG_INFO; break;
    case LogLevel::debug:
        if (!debug_) return;
        priority = LOG_DEBUG;
        break;
    }
    // Every value is quoted where the line is built; this catches one that
    // was not, so no call site can forge a syslog line or reach a terminal.
    pam_syslog(pamh_, priority, "%s", escape_log_line(line).c_str());
}

void PamPrivilegeDrop::run_as(const UserAccount &user, const std::function<void()> &work) {
    if (geteuid() != 0) {
        if (geteuid() != user.uid) {
            fail_system("cannot act as user " + quote_for_log(user.name) + " without root privileges");
        }
        work();
        return;
    }
    const passwd *pw = pam_modutil_getpwnam(pamh_, user.name.c_str());
    if (pw == nullptr) fail_system("cannot look up user " + quote_for_log(user.name) + " to drop privileges");
    // PAM_MODUTIL_DEF_PRIVS, spelled out: its -1 initialisers narrow in C++.
    gid_t group_list[PAM_MODUTIL_NGROUPS];
    pam_modutil_privs privs{group_list, PAM_MODUTIL_NGROUPS, 0, static_cast<gid_t>(-1), static_cast<uid_t>(-1), 0};
    if (pam_modutil_drop_priv(pamh_, &privs, pw) != 0) {
        fail_system("cannot drop privileges to user " + quote_for_log(user.name));
    }
    struct Regain {
        pam_handle_t *pamh;
        pam_modutil_privs *state;
        bool done = false;
        void now() {
            done = true;
            if (pam_modutil_regain_priv(pamh, state) != 0) {
                fail_system("cannot regain privileges after acting as the user");
            }
        }
        ~Regain() {
            if (!done) pam_modutil_regain_priv(pamh, state);
        }
    } regain{pamh_, &privs};
    work();
    regain.now();
}

}  // namespace devflow
