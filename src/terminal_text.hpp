// Text from the IdP (user_code, verification URLs) is shown on the user's terminal.
// A hostile IdP must not be able to move the cursor, clear the screen, set the
// window title, plant hyperlinks or reorder what the user reads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace devflow {

// Keeps printable ASCII and valid printable UTF-8. Drops C0 controls (with whole
// ESC/CSI/OSC/DCS sequences), DEL, C1 controls (with the sequences they introduce)
// and bidi embedding/override/isolate characters; replaces invalid UTF-8 with '?'.
// The result is at most max_bytes long and never ends inside a UTF-8 sequence.
std::string sanitize_for_terminal(std::string_view untrusted, std::size_t max_bytes);

}  // namespace devflow
