#include "login/authenticator.hpp"

#include "oidc/oidc_approval_reuse.hpp"
#include "aws/aws_cli_cache.hpp"
#include "aws/aws_credentials.hpp"
#include "login/aws_sso_authenticator.hpp"
#include "aws/aws_token_exchange.hpp"
#include "account/identity.hpp"
#include "oidc/oidc_login.hpp"
#include "base/log_text.hpp"
#include "oidc/policy.hpp"
#include "store/state_store.hpp"
#include "oidc/oidc_token_cache.hpp"

#include <cstdlib>
#include <new>

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

std::string claim_text(const nlohmann::json &claims, const char *name) {
    auto found = claims.find(name);
    return found != claims.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// The user's tools read the cache; a login must not fail because a home
// directory is unwritable, so this only warns.
void write_user_cache(const UserAccount &user, const ProviderConfig &provider,
                      const TokenSet &tokens, PrivilegeDrop &privileges, Logger &logger) {
    try {
        privileges.run_as(user, [&] {
            write_oidc_token_cache(user, provider.name, provider.issuer, provider.client_id, tokens);
        });
        logger.debug("token cache written for " + quote_for_log(user.name));
    } catch (const Failure &failure) {
        logger.warning(std::string("token cache not written: ") + failure.what());
    }
}

AwsCredentialSource credential_source(AwsCredentialChoice choice) {
    switch (choice) {
    case AwsCredentialChoice::environment: return AwsCredentialSource::environment;
    case AwsCredentialChoice::shared_file: return AwsCredentialSource::shared_file;
    case AwsCredentialChoice::imds: return AwsCredentialSource::imds;
    case AwsCredentialChoice::any: break;
    }
    return AwsCredentialSource::any;
}

// secure_getenv: under sudo (setuid) the environment is the invoking user's,
// and must not choose the host's credentials; sshd's is root's own.
const char *host_environment(const char *name) { return ::secure_getenv(name); }

// CreateTokenWithIAM after a verified, bound and authorized OIDC login: the
// id_token becomes an Identity Center token in the user's AWS CLI cache. Like
// the other cache writes it only warns: the login itself has succeeded.
void exchange_for_aws_cli(const UserAccount &user, const ProviderConfig &provider, const TokenSet &tokens,
                          HttpTransport &transport, LoginServices &services) {
    const AwsIdcExchange &idc = provider.aws_idc;
    try {
        AwsCredentialSettings source;
        source.source = credential_source(idc.credentials);
        source.imds_endpoint = idc.imds_endpoint;
        const AwsCredentials credentials = find_aws_credentials(source, host_environment, transport);
        services.logger.debug("AWS credentials from " + credentials.source);
        AwsExchangedToken token = exchange_id_token_for_aws({idc.oidc_endpoint, idc.region, idc.application_arn},
                                                            tokens.id_token, credentials, transport,
                                                            services.clock.now());
        AwsCliCacheEntry entry;
        entry.sso_session = idc.sso_session;
        entry.region = idc.region;
        entry.access_token = std::move(token.access_token);
        entry.expires_at = token.expires_at;
        // No refresh fields: the refresh token belongs to the application,
        // not to an AWS CLI client registration the CLI could refresh with.
        services.privileges.run_as(user, [&] { write_aws_cli_token_cache(user, entry); });
        services.logger.info("AWS IAM Identity Center token for " + quote_for_log(user.name) +
                             " written (sso-session " + idc.sso_session + ")");
    } catch (const Failure &failure) {
        services.logger.warning(std::string("AWS IAM Identity Center token not obtained: ") + failure.what());
    }
}

LoginResult logged_in(const LoginRequest &request, const ProviderConfig &provider,
                      const nlohmann::json &claims, const std::string &how) {
    LoginResult result;
    result.outcome = Outcome::success;
    result.log_line = "user " + quote_for_log(request.user) + " logged in with provider " + provider.name + how +
                      " (sub " + quote_for_log(claim_text(claims, "sub")) + ")";
    return result;
}

LoginResult run_login(const LoginRequest &request, LoginServices &services) {
    Config config = load_config(request.config_path, request.overrides);
    const ProviderConfig &provider = config.provider(request.provider_name);
    UserAccount user = lookup_user(request.user);

    const TransportSettings transport_settings = transport_settings_for(config);
    std::unique_ptr<HttpTransport> transport =
        services.make_transport ? services.make_transport(transport_settings)
                                : std::make_unique<CurlTransport>(transport_settings);
    std::unique_ptr<StateStore> state = open_state_store(config, services.clock, services.logger);

    // Step-up reuse only with the root-owned state: never from the user's cache;
    // and only for a login from where the approval was given.
    const long reuse_window = state && request.reuse_approvals ? config.reuse_window_for(provider) : 0;
    const LoginOrigin origin{request.service, request.remote_host};
    if (reuse_window > 0 && provider.kind == ProviderType::oidc) {
        if (auto reused = find_reusable_approval(provider, Seconds(reuse_window), request.user, origin,
                                                 *transport, *state, services.clock, services.logger)) {
            return logged_in(request, provider, reused->claims,
                             ": reused an approval from " + std::to_string(reused->age_seconds) + " s ago");
        }
    }

    FlowSettings flow;
    flow.prompt = resolve_prompt_mode(config.prompt, request.service, request.remote_host,
                                      request.local_host);
    flow.qr = config.qr;
    flow.max_wait = Seconds(config.max_wait);
    flow.user = request.user;
    flow.host = request.local_host;
    services.logger.debug("provider " + provider.name + ", " +
                          (provider.kind == ProviderType::aws_sso ? "start URL " + provider.aws.start_url
                                                                  : "issuer " + provider.issuer) +
                          ", " + (flow.prompt == PromptMode::enter ? "Enter prompt" : "automatic polling"));
    if (provider.kind == ProviderType::aws_sso) {
        return run_aws_sso_login(request, config, provider, user, flow, *transport, state.get(),
                                 Seconds(reuse_window), services);
    }

    VerifiedLogin login = obtain_verified_login(provider, flow, *transport, state.get(),
                                                services.clock, services.conversation,
                                                services.logger);

    // Privileged steps: consume only the verified value.
    const std::string mapped = map_identity(login.claims, provider);
    require_same_user(mapped, request.user);
    enforce_policy(login.claims, provider);
    write_user_cache(user, provider, login.tokens, services.privileges, services.logger);
    if (!provider.aws_idc.application_arn.empty()) {
        exchange_for_aws_cli(user, provider, login.tokens, *transport, services);
    }
    if (reuse_window > 0) {
        record_approval(*state, provider, request.user, origin, login.tokens.id_token.reveal(),
                        services.clock, services.logger);
    }

    return logged_in(request, provider, login.claims, "");
}

}  // namespace

LoginResult authenticate(const LoginRequest &request, LoginServices &services) noexcept {
    LoginResult result;
    try {
        return run_login(request, services);
    } catch (const Failure &failure) {
        result.outcome = failure.outcome();
        result.log_line = failure.what();
        try {
            result.user_message = failure.user_message();
        } catch (...) {
        }
    } catch (const std::bad_alloc &) {
        result.outcome = Outcome::system_error;
        result.log_line = "out of memory";
    } catch (const std::exception &error) {
        result.outcome = Outcome::system_error;
        try {
            result.log_line = std::string("internal error: ") + error.what();
        } catch (...) {
        }
    } catch (...) {
        result.outcome = Outcome::system_error;
    }
    if (result.outcome == Outcome::success) result.outcome = Outcome::system_error;  // fail closed
    return result;
}

}  // namespace devflow
