// SPDX-License-Identifier: Apache-2.0
#include "scripted_idp_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace devflow::bench {
namespace {

std::string read_line(int fd) {
    std::string line;
    char c = 0;
    while (read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
    return line;
}

void write_all(int fd, const std::string &text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t wrote = write(fd, text.data() + done, text.size() - done);
        if (wrote <= 0) throw std::runtime_error("cannot write to the scripted IdP");
        done += static_cast<std::size_t>(wrote);
    }
}

}  // namespace

ScriptedIdpProcess::ScriptedIdpProcess(const std::string &script, const nlohmann::json &scenario) {
    int out[2];
    int in[2];
    if (pipe(out) != 0 || pipe(in) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
        dup2(out[1], 1);
        dup2(in[0], 0);
        close(out[0]);
        close(in[1]);
        execlp("node", "node", script.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    close(out[1]);
    close(in[0]);
    keep_alive_ = in[1];
    const std::string line = read_line(out[0]);
    close(out[0]);
    const auto started = nlohmann::json::parse(line, nullptr, false);
    if (started.is_discarded() || !started.contains("issuer")) {
        throw std::runtime_error("the scripted IdP did not start (is node installed?)");
    }
    issuer_ = started.at("issuer").get<std::string>();
    port_ = started.at("port").get<int>();
    use_scenario(scenario);
}

ScriptedIdpProcess::~ScriptedIdpProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }
    if (keep_alive_ >= 0) close(keep_alive_);
}

void ScriptedIdpProcess::use_scenario(const nlohmann::json &scenario) { call("POST", "/_scenario", scenario.dump()); }

nlohmann::json ScriptedIdpProcess::stats() { return nlohmann::json::parse(call("GET", "/_stats", "")); }

double ScriptedIdpProcess::cpu_seconds() const {
    std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // After "pid (comm) ": state is field 3, utime 14, stime 15.
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int number = 3; number <= 15 && fields >> field; ++number) {
        if (number >= 14) ticks += std::stod(field);
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// HTTP/1.0 on loopback: the server closes the connection after its answer.
std::string ScriptedIdpProcess::call(const std::string &method, const std::string &path, const std::string &body) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        if (fd >= 0) close(fd);
        throw std::runtime_error("cannot connect to the scripted IdP");
    }
    write_all(fd, method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                      "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    std::string answer;
    char buffer[8192];
    ssize_t got = 0;
    while ((got = read(fd, buffer, sizeof buffer)) > 0) answer.append(buffer, static_cast<std::size_t>(got));
    close(fd);
    const auto body_start = answer.find("\r\n\r\n");
    if (answer.rfind("HTTP/1.1 200", 0) != 0 || body_start == std::string::npos) {
        throw std::runtime_error("the scripted IdP answered " + method + " " + path +
                                 " with: " + answer.substr(0, answer.find('\r')));
    }
    return answer.substr(body_start + 4);
}

}  // namespace devflow::bench
