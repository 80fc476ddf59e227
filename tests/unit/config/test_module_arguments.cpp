// SPDX-License-Identifier: Apache-2.0
// The pam.d line's options: every known one, and clear refusals.
#include "base/failure.hpp"
#include "config/module_arguments.hpp"

#include <cstring>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;

namespace {

std::string refusal(const std::vector<std::string> &arguments) {
    try {
        parse_module_arguments(arguments);
    } catch (const Failure &failure) {
        assert_int_equal(static_cast<int>(failure.outcome()), static_cast<int>(Outcome::config_error));
        return failure.what();
    }
    fail_msg("accepted");
    return {};
}

void defaults(void **) {
    ModuleArguments parsed = parse_module_arguments({});
    assert_string_equal(parsed.config_path.c_str(), "/etc/security/pam_device_flow.conf");
    assert_true(parsed.provider.empty());
    assert_false(parsed.debug);
    assert_false(parsed.overrides.qr.has_value());
    assert_true(parsed.helper_path.empty());  // the helper built or installed with the module
}

void the_helper_path(void **) {
    assert_string_equal(parse_module_arguments({"helper=/opt/h"}).helper_path.c_str(), "/opt/h");
    assert_non_null(std::strstr(refusal({"helper=h"}).c_str(), "must be absolute"));
    refusal({"helper="});
}

void every_known_argument(void **) {
    ModuleArguments parsed = parse_module_arguments(
        {"config=/etc/x.conf", "provider=corp", "debug", "qr=ascii", "prompt=auto", "max_wait=90"});
    assert_string_equal(parsed.config_path.c_str(), "/etc/x.conf");
    assert_string_equal(parsed.provider.c_str(), "corp");
    assert_true(parsed.debug);
    assert_int_equal(static_cast<int>(*parsed.overrides.qr), static_cast<int>(QrMode::ascii));
    assert_int_equal(static_cast<int>(*parsed.overrides.prompt), static_cast<int>(PromptMode::automatic));
    assert_int_equal(*parsed.overrides.max_wait, 90);
}

void unknown_and_malformed_arguments_are_refused(void **) {
    assert_non_null(std::strstr(refusal({"colour=blue"}).c_str(), "\"colour=blue\""));
    refusal({"debug=1"});
    refusal({"config="});
    refusal({"config=relative.conf"});
    refusal({"provider="});
    refusal({"qr=sixel"});
    refusal({"prompt=maybe"});
    refusal({"max_wait=9"});
    refusal({"max_wait=3601"});
    refusal({"max_wait=1e3"});
    refusal({"max_wait=-5"});
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_known_argument),
        cmocka_unit_test(the_helper_path),
        cmocka_unit_test(unknown_and_malformed_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
