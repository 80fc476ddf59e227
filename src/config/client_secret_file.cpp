// SPDX-License-Identifier: Apache-2.0
#include "config/client_secret_file.hpp"

#include "base/failure.hpp"
#include "store/safe_file.hpp"

namespace devflow {
Secret read_client_secret_file(const std::string &path) {
    std::string content = read_trusted_file(path, trusted_file_owner(), kMaxClientSecretFileBytes, FileSecrecy::secret);
    std::string line = content.substr(0, content.find('\n'));
    wipe(content);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) fail_config("client_secret_file " + path + " is empty");
    return Secret(std::move(line));
}

}  // namespace devflow
