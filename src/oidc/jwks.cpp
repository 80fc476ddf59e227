// SPDX-License-Identifier: Apache-2.0
#include "oidc/jwks.hpp"

#include "base/base64url.hpp"
#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "oidc/openssl_ptr.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <optional>
#include <utility>
#include <variant>

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
// JWK values in reasons are short names (kty, crv, use, alg): cut early.
constexpr std::size_t kMaxQuotedValue = 32;

// A key type's names in a JWK: kty, and crv ("" for RSA).
std::pair<const char *, const char *> jwk_names(KeyType type) noexcept {
    switch (type) {
    case KeyType::rsa: return {"RSA", ""};
    case KeyType::p256: return {"EC", "P-256"};
    case KeyType::ed25519: return {"OKP", "Ed25519"};
    }
    return {"", ""};
}

// "an RSA key", "an EC P-256 key", "an OKP Ed25519 key".
std::string described(KeyType type) {
    const auto [kty, crv] = jwk_names(type);
    return std::string("an ") + kty + (*crv == '\0' ? "" : " ") + crv + " key";
}

// A key built from a JWK's members, or why it could not be.
struct BuiltKey {
    EvpPkeyPtr key;
    std::string problem;  // why key is null
    std::string note;     // what was tolerated, "" when nothing
};

BuiltKey refused(std::string problem) { return BuiltKey{nullptr, std::move(problem), {}}; }

std::string jwk_value(const std::string &value) { return quote_for_log(value, kMaxQuotedValue); }

// A base64url-encoded member of a JWK, decoded; nullopt, with the problem
// set, when absent, not a string, invalid or empty.
std::optional<std::string> decoded_member(const Json &jwk, const char *name, std::string &problem) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) {
        problem = std::string("\"") + name + "\" is missing or not a string";
        return std::nullopt;
    }
    auto value = base64url_decode(it->get_ref<const std::string &>());
    if (!value) {
        problem = std::string("\"") + name + "\" is not valid base64url";
    } else if (value->empty()) {
        problem = std::string("\"") + name + "\" is empty";
        value.reset();
    }
    return value;
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

BuiltKey rsa_key(const Json &jwk) {
    std::string problem;
    const auto n = decoded_member(jwk, "n", problem);
    if (!n) return refused(problem);
    const auto e = decoded_member(jwk, "e", problem);
    if (!e) return refused(problem);
    if (n->size() > kMaxRsaModulusBytes) return refused("the RSA modulus is over 4096 bits");
    if (e->size() > kMaxRsaExponentBytes) return refused("the RSA exponent is over 8 bytes");
    const BignumPtr modulus(BN_bin2bn(bytes(*n), static_cast<int>(n->size()), nullptr));
    const BignumPtr exponent(BN_bin2bn(bytes(*e), static_cast<int>(e->size()), nullptr));
    if (!modulus || !exponent) return refused("OpenSSL could not read the RSA numbers");
    // An RSA modulus is odd; the exponent is odd and at least 3.
    if (!BN_is_odd(modulus.get())) return refused("the RSA modulus is even");
    if (!BN_is_odd(exponent.get()) || BN_is_one(exponent.get())) return refused("the RSA exponent is even or 1");
    ParamBuildPtr builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
        return refused("OpenSSL could not build the RSA key");
    }
    auto key = key_from_params("RSA", std::move(builder), /*validate=*/false);
    if (!key) return refused("OpenSSL refused the RSA key");
    const int bits = EVP_PKEY_get_bits(key.get());
    if (bits < kMinRsaBits) {
        return refused("the RSA modulus is " + std::to_string(bits) + " bits, under the " +
                       std::to_string(kMinRsaBits) + " minimum");
    }
    return BuiltKey{std::move(key), {}, {}};
}

// One coordinate of an EC point at the curve's field size. RFC 7518 6.2.1.2
// wants it full length, but some IdPs drop leading zero bytes: a shorter
// value is the same number, so it is left-padded (and noted); a longer one
// is refused, whatever it holds.
std::optional<std::string> field_coordinate(const Json &jwk, const char *name, std::size_t field_bytes,
                                            const char *curve, std::string &problem, std::string &note) {
    auto value = decoded_member(jwk, name, problem);
    if (!value) return std::nullopt;
    const std::string sizes = std::to_string(value->size()) + " bytes, ";
    const std::string field = "the " + std::to_string(field_bytes) + " of " + curve;
    if (value->size() > field_bytes) {
        problem = std::string("\"") + name + "\" is " + sizes + "longer than " + field;
        return std::nullopt;
    }
    if (value->size() < field_bytes) {
        note += std::string(note.empty() ? "" : "; ") + "\"" + name + "\" is " + sizes + "left-padded to " + field;
        value->insert(0, field_bytes - value->size(), '\0');
    }
    return value;
}

BuiltKey p256_key(const Json &jwk) {
    std::string problem;
    std::string note;
    const auto x = field_coordinate(jwk, "x", kP256CoordinateBytes, "P-256", problem, note);
    if (!x) return refused(problem);
    const auto y = field_coordinate(jwk, "y", kP256CoordinateBytes, "P-256", problem, note);
    if (!y) return refused(problem);
    const std::string point = std::string(1, '\x04') + *x + *y;  // uncompressed SEC1
    ParamBuildPtr builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
        return refused("OpenSSL could not build the EC key");
    }
    auto key = key_from_params("EC", std::move(builder));
    if (!key) return refused("the point (x, y) is not on P-256");
    return BuiltKey{std::move(key), {}, std::move(note)};
}

BuiltKey ed25519_key(const Json &jwk) {
    std::string problem;
    const auto x = decoded_member(jwk, "x", problem);
    if (!x) return refused(problem);
    // Not a number but a fixed-size string (RFC 8037 2): no padding.
    if (x->size() != kEd25519KeyBytes) {
        return refused("\"x\" is " + std::to_string(x->size()) + " bytes, not the 32 of Ed25519");
    }
    ParamBuildPtr builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, x->data(), x->size()) != 1) {
        return refused("OpenSSL could not build the Ed25519 key");
    }
    auto key = key_from_params("ED25519", std::move(builder));
    if (!key) return refused("OpenSSL refused the Ed25519 key");
    return BuiltKey{std::move(key), {}, {}};
}

// A string member of a JWK; nullptr when absent or not a string.
const std::string *string_member(const Json &jwk, const char *name) {
    const auto it = jwk.find(name);
    return it != jwk.end() && it->is_string() ? &it->get_ref<const std::string &>() : nullptr;
}

// The key type of a JWK, from kty and crv; nullopt, with the problem set,
// for types we do not support.
std::optional<KeyType> supported_type(const Json &jwk, std::string &problem) {
    const std::string *kty = string_member(jwk, "kty");
    if (kty == nullptr) {
        problem = "\"kty\" is missing or not a string";
        return std::nullopt;
    }
    if (*kty == "RSA") {
        return KeyType::rsa;
    }
    const char *const curve = *kty == "EC" ? "P-256" : *kty == "OKP" ? "Ed25519" : nullptr;
    if (curve == nullptr) {
        problem = "key type " + jwk_value(*kty) + " is not supported (RSA, EC or OKP)";
        return std::nullopt;
    }
    const std::string *crv = string_member(jwk, "crv");
    if (crv == nullptr) {
        problem = "\"crv\" is missing or not a string";
        return std::nullopt;
    }
    if (*crv != curve) {
        problem = "curve " + jwk_value(*crv) + " is not supported for " + *kty + " (only " + curve + ")";
        return std::nullopt;
    }
    return *kty == "EC" ? KeyType::p256 : KeyType::ed25519;
}

// `use` and `key_ops` (RFC 7517 4.2, 4.3), when present, must allow verifying.
bool usable_for_signatures(const Json &jwk, std::string &problem) {
    if (jwk.contains("use")) {
        const std::string *use = string_member(jwk, "use");
        if (use == nullptr || *use != "sig") {
            problem =
                "\"use\" is " + (use == nullptr ? std::string("not a string") : jwk_value(*use)) + ", not \"sig\"";
            return false;
        }
    }
    const auto ops = jwk.find("key_ops");
    if (ops == jwk.end()) {
        return true;
    }
    if (!ops->is_array()) {
        problem = "\"key_ops\" is not an array";
        return false;
    }
    for (const auto &op : *ops) {
        if (op.is_string() && op.get_ref<const std::string &>() == "verify") {
            return true;
        }
    }
    problem = "\"key_ops\" does not include \"verify\"";
    return false;
}

// One entry of `keys`: the key, or why we cannot or must not use it.
std::variant<PublicKey, UnusableKey> parse_key(const Json &jwk) {
    if (!jwk.is_object()) {
        return UnusableKey{{}, "not a JSON object"};
    }
    UnusableKey unusable;
    if (const auto it = jwk.find("kid"); it != jwk.end()) {
        if (!it->is_string()) {
            unusable.reason = "\"kid\" is not a string";
            return unusable;
        }
        unusable.kid = it->get<std::string>();
    }
    if (!usable_for_signatures(jwk, unusable.reason)) {
        return unusable;
    }
    const auto type = supported_type(jwk, unusable.reason);
    if (!type) {
        return unusable;
    }

    // A declared alg must be one this key type can do; the key is then
    // restricted to it (see PublicKey::suits).
    std::string declared_alg;
    if (const auto it = jwk.find("alg"); it != jwk.end()) {
        KeyType alg_type{};
        if (!it->is_string()) {
            unusable.reason = "\"alg\" is not a string";
            return unusable;
        }
        declared_alg = it->get<std::string>();
        if (!key_type_for_algorithm(declared_alg, alg_type)) {
            unusable.reason = "\"alg\" " + jwk_value(declared_alg) + " is not supported (RS256, PS256, ES256, EdDSA)";
            return unusable;
        }
        if (alg_type != *type) {
            unusable.reason = "\"alg\" " + jwk_value(declared_alg) + " does not fit " + described(*type);
            return unusable;
        }
    }

    BuiltKey built;
    switch (*type) {
    case KeyType::rsa: built = rsa_key(jwk); break;
    case KeyType::p256: built = p256_key(jwk); break;
    case KeyType::ed25519: built = ed25519_key(jwk); break;
    }
    if (!built.key) {
        unusable.reason = std::move(built.problem);
        return unusable;
    }
    return PublicKey(*type, std::move(unusable.kid), std::move(declared_alg), std::move(built.key),
                     std::move(built.note));
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

PublicKey::PublicKey(KeyType type, std::string kid, std::string declared_alg, EvpPkeyPtr key, std::string note)
    : type_(type), kid_(std::move(kid)), declared_alg_(std::move(declared_alg)), key_(std::move(key)),
      note_(std::move(note)) {}

const char *PublicKey::kty() const noexcept { return jwk_names(type_).first; }

const char *PublicKey::curve() const noexcept { return jwk_names(type_).second; }

bool PublicKey::suits(const std::string &alg) const noexcept {
    KeyType needed{};
    return key_type_for_algorithm(alg, needed) && needed == type_ && (declared_alg_.empty() || declared_alg_ == alg);
}

std::string PublicKey::mismatch(const std::string &alg) const {
    KeyType needed{};
    if (!key_type_for_algorithm(alg, needed)) {
        return jwk_value(alg) + " is not an algorithm we verify";
    }
    if (needed != type_) {
        return "it is " + described(type_) + ", and " + alg + " needs " + described(needed);
    }
    if (!declared_alg_.empty() && declared_alg_ != alg) {
        return "its JWK \"alg\" is " + jwk_value(declared_alg_);
    }
    return {};
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
        auto parsed = parse_key(entry);
        if (auto *key = std::get_if<PublicKey>(&parsed)) {
            set.keys_.push_back(std::move(*key));
        } else {
            set.unusable_.push_back(std::move(std::get<UnusableKey>(parsed)));
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

std::string JsonWebKeySet::why_unusable(const std::string &kid) const {
    for (const auto &entry : unusable_) {
        if (entry.kid == kid) {
            return entry.reason;
        }
    }
    return {};
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
