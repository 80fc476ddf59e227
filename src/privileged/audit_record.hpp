// SPDX-License-Identifier: Apache-2.0
// What a login's syslog line says for auditors and tools, as stable
// key=value fields after the human text (docs/admin-guide.md, "Audit
// fields"), and the PAM environment a later module reads after a success.
#pragma once

#include "base/json.hpp"

#include <string>
#include <utility>
#include <vector>

namespace devflow {

struct VerifiedIdentity;

// Who and what a login was about, as far as the module knows it: the PAM
// items, then what the helper's verified identity said (empty: unknown).
struct AuditRecord {
    std::string service, user, rhost, tty;
    std::string provider;
    std::string sub;           // oidc: the id_token's sub; aws-sso: the session name
    std::string acr;           // oidc only
    std::string amr;           // oidc only: the values joined with ","
    std::string token;         // a short fingerprint of the token (never the token)
    std::string issuer;        // oidc: the configured issuer
    std::string aws_role_arn;  // aws-sso: the role ARN AWS named

    // Takes sub, acr, amr, the fingerprint and the ARN from `identity`.
    void take_identity(const VerifiedIdentity &identity);
};

// " service=sshd user=alice rhost=203.0.113.7 tty=ssh provider=corp sub=...
// acr=- amr=pwd,mfa token=3f2a9c01b7e4 duration_ms=2140 result=success",
// then " pam=PAM_AUTH_ERR" for a failure. Each value is written bare when it
// is made of [A-Za-z0-9._:@/+,-] only, "-" when empty, else quoted as
// quote_for_log quotes it, so a value can never add a field or a line.
std::string audit_fields(const AuditRecord &record, long duration_ms, const char *result, const char *pam_code);

// The PAM environment after a success, name and value, values sanitised as
// the fields are (printable ASCII, at most 256 bytes): DEVFLOW_PROVIDER,
// DEVFLOW_SUBJECT, DEVFLOW_ACR, DEVFLOW_AMR, DEVFLOW_ISSUER (oidc) or
// DEVFLOW_AWS_ROLE_ARN (aws-sso), DEVFLOW_TOKEN_ID. Empty values are left out.
std::vector<std::pair<std::string, std::string>> audit_environment(const AuditRecord &record);

// Every name audit_environment may set, to clear them before a login.
std::vector<std::string> audit_environment_names();

}  // namespace devflow
