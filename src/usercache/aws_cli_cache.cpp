// SPDX-License-Identifier: Apache-2.0
#include "usercache/aws_cli_cache.hpp"

#include "account/user_home.hpp"
#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "store/cache_json.hpp"
#include "store/safe_file.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace devflow {
namespace {

constexpr std::size_t kMaxConfigBytes = 1024 * 1024;
constexpr std::size_t kMaxConfigValue = 2048;

// Names of INI sections and cache keys we write: nothing that could end a
// header, start a comment or need quoting.
bool is_section_name(std::string_view name) {
    if (name.empty() || name.size() > 128) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-' || c == '@' || c == '+';
        if (!ok) return false;
    }
    return true;
}

void check_section_name(const std::string &name, const char *what) {
    if (!is_section_name(name)) {
        fail_config(std::string(what) + " " + quote_for_log(name) +
                    " cannot name an AWS CLI section: use letters, digits and . _ - @ +");
    }
}

// ---- ~/.aws/config

std::vector<std::string_view> header_words(std::string_view header) {
    std::vector<std::string_view> words;
    std::size_t at = 0;
    while (at < header.size()) {
        at = header.find_first_not_of(" \t", at);
        if (at == std::string_view::npos) break;
        auto end = header.find_first_of(" \t", at);
        if (end == std::string_view::npos) end = header.size();
        std::string_view word = header.substr(at, end - at);
        // botocore splits headers like a shell: "[profile \"corp\"]" names corp.
        if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'') && word.back() == word.front()) {
            word = word.substr(1, word.size() - 2);
        }
        words.push_back(word);
        at = end;
    }
    return words;
}

// Whether `config` has a section [kind name], read as botocore (Python's
// configparser) reads headers: the stripped line from '[' to the last ']';
// '#' and ';' lines are comments.
bool has_section(std::string_view config, std::string_view kind, std::string_view name) {
    std::size_t start = 0;
    while (start <= config.size()) {
        auto end = config.find('\n', start);
        if (end == std::string_view::npos) end = config.size();
        std::string_view line = config.substr(start, end - start);
        start = end + 1;
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) continue;
        line.remove_prefix(first);
        if (line.front() != '[') continue;
        const auto close = line.rfind(']');
        if (close == std::string_view::npos || close < 2) continue;
        const auto words = header_words(line.substr(1, close - 1));
        if (words.size() == 2 && words[0] == kind && words[1] == name) return true;
        // The CLI reads [default] as the profile "default".
        if (kind == "profile" && name == "default" && words.size() == 1 && words[0] == "default") return true;
    }
    return false;
}

void check_config_value(const std::string &value, const char *key) {
    if (value.empty() || value.size() > kMaxConfigValue || !is_printable_ascii(value) ||
        value.find_first_of(" \t") != std::string::npos) {
        fail_config(std::string("cannot write ") + key + " = " + quote_for_log(value) +
                    " to ~/.aws/config: it must be printable ASCII without spaces");
    }
}

std::string sso_session_section(const AwsCliProfile &profile) {
    return "[sso-session " + profile.sso_session + "]\n" + "sso_start_url = " + profile.start_url + "\n" +
           "sso_region = " + profile.sso_region + "\n" + "sso_registration_scopes = sso:account:access\n";
}

std::string profile_section(const AwsCliProfile &profile) {
    return "[profile " + profile.profile + "]\n" + "sso_session = " + profile.sso_session + "\n" +
           "sso_account_id = " + profile.account_id + "\n" + "sso_role_name = " + profile.role_name + "\n" +
           "region = " + profile.region + "\n";
}

}  // namespace

AwsCliCacheEntry AwsCliCacheEntry::copy() const {
    AwsCliCacheEntry twin;
    twin.sso_session = sso_session;
    twin.start_url = start_url;
    twin.region = region;
    twin.access_token = access_token.copy();
    twin.expires_at = expires_at;
    twin.refresh_token = refresh_token.copy();
    twin.client_id = client_id;
    twin.client_secret = client_secret.copy();
    twin.registration_expires_at = registration_expires_at;
    return twin;
}

bool is_aws_cli_cache_file_name(std::string_view name) {
    constexpr std::string_view kSuffix = ".json";
    if (name.size() != 40 + kSuffix.size() || name.substr(40) != kSuffix) return false;
    return std::all_of(name.begin(), name.begin() + 40,
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string aws_cli_cache_directory(const UserAccount &user) {
    const std::string home = checked_user_home(user, "the AWS CLI token cache");
    const std::string directory = home + "/.aws/sso/cache";
    ensure_private_directory(home + "/.aws", user.uid);
    ensure_private_directory(home + "/.aws/sso", user.uid);
    ensure_private_directory(directory, user.uid);
    return directory;
}

void write_aws_cli_token_cache(const UserAccount &user, const AwsCliCacheEntry &entry, const std::string &file_name) {
    check_section_name(entry.sso_session, "sso_session");
    if (!is_aws_cli_cache_file_name(file_name)) {
        fail_unavailable("not writing the AWS CLI token cache: " + quote_for_log(file_name) +
                         " is not a cache file name (40 lower-case hex digits and .json)");
    }
    const std::string expires_at = format_rfc3339_utc(entry.expires_at);
    std::vector<JsonStringField> fields;
    // A CreateTokenWithIAM token has no start URL; botocore does not need one.
    if (!entry.start_url.empty()) fields.push_back({"startUrl", entry.start_url});
    fields.push_back({"region", entry.region});
    fields.push_back({"accessToken", entry.access_token.reveal()});
    fields.push_back({"expiresAt", expires_at});
    std::string registration_expires_at;
    if (!entry.refresh_token.empty()) {
        if (entry.client_id.empty() || entry.client_secret.empty()) {
            fail_unavailable("not writing the AWS CLI token cache: a refresh token without its client registration");
        }
        registration_expires_at = format_rfc3339_utc(entry.registration_expires_at);
        fields.push_back({"clientId", entry.client_id});
        fields.push_back({"clientSecret", entry.client_secret.reveal()});
        fields.push_back({"registrationExpiresAt", registration_expires_at});
        fields.push_back({"refreshToken", entry.refresh_token.reveal()});
    }
    // Validate everything before touching the file system.
    for (const auto &field : fields) {
        if (field.value.empty() || !is_printable_ascii(field.value)) {
            fail_unavailable(std::string("not writing the AWS CLI token cache: \"") + field.name +
                             "\" is empty or holds a byte outside printable ASCII");
        }
    }
    const std::string directory = aws_cli_cache_directory(user);

    std::string text;
    WipeOnExit wipe_text(text);
    serialize_string_object(fields, JsonLayout::botocore, text);
    write_file_atomically(directory, file_name, text, 0600);
}

void add_aws_cli_config(const UserAccount &user, const AwsCliProfile &profile) {
    check_section_name(profile.profile, "profile");
    check_section_name(profile.sso_session, "sso_session");
    check_config_value(profile.start_url, "sso_start_url");
    check_config_value(profile.sso_region, "sso_region");
    check_config_value(profile.account_id, "sso_account_id");
    check_config_value(profile.role_name, "sso_role_name");
    check_config_value(profile.region, "region");

    const std::string home = checked_user_home(user, "the AWS CLI configuration");
    const std::string directory = home + "/.aws";
    ensure_private_directory(directory, user.uid);
    const auto existing = read_owned_file(directory, "config", user.uid, kMaxConfigBytes);
    const std::string old_content = existing ? existing->content : std::string();

    std::string additions;
    if (!has_section(old_content, "sso-session", profile.sso_session)) additions += sso_session_section(profile);
    if (!has_section(old_content, "profile", profile.profile)) {
        if (!additions.empty()) additions += '\n';
        additions += profile_section(profile);
    }
    if (additions.empty()) return;  // both there: the user's file stays as it is

    std::string content = old_content;
    if (!content.empty()) {
        if (content.back() != '\n') content += '\n';
        content += '\n';
    }
    content += additions;
    write_file_atomically(directory, "config", content, existing ? (existing->mode & 0777) : 0600);
}

}  // namespace devflow
