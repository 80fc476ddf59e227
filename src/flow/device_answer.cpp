// SPDX-License-Identifier: Apache-2.0
#include "flow/device_answer.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "flow/terminal_text.hpp"
#include "net/url.hpp"

namespace devflow {
namespace {

constexpr std::size_t kMaxDeviceCode = 4096;
constexpr std::size_t kMaxUserCode = 64;
constexpr std::size_t kMaxUrl = 2048;
constexpr Seconds kDefaultInterval{5};

// A URL for the terminal: it must be safe as it is, or it is not shown.
std::string checked_url(const std::string &url) {
    if (url.size() > kMaxUrl || sanitize_for_terminal(url, kMaxUrl) != url || !is_secure_url(url)) {
        return {};
    }
    return url;
}

}  // namespace

DeviceAuthorization parse_device_authorization(const std::string &body, const DeviceAnswerNames &names) {
    Json json = parse_json_object(body, "device authorization");
    DeviceAuthorization result;
    const std::string what = "device authorization answer";

    const std::string *device_code = string_field(json, names.device_code);
    if (device_code == nullptr || device_code->empty() || device_code->size() > kMaxDeviceCode) {
        fail_unavailable(what + " has no usable " + names.device_code);
    }
    result.device_code = Secret(*device_code);

    const std::string *user_code = string_field(json, names.user_code);
    if (user_code == nullptr || user_code->empty() || user_code->size() > kMaxUserCode) {
        fail_unavailable(what + " has no usable " + names.user_code);
    }
    result.user_code = sanitize_for_terminal(*user_code, kMaxUserCode);
    if (result.user_code != *user_code) {
        fail_unavailable(what + "'s " + names.user_code + " holds control characters");
    }

    const std::string *uri = string_field(json, names.verification_uri);
    if (uri == nullptr && names.verification_uri_alias != nullptr) {
        uri = string_field(json, names.verification_uri_alias);
    }
    if (uri == nullptr) fail_unavailable(what + " has no " + names.verification_uri);
    result.verification_uri = checked_url(*uri);
    if (result.verification_uri.empty()) {
        fail_unavailable(what + "'s " + names.verification_uri + " is not a safe https URL");
    }
    if (const std::string *complete = string_field(json, names.verification_uri_complete)) {
        result.verification_uri_complete = checked_url(*complete);
    }

    auto expires_in = integer_field(json, names.expires_in);
    if (!expires_in || *expires_in <= 0 || *expires_in > 86400) {
        fail_unavailable(what + " has no usable " + names.expires_in);
    }
    result.expires_in = Seconds(*expires_in);

    auto interval = integer_field(json, names.interval);
    if (interval && (*interval < 0 || *interval > 300)) {
        fail_unavailable(what + "'s " + names.interval + " is out of range");
    }
    result.interval = interval && *interval > 0 ? Seconds(*interval) : kDefaultInterval;
    return result;
}

}  // namespace devflow
