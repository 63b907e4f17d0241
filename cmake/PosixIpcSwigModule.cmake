# posix_ipc_swig_module(<target> LANGUAGE <lang> MODULE_NAME <swig module>
#                       OUTPUT_NAME <file name> OUTPUT_DIR <dir>
#                       [SWIG_OPTIONS ...] [DEPENDS <glue headers> ...])
# Builds swig/<lang>.i (which includes the shared swig/posix_ipc.i) into a
# loadable module linked with the core: the part every language shares.
function(posix_ipc_swig_module target)
  cmake_parse_arguments(ARG "" "LANGUAGE;MODULE_NAME;OUTPUT_NAME;OUTPUT_DIR" "SWIG_OPTIONS;DEPENDS" ${ARGN})
  set(interface ${POSIX_IPC_SWIG_DIR}/${ARG_LANGUAGE}.i)
  set_property(SOURCE ${interface} PROPERTY CPLUSPLUS ON)
  set_property(SOURCE ${interface} PROPERTY SWIG_MODULE_NAME ${ARG_MODULE_NAME})
  swig_add_library(${target}
    TYPE MODULE
    LANGUAGE ${ARG_LANGUAGE}
    OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/swig
    OUTFILE_DIR ${CMAKE_CURRENT_BINARY_DIR}/swig
    SOURCES ${interface})
  set_property(TARGET ${target} PROPERTY SWIG_COMPILE_OPTIONS ${ARG_SWIG_OPTIONS})
  set_property(TARGET ${target} PROPERTY SWIG_INCLUDE_DIRECTORIES ${POSIX_IPC_SWIG_DIR} ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/core/include)
  set_property(TARGET ${target} PROPERTY SWIG_DEPENDS ${POSIX_IPC_SWIG_DIR}/posix_ipc.i ${ARG_DEPENDS})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE posix_ipc_core)
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
  # SWIG's generated code trips warnings that are not ours to fix.
  target_compile_options(${target} PRIVATE -Wno-missing-field-initializers -Wno-unused-parameter)
endfunction()
