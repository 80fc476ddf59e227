#include "oidc/jwks.hpp"

#include "base/base64url.hpp"
#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "oidc/openssl_ptr.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <optional>
#include <utility>

namespace devflow {

void EvpPkeyDeleter::operator()(EVP_PKEY *key) const noexcept { EVP_PKEY_free(key); }

namespace {

constexpr int kMinRsaBits = 2048;
// Larger moduli buy nothing for an id_token and make each key check and
// verification slower; 4096 bits is what IdPs actually publish at most.
constexpr std::size_t kMaxRsaModulusBytes = 4096 / 8;
constexpr std::size_t kMaxRsaExponentBytes = 8;
constexpr std::size_t kP256CoordinateBytes = 32;
constexpr std::size_t kEd25519KeyBytes = 32;

// A base64url-encoded member of a JWK, decoded; nullopt when absent or invalid.
std::optional<std::string> decoded_member(const Json &jwk, const char *name) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) {
        return std::nullopt;
    }
    return base64url_decode(it->get_ref<const std::string &>());
}

const unsigned char *bytes(const std::string &text) { return reinterpret_cast<const unsigned char *>(text.data()); }

// Builds a public key from OSSL_PARAMs; with `validate`, runs OpenSSL's public
// key check (for EC: the point is on the curve). RSA skips it: OpenSSL 3's RSA
// check includes a primality test of the modulus that costs ~20 ms per key on
// every login, and rsa_key checks what matters for verification itself.
EvpPkeyPtr key_from_params(const char *type_name, ParamBuildPtr builder, bool validate = true) {
    if (!builder) {
        return nullptr;
    }
    const ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) {
        return nullptr;
    }
    EVP_PKEY *raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
        return nullptr;
    }
    EvpPkeyPtr key(raw);
    if (!validate) {
        return key;
    }
    const EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        return nullptr;
    }
    return key;
}

EvpPkeyPtr rsa_key(const Json &jwk) {
    const auto n = decoded_member(jwk, "n");
    const auto e = decoded_member(jwk, "e");
    if (!n || !e || n->empty() || e->empty() || n->size() > kMaxRsaModulusBytes || e->size() > kMaxRsaExponentBytes) {
        return nullptr;
    }
    const BignumPtr modulus(BN_bin2bn(bytes(*n), static_cast<int>(n->size()), nullptr));
    const BignumPtr exponent(BN_bin2bn(bytes(*e), static_cast<int>(e->size()), nullptr));
    // An RSA modulus is odd; the exponent is odd and at least 3.
    if (!modulus || !exponent || !BN_is_odd(modulus.get()) || !BN_is_odd(exponent.get()) || BN_is_one(exponent.get())) {
        return nullptr;
    }
    ParamBuildPtr builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
        return nullptr;
    }
    auto key = key_from_params("RSA", std::move(builder), /*validate=*/false);
    if (!key || EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
        return nullptr;
    }
    return key;
}

EvpPkeyPtr p256_key(const Json &jwk) {
    const auto x = decoded_member(jwk, "x");
    const auto y = decoded_member(jwk, "y");
    // RFC 7518 6.2.1.2: coordinates are full length, never shortened.
    if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
        return nullptr;
    }
    const std::string point = std::string(1, '\x04') + *x + *y;  // uncompressed SEC1
    ParamBuildPtr builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
        return nullptr;
    }
    return key_from_params("EC", std::move(builder));
}

EvpPkeyPtr ed25519_key(const Json &jwk) {
    const auto x = decoded_member(jwk, "x");
    if (!x || x->size() != kEd25519KeyBytes) {
        return nullptr;
    }
    ParamBuildPtr builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, x->data(), x->size()) != 1) {
        return nullptr;
    }
    return key_from_params("ED25519", std::move(builder));
}

bool string_member_is(const Json &jwk, const char *name, const char *expected) {
    const auto it = jwk.find(name);
    return it != jwk.end() && it->is_string() && it->get_ref<const std::string &>() == expected;
}

// The key type of a JWK we support, from kty and crv; nullopt otherwise.
std::optional<KeyType> supported_type(const Json &jwk) {
    if (string_member_is(jwk, "kty", "RSA")) {
        return KeyType::rsa;
    }
    if (string_member_is(jwk, "kty", "EC") && string_member_is(jwk, "crv", "P-256")) {
        return KeyType::p256;
    }
    if (string_member_is(jwk, "kty", "OKP") && string_member_is(jwk, "crv", "Ed25519")) {
        return KeyType::ed25519;
    }
    return std::nullopt;
}

// `use` and `key_ops` (RFC 7517 4.2, 4.3), when present, must allow verifying.
bool usable_for_signatures(const Json &jwk) {
    if (jwk.contains("use") && !string_member_is(jwk, "use", "sig")) {
        return false;
    }
    const auto ops = jwk.find("key_ops");
    if (ops == jwk.end()) {
        return true;
    }
    if (!ops->is_array()) {
        return false;
    }
    for (const auto &op : *ops) {
        if (op.is_string() && op.get_ref<const std::string &>() == "verify") {
            return true;
        }
    }
    return false;
}

// One entry of `keys`, or nullopt when we cannot or must not use it.
std::optional<PublicKey> parse_key(const Json &jwk) {
    if (!jwk.is_object() || !usable_for_signatures(jwk)) {
        return std::nullopt;
    }
    const auto type = supported_type(jwk);
    if (!type) {
        return std::nullopt;
    }

    std::string kid;
    if (const auto it = jwk.find("kid"); it != jwk.end()) {
        if (!it->is_string()) {
            return std::nullopt;
        }
        kid = it->get<std::string>();
    }

    // A declared alg must be one this key type can do; the key is then
    // restricted to it (see PublicKey::suits).
    std::string declared_alg;
    if (const auto it = jwk.find("alg"); it != jwk.end()) {
        KeyType alg_type{};
        if (!it->is_string() || !key_type_for_algorithm(it->get_ref<const std::string &>(), alg_type) ||
            alg_type != *type) {
            return std::nullopt;
        }
        declared_alg = it->get<std::string>();
    }

    EvpPkeyPtr key;
    switch (*type) {
    case KeyType::rsa: key = rsa_key(jwk); break;
    case KeyType::p256: key = p256_key(jwk); break;
    case KeyType::ed25519: key = ed25519_key(jwk); break;
    }
    if (!key) {
        return std::nullopt;
    }
    return PublicKey(*type, std::move(kid), std::move(declared_alg), std::move(key));
}

}  // namespace

bool key_type_for_algorithm(const std::string &alg, KeyType &type) noexcept {
    if (alg == "RS256" || alg == "PS256") {
        type = KeyType::rsa;
    } else if (alg == "ES256") {
        type = KeyType::p256;
    } else if (alg == "EdDSA") {
        type = KeyType::ed25519;
    } else {
        return false;
    }
    return true;
}

PublicKey::PublicKey(KeyType type, std::string kid, std::string declared_alg, EvpPkeyPtr key)
    : type_(type), kid_(std::move(kid)), declared_alg_(std::move(declared_alg)), key_(std::move(key)) {}

namespace {

// A key type's names in a JWK: kty, and crv ("" for RSA).
std::pair<const char *, const char *> jwk_names(KeyType type) noexcept {
    switch (type) {
    case KeyType::rsa: return {"RSA", ""};
    case KeyType::p256: return {"EC", "P-256"};
    case KeyType::ed25519: return {"OKP", "Ed25519"};
    }
    return {"", ""};
}

}  // namespace

const char *PublicKey::kty() const noexcept { return jwk_names(type_).first; }

const char *PublicKey::curve() const noexcept { return jwk_names(type_).second; }

bool PublicKey::suits(const std::string &alg) const noexcept {
    KeyType needed{};
    return key_type_for_algorithm(alg, needed) && needed == type_ && (declared_alg_.empty() || declared_alg_ == alg);
}

JsonWebKeySet JsonWebKeySet::parse(std::string_view text) {
    if (text.size() > kMaxDocumentSize) {
        fail_unavailable("JWKS rejected: document is " + std::to_string(text.size()) + " bytes, over the " +
                         std::to_string(kMaxDocumentSize) + " byte limit");
    }
    const Json document = parse_untrusted_json(text);
    if (document.is_discarded()) {
        fail_unavailable("JWKS rejected: not valid JSON");
    }
    if (!document.is_object()) {
        fail_unavailable("JWKS rejected: not a JSON object");
    }
    const auto keys = document.find("keys");
    if (keys == document.end() || !keys->is_array()) {
        fail_unavailable("JWKS rejected: no \"keys\" array");
    }

    JsonWebKeySet set;
    std::size_t examined = 0;
    for (const auto &entry : *keys) {
        if (examined++ == kMaxKeys) {
            break;  // bounds the work a hostile or broken IdP can cause
        }
        if (auto key = parse_key(entry)) {
            set.keys_.push_back(std::move(*key));
        }
    }
    return set;
}

const PublicKey *JsonWebKeySet::find(const std::string &kid, const std::string &alg) const {
    for (const auto &key : keys_) {
        if (key.kid() == kid && key.suits(alg)) {
            return &key;
        }
    }
    return nullptr;
}

bool JsonWebKeySet::has_kid(const std::string &kid) const {
    for (const auto &key : keys_) {
        if (key.kid() == kid) {
            return true;
        }
    }
    return false;
}

std::vector<const PublicKey *> JsonWebKeySet::candidates(const std::string &alg) const {
    std::vector<const PublicKey *> found;
    for (const auto &key : keys_) {
        if (key.suits(alg)) {
            found.push_back(&key);
        }
    }
    return found;
}

}  // namespace devflow
