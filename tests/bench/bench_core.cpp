// SPDX-License-Identifier: Apache-2.0
// Figures for the core's hot paths, printed, not asserted: how long one id_token
// verification, one QR rendering, one config parse, one JWKS parse and one
// device answer parse take, and the process's peak memory.
//   cmake --build build --target bench
#include "config/config.hpp"
#include "flow/qr_code.hpp"
#include "oidc/id_token_verifier.hpp"
#include "oidc/jwks.hpp"
#include "oidc/oidc_device_client.hpp"
#include "test_keys.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

using namespace devflow;
using Stopwatch = std::chrono::steady_clock;

namespace {

// Runs `work` for about `budget` and prints the mean time per call.
void measure(const char *name, const std::function<void()> &work,
             std::chrono::milliseconds budget = std::chrono::milliseconds(700)) {
    work();  // warm up
    long calls = 0;
    const auto start = Stopwatch::now();
    while (Stopwatch::now() - start < budget) {
        work();
        ++calls;
    }
    const double micros =
        std::chrono::duration<double, std::micro>(Stopwatch::now() - start).count() / static_cast<double>(calls);
    std::printf("%-34s %10.1f us/op %10ld ops\n", name, micros, calls);
}

class FixedJwks final : public JwksSource {
public:
    explicit FixedJwks(JsonWebKeySet keys) : keys_(std::move(keys)) {}
    const JsonWebKeySet &keys() override { return keys_; }
    const JsonWebKeySet &refresh() override { return keys_; }

private:
    JsonWebKeySet keys_;
};

}  // namespace

int main() {
    const std::string issuer = "https://login.example.com/realms/corp";
    const long now = 1700000000;
    const nlohmann::json claims = {{"iss", issuer},
                                   {"aud", "bastion"},
                                   {"sub", "u-1"},
                                   {"iat", now},
                                   {"exp", now + 300},
                                   {"preferred_username", "alice"},
                                   {"groups", {"ssh-users", "admins"}}};
    IdTokenPolicy policy;
    policy.issuer = issuer;
    policy.client_id = "bastion";
    const TimePoint at = TimePoint(std::chrono::seconds(now + 10));

    for (auto [kind, alg] : {std::pair{test::KeyKind::rsa2048, "RS256"}, std::pair{test::KeyKind::p256, "ES256"},
                             std::pair{test::KeyKind::ed25519, "EdDSA"}}) {
        test::TestKey key(kind);
        const std::string token = test::make_jws({{"alg", alg}, {"kid", "k1"}}, claims, key, alg);
        FixedJwks jwks(JsonWebKeySet::parse(test::jwks_document({key.jwk("k1")})));
        measure((std::string("verify_id_token ") + alg).c_str(), [&] { verify_id_token(token, policy, jwks, at); });
    }

    std::vector<nlohmann::json> many;
    std::vector<test::TestKey> keys;
    for (int i = 0; i < 4; ++i) {
        keys.emplace_back(test::KeyKind::rsa2048);
        many.push_back(keys.back().jwk("k" + std::to_string(i)));
    }
    const std::string jwks_text = test::jwks_document(many);
    measure("JsonWebKeySet::parse (4 RSA keys)", [&] { JsonWebKeySet::parse(jwks_text); });

    const std::string url = "https://login.example.com/realms/corp/device?user_code=WDJB-MJHT";
    measure("render_qr utf8 (60-char URL)", [&] { render_qr(url, QrMode::utf8); });
    measure("render_qr ascii (60-char URL)", [&] { render_qr(url, QrMode::ascii); });

    const std::string config =
        "qr = \"utf8\"\nprompt = \"detect\"\nmax_wait = 110\n"
        "[providers.corp]\ntype = \"oidc\"\nissuer = \"" +
        issuer +
        "\"\nclient_id = \"bastion\"\nallowed_groups = [\"ssh-users\"]\n"
        "required_amr = [\"mfa\"]\n";
    measure("parse_config (one provider)", [&] { parse_config(config, "bench.conf"); });

    const std::string device = R"({"device_code":"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS","user_code":"WDJB-MJHT",)"
                               R"("verification_uri":"https://login.example.com/device",)"
                               R"("verification_uri_complete":"https://login.example.com/device?user_code=WDJB-MJHT",)"
                               R"("expires_in":1800,"interval":5})";
    measure("parse_device_authorization", [&] { parse_device_authorization(device); });

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%-34s %10ld KiB\n", "peak resident memory (whole run)", usage.ru_maxrss);
    return 0;
}
