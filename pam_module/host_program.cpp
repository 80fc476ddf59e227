// SPDX-License-Identifier: Apache-2.0
#include "host_program.hpp"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

namespace devflow {
namespace {

bool names_sudo(const char *path) noexcept {
    const char *slash = strrchr(path, '/');
    const char *name = slash == nullptr ? path : slash + 1;
    return strcmp(name, "sudo") == 0 || strcmp(name, "sudoedit") == 0;
}

}  // namespace

bool host_program_is_sudo() noexcept {
    // The executable, not argv[0]: the caller of a set-uid sudo chooses argv[0].
    char path[PATH_MAX + 1];
    const ssize_t length = readlink("/proc/self/exe", path, PATH_MAX);
    if (length > 0) {
        path[length] = '\0';
        return names_sudo(path);
    }
    return names_sudo(program_invocation_short_name);
}

}  // namespace devflow
