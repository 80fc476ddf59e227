// SPDX-License-Identifier: Apache-2.0
// The value rules the configuration and the code behind it share.
#include "config/validators.hpp"

#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;

namespace {

// Two strengths of one rule: the token cache takes any file-safe name, the
// configuration only names without "." of at most 64 bytes.
void provider_names_the_configuration_takes_are_file_safe(void **) {
    for (const char *name : {"corp", "corp-eu_1", "A9"}) {
        assert_true(is_configurable_provider_name(name));
        assert_true(is_valid_provider_name(name));
    }
    assert_true(is_configurable_provider_name(std::string(64, 'a')));
    assert_false(is_configurable_provider_name(std::string(65, 'a')));
    assert_true(is_valid_provider_name(std::string(65, 'a')));
    assert_false(is_configurable_provider_name("corp.prod"));
    assert_true(is_valid_provider_name("corp.prod"));
    for (const char *name : {"", ".hidden", "..", "a/b", "a b", "caf\xc3\xa9"}) {
        assert_false(is_configurable_provider_name(name));
        assert_false(is_valid_provider_name(name));
    }
}

void aws_regions_follow_the_pattern(void **) {
    for (const char *region : {"us-east-1", "eu-central-1", "us-gov-west-1", "ap-southeast-2"})
        assert_true(is_aws_region(region));
    for (const char *region : {"", "local", "us-east", "us-east-10", "US-EAST-1", "us-east-1:evil", "useast-1"})
        assert_false(is_aws_region(region));
}

void aws_account_ids_are_twelve_digits(void **) {
    assert_true(is_aws_account_id("111122223333"));
    for (const char *id : {"", "11112222333", "1111222233334", "11112222333x"}) assert_false(is_aws_account_id(id));
}

void iam_names_are_word_characters_and_plus_equals_comma_dot_at_dash(void **) {
    assert_true(is_iam_name("AWSReadOnly_+=,.@-9"));
    assert_true(is_iam_name(std::string(64, 'r')));
    assert_false(is_iam_name(std::string(65, 'r')));
    for (const char *name : {"", "Read Only", "Read/Only", "Read:Only"}) assert_false(is_iam_name(name));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(provider_names_the_configuration_takes_are_file_safe),
        cmocka_unit_test(aws_regions_follow_the_pattern),
        cmocka_unit_test(aws_account_ids_are_twelve_digits),
        cmocka_unit_test(iam_names_are_word_characters_and_plus_equals_comma_dot_at_dash),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
