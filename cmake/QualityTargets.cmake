# SPDX-License-Identifier: Apache-2.0
# Quality checks as build targets, so every CI check runs the same way locally:
#
#   cmake --build build --target check   build and run ctest in this tree
#   cmake --build build --target asan    unit, libpam and net tests under ASan/UBSan (build/asan)
#   cmake --build build --target fuzz    libFuzzer targets with clang (build/fuzz), ctest -L fuzz
#   (asan_build and fuzz_build only configure and build those trees; tests/run_quality.sh
#   runs them first so that CI can tell build time from test time)
#   cmake --build build --target tidy    clang-tidy over src/, pam_module/ and helper/ (.clang-tidy)
#   cmake --build build --target format        rewrite the C++ sources in place (.clang-format)
#   cmake --build build --target format-check  fail, with a short diff, when one is not formatted
#   (both run tests/check_format.sh, which CI can also call directly)
#
# asan and fuzz configure and build their own trees under this one; they never
# change the flags of this tree.

option(DEVFLOW_FUZZ "Build the libFuzzer targets (Clang only)" OFF)
option(DEVFLOW_SANITIZE "Build everything with -fsanitize=address,undefined" OFF)
set(DEVFLOW_QUALITY_JOBS 2 CACHE STRING "Parallel jobs for the asan and fuzz sub-builds")

if(DEVFLOW_SANITIZE)
  # UB is fatal so a finding fails its test rather than scrolling by.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# Only the top-level tree gets the targets; the sub-trees would recurse.
if(DEVFLOW_FUZZ OR DEVFLOW_SANITIZE)
  return()
endif()

add_custom_target(check
  COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}
  COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${CMAKE_BINARY_DIR} --output-on-failure
  USES_TERMINAL VERBATIM
  COMMENT "Building and running every test in ${CMAKE_BINARY_DIR}")

set(DEVFLOW_ASAN_DIR ${CMAKE_BINARY_DIR}/asan)
add_custom_target(asan_build
  COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR} -B ${DEVFLOW_ASAN_DIR}
          -DCMAKE_BUILD_TYPE=Debug -DDEVFLOW_SANITIZE=ON -DDEVFLOW_TESTS=ON
  COMMAND ${CMAKE_COMMAND} --build ${DEVFLOW_ASAN_DIR} --parallel ${DEVFLOW_QUALITY_JOBS}
  USES_TERMINAL VERBATIM
  COMMENT "Building with AddressSanitizer + UBSan in ${DEVFLOW_ASAN_DIR}")
add_custom_target(asan
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1
          UBSAN_OPTIONS=print_stacktrace=1
          ${CMAKE_CTEST_COMMAND} --test-dir ${DEVFLOW_ASAN_DIR} -L "^(unit|pam|net)$"
          --output-on-failure --parallel ${DEVFLOW_QUALITY_JOBS}
  USES_TERMINAL VERBATIM
  COMMENT "Unit, libpam and net tests under AddressSanitizer + UBSan in ${DEVFLOW_ASAN_DIR}")
add_dependencies(asan asan_build)

find_program(DEVFLOW_CLANG clang)
find_program(DEVFLOW_CLANGXX clang++)
set(DEVFLOW_FUZZ_DIR ${CMAKE_BINARY_DIR}/fuzz)
if(DEVFLOW_CLANG AND DEVFLOW_CLANGXX)
  add_custom_target(fuzz_build
    COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR} -B ${DEVFLOW_FUZZ_DIR}
            -DCMAKE_C_COMPILER=${DEVFLOW_CLANG} -DCMAKE_CXX_COMPILER=${DEVFLOW_CLANGXX}
            -DDEVFLOW_FUZZ=ON -DDEVFLOW_TESTS=ON
    COMMAND ${CMAKE_COMMAND} --build ${DEVFLOW_FUZZ_DIR} --target devflow_fuzzers
            --parallel ${DEVFLOW_QUALITY_JOBS}
    USES_TERMINAL VERBATIM
    COMMENT "Building the libFuzzer targets in ${DEVFLOW_FUZZ_DIR}")
  add_custom_target(fuzz
    COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${DEVFLOW_FUZZ_DIR} -L fuzz --output-on-failure
            --parallel ${DEVFLOW_QUALITY_JOBS}
    USES_TERMINAL VERBATIM
    COMMENT "libFuzzer targets in ${DEVFLOW_FUZZ_DIR} (see tests/fuzz/README.md)")
  add_dependencies(fuzz fuzz_build)
else()
  foreach(devflow_fuzz_target fuzz_build fuzz)
    add_custom_target(${devflow_fuzz_target}
      COMMAND ${CMAKE_COMMAND} -E echo "fuzz needs clang and clang++ (with libFuzzer)"
      COMMAND ${CMAKE_COMMAND} -E false)
  endforeach()
endif()

find_program(DEVFLOW_RUN_CLANG_TIDY NAMES run-clang-tidy run-clang-tidy-14)
find_program(DEVFLOW_CLANG_TIDY NAMES clang-tidy clang-tidy-14)
if(DEVFLOW_RUN_CLANG_TIDY AND DEVFLOW_CLANG_TIDY)
  # Checks and header filter come from .clang-tidy; the compile commands of this
  # tree give each file its flags. Findings are reported, not fatal.
  add_custom_target(tidy
    COMMAND ${DEVFLOW_RUN_CLANG_TIDY} -quiet -clang-tidy-binary ${DEVFLOW_CLANG_TIDY}
            -p ${CMAKE_BINARY_DIR} -j ${DEVFLOW_QUALITY_JOBS}
            "${PROJECT_SOURCE_DIR}/(src|pam_module|helper)/.*\\.cpp$"
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    USES_TERMINAL VERBATIM
    COMMENT "clang-tidy over src/, pam_module/ and helper/")
else()
  add_custom_target(tidy
    COMMAND ${CMAKE_COMMAND} -E echo "tidy needs clang-tidy and run-clang-tidy"
    COMMAND ${CMAKE_COMMAND} -E false)
endif()

# clang-format 14 (.clang-format is set for it). The script finds the files
# itself (src/, pam_module/, helper/, tests/ but not tests/fixtures) and, when no
# clang-format was found here, says so and fails.
find_program(DEVFLOW_CLANG_FORMAT NAMES clang-format-14 clang-format)
set(devflow_format_env)
if(DEVFLOW_CLANG_FORMAT)
  set(devflow_format_env ${CMAKE_COMMAND} -E env CLANG_FORMAT=${DEVFLOW_CLANG_FORMAT})
endif()
add_custom_target(format
  COMMAND ${devflow_format_env} bash ${PROJECT_SOURCE_DIR}/tests/check_format.sh --fix
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  USES_TERMINAL VERBATIM
  COMMENT "clang-format: rewriting the C++ sources in place")
add_custom_target(format-check
  COMMAND ${devflow_format_env} bash ${PROJECT_SOURCE_DIR}/tests/check_format.sh
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  USES_TERMINAL VERBATIM
  COMMENT "clang-format: checking that the C++ sources are formatted")
