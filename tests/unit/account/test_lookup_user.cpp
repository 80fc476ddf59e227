// lookup_user: getpwnam_r behind the core's UserAccount.
#include "test_files.hpp"
#include "account/user_account.hpp"

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::Outcome;
using devflow::test::catch_failure;
using devflow::test::failed_with;

namespace {

void root_is_found(void **) { assert_int_equal(devflow::lookup_user("root").uid, 0); }

void root_home_is_reported(void **) { assert_string_equal(devflow::lookup_user("root").home.c_str(), "/root"); }

void unknown_user_is_denied(void **) {
    const auto failure = catch_failure([] { devflow::lookup_user("no-such-user-devflow"); });
    assert_true(failed_with(failure, Outcome::denied, "unknown local user \"no-such-user-devflow\""));
}

void embedded_nul_is_denied(void **) {
    // "root\0x" must not be looked up as "root".
    const auto failure = catch_failure([] { devflow::lookup_user(std::string("root\0x", 6)); });
    assert_true(failed_with(failure, Outcome::denied, "unknown local user"));
}

void empty_name_is_denied(void **) {
    const auto failure = catch_failure([] { devflow::lookup_user(""); });
    assert_true(failed_with(failure, Outcome::denied, "unknown local user \"\""));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(root_is_found),
        cmocka_unit_test(root_home_is_reported),
        cmocka_unit_test(unknown_user_is_denied),
        cmocka_unit_test(embedded_nul_is_denied),
        cmocka_unit_test(empty_name_is_denied),
    };
    return cmocka_run_group_tests_name("lookup_user", tests, nullptr, nullptr);
}
