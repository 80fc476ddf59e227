// SPDX-License-Identifier: Apache-2.0
// The configuration contract: every key, every error with its position.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <variant>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "base/failure.hpp"
#include "config/config.hpp"

// cmocka last: it defines macros (fail) that clash with the standard library.
// Its header declares C functions without extern "C" on Linux.
extern "C" {
#include <cmocka.h>
}

using devflow::basics_of;
using devflow::Config;
using devflow::ConfigOverrides;
using devflow::Failure;
using devflow::Outcome;
using devflow::PromptMode;
using devflow::QrMode;

namespace {

const std::string corp =
    "[providers.corp]\n"
    "issuer = \"https://login.example.com\"\n"
    "client_id = \"bastion\"\n";

const std::string lab =
    "[providers.lab]\n"
    "issuer = \"http://127.0.0.1:3000\"\n"
    "client_id = \"lab\"\n";

std::string read_data(const std::string &name) {
    std::ifstream in(std::string(DEVFLOW_TEST_DATA) + "/config/" + name);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// What the config error says, or a description of what happened instead.
template <typename Action>
std::string error_of(Action action) {
    try {
        action();
    } catch (const Failure &failure) {
        if (failure.outcome() != Outcome::config_error)
            return std::string("wrong outcome ") + devflow::outcome_name(failure.outcome());
        return failure.what();
    } catch (const std::exception &e) {
        return std::string("unexpected exception: ") + e.what();
    }
    return "no error";
}

std::string parse_error(const std::string &text, const ConfigOverrides &overrides = {}) {
    return error_of([&] { (void)devflow::parse_config(text, "test.conf", overrides); });
}

Config parse(const std::string &text, const ConfigOverrides &overrides = {}) {
    return devflow::parse_config(text, "test.conf", overrides);
}

// The provider NAME of `c`, which must be of that kind (else the test stops
// with std::bad_variant_access).
const devflow::OidcProviderConfig &oidc_provider(const Config &c, const std::string &name) {
    return std::get<devflow::OidcProviderConfig>(c.providers.at(name));
}
const devflow::AwsSsoProviderConfig &aws_sso_provider(const Config &c, const std::string &name) {
    return std::get<devflow::AwsSsoProviderConfig>(c.providers.at(name));
}

void expect_error(const std::string &text, const char *expected) {
    assert_string_equal(parse_error(text).c_str(), expected);
}

// ---- valid files ----

void full_config_reads_every_key(void **) {
    const Config c = parse(read_data("full.toml"));
    assert_string_equal(c.path.c_str(), "test.conf");
    assert_string_equal(c.default_provider.c_str(), "corp");
    assert_true(c.qr == QrMode::ascii);
    assert_true(c.prompt == PromptMode::enter);
    assert_int_equal(c.max_wait, 300);
    assert_int_equal(c.http_timeout, 20);
    assert_string_equal(c.ca_file.c_str(), "/etc/ssl/certs/corp-ca.pem");
    assert_string_equal(c.proxy.c_str(), "http://proxy.example.com:3128");
    assert_string_equal(c.state_dir.c_str(), "/var/lib/pam_device_flow");
    assert_int_equal(c.providers.size(), 2);
    const auto &p = oidc_provider(c, "corp");
    assert_string_equal(p.name.c_str(), "corp");
    assert_string_equal(p.type.c_str(), "oidc");
    assert_string_equal(p.issuer.c_str(), "https://login.example.com/realms/corp");
    assert_string_equal(p.client_id.c_str(), "bastion");
    assert_string_equal(p.client_secret_file.c_str(), "/etc/security/pam_device_flow.secret");
    assert_true((p.scopes == std::vector<std::string>{"openid", "profile", "email", "groups"}));
    assert_string_equal(p.username_claim.c_str(), "email");
    assert_string_equal(p.user_map_file.c_str(), "/etc/security/pam_device_flow.users");
    assert_string_equal(p.groups_claim.c_str(), "roles");
    assert_true((p.allowed_groups == std::vector<std::string>{"ssh-users", "admins"}));
    assert_true((p.required_acr == std::vector<std::string>{"gold", "silver"}));
    assert_true((p.required_amr == std::vector<std::string>{"mfa", "hwk"}));
    assert_int_equal(p.clock_skew, 30);
    assert_int_equal(c.reuse_window, 600);
    assert_int_equal(c.reuse_window_for(p), 120);
    assert_string_equal(oidc_provider(c, "lab").issuer.c_str(), "http://127.0.0.1:3000");
    assert_int_equal(c.reuse_window_for(oidc_provider(c, "lab")), 600);  // inherits the top level
}

void minimal_config_has_defaults(void **) {
    const Config c = parse(read_data("minimal.toml"));
    assert_true(c.default_provider.empty());
    assert_true(c.qr == QrMode::utf8);
    assert_true(c.prompt == PromptMode::detect);
    assert_int_equal(c.max_wait, 110);
    assert_int_equal(c.http_timeout, 10);
    assert_true(c.ca_file.empty());
    assert_true(c.proxy.empty());
    assert_string_equal(c.state_dir.c_str(), "/var/cache/pam_device_flow");
    const auto &p = oidc_provider(c, "corp");
    assert_string_equal(p.type.c_str(), "oidc");
    assert_true((p.scopes == std::vector<std::string>{"openid", "profile", "email"}));
    assert_string_equal(p.username_claim.c_str(), "preferred_username");
    assert_string_equal(p.groups_claim.c_str(), "groups");
    assert_true(p.client_secret_file.empty());
    assert_true(p.user_map_file.empty());
    assert_true(p.allowed_groups.empty());
    assert_true(p.required_acr.empty());
    assert_true(p.required_amr.empty());
    assert_int_equal(p.clock_skew, 60);
    assert_int_equal(c.reuse_window, 0);
    assert_false(p.reuse_window.has_value());
    assert_int_equal(c.reuse_window_for(p), 0);
}

void inline_table_provider_is_accepted(void **) {
    const Config c = parse("providers.corp = { issuer = \"https://idp.example\", client_id = \"x\" }\n");
    assert_string_equal(oidc_provider(c, "corp").client_id.c_str(), "x");
}

// ---- syntax and unknown keys ----

void toml_syntax_error_has_position(void **) {
    expect_error("qr = \"utf8\"\nmax_wait = \n",
                 "test.conf:2:12: Error while parsing key-value pair: expected value, saw '\\n'");
}

void duplicate_key_has_position(void **) {
    expect_error("qr = \"utf8\"\nqr = \"off\"\n" + corp,
                 "test.conf:2:6: Error while parsing key-value pair: cannot redefine existing string 'qr'");
}

void unknown_top_level_key_suggests(void **) {
    expect_error("max_wait = 60\nmax_wiat = 60\n" + corp,
                 "test.conf:2:1: unknown key \"max_wiat\" (did you mean \"max_wait\"?)");
}

void unknown_top_level_key_lists_allowed(void **) {
    expect_error("colour = \"blue\"\n" + corp,
                 "test.conf:1:1: unknown key \"colour\" (allowed: \"default_provider\", \"qr\", "
                 "\"prompt\", \"max_wait\", \"http_timeout\", \"ca_file\", \"proxy\", "
                 "\"state_dir\", \"reuse_window\", \"providers\")");
}

void unknown_provider_key_suggests(void **) {
    expect_error(corp + "isuer = \"https://x.example\"\n",
                 "test.conf:4:1: unknown key \"isuer\" in [providers.corp] (did you mean \"issuer\"?)");
}

void first_error_in_file_order_is_reported(void **) {
    // toml++ sorts keys; the admin reads top-down.
    expect_error("zzz = 1\naaa = 2\n" + corp,
                 "test.conf:1:1: unknown key \"zzz\" (allowed: \"default_provider\", \"qr\", "
                 "\"prompt\", \"max_wait\", \"http_timeout\", \"ca_file\", \"proxy\", "
                 "\"state_dir\", \"reuse_window\", \"providers\")");
}

// ---- types ----

void max_wait_string_names_type(void **) {
    expect_error("max_wait = \"60\"\n" + corp,
                 "test.conf:1:12: \"max_wait\" must be an integer (seconds), not a string");
}

void max_wait_float_names_type(void **) {
    expect_error("max_wait = 60.5\n" + corp,
                 "test.conf:1:12: \"max_wait\" must be an integer (seconds), not a floating-point number");
}

void qr_boolean_names_type(void **) {
    expect_error("qr = true\n" + corp, "test.conf:1:6: \"qr\" must be a string, not a boolean");
}

void scopes_string_names_type(void **) {
    expect_error(corp + "scopes = \"openid\"\n",
                 "test.conf:4:10: \"providers.corp.scopes\" must be an array of strings, not a string");
}

void scopes_element_type_is_positioned(void **) {
    expect_error(corp + "scopes = [\"openid\", 7]\n",
                 "test.conf:4:21: \"providers.corp.scopes\" must contain only strings, not an integer");
}

void providers_not_a_table(void **) {
    expect_error("providers = [\"corp\"]\n",
                 "test.conf:1:13: \"providers\" must be a table of [providers.NAME] tables, not an array");
}

void provider_not_a_table(void **) {
    expect_error("[providers]\ncorp = \"https://x.example\"\n",
                 "test.conf:2:8: \"providers.corp\" must be a table, not a string");
}

void client_id_control_character(void **) {
    expect_error("[providers.corp]\nissuer = \"https://x.example\"\nclient_id = \"a\\u001bb\"\n",
                 "test.conf:3:13: \"providers.corp.client_id\" must not contain control characters");
}

// ---- values and ranges ----

void max_wait_below_range(void **) {
    expect_error("max_wait = 9\n" + corp, "test.conf:1:12: \"max_wait\" must be between 10 and 3600 seconds, not 9");
}

void max_wait_above_range(void **) {
    expect_error("max_wait = 3601\n" + corp,
                 "test.conf:1:12: \"max_wait\" must be between 10 and 3600 seconds, not 3601");
}

void max_wait_range_ends_accepted(void **) {
    assert_int_equal(parse("max_wait = 10\n" + corp).max_wait + parse("max_wait = 3600\n" + corp).max_wait, 3610);
}

void http_timeout_zero(void **) {
    expect_error("http_timeout = 0\n" + corp,
                 "test.conf:1:16: \"http_timeout\" must be between 1 and 120 seconds, not 0");
}

void clock_skew_above_range(void **) {
    expect_error(corp + "clock_skew = 601\n",
                 "test.conf:4:14: \"providers.corp.clock_skew\" must be between 0 and 600 seconds, not 601");
}

void reuse_window_above_range(void **) {
    expect_error("reuse_window = 86401\n" + corp,
                 "test.conf:1:16: \"reuse_window\" must be between 0 and 86400 seconds, not 86401");
}

void reuse_window_negative(void **) {
    expect_error(corp + "reuse_window = -1\n",
                 "test.conf:4:16: \"providers.corp.reuse_window\" must be between 0 and 86400 seconds, not -1");
}

void reuse_window_string_names_type(void **) {
    expect_error("reuse_window = \"5m\"\n" + corp,
                 "test.conf:1:16: \"reuse_window\" must be an integer (seconds), not a string");
}

void reuse_window_range_ends_accepted(void **) {
    assert_int_equal(parse("reuse_window = 0\n" + corp).reuse_window, 0);
    assert_int_equal(parse("reuse_window = 86400\n" + corp).reuse_window, 86400);
}

void provider_reuse_window_overrides_top_level(void **) {
    // A stricter provider (sudo step-up) may turn reuse off where the default allows it.
    const Config c = parse("reuse_window = 300\n" + corp + "reuse_window = 0\n");
    assert_int_equal(c.reuse_window_for(oidc_provider(c, "corp")), 0);
}

void qr_unknown_value_suggests(void **) {
    expect_error("qr = \"utf-8\"\n" + corp,
                 "test.conf:1:6: \"qr\" must be one of \"utf8\", \"utf8-color\", \"ascii\", \"ascii-color\", "
                 "\"off\", not \"utf-8\" (did you mean \"utf8\"?)");
    // The British spelling is one letter away.
    expect_error("qr = \"ascii-colour\"\n" + corp,
                 "test.conf:1:6: \"qr\" must be one of \"utf8\", \"utf8-color\", \"ascii\", \"ascii-color\", "
                 "\"off\", not \"ascii-colour\" (did you mean \"ascii-color\"?)");
}

void prompt_unknown_value(void **) {
    expect_error("prompt = \"always\"\n" + corp,
                 "test.conf:1:10: \"prompt\" must be one of \"enter\", \"auto\", \"detect\", not \"always\"");
}

void state_dir_relative(void **) {
    expect_error("state_dir = \"var/cache\"\n" + corp,
                 "test.conf:1:13: \"state_dir\" must be an absolute path (starting with \"/\"), not \"var/cache\"");
}

void client_secret_file_relative(void **) {
    expect_error(corp + "client_secret_file = \"secret\"\n",
                 "test.conf:4:22: \"providers.corp.client_secret_file\" must be an absolute path "
                 "(starting with \"/\"), not \"secret\"");
}

void proxy_with_password(void **) {
    expect_error("proxy = \"http://user:pw@proxy:3128\"\n" + corp,
                 "test.conf:1:9: \"proxy\" must not contain user information (user@)");
}

void issuer_plain_http(void **) {
    expect_error("[providers.corp]\nissuer = \"http://login.example.com\"\nclient_id = \"x\"\n",
                 "test.conf:2:10: \"providers.corp.issuer\" must be an https:// URL (http:// only for a "
                 "loopback host), not \"http://login.example.com\"");
}

void issuer_kept_exactly(void **) {
    const Config c = parse("[providers.corp]\nissuer = \"https://idp.example/\"\nclient_id = \"x\"\n");
    assert_string_equal(oidc_provider(c, "corp").issuer.c_str(), "https://idp.example/");
}

void client_id_empty(void **) {
    expect_error("[providers.corp]\nissuer = \"https://x.example\"\nclient_id = \"\"\n",
                 "test.conf:3:13: \"providers.corp.client_id\" must not be empty");
}

void scopes_without_openid(void **) {
    expect_error(corp + "scopes = [\"profile\"]\n",
                 "test.conf:4:10: \"providers.corp.scopes\" must contain \"openid\"");
}

void scope_with_space(void **) {
    expect_error(corp + "scopes = [\"openid\", \"read write\"]\n",
                 "test.conf:4:21: \"providers.corp.scopes\" entries must not contain spaces, quotes "
                 "or backslashes, not \"read write\"");
}

void scope_empty_string(void **) {
    expect_error(corp + "scopes = [\"openid\", \"\"]\n", "test.conf:4:21: \"providers.corp.scopes\" must not be empty");
}

// ---- aws-sso providers ----

const std::string aws =
    "[providers.aws]\n"
    "type = \"aws-sso\"\n"
    "start_url = \"https://d-1234567890.awsapps.com/start\"\n"
    "region = \"eu-central-1\"\n"
    "sso_session = \"corp\"\n"
    "account_id = \"111122223333\"\n"
    "role_name = \"ReadOnly\"\n";

void aws_sso_minimal_has_regional_endpoints(void **) {
    const Config c = parse(aws);
    const auto &p = aws_sso_provider(c, "aws");
    assert_string_equal(p.type.c_str(), "aws-sso");
    assert_true(std::holds_alternative<devflow::AwsSsoProviderConfig>(c.providers.at("aws")));
    assert_string_equal(p.aws.start_url.c_str(), "https://d-1234567890.awsapps.com/start");
    assert_string_equal(p.aws.region.c_str(), "eu-central-1");
    assert_string_equal(p.aws.sso_session.c_str(), "corp");
    assert_string_equal(p.aws.account_id.c_str(), "111122223333");
    assert_string_equal(p.aws.role_name.c_str(), "ReadOnly");
    assert_string_equal(p.aws.oidc_endpoint.c_str(), "https://oidc.eu-central-1.amazonaws.com");
    assert_string_equal(p.aws.portal_endpoint.c_str(), "https://portal.sso.eu-central-1.amazonaws.com");
    assert_string_equal(p.aws.sts_endpoint.c_str(), "https://sts.eu-central-1.amazonaws.com");
    assert_false(p.aws.write_aws_config);
    assert_true(p.aws.username_domain.empty());
    assert_true(p.user_map_file.empty());
}

void aws_sso_reads_every_key(void **) {
    const Config c = parse(aws +
                           "oidc_endpoint = \"http://127.0.0.1:4000/\"\n"
                           "portal_endpoint = \"https://portal.example\"\n"
                           "sts_endpoint = \"http://[::1]:4000\"\n"
                           "write_aws_config = true\n"
                           "user_map_file = \"/etc/security/aws.users\"\n"
                           "username_domain = \"Example.COM\"\n"
                           "reuse_window = 300\n");
    const auto &p = aws_sso_provider(c, "aws");
    assert_string_equal(p.aws.oidc_endpoint.c_str(), "http://127.0.0.1:4000");
    assert_string_equal(p.aws.portal_endpoint.c_str(), "https://portal.example");
    assert_string_equal(p.aws.sts_endpoint.c_str(), "http://[::1]:4000");
    assert_true(p.aws.write_aws_config);
    assert_string_equal(p.user_map_file.c_str(), "/etc/security/aws.users");
    assert_string_equal(p.aws.username_domain.c_str(), "example.com");
    assert_int_equal(c.reuse_window_for(p), 300);
}

void aws_sso_oidc_and_aws_side_by_side(void **) {
    const Config c =
        parse(corp + aws + "[providers.lab]\ntype = \"oidc\"\nissuer = \"https://x.example\"\nclient_id = \"x\"\n");
    assert_true(std::holds_alternative<devflow::OidcProviderConfig>(c.providers.at("corp")));
    assert_true(std::holds_alternative<devflow::OidcProviderConfig>(c.providers.at("lab")));
    assert_true(std::holds_alternative<devflow::AwsSsoProviderConfig>(c.providers.at("aws")));
}

void aws_sso_missing_required_keys(void **) {
    expect_error("[providers.aws]\ntype = \"aws-sso\"\nstart_url = \"https://d-1.awsapps.com/start\"\n",
                 "test.conf:1:1: [providers.aws] is missing the required key \"region\" (the IAM Identity "
                 "Center region)");
    std::string without_role = aws.substr(0, aws.find("role_name"));
    expect_error(without_role,
                 "test.conf:1:1: [providers.aws] is missing the required key \"role_name\" "
                 "(the role to read in that account)");
}

void aws_sso_rejects_bad_values(void **) {
    expect_error(aws + "oidc_endpoint = \"http://oidc.example\"\n",
                 "test.conf:8:17: \"providers.aws.oidc_endpoint\" must be an https:// URL (http:// only for a "
                 "loopback host) without query or fragment, not \"http://oidc.example\"");
    expect_error(aws + "sts_endpoint = \"https://sts.example/?x=1\"\n",
                 "test.conf:8:16: \"providers.aws.sts_endpoint\" must be an https:// URL (http:// only for a "
                 "loopback host) without query or fragment, not \"https://sts.example/?x=1\"");
    expect_error(aws + "write_aws_config = \"yes\"\n",
                 "test.conf:8:20: \"providers.aws.write_aws_config\" must be a boolean (true or false), not a string");
    expect_error(aws + "reuse_window = 86401\n",
                 "test.conf:8:16: \"providers.aws.reuse_window\" must be between 0 and 86400 seconds, not 86401");
    expect_error(aws + "username_domain = \"@example.com\"\n",
                 "test.conf:8:19: \"providers.aws.username_domain\" must be a domain name such as \"example.com\" "
                 "(without \"@\"), not \"@example.com\"");
    const auto replace = [](std::string text, const std::string &from, const std::string &to) {
        text.replace(text.find(from), from.size(), to);
        return text;
    };
    expect_error(replace(aws, "https://d-1234567890", "http://127.0.0.1"),
                 "test.conf:3:13: \"providers.aws.start_url\" must be an https:// URL, not "
                 "\"http://127.0.0.1.awsapps.com/start\"");
    expect_error(replace(aws, "eu-central-1", "eu-central"),
                 "test.conf:4:10: \"providers.aws.region\" must be an AWS region such as \"us-east-1\", not "
                 "\"eu-central\"");
    expect_error(replace(aws, "eu-central-1", "EU-central-1"),
                 "test.conf:4:10: \"providers.aws.region\" must be an AWS region such as \"us-east-1\", not "
                 "\"EU-central-1\"");
    expect_error(replace(aws, "\"corp\"", "\"../corp\""),
                 "test.conf:5:15: \"providers.aws.sso_session\" must be letters, digits, \".\", \"_\" and \"-\" "
                 "(at most 128), not \"../corp\"");
    expect_error(replace(aws, "111122223333", "11112222333"),
                 "test.conf:6:14: \"providers.aws.account_id\" must be a 12-digit AWS account ID, not \"11112222333\"");
    expect_error(replace(aws, "ReadOnly", "Read Only"),
                 "test.conf:7:13: \"providers.aws.role_name\" must be an IAM role name: letters, digits and "
                 "\"_+=,.@-\" (at most 64), not \"Read Only\"");
    // Regions with several parts are fine.
    assert_string_equal(
        aws_sso_provider(parse(replace(aws, "eu-central-1", "us-gov-west-1")), "aws").aws.region.c_str(),
        "us-gov-west-1");
}

void oidc_keys_are_errors_on_aws_sso(void **) {
    expect_error(aws + "issuer = \"https://x.example\"\n",
                 "test.conf:8:1: \"providers.aws.issuer\" is a key of \"oidc\" providers; this provider has "
                 "type = \"aws-sso\"");
    expect_error(aws + "required_amr = [\"mfa\"]\n",
                 "test.conf:8:1: \"providers.aws.required_amr\" is a key of \"oidc\" providers; this provider "
                 "has type = \"aws-sso\"");
    expect_error(aws + "role_nmae = \"x\"\n",
                 "test.conf:8:1: unknown key \"role_nmae\" in [providers.aws] (did you mean \"role_name\"?)");
}

void aws_sso_keys_are_errors_on_oidc(void **) {
    expect_error(corp + "start_url = \"https://d-1.awsapps.com/start\"\n",
                 "test.conf:4:1: \"providers.corp.start_url\" is a key of \"aws-sso\" providers; this provider "
                 "has type = \"oidc\"");
    expect_error(corp + "username_domain = \"example.com\"\n",
                 "test.conf:4:1: \"providers.corp.username_domain\" is a key of \"aws-sso\" providers; this "
                 "provider has type = \"oidc\"");
}

// ---- CreateTokenWithIAM on oidc providers ----

const std::string kArn = "arn:aws:sso::123456789012:application/ssoins-0123456789abcdef/apl-0123456789abcdef";
const std::string idc = corp + "aws_idc_application_arn = \"" + kArn +
                        "\"\naws_region = \"eu-west-1\"\n"
                        "aws_sso_session = \"corp-idc\"\n";

// A URL with "user@" before the host is refused for that, not as "not an
// https:// URL" (it is one), and without repeating the value: what precedes
// "@" may be a password, and the message goes to syslog.
void url_with_user_information(void **) {
    expect_error("[providers.corp]\nissuer = \"https://user@idp.example\"\nclient_id = \"x\"\n",
                 "test.conf:2:10: \"providers.corp.issuer\" must not contain user information (user@)");
    expect_error("[providers.corp]\nissuer = \"https://user:secret@idp.example/realms/corp\"\nclient_id = \"x\"\n",
                 "test.conf:2:10: \"providers.corp.issuer\" must not contain user information (user@)");
    expect_error(aws + "sts_endpoint = \"https://user@sts.example\"\n",
                 "test.conf:8:16: \"providers.aws.sts_endpoint\" must not contain user information (user@)");
    expect_error(idc + "aws_oidc_endpoint = \"https://user@oidc.example\"\n",
                 "test.conf:7:21: \"providers.corp.aws_oidc_endpoint\" must not contain user information (user@)");
    const std::string start_url = "https://d-1234567890.awsapps.com/start";
    std::string with_user = aws;
    with_user.replace(with_user.find(start_url), start_url.size(), "https://user@d-1234567890.awsapps.com/start");
    expect_error(with_user, "test.conf:3:13: \"providers.aws.start_url\" must not contain user information (user@)");
    // A password in a proxy or IMDS URL is never repeated into the log.
    const std::string imds_with_password =
        parse_error(idc + "aws_credentials = \"imds\"\naws_imds_endpoint = \"http://u:hunter2@127.0.0.1:1338\"\n");
    assert_non_null(std::strstr(imds_with_password.c_str(), "must not contain user information (user@)"));
    assert_null(std::strstr(imds_with_password.c_str(), "hunter2"));
    // An "@" after the host is not user information.
    assert_string_equal(
        oidc_provider(parse("[providers.corp]\nissuer = \"https://idp.example/u@x\"\nclient_id = \"x\"\n"), "corp")
            .issuer.c_str(),
        "https://idp.example/u@x");
}

void expect_error_containing(const std::string &text, const char *part) {
    const std::string error = parse_error(text);
    if (error.find(part) == std::string::npos) fail_msg("error \"%s\" lacks \"%s\"", error.c_str(), part);
}

void aws_idc_exchange_is_off_by_default(void **) {
    const Config c = parse(corp);
    const auto &p = oidc_provider(c, "corp");
    assert_true(p.aws_idc.application_arn.empty());
}

void aws_idc_exchange_minimal_has_defaults(void **) {
    const Config c = parse(idc);
    const auto &p = oidc_provider(c, "corp");
    assert_string_equal(p.aws_idc.application_arn.c_str(), kArn.c_str());
    assert_string_equal(p.aws_idc.region.c_str(), "eu-west-1");
    assert_string_equal(p.aws_idc.sso_session.c_str(), "corp-idc");
    assert_string_equal(p.aws_idc.oidc_endpoint.c_str(), "https://oidc.eu-west-1.amazonaws.com");
    assert_true(p.aws_idc.credentials == devflow::AwsCredentialChoice::any);
    assert_string_equal(p.aws_idc.imds_endpoint.c_str(), "http://169.254.169.254");
}

void aws_idc_exchange_reads_every_key(void **) {
    const auto c = parse(idc +
                         "aws_oidc_endpoint = \"http://127.0.0.1:4000/\"\naws_credentials = \"imds\"\n"
                         "aws_imds_endpoint = \"http://127.0.0.1:1338/\"\n");
    const auto &p = oidc_provider(c, "corp");
    assert_string_equal(p.aws_idc.oidc_endpoint.c_str(), "http://127.0.0.1:4000");
    assert_true(p.aws_idc.credentials == devflow::AwsCredentialChoice::imds);
    assert_string_equal(p.aws_idc.imds_endpoint.c_str(), "http://127.0.0.1:1338");
    assert_true(oidc_provider(parse(idc + "aws_credentials = \"shared-file\"\n"), "corp").aws_idc.credentials ==
                devflow::AwsCredentialChoice::shared_file);
    assert_true(oidc_provider(parse(idc + "aws_credentials = \"environment\"\n"), "corp").aws_idc.credentials ==
                devflow::AwsCredentialChoice::environment);
    assert_string_equal(
        oidc_provider(parse(idc + "aws_credentials = \"imds\"\naws_imds_endpoint = \"http://[fd00:ec2::254]\"\n"),
                      "corp")
            .aws_idc.imds_endpoint.c_str(),
        "http://[fd00:ec2::254]");
}

// IMDS is never the default (plain http to a link-local address): an endpoint
// for it without aws_credentials = "imds" would be silently unused.
void aws_imds_endpoint_needs_the_imds_source(void **) {
    expect_error(idc + "aws_imds_endpoint = \"http://[fd00:ec2::254]\"\n",
                 "test.conf:7:21: \"providers.corp.aws_imds_endpoint\" needs aws_credentials = \"imds\" "
                 "(IMDS is used only when chosen)");
    expect_error_containing(idc + "aws_credentials = \"shared-file\"\naws_imds_endpoint = \"http://169.254.169.254\"\n",
                            "needs aws_credentials = \"imds\"");
}

void aws_idc_exchange_rejects_bad_values(void **) {
    expect_error_containing(corp +
                                "aws_idc_application_arn = \"arn:aws:iam::123456789012:role/x\"\n"
                                "aws_region = \"eu-west-1\"\naws_sso_session = \"s\"\n",
                            "must be an IAM Identity Center application ARN");
    expect_error_containing(idc + "aws_credentials = \"instance\"\n", "providers.corp.aws_credentials");
    expect_error_containing(idc + "aws_imds_endpoint = \"http://169.254.169.253\"\n",
                            "must be http://169.254.169.254, http://[fd00:ec2::254] or a loopback URL");
    expect_error_containing(idc + "aws_imds_endpoint = \"https://imds.example\"\n", "or a loopback URL");
    expect_error_containing(idc + "aws_imds_endpoint = \"http://169.254.169.254/latest\"\n", "without a path");
    expect_error_containing(idc + "aws_oidc_endpoint = \"http://oidc.example\"\n", "must be an https:// URL");
    expect_error_containing(corp + "aws_idc_application_arn = \"" + kArn +
                                "\"\naws_region = \"Europe\"\n"
                                "aws_sso_session = \"s\"\n",
                            "\"providers.corp.aws_region\" must be an AWS region");
}

void aws_idc_exchange_keys_go_together(void **) {
    expect_error_containing(corp + "aws_region = \"eu-west-1\"\n",
                            "\"providers.corp.aws_region\" needs \"aws_idc_application_arn\" in the same provider");
    expect_error_containing(corp + "aws_idc_application_arn = \"" + kArn + "\"\naws_sso_session = \"s\"\n",
                            "has \"aws_idc_application_arn\" but not \"aws_region\"");
    expect_error_containing(corp + "aws_idc_application_arn = \"" + kArn + "\"\naws_region = \"eu-west-1\"\n",
                            "but not \"aws_sso_session\"");
    expect_error_containing(aws + "aws_idc_application_arn = \"" + kArn + "\"\n",
                            "is a key of \"oidc\" providers; this provider has type = \"aws-sso\"");
}

void type_unknown(void **) {
    expect_error("[providers.corp]\ntype = \"saml\"\n",
                 "test.conf:2:8: \"providers.corp.type\" must be one of \"oidc\", \"aws-sso\", not \"saml\"");
}

void provider_name_with_slash(void **) {
    expect_error("[providers.\"../x\"]\nissuer = \"https://x.example\"\nclient_id = \"x\"\n",
                 "test.conf:1:12: provider name \"../x\" may only contain letters, digits, \"-\" and "
                 "\"_\" (at most 64)");
}

// ---- required keys and providers ----

void missing_issuer(void **) {
    expect_error("qr = \"off\"\n[providers.corp]\nclient_id = \"x\"\n",
                 "test.conf:2:1: [providers.corp] is missing the required key \"issuer\" (the IdP's issuer URL)");
}

void missing_client_id(void **) {
    expect_error("[providers.corp]\nissuer = \"https://x.example\"\n",
                 "test.conf:1:1: [providers.corp] is missing the required key \"client_id\"");
}

void no_providers(void **) {
    expect_error("qr = \"off\"\n",
                 "test.conf:1:1: no providers configured: add a [providers.NAME] table with issuer and client_id");
}

void empty_providers_table(void **) {
    expect_error("qr = \"off\"\n[providers]\n",
                 "test.conf:2:1: \"providers\" is empty: add a [providers.NAME] table with issuer and client_id");
}

void default_provider_names_nothing(void **) {
    expect_error("default_provider = \"crop\"\n" + corp + lab,
                 "test.conf:1:20: \"default_provider\" names \"crop\", which is not a configured "
                 "provider (configured: \"corp\", \"lab\") (did you mean \"corp\"?)");
}

// ---- provider selection ----

void provider_by_name(void **) {
    const Config c = parse("default_provider = \"corp\"\n" + corp + lab);
    assert_string_equal(basics_of(c.provider("lab")).name.c_str(), "lab");
}

void provider_by_unknown_name(void **) {
    const Config c = parse(corp + lab);
    assert_string_equal(error_of([&] { (void)c.provider("labs"); }).c_str(),
                        "test.conf: provider \"labs\" is not configured (configured: \"corp\", "
                        "\"lab\") (did you mean \"lab\"?)");
}

void provider_default(void **) {
    const Config c = parse("default_provider = \"lab\"\n" + corp + lab);
    assert_string_equal(basics_of(c.provider("")).name.c_str(), "lab");
}

void provider_only_one(void **) {
    const Config c = parse(lab);
    assert_string_equal(basics_of(c.provider("")).name.c_str(), "lab");
}

void provider_ambiguous(void **) {
    const Config c = parse(corp + lab);
    assert_string_equal(error_of([&] { (void)c.provider(""); }).c_str(),
                        "test.conf: several providers are configured (\"corp\", \"lab\"): set "
                        "default_provider in the file or pass provider=NAME on the pam.d line");
}

// The command's admin chooses with --provider, not on a pam.d line.
void provider_ambiguous_for_the_command(void **) {
    Config c = parse(corp + lab);
    c.reader = devflow::ConfigReader::command;
    assert_string_equal(error_of([&] { (void)c.provider(""); }).c_str(),
                        "test.conf: several providers are configured (\"corp\", \"lab\"): set "
                        "default_provider in the file or pass --provider NAME");
}

// ---- overrides and mode parsers ----

void overrides_replace_file_values(void **) {
    ConfigOverrides overrides;
    overrides.qr = QrMode::off;
    overrides.prompt = PromptMode::automatic;
    overrides.max_wait = 60;
    const Config c = parse("qr = \"ascii\"\nprompt = \"enter\"\nmax_wait = 300\n" + corp, overrides);
    assert_true(c.qr == QrMode::off && c.prompt == PromptMode::automatic && c.max_wait == 60);
}

void override_max_wait_out_of_range(void **) {
    ConfigOverrides overrides;
    overrides.max_wait = 5;
    assert_string_equal(parse_error(corp, overrides).c_str(),
                        "module argument max_wait=5: \"max_wait\" must be between 10 and 3600 seconds, not 5");
}

void parse_modes(void **) {
    assert_true(devflow::parse_qr_mode("utf8") == QrMode::utf8 && devflow::parse_qr_mode("ascii") == QrMode::ascii &&
                devflow::parse_qr_mode("off") == QrMode::off &&
                devflow::parse_qr_mode("utf8-color") == QrMode::utf8_color &&
                devflow::parse_qr_mode("ascii-color") == QrMode::ascii_color &&
                devflow::parse_prompt_mode("enter") == PromptMode::enter &&
                devflow::parse_prompt_mode("auto") == PromptMode::automatic &&
                devflow::parse_prompt_mode("detect") == PromptMode::detect);
}

void parse_qr_mode_rejects(void **) {
    assert_string_equal(error_of([] { (void)devflow::parse_qr_mode("UTF8"); }).c_str(),
                        "\"qr\" must be one of \"utf8\", \"utf8-color\", \"ascii\", \"ascii-color\", \"off\", not "
                        "\"UTF8\"");
}

void parse_prompt_mode_rejects(void **) {
    assert_string_equal(error_of([] { (void)devflow::parse_prompt_mode("entr"); }).c_str(),
                        "\"prompt\" must be one of \"enter\", \"auto\", \"detect\", not \"entr\" "
                        "(did you mean \"enter\"?)");
}

// ---- load_config: the file itself ----

struct TempFile {
    std::string path;
    explicit TempFile(const std::string &content, mode_t mode = 0600) {
        char name[] = "/tmp/devflow_config_XXXXXX";
        const int fd = mkstemp(name);
        assert_true(fd >= 0);
        path = name;
        assert_int_equal(write(fd, content.data(), content.size()), content.size());
        assert_int_equal(fchmod(fd, mode), 0);
        close(fd);
    }
    ~TempFile() { unlink(path.c_str()); }
};

std::string load_error(const std::string &path) {
    return error_of([&] { (void)devflow::load_config(path); });
}

void load_valid_file(void **) {
    const TempFile file(corp);
    ConfigOverrides overrides;
    overrides.qr = QrMode::off;
    const Config c = devflow::load_config(file.path, overrides);
    assert_true(c.path == file.path && c.qr == QrMode::off && c.providers.size() == 1);
}

void load_error_names_file_position(void **) {
    const TempFile file("max_wiat = 60\n" + corp);
    assert_string_equal(load_error(file.path).c_str(),
                        (file.path + ":1:1: unknown key \"max_wiat\" (did you mean \"max_wait\"?)").c_str());
}

void load_refuses_group_writable(void **) {
    const TempFile file(corp, 0620);
    assert_string_equal(load_error(file.path).c_str(), (file.path +
                                                        ": the configuration file is group- or world-writable (mode "
                                                        "0620); run: chmod go-w " +
                                                        file.path)
                                                           .c_str());
}

void load_refuses_world_writable(void **) {
    const TempFile file(corp, 0602);
    assert_string_equal(load_error(file.path).c_str(), (file.path +
                                                        ": the configuration file is group- or world-writable (mode "
                                                        "0602); run: chmod go-w " +
                                                        file.path)
                                                           .c_str());
}

void load_refuses_symlink(void **) {
    const TempFile file(corp);
    const std::string link = file.path + ".link";
    assert_int_equal(symlink(file.path.c_str(), link.c_str()), 0);
    const std::string message = load_error(link);
    unlink(link.c_str());
    assert_string_equal(message.c_str(), (link + ": the configuration file is a symbolic link; refusing it (point "
                                                 "config= at the real file)")
                                             .c_str());
}

void load_refuses_directory(void **) {
    char name[] = "/tmp/devflow_config_dir_XXXXXX";
    assert_non_null(mkdtemp(name));
    const std::string message = load_error(name);
    rmdir(name);
    assert_string_equal(
        message.c_str(),
        (std::string(name) + ": the configuration file is not a regular file (it is a directory)").c_str());
}

void load_refuses_fifo_without_hanging(void **) {
    char name[] = "/tmp/devflow_config_fifo_XXXXXX";
    assert_non_null(mkdtemp(name));
    const std::string fifo = std::string(name) + "/conf";
    assert_int_equal(mkfifo(fifo.c_str(), 0600), 0);
    const std::string message = load_error(fifo);
    unlink(fifo.c_str());
    rmdir(name);
    assert_string_equal(message.c_str(), (fifo + ": the configuration file is not a regular file").c_str());
}

void load_missing_file(void **) {
    assert_string_equal(load_error("/tmp/devflow_config_does_not_exist.conf").c_str(),
                        "/tmp/devflow_config_does_not_exist.conf: the configuration file does not "
                        "exist (create it, or point config= at it)");
}

// pam-device-flow names the file with --config; the module with config=.
void load_for_the_command_names_its_option(void **) {
    const auto command_error = [](const std::string &path) {
        return error_of([&] { (void)devflow::load_config(path, {}, devflow::ConfigReader::command); });
    };
    assert_string_equal(command_error("/tmp/devflow_config_does_not_exist.conf").c_str(),
                        "/tmp/devflow_config_does_not_exist.conf: the configuration file does not "
                        "exist (create it, or point --config at it)");
    const TempFile file(corp);
    const std::string link = file.path + ".link";
    assert_int_equal(symlink(file.path.c_str(), link.c_str()), 0);
    const std::string message = command_error(link);
    unlink(link.c_str());
    assert_string_equal(message.c_str(), (link + ": the configuration file is a symbolic link; refusing it (point "
                                                 "--config at the real file)")
                                             .c_str());
    assert_true(devflow::load_config(file.path, {}, devflow::ConfigReader::command).reader ==
                devflow::ConfigReader::command);
}

void load_refuses_oversized_file(void **) {
    const TempFile file(corp + std::string(devflow::kMaxConfigFileBytes, '#'));
    const std::string message = load_error(file.path);
    assert_string_equal(message.c_str(),
                        (file.path + ": the configuration file is " +
                         std::to_string(corp.size() + devflow::kMaxConfigFileBytes) + " bytes; the limit is 1048576")
                            .c_str());
}

}  // namespace

// check's reading: every error at once, in file order, each with its
// position; the module's reading still stops at the first.
void every_error_is_collected_in_file_order(void **) {
    const std::string text =
        "max_wiat = 30\n"
        "qr = \"big\"\n"
        "[providers.a]\n"
        "client_id = \"x\"\n"
        "colour = 1\n"
        "[providers.b]\n"
        "issuer = \"https://idp.example\"\n"
        "client_id = \"y\"\n";
    const devflow::ConfigErrors result = devflow::collect_config_errors(text, "t.conf");
    assert_false(result.config.has_value());
    const std::vector<std::string> starts = {"t.conf:1:1: unknown key \"max_wiat\"", "t.conf:2:6: \"qr\" must be",
                                             "t.conf:5:1: unknown key \"colour\"",
                                             "t.conf:3:1: [providers.a] is missing the required key \"issuer\""};
    assert_int_equal(result.errors.size(), starts.size());
    for (std::size_t i = 0; i < starts.size(); ++i) {
        if (result.errors[i].rfind(starts[i], 0) != 0)
            fail_msg("error %zu is '%s', expected '%s...'", i, result.errors[i].c_str(), starts[i].c_str());
    }
    // parse_config, the module's reading: the first error only.
    assert_true(parse_error(text).rfind("test.conf:1:1: unknown key \"max_wiat\"", 0) == 0);
}

// A good file gives its Config and no error; a syntax error is the one error.
void collecting_a_good_file_or_a_syntax_error(void **) {
    const devflow::ConfigErrors good =
        devflow::collect_config_errors("[providers.a]\nissuer = \"https://i.example\"\nclient_id = \"x\"\n", "g");
    assert_true(good.config.has_value());
    assert_true(good.errors.empty());
    const devflow::ConfigErrors broken = devflow::collect_config_errors("qr = \"big\"\n[providers\n", "s");
    assert_false(broken.config.has_value());
    assert_int_equal(broken.errors.size(), 1);
    assert_true(broken.errors[0].rfind("s:2:", 0) == 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_config_reads_every_key),
        cmocka_unit_test(every_error_is_collected_in_file_order),
        cmocka_unit_test(collecting_a_good_file_or_a_syntax_error),
        cmocka_unit_test(minimal_config_has_defaults),
        cmocka_unit_test(inline_table_provider_is_accepted),
        cmocka_unit_test(toml_syntax_error_has_position),
        cmocka_unit_test(duplicate_key_has_position),
        cmocka_unit_test(unknown_top_level_key_suggests),
        cmocka_unit_test(unknown_top_level_key_lists_allowed),
        cmocka_unit_test(unknown_provider_key_suggests),
        cmocka_unit_test(first_error_in_file_order_is_reported),
        cmocka_unit_test(max_wait_string_names_type),
        cmocka_unit_test(max_wait_float_names_type),
        cmocka_unit_test(qr_boolean_names_type),
        cmocka_unit_test(scopes_string_names_type),
        cmocka_unit_test(scopes_element_type_is_positioned),
        cmocka_unit_test(providers_not_a_table),
        cmocka_unit_test(provider_not_a_table),
        cmocka_unit_test(client_id_control_character),
        cmocka_unit_test(max_wait_below_range),
        cmocka_unit_test(max_wait_above_range),
        cmocka_unit_test(max_wait_range_ends_accepted),
        cmocka_unit_test(http_timeout_zero),
        cmocka_unit_test(clock_skew_above_range),
        cmocka_unit_test(reuse_window_above_range),
        cmocka_unit_test(reuse_window_negative),
        cmocka_unit_test(reuse_window_string_names_type),
        cmocka_unit_test(reuse_window_range_ends_accepted),
        cmocka_unit_test(provider_reuse_window_overrides_top_level),
        cmocka_unit_test(qr_unknown_value_suggests),
        cmocka_unit_test(prompt_unknown_value),
        cmocka_unit_test(state_dir_relative),
        cmocka_unit_test(client_secret_file_relative),
        cmocka_unit_test(proxy_with_password),
        cmocka_unit_test(issuer_plain_http),
        cmocka_unit_test(issuer_kept_exactly),
        cmocka_unit_test(client_id_empty),
        cmocka_unit_test(scopes_without_openid),
        cmocka_unit_test(scope_with_space),
        cmocka_unit_test(scope_empty_string),
        cmocka_unit_test(aws_sso_minimal_has_regional_endpoints),
        cmocka_unit_test(aws_sso_reads_every_key),
        cmocka_unit_test(aws_sso_oidc_and_aws_side_by_side),
        cmocka_unit_test(aws_sso_missing_required_keys),
        cmocka_unit_test(aws_sso_rejects_bad_values),
        cmocka_unit_test(url_with_user_information),
        cmocka_unit_test(oidc_keys_are_errors_on_aws_sso),
        cmocka_unit_test(aws_sso_keys_are_errors_on_oidc),
        cmocka_unit_test(aws_idc_exchange_is_off_by_default),
        cmocka_unit_test(aws_idc_exchange_minimal_has_defaults),
        cmocka_unit_test(aws_idc_exchange_reads_every_key),
        cmocka_unit_test(aws_idc_exchange_rejects_bad_values),
        cmocka_unit_test(aws_imds_endpoint_needs_the_imds_source),
        cmocka_unit_test(aws_idc_exchange_keys_go_together),
        cmocka_unit_test(type_unknown),
        cmocka_unit_test(provider_name_with_slash),
        cmocka_unit_test(missing_issuer),
        cmocka_unit_test(missing_client_id),
        cmocka_unit_test(no_providers),
        cmocka_unit_test(empty_providers_table),
        cmocka_unit_test(default_provider_names_nothing),
        cmocka_unit_test(provider_by_name),
        cmocka_unit_test(provider_by_unknown_name),
        cmocka_unit_test(provider_default),
        cmocka_unit_test(provider_only_one),
        cmocka_unit_test(provider_ambiguous),
        cmocka_unit_test(provider_ambiguous_for_the_command),
        cmocka_unit_test(overrides_replace_file_values),
        cmocka_unit_test(override_max_wait_out_of_range),
        cmocka_unit_test(parse_modes),
        cmocka_unit_test(parse_qr_mode_rejects),
        cmocka_unit_test(parse_prompt_mode_rejects),
        cmocka_unit_test(load_valid_file),
        cmocka_unit_test(load_error_names_file_position),
        cmocka_unit_test(load_refuses_group_writable),
        cmocka_unit_test(load_refuses_world_writable),
        cmocka_unit_test(load_refuses_symlink),
        cmocka_unit_test(load_refuses_directory),
        cmocka_unit_test(load_refuses_fifo_without_hanging),
        cmocka_unit_test(load_missing_file),
        cmocka_unit_test(load_for_the_command_names_its_option),
        cmocka_unit_test(load_refuses_oversized_file),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
