// The board's wording of a scored bloc, shared by the documents made for a bloc meeting (the xlsx
// workbook and the HTML report): column headings, ranks, awards, notes, ties, quota conflicts and
// award decisions, in the current language (dsl/i18n.hpp: --lang or the locale).
//
// Every fixed phrase comes from the message catalogue (dsl/messages.def, the `board_` entries).
// Text from the regulation (titles, labels, citations)
// and from the data (unit names) is passed through unchanged: escaping it is the caller's job
// (HTML) or not needed (spreadsheet cells are typed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scoring.hpp"

namespace thidua::board {

/// The fixed phrases: headings, sheet names, single words.
struct phrases {
    std::string rank, unit, total, bonus, deduction, award, awards, notes, knockouts;
    std::string self_difference, max_row, criterion, title, rule, citation, formula, derivation;
    std::string computed, points, max, section, open_award, not_ranked, not_applicable;
    std::string unresolved_ties, tie_votes, quota_conflicts, no_award;
    std::string ranking_sheet, explanations_sheet;
};
/// The phrases in the current language.
const phrases& text();

/// "Cộng nội dung I" / "Total I": the heading of a section's points.
std::string section_total(std::string_view section);

/// Units in table order: ranked units by position (ties by name), then excluded units by name.
std::vector<std::size_t> table_order(const bloc_outcome& bloc);

/// Decimal places points are shown with (the regulation's criterion rounding, at least 2).
unsigned places(const bloc_outcome& bloc);
/// "96.40"
std::string points(const bloc_outcome& bloc, const number& n);

/// "3", "2–3?" for an unresolved tie, "" when not ranked.
std::string rank(const unit_result& r);
/// The award label, the "open" phrase, or "".
std::string award(const bloc_outcome& bloc, std::size_t unit);
/// Knock-outs that fired ("Không xếp hạng: ...", "Không xét khen thưởng: ...").
std::vector<std::string> knockouts(const bloc_outcome& bloc, std::size_t unit);
/// Everything a board should notice about a unit: knock-outs and a flagged self-score.
std::vector<std::string> notes(const bloc_outcome& bloc, std::size_t unit);

std::string tie(const bloc_outcome& bloc, const tie_group& t);
std::string conflict(const bloc_outcome& bloc, const quota_conflict& c);
std::string tie_vote(const bloc_outcome& bloc, const thidua::tie_vote& v);
/// "30% của 8 thành viên = 2.4, làm tròn xuống = 2", "tối đa 1" (describe_quota()).
std::string quota(const quota_computation& q);
/// "hạng 2", "hạng 1–3" / "rank 2", "ranks 1–3".
std::string ranks(std::uint64_t from, std::uint64_t to);
/// A tier's candidate ranks: ranks(), or "mọi hạng" / "every rank" when it has none.
std::string window(const tier_report& r);
/// "2", "1 đến 2" / "1 to 2".
std::string slots(const slot_range& s);

/// Why a unit did or did not receive a tier, in one sentence.
std::string decision(const bloc_outcome& bloc, std::size_t unit, std::size_t tier);

/// By how much a failed requirement missed, from its trace: "total cần thêm 1.50" for
/// `x >= c`, "total vượt 0.50" for `x <= c`; both parts of an `and`. Empty when the condition is
/// not a numeric comparison (the derivation says why) or when the bloc was scored without trace.
std::string shortfall(const bloc_outcome& bloc, std::size_t unit, std::size_t tier,
                      std::size_t requirement);

}  // namespace thidua::board
