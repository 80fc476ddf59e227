// SPDX-License-Identifier: Apache-2.0
#include "config/private_key_file.hpp"

#include "base/failure.hpp"
#include "store/safe_file.hpp"

namespace devflow {

Secret read_private_key_file(const std::string &path) {
    Secret pem(read_trusted_file(path, trusted_file_owner(), kMaxPrivateKeyFileBytes, FileSecrecy::secret));
    if (pem.reveal().find_first_not_of(" \t\r\n") == std::string::npos)
        fail_config("private_key_file " + path + " is empty");
    return pem;
}

}  // namespace devflow
