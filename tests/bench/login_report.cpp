// SPDX-License-Identifier: Apache-2.0
#include "login_report.hpp"

#include "elf_libraries.hpp"

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace devflow::bench {
namespace {

// The targets, and the total CPU per login before the helper process.
constexpr double kTargetLoadMs = 2;
constexpr double kTargetLoadRssKib = 1024;
constexpr int kTargetObjects = 6;
constexpr double kTargetHostCpuMs = 3;
constexpr double kBeforeTotalCpuMs = 34.9;
constexpr double kTargetEnterMs = 20;
constexpr double kTargetCrowdSeconds = 4;

__attribute__((format(printf, 1, 2))) std::string format(const char *pattern, ...) {
    char text[96];
    va_list arguments;
    va_start(arguments, pattern);
    std::vsnprintf(text, sizeof text, pattern, arguments);
    va_end(arguments);
    return text;
}

std::string p50_p90(const Samples &samples, const char *unit, int decimals = 2, double scale = 1) {
    if (samples.empty()) return "-";
    return format("%.*f / %.*f %s", decimals, samples.p50() * scale, decimals, samples.p90() * scale, unit);
}

void row(const std::string &label, const std::string &ours, const std::string &floor) {
    std::printf("  %-46s %-34s %s\n", label.c_str(), ours.c_str(), floor.c_str());
}

void heading(const std::string &text) { std::printf("\n%s\n", text.c_str()); }

std::string join(const std::vector<std::string> &words) {
    std::string text;
    for (const auto &word : words) text += (text.empty() ? "" : " ") + word;
    return text;
}

std::string crowd_text(const CrowdFigures &crowd) {
    return p50_p90(crowd.wall_s, "s") + format(", %d/%d failed", crowd.failed, crowd.logins);
}

std::string cores_text(const CrowdFigures &crowd) {
    return format("%.2f / %.2f / %.2f", crowd.machine_cpu / crowd.wall_total, crowd.logins_cpu / crowd.wall_total,
                  crowd.idp_cpu / crowd.wall_total);
}

void summary_row(const char *figure, const std::string &ours, const std::string &floor, const char *target,
                 const char *met) {
    std::printf("  %-40s %-26s %-20s %-22s %s\n", figure, ours.c_str(), floor.c_str(), target, met);
}

const char *met(bool yes) { return yes ? "yes" : "NO"; }

}  // namespace

void print_machine(const std::string &helper_note) {
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    std::printf("Login benchmark: %ld cores, load average %.2f %.2f %.2f at the start; %s\n",
                sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2], helper_note.c_str());
}

void print_libraries(const std::string &module, const std::string &helper) {
    heading("Libraries the files name (DT_NEEDED)");
    row("pam_device_flow.so (loaded into the host)", join(needed_libraries(module)), "");
    row("pam-device-flow-helper (its own process)", join(needed_libraries(helper)), "");
    const std::vector<std::string> loaded = loaded_libraries(helper);
    std::printf("  the helper's process loads %zu shared objects in all (ld.so included): %s\n", loaded.size(),
                join(loaded).c_str());
}

void print_load(const LoadFigures &ours, const LoadFigures &floor) {
    heading("Module load, a fresh host process per sample (" + std::to_string(kLoadSamples) + " samples), p50 / p90");
    row("", "pam_device_flow.so", "pam_permit.so (floor)");
    row("dlopen(RTLD_NOW) alone", p50_p90(ours.dlopen_ms, "ms"), p50_p90(floor.dlopen_ms, "ms"));
    row("RSS growth by the dlopen", p50_p90(ours.dlopen_rss_kib, "KiB", 0), p50_p90(floor.dlopen_rss_kib, "KiB", 0));
    row("shared objects in the host after it", std::to_string(ours.objects_after), std::to_string(floor.objects_after));
    row("  of which the dlopen added", ours.added, floor.added);
    row("pam_start_confdir + pam_end", p50_p90(ours.pam_start_ms, "ms"), p50_p90(floor.pam_start_ms, "ms"));
    row("RSS growth by pam_start_confdir", p50_p90(ours.pam_start_rss_kib, "KiB", 0),
        p50_p90(floor.pam_start_rss_kib, "KiB", 0));
    std::printf("  (the host links libpam and libc: libpam, libaudit, libcap-ng, libc and ld.so are there before)\n");
}

void print_logins(const LoginFigures &ours, const LoginFigures &floor) {
    heading("Per login, a fresh host process per login as sshd runs them (" + std::to_string(kLoginSamples) +
            " logins; IdP approves at once, interval 1 s; the conversation answers Enter at once), p50 / p90");
    row("", "pam_device_flow.so", "pam_permit.so (floor)");
    row("host CPU, pam_start to pam_end (user+sys)", p50_p90(ours.host_cpu_ms, "ms"), p50_p90(floor.host_cpu_ms, "ms"));
    row("  of which pam_start_confdir (the load)", p50_p90(ours.start_cpu_ms, "ms"), p50_p90(floor.start_cpu_ms, "ms"));
    row("total CPU, the helper included", p50_p90(ours.total_cpu_ms, "ms"), p50_p90(floor.total_cpu_ms, "ms"));
    row("peak RSS of the host process (VmHWM)", p50_p90(ours.peak_rss_kib, "MB", 2, 1.0 / 1024),
        p50_p90(floor.peak_rss_kib, "MB", 2, 1.0 / 1024));
    row("wall, pam_start to pam_end", p50_p90(ours.wall_ms, "ms"), p50_p90(floor.wall_ms, "ms"));
    row("Enter answered -> pam_authenticate returns", p50_p90(ours.enter_ms, "ms"), "-");
    row("token answer sent -> pam_authenticate returns", p50_p90(ours.token_answer_ms, "ms"), "-");
    if (ours.failed + floor.failed > 0) {
        std::printf("  FAILED logins: %d ours, %d floor\n", ours.failed, floor.failed);
    }
    std::printf("  (host processes preload nss_wrapper for the test account, ours and the floor alike)\n");
}

void print_leak(const LeakFigures &leak) {
    heading("Memory over " + std::to_string(kLeakLogins) + " logins in one host process (a per-login leak shows here)");
    row("resident after the first / after the last", leak.after_first_kib + " / " + leak.after_last_kib + " KiB",
        leak.failed + " failed");
}

void print_default_interval(const LoginFigures &logins) {
    heading("Enter (already approved) -> PAM result when the IdP sends no interval (" +
            std::to_string(kDefaultIntervalSamples) + " logins), p50 / p90");
    row("Enter answered -> pam_authenticate returns", p50_p90(logins.enter_ms, "ms"), "");
    std::printf("  (the poll after Enter goes out at once; the interval, 5 s by default, is kept between polls)\n");
}

void print_crowds(const Crowds &crowds) {
    heading("Logins at once, separate host processes as sshd forks them (" + std::to_string(kCrowdRounds) +
            " rounds each; IdP approves at once; Enter at once), wall p50 / p90");
    row("", "interval absent (5 s default)", "interval 1 s");
    for (int i = 0; i < 2; ++i) {
        row(std::to_string(kCrowdSizes[i]) + " at once", crowd_text(crowds.default_interval[i]),
            crowd_text(crowds.one_second[i]));
    }
    std::printf("  cores busy while they ran (of %ld): the machine / the logins (hosts and helpers) / the IdP\n",
                sysconf(_SC_NPROCESSORS_ONLN));
    bool idp_saturated = false;
    for (int i = 0; i < 2; ++i) {
        row(std::to_string(kCrowdSizes[i]) + " at once", cores_text(crowds.default_interval[i]),
            cores_text(crowds.one_second[i]));
        for (const CrowdFigures *crowd : {&crowds.default_interval[i], &crowds.one_second[i]}) {
            idp_saturated = idp_saturated || crowd->idp_cpu / crowd->wall_total >= 0.9;
        }
    }
    std::printf(idp_saturated ? "  the IdP (node, one thread) was SATURATED: it, not the module, set the pace\n"
                              : "  the IdP (node, one thread) was never near one core: it did not set the pace\n");
}

void print_summary(const Summary &s) {
    heading("Summary, in the layout of issue #10's table (p50; this machine; see above for p90)");
    summary_row("figure", "pam_device_flow.so", "floor (pam_permit)", "target", "met");
    const LoadFigures &ours_load = s.ours_load;
    const LoadFigures &floor_load = s.floor_load;
    const LoginFigures &ours = s.ours;
    const LoginFigures &floor = s.floor;
    summary_row("pam_start (module load)", format("%.2f ms", ours_load.pam_start_ms.p50()),
                format("%.2f ms", floor_load.pam_start_ms.p50()), "-", "");
    summary_row("dlopen alone / RSS growth",
                format("%.2f ms / %.2f MB", ours_load.dlopen_ms.p50(), ours_load.dlopen_rss_kib.p50() / 1024),
                format("%.2f ms / %.2f MB", floor_load.dlopen_ms.p50(), floor_load.dlopen_rss_kib.p50() / 1024),
                "<= 2 ms / <= 1 MB",
                met(ours_load.dlopen_ms.p50() <= kTargetLoadMs && ours_load.dlopen_rss_kib.p50() <= kTargetLoadRssKib));
    summary_row("libraries loaded into the host", std::to_string(ours_load.objects_after),
                std::to_string(floor_load.objects_after), "<= 6", met(ours_load.objects_after <= kTargetObjects));
    summary_row("CPU per login, host process", format("%.2f ms", ours.host_cpu_ms.p50()),
                format("%.2f ms", floor.host_cpu_ms.p50()), "<= 3 ms", met(ours.host_cpu_ms.p50() <= kTargetHostCpuMs));
    summary_row("CPU per login, helper included", format("%.2f ms", ours.total_cpu_ms.p50()),
                format("%.2f ms", floor.total_cpu_ms.p50()), "< 34.9 ms (before)",
                met(ours.total_cpu_ms.p50() < kBeforeTotalCpuMs));
    summary_row("peak RSS of the login process",
                format("%.2f MB (+%.2f)", ours.peak_rss_kib.p50() / 1024,
                       (ours.peak_rss_kib.p50() - floor.peak_rss_kib.p50()) / 1024),
                format("%.2f MB", floor.peak_rss_kib.p50() / 1024), "-", "");
    summary_row("Enter (already approved) -> PAM result",
                format("%.0f ms (%.0f ms at 1 s)", s.default_interval.enter_ms.p50(), ours.enter_ms.p50()), "-",
                "<= 20 ms", met(s.default_interval.enter_ms.p50() <= kTargetEnterMs));
    const CrowdFigures(&crowd)[2] = s.crowds.default_interval;
    summary_row("50 / 200 concurrent logins, wall",
                format("%.2f s / %.2f s", crowd[0].wall_s.p50(), crowd[1].wall_s.p50()), "-", "200: <= 4 s, 0 failed",
                met(crowd[1].wall_s.p50() <= kTargetCrowdSeconds && crowd[0].failed + crowd[1].failed == 0));
    const CrowdFigures(&fast)[2] = s.crowds.one_second;
    summary_row("  the same with interval 1 s", format("%.2f s / %.2f s", fast[0].wall_s.p50(), fast[1].wall_s.p50()),
                "-", "", "");
    summary_row("after the token answer -> PAM result", format("%.2f ms", ours.token_answer_ms.p50()), "-", "-", "");
    std::printf(
        "  (Enter and the logins at once: the IdP sends no interval (5 s by default); the poll after Enter\n"
        "   goes out at once either way. \"at 1 s\" and \"interval 1 s\": the IdP sends interval 1)\n");
}

}  // namespace devflow::bench
