// SPDX-License-Identifier: Apache-2.0
// The real HttpTransport: libcurl, configured as a guest in sshd's or sudo's
// process should be: no signals, TLS verification always on, only https (or
// http to loopback), no redirects, connect and total timeouts, a size cap.
#pragma once

#include "net/http_transport.hpp"

#include <cstddef>
#include <string>

namespace devflow {

struct TransportSettings {
    long timeout_seconds = 10;
    std::string ca_file;  // empty: the system store
    // ca_file's bytes, for a process that cannot open it (the helper is
    // handed them by the module); when set, used instead of opening ca_file.
    std::string ca_pem;
    std::string proxy;  // empty: no proxy (environment proxies are ignored)
    std::size_t max_response_bytes = 1024 * 1024;
};

class CurlTransport final : public HttpTransport {
public:
    explicit CurlTransport(TransportSettings settings);
    CurlTransport(const CurlTransport &) = delete;
    CurlTransport &operator=(const CurlTransport &) = delete;
    ~CurlTransport() override;
    // Runs with an empty environment (scrubbed_environment.hpp).
    HttpResponse send(const HttpRequest &request) override;

private:
    HttpResponse perform(const HttpRequest &request);

    TransportSettings settings_;
    // One easy handle for the transport's life, reset before each request:
    // its connection, DNS and TLS session caches make a login's requests to
    // one host share one connection.
    void *handle_ = nullptr;
};

}  // namespace devflow
