// SPDX-License-Identifier: Apache-2.0
// Reading JSON answers from the network: find with type checks, never
// operator[] on input; and wiping JSON values that held secrets.
#pragma once

#include "base/json.hpp"
#include "base/secret.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace devflow {

// The string member `name`, or nullptr when absent or not a string.
const std::string *string_field(const Json &object, const char *name);

// The integer member `name` (a string of up to 9 digits counts: some providers
// send "1800"), or nullopt when absent. Throws Failure(unavailable) when it is
// present but not an integer.
std::optional<long long> integer_field(const Json &object, const char *name);

// How many containers deep untrusted JSON may nest. The deepest document any IdP or AWS sends
// is a handful of levels (claims with nested roles); anything deeper is
// hostile, and code that walks it recursively would overflow the host's stack.
inline constexpr int kMaxJsonDepth = 64;

// Json::parse(text, nullptr, false), but a document nested deeper
// than kMaxJsonDepth is discarded too (is_discarded() is true). The only way
// to parse JSON from the network, a cache or the state store.
Json parse_untrusted_json(std::string_view text);

// Parses `body` as a JSON object; throws Failure(unavailable) naming `what`.
Json parse_json_object(const std::string &body, const char *what);

// Overwrites every string (keys excepted) inside `value`, e.g. a request body
// holding a client secret, before it is destroyed. Iterative: no depth can
// exhaust the stack.
void wipe_json(Json &value) noexcept;

// Wipes a JSON value that holds secrets when it goes out of scope.
using WipeJsonOnExit = ScopedWipe<Json, wipe_json>;

}  // namespace devflow
