// SPDX-License-Identifier: Apache-2.0
// lookup_user and lookup_user_by_uid: getpwnam_r and getpwuid_r behind the
// core's UserAccount.
#include "account/user_account.hpp"
#include "test_files.hpp"

#include <unistd.h>

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

void uid_0_is_root(void **) {
    const auto root = devflow::lookup_user_by_uid(0);
    assert_string_equal(root.name.c_str(), "root");
    assert_int_equal(root.uid, 0);
    assert_int_equal(root.gid, 0);
    assert_string_equal(root.home.c_str(), "/root");
}

void by_uid_and_by_name_agree(void **) {
    const auto by_uid = devflow::lookup_user_by_uid(::getuid());
    const auto by_name = devflow::lookup_user(by_uid.name);
    assert_int_equal(by_name.uid, by_uid.uid);
    assert_int_equal(by_name.gid, by_uid.gid);
    assert_string_equal(by_name.home.c_str(), by_uid.home.c_str());
}

void a_uid_without_an_entry_is_a_system_error(void **) {
    const auto failure = catch_failure([] { devflow::lookup_user_by_uid(2147483646); });
    assert_true(failed_with(failure, Outcome::system_error, "uid 2147483646 has no passwd entry"));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(root_is_found),
        cmocka_unit_test(root_home_is_reported),
        cmocka_unit_test(unknown_user_is_denied),
        cmocka_unit_test(embedded_nul_is_denied),
        cmocka_unit_test(empty_name_is_denied),
        cmocka_unit_test(uid_0_is_root),
        cmocka_unit_test(by_uid_and_by_name_agree),
        cmocka_unit_test(a_uid_without_an_entry_is_a_system_error),
    };
    return cmocka_run_group_tests_name("lookup_user", tests, nullptr, nullptr);
}
