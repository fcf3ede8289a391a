// A deterministic S-expression dump of the AST, for tests and `thidua check --dump-ast`.
//
// One declaration per line, nested parts indented by two spaces; expressions on one line in
// prefix form: `(+ a (* 2 b))`, `(. i target)`, `(call min a b)`, `(sum i indicators (where c) e)`,
// `(when p (>= 100% 20) (else 0))`. Strings are quoted with \" \\ \n \t escaped, so labels are
// reproduced byte for byte. Spans and ids are not shown (they are tested separately).
#pragma once

#include <string>

#include "dsl/ast.hpp"

namespace thidua {

/// The whole regulation, ending with a newline.
std::string dump_ast(const ast::regulation& r);
/// One expression on one line (no newline); "<null>" for a null pointer.
std::string dump_expr(const ast::expr* e);
/// A `*.test.tdkt` file: `(tests for "path"` then one `(test ...)` per test, ending with a newline.
std::string dump_tests(const ast::test_file& f);

}  // namespace thidua
