// SPDX-License-Identifier: Apache-2.0
// The scratch directory of bench_login: the test account (nss_wrapper, so
// nothing under /etc or any real home is touched), the module's
// configuration, the two PAM services (ours and the pam_permit floor) and the
// state directory. As root the module starts the helper as _devflow, which
// must reach state_dir: the directory is 0755. Removed when it goes.
#pragma once

#include <string>
#include <vector>

namespace devflow::bench {

inline constexpr const char *kOurService = "devflow-bench";
inline constexpr const char *kFloorService = "devflow-floor";
inline constexpr const char *kBenchUser = "bench";
inline constexpr const char *kNssWrapper = "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so";

class BenchScratch {
public:
    // `issuer`: the scripted IdP's; `module` and `floor`: the two modules' paths.
    BenchScratch(const std::string &issuer, const std::string &module, const std::string &floor);
    ~BenchScratch();
    BenchScratch(const BenchScratch &) = delete;
    BenchScratch &operator=(const BenchScratch &) = delete;

    const std::string &confdir() const { return confdir_; }
    // The whole environment of a host process that logs kBenchUser in.
    const std::vector<std::string> &login_environment() const { return login_environment_; }
    // Who the helper runs as, for the first line of the output.
    const std::string &helper_note() const { return helper_note_; }

private:
    void write_accounts(bool root);

    std::string dir_;
    std::string confdir_;
    std::vector<std::string> login_environment_;
    std::string helper_note_;
};

}  // namespace devflow::bench
