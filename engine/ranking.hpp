// Ranking and award tiers: pure policy over per-unit standings.
//
// The evaluator computes, for every unit, its ranking key values and the truth of every award
// requirement; rank_and_award() turns those into positions, tie reports, award decisions and open
// issues for the bloc to vote on. Nothing here evaluates expressions and nothing uses floating
// point: quotas are computed with exact numbers. docs/ranking-awards.md states the rules with
// worked examples; the comments below only say what each field holds.
//
// Determinism: the result depends only on the arguments (never on input order for anything but
// the index-aligned `units` vector); tied units are listed by name (byte order of the UTF-8
// text), for display only: a name never decides a rank or an award.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "engine/number.hpp"

namespace thidua {

/// What the evaluator knows about one unit.
struct unit_standing {
    std::string name;                      // unique among the units
    bool excluded = false;                 // an `exclude` knock-out fired: not ranked, no award
    bool ineligible = false;               // an `ineligible` knock-out fired: ranked, no award
    std::vector<number> keys;              // one per ranking key, in declaration order
    std::vector<number> first_place_keys;  // one per `first place by` key
    /// requirements[a][r]: requirement r of award tier a holds. May be empty for an excluded unit.
    std::vector<std::vector<bool>> requirements;
};

/// Thrown for arguments the checker or the evaluator should never produce: a malformed quota or
/// candidate window (`where` points at it in the regulation), a key or requirement vector of the
/// wrong length, two units with the same name.
class ranking_error : public std::invalid_argument {
  public:
    ranking_error(const std::string& what, span where)
        : std::invalid_argument(what), where_(where) {}
    [[nodiscard]] span where() const { return where_; }

  private:
    span where_;
};

/// Why a quota has the size it has: "30% of 7 members = 2.1, rounded down = 2".
struct quota_computation {
    ast::quota::kind what = ast::quota::kind::absolute;
    number amount;              // N, or P for P% of members
    std::uint64_t members = 0;  // for percent_of_members
    number exact;               // N, or P * members / 100
    ast::quota::rounding how = ast::quota::rounding::down;
    std::uint64_t slots = 0;  // the rounded result
};

/// A number of slots known only within bounds while some decision is open (lo == hi otherwise).
struct slot_range {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    [[nodiscard]] bool exact() const { return lo == hi; }
    friend bool operator==(const slot_range&, const slot_range&) = default;
};

/// Units equal on every ranking key (after the first-place keys, at first place).
struct tie_group {
    std::vector<std::size_t> units;  // indices into the input, by name (display order only)
    std::uint32_t from = 0;          // the positions the group occupies: from..to
    std::uint32_t to = 0;
    ast::tie_mode mode = ast::tie_mode::shared;
    bool first_place = false;  // the group holds position 1 (the first-place policy applied)
};

/// Quota boundary inside a group of units sharing a rank: the bloc chooses `slots` of `units`.
/// Later decisions assume every contested slot is given (the others come down to later tiers).
struct quota_conflict {
    std::size_t tier = 0;
    std::vector<std::size_t> units;  // by name
    std::uint32_t rank = 0;
    std::uint64_t slots = 0;
    bool unresolved_tie = false;  // the group is also an unresolved tie (the vote settles both)
};

/// An unresolved tie whose positions straddle a tier's candidate window: the vote decides who is
/// inside it.
struct tie_vote {
    std::size_t tier = 0;
    std::vector<std::size_t> units;  // the group's members that could receive the tier, by name
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    std::uint32_t window_from = 0;
    std::uint32_t window_to = 0;
};

enum class decision_kind : std::uint8_t {
    given,
    excluded,            // not ranked
    ineligible,          // ranked, but no award
    already_awarded,     // other_tier holds the tier it received
    outside_window,      // rank..rank_to does not meet the tier's candidate ranks
    requirement_failed,  // failed_requirements lists which
    quota_exhausted,     // no slot left even in the most favourable outcome of open issues
    quota_conflict,      // issue: index into ranking_outcome::conflicts
    pending_tie_vote,    // issue: index into ranking_outcome::tie_votes
    pending_other_tier,  // the unit is itself in an open issue of an earlier tier (open_tiers)
    pending_dependency,  // a slot for it depends on open issues (open_tiers), not on the unit
};

/// The decision for one unit at one tier, as data; describe_decision() renders it.
struct tier_decision {
    decision_kind kind = decision_kind::excluded;
    std::uint32_t rank = 0;     // the unit's rank (0 when not ranked)
    std::uint32_t rank_to = 0;  // last position of its unresolved tie; == rank otherwise
    std::vector<std::size_t> failed_requirements;  // 0-based, ascending
    std::size_t other_tier = 0;
    std::size_t issue = 0;
    std::vector<std::size_t> open_tiers;  // ascending
};

/// What happened at one award tier, and how many slots it had.
struct tier_report {
    std::string id;
    std::string label;
    std::optional<std::uint32_t> window_from;  // nullopt: every rank is a candidate
    std::optional<std::uint32_t> window_to;
    std::vector<std::string> requirement_labels;
    std::optional<quota_computation> quota;  // the tier's own `limit`; nullopt: no limit
    bool pass_down = false;
    slot_range passed_in;                   // from the previous tier
    std::optional<slot_range> slots;        // own quota + passed in; nullopt: unlimited
    std::optional<slot_range> global_left;  // what `awards limit` still allowed; nullopt: no cap
    std::optional<slot_range> available;    // min(slots, global_left); nullopt: unlimited
    std::uint64_t given = 0;
    slot_range held;                   // slots that open issues of this tier may still take
    std::optional<slot_range> unused;  // slots - given - held; nullopt when unlimited
    slot_range passed_down;            // unused when `pass_down`, else 0
};

struct unit_result {
    std::string name;
    bool excluded = false;
    bool ineligible = false;
    std::optional<std::uint32_t> rank;  // nullopt: excluded
    std::uint32_t rank_to = 0;          // == rank unless the rank is an unresolved tie
    bool rank_unresolved = false;
    std::optional<std::size_t> tie;    // index into ranking_outcome::ties
    std::optional<std::size_t> award;  // the tier received, when decided
    bool award_open = false;           // some tier's decision for this unit is still open
    std::vector<tier_decision> tiers;  // one per award tier
};

struct ranking_outcome {
    std::vector<unit_result> units;            // index-aligned with the input
    std::vector<std::size_t> order;            // ranked units, table order (ties by name)
    std::vector<std::size_t> excluded;         // excluded units, by name
    std::vector<tie_group> ties;               // every group of two or more tied units, table order
    std::vector<std::size_t> unresolved_ties;  // indices into ties (mode unresolved)
    std::vector<quota_conflict> conflicts;
    std::vector<tie_vote> tie_votes;
    std::vector<tier_report> tiers;
    std::optional<quota_computation> awards_limit;
    std::uint64_t awards_given = 0;
    slot_range awards_held;  // slots that open issues may still take, over all tiers
};

/// Ranks the units and assigns the award tiers.
///
/// `ranking` may be null: then every key is descending, ties are unresolved and there are no
/// first-place keys (the evaluator passes the total as the only key). `members` is the number of
/// units of the bloc (excluded ones included), the base of percentage quotas. Throws ranking_error
/// on malformed arguments (see above); never on any combination of standings.
ranking_outcome rank_and_award(const ast::ranking_decl* ranking,
                               const std::vector<ast::award>& awards,
                               const std::optional<ast::quota>& awards_limit, std::uint64_t members,
                               const std::vector<unit_standing>& units);

/// The size of a quota. Throws ranking_error when the amount is not a number, when an absolute
/// limit is not a whole number, or when the result does not fit.
quota_computation compute_quota(const ast::quota& q, std::uint64_t members);

/// A message when the quota cannot be used (what compute_quota would throw), else nullopt. For the
/// checker.
std::optional<std::string> quota_problem(const ast::quota& q);
/// A message when a tier's candidate window is malformed (rank 0, from > to, `to` without `from`).
std::optional<std::string> window_problem(const ast::award& a);

// English sentences for the explanation printer. Unit and tier names come from the outcome.

/// "30% of 7 members = 2.1, rounded down = 2", "limit 1".
std::string describe_quota(const quota_computation& q);
/// "2", or "1 to 2" while open issues leave it undecided.
std::string describe_slots(const slot_range& s);
/// "given: rank 2 is within ranks 2..3 and every requirement holds", "not given: ...", "open: ...".
std::string describe_decision(const ranking_outcome& out, std::size_t unit, std::size_t tier);
/// "Sở A and Sở B are tied at positions 2 to 3 (unresolved: the bloc votes)".
std::string describe_tie(const ranking_outcome& out, const tie_group& t);
std::string describe_conflict(const ranking_outcome& out, const quota_conflict& c);
std::string describe_tie_vote(const ranking_outcome& out, const tie_vote& v);

}  // namespace thidua
