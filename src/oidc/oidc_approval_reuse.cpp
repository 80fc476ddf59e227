// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_approval_reuse.hpp"

#include "account/identity.hpp"
#include "account/policy.hpp"
#include "base/failure.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "base/secret.hpp"
#include "base/utc_time.hpp"
#include "oidc/oidc_login.hpp"

#include <chrono>
#include <string>

namespace devflow {
namespace {

// The whole check; throws Failure with the reason when the approval is not reusable.
ReusedApproval check_approval(const std::string &stored, const OidcProviderConfig &provider, Seconds window,
                              const std::string &user, const LoginOrigin &origin, HttpTransport &transport,
                              StateStore &state, Clock &clock, Logger &logger) {
    const auto entry = parse_untrusted_json(stored);
    if (entry.is_discarded() || !entry.is_object()) fail_denied("the stored approval is not a JSON object");
    require_same_origin(entry, origin);
    if (required_approval_text(entry, "issuer") != provider.issuer ||
        required_approval_text(entry, "client_id") != provider.client_id) {
        fail_denied("the stored approval was made with another issuer or client_id");
    }
    const long long now = epoch_seconds(clock.now());
    const long long age = approval_age_seconds(entry, now);
    if (age >= window.count()) {
        fail_denied("the stored approval is " + std::to_string(age) + " s old, outside the window");
    }

    Secret id_token(required_approval_text(entry, "id_token"));
    ReusedApproval approval;
    approval.claims = verify_provider_id_token(provider, id_token.reveal(), transport, &state, clock, logger);
    approval.age_seconds = static_cast<long>(age);

    // approved_at is only as good as the state file; iat is signed by the IdP.
    // So an edited approved_at cannot stretch the window past the token's issue.
    const auto iat = approval.claims.find("iat");  // present and numeric: the verifier requires it
    const double window_start = static_cast<double>(now - window.count() - provider.clock_skew);
    if (iat == approval.claims.end() || !iat->is_number() || iat->get<double>() <= window_start) {
        fail_denied("the stored id_token was issued before the reuse window");
    }

    require_same_user(map_identity(approval.claims, provider), user);
    enforce_policy(approval.claims, provider);
    return approval;
}

}  // namespace

void record_approval(StateStore &state, const OidcProviderConfig &provider, const std::string &user,
                     const LoginOrigin &origin, const std::string &id_token, Clock &clock, Logger &logger) noexcept {
    recorded_approval(provider.name, user, logger, [&](const std::string &key) {
        Json entry = {{"issuer", provider.issuer},
                      {"client_id", provider.client_id},
                      {"approved_at", epoch_seconds(clock.now())},
                      {"id_token", id_token}};
        store_origin(entry, origin);
        std::string text = entry.dump();
        WipeOnExit wipe_text(text);
        wipe(entry["id_token"].get_ref<std::string &>());
        state.put(key, text);
    });
}

std::optional<ReusedApproval> find_reusable_approval(const OidcProviderConfig &provider, Seconds window,
                                                     const std::string &user, const LoginOrigin &origin,
                                                     HttpTransport &transport, StateStore &state, Clock &clock,
                                                     Logger &logger) noexcept {
    return checked_approval<ReusedApproval>(state, provider.name, user, window, logger, [&](const std::string &stored) {
        return check_approval(stored, provider, window, user, origin, transport, state, clock, logger);
    });
}

}  // namespace devflow
