# project_warnings: an INTERFACE target carrying our warning flags, linked by our own targets only
# (dependencies are included as system headers and are not affected).
option(THIDUA_WERROR "Treat warnings as errors on thidua's own targets" ON)
add_library(project_warnings INTERFACE)
target_compile_options(project_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual
    $<$<BOOL:${THIDUA_WERROR}>:-Werror>)
# g++ 12 reports false -Wrestrict positives inside libstdc++'s std::string at -O2/-O3 (GCC bug
# 105329); they are not about our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(project_warnings INTERFACE -Wno-restrict)
endif()
