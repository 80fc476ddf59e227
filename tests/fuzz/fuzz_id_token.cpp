// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for verify_id_token. Needs src/*.cpp (devflow_core) and
// tests/unit/support/test_keys.cpp; see tests/fuzz/README.md.
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure;
//  - raw input (mode 0) never verifies: it cannot carry a signature by the
//    key generated for this run;
//  - a header or claims set the fuzzer writes and we sign (modes 1 and 2)
//    verifies only when it satisfies the policy: iss, aud, sub, exp, iat;
//  - the JWKS is refreshed at most once per token.
#include "base/base64url.hpp"
#include "base/failure.hpp"
#include "oidc/id_token_verifier.hpp"
#include "test_keys.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

using devflow::test::KeyKind;
using devflow::test::TestKey;
using nlohmann::json;

constexpr long long now_seconds = 1700000000;
const std::string issuer = "https://issuer.example";
const std::string client_id = "fuzz-client";

class FixedJwks final : public devflow::JwksSource {
public:
    explicit FixedJwks(const TestKey &key)
        : keys_(devflow::JsonWebKeySet::parse(devflow::test::jwks_document({key.jwk("fuzz")}))) {}
    const devflow::JsonWebKeySet &keys() override { return keys_; }
    const devflow::JsonWebKeySet &refresh() override {
        ++refresh_calls;
        return keys_;
    }
    int refresh_calls = 0;

private:
    devflow::JsonWebKeySet keys_;
};

struct Fixture {
    TestKey key{KeyKind::ed25519};
    devflow::IdTokenPolicy policy;
    Fixture() {
        policy.issuer = issuer;
        policy.client_id = client_id;
    }
};

Fixture &fixture() {
    static Fixture instance;
    return instance;
}

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

bool audience_contains_client(const json &claims) {
    const auto aud = claims.find("aud");
    require(aud != claims.end());
    if (aud->is_string()) {
        return *aud == client_id;
    }
    require(aud->is_array());
    return std::find(aud->begin(), aud->end(), json(client_id)) != aud->end();
}

// What any accepted token must satisfy, whoever produced it.
void check_accepted(const devflow::VerifiedIdToken &verified, std::chrono::seconds skew) {
    const json &claims = verified.claims;
    require(claims.is_object());
    const auto iss = claims.find("iss");
    require(iss != claims.end() && iss->is_string() && *iss == issuer);
    require(audience_contains_client(claims));
    const auto sub = claims.find("sub");
    require(sub != claims.end() && sub->is_string() && !sub->get<std::string>().empty());
    const auto exp = claims.find("exp");
    require(exp != claims.end() && exp->is_number() &&
            exp->get<double>() + static_cast<double>(skew.count()) > static_cast<double>(now_seconds));
    const auto iat = claims.find("iat");
    require(iat != claims.end() && iat->is_number());
    require(verified.algorithm == "EdDSA" && verified.key_id == "fuzz");
}

std::string signed_token(const std::string &header_text, const std::string &claims_text) {
    const std::string signing_input =
        devflow::base64url_encode(header_text) + "." + devflow::base64url_encode(claims_text);
    return signing_input + "." + devflow::base64url_encode(fixture().key.sign(signing_input, "EdDSA"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    Fixture &fx = fixture();
    const int mode = data[0] % 3;
    const std::string input(reinterpret_cast<const char *>(data + 1), size - 1);
    const json valid_claims = {
        {"iss", issuer}, {"aud", client_id}, {"sub", "alice"}, {"iat", now_seconds}, {"exp", now_seconds + 300}};

    std::string token;
    switch (mode) {
    case 0: token = input; break;
    case 1: token = signed_token(R"({"alg":"EdDSA","kid":"fuzz"})", input); break;
    default: token = signed_token(input, valid_claims.dump()); break;
    }

    FixedJwks jwks(fx.key);
    const devflow::TimePoint now{std::chrono::seconds{now_seconds}};
    try {
        const auto verified = devflow::verify_id_token(token, fx.policy, jwks, now);
        require(mode != 0);
        check_accepted(verified, fx.policy.clock_skew);
    } catch (const devflow::Failure &) {
        // Rejections are the expected outcome for almost every input.
    }
    require(jwks.refresh_calls <= 1);
    return 0;
}
