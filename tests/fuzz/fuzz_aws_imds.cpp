// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for EC2's instance metadata service as
// aws_credentials_from_imds reads it (IMDSv2: a session token, the role name,
// the role's credentials), through a scripted HttpTransport.
//
// Input: byte 0 picks how each of the three requests is answered, two bits
// each (bits 0-1 the token PUT, 2-3 the role list, 4-5 the credentials):
// 0 HTTP 200, 1 HTTP 404, 2 HTTP 500, 3 unreachable ('@' answers all three
// with 200). The rest is split at its first two NUL bytes into the three
// bodies (token, role list, credentials JSON); missing ones are empty.
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure, outcome
//    unavailable, with a log line under 1 KiB of printable ASCII (keys that
//    are not printable ASCII included: seed key_not_printable);
//  - the requests go in order, only while the previous one answered 200:
//    PUT /latest/api/token with the TTL header, then GET
//    /latest/meta-data/iam/security-credentials/ and GET .../ROLE, each marked
//    instance_metadata, the GETs with the session token in
//    X-aws-ec2-metadata-token; ROLE is the role list's first line, trimmed,
//    1..128 of [A-Za-z0-9+=,.@_-];
//  - nullopt only when the token or role list was not answered with 200 or
//    the role list's first line is blank;
//  - returned credentials are the answer's AccessKeyId, SecretAccessKey and
//    Token (re-read with nlohmann_json; Token absent means none), each
//    visible ASCII of at most 4096 bytes, from an answer whose Code is absent
//    or "Success", and their source names the role.
#include "aws/aws_credentials.hpp"
#include "base/failure.hpp"
#include "fuzz_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using devflow::fuzz::require;

const std::string kEndpoint = "http://169.254.169.254";
const std::string kTokenUrl = kEndpoint + "/latest/api/token";
const std::string kRolesUrl = kEndpoint + "/latest/meta-data/iam/security-credentials/";

enum class Answer { ok, not_found, server_error, unreachable };

struct SentRequest {
    std::string method;
    std::string url;
    std::vector<std::string> headers;
    bool instance_metadata = false;
};

struct Script {
    std::array<Answer, 3> answers{};
    std::array<std::string, 3> bodies;
};

// Answers the three IMDS requests in order from the script, whatever the
// role URL is, and keeps every request.
class ImdsTransport final : public devflow::HttpTransport {
public:
    explicit ImdsTransport(const Script &script) : script_(script) {}

    devflow::HttpResponse send(const devflow::HttpRequest &request) override {
        sent.push_back(SentRequest{request.method, request.url, request.headers, request.instance_metadata});
        const std::size_t step = sent.size() - 1;
        require(step < 3);
        const Answer answer = script_.answers[step];
        if (answer == Answer::unreachable) devflow::fail_unavailable("cannot reach " + request.url);
        devflow::HttpResponse response;
        response.status = answer == Answer::ok ? 200 : answer == Answer::not_found ? 404 : 500;
        response.body = script_.bodies[step];
        return response;
    }

    std::vector<SentRequest> sent;

private:
    const Script &script_;
};

bool printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool key_text(std::string_view text) {
    return !text.empty() && text.size() <= 4096 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string trimmed(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return std::string(text);
}

bool is_role_name(std::string_view role) {
    return !role.empty() && role.size() <= 128 && std::all_of(role.begin(), role.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("+=,.@_-").find(c) != std::string_view::npos;
    });
}

Script read_script(const std::uint8_t *data, std::size_t size) {
    Script script;
    for (std::size_t i = 0; i < 3; ++i) script.answers[i] = static_cast<Answer>((data[0] >> (2 * i)) & 3);
    std::string_view rest(reinterpret_cast<const char *>(data) + 1, size - 1);
    for (std::size_t i = 0; i < 2; ++i) {
        const std::size_t nul = rest.find('\0');
        script.bodies[i] = std::string(rest.substr(0, nul));
        rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
    }
    script.bodies[2] = std::string(rest);
    return script;
}

bool has_header(const SentRequest &request, const std::string &header) {
    return std::find(request.headers.begin(), request.headers.end(), header) != request.headers.end();
}

// The credentials answer's members, when it is an object: "" for absent or non-string.
struct CredentialsAnswer {
    bool object = false;
    std::optional<std::string> code;
    std::string key_id, secret, token;
};

CredentialsAnswer read_answer(const std::string &body) {
    CredentialsAnswer answer;
    const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) return answer;
    answer.object = true;
    const auto text = [&json](const char *name) -> std::optional<std::string> {
        const auto found = json.find(name);
        if (found == json.end() || !found->is_string()) return std::nullopt;
        return found->get<std::string>();
    };
    answer.code = text("Code");
    answer.key_id = text("AccessKeyId").value_or("");
    answer.secret = text("SecretAccessKey").value_or("");
    answer.token = text("Token").value_or("");
    return answer;
}

// What the requests say about how far the lookup got; checks their shape.
void check_requests(const ImdsTransport &transport, const Script &script) {
    const auto &sent = transport.sent;
    require(!sent.empty());
    require(sent[0].method == "PUT" && sent[0].url == kTokenUrl && sent[0].instance_metadata);
    require(has_header(sent[0], "X-aws-ec2-metadata-token-ttl-seconds: 300"));
    if (sent.size() == 1) return;
    require(script.answers[0] == Answer::ok && key_text(script.bodies[0]));
    const std::string token_header = "X-aws-ec2-metadata-token: " + script.bodies[0];
    require(sent[1].method == "GET" && sent[1].url == kRolesUrl && sent[1].instance_metadata);
    require(has_header(sent[1], token_header));
    if (sent.size() == 2) return;
    require(script.answers[1] == Answer::ok);
    const std::string role = trimmed(std::string_view(script.bodies[1]).substr(0, script.bodies[1].find('\n')));
    require(is_role_name(role));
    require(sent[2].method == "GET" && sent[2].url == kRolesUrl + role && sent[2].instance_metadata);
    require(has_header(sent[2], token_header));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size < 1) return 0;
    const Script script = read_script(data, size);
    ImdsTransport transport(script);
    std::optional<devflow::AwsCredentials> credentials;
    std::optional<devflow::Failure> failure;
    try {
        credentials = devflow::aws_credentials_from_imds(kEndpoint, transport);
    } catch (const devflow::Failure &caught) {
        failure = caught;
    }
    check_requests(transport, script);
    const std::string role = trimmed(std::string_view(script.bodies[1]).substr(0, script.bodies[1].find('\n')));

    if (failure) {
        const std::string line = failure->what();
        require(line.size() < 1024 && printable_ascii(line));
        require(failure->outcome() == devflow::Outcome::unavailable);
        return 0;
    }
    if (!credentials) {
        const bool token_missing = script.answers[0] != Answer::ok;
        const bool roles_missing = !token_missing && (script.answers[1] != Answer::ok || role.empty());
        require(token_missing || roles_missing);
        require(transport.sent.size() <= 2);
        return 0;
    }
    require(transport.sent.size() == 3 && script.answers[2] == Answer::ok);
    const CredentialsAnswer answer = read_answer(script.bodies[2]);
    require(answer.object && (!answer.code || *answer.code == "Success"));
    require(credentials->access_key_id.reveal() == answer.key_id && key_text(answer.key_id));
    require(credentials->secret_access_key.reveal() == answer.secret && key_text(answer.secret));
    require(credentials->session_token.reveal() == answer.token && (answer.token.empty() || key_text(answer.token)));
    require(credentials->source == "IMDS role " + role);
    return 0;
}
