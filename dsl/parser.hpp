// The parser: regulation text -> AST + diagnostics.
//
// Only parser.cpp includes PEGTL. parse() never throws on bad input and never overflows the stack:
// nesting depth is limited explicitly. It recovers at the next declaration so that several syntax
// errors in one file are reported together.
#pragma once

#include <memory>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"

namespace thidua {

struct parse_result {
    std::unique_ptr<ast::regulation> regulation;  // null when the file could not be parsed at all
    diagnostics diags;
    /// Every comment (`#` to the end of the line, without the line break), in source order. The
    /// AST has no place for them; the formatter re-attaches them by position.
    std::vector<span> comments;
};

/// Maximum nesting depth of expressions and blocks; deeper input is a diagnostic (E005).
inline constexpr unsigned max_nesting_depth = 64;
/// Maximum depth of an expression's tree, where each step of a chain (`a + b + ...`, an `else if`
/// ladder, `.field`) is a level as well as each nesting; a deeper expression is a diagnostic
/// (E005). The passes over expressions (checker, evaluator, formatter, explain) recurse this deep:
/// the evaluator's traced path, the deepest, overflowed 8 MB of stack at about 1,800 levels in
/// the AddressSanitizer debug build, so this leaves a margin of more than 1.5.
inline constexpr unsigned max_expression_depth = 1024;

parse_result parse(const source_ptr& file);

struct test_parse_result {
    std::unique_ptr<ast::test_file> tests;  // null when the file could not be parsed
    diagnostics diags;
    std::vector<span> comments;  // as in parse_result, for the formatter
};

/// Parses a `*.test.tdkt` file: `tests for "regulation.tdkt"` followed by `test` blocks
/// (docs/testing.md). Never throws on bad input; stops at the first syntax error.
test_parse_result parse_tests(const source_ptr& file);

}  // namespace thidua
