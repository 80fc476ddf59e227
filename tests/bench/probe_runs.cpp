// SPDX-License-Identifier: Apache-2.0
#include "probe_runs.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <sstream>
#include <stdexcept>

namespace devflow::bench {
namespace {

// argv/envp views of strings that outlive the spawn.
std::vector<char *> c_strings(const std::vector<std::string> &strings) {
    std::vector<char *> pointers;
    for (const auto &text : strings) pointers.push_back(const_cast<char *>(text.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

// stdout goes to `out` (or /dev/null when -1); stdin and stderr are the bench's.
pid_t spawn(const std::string &program, const std::vector<std::string> &arguments,
            const std::vector<std::string> &environment, int out) {
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    std::vector<char *> args = c_strings(argv);
    std::vector<char *> env = c_strings(environment);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (out >= 0) {
        posix_spawn_file_actions_adddup2(&actions, out, 1);
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid = -1;
    const int error = posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw std::runtime_error("cannot start " + program + ": " + std::to_string(error));
    return pid;
}

int exit_status(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

ProbeFigures::ProbeFigures(int status, const std::string &line) : status_(status), line_(line) {
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
        const auto equals = word.find('=');
        if (equals != std::string::npos) values_[word.substr(0, equals)] = word.substr(equals + 1);
    }
}

const std::string &ProbeFigures::text(const std::string &key) const {
    const auto found = values_.find(key);
    if (found == values_.end()) throw std::runtime_error("the probe did not report " + key + ": " + line_);
    return found->second;
}

double ProbeFigures::number(const std::string &key) const { return std::stod(text(key)); }

std::string program_output(const std::string &program, const std::vector<std::string> &arguments,
                           const std::vector<std::string> &environment, int &status) {
    int pipe_ends[2];
    if (pipe2(pipe_ends, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = spawn(program, arguments, environment, pipe_ends[1]);
    close(pipe_ends[1]);
    std::string output;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = read(pipe_ends[0], buffer, sizeof buffer)) > 0 || (got < 0 && errno == EINTR)) {
        if (got > 0) output.append(buffer, static_cast<std::size_t>(got));
    }
    close(pipe_ends[0]);
    status = exit_status(pid);
    return output;
}

ProbeFigures run_probe(const std::string &probe, const std::vector<std::string> &arguments,
                       const std::vector<std::string> &environment) {
    int status = 0;
    const std::string output = program_output(probe, arguments, environment, status);
    return ProbeFigures(status, output.substr(0, output.find('\n')));
}

CrowdResult run_probes_at_once(int count, const std::string &probe, const std::vector<std::string> &arguments,
                               const std::vector<std::string> &environment) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<pid_t> pids;
    for (int i = 0; i < count; ++i) pids.push_back(spawn(probe, arguments, environment, -1));
    CrowdResult result;
    for (const pid_t pid : pids) result.failed += exit_status(pid) != 0;
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace devflow::bench
