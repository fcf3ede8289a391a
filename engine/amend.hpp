// Amendments: a regulation written as changes to another (docs/amendments.md).
//
//   amends "../khoi5-2018/regulation.tdkt"
//   regulation "Quy chế 2019 (dự thảo)" {
//       replace criterion I.2 "..." max 20 { ... }
//       add criterion I.5 "..." max 5 in section I { ... }
//       remove criterion III.2
//   }
//
// The merge turns the amended regulation and the amendment into one ordinary AST, which the
// checker, the evaluator and every command then use as if it had been written in one file. Its
// source is the files combined (source_file::combine): the base's text first, then the
// amendment's, so a rule kept from the base points into the base and a replaced or added one
// into the amendment, and diagnostics and explanations name the file each rule comes from.
#pragma once

#include <memory>

#include "dsl/parser.hpp"

namespace thidua {

/// The longest chain of amendments (a file amending a file amending ...) that is followed.
inline constexpr unsigned max_amendment_depth = 32;

/// When `parsed` holds an amendment (`amends "base.tdkt"`), reads and parses the regulation it
/// amends (the path is relative to the amending file; it may itself be an amendment), merges,
/// and replaces `parsed.regulation` with the merged regulation. Problems (an unreadable base, a
/// cycle, a base with syntax errors, replacing or removing what does not exist, adding what
/// exists) are added to `parsed.diags`, and then `parsed.regulation` is null. An ordinary
/// regulation, or a parse that already failed, is left as it is.
void apply_amendments(parse_result& parsed);

/// Applies the statements of `amendment` (parsed from its own file) to `base` (an ordinary or
/// already merged regulation). Returns the merged regulation, or null after reporting errors to
/// `diags`.
std::unique_ptr<ast::regulation> merge_amendment(std::unique_ptr<ast::regulation> base,
                                                 std::unique_ptr<ast::regulation> amendment,
                                                 diagnostics& diags);

}  // namespace thidua
