// SPDX-License-Identifier: Apache-2.0
// The options on the pam.d line: `config=PATH provider=NAME debug qr=MODE
// prompt=MODE max_wait=SECONDS`. Pure parsing, so it is unit-tested without PAM.
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace devflow {

struct ModuleArguments {
    std::string config_path = DEVFLOW_DEFAULT_CONFIG;
    std::string provider;
    bool debug = false;
    ConfigOverrides overrides;
    // The login helper binary; empty: the one built or installed with the
    // module. Only root writes /etc/pam.d, so this cannot be abused; it
    // serves tests and unusual layouts.
    std::string helper_path;
};

// Throws Failure(config_error) naming the bad argument.
ModuleArguments parse_module_arguments(const std::vector<std::string> &arguments);

}  // namespace devflow
