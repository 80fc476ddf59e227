// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the AWS CLI SSO token cache reader behind
// `pam-device-flow token` (read_aws_cli_token_cache, parse_botocore_time). The
// cache file is the user's to write, so every byte of it is untrusted.
//
// Input: the whole cache file. Once per process, a private home (mkdtemp,
// 0700) with .aws/sso/cache (0700) is made for an account with this process's
// euid and egid; each input is written (mode 0600, truncated) to the cache file
// of sso-session "corp" and read back. The input's first line also goes to
// parse_botocore_time.
//
// Invariants checked, beyond "no crash":
//  - the file is there, so the reader never answers nullopt;
//  - the only exception that escapes is devflow::Failure, outcome
//    system_error, with a log line under 1 KiB; neither the log line nor the
//    user message holds the input's accessToken, refreshToken or clientSecret
//    (the input re-read with nlohmann_json). A value found there may be there
//    by chance (a one-letter value is in the path): then the same object, with
//    that value replaced by a marker, is read again; it must fail too and the
//    marker must not be in what it says;
//  - a returned entry has sso_session "corp" and a non-empty access token
//    equal to the input's accessToken, and the input's expiresAt has the
//    botocore shape below; its refresh_token is empty, or it, client_id and
//    client_secret are all non-empty, the input has all four refresh members
//    and its registrationExpiresAt has that shape too;
//  - parse_botocore_time accepts only text of the shape
//    "YYYY-MM-DDTHH:MM:SS" (digits and separators, checked here), then
//    nothing or '.' and 1 to 9 digits, then "Z", "UTC" or "+00:00".
#include "account/user_account.hpp"
#include "aws/aws_cli_cache_name.hpp"
#include "aws/aws_cli_cache_reader.hpp"
#include "base/failure.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <nlohmann/json.hpp>

#include <array>
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

void require(bool condition) {
    if (!condition) std::abort();
}

constexpr const char *kSsoSession = "corp";
constexpr std::array<const char *, 3> kSecretMembers{"accessToken", "refreshToken", "clientSecret"};
constexpr std::array<const char *, 4> kRefreshMembers{"refreshToken", "clientId", "clientSecret",
                                                      "registrationExpiresAt"};

// The private home and its cache file, made once per process and removed at exit.
class CacheHome {
public:
    CacheHome() {
        const char *base = std::getenv("TMPDIR");
        std::string pattern =
            std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/fuzz-aws-cli-cache.XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (::mkdtemp(buffer.data()) == nullptr) std::abort();
        user_.name = "fuzz";
        user_.uid = ::geteuid();
        user_.gid = ::getegid();
        user_.home = buffer.data();
        for (const char *sub : {"/.aws", "/.aws/sso", "/.aws/sso/cache"}) {
            dirs_.push_back(user_.home + sub);
            if (::mkdir(dirs_.back().c_str(), 0700) != 0 || ::chmod(dirs_.back().c_str(), 0700) != 0) std::abort();
        }
        file_ = dirs_.back() + "/" + devflow::aws_cli_cache_file_name(kSsoSession);
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
        if (fd < 0) std::abort();
        if (::fchmod(fd, 0600) != 0) std::abort();
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

// "YYYY-MM-DDTHH:MM:SS", then nothing or '.' and 1 to 9 digits, then "Z",
// "UTC" or "+00:00".
bool has_botocore_shape(std::string_view text) {
    static constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:dd";
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    if (text.size() < pattern.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == 'd' ? !is_digit(text[i]) : text[i] != pattern[i]) return false;
    }
    std::string_view rest = text.substr(pattern.size());
    bool utc = false;
    for (std::string_view zone : {"Z", "UTC", "+00:00"}) {
        if (!utc && rest.size() >= zone.size() && rest.substr(rest.size() - zone.size()) == zone) {
            rest.remove_suffix(zone.size());
            utc = true;
        }
    }
    if (!utc) return false;
    if (rest.empty()) return true;
    if (rest.front() != '.' || rest.size() < 2 || rest.size() > 10) return false;
    for (char c : rest.substr(1)) {
        if (!is_digit(c)) return false;
    }
    return true;
}

bool has(const nlohmann::json &object, const char *member) { return object.is_object() && object.contains(member); }

bool has_text(const nlohmann::json &object, const char *member) {
    return has(object, member) && object[member].is_string();
}

// Writes `content` (whose JSON reading is `object`), reads it back and checks
// what the reader answered. Returns nothing for an entry, else the failure's
// log line and user message, for the leak check.
std::optional<std::string> read_and_check(const CacheHome &home, const std::string &content,
                                          const nlohmann::json &object) {
    home.write(content);
    try {
        const std::optional<devflow::AwsCliCacheEntry> entry =
            devflow::read_aws_cli_token_cache(home.user(), kSsoSession);
        require(entry.has_value());
        require(entry->sso_session == kSsoSession);
        require(!entry->access_token.empty());
        require(has_text(object, "accessToken") &&
                object["accessToken"].get_ref<const std::string &>() == entry->access_token.reveal());
        require(has_text(object, "expiresAt") &&
                has_botocore_shape(object["expiresAt"].get_ref<const std::string &>()));
        if (!entry->refresh_token.empty()) {
            require(!entry->client_id.empty() && !entry->client_secret.empty());
            for (const char *member : kRefreshMembers) require(has(object, member));
            require(has_text(object, "registrationExpiresAt") &&
                    has_botocore_shape(object["registrationExpiresAt"].get_ref<const std::string &>()));
        }
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

    const std::string_view first_line = std::string_view(input).substr(0, input.find('\n'));
    if (devflow::parse_botocore_time(first_line)) require(has_botocore_shape(first_line));

    // The reader parses the file the same way; a discarded or non-object
    // reading holds no tokens to look for.
    const nlohmann::json object = nlohmann::json::parse(input, nullptr, false);
    const std::optional<std::string> said = read_and_check(home, input, object);
    if (!said || !object.is_object()) return 0;
    for (const char *member : kSecretMembers) {
        const auto found = object.find(member);
        if (found == object.end() || !found->is_string()) continue;
        const std::string &value = found->get_ref<const std::string &>();
        if (value.empty() || said->find(value) == std::string::npos) continue;
        nlohmann::json marked = object;
        const std::string marker = std::string("<leak check: ") + member + ">";
        marked[member] = marker;
        const std::optional<std::string> said_marked = read_and_check(home, marked.dump(), marked);
        require(said_marked.has_value() && said_marked->find(marker) == std::string::npos);
    }
    return 0;
}
