# posix_ipc_swig_module(<target> LANGUAGE <lang> MODULE_NAME <swig module>
#                       OUTPUT_NAME <file name> OUTPUT_DIR <dir>
#                       [SWIG_OPTIONS ...] [DEPENDS <glue headers> ...]
#                       [SWIG_INCLUDE_DIRECTORIES <dirs of generated .i files> ...]
#                       [PREGENERATED <wrapper .cxx>] [WORK_DIR <dir>])
# Builds swig/<lang>.i (which includes the shared swig/posix_ipc.i) into a
# loadable module linked with the core: the part every language shares.
# Without SWIG (>= 4.1) it compiles PREGENERATED instead, when that file
# exists: the wrapper SWIG made for the Python sdist (setup.py sdist), so
# installing the sdist needs only a C++ compiler and CMake, as upstream's
# needs only a C compiler. WORK_DIR (default <binary dir>/swig) receives the
# generated wrapper: two modules of one language (Tcl 8.6 and 9) need two.
function(posix_ipc_swig_module target)
  cmake_parse_arguments(ARG "" "LANGUAGE;MODULE_NAME;OUTPUT_NAME;OUTPUT_DIR;PREGENERATED;WORK_DIR" "SWIG_OPTIONS;DEPENDS;SWIG_INCLUDE_DIRECTORIES" ${ARGN})
  if(NOT ARG_WORK_DIR)
    set(ARG_WORK_DIR ${CMAKE_CURRENT_BINARY_DIR}/swig)
  endif()
  if(SWIG_FOUND)
    set(interface ${POSIX_IPC_SWIG_DIR}/${ARG_LANGUAGE}.i)
    set_property(SOURCE ${interface} PROPERTY CPLUSPLUS ON)
    set_property(SOURCE ${interface} PROPERTY SWIG_MODULE_NAME ${ARG_MODULE_NAME})
    swig_add_library(${target}
      TYPE MODULE
      LANGUAGE ${ARG_LANGUAGE}
      OUTPUT_DIR ${ARG_WORK_DIR}
      OUTFILE_DIR ${ARG_WORK_DIR}
      SOURCES ${interface})
    set_property(TARGET ${target} PROPERTY SWIG_COMPILE_OPTIONS ${ARG_SWIG_OPTIONS})
    set_property(TARGET ${target} PROPERTY SWIG_INCLUDE_DIRECTORIES ${POSIX_IPC_SWIG_DIR} ${CMAKE_CURRENT_SOURCE_DIR}
      ${PROJECT_SOURCE_DIR}/core/include ${ARG_SWIG_INCLUDE_DIRECTORIES})
    set_property(TARGET ${target} PROPERTY SWIG_DEPENDS ${POSIX_IPC_SWIG_DIR}/posix_ipc.i ${ARG_DEPENDS})
  elseif(ARG_PREGENERATED AND EXISTS ${ARG_PREGENERATED})
    message(STATUS "SWIG >= 4.1 not found: ${target} is built from the shipped wrapper ${ARG_PREGENERATED}")
    add_library(${target} MODULE ${ARG_PREGENERATED})
  else()
    string(TOUPPER ${ARG_LANGUAGE} option)
    message(FATAL_ERROR "SWIG >= 4.1 is needed to build ${target} (Debian: apt-get install swig), "
                        "or turn that language off (-DPOSIX_IPC_${option}=OFF)")
  endif()
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE posix_ipc_core)
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
  # SWIG's generated code trips warnings that are not ours to fix.
  target_compile_options(${target} PRIVATE -Wno-missing-field-initializers -Wno-unused-parameter)
endfunction()
