// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_approval_reuse.hpp"

#include "account/identity.hpp"
#include "aws/aws_token_refresh.hpp"
#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "base/secret.hpp"
#include "base/utc_time.hpp"
#include "config/aws_endpoints.hpp"
#include "store/approval_record.hpp"

#include <chrono>

namespace devflow {
namespace {

const char *const kKind = "aws-sso";

std::string stored_text(const Json &entry, const char *name, bool required) {
    if (!required && !entry.contains(name)) return {};
    return required_approval_text(entry, name);
}

TimePoint stored_time(const Json &entry, const char *name) {
    const auto found = entry.find(name);
    if (found == entry.end() || !found->is_number_integer()) {
        fail_denied(std::string("the stored approval lacks ") + name);
    }
    // TimePoint counts nanoseconds: keep to what it holds (until 2262).
    const bool too_large = found->is_number_unsigned() &&
                           found->get<unsigned long long>() > static_cast<unsigned long long>(kLatestEpochSeconds);
    const std::optional<TimePoint> when = too_large ? std::nullopt : time_from_epoch_seconds(found->get<long long>());
    if (!when) fail_denied(std::string("the stored approval's ") + name + " is out of range");
    return *when;
}

Json to_json(const AwsCliCacheEntry &tokens, const LoginOrigin &origin, long long approved_at) {
    Json entry = {
        {"kind", kKind},
        {"start_url", tokens.start_url},
        {"region", tokens.region},
        {"approved_at", approved_at},
        {"access_token", tokens.access_token.reveal()},
        {"expires_at", epoch_seconds(tokens.expires_at)},
    };
    store_origin(entry, origin);
    if (!tokens.refresh_token.empty()) {
        entry["refresh_token"] = tokens.refresh_token.reveal();
        entry["client_id"] = tokens.client_id;
        entry["client_secret"] = tokens.client_secret.reveal();
        entry["registration_expires_at"] = epoch_seconds(tokens.registration_expires_at);
    }
    return entry;
}

AwsCliCacheEntry from_json(const Json &entry, const AwsSsoSettings &aws) {
    AwsCliCacheEntry tokens;
    tokens.sso_session = aws.sso_session;
    tokens.start_url = stored_text(entry, "start_url", true);
    tokens.region = stored_text(entry, "region", true);
    tokens.access_token = Secret(stored_text(entry, "access_token", true));
    tokens.expires_at = stored_time(entry, "expires_at");
    tokens.refresh_token = Secret(stored_text(entry, "refresh_token", false));
    if (!tokens.refresh_token.empty()) {
        tokens.client_id = stored_text(entry, "client_id", true);
        tokens.client_secret = Secret(stored_text(entry, "client_secret", true));
        tokens.registration_expires_at = stored_time(entry, "registration_expires_at");
    }
    return tokens;
}

void store(StateStore &state, const std::string &key, const AwsCliCacheEntry &tokens, const LoginOrigin &origin,
           long long approved_at) {
    Json entry = to_json(tokens, origin, approved_at);
    WipeJsonOnExit wipe_entry(entry);
    std::string text = entry.dump();
    WipeOnExit wipe_text(text);
    state.put(key, text);
}

// The whole check; throws Failure with the reason when the approval is not reusable.
ReusedAwsApproval check_aws_approval(const std::string &stored, const AwsSsoProviderConfig &provider, Seconds window,
                                     const std::string &user, const LoginOrigin &origin, HttpTransport &transport,
                                     StateStore &state, Clock &clock, Logger &logger) {
    Json entry = parse_untrusted_json(stored);
    WipeJsonOnExit wipe_entry(entry);
    if (entry.is_discarded() || !entry.is_object()) fail_denied("the stored approval is not a JSON object");
    const AwsSsoSettings &aws = provider.aws;
    if (stored_text(entry, "kind", true) != kKind) fail_denied("the stored approval is not an aws-sso one");
    require_same_origin(entry, origin);  // before the stored token goes anywhere
    AwsCliCacheEntry tokens = from_json(entry, aws);
    if (tokens.start_url != aws.start_url || tokens.region != aws.region) {
        fail_denied("the stored approval was made with another start_url or region");
    }
    const long long age = approval_age_seconds(entry, epoch_seconds(clock.now()));
    const long long approved_at = entry.at("approved_at").get<long long>();
    if (age >= window.count()) {
        fail_denied("the stored approval is " + std::to_string(age) + " s old, outside the window");
    }

    ReusedAwsApproval approval;
    approval.age_seconds = static_cast<long>(age);
    if (aws_token_needs_refresh(tokens, clock.now())) {
        tokens = refresh_aws_token(tokens, aws.oidc_endpoint, transport, clock, logger);
        // Keep the renewed tokens (the old refresh token may be retired now);
        // approved_at stays, so the window does not move.
        store(state, approval_key(provider.name, user), tokens, origin, approved_at);
        logger.debug("the stored AWS access token was refreshed for reuse");
        approval.refreshed = tokens.copy();
    }

    const AwsEndpoints endpoints{aws.oidc_endpoint, aws.portal_endpoint, aws.sts_endpoint};
    approval.identity =
        verify_aws_identity(transport, endpoints, aws.region, aws.account_id, aws.role_name, tokens.access_token);
    require_same_user(map_aws_session_name(approval.identity.session_name, provider), user);
    return approval;
}

}  // namespace

void record_aws_approval(StateStore &state, const AwsSsoProviderConfig &provider, const std::string &user,
                         const LoginOrigin &origin, const AwsCliCacheEntry &tokens, Clock &clock,
                         Logger &logger) noexcept {
    recorded_approval(provider.name, user, logger,
                      [&](const std::string &key) { store(state, key, tokens, origin, epoch_seconds(clock.now())); });
}

std::optional<ReusedAwsApproval> find_reusable_aws_approval(const AwsSsoProviderConfig &provider, Seconds window,
                                                            const std::string &user, const LoginOrigin &origin,
                                                            HttpTransport &transport, StateStore &state, Clock &clock,
                                                            Logger &logger) noexcept {
    return checked_approval<ReusedAwsApproval>(
        state, provider.name, user, window, logger, [&](const std::string &stored) {
            return check_aws_approval(stored, provider, window, user, origin, transport, state, clock, logger);
        });
}

}  // namespace devflow
