// SPDX-License-Identifier: Apache-2.0
// base64url: RFC 4648 vectors, and the strictness the JWS parser relies on.
#include "cmocka_cpp.hpp"

#include "base/base64url.hpp"

#include <string>

using devflow::base64url_decode;
using devflow::base64url_encode;

namespace {

void assert_decodes_to(const char *text, const std::string &expected) {
    const auto decoded = base64url_decode(text);
    assert_true(decoded.has_value());
    assert_true(*decoded == expected);
}

void encodes_rfc4648_vectors(void **) {
    assert_string_equal(base64url_encode("").c_str(), "");
    assert_string_equal(base64url_encode("f").c_str(), "Zg");
    assert_string_equal(base64url_encode("fo").c_str(), "Zm8");
    assert_string_equal(base64url_encode("foo").c_str(), "Zm9v");
    assert_string_equal(base64url_encode("foob").c_str(), "Zm9vYg");
    assert_string_equal(base64url_encode("fooba").c_str(), "Zm9vYmE");
    assert_string_equal(base64url_encode("foobar").c_str(), "Zm9vYmFy");
}

void encodes_with_url_alphabet(void **) { assert_string_equal(base64url_encode("\xfb\xff").c_str(), "-_8"); }

void decodes_unpadded_vectors(void **) {
    assert_decodes_to("", "");
    assert_decodes_to("Zg", "f");
    assert_decodes_to("Zm8", "fo");
    assert_decodes_to("Zm9v", "foo");
    assert_decodes_to("Zm9vYmFy", "foobar");
    assert_decodes_to("-_8", "\xfb\xff");
}

void decodes_correct_padding(void **) {
    assert_decodes_to("Zg==", "f");
    assert_decodes_to("Zm8=", "fo");
}

void round_trips_every_byte(void **) {
    std::string all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<char>(i));
    }
    const auto decoded = base64url_decode(base64url_encode(all));
    assert_true(decoded.has_value() && *decoded == all);
}

void rejects_standard_alphabet(void **) {
    assert_false(base64url_decode("+/8").has_value());
    assert_false(base64url_decode("ab+c").has_value());
    assert_false(base64url_decode("ab/c").has_value());
}

void rejects_whitespace_and_nul(void **) {
    assert_false(base64url_decode("Zm9v ").has_value());
    assert_false(base64url_decode("Zm\n9v").has_value());
    assert_false(base64url_decode(std::string("Zm\0v", 4)).has_value());
}

void rejects_impossible_length(void **) {
    assert_false(base64url_decode("Z").has_value());
    assert_false(base64url_decode("Zm9vY").has_value());
}

void rejects_wrong_padding(void **) {
    assert_false(base64url_decode("Zg=").has_value());
    assert_false(base64url_decode("Zg===").has_value());
    assert_false(base64url_decode("Zm8==").has_value());
    assert_false(base64url_decode("Zm9v=").has_value());
    assert_false(base64url_decode("Z=g=").has_value());
    assert_false(base64url_decode("=").has_value());
}

void rejects_nonzero_unused_bits(void **) {
    assert_false(base64url_decode("Zh").has_value());   // "Zg" is the only encoding of "f"
    assert_false(base64url_decode("Zm9").has_value());  // "Zm8" is the only encoding of "fo"
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodes_rfc4648_vectors),    cmocka_unit_test(encodes_with_url_alphabet),
        cmocka_unit_test(decodes_unpadded_vectors),   cmocka_unit_test(decodes_correct_padding),
        cmocka_unit_test(round_trips_every_byte),     cmocka_unit_test(rejects_standard_alphabet),
        cmocka_unit_test(rejects_whitespace_and_nul), cmocka_unit_test(rejects_impossible_length),
        cmocka_unit_test(rejects_wrong_padding),      cmocka_unit_test(rejects_nonzero_unused_bits),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
