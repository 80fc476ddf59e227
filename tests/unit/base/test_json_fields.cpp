// SPDX-License-Identifier: Apache-2.0
// JSON from the network, a cache or the state store: parsed with a depth cap,
// and wiped without recursion. The audit's crash was a 1 MB answer nested
// 500,000 deep: the recursive wipe of the parsed document overflowed the
// host's stack.
#include "base/json_fields.hpp"

#include "expect_failure.hpp"

#include <string>

#include "cmocka_cpp.hpp"

namespace {

using devflow::kMaxJsonDepth;
using devflow::Outcome;
using devflow::parse_json_object;
using devflow::parse_untrusted_json;
using devflow::wipe_json;
using devflow::test::expect_failure;

std::string nested_arrays(int depth, const std::string &inside = "") {
    return std::string(static_cast<std::size_t>(depth), '[') + inside +
           std::string(static_cast<std::size_t>(depth), ']');
}

// {"a":{"a":...{"a":"x"}...}} with `depth` objects.
std::string nested_objects(int depth) {
    std::string text;
    for (int i = 0; i < depth; ++i) text += "{\"a\":";
    text += "\"x\"";
    text += std::string(static_cast<std::size_t>(depth), '}');
    return text;
}

void depth_up_to_the_cap_is_parsed(void **) {
    const auto arrays = parse_untrusted_json(nested_arrays(kMaxJsonDepth, "1"));
    assert_false(arrays.is_discarded());
    assert_true(arrays.is_array());
    const auto objects = parse_untrusted_json(nested_objects(kMaxJsonDepth));
    assert_false(objects.is_discarded());
    assert_true(objects.is_object());
}

void one_level_more_is_discarded(void **) {
    assert_true(parse_untrusted_json(nested_arrays(kMaxJsonDepth + 1, "1")).is_discarded());
    assert_true(parse_untrusted_json(nested_objects(kMaxJsonDepth + 1)).is_discarded());
    // Deep inside an otherwise ordinary object, as a hostile AWS answer sends it.
    assert_true(parse_untrusted_json("{\"clientId\":" + nested_arrays(kMaxJsonDepth) + "}").is_discarded());
}

void the_audit_answer_is_discarded_and_the_process_lives(void **) {
    const std::string hostile = "{\"clientId\":" + nested_arrays(499999) + "}";
    assert_true(hostile.size() < 1024 * 1024);
    assert_true(parse_untrusted_json(hostile).is_discarded());
    const auto failure = expect_failure([&] { parse_json_object(hostile, "RegisterClient"); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
}

void invalid_json_is_still_discarded(void **) {
    assert_true(parse_untrusted_json("{\"a\":").is_discarded());
    assert_true(parse_untrusted_json("").is_discarded());
    assert_true(parse_untrusted_json(nested_arrays(10).substr(1)).is_discarded());
    assert_false(parse_untrusted_json("{\"a\":[1,\"[[[[\"]}").is_discarded());  // brackets in strings do not count
}

// A tree deeper than any parse can produce, built in code: the wipe visits
// every string without recursing.
void wipe_reaches_every_string_at_any_depth(void **) {
    nlohmann::json root = nlohmann::json::array();
    nlohmann::json *level = &root;
    for (int i = 0; i < 300000; ++i) {
        level->push_back("secret-at-" + std::to_string(i));
        level->push_back(nlohmann::json::object({{"key", "value"}}));
        level->push_back(nlohmann::json::array());
        level = &level->back();
    }
    level->push_back("the deepest secret");
    wipe_json(root);
    level = &root;
    for (int i = 0; i < 300000; ++i) {
        assert_true((*level)[0].get_ref<const std::string &>().empty());
        assert_true((*level)[1]["key"].get_ref<const std::string &>().empty());
        level = &(*level)[2];
    }
    assert_true((*level)[0].get_ref<const std::string &>().empty());
}

void wipe_of_scalars_and_empty_containers(void **) {
    nlohmann::json text = "secret";
    wipe_json(text);
    assert_true(text.get_ref<const std::string &>().empty());
    nlohmann::json number = 7;
    wipe_json(number);
    assert_int_equal(number.get<int>(), 7);
    nlohmann::json empty = nlohmann::json::object();
    wipe_json(empty);
    assert_true(empty.empty());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(depth_up_to_the_cap_is_parsed),
        cmocka_unit_test(one_level_more_is_discarded),
        cmocka_unit_test(the_audit_answer_is_discarded_and_the_process_lives),
        cmocka_unit_test(invalid_json_is_still_discarded),
        cmocka_unit_test(wipe_reaches_every_string_at_any_depth),
        cmocka_unit_test(wipe_of_scalars_and_empty_containers),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
