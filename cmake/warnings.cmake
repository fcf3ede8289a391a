# project_warnings: an INTERFACE target carrying our warning flags, linked by our own targets only
# (dependencies are included as system headers and are not affected).
option(THIDUA_WERROR "Treat warnings as errors on thidua's own targets" ON)
add_library(project_warnings INTERFACE)
target_compile_options(project_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual
    $<$<BOOL:${THIDUA_WERROR}>:-Werror>)
