// Whole logins through real libpam (pam_start_confdir: a private service
// directory, no pam_wrapper) against the scripted IdP on 127.0.0.1: wall time
// and the module's CPU time per login, memory growth over many logins in one
// process (a leak shows here), and parallel logins in separate processes as
// sshd runs them. Prints figures; asserts nothing.
//   cmake --build build --target bench
#include <security/pam_appl.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern "C" int pam_start_confdir(const char *service, const char *user, const struct pam_conv *conv,
                                 const char *confdir, pam_handle_t **pamh);

namespace {

using Clock = std::chrono::steady_clock;

extern "C" int silent_conversation(int count, const pam_message **messages, pam_response **responses, void *) {
    auto *replies = static_cast<pam_response *>(calloc(static_cast<std::size_t>(count), sizeof(pam_response)));
    if (replies == nullptr) return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        if (messages[i]->msg_style == PAM_PROMPT_ECHO_ON) replies[i].resp = strdup("");
    }
    *responses = replies;
    return PAM_SUCCESS;
}

int login_once(const std::string &confdir, const std::string &user) {
    pam_conv conversation{silent_conversation, nullptr};
    pam_handle_t *pamh = nullptr;
    int status = pam_start_confdir("devflow-bench", user.c_str(), &conversation, confdir.c_str(), &pamh);
    if (status != PAM_SUCCESS) return status;
    status = pam_authenticate(pamh, 0);
    pam_end(pamh, status);
    return status;
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    }
    return -1;
}

struct Idp {
    pid_t pid = -1;
    std::string issuer;
};

Idp start_idp(const std::string &scenario_path) {
    int out[2];
    int in[2];
    if (pipe(out) != 0 || pipe(in) != 0) std::exit(1);
    Idp idp;
    idp.pid = fork();
    if (idp.pid == 0) {
        dup2(out[1], 1);
        dup2(in[0], 0);
        unsetenv("LD_PRELOAD");
        execlp("node", "node", DEVFLOW_FIXTURES "/scripted_idp.js", "--scenario", scenario_path.c_str(),
               static_cast<char *>(nullptr));
        _exit(127);
    }
    close(out[1]);
    close(in[0]);  // in[1] stays open: the fake exits when we do
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    idp.issuer = nlohmann::json::parse(line).at("issuer").get<std::string>();
    return idp;
}

void write_file(const std::string &path, const std::string &text, mode_t mode) {
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
}

}  // namespace

int main(int argc, char **argv) {
    // Logins need an account whose home we own: nss_wrapper provides one
    // without touching /etc. Re-run ourselves with it preloaded.
    const char *preload = "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so";
    if (std::getenv("DEVFLOW_BENCH_CHILD") == nullptr) {
        char dir_template[] = "/tmp/devflow-bench-XXXXXX";
        std::string dir = mkdtemp(dir_template);
        chmod(dir.c_str(), 0755);
        const std::string home = dir + "/home";
        mkdir(home.c_str(), 0700);
        const uid_t uid = getuid();
        write_file(dir + "/passwd",
                   "bench:x:" + std::to_string(uid) + ":" + std::to_string(getgid()) + ":b:" + home +
                       ":/bin/sh\nroot:x:0:0:root:/root:/bin/sh\n",
                   0644);
        write_file(dir + "/group", "bench:x:" + std::to_string(getgid()) + ":\nroot:x:0:\n", 0644);
        setenv("NSS_WRAPPER_PASSWD", (dir + "/passwd").c_str(), 1);
        setenv("NSS_WRAPPER_GROUP", (dir + "/group").c_str(), 1);
        setenv("LD_PRELOAD", preload, 1);
        setenv("DEVFLOW_BENCH_CHILD", dir.c_str(), 1);
        pid_t child = fork();
        if (child == 0) {
            execv("/proc/self/exe", argv);
            _exit(127);
        }
        int status = 0;
        waitpid(child, &status, 0);
        std::filesystem::remove_all(dir);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    (void)argc;
    const std::string dir = std::getenv("DEVFLOW_BENCH_CHILD");

    write_file(dir + "/scenario.json",
               nlohmann::json{{"client_id", "bastion"},
                              {"interval", 1},
                              {"expires_in", 60},
                              {"polls", nlohmann::json::array()},
                              {"final", "success"},
                              {"claims", {{"preferred_username", "bench"}}}}
                   .dump(),
               0644);
    Idp idp = start_idp(dir + "/scenario.json");
    write_file(dir + "/pam_device_flow.conf",
               "prompt = \"auto\"\nqr = \"utf8\"\nstate_dir = \"" + dir +
                   "/state\"\n[providers.bench]\n"
                   "issuer = \"" +
                   idp.issuer + "\"\nclient_id = \"bastion\"\n",
               0600);
    const std::string confdir = dir + "/pam.d";
    mkdir(confdir.c_str(), 0755);
    write_file(confdir + "/devflow-bench",
               "auth required " DEVFLOW_MODULE_PATH " config=" + dir + "/pam_device_flow.conf\n", 0644);

    std::printf("Logins through real libpam against the scripted IdP (interval 1 s: one poll per login)\n");
    const int rounds = 10;
    long rss_after_first = 0;
    const double cpu_start = cpu_seconds();
    const auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) {
        int status = login_once(confdir, "bench");
        if (status != PAM_SUCCESS) {
            std::printf("login %d failed: %d\n", i, status);
            return 1;
        }
        if (i == 0) rss_after_first = resident_kib();
    }
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = cpu_seconds() - cpu_start;
    std::printf("%-40s %8.3f s\n", "wall time per login (1 s is the poll)", wall / rounds);
    std::printf("%-40s %8.2f ms\n", "module CPU time per login", cpu * 1000 / rounds);
    std::printf("%-40s %8ld KiB\n", "resident after 1 login", rss_after_first);
    std::printf("%-40s %8ld KiB\n", "resident after 10 logins", resident_kib());

    const int parallel = 8;
    const auto parallel_start = Clock::now();
    std::vector<pid_t> children;
    for (int i = 0; i < parallel; ++i) {
        pid_t child = fork();
        if (child == 0) _exit(login_once(confdir, "bench") == PAM_SUCCESS ? 0 : 1);
        children.push_back(child);
    }
    int failed = 0;
    for (pid_t child : children) {
        int status = 0;
        waitpid(child, &status, 0);
        failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    std::printf("%-40s %8.3f s (%d failed)\n", "8 parallel logins (processes), wall",
                std::chrono::duration<double>(Clock::now() - parallel_start).count(), failed);
    kill(idp.pid, SIGTERM);
    waitpid(idp.pid, nullptr, 0);
    return failed == 0 ? 0 : 1;
}
