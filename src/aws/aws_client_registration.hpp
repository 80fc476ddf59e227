// SPDX-License-Identifier: Apache-2.0
// AWS sso-oidc client registrations (RegisterClient results), kept in the
// root-owned state directory so that logins reuse one registration for its
// lifetime (90 days at AWS) instead of registering a client each time.
// One file per key (start URL, region, scopes, endpoint), mode 0600, holding
// {"key", "clientId", "clientSecret", "clientIdIssuedAt", "clientSecretExpiresAt"}.
// Callers serialise read-register-write with lock() (see StateLock).
#pragma once

#include "base/clock.hpp"
#include "base/secret.hpp"
#include "store/state_lock.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace devflow {

struct AwsClientRegistration {
    std::string client_id;
    Secret client_secret;
    TimePoint issued_at{};   // clientIdIssuedAt (epoch 0 when the answer had none)
    TimePoint expires_at{};  // clientSecretExpiresAt
};

// A registration is renewed this long before it expires, so that it never
// runs out during a login or soon after (the AWS CLI refreshes with it).
inline constexpr std::chrono::minutes kRegistrationRenewBefore{15};

// True when `registration` may still be used at `now`.
bool registration_is_fresh(const AwsClientRegistration &registration, TimePoint now);

class AwsRegistrationStore {
public:
    // `state_dir` is created (0700) when missing, refused when unsafe:
    // Failure(system_error).
    AwsRegistrationStore(std::string state_dir, std::string key);

    // The stored registration, or nullopt when there is none or it is unusable
    // (not JSON, another key, fields missing); why is in last_miss().
    // Throws Failure(system_error) when the file is unsafe (tampering).
    std::optional<AwsClientRegistration> load();
    void save(const AwsClientRegistration &registration);  // atomic replace, 0600
    void remove();                                         // no error when absent

    // The exclusive lock for this key's entry.
    StateLock lock(Clock &clock, std::chrono::milliseconds timeout) const;

    const std::string &last_miss() const noexcept { return last_miss_; }
    const std::string &file_name() const noexcept { return file_name_; }

    // The cache key: everything a registration is valid for.
    static std::string key_for(const std::string &oidc_endpoint, const std::string &start_url,
                               const std::string &region, const std::vector<std::string> &scopes);

private:
    std::string dir_;
    std::string key_;
    std::string file_name_;
    std::string lock_name_;
    std::string last_miss_;
};

}  // namespace devflow
