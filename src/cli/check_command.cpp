// SPDX-License-Identifier: Apache-2.0
// `pam-device-flow check`: the configuration as the module reads it, then
// each provider reached over the network. Prints settings, never secrets.
#include "cli.hpp"
#include "terminal_services.hpp"

#include "config/choices.hpp"
#include "config/config.hpp"
#include "flow/terminal_text.hpp"
#include "login/providers.hpp"
#include "net/curl_transport.hpp"

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
    std::cout << "config " << config.path << ": OK\n";
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

}  // namespace

int run_check(const Options &options) {
    StderrLogger logger(options.debug);
    Config config;
    std::vector<const ProviderConfig *> chosen;
    std::vector<std::unique_ptr<Provider>> providers;
    try {
        config = load_config(config_path_of(options), {}, ConfigReader::command);
        if (!options.provider.empty()) {
            chosen.push_back(&config.provider(options.provider));
        } else {
            for (const auto &entry : config.providers) chosen.push_back(&entry.second);
        }
        print_global(config);
        TerminalCheckReport report;
        for (const ProviderConfig *provider : chosen) {
            std::cout << "provider " << basics_of(*provider).name << " (" << basics_of(*provider).type << ")\n";
            providers.push_back(make_provider(config, *provider));
            providers.back()->report_settings(report);
        }
    } catch (const Failure &failure) {
        print_error(failure.what());
        return failure.outcome() == Outcome::config_error ? exit_config : exit_code_for(failure.outcome());
    }
    std::cout.flush();

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
