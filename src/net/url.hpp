// SPDX-License-Identifier: Apache-2.0
// URLs the module fetches or shows. One rule for all of them: https, or http to a
// loopback host (a test IdP on this machine). Everything else is refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace devflow {

struct Url {
    std::string scheme;          // "http" or "https", lower case
    std::string host;            // lower case; an IPv6 literal keeps its brackets: "[::1]"
    std::string port;            // the explicit port, else the scheme's default ("443", "80")
    std::string path_and_query;  // everything after the authority, exactly as given ("" if none)
};

// Strict parse of an absolute http(s) URL. Refuses userinfo ("user@"), whitespace,
// control and non-ASCII bytes, backslashes, empty or malformed hosts and ports.
std::optional<Url> parse_url(std::string_view text);

// Whether the authority of `text` (after "://", up to the first "/", "?" or
// "#") holds user information, "user@" or "user:password@": the one refusal
// of parse_url whose reason the configuration names on its own.
bool has_user_information(std::string_view text);

// 127.0.0.0/8, ::1 (with or without brackets) and "localhost".
bool is_loopback_host(std::string_view host);

// True for an https URL, or an http URL whose host is loopback.
bool is_secure_url(std::string_view url);

}  // namespace devflow
