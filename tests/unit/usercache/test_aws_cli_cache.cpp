// SPDX-License-Identifier: Apache-2.0
// The AWS CLI's files written as the user: the SSO token cache
// (~/.aws/sso/cache/<sha1>.json, botocore's format) and the sso-session and
// profile sections appended to ~/.aws/config.
#include "aws/aws_cli_cache_name.hpp"
#include "test_files.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::Outcome;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::file_mode;
using devflow::test::FileSizeLimit;
using devflow::test::list_dir;
using devflow::test::read_text;
using devflow::test::TempDir;
using devflow::test::write_text;

namespace {

// SHA-1 of "corp", computed independently (printf corp | sha1sum).
const char *const kCorpCacheName = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json";

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
    std::string aws() const { return home + "/.aws"; }
    std::string cache_dir() const { return home + "/.aws/sso/cache"; }
    std::string cache_file() const { return cache_dir() + "/" + kCorpCacheName; }
    std::string config() const { return home + "/.aws/config"; }
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

devflow::AwsCliCacheEntry entry(const std::string &access_token = "aoaAAAAAGV-access") {
    devflow::AwsCliCacheEntry e;
    e.sso_session = "corp";
    e.start_url = "https://d-1234567890.awsapps.com/start";
    e.region = "us-east-1";
    e.access_token = devflow::Secret(access_token);
    e.expires_at = devflow::TimePoint{std::chrono::seconds{1700003600}};
    e.refresh_token = devflow::Secret("aorAAAAAGV-refresh");
    e.client_id = "client-abc";
    e.client_secret = devflow::Secret("eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret");
    e.registration_expires_at = devflow::TimePoint{std::chrono::seconds{1707779600}};
    return e;
}

const char *const expected_json =
    R"({"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", )"
    R"("accessToken": "aoaAAAAAGV-access", "expiresAt": "2023-11-14T23:13:20Z", "clientId": "client-abc", )"
    R"("clientSecret": "eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.secret", )"
    R"("registrationExpiresAt": "2024-02-12T23:13:20Z", "refreshToken": "aorAAAAAGV-refresh"})";

// ---- the token cache

void cache_file_name_is_sha1_of_the_session(void **) {
    assert_string_equal(devflow::aws_cli_cache_file_name("corp").c_str(), kCorpCacheName);
}

void writes_botocore_json(void **state) {
    auto &f = fixture(state);
    devflow::write_aws_cli_token_cache(f.user, entry());
    assert_string_equal(list_dir(f.cache_dir()).c_str(), kCorpCacheName);
    assert_string_equal(read_text(f.cache_file()).c_str(), expected_json);
}

// A CreateTokenWithIAM result: no start URL, no refresh fields.
void writes_an_exchanged_token_without_start_url_or_refresh(void **state) {
    auto &f = fixture(state);
    devflow::AwsCliCacheEntry e;
    e.sso_session = "corp";
    e.region = "eu-west-1";
    e.access_token = devflow::Secret("idc-access");
    e.expires_at = devflow::TimePoint{std::chrono::seconds{1700003600}};
    devflow::write_aws_cli_token_cache(f.user, e);
    assert_string_equal(read_text(f.cache_file()).c_str(),
                        R"({"region": "eu-west-1", "accessToken": "idc-access", "expiresAt": "2023-11-14T23:13:20Z"})");
}

void cache_is_valid_json_with_the_cli_keys(void **state) {
    auto &f = fixture(state);
    devflow::write_aws_cli_token_cache(f.user, entry("a\"b\\c"));
    const auto cache = nlohmann::json::parse(read_text(f.cache_file()), nullptr, false);
    assert_false(cache.is_discarded());
    assert_string_equal(cache.value("accessToken", "<absent>").c_str(), "a\"b\\c");
    for (const char *key :
         {"startUrl", "region", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"}) {
        assert_true(cache.contains(key));
    }
}

void without_refresh_token_the_registration_is_left_out(void **state) {
    auto &f = fixture(state);
    auto e = entry();
    e.refresh_token = devflow::Secret();
    devflow::write_aws_cli_token_cache(f.user, e);
    assert_string_equal(read_text(f.cache_file()).c_str(),
                        R"({"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", )"
                        R"("accessToken": "aoaAAAAAGV-access", "expiresAt": "2023-11-14T23:13:20Z"})");
}

void refresh_token_without_client_secret_is_refused(void **state) {
    auto &f = fixture(state);
    auto e = entry();
    e.client_secret = devflow::Secret();
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, e); });
    assert_true(failed_with(failure, Outcome::unavailable, "without its client registration"));
    assert_string_equal(list_dir(f.home).c_str(), "");
}

void cache_file_is_0600_and_directories_0700(void **state) {
    auto &f = fixture(state);
    const mode_t old_umask = umask(0);
    devflow::write_aws_cli_token_cache(f.user, entry());
    umask(old_umask);
    assert_int_equal(file_mode(f.cache_file()), 0600);
    assert_int_equal(file_mode(f.aws()), 0700);
    assert_int_equal(file_mode(f.home + "/.aws/sso"), 0700);
    assert_int_equal(file_mode(f.cache_dir()), 0700);
}

void existing_dot_aws_0755_is_used(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0755), 0);
    devflow::write_aws_cli_token_cache(f.user, entry());
    assert_string_equal(read_text(f.cache_file()).c_str(), expected_json);
}

void old_cache_is_replaced_without_leftovers(void **state) {
    auto &f = fixture(state);
    devflow::write_aws_cli_token_cache(f.user, entry("old-token"));
    struct stat before {};
    assert_int_equal(stat(f.cache_file().c_str(), &before), 0);
    devflow::write_aws_cli_token_cache(f.user, entry());
    struct stat after {};
    assert_int_equal(stat(f.cache_file().c_str(), &after), 0);
    assert_string_equal(read_text(f.cache_file()).c_str(), expected_json);
    assert_true(before.st_ino != after.st_ino);  // renamed over, not rewritten in place
    assert_string_equal(list_dir(f.cache_dir()).c_str(), kCorpCacheName);
}

void failed_write_keeps_old_cache(void **state) {
    auto &f = fixture(state);
    devflow::write_aws_cli_token_cache(f.user, entry("old-token"));
    const std::string before = read_text(f.cache_file());
    std::optional<devflow::Failure> failure;
    {
        FileSizeLimit limit(64);
        failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, entry(std::string(4096, 'a'))); });
    }
    assert_true(failed_with(failure, Outcome::system_error, "the previous file was left in place"));
    assert_string_equal(read_text(f.cache_file()).c_str(), before.c_str());
    assert_string_equal(list_dir(f.cache_dir()).c_str(), kCorpCacheName);
}

void symlinked_dot_aws_is_refused(void **state) {
    auto &f = fixture(state);
    const auto elsewhere = f.temp / "elsewhere";
    assert_int_equal(mkdir(elsewhere.c_str(), 0700), 0);
    assert_int_equal(symlink(elsewhere.c_str(), f.aws().c_str()), 0);
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, entry()); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
    assert_string_equal(list_dir(elsewhere).c_str(), "");
}

void symlinked_sso_directory_is_refused(void **state) {
    auto &f = fixture(state);
    const auto elsewhere = f.temp / "elsewhere";
    assert_int_equal(mkdir(elsewhere.c_str(), 0700), 0);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    assert_int_equal(symlink(elsewhere.c_str(), (f.aws() + "/sso").c_str()), 0);
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, entry()); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
    assert_string_equal(list_dir(elsewhere).c_str(), "");
}

void symlinked_cache_file_is_refused(void **state) {
    auto &f = fixture(state);
    const auto victim = f.temp / "victim";
    write_text(victim, "precious", 0600);
    devflow::write_aws_cli_token_cache(f.user, entry());
    assert_int_equal(unlink(f.cache_file().c_str()), 0);
    assert_int_equal(symlink(victim.c_str(), f.cache_file().c_str()), 0);
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, entry()); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
    assert_string_equal(read_text(victim).c_str(), "precious");
}

void group_writable_dot_aws_is_refused(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    assert_int_equal(chmod(f.aws().c_str(), 0775), 0);
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, entry()); });
    assert_true(failed_with(failure, Outcome::system_error, "writable by group or others"));
}

void foreign_dot_aws_is_refused(void **state) {
    if (!devflow::test::running_as_root()) {
        print_message("skipped: giving .aws to another uid needs root\n");
        skip();
    }
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    assert_int_equal(chown(f.aws().c_str(), devflow::test::other_uid, devflow::test::other_uid), 0);
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, entry()); });
    assert_true(failed_with(failure, Outcome::system_error, "owned by uid 65534"));
}

void home_of_another_user_is_refused(void **state) {
    auto &f = fixture(state);
    devflow::UserAccount other = f.user;
    other.uid = f.user.uid + 1;
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(other, entry()); });
    assert_true(failed_with(failure, Outcome::system_error, "not writing the AWS CLI token cache"));
}

void non_ascii_token_is_refused_before_any_file(void **state) {
    auto &f = fixture(state);
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, entry("tok\n\"x\": 1")); });
    assert_true(failed_with(failure, Outcome::unavailable, "\"accessToken\""));
    assert_string_equal(list_dir(f.home).c_str(), "");
}

void bad_session_name_is_a_config_error(void **state) {
    auto &f = fixture(state);
    auto e = entry();
    e.sso_session = "corp]\n[evil";
    const auto failure = catch_failure([&] { devflow::write_aws_cli_token_cache(f.user, e); });
    assert_true(failed_with(failure, Outcome::config_error, "sso_session"));
}

// ---- ~/.aws/config

devflow::AwsCliProfile profile() {
    devflow::AwsCliProfile p;
    p.profile = "corp";
    p.sso_session = "corp";
    p.start_url = "https://d-1234567890.awsapps.com/start";
    p.sso_region = "us-east-1";
    p.account_id = "111122223333";
    p.role_name = "ReadOnly";
    p.region = "eu-west-1";
    return p;
}

const char *const kSessionSection =
    "[sso-session corp]\n"
    "sso_start_url = https://d-1234567890.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_registration_scopes = sso:account:access\n";
const char *const kProfileSection =
    "[profile corp]\n"
    "sso_session = corp\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = ReadOnly\n"
    "region = eu-west-1\n";

void absent_config_is_created_0600(void **state) {
    auto &f = fixture(state);
    const mode_t old_umask = umask(0);
    devflow::add_aws_cli_config(f.user, profile());
    umask(old_umask);
    assert_string_equal(read_text(f.config()).c_str(), (std::string(kSessionSection) + "\n" + kProfileSection).c_str());
    assert_int_equal(file_mode(f.config()), 0600);
    assert_int_equal(file_mode(f.aws()), 0700);
}

const char *const kUserConfig =
    "[default]\n"
    "region = us-west-2\n"
    "output = json\n"
    "\n"
    "# my own profile\n"
    "[profile dev]\n"
    "role_arn = arn:aws:iam::123456789012:role/Dev\n"
    "source_profile = default\n";

void user_profiles_are_kept_byte_for_byte(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0755), 0);
    write_text(f.config(), kUserConfig, 0644);
    devflow::add_aws_cli_config(f.user, profile());
    const std::string expected = std::string(kUserConfig) + "\n" + kSessionSection + "\n" + kProfileSection;
    assert_string_equal(read_text(f.config()).c_str(), expected.c_str());
}

void existing_mode_is_kept(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0755), 0);
    write_text(f.config(), kUserConfig, 0644);
    devflow::add_aws_cli_config(f.user, profile());
    assert_int_equal(file_mode(f.config()), 0644);
    assert_string_equal(list_dir(f.aws()).c_str(), "config");
}

void present_sections_are_not_duplicated(void **state) {
    auto &f = fixture(state);
    devflow::add_aws_cli_config(f.user, profile());
    const std::string first = read_text(f.config());
    devflow::add_aws_cli_config(f.user, profile());
    assert_string_equal(read_text(f.config()).c_str(), first.c_str());
}

void file_with_both_sections_is_not_rewritten(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    const std::string mine =
        "[profile corp]\nsso_session = corp\nsso_role_name = Admin\n"
        "[sso-session corp]\nsso_start_url = https://mine/start\n";
    write_text(f.config(), mine, 0600);
    struct stat before {};
    assert_int_equal(stat(f.config().c_str(), &before), 0);
    devflow::add_aws_cli_config(f.user, profile());
    struct stat after {};
    assert_int_equal(stat(f.config().c_str(), &after), 0);
    assert_string_equal(read_text(f.config()).c_str(), mine.c_str());
    assert_true(before.st_ino == after.st_ino);
}

void only_the_missing_section_is_appended(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    const std::string mine = "[sso-session corp]\nsso_start_url = https://mine/start\nsso_region = eu-west-1\n";
    write_text(f.config(), mine, 0600);
    devflow::add_aws_cli_config(f.user, profile());
    assert_string_equal(read_text(f.config()).c_str(), (mine + "\n" + kProfileSection).c_str());
}

void headers_are_read_as_botocore_reads_them(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    const std::string mine = "  [profile   \"corp\"]  \r\nregion = x\n[sso-session 'corp']\n";
    write_text(f.config(), mine, 0600);
    devflow::add_aws_cli_config(f.user, profile());
    assert_string_equal(read_text(f.config()).c_str(), mine.c_str());
}

void commented_and_similar_headers_do_not_count(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    const std::string mine = "# [profile corp]\n; [sso-session corp]\n[profile corp2]\n[sso-session corporate]\n";
    write_text(f.config(), mine, 0600);
    devflow::add_aws_cli_config(f.user, profile());
    const std::string expected = mine + "\n" + kSessionSection + "\n" + kProfileSection;
    assert_string_equal(read_text(f.config()).c_str(), expected.c_str());
}

void missing_final_newline_is_added(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    write_text(f.config(), "[default]\nregion = us-west-2", 0600);
    devflow::add_aws_cli_config(f.user, profile());
    const std::string expected =
        std::string("[default]\nregion = us-west-2\n\n") + kSessionSection + "\n" + kProfileSection;
    assert_string_equal(read_text(f.config()).c_str(), expected.c_str());
}

void profile_named_default_matches_the_default_section(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    write_text(f.config(), "[default]\nregion = us-west-2\n", 0600);
    auto p = profile();
    p.profile = "default";
    devflow::add_aws_cli_config(f.user, p);
    const std::string expected = std::string("[default]\nregion = us-west-2\n\n") + kSessionSection;
    assert_string_equal(read_text(f.config()).c_str(), expected.c_str());
}

void symlinked_config_is_refused(void **state) {
    auto &f = fixture(state);
    assert_int_equal(mkdir(f.aws().c_str(), 0700), 0);
    const auto dotfile = f.temp / "dotfiles-config";
    write_text(dotfile, kUserConfig, 0600);
    assert_int_equal(symlink(dotfile.c_str(), f.config().c_str()), 0);
    const auto failure = catch_failure([&] { devflow::add_aws_cli_config(f.user, profile()); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
    assert_string_equal(read_text(dotfile).c_str(), kUserConfig);
}

void symlinked_dot_aws_is_refused_for_config(void **state) {
    auto &f = fixture(state);
    const auto elsewhere = f.temp / "elsewhere";
    assert_int_equal(mkdir(elsewhere.c_str(), 0700), 0);
    assert_int_equal(symlink(elsewhere.c_str(), f.aws().c_str()), 0);
    const auto failure = catch_failure([&] { devflow::add_aws_cli_config(f.user, profile()); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
    assert_string_equal(list_dir(elsewhere).c_str(), "");
}

void config_value_with_newline_is_refused(void **state) {
    auto &f = fixture(state);
    auto p = profile();
    p.start_url = "https://x/start\n[profile evil]";
    const auto failure = catch_failure([&] { devflow::add_aws_cli_config(f.user, p); });
    assert_true(failed_with(failure, Outcome::config_error, "sso_start_url"));
    assert_string_equal(list_dir(f.home).c_str(), "");
}

void profile_name_with_bracket_is_refused(void **state) {
    auto &f = fixture(state);
    auto p = profile();
    p.profile = "corp]";
    const auto failure = catch_failure([&] { devflow::add_aws_cli_config(f.user, p); });
    assert_true(failed_with(failure, Outcome::config_error, "profile"));
}

}  // namespace

#define CASE(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(cache_file_name_is_sha1_of_the_session),
        CASE(writes_botocore_json),
        CASE(writes_an_exchanged_token_without_start_url_or_refresh),
        CASE(cache_is_valid_json_with_the_cli_keys),
        CASE(without_refresh_token_the_registration_is_left_out),
        CASE(refresh_token_without_client_secret_is_refused),
        CASE(cache_file_is_0600_and_directories_0700),
        CASE(existing_dot_aws_0755_is_used),
        CASE(old_cache_is_replaced_without_leftovers),
        CASE(failed_write_keeps_old_cache),
        CASE(symlinked_dot_aws_is_refused),
        CASE(symlinked_sso_directory_is_refused),
        CASE(symlinked_cache_file_is_refused),
        CASE(group_writable_dot_aws_is_refused),
        CASE(foreign_dot_aws_is_refused),
        CASE(home_of_another_user_is_refused),
        CASE(non_ascii_token_is_refused_before_any_file),
        CASE(bad_session_name_is_a_config_error),
        CASE(absent_config_is_created_0600),
        CASE(user_profiles_are_kept_byte_for_byte),
        CASE(existing_mode_is_kept),
        CASE(present_sections_are_not_duplicated),
        CASE(file_with_both_sections_is_not_rewritten),
        CASE(only_the_missing_section_is_appended),
        CASE(headers_are_read_as_botocore_reads_them),
        CASE(commented_and_similar_headers_do_not_count),
        CASE(missing_final_newline_is_added),
        CASE(profile_named_default_matches_the_default_section),
        CASE(symlinked_config_is_refused),
        CASE(symlinked_dot_aws_is_refused_for_config),
        CASE(config_value_with_newline_is_refused),
        CASE(profile_name_with_bracket_is_refused),
    };
    return cmocka_run_group_tests_name("aws_cli_cache", tests, nullptr, nullptr);
}
