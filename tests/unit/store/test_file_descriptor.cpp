// SPDX-License-Identifier: Apache-2.0
// file_descriptor.hpp: the descriptor that closes itself, and the words for
// errno and modes that safe_file's messages (and the configuration's) use.
#include "store/file_descriptor.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::errno_text;
using devflow::FileDescriptor;
using devflow::octal_mode;

namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

void closes_when_it_goes_out_of_scope(void **) {
    int number = -1;
    {
        FileDescriptor fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        assert_true(fd.valid());
        number = fd.get();
        assert_true(is_open(number));
    }
    assert_false(is_open(number));
    assert_int_equal(errno, EBADF);
}

void close_now_reports_and_closes_once(void **) {
    FileDescriptor fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int number = fd.get();
    assert_int_equal(fd.close_now(), 0);
    assert_false(fd.valid());
    assert_int_equal(fd.get(), -1);
    assert_false(is_open(number));
}

void a_failed_open_is_not_valid(void **) {
    FileDescriptor fd(::open("/nonexistent/devflow-test", O_RDONLY | O_CLOEXEC));
    assert_false(fd.valid());
    assert_int_equal(fd.get(), -1);
}

void errno_text_is_strerror(void **) {
    assert_string_equal(errno_text(ENOENT).c_str(), "No such file or directory");
    assert_string_equal(errno_text(EACCES).c_str(), "Permission denied");
}

void octal_mode_is_four_digits_of_permission_bits(void **) {
    assert_string_equal(octal_mode(0644).c_str(), "0644");
    assert_string_equal(octal_mode(0).c_str(), "0000");
    assert_string_equal(octal_mode(S_IFREG | 0600).c_str(), "0600");
    assert_string_equal(octal_mode(S_IFDIR | 01777).c_str(), "1777");
    assert_string_equal(octal_mode(04755).c_str(), "4755");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closes_when_it_goes_out_of_scope),
        cmocka_unit_test(close_now_reports_and_closes_once),
        cmocka_unit_test(a_failed_open_is_not_valid),
        cmocka_unit_test(errno_text_is_strerror),
        cmocka_unit_test(octal_mode_is_four_digits_of_permission_bits),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
