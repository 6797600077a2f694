# install.cmake - what `cmake --install` puts under the prefix (GNUInstallDirs
# paths), included by the top-level CMakeLists.txt when RELUVET_INSTALL is ON:
#   lib/libreluvet.a, lib/libreluvet_wisdom.a      the libraries
#   include/reluvet/*.h, variants.def               their headers
#   lib/cmake/reluvet/reluvetConfig*.cmake          find_package(reluvet):
#                                                   reluvet::reluvet, reluvet::wisdom
#   lib/pkgconfig/reluvet.pc, reluvet-wisdom.pc     pkg-config (--static: a static library)
#   bin/reluvet                                     the CLI
#   libexec/reluvet/reluvet-bench, librvbench_gbench.so   what `reluvet bench` runs
#   share/reluvet/peers/torch_step.py               the PyTorch peer
#   share/doc/reluvet/LICENSE
# Nothing installed names the source or build tree: the CLI finds its helpers
# relative to its own executable, and the package files relative to
# themselves (the prefix can be moved).
include(CMakePackageConfigHelpers)
set(RELUVET_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/reluvet)

install(TARGETS reluvet reluvet_wisdom EXPORT reluvetTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  FILE_SET HEADERS DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}) # for consumers before CMake 3.23
install(EXPORT reluvetTargets NAMESPACE reluvet:: FILE reluvetTargets.cmake
  DESTINATION ${RELUVET_CMAKE_DIR})

# The package config finds BLIS and cJSON as this build did (neither has a
# CMake package on every system), with this build's folders as hints.
get_filename_component(RV_BLIS_LIBRARY_DIR "${BLIS_LIBRARY}" DIRECTORY)
get_filename_component(RV_CJSON_LIBRARY_DIR "${CJSON_LIBRARY}" DIRECTORY)
configure_package_config_file(cmake/reluvetConfig.cmake.in
  ${PROJECT_BINARY_DIR}/reluvetConfig.cmake INSTALL_DESTINATION ${RELUVET_CMAKE_DIR})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/reluvetConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/reluvetConfig.cmake
              ${PROJECT_BINARY_DIR}/reluvetConfigVersion.cmake
        DESTINATION ${RELUVET_CMAKE_DIR})

# pkg-config: the prefix relative to the .pc file (${pcfiledir}) when the
# install folders are relative; the static library's dependencies in
# Libs.private (pkg-config --static --libs).
set(RV_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(RV_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH rv_up "${CMAKE_INSTALL_PREFIX}/${RV_PC_DIR}" "${CMAKE_INSTALL_PREFIX}")
  string(REGEX REPLACE "/$" "" rv_up "${rv_up}")
  set(RV_PC_PREFIX "\${pcfiledir}/${rv_up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(RV_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(RV_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
string(JOIN " " RV_PC_LIBS_PRIVATE ${BLIS_LIBRARY} ${OpenMP_C_FLAGS} ${CMAKE_THREAD_LIBS_INIT})
if(MATH_LIBRARY)
  string(APPEND RV_PC_LIBS_PRIVATE " -lm")
endif()
configure_file(cmake/reluvet.pc.in ${PROJECT_BINARY_DIR}/reluvet.pc @ONLY)
configure_file(cmake/reluvet-wisdom.pc.in ${PROJECT_BINARY_DIR}/reluvet-wisdom.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/reluvet.pc ${PROJECT_BINARY_DIR}/reluvet-wisdom.pc
        DESTINATION ${RV_PC_DIR})

# The CLI, and what `reluvet bench` runs (found relative to bin/reluvet:
# cli/CMakeLists.txt, cli/cmd_bench.c).
install(TARGETS reluvet-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(RELUVET_HAVE_BENCH)
  install(TARGETS reluvet-bench rvbench_gbench
    RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/reluvet
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/reluvet)
  install(FILES bench/peers/torch_step.py DESTINATION ${CMAKE_INSTALL_DATADIR}/reluvet/peers)
endif()
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
