// The scored bloc as an Excel workbook (libxlsxwriter), for boards that work in Excel. Sheet names,
// headings and phrases follow the current language (board_text.hpp); with --lang vi:
//
//   "Xếp hạng"     the ranking: rank, unit, points per section, bonus, deduction, total, award,
//                  knock-outs, self-score difference; a row of maxima under the header (with the
//                  bonus and deduction groups' caps, groups_max()); unresolved
//                  ties, tie votes, quota conflicts and the awards below the table
//   one per section: each criterion's points, the criterion maxima in the second header row
//   "Giải trình"   one row per unit and criterion (and bonus/deduction item): rule file:line,
//                  citation, formula as written, the derivation with values substituted, the
//                  computed value, the points and the maximum
//
// Numbers are written as numbers, shown with the regulation's decimals (a number format "0.00" for
// 2 places). A numeric cell's stored value is decimal text made from the exact value
// (excel_number_text()), never a double's formatting: libxlsxwriter writes every number cell from
// a double, so the sheets' XML is rewritten in the finished archive with the exact texts
// (72.82, not 72.81999999999999). The "Giá trị tính được" column shows the computed value as
// `thidua explain` does (number::display(0, 4): "4.775", "≈24.3583"). Text cells are always typed
// strings, never formulas; user text that a spreadsheet would run as a formula (formula_like(),
// the rule the CSV writer uses) also gets the Text number format "@", so that editing the cell
// keeps it text.
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

/// The stored value of a numeric cell: the exact decimal text when the value has a finite
/// decimal expansion of at most 15 significant digits (what an Excel cell holds): "72.82", "-0.5",
/// "60"; otherwise the value rounded half up to 15 significant digits, as decimal text made from
/// the exact value ("24.3583333333333" for 2923/120). nullopt when even that is beyond what a cell
/// can hold (1e308 or more in magnitude, or not zero but below 1e-307): the caller writes text.
std::optional<std::string> excel_number_text(const number& n);

/// A valid, unique Excel sheet name made from `wanted`: the characters []:*?/\ become spaces, an
/// apostrophe cannot start or end it, at most 31 characters (UTF-16 units, as Excel counts), not
/// equal to any name in `taken` ignoring case (as Excel compares; ASCII and Vietnamese letters); "
/// (2)", " (3)"... are appended when needed. The result is added to `taken`.
std::string excel_sheet_name(std::string_view wanted, std::vector<std::string>& taken);

}  // namespace thidua
