// SPDX-License-Identifier: Apache-2.0
// The seam between the login and the identity provider kinds. Every kind (an
// OpenID Connect provider in oidc/, AWS IAM Identity Center in aws/)
// implements Provider; the authenticator (login/authenticator.cpp) and the
// pam-device-flow command only ever hold a Provider, made in one place
// (login/providers.cpp). A login, in the order the authenticator calls it:
//
//   Provider::reuse                an earlier approval, checked again in full
//   Provider::log_in               the untrusted stage: network and parsing,
//                                  ending in a small verified value
//   PrivilegedSteps::authorize     (of VerifiedLogin::identity) bind to
//                                  PAM_USER, then the admin's policy
//   VerifiedLogin::write_user_caches  the user's token caches, written by
//                                  PrivilegedSteps as the user
//   VerifiedLogin::remember        record the approval for a later reuse
//
// Under PAM everything but the privileged steps runs in the unprivileged
// helper process (docs/security.md); the privileged steps run in the module,
// on the module's own reading of the configuration.
//
// Provider::report_settings and ::reach serve `pam-device-flow check`,
// ::cached_access_token `pam-device-flow token`.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "base/environment.hpp"
#include "base/logger.hpp"
#include "base/secret.hpp"
#include "flow/conversation.hpp"
#include "flow/device_flow.hpp"
#include "net/http_transport.hpp"
#include "privileged/privileged_steps.hpp"
#include "privileged/verified_identity.hpp"
#include "store/approval_record.hpp"
#include "store/state_store.hpp"

#include <memory>
#include <optional>
#include <string>

namespace devflow {

// What one login works with. `state` is the state store (owned by the
// helper's account under PAM), null when it cannot be used (then nothing is
// reused or recorded, and an aws-sso client registration is not shared).
struct LoginContext {
    const std::string &pam_user;  // PAM_USER as the application gave it
    const UserAccount &user;      // its account
    LoginOrigin origin;           // PAM_SERVICE and PAM_RHOST
    HttpTransport &transport;
    StateStore *state;
    Clock &clock;
    Conversation &conversation;
    Logger &logger;
    PrivilegedSteps &privileged;
    // The host's environment (AWS credentials for an id_token exchange):
    // secure_getenv under PAM (sudo's environment is the invoking user's, and
    // must not choose the host's credentials), as handed over in the helper.
    const EnvironmentLookup &environment;
};

// The outcome of the untrusted stage (a fresh login or an approval reused):
// who the provider says approved, as a value the privileged steps check
// without the network, and the tokens to keep.
class VerifiedLogin {
public:
    virtual ~VerifiedLogin() = default;

    // For PrivilegedSteps::authorize: bind to PAM_USER, then the policy.
    virtual VerifiedIdentity identity() const = 0;

    // Hands the user's token caches to context.privileged (after authorize),
    // and runs what follows a login (an id_token exchange). Never fails the
    // login: what cannot be written or obtained is a warning.
    virtual void write_user_caches(LoginContext &context) const = 0;

    // Records a fresh approval in context.state for Provider::reuse. A failure
    // to write is a warning. Nothing for a reused one.
    virtual void remember(LoginContext &context) const = 0;
};

// A line of `pam-device-flow check`'s report: a setting or a finding.
class CheckReport {
public:
    virtual ~CheckReport() = default;
    virtual void row(const char *name, const std::string &value) = 0;
};

// The access token `pam-device-flow token` prints, and the cache it is from.
struct CachedAccessToken {
    Secret access_token;
    std::string cache_path;
};

class Provider {
public:
    virtual ~Provider() = default;

    // For the debug line that opens a login, e.g. "issuer https://idp".
    virtual std::string describe() const = 0;

    // The approval recorded for context.pam_user less than `window` ago, given
    // through context.origin, if it still holds: checked again in full
    // (signature or AWS, identity, policy). Its identity() carries its age;
    // any renewed token is written by write_user_caches. Null, with the
    // reason logged, when there is none. Never throws.
    virtual std::unique_ptr<VerifiedLogin> reuse(Seconds window, LoginContext &context) const = 0;

    // The untrusted stage: the device flow and whatever proves who approved.
    // Throws Failure(refused) for denial and cancellation, Failure(denied) for
    // expiry, Failure(unavailable) for unreachable or malformed services.
    virtual std::unique_ptr<VerifiedLogin> log_in(const FlowSettings &flow, LoginContext &context) const = 0;

    // The cache a login writes for `user`, as pam-device-flow login names it.
    virtual std::string user_cache_path(const UserAccount &user) const = 0;

    // The provider's settings, and whether what the module will read is
    // readable (never a secret itself). Throws Failure(config_error).
    virtual void report_settings(CheckReport &report) const = 0;

    // Reaches the provider over the network and reports what answered.
    // Throws Failure(unavailable) naming the first thing that is wrong.
    virtual void reach(CheckReport &report, HttpTransport &transport, Logger &logger) const = 0;

    // The caller's access token from their cache, renewed first when it is
    // about to expire. Throws Failure with the message the command prints:
    // denied when there is nothing usable and a new login is the remedy.
    // Reaches the network (libcurl, with the config's settings) only to renew.
    virtual CachedAccessToken cached_access_token(const UserAccount &caller, Clock &clock, Logger &logger) const = 0;
};

}  // namespace devflow
