// SPDX-License-Identifier: Apache-2.0
// The scripted IdP (tests/fixtures/scripted_idp.js) as a child process of the
// benchmark: started on 127.0.0.1, its scenario swapped and its statistics
// read over plain HTTP, its CPU time read from /proc, stopped at the end.
#pragma once

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <string>

namespace devflow::bench {

class ScriptedIdpProcess {
public:
    // Throws std::runtime_error when node cannot start it.
    ScriptedIdpProcess(const std::string &script, const nlohmann::json &scenario);
    ~ScriptedIdpProcess();
    ScriptedIdpProcess(const ScriptedIdpProcess &) = delete;
    ScriptedIdpProcess &operator=(const ScriptedIdpProcess &) = delete;

    const std::string &issuer() const { return issuer_; }

    // Replaces the scenario; resets the statistics and the device codes.
    void use_scenario(const nlohmann::json &scenario);
    // GET /_stats: {"discovery","jwks","device","token":[{..., "sent_mono_ms"}]}.
    nlohmann::json stats();
    // User and system CPU the IdP has used so far.
    double cpu_seconds() const;

private:
    std::string call(const std::string &method, const std::string &path, const std::string &body);

    pid_t pid_ = -1;
    int keep_alive_ = -1;  // its stdin: it exits when we do
    int port_ = 0;
    std::string issuer_;
};

}  // namespace devflow::bench
