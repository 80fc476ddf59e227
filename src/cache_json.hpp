// The user caches are flat JSON objects of strings, serialized by hand into
// one buffer reserved up front: a JSON library's growing buffers would leave
// unwiped copies of the tokens. Values must be printable ASCII (checked by the
// caller), so escaping is only '"' and '\\'.
#pragma once

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

// Bytes 0x20..0x7e only.
bool is_printable_ascii(std::string_view value);

// Replaces `out` with the object; `out` may hold secrets afterwards: wipe it.
void serialize_string_object(const std::vector<JsonStringField> &fields, JsonLayout layout, std::string &out);

}  // namespace devflow
