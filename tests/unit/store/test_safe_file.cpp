// SPDX-License-Identifier: Apache-2.0
// safe_file: the checks pam-u2f style file handling promises, one per case.
#include "store/file_descriptor.hpp"
#include "store/safe_file.hpp"
#include "test_files.hpp"

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::Outcome;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::FileSizeLimit;
using devflow::test::TempDir;

namespace {

TempDir &dir_of(void **state) { return *static_cast<TempDir *>(*state); }

int setup(void **state) {
    *state = new TempDir();
    return 0;
}

int teardown(void **state) {
    delete static_cast<TempDir *>(*state);
    return 0;
}

void skip_unless_root(const char *why) {
    if (!devflow::test::running_as_root()) {
        print_message("skipped: %s needs root (run the tests as root to cover it)\n", why);
        skip();
    }
}

// ---- read_trusted_file

void trusted_file_is_read(void **state) {
    const auto path = dir_of(state) / "map";
    devflow::test::write_text(path, "alice alice\n", 0644);
    assert_string_equal(devflow::read_trusted_file(path, geteuid(), 1024).c_str(), "alice alice\n");
}

void trusted_file_group_writable_is_refused(void **state) {
    const auto path = dir_of(state) / "map";
    devflow::test::write_text(path, "alice alice\n", 0664);
    const auto failure = catch_failure([&] { devflow::read_trusted_file(path, geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::config_error, "chmod go-w " + path));
}

void trusted_file_world_writable_is_refused(void **state) {
    const auto path = dir_of(state) / "map";
    devflow::test::write_text(path, "alice alice\n", 0646);
    const auto failure = catch_failure([&] { devflow::read_trusted_file(path, geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::config_error, "writable by group or others"));
}

void trusted_file_symlink_is_refused(void **state) {
    const auto target = dir_of(state) / "real";
    const auto link = dir_of(state) / "link";
    devflow::test::write_text(target, "alice alice\n", 0600);
    assert_int_equal(symlink(target.c_str(), link.c_str()), 0);
    const auto failure = catch_failure([&] { devflow::read_trusted_file(link, geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::config_error, link + " is a symlink"));
}

void trusted_file_too_large_is_refused(void **state) {
    const auto path = dir_of(state) / "map";
    devflow::test::write_text(path, std::string(2048, 'x'), 0600);
    const auto failure = catch_failure([&] { devflow::read_trusted_file(path, geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::config_error, "larger than 1024 bytes"));
}

void trusted_file_directory_is_refused(void **state) {
    const auto failure = catch_failure([&] { devflow::read_trusted_file(dir_of(state).path(), geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::config_error, "is not a regular file"));
}

void trusted_file_missing_names_path(void **state) {
    const auto path = dir_of(state) / "absent";
    const auto failure = catch_failure([&] { devflow::read_trusted_file(path, geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::config_error, "cannot open " + path));
}

void trusted_file_foreign_owner_is_refused(void **state) {
    skip_unless_root("giving a file to another uid");
    const auto path = dir_of(state) / "map";
    devflow::test::write_text(path, "alice alice\n", 0644);
    assert_int_equal(chown(path.c_str(), devflow::test::other_uid, devflow::test::other_uid), 0);
    const auto failure = catch_failure([&] { devflow::read_trusted_file(path, 0, 1024); });
    assert_true(failed_with(failure, Outcome::config_error, "owned by uid 65534"));
}

// The caller's words: the same checks, the refusal handed to `wording` with
// what the message needs.
void trusted_file_refusal_is_worded_by_the_caller(void **state) {
    const auto path = dir_of(state) / "map";
    devflow::test::write_text(path, "alice alice\n", 0620);
    devflow::TrustedFileRefusal seen;
    const auto failure = catch_failure([&] {
        devflow::read_trusted_file(path, geteuid(), 1024, devflow::FileSecrecy::public_content,
                                   [&](const devflow::TrustedFileRefusal &refusal) {
                                       seen = refusal;
                                       return "worded: " + devflow::octal_mode(refusal.mode);
                                   });
    });
    assert_true(failed_with(failure, Outcome::config_error, "worded: 0620"));
    assert_true(seen.reason == devflow::TrustedFileRefusal::Reason::writable_by_others);
    assert_int_equal(seen.owner, geteuid());
    assert_int_equal(seen.size, 12);
}

void trusted_file_open_error_reaches_the_wording(void **state) {
    const auto path = dir_of(state) / "absent";
    devflow::TrustedFileRefusal seen;
    (void)catch_failure([&] {
        devflow::read_trusted_file(path, geteuid(), 1024, devflow::FileSecrecy::public_content,
                                   [&](const devflow::TrustedFileRefusal &refusal) {
                                       seen = refusal;
                                       return std::string("worded");
                                   });
    });
    assert_true(seen.reason == devflow::TrustedFileRefusal::Reason::cannot_open);
    assert_int_equal(seen.error, ENOENT);
}

// ---- ensure_private_directory

void private_directory_is_created_0700(void **state) {
    const auto path = dir_of(state) / "state";
    const mode_t old_umask = umask(0);
    devflow::ensure_private_directory(path, geteuid());
    umask(old_umask);
    assert_int_equal(devflow::test::file_mode(path), 0700);
}

void private_directory_symlink_is_refused(void **state) {
    const auto real = dir_of(state) / "real";
    const auto link = dir_of(state) / "link";
    assert_int_equal(mkdir(real.c_str(), 0700), 0);
    assert_int_equal(symlink(real.c_str(), link.c_str()), 0);
    const auto failure = catch_failure([&] { devflow::ensure_private_directory(link, geteuid()); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void private_directory_group_writable_is_refused(void **state) {
    const auto path = dir_of(state) / "state";
    assert_int_equal(mkdir(path.c_str(), 0700), 0);
    assert_int_equal(chmod(path.c_str(), 0770), 0);
    const auto failure = catch_failure([&] { devflow::ensure_private_directory(path, geteuid()); });
    assert_true(failed_with(failure, Outcome::system_error, "writable by group or others"));
}

void private_directory_foreign_owner_is_refused(void **state) {
    const auto path = dir_of(state) / "state";
    assert_int_equal(mkdir(path.c_str(), 0700), 0);
    // No chown needed: asking for another owner than the real one is enough.
    const auto failure = catch_failure([&] { devflow::ensure_private_directory(path, geteuid() + 1); });
    assert_true(failed_with(failure, Outcome::system_error, "refusing to use it"));
}

void private_directory_missing_parent_fails(void **state) {
    const auto path = dir_of(state) / "absent/state";
    const auto failure = catch_failure([&] { devflow::ensure_private_directory(path, geteuid()); });
    assert_true(failed_with(failure, Outcome::system_error, "cannot create directory " + path));
}

// ---- write_file_atomically

void atomic_write_creates_file_with_mode(void **state) {
    devflow::write_file_atomically(dir_of(state).path(), "cache.json", "{}", 0600);
    assert_int_equal(devflow::test::file_mode(dir_of(state) / "cache.json"), 0600);
}

void atomic_write_replaces_content(void **state) {
    const auto path = dir_of(state) / "cache.json";
    devflow::test::write_text(path, "old", 0600);
    devflow::write_file_atomically(dir_of(state).path(), "cache.json", "new", 0600);
    assert_string_equal(devflow::test::read_text(path).c_str(), "new");
}

void atomic_write_leaves_no_temp_file(void **state) {
    devflow::test::write_text(dir_of(state) / "cache.json", "old", 0600);
    devflow::write_file_atomically(dir_of(state).path(), "cache.json", "new", 0600);
    assert_string_equal(devflow::test::list_dir(dir_of(state).path()).c_str(), "cache.json");
}

void failed_write_keeps_old_content(void **state) {
    const auto path = dir_of(state) / "cache.json";
    devflow::test::write_text(path, "old", 0600);
    std::optional<devflow::Failure> failure;
    {
        FileSizeLimit limit(16);  // the new content is bigger: write() fails with EFBIG
        failure = catch_failure(
            [&] { devflow::write_file_atomically(dir_of(state).path(), "cache.json", std::string(4096, 'n'), 0600); });
    }
    assert_string_equal(devflow::test::read_text(path).c_str(), "old");
}

void failed_write_removes_temp_file(void **state) {
    devflow::test::write_text(dir_of(state) / "cache.json", "old", 0600);
    {
        FileSizeLimit limit(16);
        catch_failure(
            [&] { devflow::write_file_atomically(dir_of(state).path(), "cache.json", std::string(4096, 'n'), 0600); });
    }
    assert_string_equal(devflow::test::list_dir(dir_of(state).path()).c_str(), "cache.json");
}

void failed_write_reports_system_error(void **state) {
    std::optional<devflow::Failure> failure;
    {
        FileSizeLimit limit(16);
        failure = catch_failure(
            [&] { devflow::write_file_atomically(dir_of(state).path(), "cache.json", std::string(4096, 'n'), 0600); });
    }
    assert_true(failed_with(failure, Outcome::system_error, "the previous file was left in place"));
}

void directory_in_place_of_file_is_left_alone(void **state) {
    const auto path = dir_of(state) / "cache.json";
    assert_int_equal(mkdir(path.c_str(), 0700), 0);
    devflow::test::write_text(path + "/inside", "keep", 0600);
    catch_failure([&] { devflow::write_file_atomically(dir_of(state).path(), "cache.json", "new", 0600); });
    assert_string_equal(devflow::test::read_text(path + "/inside").c_str(), "keep");
}

void directory_in_place_of_file_is_refused(void **state) {
    assert_int_equal(mkdir((dir_of(state) / "cache.json").c_str(), 0700), 0);
    const auto failure =
        catch_failure([&] { devflow::write_file_atomically(dir_of(state).path(), "cache.json", "new", 0600); });
    assert_true(failed_with(failure, Outcome::system_error, "is not a regular file"));
}

void symlink_target_is_refused(void **state) {
    const auto victim = dir_of(state) / "victim";
    devflow::test::write_text(victim, "precious", 0600);
    assert_int_equal(symlink(victim.c_str(), (dir_of(state) / "cache.json").c_str()), 0);
    const auto failure =
        catch_failure([&] { devflow::write_file_atomically(dir_of(state).path(), "cache.json", "evil", 0600); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void symlink_target_victim_is_untouched(void **state) {
    const auto victim = dir_of(state) / "victim";
    devflow::test::write_text(victim, "precious", 0600);
    assert_int_equal(symlink(victim.c_str(), (dir_of(state) / "cache.json").c_str()), 0);
    catch_failure([&] { devflow::write_file_atomically(dir_of(state).path(), "cache.json", "evil", 0600); });
    assert_string_equal(devflow::test::read_text(victim).c_str(), "precious");
}

void symlinked_directory_is_refused(void **state) {
    const auto real = dir_of(state) / "real";
    const auto link = dir_of(state) / "link";
    assert_int_equal(mkdir(real.c_str(), 0700), 0);
    assert_int_equal(symlink(real.c_str(), link.c_str()), 0);
    const auto failure = catch_failure([&] { devflow::write_file_atomically(link, "cache.json", "x", 0600); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void name_with_slash_is_refused(void **state) {
    const auto failure =
        catch_failure([&] { devflow::write_file_atomically(dir_of(state).path(), "../escape", "x", 0600); });
    assert_true(failed_with(failure, Outcome::system_error, "invalid file name"));
}

// ---- read_private_file

void private_file_absent_is_nullopt(void **state) {
    assert_false(devflow::read_private_file(dir_of(state).path(), "absent", geteuid(), 1024).has_value());
}

void private_file_is_read(void **state) {
    devflow::test::write_text(dir_of(state) / "entry", "value", 0600);
    const auto content = devflow::read_private_file(dir_of(state).path(), "entry", geteuid(), 1024);
    assert_string_equal(content.value_or("<none>").c_str(), "value");
}

void private_file_group_readable_is_refused(void **state) {
    devflow::test::write_text(dir_of(state) / "entry", "value", 0640);
    const auto failure =
        catch_failure([&] { devflow::read_private_file(dir_of(state).path(), "entry", geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::system_error, "accessible by group or others"));
}

void private_file_symlink_is_refused(void **state) {
    devflow::test::write_text(dir_of(state) / "real", "value", 0600);
    assert_int_equal(symlink("real", (dir_of(state) / "entry").c_str()), 0);
    const auto failure =
        catch_failure([&] { devflow::read_private_file(dir_of(state).path(), "entry", geteuid(), 1024); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void private_file_foreign_owner_is_refused(void **state) {
    devflow::test::write_text(dir_of(state) / "entry", "value", 0600);
    const auto failure =
        catch_failure([&] { devflow::read_private_file(dir_of(state).path(), "entry", geteuid() + 1, 1024); });
    assert_true(failed_with(failure, Outcome::system_error, "refusing to read it"));
}

}  // namespace

#define CASE(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main() {
    const CMUnitTest tests[] = {
        CASE(trusted_file_is_read),
        CASE(trusted_file_group_writable_is_refused),
        CASE(trusted_file_world_writable_is_refused),
        CASE(trusted_file_symlink_is_refused),
        CASE(trusted_file_too_large_is_refused),
        CASE(trusted_file_directory_is_refused),
        CASE(trusted_file_missing_names_path),
        CASE(trusted_file_foreign_owner_is_refused),
        CASE(trusted_file_refusal_is_worded_by_the_caller),
        CASE(trusted_file_open_error_reaches_the_wording),
        CASE(private_directory_is_created_0700),
        CASE(private_directory_symlink_is_refused),
        CASE(private_directory_group_writable_is_refused),
        CASE(private_directory_foreign_owner_is_refused),
        CASE(private_directory_missing_parent_fails),
        CASE(atomic_write_creates_file_with_mode),
        CASE(atomic_write_replaces_content),
        CASE(atomic_write_leaves_no_temp_file),
        CASE(failed_write_keeps_old_content),
        CASE(failed_write_removes_temp_file),
        CASE(failed_write_reports_system_error),
        CASE(directory_in_place_of_file_is_left_alone),
        CASE(directory_in_place_of_file_is_refused),
        CASE(symlink_target_is_refused),
        CASE(symlink_target_victim_is_untouched),
        CASE(symlinked_directory_is_refused),
        CASE(name_with_slash_is_refused),
        CASE(private_file_absent_is_nullopt),
        CASE(private_file_is_read),
        CASE(private_file_group_readable_is_refused),
        CASE(private_file_symlink_is_refused),
        CASE(private_file_foreign_owner_is_refused),
    };
    return cmocka_run_group_tests_name("safe_file", tests, nullptr, nullptr);
}
