// SPDX-License-Identifier: Apache-2.0
// A loopback TCP port that refuses connections: bound, never listening, and
// held while the object lives so nobody else takes it. For tests that need a
// transfer to start (and libcurl to initialise) but never reach a server.
#pragma once

#include <string>

namespace devflow::test {

class RefusingPort {
public:
    RefusingPort();
    RefusingPort(const RefusingPort &) = delete;
    RefusingPort &operator=(const RefusingPort &) = delete;
    ~RefusingPort();
    // http://127.0.0.1:PORT/
    std::string url() const;

private:
    int socket_;
    unsigned port_ = 0;
};

// A fresh CurlTransport (so libcurl initialises, as in a login) sends one
// request to a RefusingPort; the test fails unless that is Failure(unavailable).
void curl_transfer_to_refusing_port();

}  // namespace devflow::test
