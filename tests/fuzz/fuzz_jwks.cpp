// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for JsonWebKeySet::parse. Needs src/*.cpp (devflow_core).
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure;
//  - a document over the size cap is always rejected;
//  - a parsed set holds at most kMaxKeys keys, each with an OpenSSL key, and
//    lookups agree with candidates(): every candidate suits the algorithm and
//    find() by its kid returns a key that suits it too;
//  - every entry looked at is either kept or skipped with a reason, and only
//    P-256 keys carry a note (a padded coordinate).
#include "base/failure.hpp"
#include "oidc/jwks.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

void check_set(const devflow::JsonWebKeySet &set) {
    require(set.size() <= devflow::JsonWebKeySet::kMaxKeys);
    std::size_t total = 0;
    for (const std::string alg : {"RS256", "PS256", "ES256", "EdDSA"}) {
        const auto found = set.candidates(alg);
        total += found.size();
        for (const devflow::PublicKey *key : found) {
            require(key != nullptr && key->evp() != nullptr && key->suits(alg));
            const devflow::PublicKey *by_kid = set.find(key->kid(), alg);
            require(by_kid != nullptr && by_kid->kid() == key->kid() && by_kid->suits(alg));
        }
    }
    // Each key suits at least one algorithm, RSA keys two at most.
    require(total >= set.size() && total <= 2 * set.size());
    for (const std::string alg : {"none", "HS256", "RS512", ""}) {
        require(set.candidates(alg).empty());
    }
    require(set.size() + set.unusable().size() <= devflow::JsonWebKeySet::kMaxKeys);
    for (const auto &skipped : set.unusable()) {
        require(!skipped.reason.empty() && !set.why_unusable(skipped.kid).empty());
    }
    for (const auto &key : set.keys()) {
        require(key.note().empty() || key.type() == devflow::KeyType::p256);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view document(reinterpret_cast<const char *>(data), size);
    try {
        const auto set = devflow::JsonWebKeySet::parse(document);
        require(size <= devflow::JsonWebKeySet::kMaxDocumentSize);
        check_set(set);
    } catch (const devflow::Failure &failure) {
        require(failure.outcome() == devflow::Outcome::unavailable);
    }
    return 0;
}
