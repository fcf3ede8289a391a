// `thidua report --versus OLD.tdkt`: the section of the report that shows what the change from OLD
// to the report's regulation does on the report's data, as `thidua diff OLD REG` computes it
// (engine/diff.hpp): a summary (score, rank and award moves; who is newly proposed for each award
// and who no longer is), the warnings about changes that change nothing on this data, the rule
// changes in the regulation's own terms with `file:line` in both regulations, and one row per unit
// with its total old → new and the difference, its rank and award moves, and each changed number
// attributed to the rule changes that cause it, with the limit that absorbed or cut short the
// change and the unit's value that a moved threshold puts on the other side: `thidua diff`'s own
// sentences (limit_text(), crossing_text(), delta_text()), so that both say the same facts in the
// same words. A move smaller than the decimals shown is never "+0.00".
//
// Gains and losses are coloured (green / red) and also marked with ▲ / ▼ and a sign, so that the
// page reads the same printed in black and white. The section's words follow the current language
// (dsl/i18n.hpp); every text from the regulations, the data or the diff is html_escape()d.
#pragma once

#include "engine/diff.hpp"
#include "engine/html_report.hpp"

namespace thidua {

/// The impact section (`id` "versus") for html_report()'s `extra`. `d` holds the rule changes
/// and the outcome on the report's data: its first dataset (the others, if any, are ignored);
/// without a dataset only the rule changes are shown.
html_section html_versus(const regulation_diff& d);

}  // namespace thidua
