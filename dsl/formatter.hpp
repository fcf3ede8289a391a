// The formatter behind `thidua fmt`: a parsed regulation (or amendment, or `*.test.tdkt` test
// file) -> its text in the canonical layout.
//
// The output is built from the AST, so formatting never changes the meaning (the --dump-ast of the
// input and of the output are equal: tests/unit/formatter_test.cpp checks it for every regulation
// in rules/ and the golden corpus), and formatting twice changes nothing. The source text is
// consulted only for what the AST does not keep: the comments (re-attached by position: a comment
// on its own line stays before the construct that follows it, a comment after code stays at the
// end of that line; where clauses are written in another order than the source's, as in awards,
// the ranking and heads, each clause takes the comments of its stretch of the source along),
// single blank lines between constructs, and the language of the keywords.
//
// The layout: 4 spaces per level; one declaration, clause, field, band or statement per line;
// one space around binary operators; parentheses only where precedence needs them; strings
// re-escaped; keywords in one language; number literals as written (their text is what
// explanations quote). In an amendment, `amends "PATH"` comes first on a line of its own and each
// statement is its action (`add`, `replace`, `remove`) then the declaration laid out as in a
// regulation, an added declaration's placement (`in section I`, `after I.2`) last in its head.
// A declaration head or condition longer than 100 columns is broken before
// its clauses (8 spaces more) or before its condition (4 spaces more); an expression longer than
// that is broken after an aggregate's ':', before `and` / `or` at its top level and before each
// `else` of an `if` (an else-if ladder one rung per line, in parentheses or not). A comment
// between two parts the layout would join keeps a line break there (docs/cli.md, `fmt`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/keywords.hpp"

namespace thidua {

struct format_options {
    /// The language of the keywords written; nullopt: the language of the file's first keyword
    /// (`regulation` or `quy chế`; `amends` or `sửa đổi` in an amendment), so a Vietnamese
    /// regulation stays Vietnamese.
    std::optional<keywords::lang> language;
};

/// The language the regulation's first keyword is written in.
keywords::lang written_language(const ast::regulation& r);

/// The regulation in the canonical layout. `comments` are the parse result's comment spans.
std::string format_regulation(const ast::regulation& r, const std::vector<span>& comments,
                              const format_options& options = {});

/// A `*.test.tdkt` file (`tests for "..."` and its tests) in the canonical layout; the default
/// language is that of its first keyword (`tests` or `bộ kiểm thử`).
std::string format_tests(const ast::test_file& t, const std::vector<span>& comments,
                         const format_options& options = {});

}  // namespace thidua
