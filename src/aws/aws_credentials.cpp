// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_credentials.hpp"

#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "base/text.hpp"
#include "config/config.hpp"
#include "config/trusted_files.hpp"
#include "store/safe_file.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <pwd.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace devflow {
namespace {

constexpr std::size_t kMaxKeyPart = 4096;
const char *const kImdsTokenTtl = "X-aws-ec2-metadata-token-ttl-seconds: 300";

bool is_key_text(const std::string &text) {
    return !text.empty() && text.size() <= kMaxKeyPart && is_visible_ascii(text);
}

std::string trimmed(const std::string &text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    auto begin = std::find_if_not(text.begin(), text.end(), blank);
    auto end = std::find_if_not(text.rbegin(), std::string::const_reverse_iterator(begin), blank).base();
    return std::string(begin, end);
}

// Where credentials came from decides what bad ones are: the environment and
// the credentials file are the admin's (a configuration error), IMDS is the
// network (unavailable).
enum class CredentialOrigin { local, network };

std::optional<AwsCredentials> complete(std::string key_id, std::string secret, std::string token, std::string source,
                                       CredentialOrigin origin = CredentialOrigin::local) {
    AwsCredentials credentials;
    credentials.access_key_id = Secret(std::move(key_id));
    credentials.secret_access_key = Secret(std::move(secret));
    credentials.session_token = Secret(std::move(token));
    credentials.source = std::move(source);
    if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) return std::nullopt;
    if (!is_key_text(credentials.access_key_id.reveal()) || !is_key_text(credentials.secret_access_key.reveal()) ||
        (!credentials.session_token.empty() && !is_key_text(credentials.session_token.reveal()))) {
        const std::string why = "the AWS credentials from " + credentials.source + " are not printable ASCII";
        if (origin == CredentialOrigin::network) fail_unavailable(why);
        fail_config(why);
    }
    return credentials;
}

// One GET or PUT to IMDS; nullopt when it cannot be reached or answers non-200.
std::optional<HttpResponse> ask_imds(HttpTransport &transport, const std::string &method, const std::string &url,
                                     std::vector<std::string> headers) {
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.headers = std::move(headers);
    request.instance_metadata = true;
    try {
        HttpResponse response = transport.send(request);
        if (response.status != 200) return std::nullopt;
        return response;
    } catch (const Failure &failure) {
        if (failure.outcome() != Outcome::unavailable) throw;
        return std::nullopt;
    }
}

}  // namespace

std::optional<AwsCredentials> aws_credentials_from_environment(const EnvironmentLookup &environment) {
    const auto value = [&](const char *name) {
        const char *text = environment(name);
        return std::string(text != nullptr ? text : "");
    };
    return complete(value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY"), value("AWS_SESSION_TOKEN"),
                    "the environment");
}

std::optional<AwsCredentials> aws_credentials_from_shared_file(const std::string &path) {
    std::optional<std::string> read =
        read_trusted_file_if_present(path, trusted_file_owner(), kMaxAwsCredentialsFileBytes, FileSecrecy::secret);
    if (!read) return std::nullopt;
    std::string text = std::move(*read);
    wipe(*read);
    WipeOnExit wipe_text(text);
    std::string key_id, secret, token;
    bool in_default = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = trimmed(text.substr(start, end - start));
        WipeOnExit wipe_line(line);
        start = end + 1;
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line[0] == '[') {
            in_default = line.back() == ']' && trimmed(line.substr(1, line.size() - 2)) == "default";
            continue;
        }
        const std::size_t equals = line.find('=');
        if (!in_default || equals == std::string::npos) continue;
        const std::string key = trimmed(line.substr(0, equals));
        std::string value = trimmed(line.substr(equals + 1));
        if (key == "aws_access_key_id") key_id.swap(value);
        else if (key == "aws_secret_access_key") secret.swap(value);
        else if (key == "aws_session_token") token.swap(value);
        wipe(value);
    }
    return complete(std::move(key_id), std::move(secret), std::move(token), "the shared credentials file " + path);
}

std::optional<AwsCredentials> aws_credentials_from_imds(const std::string &endpoint, HttpTransport &transport) {
    std::optional<HttpResponse> token = ask_imds(transport, "PUT", endpoint + "/latest/api/token", {kImdsTokenTtl});
    if (!token) return std::nullopt;
    if (!is_key_text(token->body)) fail_unavailable("IMDS sent an unusable session token");
    std::string token_header = "X-aws-ec2-metadata-token: " + token->body;
    WipeOnExit wipe_header(token_header);

    const std::string base = endpoint + "/latest/meta-data/iam/security-credentials/";
    std::optional<HttpResponse> roles = ask_imds(transport, "GET", base, {token_header});
    if (!roles) return std::nullopt;
    const std::string role = trimmed(roles->body.substr(0, roles->body.find('\n')));
    if (role.empty()) return std::nullopt;
    if (role.size() > 128 || !std::all_of(role.begin(), role.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) ||
                   std::string_view("+=,.@_-").find(c) != std::string_view::npos;
        })) {
        fail_unavailable("IMDS sent an unusable role name " + quote_for_log(role, 64));
    }
    std::optional<HttpResponse> answer = ask_imds(transport, "GET", base + role, {token_header});
    if (!answer) fail_unavailable("IMDS has no credentials for role " + role);
    Json json = parse_json_object(answer->body, "IMDS credentials");
    WipeJsonOnExit wipe_answer(json);  // it holds the key pair and session token
    const std::string *code = string_field(json, "Code");
    if (code != nullptr && *code != "Success")
        fail_unavailable("IMDS credentials answer Code " + quote_for_log(*code, 64));
    const auto text = [&](const char *name) {
        const std::string *value = string_field(json, name);
        return value != nullptr ? *value : std::string();
    };
    std::optional<AwsCredentials> credentials = complete(text("AccessKeyId"), text("SecretAccessKey"), text("Token"),
                                                         "IMDS role " + role, CredentialOrigin::network);
    if (!credentials) fail_unavailable("IMDS credentials answer for role " + role + " has no key pair");
    return credentials;
}

AwsCredentials find_aws_credentials(const AwsCredentialSettings &settings, const EnvironmentLookup &environment,
                                    HttpTransport &transport) {
    const bool any = settings.source == AwsCredentialSource::any;
    if (any || settings.source == AwsCredentialSource::environment) {
        if (auto found = aws_credentials_from_environment(environment)) return std::move(*found);
    }
    if (any || settings.source == AwsCredentialSource::shared_file) {
        const std::string path =
            settings.shared_file.empty() ? default_shared_credentials_path(environment) : settings.shared_file;
        if (!path.empty()) {
            if (auto found = aws_credentials_from_shared_file(path)) return std::move(*found);
        }
    }
    // Never part of the default: on a host that is not an EC2 instance, anyone
    // on the LAN can answer at IMDS's link-local plain-http address.
    if (settings.source == AwsCredentialSource::imds) {
        if (auto found = aws_credentials_from_imds(settings.imds_endpoint, transport)) return std::move(*found);
        fail_unavailable("no AWS credentials from IMDS at " + settings.imds_endpoint + " (aws_credentials = \"imds\")");
    }
    fail_unavailable(any ? "no AWS credentials found for this host (environment, shared credentials file; "
                           "IMDS only with aws_credentials = \"imds\")"
                         : "no AWS credentials found for this host in the configured aws_credentials source");
}

}  // namespace devflow
