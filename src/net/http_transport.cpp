// SPDX-License-Identifier: Apache-2.0
#include "net/http_transport.hpp"

#include "base/secret.hpp"

#include <cctype>

namespace devflow {

HttpRequest::~HttpRequest() {
    wipe(body);
    for (auto &header : headers) wipe(header);
}

HttpResponse::~HttpResponse() { wipe(body); }

std::string HttpResponse::header(const std::string &name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
}

std::string form_encode(const std::string &value) {
    static const char hex[] = "0123456789ABCDEF";
    std::string encoded;
    encoded.reserve(value.size() * 3);
    for (char raw : value) {
        const auto c = static_cast<unsigned char>(raw);
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            encoded.push_back(static_cast<char>(c));
        } else if (c == ' ') {
            encoded.push_back('+');
        } else {
            encoded.push_back('%');
            encoded.push_back(hex[c >> 4]);
            encoded.push_back(hex[c & 0x0f]);
        }
    }
    return encoded;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>> &fields) {
    std::string body;
    for (const auto &[name, value] : fields) {
        if (!body.empty()) body.push_back('&');
        body += form_encode(name);
        body.push_back('=');
        std::string encoded = form_encode(value);
        body += encoded;
        wipe(encoded);
    }
    return body;
}

}  // namespace devflow
