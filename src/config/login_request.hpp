// SPDX-License-Identifier: Apache-2.0
// What a login is asked to do: the module's arguments and the PAM items.
#pragma once

#include "config/config.hpp"

#include <string>

namespace devflow {

struct LoginRequest {
    std::string config_path = DEVFLOW_DEFAULT_CONFIG;
    ConfigOverrides overrides;
    std::string provider_name;  // empty: the configured default
    std::string user;           // PAM_USER
    std::string service;        // PAM_SERVICE
    std::string remote_host;    // PAM_RHOST, may be empty
    std::string local_host;     // shown to the person: "Log in as USER on HOST"
    // false: neither reuse nor record a reuse_window approval (pam-device-flow
    // login, whose point is fresh tokens in the caller's cache).
    bool reuse_approvals = true;
};

}  // namespace devflow
