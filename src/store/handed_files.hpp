// SPDX-License-Identifier: Apache-2.0
// In the helper process, root's files are what the module read for it: the
// helper runs as its own account inside a sandbox that cannot open them, so
// the module reads each file the login needs (the configuration, a client
// secret, a user map, the host's AWS credentials) with read_trusted_file's
// checks and hands over the bytes, or that the file is missing, or why it
// refused it. serve_trusted_files_from makes read_trusted_file answer from
// those only, with the same results and messages it would have given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace devflow {

struct HandedFile {
    enum class State : std::uint8_t { content = 0, missing = 1, refused = 2 };
    std::string path;
    State state = State::missing;
    std::string content;  // the bytes (content), or the refusal's message (refused)
};

// For the helper's main only: from now on read_trusted_file and
// read_trusted_file_if_present read `files` instead of the file system, and
// a path not among them is Failure(config_error).
void serve_trusted_files_from(std::vector<HandedFile> files);

}  // namespace devflow
