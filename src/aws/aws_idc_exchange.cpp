// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_idc_exchange.hpp"

#include "aws/aws_cli_cache_name.hpp"
#include "aws/aws_credentials.hpp"
#include "aws/aws_token_exchange.hpp"

namespace devflow {
namespace {

AwsCredentialSource credential_source(AwsCredentialChoice choice) {
    switch (choice) {
    case AwsCredentialChoice::environment: return AwsCredentialSource::environment;
    case AwsCredentialChoice::shared_file: return AwsCredentialSource::shared_file;
    case AwsCredentialChoice::imds: return AwsCredentialSource::imds;
    case AwsCredentialChoice::any: break;
    }
    return AwsCredentialSource::any;
}

class CreateTokenWithIamExchange final : public IdTokenExchange {
public:
    explicit CreateTokenWithIamExchange(const AwsIdcExchange &settings) : idc_(settings) {}

    // Like the other cache writes it only warns: the login itself has succeeded.
    void exchange(const Secret &id_token, LoginContext &context) const override {
        warn_if_fails(context.logger, "AWS IAM Identity Center token not obtained",
                      [&] { exchange_and_write(id_token, context); });
    }

private:
    void exchange_and_write(const Secret &id_token, LoginContext &context) const {
        AwsCredentialSettings source;
        source.source = credential_source(idc_.credentials);
        source.imds_endpoint = idc_.imds_endpoint;
        const AwsCredentials credentials = find_aws_credentials(source, context.environment, context.transport);
        context.logger.debug("AWS credentials from " + credentials.source);
        AwsExchangedToken token =
            exchange_id_token_for_aws({idc_.oidc_endpoint, idc_.region, idc_.application_arn}, id_token, credentials,
                                      context.transport, context.clock.now());
        AwsCliCacheEntry entry;
        entry.sso_session = idc_.sso_session;
        entry.region = idc_.region;
        entry.access_token = std::move(token.access_token);
        entry.expires_at = token.expires_at;
        context.privileged.write_aws_cli_cache(entry, aws_cli_cache_file_name(idc_.sso_session),
                                               AwsCacheUse::id_token_exchange);
    }

    const AwsIdcExchange &idc_;
};

}  // namespace

std::unique_ptr<IdTokenExchange> make_aws_idc_exchange(const AwsIdcExchange &settings) {
    return std::make_unique<CreateTokenWithIamExchange>(settings);
}

}  // namespace devflow
