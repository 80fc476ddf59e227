// SPDX-License-Identifier: Apache-2.0
#include "store/state_store.hpp"

#include "base/failure.hpp"
#include "base/json_fields.hpp"
#include "base/secret.hpp"
#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "store/safe_file.hpp"

#include <openssl/evp.h>

#include <array>
#include <climits>
#include <unistd.h>

namespace devflow {
namespace {

std::string sha256_hex(const std::string &text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
        fail_system("SHA-256 failed (OpenSSL EVP_Digest)");
    }
    return hex_encode({digest.data(), length});
}

}  // namespace

StateStore::StateStore(std::string directory, Clock &clock) : directory_(std::move(directory)), clock_(clock) {
    ensure_private_directory(directory_, geteuid());
}

std::string StateStore::file_name_for(const std::string &key) { return sha256_hex(key) + ".json"; }

std::optional<std::string> StateStore::get(const std::string &key, std::chrono::seconds max_age) {
    last_miss_.clear();
    const std::string name = file_name_for(key);
    auto text = read_private_file(directory_, name, geteuid(), kMaxEntryBytes);
    if (!text) {
        last_miss_ = "no cache entry";
        return std::nullopt;
    }
    // Approval records hold tokens and client secrets: wipe both copies.
    WipeOnExit wipe_text(*text);
    auto entry = parse_untrusted_json(*text);
    WipeJsonOnExit wipe_entry(entry);
    if (entry.is_discarded() || !entry.is_object()) {
        last_miss_ = "cache entry " + directory_ + "/" + name + " is not a JSON object";
        return std::nullopt;
    }
    const auto stored_key = entry.find("key");
    const auto stored_at = entry.find("stored_at");
    const auto value = entry.find("value");
    if (stored_key == entry.end() || !stored_key->is_string() || stored_at == entry.end() ||
        !stored_at->is_number_integer() || value == entry.end() || !value->is_string()) {
        last_miss_ = "cache entry " + directory_ + "/" + name + " lacks key, stored_at or value";
        return std::nullopt;
    }
    if (stored_key->get_ref<const std::string &>() != key) {
        last_miss_ = "cache entry " + directory_ + "/" + name + " belongs to another key";
        return std::nullopt;
    }
    // is_number_integer covers both signed and unsigned; read it as signed only
    // when it fits.
    if (stored_at->is_number_unsigned() &&
        stored_at->get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX)) {
        last_miss_ = "cache entry " + directory_ + "/" + name + " was stored in the future";
        return std::nullopt;
    }
    const long long stored = stored_at->get<long long>();
    const long long now = epoch_seconds(clock_.now());
    if (!time_from_epoch_seconds(stored)) {  // else now - stored may overflow
        last_miss_ = "cache entry " + directory_ + "/" + name + " has a stored_at out of range";
        return std::nullopt;
    }
    if (stored > now) {
        last_miss_ = "cache entry " + directory_ + "/" + name + " was stored in the future";
        return std::nullopt;
    }
    if (now - stored >= max_age.count()) {
        last_miss_ = "cache entry " + directory_ + "/" + name + " has expired";
        return std::nullopt;
    }
    return value->get<std::string>();
}

void StateStore::put(const std::string &key, std::string_view value) {
    Json entry = Json::object();
    entry["key"] = key;
    entry["stored_at"] = epoch_seconds(clock_.now());
    entry["value"] = std::string(value);
    WipeJsonOnExit wipe_entry(entry);
    std::string text;
    WipeOnExit wipe_text(text);
    try {
        text = entry.dump();
    } catch (const Json::exception &) {
        fail_system("cannot store a cache entry in " + directory_ + ": key or value is not valid UTF-8");
    }
    write_file_atomically(directory_, file_name_for(key), text, 0600);
}

}  // namespace devflow
