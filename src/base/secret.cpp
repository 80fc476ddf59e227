// SPDX-License-Identifier: Apache-2.0
#include "base/secret.hpp"

#include <cstring>
#include <strings.h>

namespace devflow {

void wipe(void *data, std::size_t size) noexcept {
    if (data != nullptr && size > 0) {
        explicit_bzero(data, size);
    }
}

void wipe(std::string &text) noexcept {
    // Wipe the whole capacity: a shorter value may have overwritten a longer one.
    wipe(text.data(), text.capacity());
    text.clear();
}

}  // namespace devflow
