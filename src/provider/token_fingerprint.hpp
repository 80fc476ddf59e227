// SPDX-License-Identifier: Apache-2.0
// A short name for a token in the audit line: the first 12 hex digits of
// the SHA-256 of its id. One-way, so the line names the token without
// holding it (docs/admin-guide.md, "Audit fields").
#pragma once

#include <string>
#include <string_view>

namespace devflow {

std::string token_fingerprint(std::string_view token_id);

}  // namespace devflow
