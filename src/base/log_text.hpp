// SPDX-License-Identifier: Apache-2.0
// Untrusted text in log lines. Every value that came from the network, an
// IdP, a token, a JWKS, a discovery document, AWS, a cache or state file or
// a user's file is written into a line through quote_for_log: control bytes
// and non-ASCII become \xNN, so nobody can forge a syslog line (a newline),
// act on the admin's terminal (ESC, C1) or reorder what is read (bidi), and
// long values are cut. escape_log_line is the loggers' last line of defence
// for a value some call site forgot to quote.
#pragma once

#include <string>
#include <string_view>

namespace devflow {

// Returns "value" in double quotes with '"' and '\' escaped by a backslash and
// every byte outside printable ASCII (0x20-0x7e) as \xNN, cut after
// `max_length` input bytes with "..." appended after the closing quote.
// The result is printable ASCII.
std::string quote_for_log(std::string_view value, std::size_t max_length = 128);

// The whole line with every byte outside printable ASCII as \xNN (a newline
// is \x0a, ESC \x1b); printable ASCII, backslashes included, is kept, so text
// quote_for_log wrote passes unchanged. The result is printable ASCII.
std::string escape_log_line(std::string_view line);

}  // namespace devflow
