// SPDX-License-Identifier: Apache-2.0
#include "oidc/id_token_verifier.hpp"

#include "base/base64url.hpp"
#include "base/failure.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "oidc/openssl_ptr.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

namespace devflow {
namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;

constexpr std::size_t kEs256SignatureBytes = 64;  // R || S, 32 bytes each (RFC 7518 3.4)
constexpr int kPssSaltBytes = 32;                 // the SHA-256 output size (RFC 7518 3.5)
// 9999-12-31T23:59:59Z: later or negative dates are a broken token, and the
// bound keeps the arithmetic below exact.
constexpr double kMaxNumericDate = 253402300799.0;

constexpr const char *kGoogleIssuer = "https://accounts.google.com";

[[noreturn]] void reject(const std::string &reason) { fail_unavailable("id_token rejected: " + reason); }

struct CompactJws {
    std::string_view header;
    std::string_view payload;
    std::string_view signature;
    std::string_view signing_input;  // header "." payload, what the signature covers
};

CompactJws split_compact(std::string_view compact) {
    if (compact.size() > kMaxIdTokenSize) {
        reject("token is " + std::to_string(compact.size()) + " bytes, over the " + std::to_string(kMaxIdTokenSize) +
               " byte limit");
    }
    if (std::count(compact.begin(), compact.end(), '.') != 2) {
        reject("not a compact JWS of three dot-separated parts");
    }
    const auto first = compact.find('.');
    const auto second = compact.find('.', first + 1);
    return CompactJws{compact.substr(0, first), compact.substr(first + 1, second - first - 1),
                      compact.substr(second + 1), compact.substr(0, second)};
}

Json decode_object(std::string_view part, const std::string &what) {
    const auto text = base64url_decode(part);
    if (!text) {
        reject(what + " is not valid base64url");
    }
    Json value = parse_untrusted_json(*text);
    if (value.is_discarded()) {
        reject(what + " is not JSON");
    }
    if (!value.is_object()) {
        reject(what + " is not a JSON object");
    }
    return value;
}

std::string header_algorithm(const Json &header, const IdTokenPolicy &policy) {
    const auto it = header.find("alg");
    if (it == header.end() || !it->is_string()) {
        reject("header has no alg string");
    }
    const auto &alg = it->get_ref<const std::string &>();
    // Both conditions: the allowlist is the admin's, the implemented set is
    // ours, and "none" or HS256 are in neither, whatever the admin wrote.
    KeyType needed{};
    const auto &allowed = policy.allowed_algorithms;
    if (std::find(allowed.begin(), allowed.end(), alg) == allowed.end() || !key_type_for_algorithm(alg, needed)) {
        reject("algorithm " + quote_for_log(alg) + " is not allowed");
    }
    return alg;
}

std::optional<std::string> header_kid(const Json &header) {
    const auto it = header.find("kid");
    if (it == header.end()) {
        return std::nullopt;
    }
    if (!it->is_string()) {
        reject("kid is not a string");
    }
    // An empty kid would otherwise match every JWK that has no kid.
    if (it->get_ref<const std::string &>().empty()) {
        reject("kid is empty");
    }
    return it->get<std::string>();
}

// The keys that may have signed the token. On a kid the cached set lacks, the
// IdP may have rotated its keys: refetch once, never more.
// A kid whose JWK was skipped as unusable counts as unknown for the refresh
// (the IdP may have fixed it), but the rejection names why it was skipped.
std::vector<const PublicKey *> keys_to_try(const std::optional<std::string> &kid, const std::string &alg,
                                           JwksSource &jwks) {
    if (!kid) {
        auto found = jwks.keys().candidates(alg);
        if (found.empty()) {
            reject("no key in the JWKS can verify " + alg);
        }
        return found;
    }
    const JsonWebKeySet *set = &jwks.keys();
    if (!set->has_kid(*kid)) {
        set = &jwks.refresh();
        if (!set->has_kid(*kid)) {
            const std::string why = set->why_unusable(*kid);
            if (!why.empty()) {
                reject("key " + quote_for_log(*kid) + " is in the JWKS but cannot be used: " + why);
            }
            reject("unknown key id " + quote_for_log(*kid) + " (after refreshing the JWKS)");
        }
    }
    const PublicKey *key = set->find(*kid, alg);
    if (key == nullptr) {
        // Several JWKs may share a kid: name the first one's reason.
        std::string why = "no key with this kid suits it";
        for (const PublicKey &same_kid : set->keys()) {
            if (same_kid.kid() == *kid) {
                why = same_kid.mismatch(alg);
                break;
            }
        }
        reject("key " + quote_for_log(*kid) + " cannot verify " + alg + ": " + why);
    }
    return {key};
}

// JWS carries ECDSA signatures as fixed-size R || S; OpenSSL wants DER.
std::optional<std::string> ecdsa_der(const std::string &raw) {
    if (raw.size() != kEs256SignatureBytes) {
        return std::nullopt;
    }
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.data());
    const int half = static_cast<int>(kEs256SignatureBytes / 2);
    BignumPtr r(BN_bin2bn(bytes, half, nullptr));
    BignumPtr s(BN_bin2bn(bytes + half, half, nullptr));
    EcdsaSigPtr signature(ECDSA_SIG_new());
    if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r.get(), s.get()) != 1) {
        return std::nullopt;
    }
    (void)r.release();  // owned by signature now
    (void)s.release();
    const int length = i2d_ECDSA_SIG(signature.get(), nullptr);
    if (length <= 0) {
        return std::nullopt;
    }
    std::string der(static_cast<std::size_t>(length), '\0');
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    if (i2d_ECDSA_SIG(signature.get(), &out) != length) {
        return std::nullopt;
    }
    return der;
}

bool signature_verifies(const PublicKey &key, const std::string &alg, std::string_view signed_text,
                        const std::string &signature) {
    std::string encoded = signature;
    if (alg == "ES256") {
        auto der = ecdsa_der(signature);
        if (!der) {
            return false;
        }
        encoded = std::move(*der);
    }
    const char *digest = alg == "EdDSA" ? nullptr : "SHA256";  // Ed25519 hashes internally

    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pkey_ctx = nullptr;  // owned by ctx
    if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), &pkey_ctx, digest, nullptr, nullptr, key.evp(), nullptr) != 1) {
        return false;
    }
    if (alg == "RS256" && EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) != 1) {
        return false;
    }
    if (alg == "PS256" && (EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                           EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, kPssSaltBytes) != 1 ||
                           EVP_PKEY_CTX_set_rsa_mgf1_md_name(pkey_ctx, "SHA256", nullptr) != 1)) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(encoded.data()), encoded.size(),
                            reinterpret_cast<const unsigned char *>(signed_text.data()), signed_text.size()) == 1;
}

void check_issuer(const Json &claims, const IdTokenPolicy &policy) {
    const auto it = claims.find("iss");
    if (it == claims.end()) {
        reject("missing iss");
    }
    if (!it->is_string()) {
        reject("iss is not a string");
    }
    const auto &issuer = it->get_ref<const std::string &>();
    // Google documents both forms of its iss; the scheme-less one is taken
    // for exactly this configured issuer, never as a general rule.
    const bool google_without_scheme = policy.issuer == kGoogleIssuer && issuer == "accounts.google.com";
    if (issuer != policy.issuer && !google_without_scheme) {
        reject("issuer " + quote_for_log(issuer) + " is not the configured issuer " + quote_for_log(policy.issuer));
    }
}

void check_audience(const Json &claims, const IdTokenPolicy &policy) {
    const auto aud = claims.find("aud");
    if (aud == claims.end()) {
        reject("missing aud");
    }
    std::vector<std::string> audiences;
    if (aud->is_string()) {
        audiences.push_back(aud->get<std::string>());
    } else if (aud->is_array()) {
        for (const auto &value : *aud) {
            if (!value.is_string()) {
                reject("aud contains a value that is not a string");
            }
            audiences.push_back(value.get<std::string>());
        }
    } else {
        reject("aud is neither a string nor an array");
    }
    if (std::find(audiences.begin(), audiences.end(), policy.client_id) == audiences.end()) {
        reject("aud does not contain the client_id " + quote_for_log(policy.client_id));
    }

    const auto azp = claims.find("azp");
    if (azp == claims.end()) {
        if (audiences.size() > 1) {
            reject("aud has " + std::to_string(audiences.size()) + " values but there is no azp");
        }
        return;
    }
    if (!azp->is_string()) {
        reject("azp is not a string");
    }
    if (azp->get_ref<const std::string &>() != policy.client_id) {
        reject("azp " + quote_for_log(azp->get_ref<const std::string &>()) + " is not the client_id " +
               quote_for_log(policy.client_id));
    }
}

std::optional<double> numeric_date(const Json &claims, const std::string &name, bool required) {
    const auto it = claims.find(name);
    if (it == claims.end()) {
        if (required) {
            reject("missing " + name);
        }
        return std::nullopt;
    }
    if (!it->is_number()) {
        reject(name + " is not a number");
    }
    const auto value = it->get<double>();
    if (!std::isfinite(value) || value < 0 || value > kMaxNumericDate) {
        reject(name + " is out of range");
    }
    return value;
}

std::string whole_seconds(double seconds) { return std::to_string(static_cast<long long>(seconds)); }

void check_times(const Json &claims, const IdTokenPolicy &policy, TimePoint now) {
    const double current = std::chrono::duration<double>(now.time_since_epoch()).count();
    const double skew = static_cast<double>(std::max<std::chrono::seconds::rep>(policy.clock_skew.count(), 0));
    const std::string skew_note = " (clock_skew " + whole_seconds(skew) + " s)";

    const double expires = *numeric_date(claims, "exp", true);
    if (!(current < expires + skew)) {
        reject("expired " + whole_seconds(current - expires) + " s ago" + skew_note);
    }
    const double issued = *numeric_date(claims, "iat", true);
    if (issued > current + skew) {
        reject("issued " + whole_seconds(issued - current) + " s in the future" + skew_note);
    }
    if (const auto not_before = numeric_date(claims, "nbf", false)) {
        if (current < *not_before - skew) {
            reject("not valid for another " + whole_seconds(*not_before - current) + " s" + skew_note);
        }
    }
}

void check_subject(const Json &claims) {
    const auto it = claims.find("sub");
    if (it == claims.end()) {
        reject("missing sub");
    }
    if (!it->is_string()) {
        reject("sub is not a string");
    }
    if (it->get_ref<const std::string &>().empty()) {
        reject("sub is empty");
    }
}

}  // namespace

VerifiedIdToken verify_id_token(const std::string &compact, const IdTokenPolicy &policy, JwksSource &jwks,
                                TimePoint now) {
    if (policy.issuer.empty() || policy.client_id.empty()) {
        fail_config("id_token verification needs an issuer and a client_id");
    }
    const CompactJws parts = split_compact(compact);

    const Json header = decode_object(parts.header, "header");
    const std::string alg = header_algorithm(header, policy);
    // RFC 7515 4.1.11: extensions we do not understand must not be ignored,
    // and we understand none.
    if (header.contains("crit")) {
        reject("header has crit, and no extension is supported");
    }
    const auto kid = header_kid(header);
    // jku, jwk, x5u and x5c are ignored on purpose: keys come from the JWKS only.

    const auto signature = base64url_decode(parts.signature);
    if (!signature) {
        reject("signature is not valid base64url");
    }
    if (signature->empty()) {
        reject("signature is empty");
    }
    const PublicKey *signer = nullptr;
    for (const PublicKey *key : keys_to_try(kid, alg, jwks)) {
        if (signature_verifies(*key, alg, parts.signing_input, *signature)) {
            signer = key;
            break;
        }
    }
    if (signer == nullptr) {
        reject("signature does not verify");
    }

    // Only now, with the signature good, are the claims worth reading.
    Json claims = decode_object(parts.payload, "claims set");
    check_issuer(claims, policy);
    check_audience(claims, policy);
    check_times(claims, policy, now);
    check_subject(claims);
    return VerifiedIdToken{std::move(claims), alg, signer->kid(), signer->note()};
}

}  // namespace devflow
