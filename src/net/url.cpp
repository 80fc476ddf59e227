// SPDX-License-Identifier: Apache-2.0
#include "net/url.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace devflow {
namespace {

char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), to_lower_ascii);
    return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Bytes that never belong in a URL we accept: controls, space, DEL, non-ASCII, and
// the backslash (browsers read it as '/', which would let the shown host differ
// from the fetched one).
bool has_forbidden_byte(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte >= 0x7f || c == '\\';
    });
}

bool is_reg_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '.' || c == '_';
}

bool valid_ipv6_literal(std::string_view inside_brackets) {
    if (inside_brackets.empty() || inside_brackets.size() >= INET6_ADDRSTRLEN) return false;
    const std::string text(inside_brackets);
    in6_addr address{};
    return inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

bool valid_port(std::string_view port) {
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) return false;
    unsigned long value = 0;
    for (char c : port) value = value * 10 + static_cast<unsigned long>(c - '0');
    return value >= 1 && value <= 65535;
}

// Splits "host[:port]" or "[v6][:port]" and validates both parts.
bool parse_authority(std::string_view authority, Url &url) {
    std::string_view host;
    std::string_view rest;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos || !valid_ipv6_literal(authority.substr(1, close - 1))) return false;
        host = authority.substr(0, close + 1);
        rest = authority.substr(close + 1);
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon);
        if (host.empty() || !std::all_of(host.begin(), host.end(), is_reg_name_char)) return false;
    }
    if (!rest.empty()) {
        if (rest.front() != ':' || !valid_port(rest.substr(1))) return false;
        url.port = std::string(rest.substr(1));
    } else {
        url.port = url.scheme == "https" ? "443" : "80";
    }
    url.host = lower(host);
    return true;
}

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
    if (text.empty() || has_forbidden_byte(text)) return std::nullopt;
    const auto separator = text.find("://");
    if (separator == std::string_view::npos) return std::nullopt;
    Url url;
    url.scheme = lower(text.substr(0, separator));
    if (url.scheme != "https" && url.scheme != "http") return std::nullopt;
    const auto after_scheme = text.substr(separator + 3);
    const auto authority_end = after_scheme.find_first_of("/?#");
    const auto authority = after_scheme.substr(0, authority_end);
    if (has_user_information(text) || !parse_authority(authority, url)) return std::nullopt;
    if (authority_end != std::string_view::npos) url.path_and_query = std::string(after_scheme.substr(authority_end));
    return url;
}

bool has_user_information(std::string_view text) {
    const auto separator = text.find("://");
    if (separator == std::string_view::npos) return false;
    const auto after_scheme = text.substr(separator + 3);
    return after_scheme.substr(0, after_scheme.find_first_of("/?#")).find('@') != std::string_view::npos;
}

bool is_loopback_host(std::string_view host) {
    if (lower(host) == "localhost") return true;
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty() || host.size() >= INET6_ADDRSTRLEN) return false;
    const std::string text(host);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
    return false;
}

bool is_secure_url(std::string_view text) {
    const auto url = parse_url(text);
    if (!url) return false;
    return url->scheme == "https" || is_loopback_host(url->host);
}

}  // namespace devflow
