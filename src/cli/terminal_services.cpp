// SPDX-License-Identifier: Apache-2.0
#include "terminal_services.hpp"

#include "base/log_text.hpp"
#include "base/text.hpp"
#include "cli.hpp"
#include "flow/terminal_text.hpp"

#include <cerrno>
#include <fcntl.h>
#include <iostream>
#include <unistd.h>

namespace devflow::cli {
namespace {

constexpr std::size_t kMaxAnswer = 4096;

bool write_all(int fd, const std::string &text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// One line from `fd`, byte by byte so nothing after the newline is consumed.
std::optional<std::string> read_line(int fd) {
    std::string line;
    for (;;) {
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return line.empty() ? std::nullopt : std::optional<std::string>(line);
        if (c == '\n') return line;
        if (line.size() < kMaxAnswer) line.push_back(c);
    }
}

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

// Every text goes through sanitize_lines_for_terminal, whatever the core
// already did: the person's terminal is the last place an escape could act.
// Only shown text keeps a color QR code's colors, and only when allowed.
void TerminalConversation::show(const std::string &text) {
    const std::string safe = sanitize_lines_for_terminal(text, colors_);
    std::cout << safe;
    if (safe.empty() || safe.back() != '\n') std::cout << '\n';
    std::cout.flush();
}

void TerminalConversation::show_error(const std::string &text) {
    std::cout.flush();
    std::cerr << sanitize_lines_for_terminal(text) << '\n';
}

std::optional<std::string> TerminalConversation::ask(const std::string &prompt) {
    const std::string safe = sanitize_lines_for_terminal(prompt);
    std::cout.flush();
    Fd tty{::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)};
    if (tty.fd >= 0) {
        if (!write_all(tty.fd, safe)) return std::nullopt;
        return read_line(tty.fd);
    }
    if (!write_all(STDOUT_FILENO, safe)) return std::nullopt;
    return read_line(STDIN_FILENO);
}

void StderrLogger::log(LogLevel level, const std::string &line) {
    const char *label = nullptr;
    switch (level) {
    case LogLevel::error: label = "error: "; break;
    case LogLevel::warning:
        // The root-owned state cache is the module's: a user running the
        // command cannot use it, and that is expected, not worth a warning.
        if (::geteuid() != 0 && line.rfind("running without the state cache", 0) == 0) {
            if (!debug_) return;
            label = "debug: ";
            break;
        }
        label = "warning: ";
        break;
    case LogLevel::notice:
    case LogLevel::info:
    case LogLevel::debug:
        if (!debug_) return;
        label = level == LogLevel::debug ? "debug: " : "";
        break;
    }
    std::cout.flush();
    std::cerr << "pam-device-flow: " << label << escape_log_line(line) << '\n';
}

void CallerOnlyPrivilegeDrop::run_as(const UserAccount &user, const std::function<void()> &work) {
    if (user.uid != ::geteuid()) {
        fail_system("the command acts only as its caller, not as user " + quote_for_log(user.name));
    }
    work();
}

UserAccount caller_account() { return lookup_user_by_uid(::getuid()); }

int exit_code_for(Outcome outcome) noexcept {
    switch (outcome) {
    case Outcome::success: return exit_ok;
    case Outcome::denied:
    case Outcome::refused: return exit_denied;
    case Outcome::unavailable: return exit_unavailable;
    case Outcome::config_error: return exit_config;
    case Outcome::system_error: return exit_system;
    }
    return exit_system;
}

bool print_access_token(const Secret &token, const std::string &source) {
    const std::string &text = token.reveal();
    if (text.empty() || !is_visible_ascii(text)) {
        print_error("the access token in " + source + " is empty or not printable ASCII; not printing it");
        return false;
    }
    std::cout << text << '\n' << std::flush;
    return true;
}

// Lines are built with quote_for_log around every untrusted value;
// escape_log_line catches a value that was not, as the loggers do.
void print_error(const std::string &line) {
    std::cout.flush();
    std::cerr << "pam-device-flow: " << escape_log_line(line) << '\n';
}

}  // namespace devflow::cli
