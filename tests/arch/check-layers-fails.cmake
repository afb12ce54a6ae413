# Proves check-layers.cmake fails on a forbidden edge: a copy of the tree and of the
# link graph must pass as they are, then fail, naming the edge, once CASE adds one.
#   cmake -DCASE=<case> -DSOURCE_DIR=<tree> -DLINKS=<links.cmake> -DCHECK=<check-layers.cmake>
#         -DWORK_DIR=<scratch folder> -P check-layers-fails.cmake
cmake_minimum_required(VERSION 3.25)

set(tree ${WORK_DIR}/tree)
set(links ${WORK_DIR}/links.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${tree}/docs)
file(COPY ${SOURCE_DIR}/sync_core DESTINATION ${tree})
file(COPY ${SOURCE_DIR}/docs/ARCHITECTURE.md DESTINATION ${tree}/docs)
file(COPY_FILE ${LINKS} ${links})

function(run_check rc_out text_out)
    execute_process(
        COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${tree} -DLINKS=${links} -P ${CHECK}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(${rc_out} ${rc} PARENT_SCOPE)
    set(${text_out} "${out}${err}" PARENT_SCOPE)
endfunction()

run_check(rc text)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the unchanged copy already fails, so a failure below would prove nothing:\n${text}")
endif()

# Each case: the edge it adds and the words the check must say about it.
if(CASE STREQUAL "include")
    file(APPEND ${tree}/sync_core/store/workspace.cpp "\n#include \"engine/mappingrun.h\"\n")
    set(expect "sync_core/store/workspace.cpp includes \"engine/mappingrun.h\": store may not use engine")
elseif(CASE STREQUAL "relative_include")
    file(APPEND ${tree}/sync_core/identity/identityresolver.h "\n#include \"../engine/synccontroller.h\"\n")
    set(expect "includes \"../engine/synccontroller.h\": identity may not use engine")
elseif(CASE STREQUAL "widgets_include")
    file(APPEND ${tree}/sync_core/util/clock.h "\n#include <QtWidgets/QWidget>\n")
    set(expect "sync_core/util/clock.h includes <QtWidgets...>")
elseif(CASE STREQUAL "link")
    file(APPEND ${links} "list(APPEND ARCH_lockstep_store_LINKS lockstep_engine)\n")
    set(expect "lockstep_store links lockstep_engine: store may not use engine")
elseif(CASE STREQUAL "widgets_link")
    file(APPEND ${links} "list(APPEND ARCH_lockstep_engine_LINKS Qt6::Widgets)\n")
    set(expect "lockstep_engine links Qt6::Widgets: sync_core uses QtCore, QtNetwork and QtSql only")
elseif(CASE STREQUAL "unlinked_include")
    file(APPEND ${links} "list(REMOVE_ITEM ARCH_lockstep_store_LINKS lockstep_util)\n")
    set(expect "sync_core/store includes from util but lockstep_store does not link lockstep_util")
elseif(CASE STREQUAL "table_cycle")
    # Allowing the edge in the table instead must not help: the table has to stay layered.
    file(READ ${tree}/docs/ARCHITECTURE.md doc)
    string(REPLACE "| `store` | `lockstep_store` | `members`, `util` |"
                   "| `store` | `lockstep_store` | `engine`, `members`, `util` |" edited "${doc}")
    if(edited STREQUAL doc)
        message(FATAL_ERROR "the store row of docs/ARCHITECTURE.md is not as this test expects")
    endif()
    file(WRITE ${tree}/docs/ARCHITECTURE.md "${edited}")
    file(APPEND ${tree}/sync_core/store/workspace.cpp "\n#include \"engine/mappingrun.h\"\n")
    set(expect "the layer table has a cycle among")
elseif(CASE STREQUAL "unlisted_folder")
    file(WRITE ${tree}/sync_core/planner/runplan.h "#pragma once\n")
    set(expect "sync_core/planner is not in the layer table")
else()
    message(FATAL_ERROR "unknown CASE '${CASE}'")
endif()

run_check(rc text)
if(rc EQUAL 0)
    message(FATAL_ERROR "check-layers.cmake passed with a forbidden edge (${CASE}):\n${text}")
endif()
string(FIND "${text}" "${expect}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "check-layers.cmake failed, but without naming the edge (${CASE}): expected\n  ${expect}\ngot:\n${text}")
endif()
message(STATUS "check-layers.cmake failed as it should (${CASE}):\n${text}")
