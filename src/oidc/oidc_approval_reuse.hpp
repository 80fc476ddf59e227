// SPDX-License-Identifier: Apache-2.0
// Step-up reuse (reuse_window): a login for the same user and provider soon
// after an approval succeeds without a new device flow, as sudo's own
// timestamp does for passwords. The approval is kept in the root-owned
// state_dir, never in the user's cache: the user must not be able to forge or
// prolong it. It is bound to where it was given (the PAM service and remote
// host, LoginOrigin): a sudo approval must not open an sshd login, nor one
// from another host. Nothing stored is trusted: the id_token is verified
// again with the provider's keys and claim rules, bound to the user and
// checked against *this* provider's policy; anything off means "no reuse",
// never a failure.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/logger.hpp"
#include "base/secret.hpp"
#include "config/config.hpp"
#include "net/http_transport.hpp"
#include "store/approval_record.hpp"
#include "store/state_store.hpp"

#include <optional>
#include <string>

namespace devflow {

struct ReusedApproval {
    Json claims;           // of the stored id_token, verified again just now
    long age_seconds = 0;  // since the approval was recorded
};

// Records a fresh approval of `user` with `provider`, given through
// `origin`: the verified id_token and the time now. Call it only after
// identity and policy passed. A failure to write is logged as a warning; the
// login it follows still succeeds.
void record_approval(StateStore &state, const OidcProviderConfig &provider, const std::string &user,
                     const LoginOrigin &origin, const std::string &id_token, Clock &clock, Logger &logger) noexcept;

// The approval recorded for (provider, user) less than `window` ago, if it
// was given through `origin`, was made with the provider's issuer and
// client_id, its id_token still verifies (signature, iss, aud, exp +
// clock_skew), was issued within the window, maps to `user` and meets the
// provider's policy. Else nullopt, with the reason logged. Never throws.
std::optional<ReusedApproval> find_reusable_approval(const OidcProviderConfig &provider, Seconds window,
                                                     const std::string &user, const LoginOrigin &origin,
                                                     HttpTransport &transport, StateStore &state, Clock &clock,
                                                     Logger &logger) noexcept;

}  // namespace devflow
