// The evaluator: a checked regulation + one unit's submitted values -> that unit's points.
//
// Semantics (docs/semantics.md): a criterion's points are clamped to [0, max] and then rounded if
// the regulation declares criterion rounding; a section is the sum of its applicable criteria (or
// that sum re-scaled to the section's maximum over the applicable maxima), clamped to [0, max];
// items are clamped to [0, max], groups to [0, max]; total = sections + bonus - deduction, never
// below 0. Rounding happens only where declared. An `exclude` knock-out is decided first and an
// excluded unit is not scored.
//
// Evaluation errors (division by zero, an absent optional value used in a computation, a number
// too large) are thrown as eval_error naming the rule; they are never turned into a silent zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/checker.hpp"
#include "engine/data.hpp"
#include "engine/value.hpp"

namespace thidua {

/// A runtime value: numbers exact; text, lists and records point into the loaded data.
struct rt_value {
    enum class tag : std::uint8_t { absent, boolean, number, date, text, enumeration, list, row };
    tag what = tag::absent;
    bool b = false;
    std::uint32_t e = 0;  // enum member index
    // Only one of these is meaningful for a given tag; sharing the storage keeps a value at 48
    // bytes (it is copied once per evaluated node and once per traced one).
    union {
        std::int64_t d = 0;  // date serial
        const std::string* s;
        const std::vector<record>* list;
        const record* rec;
    };
    number n;

    static rt_value of(const number& v) {
        rt_value r;
        r.what = tag::number;
        r.n = v;
        return r;
    }
    static rt_value of(bool v) {
        rt_value r;
        r.what = tag::boolean;
        r.b = v;
        return r;
    }
};

/// A value looked up in a trace: used like a pointer (null when the expression was not evaluated).
class found_value {
  public:
    found_value() = default;
    explicit found_value(const rt_value& v) : v_(v), found_(true) {}
    explicit operator bool() const { return found_; }
    const rt_value& operator*() const { return v_; }
    const rt_value* operator->() const { return &v_; }
    friend bool operator==(const found_value& f, std::nullptr_t) { return !f.found_; }

  private:
    rt_value v_;
    bool found_ = false;
};

/// What an explanation needs of one evaluation: the value of every expression evaluated, the
/// branch chosen by each `if`/`when`/`match`, and one sub-frame per list element an aggregate
/// visited. Three kinds of expression are not recorded, as their values are known without the
/// evaluation (read them with trace_value()): a number literal (its value is the regulation's),
/// a bare loop variable (a row), and a field of the sub-frame's own row read as an operand of
/// arithmetic, a comparison or min/max (its value is in the row, and it was evaluated exactly
/// when that operator was, which is recorded).
struct trace_frame {
    struct loop {
        ast::node_id aggregate = 0;
        std::vector<std::uint32_t> elements;  // element index in the list
        std::vector<trace_frame> frames;      // parallel to elements
    };
    /// One recorded value in 32 bytes (an rt_value takes 48, and a trace holds hundreds): a
    /// number whose raw words fit in 64 bits (number::raw(): a small value's parts, or any big
    /// value's sign and handle) is kept inline, one with wider parts in `big_numbers`.
    struct entry {
        ast::node_id id = 0;
        rt_value::tag what = rt_value::tag::absent;
        bool b = false;
        bool big = false;
        union {
            std::uint64_t word = 0;  // e (enumeration), d (date), s, list, rec, or big index
            std::int64_t d;
            const std::string* s;
            const std::vector<record>* list;
            const record* rec;
        };
        std::int64_t num = 0;
        std::int64_t den = 1;
    };
    std::vector<entry> values;
    std::vector<number> big_numbers;
    /// In an aggregate's sub-frame, the element's row and the depth of the loop variable bound
    /// to it (null elsewhere). A field of this row read as an operand of an operator that always
    /// evaluates its operands (checked_regulation::strict_parent) is not recorded: trace_value()
    /// reads it from the row, found exactly when its operator was recorded.
    const std::vector<value>* row = nullptr;  // a `record`
    std::uint32_t row_depth = 0;
    std::vector<std::pair<ast::node_id, std::uint32_t>> choices;  // band/arm index; if: 0 then, 1
                                                                  // else; UINT32_MAX = else
    std::vector<loop> loops;

    /// Records the value of expression `id` (evaluation order: the last one for an id counts).
    void record(ast::node_id id, const rt_value& v);
    void record(ast::node_id id, const number& n);  // the same as record(id, rt_value::of(n))
    void record(ast::node_id id, bool b);           // the same as record(id, rt_value::of(b))
    /// The i-th recorded value and its expression.
    [[nodiscard]] std::pair<ast::node_id, rt_value> value_at(std::size_t i) const;
    [[nodiscard]] found_value find(ast::node_id id) const;
    [[nodiscard]] std::optional<std::uint32_t> choice(ast::node_id id) const;
    [[nodiscard]] const loop* find_loop(ast::node_id id) const;
    /// Empties the frame. Its buffers, and those of its loops and their sub-frames, are kept for
    /// the next unit (scoring many units then allocates nothing for traces once warmed up).
    /// (Inline: most frames, a list element's above all, have no loops, and then this is four
    /// stores.)
    void clear() {
        values.clear();
        big_numbers.clear();
        row = nullptr;
        row_depth = 0;
        choices.clear();
        if (!loops.empty()) {
            clear_loops();
        }
    }
    /// A new, empty loop record for `aggregate` at the end of `loops` (reusing a cleared one).
    loop& add_loop(ast::node_id aggregate);
    /// A new, empty sub-frame at the end of `l.frames` (reusing a cleared one); `l` must be one of
    /// this frame's loops.
    trace_frame& add_frame(loop& l);
    /// For the evaluator's aggregates, the same as add_loop() followed by add_frame() for each
    /// element and nothing else, but cheaper: the loop comes back with the (cleared) sub-frames it
    /// had before the last clear(), frame_at(l, i) hands out the i-th of them, and end_loop(l, n)
    /// drops those past the n used. Between reuse_loop() and end_loop(), `l.frames` may hold
    /// such cleared frames past the last one handed out.
    loop& reuse_loop(ast::node_id aggregate);
    trace_frame& frame_at(loop& l, std::size_t i);
    void end_loop(loop& l, std::size_t used);

  private:
    void clear_loops();

    std::vector<loop> spare_loops_;
    std::vector<trace_frame> spare_frames_;
};

/// What made a divisor 0, when it comes straight from the submitted results: lets a division
/// by zero (E301) point at the results file that holds the cause.
struct eval_cause {
    enum class kind : std::uint8_t {
        none,
        zero_input,      // the divisor is input `input`, which is 0
        empty_list,      // the divisor is count() or sum() over list input `input`, which is empty
        zero_row_field,  // the divisor is field `field` of row `record` of list input `input`
    };
    kind what = kind::none;
    std::uint32_t input = 0;
    std::uint32_t record = 0;
    std::uint32_t field = 0;
};

class eval_error : public std::runtime_error {
  public:
    eval_error(span where, const std::string& message)
        : std::runtime_error(message), where_(where) {}
    /// `help`: how the regulation can avoid the error (a guard written in its own keywords).
    eval_error(span where, const std::string& message, eval_cause cause, std::string help)
        : std::runtime_error(message), where_(where), cause_(cause), help_(std::move(help)) {}
    [[nodiscard]] span where() const { return where_; }
    [[nodiscard]] const eval_cause& cause() const { return cause_; }
    [[nodiscard]] const std::string& help() const { return help_; }

  private:
    span where_;
    eval_cause cause_;
    std::string help_;
};

/// The notes of an E301 for unit `u`: where the cause is in the results files (the empty list's
/// file, the cell holding the 0) or else the unit's row, then the help, if any.
std::vector<diagnostic_note> eval_error_notes(const checked_regulation& reg, const eval_error& e,
                                              const unit_data& u);

struct unit_input {
    const std::string* name = nullptr;
    const std::vector<value>* fields = nullptr;  // one per regulation input
};

struct scored_criterion {
    bool applicable = true;
    number raw;     // the points expression's value
    number points;  // clamped and rounded
};

struct scored_item {
    number raw;
    number points;
};

struct scored_unit {
    bool excluded = false;
    std::vector<std::uint32_t> exclude_reasons;  // knockout indices that held
    bool ineligible = false;
    std::vector<std::uint32_t> ineligible_reasons;
    std::vector<scored_criterion> criteria;  // parallel to checked_regulation::criteria
    std::vector<scored_item> items;          // parallel to checked_regulation::items
    std::vector<number> section_raw;         // before clamping/rounding
    std::vector<number> section_points;
    std::vector<number> section_applicable_max;
    std::vector<number> group_raw;
    std::vector<number> group_points;
    number bonus;
    number deduction;
    number total_raw;  // sections + bonus - deduction, before the floor at 0 and rounding
    number total;
    std::optional<number> self_score;
    std::optional<number> self_difference;  // self_score - total
    bool self_flagged = false;
    std::vector<number> keys;
    std::vector<number> first_place_keys;
    std::vector<std::vector<bool>> requirements;  // [award][requirement]
    // The traces (when traced; else empty: a frame takes over 100 bytes even when it records
    // nothing, and a bloc of many units scored without explanations must not pay for them).
    std::vector<trace_frame> criterion_traces;  // parallel to criteria
    std::vector<trace_frame> item_traces;       // parallel to items
    std::vector<trace_frame> knockout_traces;   // parallel to regulation knockouts (when traced)
    std::vector<std::vector<trace_frame>> requirement_traces;
    // The ranking keys, then the first-place keys (when traced; empty when excluded).
    std::vector<trace_frame> key_traces;

    /// The trace of criterion `c`, of item `i`: an empty frame when scored without traces.
    [[nodiscard]] const trace_frame& criterion_trace(std::size_t c) const;
    [[nodiscard]] const trace_frame& item_trace(std::size_t i) const;
};

namespace detail {
/// One expression compiled once, when the evaluator is built, for its fast path: what to do with
/// it (`code`, see evaluator.cpp) and everything that needs a lookup in the checker's side tables
/// or the AST's variant (input index, loop depth and field, constant, operands), so that scoring
/// a unit never looks them up again. Code 0 sends the expression to the generic path.
struct plan_node {
    std::uint8_t code = 0;
    std::uint8_t flag = 0;    // comparison operator, min or max, ...
    std::uint32_t index = 0;  // input index, record field, start of a match's arm table
    std::uint32_t depth = 0;  // loop variable (0 = outermost)
    const number* k = nullptr;
    const ast::expr* a = nullptr;
    const ast::expr* b = nullptr;
    const void* node = nullptr;  // the AST payload (if, when, match, call, aggregate)
};
}  // namespace detail

class evaluator {
  public:
    /// Every expression is compiled once, here, for the fast path. `compiled = false` leaves
    /// them all to the generic path, which gives the same results, errors and traces more slowly
    /// (tests compare the two).
    explicit evaluator(const checked_regulation& reg, bool compiled = true);

    /// Scores one unit. With `trace`, every criterion/item/knock-out/requirement records its
    /// derivation. Throws eval_error on a runtime error.
    [[nodiscard]] scored_unit score(const unit_input& unit, bool trace) const;

    /// The same into an existing result, reusing its buffers (no allocation per unit once they
    /// have grown): `out` ends up equal to what score() returns, whatever it held before. After
    /// an exception `out` is unspecified (but valid).
    void score_into(const unit_input& unit, bool trace, scored_unit& out) const;

    /// Evaluates a condition or key expression outside scoring (for tests and tools).
    [[nodiscard]] const checked_regulation& checked() const { return reg_; }

  private:
    void compile(const ast::expr& e);

    const checked_regulation& reg_;
    std::vector<detail::plan_node> plan_;    // indexed by expression id
    std::vector<std::uint32_t> arm_tables_;  // per match: enum member -> arm (UINT32_MAX: else)
    std::optional<number> criterion_step_, section_step_, bonus_step_, deduction_step_, total_step_;
    // `self_score from F tolerance T`, resolved once: F's input index and T.
    std::optional<std::size_t> self_score_input_;
    std::optional<number> self_score_tolerance_;
    rounding_mode criterion_mode_ = rounding_mode::half_up, section_mode_ = rounding_mode::half_up,
                  bonus_mode_ = rounding_mode::half_up, deduction_mode_ = rounding_mode::half_up,
                  total_mode_ = rounding_mode::half_up;
};

/// The value expression `e` had in `frame` (null when it was not evaluated there); a number
/// literal, which is not recorded, has its own value.
found_value trace_value(const checked_regulation& reg, const trace_frame& frame,
                        const ast::expr& e);

/// Formats a runtime value for explanations ("12", "0.9675", "≈13.3333", "2018-12-20", "xs").
std::string format_value(const checked_regulation& reg, const rt_value& v, ast::node_id typed_as);

}  // namespace thidua
