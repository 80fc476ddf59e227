#include "login/providers.hpp"

#include "aws/aws_idc_exchange.hpp"
#include "aws/aws_sso_provider.hpp"
#include "base/failure.hpp"
#include "oidc/oidc_provider.hpp"

namespace devflow {
namespace {

// An oidc provider's optional CreateTokenWithIAM step (aws_idc_* keys).
std::unique_ptr<IdTokenExchange> id_token_exchange(const ProviderConfig &provider) {
    if (provider.aws_idc.application_arn.empty()) return nullptr;
    return make_aws_idc_exchange(provider.aws_idc);
}

}  // namespace

std::unique_ptr<Provider> make_provider(const Config &config, const ProviderConfig &provider) {
    switch (provider.kind) {
    case ProviderType::oidc: return make_oidc_provider(config, provider, id_token_exchange(provider));
    case ProviderType::aws_sso: return make_aws_sso_provider(config, provider);
    }
    fail_config("provider " + provider.name + " has an unknown type");
}

}  // namespace devflow
