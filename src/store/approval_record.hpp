// SPDX-License-Identifier: Apache-2.0
// An approval kept for step-up reuse (reuse_window), as every provider kind
// stores it in the root-owned state store: one JSON entry per (provider,
// user), bound to where it was given (LoginOrigin), with the time it was
// given. What else an entry holds, and how it is checked, is the provider's.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/log_text.hpp"
#include "base/logger.hpp"
#include "base/secret.hpp"
#include "store/state_store.hpp"

#include <optional>
#include <string>

namespace devflow {

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

// Writes `origin` into a stored approval (members "service" and
// "remote_host"), and throws Failure(denied) unless the entry holds exactly
// `origin`. An entry without those members (recorded
// before approvals were bound) is not reusable.
void store_origin(Json &entry, const LoginOrigin &origin);
void require_same_origin(const Json &entry, const LoginOrigin &origin);

// The age of a stored approval's "approved_at" at `now` (epoch seconds).
// Throws Failure(denied) when approved_at is missing, not an integer or in
// the future: such an approval is not one.
long long approval_age_seconds(const Json &entry, long long now);

// The frame of every reuse: the entry stored for (provider, user)
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

// The frame of every recording: `store` is given the state store key of
// (provider, user) and writes the approval there. A failure is logged as a
// warning, never thrown: the login it follows has succeeded.
template <class Store>
void recorded_approval(const std::string &provider, const std::string &user, Logger &logger, Store &&store) noexcept {
    try {
        store(approval_key(provider, user));
        logger.debug("approval recorded for reuse by " + quote_for_log(user) + " with provider " + provider);
    } catch (const std::exception &error) {
        logger.warning(std::string("approval not recorded for reuse: ") + error.what());
    } catch (...) {
        logger.warning("approval not recorded for reuse");
    }
}

// The string member `name` of a stored approval; throws Failure(denied) when
// it is missing or not a string: such an approval is not reusable.
std::string required_approval_text(const Json &entry, const char *name);

}  // namespace devflow
