// SPDX-License-Identifier: Apache-2.0
// Whole logins through real libpam for the design with a login helper
// process (issue #10), against the scripted IdP on 127.0.0.1. Every sample is
// a fresh pam_host_probe process (a C host linked with libpam and libc only,
// as sshd's per-connection process is), for our module and for pam_permit.so
// as the floor: module load (dlopen alone and pam_start), CPU and peak memory
// per login (the helper's CPU too), Enter → PAM result, the token answer → PAM
// result, and 50 and 200 logins at once. Ends with the table and its
// targets. Prints figures; asserts nothing.
//   cmake --build build --target bench
#include "bench_scratch.hpp"
#include "login_figures.hpp"
#include "login_report.hpp"
#include "probe_runs.hpp"
#include "scripted_idp_process.hpp"

#include <security/pam_appl.h>

#include <nlohmann/json.hpp>

#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace devflow::bench {
namespace {

// pam_permit.so next to the libpam this program uses.
std::string floor_module_path() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&pam_start), &info) == 0 || info.dli_fname == nullptr) {
        throw std::runtime_error("cannot locate libpam");
    }
    const std::filesystem::path library = std::filesystem::canonical(info.dli_fname);
    return (library.parent_path() / "security" / "pam_permit.so").string();
}

nlohmann::json scenario(std::optional<int> interval) {
    nlohmann::json scenario{{"client_id", "bastion"},
                            {"expires_in", 120},
                            {"polls", nlohmann::json::array()},
                            {"final", "success"},
                            {"claims", {{"preferred_username", kBenchUser}}}};
    if (interval) scenario["interval"] = *interval;
    return scenario;
}

LoadFigures measure_load(const std::string &probe, const std::string &module, const BenchScratch &scratch,
                         const char *service) {
    LoadFigures load;
    run_probe(probe, {"dlopen", module}, {});  // warm the page cache
    for (int i = 0; i < kLoadSamples; ++i) {
        const ProbeFigures sample = run_probe(probe, {"dlopen", module}, {});
        if (!sample.ok()) throw std::runtime_error("dlopen " + module + " failed: " + sample.line());
        load.dlopen_ms.add(sample.number("dlopen_ms"));
        load.dlopen_rss_kib.add(sample.number("rss_growth_kib"));
        load.added = sample.text("added");
        load.objects_after = static_cast<int>(sample.number("objects_after"));
    }
    run_probe(probe, {"pam_start", service, scratch.confdir()}, {});
    for (int i = 0; i < kLoadSamples; ++i) {
        const ProbeFigures sample = run_probe(probe, {"pam_start", service, scratch.confdir()}, {});
        if (!sample.ok()) throw std::runtime_error(std::string("pam_start ") + service + " failed: " + sample.line());
        load.pam_start_ms.add(sample.number("pam_start_end_ms"));
        load.pam_start_rss_kib.add(sample.number("rss_growth_kib"));
    }
    return load;
}

// When the IdP handed its last successful token answer to the OS.
std::optional<double> last_token_answer(ScriptedIdpProcess &idp) {
    std::optional<double> sent;
    const nlohmann::json stats = idp.stats();  // not in the for: its temporary would end before the loop
    for (const auto &entry : stats.at("token")) {
        if (entry.at("answer") == "success" && entry.at("sent_mono_ms").is_number()) {
            sent = entry.at("sent_mono_ms").get<double>();
        }
    }
    return sent;
}

LoginFigures measure_logins(const std::string &probe, const BenchScratch &scratch, const char *service, int count,
                            ScriptedIdpProcess *idp) {
    LoginFigures logins;
    const std::vector<std::string> arguments{"login", service, scratch.confdir(), kBenchUser};
    run_probe(probe, arguments, scratch.login_environment());  // warm the state cache and the page cache
    for (int i = 0; i < count; ++i) {
        const ProbeFigures sample = run_probe(probe, arguments, scratch.login_environment());
        if (!sample.ok()) {
            ++logins.failed;
            std::printf("  a login failed: %s\n", sample.line().c_str());
            continue;
        }
        const double host = sample.number("host_cpu_ms");
        logins.host_cpu_ms.add(host);
        logins.start_cpu_ms.add(sample.number("start_cpu_ms"));
        logins.total_cpu_ms.add(host + sample.number("children_cpu_ms"));
        logins.peak_rss_kib.add(sample.number("peak_rss_kib"));
        logins.wall_ms.add(sample.number("wall_ms"));
        if (sample.has("enter_to_result_ms")) logins.enter_ms.add(sample.number("enter_to_result_ms"));
        if (idp == nullptr) continue;
        if (const auto sent = last_token_answer(*idp)) {
            logins.token_answer_ms.add(sample.number("result_mono_ms") - *sent);
        }
    }
    return logins;
}

// Busy CPU seconds of the whole machine (/proc/stat: all but idle and iowait).
double machine_cpu_seconds() {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    double busy = 0;
    double ticks = 0;
    stat >> cpu;
    for (int field = 0; field < 8 && stat >> ticks; ++field) {
        if (field != 3 && field != 4) busy += ticks;  // user nice system idle iowait irq softirq steal
    }
    return busy / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double children_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

CrowdFigures measure_crowd(const std::string &probe, const BenchScratch &scratch, ScriptedIdpProcess &idp, int size) {
    CrowdFigures crowd;
    const std::vector<std::string> arguments{"login", kOurService, scratch.confdir(), kBenchUser};
    for (int round = 0; round < kCrowdRounds; ++round) {
        const double idp_before = idp.cpu_seconds();
        const double logins_before = children_cpu_seconds();
        const double machine_before = machine_cpu_seconds();
        const CrowdResult result = run_probes_at_once(size, probe, arguments, scratch.login_environment());
        crowd.wall_s.add(result.wall_seconds);
        crowd.logins += size;
        crowd.failed += result.failed;
        crowd.wall_total += result.wall_seconds;
        crowd.idp_cpu += idp.cpu_seconds() - idp_before;
        crowd.logins_cpu += children_cpu_seconds() - logins_before;
        crowd.machine_cpu += machine_cpu_seconds() - machine_before;
    }
    return crowd;
}

Crowds measure_crowds(const std::string &probe, const BenchScratch &scratch, ScriptedIdpProcess &idp) {
    Crowds crowds;
    idp.use_scenario(scenario(std::nullopt));
    for (int i = 0; i < 2; ++i) crowds.default_interval[i] = measure_crowd(probe, scratch, idp, kCrowdSizes[i]);
    idp.use_scenario(scenario(1));
    for (int i = 0; i < 2; ++i) crowds.one_second[i] = measure_crowd(probe, scratch, idp, kCrowdSizes[i]);
    return crowds;
}

LeakFigures measure_leak(const std::string &probe, const BenchScratch &scratch) {
    const ProbeFigures leak =
        run_probe(probe, {"logins", kOurService, scratch.confdir(), kBenchUser, std::to_string(kLeakLogins)},
                  scratch.login_environment());
    return {leak.text("rss_after_first_kib"), leak.text("rss_after_last_kib"), leak.text("failed")};
}

int run() {
    const std::string probe = DEVFLOW_PROBE_PATH;
    const std::string module = DEVFLOW_MODULE_PATH;
    const std::string floor = floor_module_path();
    if (access(kNssWrapper, R_OK) != 0) {
        std::printf("bench_login: %s is missing (tests/install_deps.sh installs it); no logins measured\n",
                    kNssWrapper);
        return 1;
    }
    ScriptedIdpProcess idp(DEVFLOW_FIXTURES "/scripted_idp.js", scenario(1));
    const BenchScratch scratch(idp.issuer(), module, floor);
    print_machine(scratch.helper_note());
    print_libraries(module, DEVFLOW_HELPER_PATH);

    const LoadFigures ours_load = measure_load(probe, module, scratch, kOurService);
    const LoadFigures floor_load = measure_load(probe, floor, scratch, kFloorService);
    print_load(ours_load, floor_load);

    const LoginFigures ours = measure_logins(probe, scratch, kOurService, kLoginSamples, &idp);
    const LoginFigures floor_logins = measure_logins(probe, scratch, kFloorService, kLoginSamples, nullptr);
    print_logins(ours, floor_logins);
    print_leak(measure_leak(probe, scratch));

    idp.use_scenario(scenario(std::nullopt));
    const LoginFigures default_interval = measure_logins(probe, scratch, kOurService, kDefaultIntervalSamples, &idp);
    print_default_interval(default_interval);

    const Crowds crowds = measure_crowds(probe, scratch, idp);
    print_crowds(crowds);
    print_summary({ours_load, floor_load, ours, floor_logins, default_interval, crowds});
    return 0;
}

}  // namespace
}  // namespace devflow::bench

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // in order with the IdP's lines on stderr
    try {
        return devflow::bench::run();
    } catch (const std::exception &error) {
        std::printf("bench_login: %s\n", error.what());
        return 1;
    }
}
