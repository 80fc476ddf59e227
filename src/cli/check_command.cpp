// SPDX-License-Identifier: Apache-2.0
// `pam-device-flow check`: the configuration as the module reads it, every
// error at once, the pam.d stacks and sshd settings that would break it, then
// (unless --offline) each provider reached over the network. Prints settings,
// never secrets.
#include "cli.hpp"
#include "pam_stacks.hpp"
#include "sshd_settings.hpp"
#include "terminal_services.hpp"

#include "config/choices.hpp"
#include "config/config.hpp"
#include "config/trusted_files.hpp"
#include "flow/terminal_text.hpp"
#include "login/providers.hpp"
#include "net/curl_transport.hpp"
#include "store/file_descriptor.hpp"
#include "store/safe_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

namespace devflow::cli {
namespace {

// Values come from the configuration and from the IdP (endpoint URLs, failure
// lines): each goes through the terminal sanitizer. Failure lines already hold
// untrusted values quoted (quote_for_log), so nothing is lost there.
void row(const char *name, const std::string &value) {
    std::cout << "  " << std::left << std::setw(17) << name << ' ' << sanitize_for_terminal(value, 4096) << '\n';
}

void print_global(const Config &config) {
    // Not "OK": the providers' files, the pam.d stacks and the IdPs come next.
    std::cout << "config " << config.path << ": syntax, keys and values valid\n";
    row("default_provider", config.default_provider.empty() ? "(none)" : config.default_provider);
    row("qr", std::string(qr_mode_name(config.qr)));
    row("prompt", std::string(prompt_mode_name(config.prompt)));
    row("max_wait", std::to_string(config.max_wait) + " s");
    row("http_timeout", std::to_string(config.http_timeout) + " s");
    row("ca_file", config.ca_file.empty() ? "(system store)" : config.ca_file);
    row("proxy", config.proxy.empty() ? "(none)" : config.proxy);
    row("state_dir", config.state_dir);
    row("reuse_window", std::to_string(config.reuse_window) + " s");
}

// The report's rows, as row() prints them.
class TerminalCheckReport final : public CheckReport {
public:
    void row(const char *name, const std::string &value) override { ::devflow::cli::row(name, value); }
};

bool reach_provider(const ProviderBasics &config, const Provider &provider, HttpTransport &transport, Logger &logger) {
    TerminalCheckReport report;
    try {
        provider.reach(report, transport, logger);
        return true;
    } catch (const Failure &failure) {
        if (failure.outcome() != Outcome::unavailable) throw;
        row("FAILED", failure.what());
        print_error("provider " + config.name + ": " + failure.what());
        return false;
    }
}

// The most errors listed: a file that is not a configuration at all would
// otherwise fill the screen.
constexpr std::size_t kMaxListedErrors = 50;

// sshd must leave the device flow this much beyond max_wait (the helper's start,
// the last poll, the token checks).
constexpr long kSshdGraceMargin = 10;

// What check found beyond the settings: errors make the exit status 1,
// warnings are printed and leave it alone.
struct Findings {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
};

void print_findings(const Findings &findings) {
    for (std::size_t i = 0; i < findings.errors.size() && i < kMaxListedErrors; ++i)
        std::cerr << sanitize_for_terminal(findings.errors[i], 4096) << '\n';
    if (findings.errors.size() > kMaxListedErrors)
        std::cerr << "... and " << findings.errors.size() - kMaxListedErrors << " more errors\n";
    for (const std::string &warning : findings.warnings)
        std::cerr << "warning: " << sanitize_for_terminal(warning, 4096) << '\n';
}

std::string provider_names(const Config &config) {
    std::string names;
    for (const auto &[name, provider] : config.providers) names += (names.empty() ? "\"" : ", \"") + name + "\"";
    return names;
}

// The pam.d stacks that load the module with this file: each must be able to
// choose a provider (provider= naming a configured one, or the file's
// default_provider, or the file's only provider).
void check_pam_stacks(const Config &config, const Options &options, Findings &findings) {
    const std::string directory = options.pam_dir.empty() ? std::string("/etc/pam.d") : options.pam_dir;
    std::vector<PamStackLine> using_this;
    for (const PamStackLine &line : pam_stack_lines(directory, DEVFLOW_DEFAULT_CONFIG)) {
        if (same_file(line.config, config.path)) using_this.push_back(line);
    }
    const bool needs_choice = config.providers.size() > 1 && config.default_provider.empty();
    for (const PamStackLine &line : using_this) {
        const std::string where = line.file + ":" + std::to_string(line.line) + ": ";
        if (!line.provider.empty() && !config.providers.contains(line.provider)) {
            findings.errors.push_back(where + "provider=" + line.provider + " names no provider of " + config.path +
                                      " (configured: " + provider_names(config) + "); every login there fails");
        } else if (line.provider.empty() && needs_choice) {
            findings.errors.push_back(where + "no provider= on this line and " + config.path +
                                      " sets no default_provider for its providers " + provider_names(config) +
                                      ": every login there fails; add provider=NAME to the line or set "
                                      "default_provider in the file");
        }
    }
    if (needs_choice && using_this.empty()) {
        findings.errors.push_back(config.path + ": several providers (" + provider_names(config) +
                                  ") and no default_provider: a pam.d line without provider=NAME fails every "
                                  "login; set default_provider = \"NAME\", or pass provider=NAME on every line "
                                  "(no stack in " +
                                  directory + " uses this file yet)");
    }
}

// The files a login with `provider` reads besides the configuration, with
// the module's own checks (owner, mode, size, no symlink): a refused or
// missing one fails every login. Secret files are the client
// authentication's, which make_provider checks (as root); a missing AWS
// shared credentials file only means another credential source.
void check_provider_files(const Config &config, const ProviderConfig &provider, Findings &findings) {
    const EnvironmentLookup environment(secure_environment);
    const std::string name = basics_of(provider).name;
    for (const TrustedFileUse &use : trusted_files_read_by(config, provider, environment)) {
        if (use.secrecy == FileSecrecy::secret) continue;
        const bool optional = use.path == default_shared_credentials_path(environment);
        try {
            if (use.unchecked) {
                // ca_file: libcurl opens it as it is; it must exist and be readable.
                const FileDescriptor file(::open(use.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
                if (!file.valid()) throw std::runtime_error(errno_text(errno));
                continue;
            }
            if (!read_trusted_file_if_present(use.path, trusted_file_owner(), use.max_bytes, use.secrecy) &&
                !optional) {
                findings.errors.push_back("provider " + name + ": " + use.path + " does not exist");
            }
        } catch (const Failure &refusal) {
            findings.errors.push_back("provider " + name + ": " + refusal.what());
        } catch (const std::runtime_error &error) {
            findings.errors.push_back("provider " + name + ": cannot open " + use.path + ": " + error.what());
        }
    }
}

// sshd's own limits on a keyboard-interactive login (sshd -T), as root.
void check_sshd(const Config &config, const Options &options, Findings &findings) {
    if (!options.sshd_settings || (::geteuid() != 0 && options.sshd_config.empty())) return;
    std::string why;
    const auto settings = sshd_effective_settings(options.sshd_config, why);
    if (!settings) {
        if (!options.sshd_config.empty()) findings.warnings.push_back("sshd settings not compared: " + why);
        return;
    }
    const auto value = [&](const char *key) {
        const auto found = settings->find(key);
        return found == settings->end() ? std::string() : found->second;
    };
    const std::optional<long> grace = sshd_seconds(value("logingracetime"));
    if (grace && *grace > 0 && config.max_wait + kSshdGraceMargin >= *grace) {
        findings.warnings.push_back("sshd's LoginGraceTime is " + std::to_string(*grace) + " s and max_wait is " +
                                    std::to_string(config.max_wait) +
                                    " s: sshd cuts a login off before the device "
                                    "flow ends; set max_wait to at most " +
                                    std::to_string(std::max(*grace - kSshdGraceMargin, 10L)) +
                                    " or raise LoginGraceTime");
    }
    if (value("kbdinteractiveauthentication") == "no") {
        findings.warnings.push_back(
            "sshd has KbdInteractiveAuthentication no: ssh logins never reach the device "
            "flow; set it to yes (docs/admin-guide.md)");
    }
    if (value("usepam") == "no") {
        findings.warnings.push_back("sshd has UsePAM no: sshd never runs the PAM stack; set UsePAM yes");
    }
}

}  // namespace

int run_check(const Options &options) {
    StderrLogger logger(options.debug);
    Findings findings;
    Config config;
    const std::string path = config_path_of(options);
    try {
        ConfigErrors parsed = collect_config_errors(read_config_file(path, ConfigReader::command), path);
        if (!parsed.config) {
            findings.errors = std::move(parsed.errors);
            print_findings(findings);
            std::cerr << "FAILED: " << findings.errors.size() << " error(s) in " << path << '\n';
            return exit_config;
        }
        config = std::move(*parsed.config);
        config.reader = ConfigReader::command;
    } catch (const Failure &failure) {
        print_error(failure.what());
        return failure.outcome() == Outcome::config_error ? exit_config : exit_code_for(failure.outcome());
    }

    std::vector<const ProviderConfig *> chosen;
    std::vector<std::unique_ptr<Provider>> providers;
    try {
        if (!options.provider.empty()) {
            chosen.push_back(&config.provider(options.provider));
        } else {
            for (const auto &entry : config.providers) chosen.push_back(&entry.second);
        }
    } catch (const Failure &failure) {
        print_error(failure.what());
        return exit_config;
    }
    print_global(config);
    TerminalCheckReport report;
    // Each provider on its own: one with an unreadable secret does not hide
    // the next one's problem.
    for (const ProviderConfig *provider : chosen) {
        std::cout << "provider " << basics_of(*provider).name << " (" << basics_of(*provider).type << ")\n";
        try {
            providers.push_back(make_provider(config, *provider));
            providers.back()->report_settings(report);
        } catch (const Failure &failure) {
            if (failure.outcome() != Outcome::config_error) {
                print_error(failure.what());
                return exit_code_for(failure.outcome());
            }
            row("ERROR", failure.what());
            findings.errors.push_back(failure.what());
            providers.push_back(nullptr);
        }
    }
    for (const ProviderConfig *provider : chosen) check_provider_files(config, *provider, findings);
    check_pam_stacks(config, options, findings);
    check_sshd(config, options, findings);
    std::cout.flush();
    print_findings(findings);
    if (!findings.errors.empty()) {
        std::cerr << "FAILED: " << findings.errors.size() << " error(s) in " << path << '\n';
        return exit_config;
    }
    if (options.offline) {
        std::cout << "OK: configuration valid (--offline: no identity provider was contacted)\n";
        return exit_ok;
    }

    CurlTransport transport(transport_settings_for(config));
    bool all_fine = true;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        std::cout << "provider " << basics_of(*chosen[i]).name << ": reaching the identity provider\n";
        all_fine = reach_provider(basics_of(*chosen[i]), *providers[i], transport, logger) && all_fine;
        std::cout.flush();
    }
    std::cout << (all_fine ? "OK: configuration valid, every provider answered correctly\n"
                           : "FAILED: at least one provider is unreachable or answered wrongly\n");
    return all_fine ? exit_ok : exit_unavailable;
}

std::string config_path_of(const Options &options) {
    return options.config_path.empty() ? std::string(DEVFLOW_DEFAULT_CONFIG) : options.config_path;
}

}  // namespace devflow::cli
