// `thidua report`: one self-contained HTML page for a bloc meeting (to open, project and print on
// A4). No network, no script, no external font: inline CSS, an inline SVG chart and <details>
// elements for what expands.
//
// The page, top to bottom: a header (regulation title, SHA-256 of regulation and data, thidua
// version; no timestamp, so the same inputs give the same bytes), the ranking table with awards,
// knock-outs and what the bloc still has to decide, the chart of each unit's points by section
// against the maxima, any extra sections (the change impact of `--versus`, engine/html_versus.hpp),
// the awards (who received each one; for candidates who did not, which requirement failed
// and by how much), and every unit's breakdown with the derivation of each criterion.
//
// The page's own words (headings, sentences, derivations) and its `<html lang>` follow the current
// language (dsl/i18n.hpp); text from the regulation and the data is shown as written. Every piece
// of text from the regulation or the data goes through html_escape(), in element content and in
// attributes alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/report.hpp"
#include "engine/scoring.hpp"

namespace thidua {

struct html_report_meta {
    std::string regulation_sha256;
    std::string data_sha256;
    std::string version;  // thidua's
    /// The results' warnings (W201, W202): a notice at the top of the page lists them, with
    /// file:line:column; no notice when empty.
    std::vector<data_warning> warnings{};
};

/// A section of the page: `id` is its anchor (ASCII), `title` plain text (escaped when written),
/// `body` HTML made by the caller, which escapes what it takes from the inputs.
struct html_section {
    std::string id;
    std::string title;
    std::string body;
};

/// The whole page. Needs a bloc scored with trace on. `extra` sections are placed after the
/// chart and listed in the table of contents.
std::string html_report(const bloc_outcome& bloc, const html_report_meta& meta,
                        const std::vector<html_section>& extra = {});

/// Text for HTML element content or a quoted attribute value: & < > " ' become entities.
std::string html_escape(std::string_view text);

}  // namespace thidua
