// SPDX-License-Identifier: Apache-2.0
#include "net/scrubbed_environment.hpp"

#include "base/failure.hpp"

#include <cstdlib>

extern char **environ;

namespace devflow {
namespace {

// Never written: getenv only reads it, and setenv would copy it first.
char *empty_environment[] = {nullptr};

// libcurl 7.88.1: the TLS key log and backend choice, read once at global
// init; the proxy of each scheme it may use (lower case, and upper case for
// https), the catch-all and the exceptions, read on every transfer; HOME, read
// for .netrc.
constexpr const char *kNetworkVariables[] = {
    "SSLKEYLOGFILE", "CURL_SSL_BACKEND", "http_proxy", "https_proxy", "HTTPS_PROXY",
    "all_proxy",     "ALL_PROXY",        "no_proxy",   "NO_PROXY",    "HOME",
};

}  // namespace

std::span<const char *const> network_environment_variables() noexcept { return kNetworkVariables; }

ScrubbedEnvironment::ScrubbedEnvironment() : saved_(environ) {
    environ = empty_environment;
    try {
        for (const char *name : kNetworkVariables) {
            // With `environ` empty, only an interposed getenv still answers.
            // Plain getenv on purpose: it is what libcurl calls, so it shows
            // what libcurl would see (secure_getenv returns nothing in setuid
            // hosts and would hide sudo's copy from this check, not from
            // libcurl). The value is only kept to be given back.
            const char *value = std::getenv(name);
            if (value == nullptr) continue;
            hidden_.emplace_back(name, value);
            if (::unsetenv(name) != 0 || std::getenv(name) != nullptr) {
                fail_system(std::string("cannot hide the caller's ") + name + " from libcurl");
            }
        }
    } catch (...) {
        restore();
        throw;
    }
}

ScrubbedEnvironment::~ScrubbedEnvironment() { restore(); }

void ScrubbedEnvironment::restore() noexcept {
    // Through the same interposed setenv, while `environ` is still ours.
    for (auto entry = hidden_.rbegin(); entry != hidden_.rend(); ++entry) {
        ::setenv(entry->first.c_str(), entry->second.c_str(), 1);
    }
    hidden_.clear();
    environ = saved_;
}

}  // namespace devflow
