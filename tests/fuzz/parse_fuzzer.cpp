// libFuzzer target: any bytes must parse to an AST or diagnostics, never crash, hang or throw.
// Also dumps the AST when there is one, so the lowering and the dump are exercised too.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "dsl/ast_dump.hpp"
#include "dsl/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto file = std::make_shared<thidua::source_file>(
        "fuzz.tdkt", std::string(reinterpret_cast<const char*>(data), size));
    const thidua::parse_result r = thidua::parse(file);
    if (r.regulation) {
        (void)thidua::dump_ast(*r.regulation);
    }
    for (const auto& d : r.diags.items()) {
        (void)thidua::render_text(d);
    }
    return 0;
}
