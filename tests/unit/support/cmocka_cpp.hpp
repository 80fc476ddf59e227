// cmocka from C++: its header needs these includes first and, on Linux, has no
// extern "C" guard of its own (cmocka 1.1.5), so its functions would get C++
// linkage and fail to link. Include it last: it defines macros such as fail()
// that clash with names in the standard library headers.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <csetjmp>

extern "C" {
#include <cmocka.h>
}
