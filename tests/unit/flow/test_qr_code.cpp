// The rendered QR code must be the code libqrencode made, module for module.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include <qrencode.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "flow/qr_code.hpp"

extern "C" {
#include <cmocka.h>
}

using devflow::kQrQuietZone;
using devflow::QrMode;
using devflow::render_qr;

namespace {

// A typical verification_uri_complete: 60 characters.
const std::string url60 = "https://login.example.com/realms/corp/device?user_code=WDJBM";

using Matrix = std::vector<std::vector<bool>>;  // true = dark

std::vector<std::string> split_lines(const std::string &text) {
    std::vector<std::string> lines;
    std::string::size_type start = 0;
    for (;;) {
        const auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        if (end == std::string::npos) return lines;
        start = end + 1;
    }
}

// What libqrencode itself produces for the text (same settings as render_qr),
// surrounded by the quiet zone.
Matrix expected_matrix(const std::string &text) {
    std::unique_ptr<QRcode, void (*)(QRcode *)> code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                     QRcode_free);
    assert_non_null(code.get());
    const int width = code->width;
    const auto size = static_cast<std::size_t>(width + 2 * kQrQuietZone);
    Matrix m(size, std::vector<bool>(size, false));
    for (int r = 0; r < width; ++r)
        for (int c = 0; c < width; ++c)
            m[static_cast<std::size_t>(r + kQrQuietZone)][static_cast<std::size_t>(c + kQrQuietZone)] =
                (code->data[r * width + c] & 1) != 0;
    return m;
}

// Reads the half-block rendering back: light modules are drawn, dark ones blank.
// Returns an empty matrix if any line has a foreign character or the wrong width.
Matrix matrix_from_utf8(const std::string &rendered, std::size_t size) {
    Matrix m(size, std::vector<bool>(size, true));
    const auto lines = split_lines(rendered);
    if (lines.size() != (size + 1) / 2) return {};
    for (std::size_t line = 0; line < lines.size(); ++line) {
        const std::string &text = lines[line];
        std::size_t column = 0;
        for (std::size_t pos = 0; pos < text.size(); ++column) {
            bool top_light = false;
            bool bottom_light = false;
            if (text.compare(pos, 1, " ") == 0) {
                pos += 1;
            } else if (text.compare(pos, 3, "\u2588") == 0) {
                top_light = bottom_light = true;
                pos += 3;
            } else if (text.compare(pos, 3, "\u2580") == 0) {
                top_light = true;
                pos += 3;
            } else if (text.compare(pos, 3, "\u2584") == 0) {
                bottom_light = true;
                pos += 3;
            } else {
                return {};
            }
            if (column >= size) return {};
            m[2 * line][column] = !top_light;
            if (2 * line + 1 < size) m[2 * line + 1][column] = !bottom_light;
            else if (bottom_light) return {};  // below the last row must stay background
        }
        if (column != size) return {};
    }
    return m;
}

Matrix matrix_from_ascii(const std::string &rendered, std::size_t size) {
    Matrix m(size, std::vector<bool>(size, false));
    const auto lines = split_lines(rendered);
    if (lines.size() != size) return {};
    for (std::size_t row = 0; row < size; ++row) {
        if (lines[row].size() != 2 * size) return {};
        for (std::size_t column = 0; column < size; ++column) {
            const std::string cell = lines[row].substr(2 * column, 2);
            if (cell != "##" && cell != "  ") return {};
            m[row][column] = cell == "##";
        }
    }
    return m;
}

bool quiet_zone_is_light(const Matrix &m) {
    const std::size_t q = static_cast<std::size_t>(kQrQuietZone);
    for (std::size_t r = 0; r < m.size(); ++r)
        for (std::size_t c = 0; c < m.size(); ++c)
            if ((r < q || c < q || r >= m.size() - q || c >= m.size() - q) && m[r][c]) return false;
    return true;
}

void utf8_matches_libqrencode(void **) {
    const Matrix expected = expected_matrix(url60);
    assert_true(matrix_from_utf8(render_qr(url60, QrMode::utf8), expected.size()) == expected);
}

void ascii_matches_libqrencode(void **) {
    const Matrix expected = expected_matrix(url60);
    assert_true(matrix_from_ascii(render_qr(url60, QrMode::ascii), expected.size()) == expected);
}

void utf8_quiet_zone_is_light(void **) {
    const auto size = expected_matrix(url60).size();
    const Matrix m = matrix_from_utf8(render_qr(url60, QrMode::utf8), size);
    assert_true(!m.empty() && quiet_zone_is_light(m));
}

void ascii_quiet_zone_is_light(void **) {
    const auto size = expected_matrix(url60).size();
    const Matrix m = matrix_from_ascii(render_qr(url60, QrMode::ascii), size);
    assert_true(!m.empty() && quiet_zone_is_light(m));
}

void matches_for_other_lengths(void **) {
    // Versions 1 to 10 (odd and even line counts are both covered).
    bool all_match = true;
    for (std::size_t length : {1u, 10u, 30u, 100u, 200u}) {
        const std::string text = "https://x.example/" + std::string(length, 'A');
        const Matrix expected = expected_matrix(text);
        all_match = all_match && matrix_from_utf8(render_qr(text, QrMode::utf8), expected.size()) == expected &&
                    matrix_from_ascii(render_qr(text, QrMode::ascii), expected.size()) == expected;
    }
    assert_true(all_match);
}

void case_is_preserved(void **) {
    // 8-bit mode, case-sensitive: a user_code in the URL must survive.
    assert_true(render_qr("https://x.example/?c=abcd", QrMode::ascii) !=
                render_qr("https://x.example/?c=ABCD", QrMode::ascii));
}

void off_is_empty(void **) { assert_string_equal(render_qr(url60, QrMode::off).c_str(), ""); }

void too_long_is_empty(void **) { assert_string_equal(render_qr(std::string(8000, 'x'), QrMode::utf8).c_str(), ""); }

void empty_text_is_empty(void **) { assert_string_equal(render_qr("", QrMode::utf8).c_str(), ""); }

void embedded_nul_is_empty(void **) {
    assert_string_equal(render_qr(std::string("https://a.example/\0evil", 23), QrMode::utf8).c_str(), "");
}

void utf8_60_char_url_under_2kb(void **) {
    const std::string utf8 = render_qr(url60, QrMode::utf8);
    const std::string ascii = render_qr(url60, QrMode::ascii);
    const auto utf8_lines = split_lines(utf8);
    const auto ascii_lines = split_lines(ascii);
    std::printf("QR for a %zu-character URL (level M, quiet zone %d): %zu modules wide\n", url60.size(), kQrQuietZone,
                expected_matrix(url60).size());
    std::printf("  utf8:  %zu bytes, %zu lines x %zu columns\n", utf8.size(), utf8_lines.size(),
                expected_matrix(url60).size());
    std::printf("  ascii: %zu bytes, %zu lines x %zu columns\n", ascii.size(), ascii_lines.size(),
                ascii_lines.front().size());
    assert_true(url60.size() == 60 && utf8.size() < 2048);
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_matches_libqrencode),
        cmocka_unit_test(ascii_matches_libqrencode),
        cmocka_unit_test(utf8_quiet_zone_is_light),
        cmocka_unit_test(ascii_quiet_zone_is_light),
        cmocka_unit_test(matches_for_other_lengths),
        cmocka_unit_test(case_is_preserved),
        cmocka_unit_test(off_is_empty),
        cmocka_unit_test(too_long_is_empty),
        cmocka_unit_test(empty_text_is_empty),
        cmocka_unit_test(embedded_nul_is_empty),
        cmocka_unit_test(utf8_60_char_url_under_2kb),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
