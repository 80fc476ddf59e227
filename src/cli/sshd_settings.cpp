// SPDX-License-Identifier: Apache-2.0
#include "sshd_settings.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <vector>

namespace devflow::cli {
namespace {

constexpr auto kSshdTimeout = std::chrono::seconds(10);
constexpr std::size_t kMaxSshdOutput = 1024 * 1024;

// Runs `argv` in a clean environment, its stdout and stderr into `output`, until it ends or the
// deadline passes (then it is killed). Returns its wait status, or -1.
int run_collecting(std::vector<std::string> argv, std::string &output) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    std::vector<char *> args;
    for (std::string &arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    pid_t pid = -1;
    // A clean environment: the caller's (LD_PRELOAD, say) is not sshd's.
    char path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
    char *environment[] = {path, nullptr};
    const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environment);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
        close(pipe_fds[0]);
        return -1;
    }
    const auto deadline = std::chrono::steady_clock::now() + kSshdTimeout;
    char buffer[4096];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        pollfd fd{pipe_fds[0], POLLIN, 0};
        if (left <= 0 || poll(&fd, 1, static_cast<int>(left)) <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        const ssize_t got = read(pipe_fds[0], buffer, sizeof(buffer));
        if (got <= 0) break;
        if (output.size() < kMaxSshdOutput) output.append(buffer, static_cast<std::size_t>(got));
    }
    close(pipe_fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return status;
}

}  // namespace

std::optional<std::map<std::string, std::string>> sshd_effective_settings(const std::string &config_file,
                                                                          std::string &why) {
    if (access(kSshdPath, X_OK) != 0) {
        why = std::string(kSshdPath) + " is not installed";
        return std::nullopt;
    }
    std::vector<std::string> argv{kSshdPath, "-T"};
    if (!config_file.empty()) argv.insert(argv.end(), {"-f", config_file});
    std::string output;
    const int status = run_collecting(argv, output);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string first = output.substr(0, output.find('\n'));
        why = "sshd -T failed" + (first.empty() ? std::string() : ": " + first);
        return std::nullopt;
    }
    std::map<std::string, std::string> settings;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        settings.emplace(line.substr(0, space), line.substr(space + 1));
    }
    return settings;
}

std::optional<long> sshd_seconds(const std::string &value) {
    // sshd -T prints LoginGraceTime in seconds.
    if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stol(value);
}

}  // namespace devflow::cli
