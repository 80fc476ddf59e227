#include "user_token_cache.hpp"

#include "failure.hpp"
#include "log_text.hpp"
#include "safe_file.hpp"
#include "secret.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <ctime>

namespace devflow {
namespace {

std::string without_trailing_slashes(std::string path) {
    // A trailing slash would make open() follow a symlinked last component.
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

// The home directory must be the user's own real directory: we create our
// cache under it and a symlink there could point anywhere.
void check_home(const UserAccount &user, const std::string &home) {
    if (home.empty() || home.front() != '/' || home.find('\0') != std::string::npos) {
        fail_system("home directory " + quote_for_log(user.home) + " of " + quote_for_log(user.name) +
                    " is not an absolute path");
    }
    try {
        check_owned_directory(home, user.uid);
    } catch (const Failure &failure) {
        fail_system("home directory of " + quote_for_log(user.name) + ": " + failure.what() +
                    "; not writing the token cache");
    }
}

// The json holds copies of the tokens; wipe them before it is freed.
void wipe_strings(nlohmann::ordered_json &object) {
    for (auto &element : object) {
        if (element.is_string()) wipe(element.get_ref<std::string &>());
    }
}

// Wipes the serialized cache however the write ends.
class WipeOnExit {
public:
    explicit WipeOnExit(std::string &text) noexcept : text_(text) {}
    WipeOnExit(const WipeOnExit &) = delete;
    WipeOnExit &operator=(const WipeOnExit &) = delete;
    ~WipeOnExit() { wipe(text_); }

private:
    std::string &text_;
};

}  // namespace

bool is_valid_provider_name(std::string_view name) {
    if (name.empty() || name.front() == '.') return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string format_rfc3339_utc(TimePoint when) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(when.time_since_epoch()).count();
    const auto time = static_cast<std::time_t>(seconds);
    std::tm parts{};
    if (::gmtime_r(&time, &parts) == nullptr) fail_system("cannot convert a time to UTC");
    std::array<char, 64> buffer{};
    const std::size_t length = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
    if (length == 0) fail_system("cannot format a time as RFC 3339");
    return std::string(buffer.data(), length);
}

std::string user_token_cache_directory(const UserAccount &user) {
    return without_trailing_slashes(user.home) + "/.cache/pam_device_flow";
}

void write_oidc_token_cache(const UserAccount &user, const std::string &provider_name, const std::string &issuer,
                            const std::string &client_id, const TokenSet &tokens) {
    if (!is_valid_provider_name(provider_name)) {
        fail_config("provider name " + quote_for_log(provider_name) +
                    " cannot name a cache file: use letters, digits, '.', '_' and '-', not starting with '.'");
    }
    const std::string home = without_trailing_slashes(user.home);
    check_home(user, home);
    ensure_private_directory(home + "/.cache", user.uid);
    const std::string directory = user_token_cache_directory(user);
    ensure_private_directory(directory, user.uid);

    nlohmann::ordered_json cache = nlohmann::ordered_json::object();
    cache["issuer"] = issuer;
    cache["client_id"] = client_id;
    cache["access_token"] = tokens.access_token.reveal();
    cache["refresh_token"] = tokens.refresh_token.reveal();
    cache["id_token"] = tokens.id_token.reveal();
    cache["token_type"] = tokens.token_type;
    cache["scope"] = tokens.scope;
    cache["expires_at"] = format_rfc3339_utc(tokens.expires_at);

    std::string text;
    WipeOnExit wipe_text(text);
    try {
        // No concatenation after dump: a reallocation would leave an unwiped copy.
        text = cache.dump(2);
    } catch (const nlohmann::json::exception &) {
        wipe_strings(cache);
        fail_system("cannot serialize the token cache for provider " + quote_for_log(provider_name) +
                    ": a value is not valid UTF-8");
    }
    wipe_strings(cache);
    write_file_atomically(directory, provider_name + ".json", text, 0600);
}

}  // namespace devflow
