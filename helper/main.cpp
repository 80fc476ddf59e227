// SPDX-License-Identifier: Apache-2.0
// pam-device-flow-helper: the untrusted stage of one login, started by the
// PAM module (monitor/helper_process.cpp) as its own unprivileged account,
// with the channel to the module on fd 3 and nothing else. It reads the
// start message, takes the configuration and root's files from it (it
// cannot read them itself), confines itself, and runs the provider's login:
// all network work, TLS, JSON and JWT parsing, signatures, the QR code.
// It confines itself (helper/sandbox.hpp) before its first network request. The
// privileged steps, the conversation and the log are the module's, asked for
// over the channel. Its last message is the result; then it exits.
#include "base/clock.hpp"
#include "base/secret.hpp"
#include "config/config.hpp"
#include "config/login_request.hpp"
#include "config/trusted_files.hpp"
#include "helper/module_channel.hpp"
#include "helper/sandbox.hpp"
#include "login/authenticator.hpp"
#include "store/handed_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>

namespace devflow {
namespace {

constexpr int kChannel = 3;

// The helper never acts as the user: the module writes the user's caches.
class NoPrivilegeDrop final : public PrivilegeDrop {
public:
    void run_as(const UserAccount &, const std::function<void()> &) override {
        fail_system("the login helper does not act as users");
    }
};

LoginRequest request_of(const StartMessage &start) {
    LoginRequest request;
    request.config_path = start.config_path;
    request.overrides = start.overrides;
    request.provider_name = start.provider_name;
    request.user = start.user.name;
    request.service = start.service;
    request.remote_host = start.remote_host;
    request.local_host = start.local_host;
    request.reuse_approvals = start.reuse_approvals;
    return request;
}

// The sandbox goes up once the configuration is read (it names the state
// directory) and before the first network request. Sanitizer builds, which
// only the tests make, run unconfined: their runtimes make calls the filter
// kills on purpose (tests/helper/CMakeLists.txt).
void confine(const Config &config, Logger &logger) {
#ifdef DEVFLOW_SANITIZER_BUILD
    (void)config;
    logger.debug("helper sandbox: off in this sanitizer build");
#else
    const SandboxReport report = confine_helper({config.state_dir, {}});
    logger.debug("helper sandbox: no_new_privs, seccomp filter, " + report.landlock_note);
    if (!report.state_dir_problem.empty()) {
        logger.warning("state_dir " + report.state_dir_problem + " for the helper account; the login runs without " +
                       "the state cache (every directory above it must be searchable by the account)");
    }
#endif
}

LoginResult run(ModuleChannel &channel, StartMessage &start) {
    const LoginRequest request = request_of(start);
    std::map<std::string, std::string> variables(start.environment.begin(), start.environment.end());
    for (auto &variable : start.environment) wipe(variable.second);
    serve_trusted_files_from(std::move(start.files));
    const EnvironmentLookup environment = [&variables](const char *name) -> const char * {
        const auto found = variables.find(name);
        return found == variables.end() ? nullptr : found->second.c_str();
    };

    RemoteLogger logger(channel, start.debug);
    return guarded_login([&] {
        const Config config = load_config(request.config_path, request.overrides);
        const ProviderConfig &provider = config.provider(request.provider_name);
        confine(config, logger);
        RemoteConversation conversation(channel);
        RemotePrivilegedSteps privileged(channel, provider);
        SystemClock clock;
        NoPrivilegeDrop no_drop;
        // ca_file as the module handed it over: the helper cannot open it.
        const TransportFactory transport = [](const TransportSettings &settings) -> std::unique_ptr<HttpTransport> {
            TransportSettings handed = settings;
            if (!handed.ca_file.empty()) {
                handed.ca_pem = read_trusted_file(handed.ca_file, trusted_file_owner(), kMaxCaFileBytes);
            }
            return std::make_unique<CurlTransport>(std::move(handed));
        };
        LoginServices services{clock, conversation, logger, no_drop, transport, environment};
        return run_provider_login(config, provider, request, start.user, privileged, services);
    });
}

int helper_main() {
    struct stat info {};
    if (::fstat(kChannel, &info) != 0 || !S_ISSOCK(info.st_mode)) {
        std::fputs("pam-device-flow-helper: started by the PAM module only (fd 3 is not its channel)\n", stderr);
        return 2;
    }
    ModuleChannel channel(kChannel);
    if (::getuid() == 0 || ::geteuid() == 0) {
        channel.send(encode_finished({Outcome::system_error, "the login helper must not run as root", ""}));
        return 1;
    }
    std::string payload = receive_frame(kChannel, kMaxStartMessageBytes,
                                        std::chrono::steady_clock::now() + std::chrono::seconds(30), "the module");
    StartMessage start = decode_start(payload);
    wipe(payload);
    const LoginResult result = run(channel, start);
    channel.send(encode_finished({result.outcome, result.log_line, result.user_message}));
    return 0;
}

}  // namespace
}  // namespace devflow

int main() {
    try {
        return devflow::helper_main();
    } catch (...) {
        return 1;  // the channel is gone or broken: the module reports it
    }
}
