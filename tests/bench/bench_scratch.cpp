// SPDX-License-Identifier: Apache-2.0
#include "bench_scratch.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace devflow::bench {
namespace {

// The test user's ids when root: not in the real passwd, owned homes only here.
constexpr uid_t kBenchId = 47101;
// The helper's when root and this machine has no _devflow (as the pam tests do).
constexpr uid_t kFallbackHelperId = 47100;

void write_file(const std::string &path, const std::string &text, mode_t mode) {
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
}

}  // namespace

BenchScratch::BenchScratch(const std::string &issuer, const std::string &module, const std::string &floor) {
    char dir_template[] = "/tmp/devflow-bench-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir_template;
    chmod(dir_.c_str(), 0755);
    write_accounts(geteuid() == 0);
    const std::string config = dir_ + "/pam_device_flow.conf";
    write_file(config,
               "prompt = \"enter\"\nqr = \"utf8\"\nstate_dir = \"" + dir_ + "/state\"\n[providers.bench]\nissuer = \"" +
                   issuer + "\"\nclient_id = \"bastion\"\n",
               0600);
    confdir_ = dir_ + "/pam.d";
    mkdir(confdir_.c_str(), 0755);
    write_file(confdir_ + "/" + kOurService, "auth required " + module + " config=" + config + "\n", 0644);
    write_file(confdir_ + "/" + kFloorService, "auth required " + floor + "\n", 0644);
    login_environment_ = {"NSS_WRAPPER_PASSWD=" + dir_ + "/passwd", "NSS_WRAPPER_GROUP=" + dir_ + "/group",
                          std::string("LD_PRELOAD=") + kNssWrapper};
}

BenchScratch::~BenchScratch() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

void BenchScratch::write_accounts(bool root) {
    const std::string home = dir_ + "/home";
    mkdir(home.c_str(), 0700);
    const uid_t uid = root ? kBenchId : getuid();
    const gid_t gid = root ? kBenchId : getgid();
    if (root && chown(home.c_str(), uid, gid) != 0) throw std::runtime_error("chown " + home);
    std::string passwd = std::string(kBenchUser) + ":x:" + std::to_string(uid) + ":" + std::to_string(gid) +
                         ":b:" + home + ":/bin/sh\nroot:x:0:0:root:/root:/bin/sh\n";
    std::string group = std::string(kBenchUser) + ":x:" + std::to_string(gid) + ":\nroot:x:0:\n";
    if (root) {
        const struct passwd *helper = getpwnam("_devflow");  // the real one: nss_wrapper is not in this process
        const uid_t helper_uid = helper != nullptr ? helper->pw_uid : kFallbackHelperId;
        const gid_t helper_gid = helper != nullptr ? helper->pw_gid : kFallbackHelperId;
        passwd += "_devflow:x:" + std::to_string(helper_uid) + ":" + std::to_string(helper_gid) +
                  "::/nonexistent:/usr/sbin/nologin\n";
        group += "_devflow:x:" + std::to_string(helper_gid) + ":\n";
        helper_note_ = helper != nullptr ? "the helper runs as _devflow (uid " + std::to_string(helper_uid) + ")"
                                         : "no _devflow account here (tests/helper_account.sh creates it): the "
                                           "helper runs as uid 47100, _devflow to the module through nss_wrapper";
    } else {
        helper_note_ = "NOT ROOT: the helper runs as this user (no account change, no _devflow); CI runs this as root";
    }
    write_file(dir_ + "/passwd", passwd, 0644);
    write_file(dir_ + "/group", group, 0644);
}

}  // namespace devflow::bench
