// SPDX-License-Identifier: Apache-2.0
// The privileged steps of a login: what the module does itself, as root in
// the host process, with what the untrusted stage (the provider's network
// work and parsing) proved. The untrusted stage asks for them through this
// interface: in the helper process the requests cross to the module
// (helper/remote_privileged_steps.hpp), in the pam-device-flow command and
// in unit tests they run in place (local_privileged_steps.hpp).
//
// Nothing is written for the user before authorize() has said yes.
#pragma once

#include "flow/token_set.hpp"
#include "privileged/verified_identity.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <string>

namespace devflow {

// Which AWS CLI cache write is asked for: the aws-sso login's own tokens
// (and, with write_aws_config, its ~/.aws/config profile), the renewed
// tokens of a reused aws-sso approval, or an oidc provider's
// CreateTokenWithIAM token (aws_idc_* keys).
enum class AwsCacheUse { login, refresh, id_token_exchange };

class PrivilegedSteps {
public:
    virtual ~PrivilegedSteps() = default;

    // Binds the identity to PAM_USER (the provider's identity mapping, with
    // user_map_file) and applies the provider's policy. Returns who approved,
    // for the login's log line (`sub "1234"`, `AWS "arn:..."`). Throws
    // Failure(refused) when the approver is somebody else or the policy says no.
    virtual std::string authorize(const VerifiedIdentity &identity) = 0;

    // Write the user's caches as the user, after authorize. Never throw: a
    // cache that cannot be written is a warning, the login stands.
    virtual void write_oidc_token_cache(const TokenSet &tokens) = 0;
    // The sso-session, start URL and region are the module's own config's;
    // `file_name` must be the session's cache file name (40 hex + ".json").
    virtual void write_aws_cli_cache(const AwsCliCacheEntry &entry, const std::string &file_name, AwsCacheUse use) = 0;
};

}  // namespace devflow
