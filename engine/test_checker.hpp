// Checking tests written in the language (docs/testing.md) and building their submissions.
//
// A test names units, gives their values inline and/or loads a results file or directory, and
// expects things of named units. prepare_tests() resolves every name against the checked
// regulation (input fields, enum members, criteria, sections, awards, units), converts inline
// values to the types of the regulation's `input` schema, loads the `data` of each test with the
// ordinary results loader and applies the inline units on top. Every problem is a diagnostic with
// the test file's line and column (codes E400-E419, listed in docs/testing.md); a file with any
// error runs none of its tests.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "engine/checker.hpp"
#include "engine/data.hpp"

namespace thidua {

/// An expectation with its names resolved.
struct resolved_expectation {
    const ast::expectation* decl = nullptr;
    std::vector<std::size_t> units;  // indices into prepared_test::units
    std::size_t index = 0;           // section, flat criterion or award index, as the kind needs
    number value;                    // points: the expected value (exact)
    std::optional<number> within;    // points: the allowed difference, when given
};

/// One test ready to run: the bloc it scores and its resolved expectations.
struct prepared_test {
    const ast::test_decl* decl = nullptr;
    source_ptr file;               // the file the test is written in
    std::vector<unit_data> units;  // the data's units in file order, then new inline units
    std::vector<source_ptr> data_files;
    std::vector<resolved_expectation> expectations;  // parallel to decl->expectations
};

/// Checks `tests` (written in `file`) against `reg` and builds their submissions. `data` paths
/// are relative to the directory of `file`. Returns one prepared_test per test; when an error was
/// reported to `diags` the result must not be run. Leaves `diags` in the order to print them
/// (order_by_cause(): a data's units file before its list files); do not sort it again.
std::vector<prepared_test> prepare_tests(const checked_regulation& reg,
                                         const std::vector<ast::test_decl>& tests,
                                         const source_ptr& file, diagnostics& diags);

}  // namespace thidua
