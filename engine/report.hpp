// Rendering a scored bloc: the ranking table (text, JSON, CSV) and one unit's explanation (text,
// JSON). Output is deterministic: the same inputs give byte-identical text.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/i18n.hpp"
#include "engine/scoring.hpp"

namespace thidua {

/// A warning the results loader reported (W201, W202). The results were scored anyway, so a board
/// that reads only the JSON or the HTML report must see it there too, not only on stderr.
/// `file` is empty and `line`/`column` are 0 for a warning about no position (W201 is about a
/// whole file, which its message names).
struct data_warning {
    std::string code;
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;  // in characters, as diagnostics count it
    std::string message;
};

/// The warnings among `diags`, in their order (sort them first for a deterministic order).
std::vector<data_warning> data_warnings(const diagnostics& diags);
/// "file:line:column" (or "" without a position).
std::string warning_position(const data_warning& w);

struct report_meta {
    std::string regulation_sha256;
    std::string data_sha256;
    std::vector<data_warning> warnings{};  // score --format json: the top-level "warnings" array
};

std::string score_text(const bloc_outcome& bloc);
std::string score_json(const bloc_outcome& bloc, const report_meta& meta);
/// With `decimal_comma`, cells are separated by `;` and numbers written `92,66`, as
/// Vietnamese-locale Excel opens a CSV file (score --csv-numbers comma).
std::string score_csv(const bloc_outcome& bloc, bool decimal_comma = false);

/// The unit's whole derivation, or only one criterion's when `criterion` is set; lines deeper
/// than `max_depth` are left out (1: the unit's knock-outs, sections, criteria, groups and items
/// with their points, the total and the awards, without the derivation of each number).
/// Requires a bloc scored with trace on.
std::string explain_text(const bloc_outcome& bloc, std::size_t unit,
                         const std::optional<std::string>& criterion,
                         unsigned max_depth = UINT_MAX);
/// `warnings`: the results' warnings, the top-level "warnings" array (empty when none).
std::string explain_json(const bloc_outcome& bloc, std::size_t unit,
                         const std::optional<std::string>& criterion,
                         const std::vector<data_warning>& warnings = {});
/// Why A and B are ranked as they are: the first ranking key that separates them, and the
/// criteria where their points differ.
std::string versus_text(const bloc_outcome& bloc, std::size_t a, std::size_t b);
/// The same as JSON: both units, the ranking keys compared (exact values), and the criteria and
/// items where their points differ (exact values and differences).
std::string versus_json(const bloc_outcome& bloc, std::size_t a, std::size_t b,
                        const std::vector<data_warning>& warnings = {});

/// True when a spreadsheet would run the text as a formula: it starts with = + - @, tab or
/// carriage return. The one rule for every spreadsheet output (CSV cells, xlsx cells).
bool formula_like(std::string_view text);

/// A CSV cell: quoted when it holds a quote, a line break or `separator`; user text that a
/// spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is prefixed
/// with a single quote.
std::string csv_cell(std::string_view text, bool user_text, char separator = ',');

/// The messages for a failed numeric requirement, one per comparison: `x >= c`, `x > c`, `x <= c`,
/// `x < c`, each with {value} (the left side as written) and {amount}.
struct shortfall_wording {
    msg ge, gt, le, lt;
};

/// What would have been enough for a failed requirement ("`total` needs 1.50 more"), from the
/// values recorded in `frame`; for `and`, each failed side joined by "; ". "" when the condition
/// held or is not a numeric comparison.
std::string requirement_shortfall(const bloc_outcome& bloc, const ast::expr& cond,
                                  const trace_frame& frame, const shortfall_wording& wording);

/// Display width of UTF-8 text, in characters.
std::size_t text_width(std::string_view s);

/// The widest a unit's name is shown in the text score table (characters): a longer name is
/// shown as its start, `…` and its end, so that one very long name does not widen every row.
/// For display only: CSV, JSON, explain and the board's documents keep the whole name.
inline constexpr std::size_t max_table_name_width = 60;
/// `name` as the text score table shows it (see max_table_name_width).
std::string table_name(std::string_view name);

/// The most a unit's bonus (or deduction) can be, for the maxima row of the board's documents:
/// the sum of the caps of the regulation's groups of that kind when every one of them declares a
/// cap (`bonus "…" max 4`); nullopt when one has none (the bonus has no maximum) or there is no
/// group of that kind.
std::optional<number> groups_max(const checked_regulation& reg, ast::group::kind kind);

}  // namespace thidua
