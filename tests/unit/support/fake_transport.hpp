// SPDX-License-Identifier: Apache-2.0
// A scripted HttpTransport: answers are queued per URL; every request is kept
// so tests can assert what was sent.
#pragma once

#include "net/http_transport.hpp"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace devflow::test {

struct SentSigning {
    std::string provider;
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;
};

struct SentRequest {
    std::string method;
    std::string url;
    std::vector<std::string> headers;
    std::string body;
    std::optional<SentSigning> aws_signing;
};

class FakeTransport final : public HttpTransport {
public:
    // Queues an answer for `url`; the last queued answer for a URL repeats.
    void answer(const std::string &url, long status, std::string body, std::map<std::string, std::string> headers = {});
    // Makes requests to `url` fail as if the host were unreachable.
    void unreachable(const std::string &url);

    HttpResponse send(const HttpRequest &request) override;

    const std::vector<SentRequest> &sent() const { return sent_; }
    std::size_t count(const std::string &url) const;

private:
    struct Answer {
        long status;
        std::string body;
        std::map<std::string, std::string> headers;
    };
    std::map<std::string, std::deque<Answer>> answers_;
    std::vector<std::string> unreachable_;
    std::vector<SentRequest> sent_;
};

}  // namespace devflow::test
