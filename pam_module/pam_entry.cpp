// SPDX-License-Identifier: Apache-2.0
// The PAM ABI: pam_sm_* gather the PAM items, build the collaborators, run
// the login (its untrusted stage in the helper process: monitor/) and map
// its outcome to a PAM code. No exception crosses here.
#include "config/module_arguments.hpp"
#include "host_program.hpp"
#include "monitor/helper_account.hpp"
#include "monitor/monitored_login.hpp"
#include "pam_conversation.hpp"
#include "pam_services.hpp"
#include "privileged/audit_record.hpp"

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <syslog.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace devflow {
namespace {

// A final no (refused: cancelled, denied at the IdP, another identity,
// policy) is PAM_AUTH_ERR, as for every host, except under sudo: sudo 1.9
// asks again (passwd_tries) after PAM_AUTH_ERR, PAM_AUTHINFO_UNAVAIL,
// PAM_MAXTRIES and PAM_PERM_DENIED and stops at any other code, so there it
// is PAM_ABORT, which Linux-PAM documents as "the application should exit
// immediately" (docs/security.md, "A final no ends sudo's retries").
int pam_code(Outcome outcome) {
    switch (outcome) {
    case Outcome::success: return PAM_SUCCESS;
    case Outcome::refused: return host_program_is_sudo() ? PAM_ABORT : PAM_AUTH_ERR;
    case Outcome::denied: return PAM_AUTH_ERR;
    case Outcome::unavailable: return PAM_AUTHINFO_UNAVAIL;
    case Outcome::config_error: return PAM_SERVICE_ERR;
    case Outcome::system_error: return PAM_SYSTEM_ERR;
    }
    return PAM_SYSTEM_ERR;
}

std::string pam_item_text(pam_handle_t *pamh, int item_type) {
    const void *item = nullptr;
    if (pam_get_item(pamh, item_type, &item) != PAM_SUCCESS || item == nullptr) return {};
    return static_cast<const char *>(item);
}

std::string host_name() {
    char name[256] = {0};
    if (gethostname(name, sizeof(name) - 1) != 0) return "this host";
    return name;
}

const char *pam_code_name(int code) {
    switch (code) {
    case PAM_SUCCESS: return "PAM_SUCCESS";
    case PAM_ABORT: return "PAM_ABORT";
    case PAM_AUTH_ERR: return "PAM_AUTH_ERR";
    case PAM_AUTHINFO_UNAVAIL: return "PAM_AUTHINFO_UNAVAIL";
    case PAM_SERVICE_ERR: return "PAM_SERVICE_ERR";
    default: return "PAM_SYSTEM_ERR";
    }
}

// A later module or the session may read these; a retry on the same handle
// must not inherit them from an earlier success (pam_putenv with a bare
// name removes a variable).
void clear_audit_environment(pam_handle_t *pamh) {
    for (const std::string &name : audit_environment_names()) {
        if (pam_getenv(pamh, name.c_str()) != nullptr) pam_putenv(pamh, name.c_str());
    }
}

void set_audit_environment(pam_handle_t *pamh, const AuditRecord &record) {
    for (const auto &[name, value] : audit_environment(record)) {
        const std::string entry = name + "=" + value;
        pam_putenv(pamh, entry.c_str());
    }
}

int authenticate_with_pam(pam_handle_t *pamh, int argc, const char **argv) {
    const auto started = std::chrono::steady_clock::now();
    clear_audit_environment(pamh);
    std::vector<std::string> arguments(argv, argv + argc);
    ModuleArguments options;
    try {
        options = parse_module_arguments(arguments);
    } catch (const Failure &failure) {
        PamSyslogLogger(pamh, false).error(failure.what());
        return PAM_SERVICE_ERR;
    }

    const char *user = nullptr;
    int status = pam_get_user(pamh, &user, nullptr);
    if (status != PAM_SUCCESS || user == nullptr || *user == '\0') {
        PamSyslogLogger(pamh, false)
            .error(std::string("cannot determine the user being logged in: ") + pam_strerror(pamh, status));
        return status == PAM_SUCCESS ? PAM_USER_UNKNOWN : status;
    }

    LoginRequest request;
    request.config_path = options.config_path;
    request.overrides = options.overrides;
    request.provider_name = options.provider;
    request.user = user;
    request.service = pam_item_text(pamh, PAM_SERVICE);
    request.remote_host = pam_item_text(pamh, PAM_RHOST);
    request.local_host = host_name();

    PamConversation conversation(pamh);
    PamSyslogLogger logger(pamh, options.debug);
    PamPrivilegeDrop privileges(pamh);
    MonitorServices services{conversation, logger, privileges};
    HelperSettings helper;
    helper.path = options.helper_path.empty() ? default_helper_path() : options.helper_path;
    helper.account = kDefaultHelperAccount;
    helper.debug = options.debug;

    AuditRecord audit;
    audit.service = request.service;
    audit.user = request.user;
    audit.rhost = request.remote_host;
    audit.tty = pam_item_text(pamh, PAM_TTY);
    LoginResult result = monitored_login(request, helper, services, audit);
    const long duration_ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    if (result.outcome == Outcome::success) {
        logger.notice(result.log_line + audit_fields(audit, duration_ms, outcome_name(result.outcome), nullptr));
        set_audit_environment(pamh, audit);
        return PAM_SUCCESS;
    }
    const int code = pam_code(result.outcome);
    logger.error((result.log_line.empty() ? std::string("login failed") : result.log_line) +
                 audit_fields(audit, duration_ms, outcome_name(result.outcome), pam_code_name(code)));
    if (!result.user_message.empty()) conversation.show_error(result.user_message);
    return code;
}

}  // namespace
}  // namespace devflow

extern "C" {

// flags: PAM_SILENT is not honoured, on purpose (see PamConversation).
__attribute__((visibility("default"))) PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int /*flags*/, int argc,
                                                                          const char **argv) {
    try {
        return devflow::authenticate_with_pam(pamh, argc, argv);
    } catch (...) {
        return PAM_SYSTEM_ERR;
    }
}

// The module proves who the user is; it holds no credentials to set.
__attribute__((visibility("default"))) PAM_EXTERN int pam_sm_setcred(pam_handle_t *, int, int, const char **) {
    return PAM_SUCCESS;
}
}
