// SPDX-License-Identifier: Apache-2.0
#include "config/module_arguments.hpp"

#include "base/failure.hpp"

#include <cctype>

namespace devflow {
namespace {

long parse_seconds(const std::string &argument, const std::string &text, long low, long high) {
    bool digits = !text.empty() && text.size() <= 6;
    for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    long value = digits ? std::stol(text) : -1;
    if (!digits || value < low || value > high) {
        fail_config("module argument \"" + argument + "\": expected whole seconds from " + std::to_string(low) +
                    " to " + std::to_string(high));
    }
    return value;
}

}  // namespace

ModuleArguments parse_module_arguments(const std::vector<std::string> &arguments) {
    ModuleArguments parsed;
    for (const std::string &argument : arguments) {
        const auto equals = argument.find('=');
        const std::string name = argument.substr(0, equals);
        const std::string value = equals == std::string::npos ? std::string() : argument.substr(equals + 1);
        const bool has_value = equals != std::string::npos;
        if (name == "debug" && !has_value) {
            parsed.debug = true;
        } else if (name == "config" && has_value && !value.empty()) {
            if (value.front() != '/') fail_config("module argument \"" + argument + "\": the path must be absolute");
            parsed.config_path = value;
        } else if (name == "helper" && has_value && !value.empty()) {
            if (value.front() != '/') fail_config("module argument \"" + argument + "\": the path must be absolute");
            parsed.helper_path = value;
        } else if (name == "provider" && has_value && !value.empty()) {
            parsed.provider = value;
        } else if (name == "qr" && has_value) {
            parsed.overrides.qr = parse_qr_mode(value);
        } else if (name == "prompt" && has_value) {
            parsed.overrides.prompt = parse_prompt_mode(value);
        } else if (name == "max_wait" && has_value) {
            parsed.overrides.max_wait = parse_seconds(argument, value, kMaxWaitMin, kMaxWaitMax);
        } else {
            fail_config("unknown or malformed module argument \"" + argument +
                        "\" (known: config=PATH provider=NAME debug "
                        "qr=utf8|utf8-color|ascii|ascii-color|off "
                        "prompt=enter|auto|detect max_wait=SECONDS helper=PATH)");
        }
    }
    return parsed;
}

}  // namespace devflow
