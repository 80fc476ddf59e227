// SPDX-License-Identifier: Apache-2.0
// The user caches are flat JSON objects of strings, serialized by hand into
// one buffer reserved up front: a JSON library's growing buffers would leave
// unwiped copies of the tokens. Values must be printable ASCII (checked by the
// caller with is_printable_ascii, base/text.hpp), so escaping is only '"' and '\\'.
#pragma once

#include "base/json.hpp"

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace devflow {

struct JsonStringField {
    const char *name;
    std::string_view value;
};

enum class JsonLayout {
    indented,  // {\n  "a": "1",\n  "b": "2"\n}: our own OIDC cache
    botocore,  // {"a": "1", "b": "2"}: Python's json.dumps, as the AWS CLI writes its cache
};

// Replaces `out` with the object; `out` may hold secrets afterwards: wipe it.
void serialize_string_object(const std::vector<JsonStringField> &fields, JsonLayout layout, std::string &out);

// Reading a cache back (as its owner): dir/name through read_private_file
// (safe_file.hpp: no symlink, owned by `owner`, no group or world bits, at most
// `max_bytes`), parsed as a JSON object. nullopt when the file does not exist.
// The file's text is wiped; the caller wipes the returned value (it holds
// tokens). Throws Failure(system_error) for an unsafe file or content that is
// not a JSON object.
std::optional<Json> read_cache_object(const std::string &dir, const std::string &name, uid_t owner,
                                      std::size_t max_bytes);

// The member `name` of a cache object when it is a string, "" when it is
// absent; Failure(system_error) naming `path` when it is anything else.
std::string cache_text_member(const Json &object, const char *name, const std::string &path);

}  // namespace devflow
