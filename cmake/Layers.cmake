# SPDX-License-Identifier: Apache-2.0
# src/ is built as one static library per folder ("layer"), each naming the
# layers it may use. A layer's headers are reachable only through an include
# root of its own, build/layers/<name>, holding one link <name> -> src/<name>:
# a file sees "base/failure.hpp" only when its layer uses devflow_base
# (directly or through a layer it uses), so an include the wrong way, say
# net/ -> config/ or oidc/ <-> aws/, fails to compile. docs/architecture.md
# draws the graph.

set(DEVFLOW_LAYER_ROOT ${PROJECT_BINARY_DIR}/layers)
set(DEVFLOW_LAYER_SOURCES "")
set(DEVFLOW_LAYER_INCLUDE_ROOTS "")

# devflow_layer(NAME USES <layers...> LINKS <other targets...>)
function(devflow_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 layer "" "" "USES;LINKS")
  set(root ${DEVFLOW_LAYER_ROOT}/${name})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${name} ${root}/${name} SYMBOLIC)
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  list(TRANSFORM layer_USES PREPEND devflow_)
  if(sources)
    add_library(devflow_${name} STATIC ${sources})
    target_include_directories(devflow_${name} PUBLIC ${root})
    target_compile_options(devflow_${name} PRIVATE ${DEVFLOW_WARNINGS} ${DEVFLOW_HARDENING})
    target_link_libraries(devflow_${name} PUBLIC ${layer_USES} ${layer_LINKS})
  else()  # headers only (interfaces)
    add_library(devflow_${name} INTERFACE)
    target_include_directories(devflow_${name} INTERFACE ${root})
    target_link_libraries(devflow_${name} INTERFACE ${layer_USES} ${layer_LINKS})
  endif()
  set(DEVFLOW_LAYER_SOURCES ${DEVFLOW_LAYER_SOURCES} ${sources} PARENT_SCOPE)
  set(DEVFLOW_LAYER_INCLUDE_ROOTS ${DEVFLOW_LAYER_INCLUDE_ROOTS} ${root} PARENT_SCOPE)
endfunction()
