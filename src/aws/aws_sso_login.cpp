// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_sso_login.hpp"

#include "aws/aws_sso_oidc_client.hpp"
#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "config/aws_endpoints.hpp"

#include <memory>

namespace devflow {
namespace {

// A state directory that cannot be used (unsafe, not creatable) costs one
// RegisterClient per login, not the login itself: the same trade as the OIDC
// discovery cache.
std::unique_ptr<AwsSsoOidcClient> make_client(AwsSsoOidcSettings settings, HttpTransport &transport, Clock &clock,
                                              Logger &logger) {
    try {
        return std::make_unique<AwsSsoOidcClient>(settings, transport, clock, logger);
    } catch (const Failure &failure) {
        if (failure.outcome() != Outcome::system_error || settings.state_dir.empty()) throw;
        logger.warning(std::string("running without the shared AWS client registration: ") + failure.what());
    }
    settings.state_dir.clear();
    return std::make_unique<AwsSsoOidcClient>(std::move(settings), transport, clock, logger);
}

}  // namespace

VerifiedAwsLogin obtain_verified_aws_login(const AwsSsoProviderConfig &provider, const FlowSettings &flow,
                                           HttpTransport &transport, const std::string &state_dir, Clock &clock,
                                           Conversation &conversation, Logger &logger) {
    const AwsSsoSettings &aws = provider.aws;
    AwsSsoOidcSettings settings;
    settings.oidc_endpoint = aws.oidc_endpoint;
    settings.start_url = aws.start_url;
    settings.region = aws.region;
    settings.state_dir = state_dir;
    std::unique_ptr<AwsSsoOidcClient> client = make_client(std::move(settings), transport, clock, logger);

    VerifiedAwsLogin login;
    login.tokens = run_device_flow(*client, conversation, clock, logger, flow);

    const AwsEndpoints endpoints{aws.oidc_endpoint, aws.portal_endpoint, aws.sts_endpoint};
    login.identity =
        verify_aws_identity(transport, endpoints, aws.region, aws.account_id, aws.role_name, login.tokens.access_token);
    logger.debug("AWS identity verified: " + quote_for_log(login.identity.arn));

    const AwsClientRegistration &registration = client->registration();
    login.registration.client_id = registration.client_id;
    login.registration.client_secret = registration.client_secret.copy();
    login.registration.issued_at = registration.issued_at;
    login.registration.expires_at = registration.expires_at;
    return login;
}

}  // namespace devflow
