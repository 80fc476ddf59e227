// SPDX-License-Identifier: Apache-2.0
// The module exports the PAM service functions and nothing else (like
// pam-u2f's dlsym_check): a stray export could clash with the host's symbols.

#include <dlfcn.h>

#include <cstdio>
#include <set>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

namespace {

void loads_and_exports_pam_entry_points(void **) {
    void *module = dlopen(DEVFLOW_MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) fail_msg("dlopen: %s", dlerror());
    assert_non_null(dlsym(module, "pam_sm_authenticate"));
    assert_non_null(dlsym(module, "pam_sm_setcred"));
    assert_null(dlsym(module, "pam_sm_open_session"));
    dlclose(module);
}

void exports_nothing_else(void **) {
    std::string command = "nm -D --defined-only '" DEVFLOW_MODULE_PATH "'";
    FILE *pipe = popen(command.c_str(), "r");
    assert_non_null(pipe);
    std::set<std::string> exported;
    char line[512];
    while (std::fgets(line, sizeof(line), pipe) != nullptr) {
        std::string text(line);
        auto last_space = text.find_last_of(' ');
        std::string name = text.substr(last_space + 1);
        while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
        // "A" entries are the version-script node names, not code.
        if (text.find(" A ") != std::string::npos) continue;
        exported.insert(name);
    }
    assert_int_equal(pclose(pipe), 0);
    for (const auto &name : exported) {
        if (name != "pam_sm_authenticate" && name != "pam_sm_setcred") {
            fail_msg("unexpected exported symbol: %s", name.c_str());
        }
    }
    assert_int_equal(exported.size(), 2);
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(loads_and_exports_pam_entry_points),
        cmocka_unit_test(exports_nothing_else),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
