// SPDX-License-Identifier: Apache-2.0
// cmocka for C++ tests: its prerequisites, and C linkage, which cmocka.h
// (1.1.x) does not declare itself outside Windows. cmocka defines a fail()
// macro that breaks std::basic_ios::fail, so the iostream headers come first;
// include this header after the others all the same.
#pragma once

#include <ios>
#include <iostream>
#include <sstream>

#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

extern "C" {
#include <cmocka.h>
}
