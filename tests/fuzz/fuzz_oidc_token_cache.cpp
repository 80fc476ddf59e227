// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the user's OIDC token cache reader behind
// `pam-device-flow token` (read_oidc_token_cache, parse_rfc3339_utc). The
// file is the user's to write, so every byte of it is untrusted.
//
// Input: the whole cache file. Once per process a private home (mkdtemp,
// 0700) with .cache/pam_device_flow (0700) is made for an account with this
// process's euid and egid; each input is written (0600, truncated) as the
// cache of provider "corp" and read back. The input's first line also goes
// to parse_rfc3339_utc.
//
// Invariants checked, beyond "no crash":
//  - the file is there, so the reader never answers nullopt;
//  - the only exception that escapes is devflow::Failure, outcome
//    system_error, with a log line under 1 KiB; neither it nor the user
//    message holds the input's access_token, refresh_token or id_token. A
//    value found there may be there by chance (a one-letter value is in the
//    path): then the object with that value replaced by a marker is read
//    again and must fail too without showing the marker (inputs nested
//    deeper than 64 skip this: re-serializing them would recurse);
//  - a returned cache comes from a JSON object (re-read with nlohmann_json)
//    whose seven members issuer, client_id, access_token, refresh_token,
//    id_token, token_type and scope are each a string or absent, and holds
//    exactly those strings ("" for absent), with a non-empty access_token
//    and an expires_at string that parse_rfc3339_utc accepts and equals;
//  - parse_rfc3339_utc accepts only "YYYY-MM-DDTHH:MM:SSZ" (digits and
//    separators checked here) with month <= 12, day 1..31, hour <= 23,
//    minute <= 59, second <= 60, and returns the time those fields give
//    (computed here from the civil calendar, with timegm's carrying of an
//    out-of-range day, month or second), between 1970 and 2262; it accepts
//    every such text.
#include "account/user_account.hpp"
#include "base/failure.hpp"
#include "base/utc_time.hpp"
#include "fuzz_support.hpp"
#include "oidc/oidc_token_cache_reader.hpp"
#include "usercache/oidc_token_cache.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using devflow::fuzz::require;

constexpr const char *kProvider = "corp";
constexpr std::array<const char *, 7> kMembers{"issuer",   "client_id",  "access_token", "refresh_token",
                                               "id_token", "token_type", "scope"};
constexpr std::array<const char *, 3> kSecretMembers{"access_token", "refresh_token", "id_token"};

// The private home and its cache file, made once per process and removed at exit.
class CacheHome {
public:
    CacheHome() {
        const char *base = std::getenv("TMPDIR");
        std::string pattern =
            std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/fuzz-oidc-token-cache.XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (::mkdtemp(buffer.data()) == nullptr) std::abort();
        user_.name = "fuzz";
        user_.uid = ::geteuid();
        user_.gid = ::getegid();
        user_.home = buffer.data();
        const std::string cache_dir = devflow::user_token_cache_directory(user_);
        require(cache_dir.rfind(user_.home + "/", 0) == 0);
        // Every directory from the home down to the cache directory, made 0700.
        for (std::size_t slash = user_.home.size(); slash != std::string::npos;
             slash = cache_dir.find('/', slash + 1)) {
            if (slash == user_.home.size()) continue;
            dirs_.push_back(cache_dir.substr(0, slash));
        }
        dirs_.push_back(cache_dir);
        for (const std::string &dir : dirs_) {
            if (::mkdir(dir.c_str(), 0700) != 0 || ::chmod(dir.c_str(), 0700) != 0) std::abort();
        }
        file_ = cache_dir + "/" + kProvider + ".json";
    }
    ~CacheHome() {
        ::unlink(file_.c_str());
        for (auto dir = dirs_.rbegin(); dir != dirs_.rend(); ++dir) ::rmdir(dir->c_str());
        ::rmdir(user_.home.c_str());
    }
    CacheHome(const CacheHome &) = delete;
    CacheHome &operator=(const CacheHome &) = delete;

    const devflow::UserAccount &user() const { return user_; }

    void write(const std::string &content) const {
        const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 || ::fchmod(fd, 0600) != 0) std::abort();
        std::size_t done = 0;
        while (done < content.size()) {
            const ssize_t put = ::write(fd, content.data() + done, content.size() - done);
            if (put <= 0) std::abort();
            done += static_cast<std::size_t>(put);
        }
        ::close(fd);
    }

private:
    devflow::UserAccount user_;
    std::vector<std::string> dirs_;
    std::string file_;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

long long number(std::string_view text, std::size_t at, std::size_t count) {
    long long value = 0;
    for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
}

// Days from 1970-01-01 to year-month-01 (proleptic Gregorian; H. Hinnant's
// days_from_civil), for any month, carried into the year first.
long long days_to_month(long long year, long long month) {
    year += (month - 1) >= 0 ? (month - 1) / 12 : -((12 - month) / 12);
    month = ((month - 1) % 12 + 12) % 12 + 1;
    year -= month <= 2 ? 1 : 0;
    const long long era = (year >= 0 ? year : year - 399) / 400;
    const long long year_of_era = year - era * 400;
    const long long day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5;
    const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

// What parse_rfc3339_utc must answer for `text`, worked out independently.
std::optional<long long> expected_rfc3339_seconds(std::string_view text) {
    static constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != pattern.size()) return std::nullopt;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == 'd' ? !is_digit(text[i]) : text[i] != pattern[i]) return std::nullopt;
    }
    const long long year = number(text, 0, 4), month = number(text, 5, 2), day = number(text, 8, 2);
    const long long hour = number(text, 11, 2), minute = number(text, 14, 2), second = number(text, 17, 2);
    if (month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    const long long seconds = (days_to_month(year, month) + day - 1) * 86400 + hour * 3600 + minute * 60 + second;
    const long long latest =
        std::chrono::duration_cast<std::chrono::seconds>(devflow::TimePoint::max().time_since_epoch()).count();
    if (seconds < 0 || seconds > latest) return std::nullopt;
    return seconds;
}

long long epoch_seconds(devflow::TimePoint when) {
    return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

void check_rfc3339(std::string_view text) {
    const std::optional<devflow::TimePoint> parsed = devflow::parse_rfc3339_utc(text);
    const std::optional<long long> expected = expected_rfc3339_seconds(text);
    require(parsed.has_value() == expected.has_value());
    if (parsed) require(epoch_seconds(*parsed) == *expected);
}

const nlohmann::json *member(const nlohmann::json &object, const char *name) {
    const auto found = object.find(name);
    return found == object.end() ? nullptr : &*found;
}

std::string text_or_empty(const nlohmann::json &object, const char *name) {
    const nlohmann::json *found = member(object, name);
    return found != nullptr ? found->get<std::string>() : std::string();
}

void check_cache(const devflow::CachedOidcTokens &cached, const nlohmann::json &object) {
    require(object.is_object());
    for (const char *name : kMembers) {
        const nlohmann::json *found = member(object, name);
        require(found == nullptr || found->is_string());
    }
    require(cached.issuer == text_or_empty(object, "issuer"));
    require(cached.client_id == text_or_empty(object, "client_id"));
    require(!cached.tokens.access_token.empty());
    require(cached.tokens.access_token.reveal() == text_or_empty(object, "access_token"));
    require(cached.tokens.refresh_token.reveal() == text_or_empty(object, "refresh_token"));
    require(cached.tokens.id_token.reveal() == text_or_empty(object, "id_token"));
    require(cached.tokens.token_type == text_or_empty(object, "token_type"));
    require(cached.tokens.scope == text_or_empty(object, "scope"));
    const nlohmann::json *expires_at = member(object, "expires_at");
    require(expires_at != nullptr && expires_at->is_string());
    const std::optional<long long> expected = expected_rfc3339_seconds(expires_at->get_ref<const std::string &>());
    require(expected && epoch_seconds(cached.tokens.expires_at) == *expected);
}

// Writes `content` (whose JSON reading is `object`), reads it back and checks
// the answer. Returns nothing for a cache, else the failure's log line and
// user message, for the leak check.
std::optional<std::string> read_and_check(const CacheHome &home, const std::string &content,
                                          const nlohmann::json &object) {
    home.write(content);
    try {
        const std::optional<devflow::CachedOidcTokens> cached = devflow::read_oidc_token_cache(home.user(), kProvider);
        require(cached.has_value());
        check_cache(*cached, object);
        return std::nullopt;
    } catch (const devflow::Failure &failure) {
        require(failure.outcome() == devflow::Outcome::system_error);
        const std::string line = failure.what();
        require(line.size() < 1024);
        return line + "\n" + failure.user_message();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static const CacheHome home;
    const std::string input(reinterpret_cast<const char *>(data), size);
    check_rfc3339(std::string_view(input).substr(0, input.find('\n')));

    nlohmann::json object = nlohmann::json::parse(input, nullptr, false);
    const std::optional<std::string> said = read_and_check(home, input, object);
    if (!said || !object.is_object() || devflow::fuzz::json_nesting_depth(input) > 64) return 0;
    for (const char *name : kSecretMembers) {
        const nlohmann::json *found = member(object, name);
        if (found == nullptr || !found->is_string()) continue;
        const std::string value = found->get<std::string>();
        if (value.empty() || said->find(value) == std::string::npos) continue;
        const std::string marker = std::string("<leak check: ") + name + ">";
        object[name] = marker;
        const std::optional<std::string> said_marked = read_and_check(home, object.dump(), object);
        require(said_marked.has_value() && said_marked->find(marker) == std::string::npos);
        object[name] = value;
    }
    return 0;
}
