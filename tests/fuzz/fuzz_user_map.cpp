// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the user map parser behind map_identity.
//
// The input is the whole map file. The claim value looked up is the input's
// first whitespace-separated token when the first byte is odd (so hits are
// common), else a fixed name (so misses are too).
//
// Invariant: map_identity either returns a name N such that some line of the
// input, split on spaces/tabs, is exactly the two fields "CLAIM N" (and N is a
// plausible user name), or throws a Failure whose outcome is refused, denied or
// config_error. Anything else aborts.
//
// Built and run by `cmake --build build --target fuzz` (tests/fuzz/README.md).
#include "account/identity.hpp"
#include "base/failure.hpp"
#include "config/config.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

// One temp file per process, rewritten for each input and removed at exit.
class MapFile {
public:
    MapFile() {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/fuzz-user-map.XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        const int fd = ::mkstemp(buffer.data());
        if (fd < 0) std::abort();
        ::close(fd);
        path_ = buffer.data();
    }
    ~MapFile() { ::unlink(path_.c_str()); }
    const std::string &path() const { return path_; }

    void write(const std::string &content) const {
        const int fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
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
    std::string path_;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::vector<std::string> fields_of(const std::string &line) {
    std::vector<std::string> fields;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && is_blank(line[pos])) ++pos;
        const std::size_t start = pos;
        while (pos < line.size() && !is_blank(line[pos]) && line[pos] != '\n') ++pos;
        if (pos > start) fields.push_back(line.substr(start, pos - start));
        if (pos < line.size() && line[pos] == '\n') break;
    }
    return fields;
}

// Does some line of `text` consist of exactly the fields `claim` and `user`?
bool has_line(const std::string &text, const std::string &claim, const std::string &user) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto fields = fields_of(line);
        if (fields.size() == 2 && fields[0] == claim && fields[1] == user) return true;
        start = end + 1;
    }
    return false;
}

std::string claim_for(const std::string &input) {
    if (!input.empty() && (static_cast<unsigned char>(input[0]) & 1u) != 0) {
        const auto fields = fields_of(input);
        if (!fields.empty()) return fields.front();
    }
    return "alice@corp.example";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static const MapFile map_file;
    const std::string input(reinterpret_cast<const char *>(data), size);
    map_file.write(input);

    devflow::OidcProviderConfig provider;
    provider.name = "fuzz";
    provider.user_map_file = map_file.path();
    const std::string claim = claim_for(input);
    const nlohmann::json claims = {{"preferred_username", claim}};

    try {
        const std::string user = devflow::map_identity(claims, provider);
        if (!devflow::is_plausible_username(user) || !has_line(input, claim, user)) {
            std::fprintf(stderr, "invariant broken: claim mapped to a name not paired with it in the input\n");
            std::abort();
        }
    } catch (const devflow::Failure &failure) {
        // refused: a value the map does not list (a final no); denied: no usable value.
        if (failure.outcome() != devflow::Outcome::refused && failure.outcome() != devflow::Outcome::denied &&
            failure.outcome() != devflow::Outcome::config_error) {
            std::fprintf(stderr, "unexpected outcome %s: %s\n", devflow::outcome_name(failure.outcome()),
                         failure.what());
            std::abort();
        }
    }
    return 0;
}
