// Explanations: the derivation of every number of one unit, rendered from the evaluator's trace.
//
// Each scoring rule is shown with its position (file:line), its citation, the formula as written,
// the same formula with the submitted and intermediate values substituted, the band or match arm
// chosen, every list element an aggregate visited, and the clamping and rounding applied.
#pragma once

#include <string>
#include <vector>

#include "engine/evaluator.hpp"

namespace thidua {

/// Decimal places used to print points: those of the declared criterion rounding step, at least 2.
unsigned display_places(const ast::regulation& reg);

/// The formula `e` as the regulation writes it, on one line, still valid regulation text: comments
/// dropped, and the bands of a `when` and the arms of a `match` separated by commas where the
/// source separates them by spaces or line breaks only (`{ >= 5: 5, == 4: 3, else: 0 }`).
std::string formula_text(const source_file& src, const ast::expr& e);

/// Renders `e` with the values recorded in `frame` substituted for names, fields, aggregates and
/// branches ("40 / 5", "min(120 / 100, 1) * 8"). Parts never evaluated are shown as written.
std::string substitute(const checked_regulation& reg, const ast::expr& e, const trace_frame& frame);

/// One line of an explanation with its indentation depth.
struct explain_line {
    unsigned depth = 0;
    std::string text;
};

/// The derivation of a scoring body (criterion or item): lets, points, bands, list elements.
std::vector<explain_line> explain_body(const checked_regulation& reg, const ast::scoring_body& body,
                                       const trace_frame& frame, unsigned depth);

/// The derivation of a condition (knock-out or requirement).
std::vector<explain_line> explain_condition(const checked_regulation& reg, const ast::expr& cond,
                                            const trace_frame& frame, unsigned depth);

/// How a `combine rescaled` section's points come from its criteria (language.md §6.3), for a
/// scored unit: `arithmetic` is "19 × 25 / 21 = ≈22.619048, rounded to 22.62" (the sum of the
/// applicable criteria's points × the section's max / the sum of their maxima, then the rounding
/// if any), `parts` where the sum and the maxima come from ("criteria that apply: 2.1 + 2.2 = ...;
/// their maxima 8 + 5 = 13; not applicable: 2.3").
struct rescaled_arithmetic {
    std::string arithmetic;
    std::string parts;
};
rescaled_arithmetic explain_rescaled(const checked_regulation& reg, const scored_unit& s,
                                     std::size_t section);

/// "rules/x.tdkt:31"
std::string rule_position(const ast::regulation& reg, span where);

/// Joins lines with two spaces per depth level.
std::string render_lines(const std::vector<explain_line>& lines);

}  // namespace thidua
