// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_cli_cache_reader.hpp"

#include "account/user_home.hpp"
#include "aws/aws_cli_cache_name.hpp"
#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/secret.hpp"
#include "base/utc_time.hpp"
#include "store/cache_json.hpp"

#include <cctype>

namespace devflow {
namespace {

TimePoint time_member(const Json &json, const char *name, const std::string &path) {
    const std::string text = cache_text_member(json, name, path);
    std::optional<TimePoint> when = parse_botocore_time(text);
    if (!when) fail_system(path + ": \"" + name + "\" is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
    return *when;
}

}  // namespace

std::optional<TimePoint> parse_botocore_time(std::string_view text) {
    static constexpr std::size_t kSeconds = 19;  // "YYYY-MM-DDTHH:MM:SS"
    if (text.size() < kSeconds + 1) return std::nullopt;
    std::string_view rest = text.substr(kSeconds);
    if (rest.front() == '.') {
        std::size_t digits = 1;
        while (digits < rest.size() && digits <= 9 && std::isdigit(static_cast<unsigned char>(rest[digits])) != 0) {
            ++digits;
        }
        if (digits == 1) return std::nullopt;
        rest.remove_prefix(digits);
    }
    if (rest != "Z" && rest != "UTC" && rest != "+00:00") return std::nullopt;
    std::string canonical(text.substr(0, kSeconds));
    canonical += 'Z';
    return parse_rfc3339_utc(canonical);
}

std::optional<AwsCliCacheEntry> read_aws_cli_token_cache(const UserAccount &user, const std::string &sso_session) {
    const std::string name = aws_cli_cache_file_name(sso_session);
    const std::string directory = user_home_path(user) + "/.aws/sso/cache";
    const std::string path = directory + "/" + name;
    std::optional<Json> read = read_cache_object(directory, name, user.uid, kMaxAwsCliCacheBytes);
    if (!read) return std::nullopt;
    const Json &json = *read;
    WipeJsonOnExit wipe_json_on_exit(*read);

    AwsCliCacheEntry entry;
    entry.sso_session = sso_session;
    entry.start_url = cache_text_member(json, "startUrl", path);
    entry.region = cache_text_member(json, "region", path);
    entry.access_token = Secret(cache_text_member(json, "accessToken", path));
    if (entry.access_token.empty()) fail_system(path + " has no accessToken");
    entry.expires_at = time_member(json, "expiresAt", path);

    // botocore refreshes only with all four; so do we.
    const bool refreshable = json.contains("refreshToken") && json.contains("clientId") &&
                             json.contains("clientSecret") && json.contains("registrationExpiresAt");
    if (refreshable) {
        entry.refresh_token = Secret(cache_text_member(json, "refreshToken", path));
        entry.client_id = cache_text_member(json, "clientId", path);
        entry.client_secret = Secret(cache_text_member(json, "clientSecret", path));
        entry.registration_expires_at = time_member(json, "registrationExpiresAt", path);
        if (entry.refresh_token.empty() || entry.client_id.empty() || entry.client_secret.empty()) {
            fail_system(path + ": refreshToken, clientId and clientSecret must not be empty");
        }
    }
    return entry;
}

}  // namespace devflow
