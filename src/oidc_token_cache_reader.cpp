#include "oidc_token_cache_reader.hpp"

#include "failure.hpp"
#include "cache_json.hpp"
#include "json_fields.hpp"
#include "log_text.hpp"
#include "safe_file.hpp"
#include "secret.hpp"
#include "time_range.hpp"
#include "user_token_cache.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <ctime>

namespace devflow {
namespace {

int digits(std::string_view text, std::size_t at, std::size_t count) {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<TimePoint> parse_rfc3339_utc(std::string_view text) {
    static constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != pattern.size()) return std::nullopt;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const bool ok = pattern[i] == 'd' ? std::isdigit(static_cast<unsigned char>(text[i])) != 0
                                          : text[i] == pattern[i];
        if (!ok) return std::nullopt;
    }
    std::tm parts{};
    parts.tm_year = digits(text, 0, 4) - 1900;
    parts.tm_mon = digits(text, 5, 2) - 1;
    parts.tm_mday = digits(text, 8, 2);
    parts.tm_hour = digits(text, 11, 2);
    parts.tm_min = digits(text, 14, 2);
    parts.tm_sec = digits(text, 17, 2);
    if (parts.tm_mon > 11 || parts.tm_mday < 1 || parts.tm_mday > 31 || parts.tm_hour > 23 ||
        parts.tm_min > 59 || parts.tm_sec > 60) {
        return std::nullopt;
    }
    const std::time_t seconds = ::timegm(&parts);
    if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
    // TimePoint counts nanoseconds: past the year 2262 it would wrap around.
    return time_from_epoch_seconds(seconds);
}

std::optional<CachedOidcTokens> read_oidc_token_cache(const UserAccount &user,
                                                      const std::string &provider_name) {
    if (!is_valid_provider_name(provider_name)) {
        fail_config("provider name " + quote_for_log(provider_name) + " cannot name a cache file");
    }
    const std::string directory = user_token_cache_directory(user);
    const std::string name = provider_name + ".json";
    const std::string path = directory + "/" + name;
    std::optional<nlohmann::json> json = read_cache_object(directory, name, user.uid, max_token_cache_bytes);
    if (!json) return std::nullopt;
    WipeJsonOnExit wipe_json_on_exit(*json);
    const auto text_member = [&](const char *member) { return cache_text_member(*json, member, path); };

    CachedOidcTokens cached;
    cached.issuer = text_member("issuer");
    cached.client_id = text_member("client_id");
    cached.tokens.access_token = Secret(text_member("access_token"));
    cached.tokens.refresh_token = Secret(text_member("refresh_token"));
    cached.tokens.id_token = Secret(text_member("id_token"));
    cached.tokens.token_type = text_member("token_type");
    cached.tokens.scope = text_member("scope");
    if (cached.tokens.access_token.empty()) fail_system(path + " has no access_token");
    const std::string expires_at = text_member("expires_at");
    std::optional<TimePoint> when = parse_rfc3339_utc(expires_at);
    if (!when) fail_system(path + ": expires_at is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SSZ)");
    cached.tokens.expires_at = *when;
    return cached;
}

}  // namespace devflow
