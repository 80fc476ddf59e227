// SPDX-License-Identifier: Apache-2.0
// `pam-device-flow login`: the module's whole login (authenticate()), run as
// the caller at a terminal, so the tokens land in the caller's own cache.
#include "cli.hpp"
#include "terminal_services.hpp"

#include "flow/qr_code.hpp"
#include "login/authenticator.hpp"
#include "login/providers.hpp"

#include <array>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace devflow::cli {
namespace {

std::string host_name() {
    std::array<char, 256> buffer{};
    if (::gethostname(buffer.data(), buffer.size() - 1) != 0) return "this host";
    return buffer.data();
}

// authenticate() only warns when the cache cannot be written (a PAM login must
// not fail for that); for this command the cache is the point, so look.
bool written_since(const std::string &path, std::time_t start) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_mtime >= start;
}

}  // namespace

int run_login(const Options &options) {
    LoginRequest request;
    request.config_path = config_path_of(options);
    if (options.qr) request.overrides.qr = parse_qr_mode(*options.qr);
    if (options.prompt) request.overrides.prompt = parse_prompt_mode(*options.prompt);
    request.provider_name = options.provider;
    request.service = "pam-device-flow";
    // A reused approval would leave the cache as it is: this command's point
    // is fresh tokens, so every run asks the IdP and records nothing.
    request.reuse_approvals = false;
    request.local_host = host_name();

    // Config errors first, and the provider's name for the cache path.
    const Config config = load_config(request.config_path, request.overrides, ConfigReader::command);
    const ProviderConfig &provider = config.provider(options.provider);
    const UserAccount caller = caller_account();
    request.user = caller.name;
    request.provider_name = basics_of(provider).name;

    SystemClock clock;
    TerminalConversation conversation;
    if (qr_mode_uses_colors(config.qr)) conversation.allow_qr_colors();
    StderrLogger logger(options.debug);
    CallerOnlyPrivilegeDrop privileges;
    LoginServices services{clock, conversation, logger, privileges, {}, {}};
    const std::time_t start = std::time(nullptr);

    LoginResult result = authenticate(request, services);
    if (result.outcome != Outcome::success) {
        if (!result.user_message.empty()) conversation.show_error(result.user_message);
        print_error("login failed: " + result.log_line);
        return exit_code_for(result.outcome);
    }
    logger.info(result.log_line);
    const std::string cache = make_provider(config, provider)->user_cache_path(caller);
    if (!written_since(cache, start)) {
        print_error("logged in, but the token cache " + cache + " was not written (see the warning above)");
        return exit_system;
    }
    std::cout << "Logged in as " << caller.name << " with provider " << basics_of(provider).name
              << "; tokens written to " << cache << '\n';
    return exit_ok;
}

}  // namespace devflow::cli
