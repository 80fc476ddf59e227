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

#include "clock.hpp"
#include "config.hpp"
#include "http_transport.hpp"
#include "logger.hpp"
#include "secret.hpp"
#include "state_store.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace devflow {

struct ReusedApproval {
    nlohmann::json claims;  // of the stored id_token, verified again just now
    long age_seconds = 0;   // since the approval was recorded
};

// Where a login comes from, as the PAM application names it: PAM_SERVICE and
// PAM_RHOST ("" when unset). An approval is reused only by a login from the
// same origin, both compared byte for byte.
struct LoginOrigin {
    std::string service;
    std::string remote_host;
};

// The state store key of (provider, user). Provider names cannot contain ':'.
// The origin is not part of the key but of the entry: one approval per
// provider and user, so a fresh approval elsewhere replaces the earlier one
// (and fewer live tokens lie in state_dir).
std::string approval_key(const std::string &provider, const std::string &user);

// Shared with the aws-sso reuse: writes `origin` into a stored approval
// (members "service" and "remote_host"), and throws Failure(denied) unless
// the entry holds exactly `origin`. An entry without those members (recorded
// before approvals were bound) is not reusable.
void store_origin(nlohmann::json &entry, const LoginOrigin &origin);
void require_same_origin(const nlohmann::json &entry, const LoginOrigin &origin);

// Shared with the aws-sso reuse (aws_approval_reuse.hpp): whole seconds since
// the epoch, and the age of a stored approval's "approved_at" at `now` (epoch
// seconds). Throws Failure(denied) when approved_at is missing, not an
// integer or in the future: such an approval is not one.
long long epoch_seconds(TimePoint when);
long long approval_age_seconds(const nlohmann::json &entry, long long now);

// The frame both kinds of reuse share: the entry stored for (provider, user)
// less than `window` ago is handed to `check`, which returns the reuse or
// throws when the entry is not reusable. nullopt, with the reason logged,
// when there is no entry or `check` throws. The stored text is wiped.
template <class Result, class Check>
std::optional<Result> checked_approval(StateStore &state, const std::string &provider, const std::string &user,
                                       Seconds window, Logger &logger, Check &&check) noexcept {
    try {
        std::optional<std::string> stored = state.get(approval_key(provider, user), window);
        if (!stored) {
            logger.debug("no approval to reuse: " + state.last_miss());
            return std::nullopt;
        }
        WipeOnExit wipe_stored(*stored);
        return check(*stored);
    } catch (const std::exception &error) {
        logger.info(std::string("not reusing the earlier approval: ") + error.what());
    } catch (...) {
        logger.info("not reusing the earlier approval");
    }
    return std::nullopt;
}

// Records a fresh approval of `user` with `provider`, given through
// `origin`: the verified id_token and the time now. Call it only after
// identity and policy passed. A failure to write is logged as a warning; the
// login it follows still succeeds.
void record_approval(StateStore &state, const ProviderConfig &provider, const std::string &user,
                     const LoginOrigin &origin, const std::string &id_token, Clock &clock,
                     Logger &logger) noexcept;

// The approval recorded for (provider, user) less than `window` ago, if it
// was given through `origin`, was made with the provider's issuer and
// client_id, its id_token still verifies (signature, iss, aud, exp +
// clock_skew), was issued within the window, maps to `user` and meets the
// provider's policy. Else nullopt, with the reason logged. Never throws.
std::optional<ReusedApproval> find_reusable_approval(const ProviderConfig &provider,
                                                     Seconds window, const std::string &user,
                                                     const LoginOrigin &origin,
                                                     HttpTransport &transport, StateStore &state,
                                                     Clock &clock, Logger &logger) noexcept;

}  // namespace devflow
