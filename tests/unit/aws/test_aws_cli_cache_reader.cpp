// SPDX-License-Identifier: Apache-2.0
// Reading back the AWS CLI's SSO token cache: what we write, what botocore
// writes (two time formats, extra members), and every way the file can be
// unusable or unsafe.
#include "aws/aws_cli_cache_name.hpp"
#include "aws/aws_cli_cache_reader.hpp"
#include "test_files.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::Outcome;
using devflow::TimePoint;
using devflow::test::catch_failure;
using devflow::test::failed_with;
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
        ::mkdir((home + "/.aws").c_str(), 0700);
        ::mkdir((home + "/.aws/sso").c_str(), 0700);
        ::mkdir((home + "/.aws/sso/cache").c_str(), 0700);
        user.name = "alice";
        user.uid = geteuid();
        user.gid = getegid();
        user.home = home;
    }
    std::string cache_file() const { return home + "/.aws/sso/cache/" + kCorpCacheName; }
    void write(const std::string &text, mode_t mode = 0600) const { write_text(cache_file(), text, mode); }
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

TimePoint at(long long seconds) { return TimePoint{std::chrono::seconds{seconds}}; }

// What `aws sso login` leaves (botocore's json.dumps), plus a member we do not know.
const char *const kCliWritten =
    R"({"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", )"
    R"("accessToken": "aoa-access", "expiresAt": "2023-11-14T23:13:20Z", "clientId": "client-abc", )"
    R"("clientSecret": "client-secret", "registrationExpiresAt": "2024-02-12T23:13:20UTC", )"
    R"("refreshToken": "aor-refresh", "scopes": ["sso:account:access"]})";

void botocore_time_formats(void **) {
    assert_true(devflow::parse_botocore_time("2023-11-14T23:13:20Z") == at(1700003600));
    assert_true(devflow::parse_botocore_time("2023-11-14T23:13:20UTC") == at(1700003600));
    assert_true(devflow::parse_botocore_time("2023-11-14T23:13:20.123456Z") == at(1700003600));
    assert_true(devflow::parse_botocore_time("2023-11-14T23:13:20.5+00:00") == at(1700003600));
    for (const char *bad :
         {"", "2023-11-14T23:13:20", "2023-11-14T23:13:20+01:00", "2023-11-14T23:13:20-00:00", "2023-11-14 23:13:20Z",
          "2023-11-14T23:13:20.Z", "2023-13-14T23:13:20Z", "2023-11-14T23:13:20ZZ", "2023-11-14T23:13:20.1234567890Z",
          "soon", "2999-01-01T00:00:00Z", "1969-12-31T23:59:59Z"}) {
        assert_false(devflow::parse_botocore_time(bad).has_value());
    }
}

void absent_file_is_nullopt(void **state) {
    auto &f = fixture(state);
    assert_false(devflow::read_aws_cli_token_cache(f.user, "corp").has_value());
    assert_false(devflow::read_aws_cli_token_cache(f.user, "other").has_value());
}

void reads_what_the_aws_cli_writes(void **state) {
    auto &f = fixture(state);
    f.write(kCliWritten);
    auto entry = devflow::read_aws_cli_token_cache(f.user, "corp");
    assert_true(entry.has_value());
    assert_string_equal(entry->sso_session.c_str(), "corp");
    assert_string_equal(entry->start_url.c_str(), "https://d-1234567890.awsapps.com/start");
    assert_string_equal(entry->region.c_str(), "us-east-1");
    assert_string_equal(entry->access_token.reveal().c_str(), "aoa-access");
    assert_true(entry->expires_at == at(1700003600));
    assert_string_equal(entry->refresh_token.reveal().c_str(), "aor-refresh");
    assert_string_equal(entry->client_id.c_str(), "client-abc");
    assert_string_equal(entry->client_secret.reveal().c_str(), "client-secret");
    assert_true(entry->registration_expires_at == at(1707779600));
}

void round_trips_what_we_write(void **state) {
    auto &f = fixture(state);
    devflow::AwsCliCacheEntry written;
    written.sso_session = "corp";
    written.start_url = "https://d-1234567890.awsapps.com/start";
    written.region = "eu-west-1";
    written.access_token = devflow::Secret("aoa-1");
    written.expires_at = at(1800000000);
    written.refresh_token = devflow::Secret("aor-1");
    written.client_id = "cid";
    written.client_secret = devflow::Secret("secret");
    written.registration_expires_at = at(1900000000);
    devflow::write_aws_cli_token_cache(f.user, written);
    auto read = devflow::read_aws_cli_token_cache(f.user, "corp");
    assert_true(read.has_value());
    assert_string_equal(read->region.c_str(), "eu-west-1");
    assert_string_equal(read->access_token.reveal().c_str(), "aoa-1");
    assert_true(read->expires_at == at(1800000000));
    assert_string_equal(read->refresh_token.reveal().c_str(), "aor-1");
    assert_true(read->registration_expires_at == at(1900000000));
}

void without_all_four_refresh_members_there_is_no_refresh(void **state) {
    auto &f = fixture(state);
    f.write(R"({"region": "us-east-1", "accessToken": "aoa", "expiresAt": "2023-11-14T23:13:20Z", )"
            R"("refreshToken": "aor", "clientId": "cid"})");
    auto entry = devflow::read_aws_cli_token_cache(f.user, "corp");
    assert_true(entry.has_value());
    assert_true(entry->start_url.empty());
    assert_true(entry->refresh_token.empty());
    assert_true(entry->client_secret.empty());
}

void content_that_is_not_the_format_is_refused(void **state) {
    auto &f = fixture(state);
    const char *const bad[] = {
        "",
        "not json",
        "[]",
        R"({"expiresAt": "2023-11-14T23:13:20Z"})",                     // no accessToken
        R"({"accessToken": "", "expiresAt": "2023-11-14T23:13:20Z"})",  // empty
        R"({"accessToken": "aoa"})",                                    // no expiresAt
        R"({"accessToken": "aoa", "expiresAt": "tomorrow"})",           // bad time
        R"({"accessToken": 42, "expiresAt": "2023-11-14T23:13:20Z"})",  // not a string
        R"({"accessToken": "aoa", "expiresAt": "2023-11-14T23:13:20Z", "region": 1})",
        R"({"accessToken": "aoa", "expiresAt": "2023-11-14T23:13:20Z", "refreshToken": "aor", )"
        R"("clientId": "cid", "clientSecret": "s", "registrationExpiresAt": "never"})",
        R"({"accessToken": "aoa", "expiresAt": "2023-11-14T23:13:20Z", "refreshToken": "", )"
        R"("clientId": "cid", "clientSecret": "s", "registrationExpiresAt": "2024-02-12T23:13:20Z"})",
    };
    for (const char *text : bad) {
        f.write(text);
        const auto failure = catch_failure([&] { devflow::read_aws_cli_token_cache(f.user, "corp"); });
        if (!failed_with(failure, Outcome::system_error, kCorpCacheName)) fail_msg("accepted: %s", text);
    }
}

void unsafe_files_are_refused(void **state) {
    auto &f = fixture(state);
    f.write(kCliWritten, 0644);  // readable by others: someone else may have the token too
    auto failure = catch_failure([&] { devflow::read_aws_cli_token_cache(f.user, "corp"); });
    assert_true(failed_with(failure, Outcome::system_error, ""));

    ::unlink(f.cache_file().c_str());
    const std::string elsewhere = f.temp / "elsewhere.json";
    write_text(elsewhere, kCliWritten, 0600);
    assert_int_equal(::symlink(elsewhere.c_str(), f.cache_file().c_str()), 0);
    failure = catch_failure([&] { devflow::read_aws_cli_token_cache(f.user, "corp"); });
    assert_true(failed_with(failure, Outcome::system_error, ""));

    ::unlink(f.cache_file().c_str());
    f.write(std::string(devflow::kMaxAwsCliCacheBytes + 1, ' '));
    failure = catch_failure([&] { devflow::read_aws_cli_token_cache(f.user, "corp"); });
    assert_true(failed_with(failure, Outcome::system_error, ""));
}

void foreign_file_is_refused(void **state) {
    auto &f = fixture(state);
    f.write(kCliWritten);
    devflow::UserAccount other = f.user;
    other.uid = f.user.uid + 1;  // the file is not theirs
    const auto failure = catch_failure([&] { devflow::read_aws_cli_token_cache(other, "corp"); });
    assert_true(failed_with(failure, Outcome::system_error, ""));
}

}  // namespace

#define CASE(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(botocore_time_formats),
        CASE(absent_file_is_nullopt),
        CASE(reads_what_the_aws_cli_writes),
        CASE(round_trips_what_we_write),
        CASE(without_all_four_refresh_members_there_is_no_refresh),
        CASE(content_that_is_not_the_format_is_refused),
        CASE(unsafe_files_are_refused),
        CASE(foreign_file_is_refused),
    };
    return cmocka_run_group_tests_name("aws_cli_cache_reader", tests, nullptr, nullptr);
}
