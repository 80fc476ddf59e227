// SPDX-License-Identifier: Apache-2.0
#include "privileged/local_privileged_steps.hpp"

#include "account/identity.hpp"
#include "account/policy.hpp"
#include "base/log_text.hpp"
#include "usercache/oidc_token_cache.hpp"

#include <variant>

namespace devflow {
namespace {

std::string claim_text(const Json &claims, const char *name) {
    auto found = claims.find(name);
    return found != claims.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// The profile is named after the sso-session: one provider, one profile.
AwsCliProfile cli_profile(const AwsSsoSettings &aws) {
    AwsCliProfile profile;
    profile.profile = aws.sso_session;
    profile.sso_session = aws.sso_session;
    profile.start_url = aws.start_url;
    profile.sso_region = aws.region;
    profile.account_id = aws.account_id;
    profile.role_name = aws.role_name;
    profile.region = aws.region;
    return profile;
}

}  // namespace

std::string LocalPrivilegedSteps::authorize(const VerifiedIdentity &identity) {
    authorized_ = false;
    std::string approver;
    if (const auto *oidc = std::get_if<OidcProviderConfig>(&provider_)) {
        require_same_user(map_identity(identity.claims, *oidc), pam_user_);
        enforce_policy(identity.claims, *oidc);
        approver = "sub " + quote_for_log(claim_text(identity.claims, "sub"));
    } else {
        const auto &aws = std::get<AwsSsoProviderConfig>(provider_);
        require_same_user(map_aws_session_name(identity.session_name, aws), pam_user_);
        approver = "AWS " + quote_for_log(identity.arn);
    }
    authorized_ = true;
    return approver;
}

bool LocalPrivilegedSteps::may_write(const char *what, bool provider_has_it) {
    if (!authorized_) {
        logger_.error(std::string("refused to write ") + what + " before the login was authorized");
        return false;
    }
    if (!provider_has_it) {
        logger_.error(std::string("refused to write ") + what + ": provider " + basics_of(provider_).name +
                      " does not write one");
        return false;
    }
    return true;
}

// The user's tools read the caches; a login must not fail because a home
// directory is unwritable, so every write here only warns.
void LocalPrivilegedSteps::write_oidc_token_cache(const TokenSet &tokens) {
    const auto *oidc = std::get_if<OidcProviderConfig>(&provider_);
    if (!may_write("the token cache", oidc != nullptr)) return;
    if (warn_if_fails(logger_, "token cache not written", [&] {
            privileges_.run_as(user_, [&] {
                devflow::write_oidc_token_cache(user_, oidc->name, oidc->issuer, oidc->client_id, tokens);
            });
        })) {
        logger_.debug("token cache written for " + quote_for_log(user_.name));
    }
}

void LocalPrivilegedSteps::write_aws_cli_cache(const AwsCliCacheEntry &entry, const std::string &file_name,
                                               AwsCacheUse use) {
    const auto *oidc = std::get_if<OidcProviderConfig>(&provider_);
    const auto *aws = std::get_if<AwsSsoProviderConfig>(&provider_);
    if (use == AwsCacheUse::id_token_exchange) {
        if (!may_write("an AWS IAM Identity Center token", oidc && !oidc->aws_idc.application_arn.empty())) return;
        AwsCliCacheEntry exchanged;
        exchanged.sso_session = oidc->aws_idc.sso_session;
        exchanged.region = oidc->aws_idc.region;
        exchanged.access_token = entry.access_token.copy();
        exchanged.expires_at = entry.expires_at;
        // No refresh fields: the refresh token belongs to the application,
        // not to an AWS CLI client registration the CLI could refresh with.
        if (warn_if_fails(logger_, "AWS IAM Identity Center token not obtained", [&] {
                privileges_.run_as(user_, [&] { write_aws_cli_token_cache(user_, exchanged, file_name); });
            })) {
            logger_.info("AWS IAM Identity Center token for " + quote_for_log(user_.name) + " written (sso-session " +
                         exchanged.sso_session + ")");
        }
        return;
    }
    if (!may_write("the AWS CLI token cache", aws != nullptr)) return;
    AwsCliCacheEntry own = entry.copy();
    own.sso_session = aws->aws.sso_session;
    own.start_url = aws->aws.start_url;
    own.region = aws->aws.region;
    if (warn_if_fails(logger_, "AWS CLI token cache not written",
                      [&] { privileges_.run_as(user_, [&] { write_aws_cli_token_cache(user_, own, file_name); }); })) {
        logger_.debug("AWS CLI token cache written for " + quote_for_log(user_.name));
    }
    if (use == AwsCacheUse::login && aws->aws.write_aws_config) write_aws_profile(*aws);
}

void LocalPrivilegedSteps::write_aws_profile(const AwsSsoProviderConfig &provider) {
    if (warn_if_fails(logger_, "~/.aws/config not updated", [&] {
            privileges_.run_as(user_, [&] { add_aws_cli_config(user_, cli_profile(provider.aws)); });
        })) {
        logger_.debug("~/.aws/config checked for " + quote_for_log(user_.name));
    }
}

}  // namespace devflow
