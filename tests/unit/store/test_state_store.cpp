// SPDX-License-Identifier: Apache-2.0
// StateStore: the root-owned discovery/JWKS cache, driven by a fake clock.
#include "fake_clock.hpp"
#include "store/state_store.hpp"
#include "test_files.hpp"

#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::FakeClock;
using devflow::Outcome;
using devflow::StateStore;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::TempDir;
using std::chrono::seconds;

namespace {

const std::string discovery_key = "discovery https://login.example.com/realms/corp";
const std::string jwks_key = "jwks https://login.example.com/realms/corp/certs";

struct Fixture {
    TempDir temp;
    FakeClock clock;
    std::string directory = temp / "state";
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

std::string entry_path(Fixture &f, const std::string &key) {
    return f.directory + "/" + StateStore::file_name_for(key);
}

void fresh_entry_is_returned(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, R"({"issuer":"x"})");
    f.clock.advance(seconds(59));
    assert_string_equal(store.get(discovery_key, seconds(60)).value_or("<miss>").c_str(), R"({"issuer":"x"})");
}

void stale_entry_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "v");
    f.clock.advance(seconds(61));
    assert_false(store.get(discovery_key, seconds(60)).has_value());
}

void entry_exactly_max_age_old_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "v");
    f.clock.advance(seconds(60));
    assert_false(store.get(discovery_key, seconds(60)).has_value());
}

void future_stored_at_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "v");
    f.clock.advance(-seconds(3600));  // the clock went back, or the file was forged
    assert_false(store.get(discovery_key, seconds(86400)).has_value());
}

void future_stored_at_miss_is_explained(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "v");
    f.clock.advance(-seconds(1));
    store.get(discovery_key, seconds(86400));
    assert_non_null(strstr(store.last_miss().c_str(), "stored in the future"));
}

void corrupt_file_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    devflow::test::write_text(entry_path(f, discovery_key), "{\"key\": \"discov", 0600);
    assert_false(store.get(discovery_key, seconds(60)).has_value());
}

void wrong_types_are_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    devflow::test::write_text(entry_path(f, discovery_key),
                              R"({"key":")" + discovery_key + R"(","stored_at":"1700000000","value":"v"})", 0600);
    assert_false(store.get(discovery_key, seconds(60)).has_value());
}

void huge_stored_at_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    devflow::test::write_text(entry_path(f, discovery_key),
                              R"({"key":")" + discovery_key + R"(","stored_at":18446744073709551615,"value":"v"})",
                              0600);
    assert_false(store.get(discovery_key, seconds(60)).has_value());
}

// now - stored_at overflowed for a stored_at far before 1970: the age came out
// negative, so the entry never expired.
void stored_at_before_1970_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    for (const char *stored_at : {"-9223372036854775807", "-9223372036854775808", "-1"}) {
        devflow::test::write_text(entry_path(f, discovery_key),
                                  R"({"key":")" + discovery_key + R"(","stored_at":)" + stored_at + R"(,"value":"v"})",
                                  0600);
        if (store.get(discovery_key, seconds(60)).has_value()) {
            fail_msg("an entry stored at %s s was returned as fresh", stored_at);
        }
    }
}

void entry_of_another_key_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(jwks_key, "jwks value");
    // Plant the jwks entry under the discovery entry's file name: a hash
    // collision or a copied file must not hand one key's value to another.
    assert_int_equal(rename(entry_path(f, jwks_key).c_str(), entry_path(f, discovery_key).c_str()), 0);
    assert_false(store.get(discovery_key, seconds(60)).has_value());
}

void keys_are_kept_apart(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "discovery value");
    store.put(jwks_key, "jwks value");
    assert_string_equal(store.get(discovery_key, seconds(60)).value_or("<miss>").c_str(), "discovery value");
}

void missing_entry_is_absent(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    assert_false(store.get(discovery_key, seconds(60)).has_value());
}

void put_replaces_value(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "old");
    store.put(discovery_key, "new");
    assert_string_equal(store.get(discovery_key, seconds(60)).value_or("<miss>").c_str(), "new");
}

void file_is_named_by_sha256(void **) {
    // SHA-256("abc"), FIPS 180-2 test vector.
    assert_string_equal(StateStore::file_name_for("abc").c_str(),
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json");
}

void entry_file_is_0600(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "v");
    assert_int_equal(devflow::test::file_mode(entry_path(f, discovery_key)), 0600);
}

void directory_is_created_0700(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    assert_int_equal(devflow::test::file_mode(f.directory), 0700);
}

void missing_parent_is_refused(void **state) {
    auto &f = fixture(state);
    const auto failure = catch_failure([&] { StateStore store(f.temp / "absent/state", f.clock); });
    assert_true(failed_with(failure, Outcome::system_error, "cannot create directory"));
}

void symlinked_directory_is_refused(void **state) {
    auto &f = fixture(state);
    const auto real = f.temp / "real";
    assert_int_equal(mkdir(real.c_str(), 0700), 0);
    assert_int_equal(symlink(real.c_str(), f.directory.c_str()), 0);
    const auto failure = catch_failure([&] { StateStore store(f.directory, f.clock); });
    assert_true(failed_with(failure, Outcome::system_error, "is a symlink"));
}

void readable_entry_is_refused(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    store.put(discovery_key, "v");
    assert_int_equal(chmod(entry_path(f, discovery_key).c_str(), 0644), 0);
    const auto failure = catch_failure([&] { store.get(discovery_key, seconds(60)); });
    assert_true(failed_with(failure, Outcome::system_error, "accessible by group or others"));
}

void invalid_utf8_value_is_refused(void **state) {
    auto &f = fixture(state);
    StateStore store(f.directory, f.clock);
    const auto failure = catch_failure([&] { store.put(discovery_key, "\xff\xfe"); });
    assert_true(failed_with(failure, Outcome::system_error, "not valid UTF-8"));
}

}  // namespace

#define CASE(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main() {
    const CMUnitTest tests[] = {
        CASE(fresh_entry_is_returned),
        CASE(stale_entry_is_absent),
        CASE(entry_exactly_max_age_old_is_absent),
        CASE(future_stored_at_is_absent),
        CASE(future_stored_at_miss_is_explained),
        CASE(corrupt_file_is_absent),
        CASE(wrong_types_are_absent),
        CASE(huge_stored_at_is_absent),
        CASE(stored_at_before_1970_is_absent),
        CASE(entry_of_another_key_is_absent),
        CASE(keys_are_kept_apart),
        CASE(missing_entry_is_absent),
        CASE(put_replaces_value),
        cmocka_unit_test(file_is_named_by_sha256),
        CASE(entry_file_is_0600),
        CASE(directory_is_created_0700),
        CASE(missing_parent_is_refused),
        CASE(symlinked_directory_is_refused),
        CASE(readable_entry_is_refused),
        CASE(invalid_utf8_value_is_refused),
    };
    return cmocka_run_group_tests_name("state_store", tests, nullptr, nullptr);
}
