// SPDX-License-Identifier: Apache-2.0
// ScopedWipe (base/secret.hpp), as WipeOnExit and WipeJsonOnExit: the value
// is wiped however the scope ends, a throw included.
#include "base/json_fields.hpp"
#include "base/secret.hpp"

#include <stdexcept>
#include <string>

#include "cmocka_cpp.hpp"  // with cmocka: last

using devflow::WipeJsonOnExit;
using devflow::WipeOnExit;

namespace {

void a_string_is_wiped_at_the_end_of_the_scope(void **) {
    std::string text = "client_secret=s3cr3t";
    {
        WipeOnExit wipe_text(text);
        assert_string_equal(text.c_str(), "client_secret=s3cr3t");  // untouched until then
    }
    assert_true(text.empty());
}

void a_string_is_wiped_when_the_scope_throws(void **) {
    std::string text = "refresh-token";
    try {
        WipeOnExit wipe_text(text);
        throw std::runtime_error("write failed");
    } catch (const std::runtime_error &) {
    }
    assert_true(text.empty());
}

void json_is_wiped_at_the_end_of_the_scope(void **) {
    nlohmann::json json = {{"accessToken", "a"}, {"nested", {{"refreshToken", "r"}}}, {"expiresIn", 60}};
    {
        WipeJsonOnExit wipe_json(json);
        assert_string_equal(json["accessToken"].get<std::string>().c_str(), "a");
    }
    assert_true(json["accessToken"].get<std::string>().empty());
    assert_true(json["nested"]["refreshToken"].get<std::string>().empty());
    assert_int_equal(json["expiresIn"].get<int>(), 60);
}

void json_is_wiped_when_the_scope_throws(void **) {
    nlohmann::json json = {{"clientSecret", "s"}};
    try {
        WipeJsonOnExit wipe_json(json);
        throw std::runtime_error("parse failed");
    } catch (const std::runtime_error &) {
    }
    assert_true(json["clientSecret"].get<std::string>().empty());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_string_is_wiped_at_the_end_of_the_scope),
        cmocka_unit_test(a_string_is_wiped_when_the_scope_throws),
        cmocka_unit_test(json_is_wiped_at_the_end_of_the_scope),
        cmocka_unit_test(json_is_wiped_when_the_scope_throws),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
