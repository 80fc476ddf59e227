// SPDX-License-Identifier: Apache-2.0
#include "login/providers.hpp"

#include "aws/aws_idc_exchange.hpp"
#include "aws/aws_sso_provider.hpp"
#include "oidc/oidc_provider.hpp"

namespace devflow {
namespace {

// An oidc provider's optional CreateTokenWithIAM step (aws_idc_* keys).
std::unique_ptr<IdTokenExchange> id_token_exchange(const OidcProviderConfig &provider) {
    if (provider.aws_idc.application_arn.empty()) return nullptr;
    return make_aws_idc_exchange(provider.aws_idc);
}

}  // namespace

std::unique_ptr<Provider> make_provider(const Config &config, const ProviderConfig &provider) {
    struct Construct {
        const Config &config;
        std::unique_ptr<Provider> operator()(const OidcProviderConfig &oidc) const {
            return make_oidc_provider(config, oidc, id_token_exchange(oidc));
        }
        std::unique_ptr<Provider> operator()(const AwsSsoProviderConfig &aws_sso) const {
            return make_aws_sso_provider(config, aws_sso);
        }
    };
    return std::visit(Construct{config}, provider);
}

}  // namespace devflow
