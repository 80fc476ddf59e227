// SPDX-License-Identifier: Apache-2.0
// The root-owned cache in state_dir: discovery documents, JWKS. One file per
// key, named by the SHA-256 of the key, holding {"key", "stored_at", "value"}.
// Anything odd about an entry (unparsable, another key, stored in the future)
// makes it a miss: the caller fetches afresh instead of trusting it.
#pragma once

#include "base/clock.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace devflow {

class StateStore {
public:
    // Creates `directory` (mode 0700, owned by the effective uid) when missing;
    // its parent must exist. Throws Failure(system_error) when the directory is
    // a symlink, foreign-owned or writable by others.
    StateStore(std::string directory, Clock &clock);

    // The value stored under `key` if it is younger than `max_age`, else
    // nullopt. A miss's reason is in last_miss() for the caller's log line.
    // Throws Failure(system_error) when the entry file is unsafe (symlink,
    // foreign owner, readable by others): that is tampering, not a miss.
    std::optional<std::string> get(const std::string &key, std::chrono::seconds max_age);

    // Stores `value` under `key` with the current time (atomic replace, 0600).
    // Throws Failure(system_error).
    void put(const std::string &key, std::string_view value);

    // Why the last get() returned nullopt ("" after a hit).
    const std::string &last_miss() const noexcept { return last_miss_; }

    // The file name used for `key`: lower-case SHA-256 hex plus ".json".
    static std::string file_name_for(const std::string &key);

    static constexpr std::size_t kMaxEntryBytes = 4 * 1024 * 1024;

private:
    std::string directory_;
    Clock &clock_;
    std::string last_miss_;
};

}  // namespace devflow
