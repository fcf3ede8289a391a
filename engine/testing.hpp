// Running tests written in the language (docs/testing.md): score a prepared test's bloc with
// trace on, compare every expectation exactly, and explain each failure with the derivation
// `thidua explain` prints. Rendering of a whole run as text (`N passed, N failed`) or JUnit XML.
// Output is deterministic: no times, no addresses, tests in the order given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/coverage.hpp"
#include "engine/test_checker.hpp"

namespace thidua {

/// One expectation that did not hold.
struct expectation_failure {
    std::string position;     // "rules/x.test.tdkt:14" (the expect line)
    std::string expectation;  // as written: `expect "Sở Tư pháp" total == 85.75`
    std::string actual;       // "85.74", "rank 3..4 (unresolved tie)", "no award", ...
    std::string explanation;  // the derivation (explain_text / versus_text); may be empty
    // Set instead of `explanation` when an earlier failure of the same test has the same one:
    // that failure's position.
    std::string same_explanation_as;
};

struct test_outcome {
    std::string file;  // the test file's path, as given
    std::uint32_t line = 0;
    std::string title;
    std::size_t expectations = 0;
    std::vector<expectation_failure> failures;
    std::string error;  // the bloc could not be scored (the diagnostics, rendered)

    [[nodiscard]] bool passed() const { return failures.empty() && error.empty(); }
};

/// How much of a unit's derivation a failed expectation on its total, rank or award prints:
/// `brief`, the points of each section, criterion and item, the total and the awards (the line
/// of each criterion says where to look); `full`, every derivation as `thidua explain` prints it.
/// A `criterion` expectation always prints the criterion's whole derivation.
enum class explanation_detail { brief, full };

/// Scores the test's bloc and checks every expectation. With `coverage` (built for the same
/// checked regulation), what the bloc exercised is recorded.
test_outcome run_test(const checked_regulation& reg, const prepared_test& test,
                      rule_coverage* coverage,
                      explanation_detail detail = explanation_detail::brief);

/// `PASS file:line "title"` / `FAIL ...` per test, each failure with its expectation, the actual
/// value and the explanation, then `N passed, N failed`.
std::string render_test_text(const std::vector<test_outcome>& results);

/// JUnit XML: one <testsuite> per test file (in order of first appearance), one <testcase> per
/// test, a <failure> for a failed expectation and an <error> for a bloc that could not be scored.
std::string render_test_junit(const std::vector<test_outcome>& results);

/// Text escaped for XML attributes and character data; characters XML 1.0 cannot hold (control
/// characters other than tab, newline and carriage return) become U+FFFD.
std::string xml_escape(std::string_view text);

}  // namespace thidua
