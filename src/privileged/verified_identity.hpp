// SPDX-License-Identifier: Apache-2.0
// Who the untrusted stage says approved a login, as the privileged steps
// check it again (privileged_steps.hpp): only what the binding to PAM_USER
// and the admin's policy read, so that it can cross from the helper process
// as a small typed message (channel/login_messages.hpp).
#pragma once

#include "base/json.hpp"

#include <optional>
#include <string>

namespace devflow {

struct VerifiedIdentity {
    // oidc: the claims of the verified id_token; from the helper, the ones
    // binding and policy read (username_claim, groups_claim, acr, amr, sub).
    Json claims = Json::object();
    // aws-sso: the STS session name and the ARN AWS named for the token.
    std::string session_name;
    std::string arn;
    // Set when this is an earlier approval reused (reuse_window): its age.
    std::optional<long> reused_age_seconds;
    // For the audit line: the first 12 hex digits of the SHA-256 of the
    // token's id (the id_token's jti, else the id_token; aws-sso: the access
    // token). Never the token. Empty when there is none to name.
    std::string token_fingerprint;
};

}  // namespace devflow
