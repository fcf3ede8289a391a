// The wording of a scored bloc shared by every output: the award states (given, not given, open,
// slots held by open decisions, ineligible, excluded) with their reasons, ties, quota conflicts and
// the headings over them, used by the score table (text, CSV, JSON sentences), explanations, the
// HTML report and the xlsx workbook; plus the board documents' column headings. In the current
// language (dsl/i18n.hpp: --lang or the locale).
//
// Every fixed phrase comes from the message catalogue (dsl/messages.def: the `state_`, `issues_`,
// `awards_` and `board_` entries, and ranking.cpp's decision sentences, which give the reasons).
// Text from the regulation (titles, labels, citations) and from the data (unit names) is passed
// through unchanged: escaping it is the caller's job (HTML) or not needed (spreadsheet cells are
// typed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/scoring.hpp"

namespace thidua::board {

/// The fixed phrases: headings, sheet names, single words.
struct phrases {
    std::string rank, unit, total, bonus, deduction, award, awards, notes;
    std::string self_difference, max_row, criterion, title, rule, citation, formula, derivation;
    std::string computed, points, max, section, not_applicable;
    /// The award states' words: "open" (the award column of a unit whose decision is open),
    /// "excluded from the ranking", "ineligible for awards".
    std::string open, excluded, ineligible;
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

/// Two values of one comparison, with `places` decimals or, when they differ but look alike
/// there, with as many more (up to twelve) as it takes to tell them apart, the same number of
/// decimals for both: ("36.00", "35.50"), ("≈93.920", "≈93.919"), ("≈0.00003", "0.00000").
/// ("≈" marks a value that is not exact at those decimals.)
std::pair<std::string, std::string> apart(const number& a, const number& b, unsigned places);

/// "3", "2–3?" for an unresolved tie, "" when not ranked.
std::string rank(const unit_result& r);
/// A decision the bloc still has to take (a quota conflict, a tie vote, or one waiting on those).
bool is_open(decision_kind k);
/// The award label, "open" when a decision for the unit is still open, or "".
std::string award(const bloc_outcome& bloc, std::size_t unit);
/// Why a unit has the award state it has, one line each: the knock-outs that fired ("excluded
/// from the ranking: LABEL", "ineligible for awards: LABEL") and every open decision with its
/// reason ("LABEL: open: tied at positions 3 to 4, ...").
std::vector<std::string> state_notes(const bloc_outcome& bloc, std::size_t unit);
/// state_notes() and a flagged self-score, as the HTML report's notes column shows them.
std::vector<std::string> notes(const bloc_outcome& bloc, std::size_t unit);
/// "2 slots held by open decisions" ("1 to 2 slots ..." while open issues leave it undecided).
std::string pending_slots(const slot_range& held);
/// A flagged self-score, the same note in every table: "self-score 1000.00 differs by -27.00 from
/// the assessed score (over the tolerance 20)"; for an optional self-score field left empty,
/// self_score_absent(). Empty when the unit's self-score is within the tolerance.
std::string self_score_note(const bloc_outcome& bloc, std::size_t unit);
/// "no self-score (`self_score` is empty)"; empty when the regulation compares no self-score.
std::string self_score_absent(const ast::regulation& ast);

/// Whether a ranked unit's rank (any position of an unresolved tie) is within a tier's candidate
/// ranks (every ranked unit is, for a tier without any).
bool in_window(const tier_report& r, const unit_result& u);
/// The slots a tier really had, as every output states them: its own quota ("limit 2", "50% of
/// 11 members = 5.5, rounded down = 5"), the unused slots passed down to it (", plus 1 passed
/// down"), what the overall awards limit left when that is less ("; the awards limit (60% of 11
/// members = 6.6, rounded down = 6) leaves 3"), and then, when either applied, the slots
/// available ("; slots available: 3"). "no limit" for a tier without a quota that the awards
/// limit did not cut.
std::string tier_slots(const bloc_outcome& bloc, std::size_t tier);
/// Whether tier_slots() says more than "no limit" (the score table and the JSON state it then).
bool slots_limited(const tier_report& r);
/// Why nobody received a tier, for a tier given to nobody with no slot held by open decisions:
/// "none (Sở A, the best-placed candidate: not given: requirement 1 "…" does not hold (…))",
/// the best-placed being the first unit in table order within the candidate ranks that did not
/// receive an earlier tier (its decision without the shortfall, which needs traces); or "none (no
/// unit is ranked within the candidate ranks 2–3)", "none (every unit within the candidate ranks
/// already receives an earlier award)".
std::string nobody(const bloc_outcome& bloc, std::size_t tier);
/// Who received a tier, in table order ("A, B"), then the slots held by open decisions ("; 1 slot
/// held by open decisions"); nobody() when there is neither.
std::string recipients(const bloc_outcome& bloc, std::size_t tier);

/// The regulation's rounding rule for `target`, or null when it declares none.
const ast::rounding_rule* rounding_rule_of(const ast::regulation& ast,
                                           ast::rounding_rule::target target);
/// "rounded down to a multiple of 1 by the regulation (quy-che.tdkt:30)".
std::string rounding(const ast::regulation& ast, const ast::rounding_rule& rule);

/// describe_tie(), describe_conflict(), describe_tie_vote() (ranking.hpp): the same sentences in
/// every output.
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

/// Why a unit did or did not receive a tier, in one sentence: describe_decision() (ranking.hpp),
/// with the knock-outs that made the unit excluded or ineligible and, when `shortfalls`, by how
/// much each failed requirement missed.
std::string decision(const bloc_outcome& bloc, std::size_t unit, std::size_t tier,
                     bool shortfalls = true);

/// By how much a failed requirement missed, from its trace: "`total` needs 1.50 more" for
/// `x >= c`, "`total` is 0.50 too high" for `x <= c`; both parts of an `and`. Empty when the
/// condition is not a numeric comparison (the derivation says why) or when the bloc was scored
/// without trace.
std::string shortfall(const bloc_outcome& bloc, std::size_t unit, std::size_t tier,
                      std::size_t requirement);

}  // namespace thidua::board
