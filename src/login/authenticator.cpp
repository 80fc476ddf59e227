// SPDX-License-Identifier: Apache-2.0
#include "login/authenticator.hpp"

#include "account/user_account.hpp"
#include "login/providers.hpp"
#include "privileged/local_privileged_steps.hpp"
#include "provider/provider.hpp"
#include "store/state_store.hpp"

namespace devflow {
namespace {

std::unique_ptr<StateStore> open_state_store(const Config &config, Clock &clock, Logger &logger) {
    try {
        return std::make_unique<StateStore>(config.state_dir, clock);
    } catch (const Failure &failure) {
        logger.warning(std::string("running without the state cache: ") + failure.what());
        return nullptr;
    }
}

FlowSettings flow_settings(const Config &config, const LoginRequest &request) {
    FlowSettings flow;
    flow.prompt = resolve_prompt_mode(config.prompt, request.service, request.remote_host, request.local_host);
    flow.qr = config.qr;
    flow.max_wait = Seconds(config.max_wait);
    flow.user = request.user;
    flow.host = request.local_host;
    return flow;
}

LoginResult run_login(const LoginRequest &request, LoginServices &services) {
    Config config = load_config(request.config_path, request.overrides);
    const ProviderConfig &provider_config = config.provider(request.provider_name);
    UserAccount user = lookup_user(request.user);
    LocalPrivilegedSteps privileged(provider_config, request.user, user, services.privileges, services.logger);
    return run_provider_login(config, provider_config, request, user, privileged, services);
}

}  // namespace

LoginResult run_provider_login(const Config &config, const ProviderConfig &provider_config, const LoginRequest &request,
                               const UserAccount &user, PrivilegedSteps &privileged, LoginServices &services) {
    const ProviderBasics &basics = basics_of(provider_config);
    std::unique_ptr<Provider> provider = make_provider(config, provider_config);

    const TransportSettings transport_settings = transport_settings_for(config);
    std::unique_ptr<HttpTransport> transport = services.make_transport
                                                   ? services.make_transport(transport_settings)
                                                   : std::make_unique<CurlTransport>(transport_settings);
    std::unique_ptr<StateStore> state = open_state_store(config, services.clock, services.logger);
    const EnvironmentLookup environment =
        services.environment ? services.environment : EnvironmentLookup(secure_environment);
    LoginContext context{request.user,
                         user,
                         {request.service, request.remote_host},
                         *transport,
                         state.get(),
                         services.clock,
                         services.conversation,
                         services.logger,
                         privileged,
                         environment};

    // Step-up reuse only with the state store: never from the user's cache;
    // and only for a login from where the approval was given.
    const long reuse_window = state && request.reuse_approvals ? config.reuse_window_for(basics) : 0;
    std::unique_ptr<VerifiedLogin> login;
    if (reuse_window > 0) login = provider->reuse(Seconds(reuse_window), context);
    const bool reused = login != nullptr;
    if (!reused) {
        const FlowSettings flow = flow_settings(config, request);
        services.logger.debug("provider " + basics.name + ", " + provider->describe() + ", " +
                              (flow.prompt == PromptMode::enter ? "Enter prompt" : "automatic polling"));
        login = provider->log_in(flow, context);
    }

    // Privileged steps: consume only the verified value.
    const VerifiedIdentity identity = login->identity();
    const std::string approver = privileged.authorize(identity);
    login->write_user_caches(context);
    if (!reused && reuse_window > 0) login->remember(context);
    return logged_in(request.user, basics.name, identity.reused_age_seconds, approver);
}

LoginResult authenticate(const LoginRequest &request, LoginServices &services) noexcept {
    return guarded_login([&] { return run_login(request, services); });
}

}  // namespace devflow
