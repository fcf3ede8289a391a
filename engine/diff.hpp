// The impact of a change: two regulations compared in their own terms, and what the change does
// to the outcome on one or more datasets (`thidua diff OLD NEW --data PATH...`,
// docs/amendments.md).
//
// compare_regulations() lists what changed, matched by id (criteria, sections, awards), by label
// (bonus/deduction groups and items, knock-outs, requirements; a requirement or knock-out whose
// label was reworded with its threshold is paired with its old self), by name (inputs, enums,
// lets) or by target (rounding). compare_outcomes() scores nothing itself: it takes both blocs
// scored on the same data and finds, unit by unit, every number and decision that differs, each
// attributed to the rule changes it depends on (a criterion's own definition, the inputs and enums
// its formula reads, the criteria and sections it refers to, the rounding that applies to it, a
// section's or group's header, an award's requirements, quota or candidates, the ranking, the
// knock-outs). A change that no difference is attributed to is reported as having no effect on that
// data.
//
// Everything is exact and deterministic: units in data order, changes in the order of the
// regulation text (old first, then what only the new one has).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/checker.hpp"
#include "engine/number.hpp"
#include "engine/scoring.hpp"

namespace thidua {

/// A comparison with a threshold, as a change of threshold sees it: `value OP bound` (a
/// comparison written `80 <= x` is turned around). Points into the regulation compared.
struct threshold_side {
    enum class op { eq, ne, lt, le, gt, ge };
    const ast::expr* value = nullptr;  // the value compared (the same text on both sides)
    const ast::expr* bound = nullptr;
    op compare = op::ge;
};

/// One difference between the two regulations.
struct rule_change {
    enum class kind { added, removed, changed };
    kind what = kind::changed;
    /// What changed, as the language names it: `criterion I.2`, `section II`, `award flag`,
    /// `bonus "Điểm thưởng"`, `item "Tin bài"`, `exclude "..."`, `ranking`, `rounding criterion`,
    /// `input tasks_assigned`, `enum rating`, `scale`, `awards limit`, `self_score`. Several
    /// changes may share a subject (a criterion whose maximum and formula both changed).
    std::string subject;
    /// Which part: "criterion", "section", ... (for added / removed), "label", "maximum",
    /// "cite", "applies", "combine", "let", "formula", "band", "arm", "cap", "requirement",
    /// "candidates", "quota", "unused slots", "order", "condition", "keys", "ties", "type",
    /// "members", "step", "field", "tolerance".
    std::string aspect;
    /// For a requirement change, the requirement's label (how award changes are attributed).
    std::string part;
    /// For a requirement or a knock-out paired across a change of its label (docs/amendments.md:
    /// one removed and one added at the same place, of the same shape), its label in the new
    /// regulation; `part` and `subject` name it as the old one does.
    std::string renamed;
    /// For a change of an award tier (`award flag`), the tier's label (the old regulation's; the
    /// new one's for a tier only it has): what the board reads in place of the id.
    std::string label;
    /// One line in words: "maximum 3 → 4", "band `>= 95%: 17` → `>= 97%: 17`".
    std::string description;
    std::optional<std::string> old_position;  // "file:line" in the old regulation
    std::optional<std::string> new_position;  // "file:line" in the new regulation
    /// For a threshold that moved (aspect "threshold": a comparison in a formula; or "band": a
    /// band's threshold), the comparison in each regulation, so that the outcome can name the
    /// units whose value now falls on the other side. Valid while both regulations are.
    std::optional<std::pair<threshold_side, threshold_side>> threshold;
};

/// A limit that held a number back on either side: what the rule computed, and the limit that
/// applied (a criterion's or an item's maximum, a group's cap, or 0: points are never negative).
/// It explains a change the limit absorbed (the points are the same on both sides while what the
/// rule computed moved) or cut short.
struct limit_note {
    number old_computed;  // a criterion's or an item's value before the limit; a group's items
    number new_computed;
    std::optional<number> old_limit;  // the limit that applied on that side; nullopt: none did
    std::optional<number> new_limit;
    bool group = false;                   // a group's cap (else a criterion's or item's maximum)
    std::optional<std::string> position;  // file:line of the maximum or cap (new, else old)
};

/// A number of one unit that differs: points of a criterion, an item, a section or a group.
/// With a limit note, the points may be the same on both sides (the limit absorbed the change).
struct points_difference {
    std::string subject;  // `criterion I.2`, `item "..."`, `section II`, `bonus "..."`, `total`
    std::string label;
    std::optional<number> old_points;  // nullopt: not in that regulation, or not applicable
    std::optional<number> new_points;
    std::vector<std::size_t> causes;  // indices into regulation_diff::changes
    bool deduction = false;  // a deduction item or group: more points is a loss for the unit
    std::optional<limit_note> limit = std::nullopt;
    /// The rule is only in the new regulation (`added`) or only in the old one (`removed`): the
    /// side without points is so because the rule is not there (else: not applicable).
    bool added = false;
    bool removed = false;
    /// The points are the same on both sides: only the limit note says what moved.
    [[nodiscard]] bool absorbed() const { return old_points == new_points; }
    /// The unit's points moved: the two sides differ, a side without points counting as 0. A new
    /// criterion that gives 0, or a removed one that gave 0, moved nothing: such a difference is
    /// listed (the board sees what the new rule gave) but is not a change of points.
    [[nodiscard]] bool moved() const {
        return old_points.value_or(number()) != new_points.value_or(number());
    }
};

/// A points difference's subject in words, saying when the rule is only in one regulation:
/// "new criterion III.4", "removed item \"...\"" ("tiêu chí III.4 (mới)", "mục \"...\" (đã bỏ)").
std::string points_subject_in_words(const points_difference& p);

/// A points difference's numbers as the text report and the HTML impact section write them:
/// "5.50 → 4.00", "— → 2.00"; a single number when nothing moved and one side has no points
/// (a new criterion that gives 0: "0.00").
std::string points_change_text(const points_difference& p, unsigned places);

/// The limit note in words, as the text report and the HTML impact section write it: "computed
/// 16.00 → 12.00, capped at 10 both times (maximum, file:line): the change is absorbed"; "" when
/// `p` has no note.
std::string limit_text(const points_difference& p, unsigned places);

/// A difference, signed, with `places` decimals or, when it is not 0 but would show as 0 there,
/// with as many more (up to twelve) as it takes not to: "+0.50", "-1.00", "≈+0.0009"; "0.00"
/// only for 0. The text report's Δ and the HTML impact section's.
std::string delta_text(const number& d, unsigned places);

/// Two sides of an arrow ("old → new"), with `places` decimals or, when they differ but look
/// alike there, with as many more as it takes to tell them apart, the same number of decimals on
/// both sides (board::apart); "—" for a side without points.
std::pair<std::string, std::string> points_apart(const std::optional<number>& old_points,
                                                 const std::optional<number>& new_points,
                                                 unsigned places);

/// " (a limit absorbed it for A, B)": what the warning about a change that changes nothing adds
/// when a limit absorbed what the change moved (dataset_difference::absorbed).
std::string absorbed_for_text(const std::vector<std::string>& units);

/// A change's or a difference's subject (`criterion I.2`, `item "..."`) in the language of
/// messages (`tiêu chí I.2`, `mục "..."`), as the text report writes it.
std::string subject_in_words(const std::string& subject);
/// A rule change's subject as the board reads it: subject_in_words(), with an award tier named
/// by its label (`award "Cờ thi đua của UBND tỉnh"`, `khen thưởng "..."`), by its id only when
/// the label is empty.
std::string change_subject_in_words(const rule_change& c);

/// A unit's value that a threshold change puts on the other side of the threshold: `p` = 0.91
/// held `p >= 90%` and does not hold `p >= 92%`.
struct threshold_crossing {
    std::size_t change = 0;  // index into regulation_diff::changes
    std::string subject;     // the criterion or item whose formula compares: `criterion I.2`
    std::string value;       // the value compared, as written: `p`
    std::string old_value;   // its value for the unit under each regulation (as explained)
    std::string new_value;
    bool old_holds = false;
    bool new_holds = false;
};

/// A threshold crossing in words, as the text report and the HTML impact section write it:
/// "[1] p = 0.91: met the old threshold, not the new one" ("0.90 → 0.91" when the value moved
/// too, with one number of decimals on both sides).
std::string crossing_text(const threshold_crossing& c);

/// What moved around a unit whose award changed (docs/amendments.md): a slot of the tier freed
/// or taken by another unit, another unit now ranked behind or ahead of it, the tier's slots or
/// the awards limit changed. It says why when the unit's own rank and total did not move (and
/// adds to it when they did).
struct award_note {
    /// "slot_freed" / "slot_taken": another unit no longer takes / now takes a slot that counts
    /// against this one (of the tier, or under `awards limit`: `limit` is set); "behind" /
    /// "ahead": another unit is now ranked behind / ahead of it; "quota": the tier's own limit;
    /// "passed_down": the slots passed down to the tier; "awards_limit".
    std::string kind;
    std::string unit;    // the other unit, for slot_freed, slot_taken, behind, ahead
    std::string tier;    // the tier's label (passed_down: the tier the slots come to)
    bool limit = false;  // slot_freed / slot_taken: under the awards limit (else the tier's)
    std::vector<std::size_t> causes;  // indices into regulation_diff::changes
    std::string text;                 // in words, without the causes
};

/// A unit's status as the board reads it: "ranked", "not eligible for awards", "excluded" (in the
/// language of messages; the JSON keeps the identifiers).
std::string status_in_words(const std::string& status);

/// One unit on one dataset under both regulations.
struct unit_difference {
    std::string name;
    struct side {
        bool present = false;         // the unit is in this side's data
        std::string status;           // "ranked", "ineligible", "excluded"
        std::optional<number> total;  // nullopt when excluded (or absent)
        std::string rank;             // "1", "3-4?", "-"
        std::string award;            // the tier's id; "" none; "?" open (the bloc decides)
        std::string award_label;
        std::vector<std::string> knockouts;  // labels of the knock-outs that hold
    };
    side old_side;
    side new_side;
    bool score_changed = false;  // total, or any criterion / item / section / group points
                                 // (points_difference::moved())
    bool rank_changed = false;
    bool award_changed = false;
    /// The award is open on both sides (the bloc decides) but not for the same reason: a tie vote
    /// became a quota conflict, or other units share the open decision. award_changed is set
    /// too, and award_reason says what the decision was and what it is.
    bool open_changed = false;
    bool status_changed = false;
    std::vector<points_difference> points;
    std::vector<threshold_crossing> crossings;  // by change, then subject
    std::vector<std::size_t> status_causes;
    std::vector<std::size_t> rank_causes;
    std::vector<std::size_t> award_causes;
    /// Why the new award is what it is, when it changed: the tier lost or gained, by its label,
    /// and its decision as every output words it (board::decision(): "Cờ thi đua của UBND tỉnh:
    /// not given: requirement 5 \"...\" does not hold"); for open_changed, the open decisions
    /// before and now.
    std::string award_reason;
    /// What moved around the unit for its award to change (its causes are in award_causes too).
    std::vector<award_note> award_context;
    /// When the rank changed and the ranking did not (rank_causes is empty): the other units
    /// whose place relative to this one changed (kind "ahead", "level", "behind": where it is
    /// now; "unranked": no longer ranked; "ranked": ranked now, and not before), with their own
    /// move and its causes.
    std::vector<award_note> rank_context;
    /// When award_causes is empty: the words that say so, "(rank or total moved)" when the
    /// unit's own rank or total moved, else "(the slots or other units' results changed)".
    [[nodiscard]] std::string award_no_cause() const;
    /// When rank_causes is empty: "(its total moved)", "(other units' results moved)", both, or
    /// "(totals moved)" when neither can be named.
    [[nodiscard]] std::string rank_no_cause() const;
};

/// Who gains and who loses one award tier (matched by id).
struct award_movement {
    std::string id;
    std::string label;
    std::vector<std::string> gains;   // units that receive it under the new regulation only
    std::vector<std::string> losses;  // units that received it under the old one only
};

struct dataset_difference {
    std::string data;                    // the --data path
    std::vector<unit_difference> units;  // every unit, in data order
    std::size_t score_changed = 0;       // units whose points moved anywhere
    std::size_t total_changed = 0;       // of those, units whose total moved
    std::size_t rank_changed = 0;
    std::size_t award_changed = 0;
    std::vector<award_movement> awards;  // old tiers in order, then new-only tiers
    std::vector<std::size_t> no_effect;  // changes nothing on this dataset is attributed to
    /// For changes of no_effect that moved what a rule computed but a limit absorbed it: the
    /// change and the units (in the order of `units`).
    std::vector<std::pair<std::size_t, std::vector<std::string>>> absorbed;
};

struct regulation_diff {
    std::string old_path;
    std::string new_path;
    std::string old_title;
    std::string new_title;
    unsigned places = 2;  // decimals used to show points (the finer of the two regulations)
    std::vector<rule_change> changes;
    std::vector<dataset_difference> datasets;
};

/// What changed between two checked regulations.
std::vector<rule_change> compare_regulations(const checked_regulation& old_reg,
                                             const checked_regulation& new_reg);

/// The outcome on one dataset, scored under both regulations (the same data loaded for each).
/// `changes` is what compare_regulations() returned for the same pair.
dataset_difference compare_outcomes(const std::vector<rule_change>& changes,
                                    const bloc_outcome& old_bloc, const bloc_outcome& new_bloc,
                                    std::string data);

/// The report: rule changes with positions, then per dataset the units, the summary and the
/// warnings.
std::string diff_text(const regulation_diff& d);
/// The same as a JSON document; points are decimal strings.
std::string diff_json(const regulation_diff& d);

}  // namespace thidua
