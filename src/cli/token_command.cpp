// SPDX-License-Identifier: Apache-2.0
// `pam-device-flow token`: the access token from the caller's cache on stdout,
// renewed with the refresh token first when it is about to expire. What the
// cache is and how it is renewed is the provider's (Provider::cached_access_token).
#include "cli.hpp"
#include "terminal_services.hpp"

#include "config/config.hpp"
#include "login/providers.hpp"

namespace devflow::cli {

int run_token(const Options &options) {
    StderrLogger logger(options.debug);
    const Config config = load_config(config_path_of(options), {}, ConfigReader::command);
    const ProviderConfig &provider_config = config.provider(options.provider);
    const std::unique_ptr<Provider> provider = make_provider(config, provider_config);
    const UserAccount caller = caller_account();
    SystemClock clock;
    // A Failure carries the message and the exit status (main.cpp).
    const CachedAccessToken token = provider->cached_access_token(caller, clock, logger);
    return print_access_token(token.access_token, token.cache_path) ? exit_ok : exit_system;
}

}  // namespace devflow::cli
