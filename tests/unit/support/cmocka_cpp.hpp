// cmocka from C++: its header needs these includes first and, on Linux, has no
// extern "C" guard of its own (cmocka 1.1.5), so its functions would get C++
// linkage and fail to link.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <csetjmp>

extern "C" {
#include <cmocka.h>
}
