// SPDX-License-Identifier: Apache-2.0
// write_oidc_token_cache: the user's ~/.cache/pam_device_flow/NAME.json.
#include "base/utc_time.hpp"
#include "config/validators.hpp"
#include "test_files.hpp"
#include "usercache/oidc_token_cache.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::Outcome;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::FileSizeLimit;
using devflow::test::TempDir;

namespace {

struct Fixture {
    TempDir temp;
    std::string home = temp / "home";
    devflow::UserAccount user;
    Fixture() {
        ::mkdir(home.c_str(), 0700);
        user.name = "alice";
        user.uid = geteuid();
        user.gid = getegid();
        user.home = home;
    }
    std::string cache_dir() const { return home + "/.cache/pam_device_flow"; }
    std::string cache_file() const { return cache_dir() + "/corp.json"; }
};

Fixture &fixture(void **state) { return *static_cast<Fixture *>(*state); }

int setup(void **state) {
    *state = new Fixture();
    return 0;
}

int teardown(void **state) {
    delete static_cast<Fixture *>(*state);
    return 0;
}

devflow::TokenSet tokens(const std::string &access_token = "at-123") {
    devflow::TokenSet set;
    set.access_token = devflow::Secret(access_token);
    set.refresh_token = devflow::Secret("rt-456");
    set.id_token = devflow::Secret("eyJ.id.sig");
    set.token_type = "Bearer";
    set.scope = "openid profile";
    set.expires_at = devflow::TimePoint{std::chrono::seconds{1700003600}};
    return set;
}

void write(const devflow::UserAccount &user, const std::string &provider_name = "corp",
           const devflow::TokenSet &set = tokens()) {
    devflow::write_oidc_token_cache(user, provider_name, "https://login.example.com/realms/corp", "bastion", set);
}

const char *const expected_json = R"({
  "issuer": "https://login.example.com/realms/corp",
  "client_id": "bastion",
  "access_token": "at-123",
  "refresh_token": "rt-456",
  "id_token": "eyJ.id.sig",
  "token_type": "Bearer",
  "scope": "openid profile",
  "expires_at": "2023-11-14T23:13:20Z"
})";

void writes_exact_json(void **state) {
    auto &f = fixture(state);
    write(f.user);
    assert_string_equal(devflow::test::read_text(f.cache_file()).c_str(), expected_json);
}

void cache_file_is_0600(void **state) {
    auto &f = fixture(state);
    const mode_t old_umask = umask(0);
    write(f.user);
    umask(old_umask);
    assert_int_equal(devflow::test::file_mode(f.cache_file()), 0600);
}

void cache_directory_is_0700(void **state) {
    auto &f = fixture(state);
    const mode_t old_umask = umask(0);
    write(f.user);
    umask(old_umask);
    assert_int_equal(devflow::test::file_mode(f.cache_dir()), 0700);
}

void dot_cache_is_created_0700(void **state) {
    auto &f = fixture(state);
    const mode_t old_umask = umask(0);
    write(f.user);
    umask(old_umask);
    assert_int_equal(devflow::test::file_mode(f.home + "/.cache"), 0700);
}

void existing_dot_cache_0755_is_used(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir((f.home + "/.cache").c_str(), 0755), 0);
    write(f.user);
    assert_string_equal(devflow::test::read_text(f.cache_file()).c_str(), expected_json);
}

void empty_refresh_token_is_empty_string(void **state) {
    auto &f = fixture(state);
    auto set = tokens();
    set.refresh_token = devflow::Secret();
    write(f.user, "corp", set);
    assert_non_null(strstr(devflow::test::read_text(f.cache_file()).c_str(), "\"refresh_token\": \"\","));
}

void old_file_is_replaced(void **state) {
    auto &f = fixture(state);
    write(f.user, "corp", tokens("old-token"));
    write(f.user, "corp", tokens("at-123"));
    assert_string_equal(devflow::test::read_text(f.cache_file()).c_str(), expected_json);
}

void replace_leaves_no_temp_file(void **state) {
    auto &f = fixture(state);
    write(f.user, "corp", tokens("old-token"));
    write(f.user, "corp", tokens("at-123"));
    assert_string_equal(devflow::test::list_dir(f.cache_dir()).c_str(), "corp.json");
}

void failed_write_keeps_old_file(void **state) {
    auto &f = fixture(state);
    write(f.user, "corp", tokens("old-token"));
    const std::string before = devflow::test::read_text(f.cache_file());
    {
        FileSizeLimit limit(64);  // smaller than the new JSON
        catch_failure([&] { write(f.user, "corp", tokens(std::string(4096, 'a'))); });
    }
    assert_string_equal(devflow::test::read_text(f.cache_file()).c_str(), before.c_str());
}

void failed_write_is_system_error(void **state) {
    auto &f = fixture(state);
    std::optional<devflow::Failure> failure;
    {
        FileSizeLimit limit(64);
        failure = catch_failure([&] { write(f.user, "corp", tokens(std::string(4096, 'a'))); });
    }
    assert_true(failed_with(failure, Outcome::system_error, "the previous file was left in place"));
}

void symlinked_dot_cache_is_refused(void **state) {
    auto &f = fixture(state);
    const auto elsewhere = f.temp / "elsewhere";
    assert_int_equal(mkdir(elsewhere.c_str(), 0700), 0);
    assert_int_equal(symlink(elsewhere.c_str(), (f.home + "/.cache").c_str()), 0);
    const auto failure = catch_failure([&] { write(f.user); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void symlinked_dot_cache_target_is_untouched(void **state) {
    auto &f = fixture(state);
    const auto elsewhere = f.temp / "elsewhere";
    assert_int_equal(mkdir(elsewhere.c_str(), 0700), 0);
    assert_int_equal(symlink(elsewhere.c_str(), (f.home + "/.cache").c_str()), 0);
    catch_failure([&] { write(f.user); });
    assert_string_equal(devflow::test::list_dir(elsewhere).c_str(), "");
}

void symlinked_cache_directory_is_refused(void **state) {
    auto &f = fixture(state);
    const auto elsewhere = f.temp / "elsewhere";
    assert_int_equal(mkdir(elsewhere.c_str(), 0700), 0);
    assert_int_equal(mkdir((f.home + "/.cache").c_str(), 0700), 0);
    assert_int_equal(symlink(elsewhere.c_str(), f.cache_dir().c_str()), 0);
    const auto failure = catch_failure([&] { write(f.user); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void symlinked_cache_file_is_refused(void **state) {
    auto &f = fixture(state);
    const auto victim = f.temp / "victim";
    devflow::test::write_text(victim, "precious", 0600);
    write(f.user);
    assert_int_equal(unlink(f.cache_file().c_str()), 0);
    assert_int_equal(symlink(victim.c_str(), f.cache_file().c_str()), 0);
    const auto failure = catch_failure([&] { write(f.user); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void group_writable_dot_cache_is_refused(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir((f.home + "/.cache").c_str(), 0700), 0);
    assert_int_equal(chmod((f.home + "/.cache").c_str(), 0775), 0);
    const auto failure = catch_failure([&] { write(f.user); });
    assert_true(failed_with(failure, Outcome::system_error, "writable by group or others"));
}

void foreign_dot_cache_is_refused(void **state) {
    if (!devflow::test::running_as_root()) {
        print_message("skipped: giving .cache to another uid needs root\n");
        skip();
    }
    auto &f = fixture(state);
    assert_int_equal(mkdir((f.home + "/.cache").c_str(), 0700), 0);
    assert_int_equal(chown((f.home + "/.cache").c_str(), devflow::test::other_uid, devflow::test::other_uid), 0);
    const auto failure = catch_failure([&] { write(f.user); });
    assert_true(failed_with(failure, Outcome::system_error, "owned by uid 65534"));
}

void home_of_another_user_is_refused(void **state) {
    auto &f = fixture(state);
    devflow::UserAccount other = f.user;
    other.uid = f.user.uid + 1;  // the home belongs to us, not to "other"
    const auto failure = catch_failure([&] { write(other); });
    assert_true(failed_with(failure, Outcome::system_error, "not writing the token cache"));
}

void symlinked_home_is_refused(void **state) {
    auto &f = fixture(state);
    devflow::UserAccount user = f.user;
    user.home = f.temp / "home-link";
    assert_int_equal(symlink(f.home.c_str(), user.home.c_str()), 0);
    const auto failure = catch_failure([&] { write(user); });
    assert_true(failed_with(failure, Outcome::system_error,
                            "is a symlink; refusing to follow it; not writing the token cache"));
}

void symlinked_home_with_trailing_slash_is_refused(void **state) {
    auto &f = fixture(state);
    devflow::UserAccount user = f.user;
    const auto link = f.temp / "home-link";
    assert_int_equal(symlink(f.home.c_str(), link.c_str()), 0);
    user.home = link + "/";
    const auto failure = catch_failure([&] { write(user); });
    assert_true(failed_with(failure, Outcome::system_error,
                            "is a symlink; refusing to follow it; not writing the token cache"));
}

void provider_name_with_slash_is_refused(void **state) {
    const auto failure = catch_failure([&] { write(fixture(state).user, "../../.ssh/authorized_keys"); });
    assert_true(failed_with(failure, Outcome::config_error, "cannot name a cache file"));
}

void provider_name_dot_dot_is_refused(void **state) {
    const auto failure = catch_failure([&] { write(fixture(state).user, ".."); });
    assert_true(failed_with(failure, Outcome::config_error, "cannot name a cache file"));
}

void provider_name_starting_with_dot_is_refused(void **state) {
    const auto failure = catch_failure([&] { write(fixture(state).user, ".hidden"); });
    assert_true(failed_with(failure, Outcome::config_error, "cannot name a cache file"));
}

void refused_provider_name_creates_nothing(void **state) {
    auto &f = fixture(state);
    catch_failure([&] { write(f.user, "a/b"); });
    assert_string_equal(devflow::test::list_dir(f.home).c_str(), "");
}

void provider_name_with_dots_and_dashes_is_accepted(void **) {
    assert_true(devflow::is_valid_provider_name("corp-eu_1.prod"));
}

void quotes_in_tokens_are_escaped(void **state) {
    auto &f = fixture(state);
    write(f.user, "corp", tokens("a\"b\\c"));
    const auto cache = nlohmann::json::parse(devflow::test::read_text(f.cache_file()), nullptr, false);
    assert_string_equal(cache.value("access_token", "<absent>").c_str(), "a\"b\\c");
}

void non_ascii_token_is_refused(void **state) {
    auto &f = fixture(state);
    const auto failure = catch_failure([&] { write(f.user, "corp", tokens("tok\n{\"evil\": 1}")); });
    assert_true(failed_with(failure, Outcome::unavailable, "\"access_token\" holds a byte outside printable ASCII"));
}

void refused_token_creates_nothing(void **state) {
    auto &f = fixture(state);
    catch_failure([&] { write(f.user, "corp", tokens("\xc3\xa9")); });
    assert_string_equal(devflow::test::list_dir(f.home).c_str(), "");
}

// ---- format_rfc3339_utc

void rfc3339_of_epoch(void **) {
    assert_string_equal(devflow::format_rfc3339_utc(devflow::TimePoint{}).c_str(), "1970-01-01T00:00:00Z");
}

void rfc3339_truncates_to_seconds(void **) {
    const auto when = devflow::TimePoint{std::chrono::seconds{1700003600}} + std::chrono::milliseconds{999};
    assert_string_equal(devflow::format_rfc3339_utc(when).c_str(), "2023-11-14T23:13:20Z");
}

}  // namespace

#define CASE(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main() {
    const CMUnitTest tests[] = {
        CASE(writes_exact_json),
        CASE(cache_file_is_0600),
        CASE(cache_directory_is_0700),
        CASE(dot_cache_is_created_0700),
        CASE(existing_dot_cache_0755_is_used),
        CASE(empty_refresh_token_is_empty_string),
        CASE(old_file_is_replaced),
        CASE(replace_leaves_no_temp_file),
        CASE(failed_write_keeps_old_file),
        CASE(failed_write_is_system_error),
        CASE(symlinked_dot_cache_is_refused),
        CASE(symlinked_dot_cache_target_is_untouched),
        CASE(symlinked_cache_directory_is_refused),
        CASE(symlinked_cache_file_is_refused),
        CASE(group_writable_dot_cache_is_refused),
        CASE(foreign_dot_cache_is_refused),
        CASE(home_of_another_user_is_refused),
        CASE(symlinked_home_is_refused),
        CASE(symlinked_home_with_trailing_slash_is_refused),
        CASE(provider_name_with_slash_is_refused),
        CASE(provider_name_dot_dot_is_refused),
        CASE(provider_name_starting_with_dot_is_refused),
        CASE(refused_provider_name_creates_nothing),
        CASE(quotes_in_tokens_are_escaped),
        CASE(non_ascii_token_is_refused),
        CASE(refused_token_creates_nothing),
        cmocka_unit_test(provider_name_with_dots_and_dashes_is_accepted),
        cmocka_unit_test(rfc3339_of_epoch),
        cmocka_unit_test(rfc3339_truncates_to_seconds),
    };
    return cmocka_run_group_tests_name("user_token_cache", tests, nullptr, nullptr);
}
