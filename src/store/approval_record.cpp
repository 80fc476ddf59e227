// SPDX-License-Identifier: Apache-2.0
#include "store/approval_record.hpp"
#include "base/json.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"

namespace devflow {

std::string required_approval_text(const Json &entry, const char *name) {
    const auto found = entry.find(name);
    if (found == entry.end() || !found->is_string()) {
        fail_denied(std::string("the stored approval lacks ") + name);
    }
    return found->get<std::string>();
}

long long approval_age_seconds(const Json &entry, long long now) {
    const auto found = entry.find("approved_at");
    if (found == entry.end() || !found->is_number_integer()) {
        fail_denied("the stored approval has no approved_at time");
    }
    const bool in_past = found->is_number_unsigned()
                             ? found->get<unsigned long long>() <= static_cast<unsigned long long>(now)
                             : found->get<long long>() >= 0 && found->get<long long>() <= now;
    if (!in_past) fail_denied("the stored approval was recorded in the future");
    return now - found->get<long long>();
}

std::string approval_key(const std::string &provider, const std::string &user) {
    return "approval:" + provider + ":" + user;
}

void store_origin(Json &entry, const LoginOrigin &origin) {
    entry["service"] = origin.service;
    entry["remote_host"] = origin.remote_host;
}

void require_same_origin(const Json &entry, const LoginOrigin &origin) {
    const std::string service = required_approval_text(entry, "service");
    const std::string remote_host = required_approval_text(entry, "remote_host");
    if (service != origin.service) {
        fail_denied("the stored approval was given through PAM service " + quote_for_log(service) +
                    ", this login comes through " + quote_for_log(origin.service));
    }
    if (remote_host != origin.remote_host) {
        fail_denied("the stored approval was given from remote host " + quote_for_log(remote_host) +
                    ", this login comes from " + quote_for_log(origin.remote_host));
    }
}

}  // namespace devflow
