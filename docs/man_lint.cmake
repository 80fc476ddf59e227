# SPDX-License-Identifier: Apache-2.0
# Run as: cmake -DGROFF=/usr/bin/groff -DPAGES="a.8|b.5" -P man_lint.cmake
# groff exits 0 even when it warns, so any output on stderr counts as failure.
string(REPLACE "|" ";" pages "${PAGES}")
set(failed FALSE)
foreach(page IN LISTS pages)
  execute_process(COMMAND ${GROFF} -man -Tutf8 -ww -z ${page}
                  RESULT_VARIABLE rc ERROR_VARIABLE warnings)
  if(NOT rc EQUAL 0 OR NOT warnings STREQUAL "")
    message(SEND_ERROR "${page}: groff rc=${rc}\n${warnings}")
    set(failed TRUE)
  else()
    message(STATUS "${page}: no warnings")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "man page check failed")
endif()
