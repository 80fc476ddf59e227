// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the entries of the root-owned state directory as they
// are read back: StateStore::get (discovery documents, JWKS, approvals) and
// AwsRegistrationStore::load (the shared sso-oidc client registration). A
// state file is only as trustworthy as the directory; anything odd about an
// entry must be a miss, never a crash or a wrong value.
//
// Input: a whole entry file. Once per process a private directory (0700)
// is made; each input is written (0600) as the StateStore entry of one key
// and read with get(key, 3600 s) at a fixed time, then written as the
// registration file of one registration key and loaded.
//
// Invariants checked, beyond "no crash":
//  - neither throws (the files are safe: ours, 0600, regular);
//  - get returns a value exactly when the input is a JSON object (re-read
//    with nlohmann_json) whose "key" is the key, whose "stored_at" is an
//    integer at most now and less than 3600 s ago, and whose "value" is a
//    string, and then returns that string; after a miss last_miss() says why;
//  - load returns a registration exactly when the input is an object whose
//    "key" is the registration key, "clientId" and "clientSecret" are
//    strings and "clientSecretExpiresAt" (and "clientIdIssuedAt" when
//    present) is an integer or a string of 1..9 digits, from 1970 up to
//    2262 (what TimePoint holds), and then holds those values, the times to
//    the second (epoch 0 without clientIdIssuedAt);
//    after a miss last_miss() says why.
#include "aws/aws_client_registration.hpp"
#include "fake_clock.hpp"
#include "fuzz_support.hpp"
#include "store/state_store.hpp"
#include "test_files.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace {

using devflow::fuzz::require;

constexpr long long kNow = 1700000000;
constexpr std::chrono::seconds kMaxAge{3600};
const std::string kKey = "discovery:https://login.example.com/realms/corp";

struct World {
    devflow::test::TempDir dir;
    devflow::FakeClock clock{devflow::TimePoint(std::chrono::seconds(kNow))};
    devflow::StateStore state{dir / "state", clock};
    std::string registration_key = devflow::AwsRegistrationStore::key_for("https://oidc.us-east-1.amazonaws.com",
                                                                          "https://d-1234567890.awsapps.com/start",
                                                                          "us-east-1", {"sso:account:access"});
    devflow::AwsRegistrationStore registrations{dir / "state", registration_key};
};

World &world() {
    static World instance;
    return instance;
}

const nlohmann::json *member(const nlohmann::json &object, const char *name) {
    if (!object.is_object()) return nullptr;
    const auto found = object.find(name);
    return found == object.end() ? nullptr : &*found;
}

bool is_text(const nlohmann::json *value) { return value != nullptr && value->is_string(); }

// The StateStore's rules, stated again: the value of a fresh entry of kKey.
std::optional<std::string> expected_value(const nlohmann::json &entry) {
    const nlohmann::json *key = member(entry, "key");
    const nlohmann::json *stored_at = member(entry, "stored_at");
    const nlohmann::json *value = member(entry, "value");
    if (!is_text(key) || key->get_ref<const std::string &>() != kKey || !is_text(value)) return std::nullopt;
    if (stored_at == nullptr || !stored_at->is_number_integer()) return std::nullopt;
    if (stored_at->is_number_unsigned() &&
        stored_at->get<unsigned long long>() > static_cast<unsigned long long>(kNow)) {
        return std::nullopt;
    }
    const long long stored = stored_at->get<long long>();
    if (stored > kNow || kNow - stored >= kMaxAge.count()) return std::nullopt;
    return value->get<std::string>();
}

// An integer member as the registration store reads it: an integer that fits
// in long long, or a string of 1..9 digits. Absent: nullopt; present and
// anything else: the entry is unusable (`bad`).
std::optional<long long> registration_integer(const nlohmann::json &entry, const char *name, bool &bad) {
    const nlohmann::json *found = member(entry, name);
    if (found == nullptr) return std::nullopt;
    if (found->is_number_integer()) {
        if (found->is_number_unsigned() &&
            found->get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX)) {
            bad = true;
            return std::nullopt;
        }
        return found->get<long long>();
    }
    if (found->is_string()) {
        const std::string &text = found->get_ref<const std::string &>();
        if (!text.empty() && text.size() <= 9 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return std::stoll(text);
        }
    }
    bad = true;
    return std::nullopt;
}

// Seconds from 1970 up to the last second TimePoint (nanoseconds) holds, in 2262.
bool holds_time(long long seconds) {
    return seconds >= 0 &&
           seconds <=
               std::chrono::duration_cast<std::chrono::seconds>(devflow::TimePoint::max().time_since_epoch()).count();
}

long long epoch_seconds(devflow::TimePoint when) {
    return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

void check_state_entry(World &w, const std::string &input, const nlohmann::json &entry) {
    devflow::test::write_text(w.dir / ("state/" + devflow::StateStore::file_name_for(kKey)), input, 0600);
    const std::optional<std::string> got = w.state.get(kKey, kMaxAge);
    require(got == expected_value(entry));
    require(got.has_value() == w.state.last_miss().empty());
}

void check_registration(World &w, const std::string &input, const nlohmann::json &entry) {
    devflow::test::write_text(w.dir / ("state/" + w.registrations.file_name()), input, 0600);
    const std::optional<devflow::AwsClientRegistration> got = w.registrations.load();
    require(got.has_value() == w.registrations.last_miss().empty());

    const nlohmann::json *key = member(entry, "key");
    const nlohmann::json *client_id = member(entry, "clientId");
    const nlohmann::json *client_secret = member(entry, "clientSecret");
    bool bad = false;
    const std::optional<long long> expires = registration_integer(entry, "clientSecretExpiresAt", bad);
    const std::optional<long long> issued = registration_integer(entry, "clientIdIssuedAt", bad);
    const bool usable = is_text(key) && key->get_ref<const std::string &>() == w.registration_key &&
                        is_text(client_id) && is_text(client_secret) && expires && !bad && holds_time(*expires) &&
                        holds_time(issued.value_or(0));
    require(got.has_value() == usable);
    if (!got) return;
    require(got->client_id == client_id->get_ref<const std::string &>());
    require(got->client_secret.reveal() == client_secret->get_ref<const std::string &>());
    require(epoch_seconds(got->expires_at) == *expires);
    require(epoch_seconds(got->issued_at) == issued.value_or(0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    World &w = world();
    const std::string input(reinterpret_cast<const char *>(data), size);
    const nlohmann::json entry = nlohmann::json::parse(input, nullptr, false);
    check_state_entry(w, input, entry);
    check_registration(w, input, entry);
    return 0;
}
