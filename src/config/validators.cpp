// SPDX-License-Identifier: Apache-2.0
#include "config/validators.hpp"

#include "net/url.hpp"

#include <algorithm>
#include <regex>

namespace devflow {
namespace {

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Not empty, at most `max_size` bytes, every byte one `allowed` accepts.
template <typename Allowed>
bool is_word_of(std::string_view text, std::size_t max_size, Allowed allowed) {
    return !text.empty() && text.size() <= max_size && std::all_of(text.begin(), text.end(), allowed);
}

}  // namespace

bool has_control_character(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

bool is_scope_token(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\'; });
}

bool is_valid_provider_name(std::string_view name) {
    if (name.empty() || name.front() == '.') return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool is_configurable_provider_name(std::string_view name) {
    return name.size() <= 64 && name.find('.') == std::string_view::npos && is_valid_provider_name(name);
}

bool is_absolute_path(std::string_view text) { return !text.empty() && text.front() == '/'; }

bool is_proxy_url(std::string_view text) { return parse_url(text).has_value(); }

bool is_https_url(std::string_view text) {
    const auto url = parse_url(text);
    return url && url->scheme == "https";
}

bool is_service_url(std::string_view text) {
    return is_secure_url(text) && text.find_first_of("?#") == std::string_view::npos;
}

bool is_aws_region(std::string_view text) {
    static const std::regex region("[a-z]{2}(-[a-z]+)+-[0-9]");
    return std::regex_match(text.begin(), text.end(), region);
}

bool is_aws_account_id(std::string_view text) {
    return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_iam_name(std::string_view text) {
    return is_word_of(text, 64, [](char c) {
        return is_ascii_alnum(c) || std::string_view("_+=,.@-").find(c) != std::string_view::npos;
    });
}

bool is_idc_application_arn(std::string_view text) {
    static const std::regex arn(
        "arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso::[0-9]{12}:"
        "application/(sso)?ins-[a-zA-Z0-9.-]{16}/apl-[a-zA-Z0-9]{16}");
    return std::regex_match(text.begin(), text.end(), arn);
}

bool is_sso_session_name(std::string_view text) {
    return is_word_of(text, 128, [](char c) { return is_ascii_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool is_domain_name(std::string_view text) {
    if (text.empty() || text.size() > 253) return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t dot = std::min(text.find('.', start), text.size());
        const std::string_view label = text.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        if (!std::all_of(label.begin(), label.end(), [](char c) { return is_ascii_alnum(c) || c == '-'; }))
            return false;
        start = dot + 1;
    }
    return true;
}

std::string lower_case(std::string text) {
    for (char &c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

}  // namespace devflow
