// The scored bloc as an Excel workbook (libxlsxwriter), for boards that work in Excel. Sheet names,
// headings and phrases follow the current language (board_text.hpp); with --lang vi:
//
//   "Xếp hạng"     the ranking: rank, unit, points per section, bonus, deduction, total, award,
//                  knock-outs, self-score difference; a row of maxima under the header; unresolved
//                  ties, tie votes, quota conflicts and the awards below the table
//   one per section: each criterion's points, the criterion maxima in the second header row
//   "Giải trình"   one row per unit and criterion (and bonus/deduction item): rule file:line,
//                  citation, formula as written, the derivation with values substituted, the
//                  exact computed value, the points and the maximum
//
// Numbers are written as numbers: the exact value is converted to the nearest double only here,
// at the output boundary (number::to_double), and shown with the regulation's decimals (a number
// format "0.00" for 2 places). The exact value of anything that is not a short decimal is in the
// "Giá trị tính được" column as text. Text cells are always typed strings, never formulas; user
// text that a spreadsheet would run as a formula (formula_like(), the rule the CSV writer uses)
// also gets the Text number format "@", so that editing the cell keeps it text.
//
// Deterministic: the document's creation date is fixed (1980-01-01T00:00:00Z, the zip epoch), so
// the same inputs give a byte-identical file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/report.hpp"
#include "engine/scoring.hpp"

namespace thidua {

/// The workbook's bytes, or nullopt with `error` set. Needs a bloc scored with trace on (the
/// explanations sheet is built from the traces).
std::optional<std::string> score_xlsx(const bloc_outcome& bloc, const report_meta& meta,
                                      std::string& error);

/// A valid, unique Excel sheet name made from `wanted`: the characters []:*?/\ become spaces, an
/// apostrophe cannot start or end it, at most 31 characters (UTF-16 units, as Excel counts), not
/// equal to any name in `taken` ignoring case (as Excel compares; ASCII and Vietnamese letters); "
/// (2)", " (3)"... are appended when needed. The result is added to `taken`.
std::string excel_sheet_name(std::string_view wanted, std::vector<std::string>& taken);

}  // namespace thidua
