// SPDX-License-Identifier: Apache-2.0
// The host's own AWS credentials, for requests the module signs itself
// (CreateTokenWithIAM). Looked up like the AWS SDKs' default chain, minus the
// parts that make no sense in a PAM module (profiles, SSO, processes): the
// process environment, the shared credentials file's [default] section, or
// (only when configured) EC2's instance metadata service (IMDSv2).
#pragma once

#include "base/environment.hpp"
#include "base/secret.hpp"
#include "config/trusted_files.hpp"
#include "net/http_transport.hpp"

#include <functional>
#include <optional>
#include <string>

namespace devflow {

enum class AwsCredentialSource { any, environment, shared_file, imds };

struct AwsCredentials {
    Secret access_key_id;
    Secret secret_access_key;
    Secret session_token;  // empty for long-term keys
    std::string source;    // "environment", "shared credentials file PATH", "IMDS role NAME": for logs
};

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN): nullopt
// when either of the first two is unset or empty. Under sudo this is the
// invoking user's environment: such keys can only sign the exchange of the
// user's own verified id_token, they do not change whose token it is.
std::optional<AwsCredentials> aws_credentials_from_environment(const EnvironmentLookup &environment);

// The [default] section of an AWS shared credentials file (aws_access_key_id,
// aws_secret_access_key, aws_session_token). nullopt when the file does not
// exist or has no [default] keys; the file must be owned by root (the
// caller, when unprivileged) and private (read_trusted_file, secret):
// Failure(config_error) otherwise.
std::optional<AwsCredentials> aws_credentials_from_shared_file(const std::string &path);

// IMDSv2: PUT {endpoint}/latest/api/token, then the role name from
// GET /latest/meta-data/iam/security-credentials/ and its credentials from
// GET .../ROLE. nullopt when the service cannot be reached or has no role;
// Failure(unavailable) for an answer that cannot be used.
std::optional<AwsCredentials> aws_credentials_from_imds(const std::string &endpoint, HttpTransport &transport);

struct AwsCredentialSettings {
    AwsCredentialSource source = AwsCredentialSource::any;
    std::string imds_endpoint = "http://169.254.169.254";
    std::string shared_file;  // empty: default_shared_credentials_path
};

// The configured source, or (any) the first that has credentials in the
// order environment, shared file. `any` never asks IMDS: it is plain http to a
// link-local address that anyone on the LAN can answer for a host outside
// EC2, so only source imds (the admin's aws_credentials = "imds") uses it.
// Throws Failure(unavailable) when the source(s) have no credentials.
AwsCredentials find_aws_credentials(const AwsCredentialSettings &settings, const EnvironmentLookup &environment,
                                    HttpTransport &transport);

}  // namespace devflow
