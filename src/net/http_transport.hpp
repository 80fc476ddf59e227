// SPDX-License-Identifier: Apache-2.0
// HTTP behind an interface: the flow, discovery and JWKS code talk to this, the
// real implementation is libcurl (curl_transport.cpp), unit tests script it.
#pragma once

#include "base/secret.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace devflow {

// AWS Signature Version 4 for a request, computed by the transport (libcurl's
// CURLOPT_AWS_SIGV4): AWS APIs that take temporary credentials (STS) need it.
struct AwsSigning {
    std::string provider = "aws:amz:REGION:SERVICE";  // CURLOPT_AWS_SIGV4 syntax
    Secret access_key_id;
    Secret secret_access_key;
    Secret session_token;  // empty for long-term keys; else sent, and signed, as X-Amz-Security-Token
};

struct HttpRequest {
    std::string method = "GET";  // GET, POST or PUT
    std::string url;
    std::vector<std::string> headers;       // "Name: value"
    std::string body;                       // sent as is for POST
    std::optional<AwsSigning> aws_signing;  // sign the request with SigV4 when set
    // EC2's instance metadata service: plain http is allowed to its fixed
    // link-local addresses (169.254.169.254, [fd00:ec2::254]) besides
    // loopback, and never through a proxy.
    bool instance_metadata = false;
    // Body and headers may hold secrets (client_secret, device_code): the
    // transport wipes its copies; callers should wipe theirs (Secret).
    ~HttpRequest();
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    ~HttpResponse();

    // The value of a header, or "" when absent. `name` must be lower case.
    std::string header(const std::string &name) const;
};

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    // Throws Failure(unavailable) when no HTTP response was obtained (DNS,
    // connect, TLS, timeout, a body over the size cap, a refused URL scheme).
    // Any HTTP status is a response, not a failure.
    virtual HttpResponse send(const HttpRequest &request) = 0;
};

// application/x-www-form-urlencoded encoding of one value.
std::string form_encode(const std::string &value);

// Builds "k1=v1&k2=v2" with each value form-encoded.
std::string form_body(const std::vector<std::pair<std::string, std::string>> &fields);

}  // namespace devflow
