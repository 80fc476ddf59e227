// Text from the network (claim values, group names) quoted for a log line:
// control bytes and non-ASCII become \xNN so nobody can forge or hide syslog
// lines, and long values are cut.
#pragma once

#include <string>
#include <string_view>

namespace devflow {

// Returns "value" in double quotes with '"', '\' and unprintable bytes escaped,
// cut after `max_length` input bytes with "..." appended.
std::string quote_for_log(std::string_view value, std::size_t max_length = 128);

}  // namespace devflow
