// The board's wording of a scored bloc, shared by the documents made for a bloc meeting (the xlsx
// workbook and the HTML report): column headings, ranks, awards, notes, ties, quota conflicts and
// award decisions, in Vietnamese.
//
// Every fixed phrase of those documents lives in board_text.cpp (one table), so that the message
// catalogue can take them over in one place. Text from the regulation (titles, labels, citations)
// and from the data (unit names) is passed through unchanged: escaping it is the caller's job
// (HTML) or not needed (spreadsheet cells are typed).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/scoring.hpp"

namespace thidua::board {

/// The fixed phrases. One instance, vi(); later, one per language.
struct phrases {
    std::string rank, unit, total, bonus, deduction, award, notes, knockouts, self_difference;
    std::string section_total, max_row, criterion, title, rule, citation, formula, derivation;
    std::string computed, points, max, section, open_award, not_ranked, not_applicable;
    std::string unresolved_ties, tie_votes, quota_conflicts, no_award;
    std::string ranking_sheet, explanations_sheet;
};
const phrases& vi();

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
/// "30% của 8 thành viên = 2,4, làm tròn xuống = 2", "tối đa 1".
std::string quota(const quota_computation& q);

/// Why a unit did or did not receive a tier, in one sentence.
std::string decision(const bloc_outcome& bloc, std::size_t unit, std::size_t tier);

/// By how much a failed requirement missed, from its trace: "cần thêm 1.50" for `x >= c`,
/// "vượt 0.50" for `x <= c`; both parts of an `and`. Empty when the condition is not a numeric
/// comparison (the derivation says why) or when the bloc was scored without trace.
std::string shortfall(const bloc_outcome& bloc, std::size_t unit, std::size_t tier,
                      std::size_t requirement);

}  // namespace thidua::board
