// SPDX-License-Identifier: Apache-2.0
// pam-device-flow: check the configuration, log in, print a fresh token.
// Parses the command line and hands off to one subcommand; see
// docs/man/pam-device-flow.1 for the user-facing contract.
#include "base/log_text.hpp"
#include "cli.hpp"
#include "config/choices.hpp"
#include "terminal_services.hpp"

#include <exception>
#include <iostream>
#include <stdexcept>
#include <string_view>

namespace devflow::cli {
namespace {

constexpr const char *kMainUsage =
    "Usage: pam-device-flow COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  check   validate the configuration and reach each identity provider\n"
    "  login   log in with the device flow as yourself; tokens go to your cache\n"
    "  token   print a fresh access token from your cache (refreshing it)\n"
    "\n"
    "Options for every command:\n"
    "  --config PATH     configuration file (default " DEVFLOW_DEFAULT_CONFIG
    ")\n"
    "  --provider NAME   provider to use (default: the configured default)\n"
    "  --debug           more detail on stderr\n"
    "  --help            help for the command\n"
    "\n"
    "pam-device-flow --version prints the version. See pam-device-flow(1).\n";

constexpr const char *kCheckUsage =
    "Usage: pam-device-flow check [--config PATH] [--provider NAME] [--offline]\n"
    "                             [--pam-dir DIR] [--sshd-config FILE | --no-sshd]\n"
    "                             [--debug]\n"
    "\n"
    "Loads the configuration with the module's checks and lists every error as\n"
    "FILE:LINE:COLUMN: message; checks the files it names (owner, mode); says\n"
    "which pam.d stacks (in DIR, default /etc/pam.d) cannot choose a provider;\n"
    "as root, compares max_wait and keyboard-interactive with `sshd -T`\n"
    "(warnings); prints every provider's settings (never secrets). Then,\n"
    "unless --offline, reaches each provider (or only NAME): OIDC discovery\n"
    "(issuer, device endpoint, auth method) and the JWKS; for aws-sso, that the\n"
    "regional endpoints answer HTTPS.\n"
    "Exit status: 0 all fine (warnings may be printed), 1 configuration error,\n"
    "2 an IdP is unreachable or answers wrongly, 4 local error, 64 usage error.\n";

constexpr const char *kLoginUsage =
    "Usage: pam-device-flow login [--config PATH] [--provider NAME]\n"
    "                             [--qr utf8|utf8-color|ascii|ascii-color|off]\n"
    "                             [--prompt enter|auto] [--debug]\n"
    "\n"
    "Runs the module's device flow as you, outside PAM: shows the code, URL and\n"
    "QR code on stdout, waits for the approval (Enter, or polling with\n"
    "--prompt auto), verifies the result and writes the tokens to\n"
    "~/.cache/pam_device_flow/PROVIDER.json (aws-sso providers: to the AWS\n"
    "CLI's cache, ~/.aws/sso/cache/).\n"
    "Exit status: 0 logged in, 1 configuration error, 2 IdP unavailable,\n"
    "3 not approved (denied, expired, cancelled, another identity), 4 local\n"
    "error, 64 usage error.\n";

constexpr const char *kTokenUsage =
    "Usage: pam-device-flow token [--config PATH] [--provider NAME] [--debug]\n"
    "\n"
    "Prints the access token from ~/.cache/pam_device_flow/PROVIDER.json (for\n"
    "an aws-sso provider: from the AWS CLI's ~/.aws/sso/cache/SHA1.json) on\n"
    "stdout. When it expires within 60 seconds it is first renewed with the\n"
    "cached refresh token and the cache is rewritten.\n"
    "Exit status: 0 token printed, 1 configuration error, 2 IdP unavailable,\n"
    "3 no usable cache or refresh refused (log in again), 4 local error,\n"
    "64 usage error.\n";

struct Command {
    const char *name;
    const char *usage;
    int (*run)(const Options &);
    bool takes_login_options;
    bool takes_check_options = false;
};

constexpr Command kCommands[] = {
    {"check", kCheckUsage, run_check, false, true},
    {"login", kLoginUsage, run_login, true},
    {"token", kTokenUsage, run_token, false},
};

int usage_error(const std::string &message, const char *usage) {
    print_error(message);
    std::cerr << usage;
    return exit_usage;
}

// Accepts "--name value" and "--name=value". Returns false when `arg` is not
// this option; throws std::invalid_argument when its value is missing.
bool take_value(std::string_view arg, std::string_view name, int &index, int argc, char **argv, std::string &value) {
    if (arg == name) {
        if (index + 1 >= argc) throw std::invalid_argument(std::string(name) + " needs a value");
        value = argv[++index];
        return true;
    }
    if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
        value = std::string(arg.substr(name.size() + 1));
        return true;
    }
    return false;
}

int run_command(const Command &command, int argc, char **argv) {
    Options options;
    try {
        for (int i = 2; i < argc; ++i) {
            const std::string_view arg = argv[i];
            std::string value;
            if (arg == "--help" || arg == "-h") {
                std::cout << command.usage;
                return exit_ok;
            } else if (arg == "--debug") {
                options.debug = true;
            } else if (take_value(arg, "--config", i, argc, argv, value)) {
                if (value.empty()) throw std::invalid_argument("--config needs a path");
                options.config_path = value;
            } else if (take_value(arg, "--provider", i, argc, argv, value)) {
                if (value.empty()) throw std::invalid_argument("--provider needs a name");
                options.provider = value;
            } else if (command.takes_check_options && arg == "--offline") {
                options.offline = true;
            } else if (command.takes_check_options && arg == "--no-sshd") {
                options.sshd_settings = false;
            } else if (command.takes_check_options && take_value(arg, "--pam-dir", i, argc, argv, value)) {
                if (value.empty()) throw std::invalid_argument("--pam-dir needs a directory");
                options.pam_dir = value;
            } else if (command.takes_check_options && take_value(arg, "--sshd-config", i, argc, argv, value)) {
                if (value.empty()) throw std::invalid_argument("--sshd-config needs a path");
                options.sshd_config = value;
            } else if (command.takes_login_options && take_value(arg, "--qr", i, argc, argv, value)) {
                if (!qr_mode_from(value)) {
                    throw std::invalid_argument("--qr must be utf8, utf8-color, ascii, ascii-color or off, not " +
                                                quote_for_log(value));
                }
                options.qr = value;
            } else if (command.takes_login_options && take_value(arg, "--prompt", i, argc, argv, value)) {
                if (value != "enter" && value != "auto") {
                    throw std::invalid_argument("--prompt must be enter or auto, not " + quote_for_log(value));
                }
                options.prompt = value;
            } else {
                throw std::invalid_argument(std::string(command.name) + ": unknown argument " + quote_for_log(arg));
            }
        }
    } catch (const std::invalid_argument &error) {
        return usage_error(error.what(), command.usage);
    }
    return command.run(options);
}

int run_main(int argc, char **argv) {
    if (argc < 2) return usage_error("a command is required", kMainUsage);
    const std::string_view first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        std::cout << kMainUsage;
        return exit_ok;
    }
    if (first == "--version") {
        std::cout << "pam-device-flow " DEVFLOW_VERSION "\n";
        return exit_ok;
    }
    for (const Command &command : kCommands) {
        if (first == command.name) return run_command(command, argc, argv);
    }
    return usage_error("unknown command " + quote_for_log(first), kMainUsage);
}

}  // namespace
}  // namespace devflow::cli

int main(int argc, char **argv) {
    try {
        return devflow::cli::run_main(argc, argv);
    } catch (const devflow::Failure &failure) {
        devflow::cli::print_error(failure.what());
        return devflow::cli::exit_code_for(failure.outcome());
    } catch (const std::exception &error) {
        devflow::cli::print_error(std::string("internal error: ") + error.what());
        return devflow::cli::exit_system;
    }
}
