// cmocka for C++ tests: its prerequisites, and C linkage, which cmocka.h
// (1.1.x) does not declare itself outside Windows.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <csetjmp>

extern "C" {
#include <cmocka.h>
}
