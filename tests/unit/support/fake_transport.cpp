// SPDX-License-Identifier: Apache-2.0
#include "fake_transport.hpp"

#include "base/failure.hpp"

#include <algorithm>

namespace devflow::test {

void FakeTransport::answer(const std::string &url, long status, std::string body,
                           std::map<std::string, std::string> headers) {
    answers_[url].push_back(Answer{status, std::move(body), std::move(headers)});
}

void FakeTransport::unreachable(const std::string &url) { unreachable_.push_back(url); }

HttpResponse FakeTransport::send(const HttpRequest &request) {
    std::optional<SentSigning> signing;
    if (request.aws_signing) {
        signing =
            SentSigning{request.aws_signing->provider, request.aws_signing->access_key_id.reveal(),
                        request.aws_signing->secret_access_key.reveal(), request.aws_signing->session_token.reveal()};
    }
    sent_.push_back(SentRequest{request.method, request.url, request.headers, request.body, std::move(signing)});
    if (std::find(unreachable_.begin(), unreachable_.end(), request.url) != unreachable_.end()) {
        fail_unavailable("cannot reach " + request.url + ": Connection refused");
    }
    auto found = answers_.find(request.url);
    if (found == answers_.end() || found->second.empty()) {
        fail_unavailable("fake transport has no answer for " + request.url);
    }
    std::deque<Answer> &queue = found->second;
    const Answer &next = queue.front();
    HttpResponse response;
    response.status = next.status;
    response.body = next.body;
    response.headers = next.headers;
    if (queue.size() > 1) queue.pop_front();
    return response;
}

std::size_t FakeTransport::count(const std::string &url) const {
    return static_cast<std::size_t>(
        std::count_if(sent_.begin(), sent_.end(), [&](const SentRequest &r) { return r.url == url; }));
}

}  // namespace devflow::test
