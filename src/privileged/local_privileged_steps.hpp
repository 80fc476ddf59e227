// SPDX-License-Identifier: Apache-2.0
// The privileged steps, done in this process with its own configuration:
// in the PAM module (for the helper's requests) and in the pam-device-flow
// command (which runs the whole login itself, as the user).
#pragma once

#include "account/user_account.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "privileged/privileged_steps.hpp"

#include <string>

namespace devflow {

class LocalPrivilegedSteps final : public PrivilegedSteps {
public:
    // `provider` is the provider this login uses, from this process's own
    // parse of the configuration; `pam_user` the name being logged in as,
    // `user` its account.
    LocalPrivilegedSteps(const ProviderConfig &provider, const std::string &pam_user, const UserAccount &user,
                         PrivilegeDrop &privileges, Logger &logger)
        : provider_(provider), pam_user_(pam_user), user_(user), privileges_(privileges), logger_(logger) {}

    std::string authorize(const VerifiedIdentity &identity) override;
    void write_oidc_token_cache(const TokenSet &tokens) override;
    void write_aws_cli_cache(const AwsCliCacheEntry &entry, const std::string &file_name, AwsCacheUse use) override;

    // Whether authorize() has said yes.
    bool authorized() const noexcept { return authorized_; }

private:
    // False, with an error logged, when a write is asked for before
    // authorize() said yes or for a use this provider does not have.
    bool may_write(const char *what, bool provider_has_it);
    void write_aws_profile(const AwsSsoProviderConfig &provider);

    const ProviderConfig &provider_;
    const std::string &pam_user_;
    const UserAccount &user_;
    PrivilegeDrop &privileges_;
    Logger &logger_;
    bool authorized_ = false;
};

}  // namespace devflow
