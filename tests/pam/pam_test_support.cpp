// SPDX-License-Identifier: Apache-2.0
#include "pam_test_support.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char **environ;

namespace devflow::pamtest {
namespace {

std::vector<char *> as_argv(const std::vector<std::string> &command) {
    std::vector<char *> argv;
    for (const auto &part : command) argv.push_back(const_cast<char *>(part.c_str()));
    argv.push_back(nullptr);
    return argv;
}

// The child must not inherit pam_wrapper/nss_wrapper.
[[noreturn]] void exec_clean(const std::vector<std::string> &command) {
    unsetenv("LD_PRELOAD");
    unsetenv("PAM_WRAPPER");
    unsetenv("NSS_WRAPPER_PASSWD");
    unsetenv("NSS_WRAPPER_GROUP");
    std::vector<char *> argv = as_argv(command);
    execv(argv[0], argv.data());
    std::fprintf(stderr, "exec %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
}

}  // namespace

FixtureServer::FixtureServer(const std::vector<std::string> &command) {
    int out_pipe[2];
    int in_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(in_pipe) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(in_pipe[0], STDIN_FILENO);
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(in_pipe[0]);
        close(in_pipe[1]);
        exec_clean(command);
    }
    close(out_pipe[1]);
    close(in_pipe[0]);
    stdin_fd_ = in_pipe[1];
    fcntl(stdin_fd_, F_SETFD, FD_CLOEXEC);
    std::string line;
    char c;
    while (read(out_pipe[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    close(out_pipe[0]);
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object() || !json.contains("issuer") || !json.contains("port")) {
        throw std::runtime_error("fixture did not start: " + command.back() + " said \"" + line + "\"");
    }
    issuer_ = json["issuer"].get<std::string>();
    port_ = json["port"].get<int>();
}

FixtureServer::~FixtureServer() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        close(stdin_fd_);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
}

pid_t start_command(const std::vector<std::string> &command) {
    pid_t pid = fork();
    if (pid == 0) exec_clean(command);
    return pid;
}

int wait_command(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_command(const std::vector<std::string> &command, std::string *output) {
    int out_pipe[2];
    if (pipe(out_pipe) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        close(out_pipe[0]);
        close(out_pipe[1]);
        exec_clean(command);
    }
    close(out_pipe[1]);
    std::string text;
    char buffer[4096];
    ssize_t got;
    while ((got = read(out_pipe[0], buffer, sizeof(buffer))) > 0) text.append(buffer, static_cast<std::size_t>(got));
    close(out_pipe[0]);
    if (output != nullptr) *output = text;
    return wait_command(pid);
}

std::string make_scratch_dir() {
    char pattern[] = "/tmp/devflow-pamtest-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    chmod(pattern, 0755);  // test accounts must reach their homes below it
    return pattern;
}

void remove_tree(const std::string &path) {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

void write_text(const std::string &path, const std::string &content, mode_t mode) {
    unlink(path.c_str());
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("cannot create " + path);
    if (write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
        close(fd);
        throw std::runtime_error("cannot write " + path);
    }
    fchmod(fd, mode);
    close(fd);
}

std::string read_text(const std::string &path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<TestAccount> install_test_accounts(const std::string &scratch, const std::vector<std::string> &names) {
    const bool root = geteuid() == 0;
    std::vector<TestAccount> accounts;
    std::string passwd;
    std::string group;
    uid_t next = 47101;
    for (const auto &name : names) {
        TestAccount account{name, root ? next : getuid(), root ? next : getgid(), scratch + "/home/" + name};
        ++next;
        std::filesystem::create_directories(account.home);
        chmod(account.home.c_str(), 0700);
        if (root && chown(account.home.c_str(), account.uid, account.gid) != 0) {
            throw std::runtime_error("chown " + account.home);
        }
        passwd += name + ":x:" + std::to_string(account.uid) + ":" + std::to_string(account.gid) + ":" + name + ":" +
                  account.home + ":/bin/sh\n";
        group += name + ":x:" + std::to_string(account.gid) + ":\n";
        accounts.push_back(account);
    }
    // Root and the caller must resolve too (pam_modutil helpers look them up),
    // and as root the login helper's account (monitor/helper_account.hpp).
    passwd += "root:x:0:0:root:/root:/bin/sh\n";
    group += "root:x:0:\n";
    if (root) {
        passwd += "_devflow:x:47100:47100:pam_device_flow helper:/nonexistent:/usr/sbin/nologin\n";
        group += "_devflow:x:47100:\n";
    }
    if (!root) {
        passwd += "tester:x:" + std::to_string(getuid()) + ":" + std::to_string(getgid()) + ":tester:/tmp:/bin/sh\n";
    }
    write_text(scratch + "/passwd", passwd, 0644);
    write_text(scratch + "/group", group, 0644);
    setenv("NSS_WRAPPER_PASSWD", (scratch + "/passwd").c_str(), 1);
    setenv("NSS_WRAPPER_GROUP", (scratch + "/group").c_str(), 1);
    return accounts;
}

int authenticate_with_items(const std::string &service, const std::string &user, const pam_conv &conversation,
                            const std::vector<std::pair<int, std::string>> &items) {
    pam_handle_t *pamh = nullptr;
    int status = pam_start(service.c_str(), user.c_str(), &conversation, &pamh);
    if (status != PAM_SUCCESS) throw std::runtime_error("pam_start(" + service + ") failed: " + std::to_string(status));
    for (const auto &[type, value] : items) {
        status = pam_set_item(pamh, type, value.c_str());
        if (status != PAM_SUCCESS) {
            pam_end(pamh, status);
            throw std::runtime_error("pam_set_item(" + std::to_string(type) + ") failed: " + std::to_string(status));
        }
    }
    status = pam_authenticate(pamh, 0);
    pam_end(pamh, status);
    return status;
}

}  // namespace devflow::pamtest
