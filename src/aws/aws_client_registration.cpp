// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_client_registration.hpp"

#include "base/failure.hpp"
#include "base/json_fields.hpp"
#include "base/secret.hpp"
#include "base/utc_time.hpp"
#include "store/safe_file.hpp"
#include "store/state_store.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace devflow {
namespace {

constexpr std::size_t kMaxEntryBytes = 256 * 1024;

}  // namespace

bool registration_is_fresh(const AwsClientRegistration &registration, TimePoint now) {
    return !registration.client_id.empty() && !registration.client_secret.empty() &&
           now + kRegistrationRenewBefore < registration.expires_at;
}

AwsRegistrationStore::AwsRegistrationStore(std::string state_dir, std::string key)
    : dir_(std::move(state_dir)), key_(std::move(key)) {
    ensure_private_directory(dir_, ::geteuid());
    // StateStore's naming (SHA-256 of the key), with a prefix that says what it is.
    std::string hashed = StateStore::file_name_for(key_);
    hashed.resize(hashed.size() - std::strlen(".json"));
    file_name_ = "aws-registration-" + hashed + ".json";
    lock_name_ = "aws-registration-" + hashed + ".lock";
}

std::string AwsRegistrationStore::key_for(const std::string &oidc_endpoint, const std::string &start_url,
                                          const std::string &region, const std::vector<std::string> &scopes) {
    // The endpoint too: a registration made at one endpoint is unknown at another.
    std::string key = "aws-sso-oidc registration\n" + oidc_endpoint + "\n" + start_url + "\n" + region + "\n";
    for (const auto &scope : scopes) key += scope + " ";
    return key;
}

std::optional<AwsClientRegistration> AwsRegistrationStore::load() {
    last_miss_.clear();
    std::optional<std::string> text = read_private_file(dir_, file_name_, ::geteuid(), kMaxEntryBytes);
    if (!text) {
        last_miss_ = "no cached registration";
        return std::nullopt;
    }
    Json json = parse_untrusted_json(*text);
    wipe(*text);
    const std::string where = "cached registration " + dir_ + "/" + file_name_;
    std::optional<AwsClientRegistration> result;
    try {
        const std::string *key = json.is_object() ? string_field(json, "key") : nullptr;
        const std::string *client_id = key ? string_field(json, "clientId") : nullptr;
        const std::string *client_secret = key ? string_field(json, "clientSecret") : nullptr;
        const auto expires_at = key ? integer_field(json, "clientSecretExpiresAt") : std::nullopt;
        const auto issued_at = key ? integer_field(json, "clientIdIssuedAt") : std::nullopt;
        const auto expires = expires_at ? time_from_epoch_seconds(*expires_at) : std::nullopt;
        const auto issued = time_from_epoch_seconds(issued_at.value_or(0));
        if (key == nullptr || client_id == nullptr || client_secret == nullptr || !expires_at) {
            last_miss_ = where + " is not a registration";
        } else if (*key != key_) {
            last_miss_ = where + " belongs to another key";
        } else if (!expires || !issued) {
            last_miss_ = where + " has a time out of range";
        } else {
            AwsClientRegistration registration;
            registration.client_id = *client_id;
            registration.client_secret = Secret(*client_secret);
            registration.expires_at = *expires;
            registration.issued_at = *issued;
            result = std::move(registration);
        }
    } catch (const Failure &) {  // integer_field on a non-integer
        last_miss_ = where + " has a field of the wrong type";
    }
    if (json.is_discarded()) last_miss_ = where + " is not JSON";
    else wipe_json(json);
    return result;
}

void AwsRegistrationStore::save(const AwsClientRegistration &registration) {
    Json json = {
        {"key", key_},
        {"clientId", registration.client_id},
        {"clientSecret", registration.client_secret.reveal()},
        {"clientIdIssuedAt", epoch_seconds(registration.issued_at)},
        {"clientSecretExpiresAt", epoch_seconds(registration.expires_at)},
    };
    std::string text = json.dump();
    WipeOnExit wipe_text(text);
    wipe_json(json);
    write_file_atomically(dir_, file_name_, text, 0600);
}

void AwsRegistrationStore::remove() {
    const std::string path = dir_ + "/" + file_name_;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        fail_system("cannot remove the cached registration " + path + ": " + std::strerror(errno));
    }
}

StateLock AwsRegistrationStore::lock(Clock &clock, std::chrono::milliseconds timeout) const {
    return StateLock(dir_, lock_name_, clock, timeout);
}

}  // namespace devflow
