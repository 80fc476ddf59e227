#include "user_token_cache.hpp"

#include "failure.hpp"
#include "log_text.hpp"
#include "safe_file.hpp"
#include "secret.hpp"

#include <array>
#include <ctime>
#include <string_view>
#include <vector>

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

// OAuth tokens, token types, scopes, client ids (RFC 6749 appendix A) and
// issuer URLs are printable ASCII; anything else is a malformed value.
bool is_printable_ascii(std::string_view value) {
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e) return false;
    }
    return true;
}

struct Field {
    const char *name;
    std::string_view value;
};

// Serializes the cache by hand into one buffer reserved up front: a JSON
// library's growing buffers would leave unwiped copies of the tokens.
// Values are printable ASCII, so escaping is only '"' and '\\'.
void serialize(const std::vector<Field> &fields, std::string &out) {
    std::size_t bound = 4;
    for (const auto &field : fields) bound += std::string_view(field.name).size() + 2 * field.value.size() + 16;
    out.clear();
    out.reserve(bound);
    out += "{\n";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        out += "  \"";
        out += fields[i].name;
        out += "\": \"";
        for (char c : fields[i].value) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += i + 1 < fields.size() ? "\",\n" : "\"\n";
    }
    out += "}";
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
    const std::string expires_at = format_rfc3339_utc(tokens.expires_at);
    const std::vector<Field> fields = {
        {"issuer", issuer},
        {"client_id", client_id},
        {"access_token", tokens.access_token.reveal()},
        {"refresh_token", tokens.refresh_token.reveal()},
        {"id_token", tokens.id_token.reveal()},
        {"token_type", tokens.token_type},
        {"scope", tokens.scope},
        {"expires_at", expires_at},
    };
    // Validate everything before touching the file system.
    for (const auto &field : fields) {
        if (!is_printable_ascii(field.value)) {
            fail_unavailable(std::string("not writing the token cache: \"") + field.name +
                             "\" holds a byte outside printable ASCII");
        }
    }
    const std::string home = without_trailing_slashes(user.home);
    check_home(user, home);
    ensure_private_directory(home + "/.cache", user.uid);
    const std::string directory = user_token_cache_directory(user);
    ensure_private_directory(directory, user.uid);

    std::string text;
    WipeOnExit wipe_text(text);
    serialize(fields, text);
    write_file_atomically(directory, provider_name + ".json", text, 0600);
}

}  // namespace devflow
