# Is the translation file what lupdate makes from today's sources, with every plural form
# of the English catalogue filled in? Fails naming what to do when a string was added or
# changed without `cmake --build <build> --target lockstep_lupdate`, or when a "%n"
# message has no English forms (the console would show "1 run(s)").
#   cmake -DLUPDATE=<lupdate> -DSOURCES=<list file> -DTS_FILE=<.ts> -DWORK_DIR=<dir>
#         "-DOPTIONS=<lupdate options, space-separated>" [-DDROP=<source>] [-DUNFILL=<form>]
#         -P check-translations.cmake
# DROP and UNFILL check a damaged copy instead (the tests that prove the check fails):
# without the message whose source is DROP, or with the plural form UNFILL emptied.
cmake_minimum_required(VERSION 3.25)

foreach(var LUPDATE SOURCES TS_FILE WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check-translations: -D${var}=... is missing")
    endif()
endforeach()
get_filename_component(ts_name ${TS_FILE} NAME)
file(READ ${TS_FILE} committed)
if(DEFINED DROP)
    set(block "    <message>\n        <source>${DROP}</source>\n")
    string(APPEND block "        <translation type=\"unfinished\"></translation>\n    </message>\n")
    string(REPLACE "${block}" "" committed "${committed}")
endif()
if(DEFINED UNFILL)
    string(REPLACE "<numerusform>${UNFILL}</numerusform>" "<numerusform></numerusform>"
                   committed "${committed}")
endif()

# --- Up to date: lupdate on a copy changes nothing ----------------------------------
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(copy ${WORK_DIR}/${ts_name})
file(WRITE ${copy} "${committed}")
separate_arguments(options UNIX_COMMAND "${OPTIONS}")
execute_process(COMMAND ${LUPDATE} @${SOURCES} ${options} -ts ${copy}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check-translations: lupdate failed (${rc}):\n${out}")
endif()
file(READ ${copy} regenerated)

# Texts hold ; and [ ], which CMake lists read as separators and brackets.
macro(listable out text)
    string(REPLACE ";" "@semicolon@" ${out} "${text}")
    string(REPLACE "[" "@open@" ${out} "${${out}}")
    string(REPLACE "]" "@close@" ${out} "${${out}}")
endmacro()
listable(before "${committed}")
listable(after "${regenerated}")

set(problems "")
if(NOT before STREQUAL after)
    string(REGEX MATCHALL "<source>[^<]*</source>" old "${before}")
    string(REGEX MATCHALL "<source>[^<]*</source>" new "${after}")
    set(added ${new})
    list(REMOVE_ITEM added ${old})
    set(removed ${old})
    list(REMOVE_ITEM removed ${new})
    string(APPEND problems "${ts_name} is out of date with the sources: run `cmake --build "
           "<build> --target lockstep_lupdate`, fill the plural forms of new \"%n\" messages "
           "and commit it.\n")
    foreach(m IN LISTS added)
        string(APPEND problems "  new in the sources: ${m}\n")
    endforeach()
    foreach(m IN LISTS removed)
        string(APPEND problems "  gone from the sources: ${m}\n")
    endforeach()
endif()

# --- Every plural message has its English forms -------------------------------------
string(REPLACE "<message" ";<message" messages "${before}")
foreach(m IN LISTS messages)
    if(NOT m MATCHES "^<message numerus=\"yes\">")
        continue()
    endif()
    if(m MATCHES "type=\"unfinished\"" OR m MATCHES "<numerusform></numerusform>"
       OR NOT m MATCHES "<numerusform>")
        string(REGEX MATCH "<source>[^<]*</source>" source "${m}")
        string(APPEND problems "${ts_name}: no English plural forms for ${source}: give it "
               "the singular and the plural (Qt Linguist, or by hand) and drop "
               "type=\"unfinished\".\n")
    endif()
endforeach()

if(problems)
    string(REPLACE "@semicolon@" ";" problems "${problems}")
    string(REPLACE "@open@" "[" problems "${problems}")
    string(REPLACE "@close@" "]" problems "${problems}")
    message(FATAL_ERROR "check-translations:\n${problems}")
endif()
message(STATUS "check-translations: ${ts_name} is up to date and every plural is filled")
