// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_token_cache_reader.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "base/secret.hpp"
#include "base/utc_time.hpp"
#include "config/validators.hpp"
#include "store/cache_json.hpp"
#include "store/safe_file.hpp"
#include "usercache/oidc_token_cache.hpp"

#include <cctype>
#include <ctime>

namespace devflow {
std::optional<CachedOidcTokens> read_oidc_token_cache(const UserAccount &user, const std::string &provider_name) {
    if (!is_valid_provider_name(provider_name)) {
        fail_config("provider name " + quote_for_log(provider_name) + " cannot name a cache file");
    }
    const std::string directory = user_token_cache_directory(user);
    const std::string name = provider_name + ".json";
    const std::string path = directory + "/" + name;
    std::optional<Json> json = read_cache_object(directory, name, user.uid, kMaxTokenCacheBytes);
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
