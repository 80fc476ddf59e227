// SPDX-License-Identifier: Apache-2.0
// What bench_login measures, sample by sample: the module load, one login,
// and logins at once. Filled by bench_login.cpp, printed by login_report.
#pragma once

#include "samples.hpp"

#include <string>

namespace devflow::bench {

inline constexpr int kLoadSamples = 30;            // fresh processes per load figure
inline constexpr int kLoginSamples = 20;           // logins per module, interval 1 s
inline constexpr int kDefaultIntervalSamples = 5;  // logins when the IdP sends no interval (5 s)
inline constexpr int kLeakLogins = 10;             // logins in one process
inline constexpr int kCrowdRounds = 3;             // rounds of each crowd
inline constexpr int kCrowdSizes[2] = {50, 200};   // logins at once

struct LoadFigures {
    Samples dlopen_ms;
    Samples dlopen_rss_kib;
    Samples pam_start_ms;  // pam_start_confdir + pam_end
    Samples pam_start_rss_kib;
    std::string added;  // the shared objects the dlopen brought, comma-separated
    int objects_after = 0;
};

struct LoginFigures {
    Samples host_cpu_ms;   // user+sys of the host, pam_start_confdir to pam_end
    Samples start_cpu_ms;  // of which pam_start_confdir (loading the stack)
    Samples total_cpu_ms;  // host + helper (the module reaps it)
    Samples peak_rss_kib;  // VmHWM of the host
    Samples wall_ms;
    Samples enter_ms;         // Enter answered → pam_authenticate returned
    Samples token_answer_ms;  // the IdP's token answer went out → pam_authenticate returned
    int failed = 0;
};

struct CrowdFigures {
    Samples wall_s;  // from the first start to the last exit, one sample per round
    int logins = 0;
    int failed = 0;
    // CPU seconds over all rounds; divided by the rounds' wall time: cores busy.
    double wall_total = 0;
    double idp_cpu = 0;      // the scripted IdP (node: one thread does the work)
    double logins_cpu = 0;   // the host processes and their helpers
    double machine_cpu = 0;  // everything on the machine, other work included
};

struct Crowds {
    CrowdFigures default_interval[2];  // kCrowdSizes at once; the IdP sends no interval (5 s)
    CrowdFigures one_second[2];        // the same with interval 1 s
};

struct LeakFigures {
    std::string after_first_kib;
    std::string after_last_kib;
    std::string failed;
};

}  // namespace devflow::bench
