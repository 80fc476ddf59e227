// SPDX-License-Identifier: Apache-2.0
// Shared pieces of the unit tests that run a whole login through the core
// (test_authenticator, test_approval_reuse): the scripted IdP's endpoints, a
// PrivilegeDrop that refuses (so the user's real cache is never written), and
// the caller's own account name.
#pragma once

#include "account/user_account.hpp"
#include "base/failure.hpp"

#include <functional>
#include <string>

namespace devflow::test {

inline const std::string kIssuer = "https://idp.test/realms/corp";
inline const std::string kDiscovery = kIssuer + "/.well-known/openid-configuration";
inline const std::string kDevice = kIssuer + "/device";
inline const std::string kToken = kIssuer + "/token";
inline const std::string kJwks = kIssuer + "/jwks";

// The cache write belongs to the PAM layer; here it always fails, which also
// proves that a failed cache write does not fail the login.
class NoPrivileges final : public PrivilegeDrop {
public:
    void run_as(const UserAccount &, const std::function<void()> &) override {
        ++calls;
        fail_system("test: privilege dropping is not available");
    }
    int calls = 0;
};

// The effective user's login name (root in CI).
std::string current_user();

}  // namespace devflow::test
