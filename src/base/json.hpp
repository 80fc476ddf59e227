// SPDX-License-Identifier: Apache-2.0
// The one JSON type of the code base, nlohmann::json, by one name. Untrusted
// JSON is only ever parsed through base/json_fields.hpp (parse_untrusted_json).
#pragma once

#include <nlohmann/json.hpp>

namespace devflow {

using Json = nlohmann::json;

}  // namespace devflow
