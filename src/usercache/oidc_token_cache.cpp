// SPDX-License-Identifier: Apache-2.0
#include "usercache/oidc_token_cache.hpp"

#include "account/user_home.hpp"
#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "base/secret.hpp"
#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "config/validators.hpp"
#include "store/cache_json.hpp"
#include "store/safe_file.hpp"

#include <array>
#include <ctime>
#include <string_view>
#include <vector>

namespace devflow {

std::string user_token_cache_directory(const UserAccount &user) {
    return user_home_path(user) + "/.cache/pam_device_flow";
}

void write_oidc_token_cache(const UserAccount &user, const std::string &provider_name, const std::string &issuer,
                            const std::string &client_id, const TokenSet &tokens) {
    if (!is_valid_provider_name(provider_name)) {
        fail_config("provider name " + quote_for_log(provider_name) +
                    " cannot name a cache file: use letters, digits, '.', '_' and '-', not starting with '.'");
    }
    const std::string expires_at = format_rfc3339_utc(tokens.expires_at);
    const std::vector<JsonStringField> fields = {
        {"issuer", issuer},
        {"client_id", client_id},
        {"access_token", tokens.access_token.reveal()},
        {"refresh_token", tokens.refresh_token.reveal()},
        {"id_token", tokens.id_token.reveal()},
        {"token_type", tokens.token_type},
        {"scope", tokens.scope},
        {"expires_at", expires_at},
    };
    // OAuth tokens, token types, scopes, client ids (RFC 6749 appendix A) and
    // issuer URLs are printable ASCII; anything else is a malformed value.
    // Validate everything before touching the file system.
    for (const auto &field : fields) {
        if (!is_printable_ascii(field.value)) {
            fail_unavailable(std::string("not writing the token cache: \"") + field.name +
                             "\" holds a byte outside printable ASCII");
        }
    }
    const std::string home = checked_user_home(user, "the token cache");
    ensure_private_directory(home + "/.cache", user.uid);
    const std::string directory = user_token_cache_directory(user);
    ensure_private_directory(directory, user.uid);

    std::string text;
    WipeOnExit wipe_text(text);
    serialize_string_object(fields, JsonLayout::indented, text);
    write_file_atomically(directory, provider_name + ".json", text, 0600);
}

}  // namespace devflow
