// SPDX-License-Identifier: Apache-2.0
#include "privileged/audit_record.hpp"

#include "base/log_text.hpp"
#include "privileged/verified_identity.hpp"

namespace devflow {
namespace {

constexpr std::size_t kMaxFieldBytes = 256;

bool is_bare(const std::string &value) {
    if (value.empty() || value.size() > kMaxFieldBytes) return false;
    for (const char c : value) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("._:@/+,-").find(c) != std::string_view::npos;
        if (!plain) return false;
    }
    return true;
}

std::string field_value(const std::string &value) {
    if (value.empty()) return "-";
    return is_bare(value) ? value : quote_for_log(value, kMaxFieldBytes);
}

std::string claim_text(const Json &claims, const char *name) {
    const auto found = claims.find(name);
    if (found == claims.end()) return {};
    if (found->is_string()) return found->get<std::string>();
    if (found->is_number_integer()) return found->dump();
    return {};
}

std::string amr_text(const Json &claims) {
    const auto found = claims.find("amr");
    if (found == claims.end() || !found->is_array()) return {};
    std::string joined;
    for (const auto &value : *found) {
        if (!value.is_string()) continue;
        joined += (joined.empty() ? "" : ",") + value.get<std::string>();
    }
    return joined;
}

}  // namespace

void AuditRecord::take_identity(const VerifiedIdentity &identity) {
    if (identity.claims.is_object()) {
        sub = claim_text(identity.claims, "sub");
        acr = claim_text(identity.claims, "acr");
        amr = amr_text(identity.claims);
    }
    if (!identity.session_name.empty()) sub = identity.session_name;
    aws_role_arn = identity.arn;
    token = identity.token_fingerprint;
}

std::string audit_fields(const AuditRecord &record, long duration_ms, const char *result, const char *pam_code) {
    const std::pair<const char *, const std::string *> fields[] = {
        {"service", &record.service}, {"user", &record.user},         {"rhost", &record.rhost},
        {"tty", &record.tty},         {"provider", &record.provider}, {"sub", &record.sub},
        {"acr", &record.acr},         {"amr", &record.amr},           {"token", &record.token},
    };
    std::string line;
    for (const auto &[key, value] : fields) line += std::string(" ") + key + "=" + field_value(*value);
    line += " duration_ms=" + std::to_string(duration_ms) + " result=" + result;
    if (pam_code != nullptr) line += std::string(" pam=") + pam_code;
    return line;
}

std::vector<std::pair<std::string, std::string>> audit_environment(const AuditRecord &record) {
    const std::pair<const char *, const std::string *> variables[] = {
        {"DEVFLOW_PROVIDER", &record.provider}, {"DEVFLOW_SUBJECT", &record.sub},
        {"DEVFLOW_ACR", &record.acr},           {"DEVFLOW_AMR", &record.amr},
        {"DEVFLOW_ISSUER", &record.issuer},     {"DEVFLOW_AWS_ROLE_ARN", &record.aws_role_arn},
        {"DEVFLOW_TOKEN_ID", &record.token},
    };
    std::vector<std::pair<std::string, std::string>> environment;
    for (const auto &[name, value] : variables) {
        if (value->empty()) continue;
        // Printable ASCII only, as in the log: no newline or control byte
        // reaches a later module's environment.
        environment.emplace_back(name, is_bare(*value) ? *value : escape_log_line(value->substr(0, kMaxFieldBytes)));
    }
    return environment;
}

std::vector<std::string> audit_environment_names() {
    return {"DEVFLOW_PROVIDER", "DEVFLOW_SUBJECT",      "DEVFLOW_ACR",     "DEVFLOW_AMR",
            "DEVFLOW_ISSUER",   "DEVFLOW_AWS_ROLE_ARN", "DEVFLOW_TOKEN_ID"};
}

}  // namespace devflow
