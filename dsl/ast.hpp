// The typed AST of a regulation (.tdkt file).
//
// Plain structs and std::variant; no PEGTL here. Every node carries a span (byte offsets into the
// source file that the regulation holds on to). Expressions carry an id, unique within one
// regulation, so later passes (checker, evaluator, tracer) keep their facts in side tables keyed by
// id and never mutate the tree.
//
// The comment above each node shows the surface syntax it comes from; docs/language.md is the full
// reference.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dsl/source.hpp"

namespace thidua::ast {

using node_id = std::uint32_t;

struct expr;
using expr_ptr = std::unique_ptr<expr>;

// ---------------------------------------------------------------------------------------------
// Literals and names

/// `12`, `0.25`, `95%` (percent: the value is text / 100). The text is kept as written (digits and
/// at most one '.'); the engine turns it into an exact number.
struct number_lit {
    std::string text;
    bool percent = false;
    span where;
};

/// `true`, `false`
struct bool_lit {
    bool value = false;
};

/// `"Hoàn thành xuất sắc"`: UTF-8, escapes \" \\ \n \t already decoded.
struct string_lit {
    std::string value;
};

/// `2018-12-20` (ISO date, checked to be a real calendar day by the parser).
struct date_lit {
    int year = 0;
    int month = 0;
    int day = 0;
};

/// An identifier: an input field, a `let`, an aggregate's loop variable, or an enum member
/// (`xs`, written bare where the type expects the enum; the checker resolves which).
struct name_ref {
    std::string name;
};

/// `i.target`: a field of a list element.
struct member_ref {
    expr_ptr object;
    std::string field;
    span field_span;
};

/// Points computed by the regulation itself, usable in knock-outs, requirements and ranking keys:
/// `total`, `bonus`, `deduction`, `section I`, `criterion I.1`.
struct points_ref {
    enum class kind { total, bonus, deduction, section, criterion };
    kind what = kind::total;
    std::string id;  // for section / criterion
    span id_span;
};

// ---------------------------------------------------------------------------------------------
// Operators

/// `-x`, `not x`
struct unary {
    enum class op { neg, not_ };
    op what = op::neg;
    expr_ptr operand;
};

/// `a + b`, `a - b`, `a * b`, `a / b`, `a == b`, `a != b`, `a < b`, `a <= b`, `a > b`, `a >= b`,
/// `a and b`, `a or b`. Precedence, loosest first: or, and, not, comparison (non-associative),
/// + -, * /, unary -, postfix `.field`.
struct binary {
    enum class op { add, sub, mul, div, eq, ne, lt, le, gt, ge, and_, or_ };
    op what = op::add;
    expr_ptr lhs;
    expr_ptr rhs;
    span op_span;
};

/// `min(a, b, ...)`, `max(a, b, ...)`, `floor(x)`, `ceil(x)`, `abs(x)`, `round(x, step)`,
/// `round(x, step, half_even)` (modes: half_up, half_even, down, up; default half_up).
/// The parser accepts any identifier followed by '('; the checker rejects unknown functions.
struct call {
    std::string function;
    span function_span;
    std::vector<expr_ptr> args;
};

/// Aggregates over a list input:
///   `sum(i in indicators: expr)`, `sum(i in indicators where cond: expr)`
///   `count(indicators)`, `count(i in indicators where cond)`
///   `all(i in indicators: cond)`, `any(i in indicators where cond: cond)`
///   `min(i in xs: expr)` / `max(i in xs: expr)` are written with the aggregate form too.
/// `variable` is empty for the short form `count(list)`; `body` is null for `count`.
struct aggregate {
    enum class kind { sum, count, all, any, min, max };
    kind what = kind::sum;
    std::string variable;
    span variable_span;
    expr_ptr list;
    expr_ptr where;  // may be null
    expr_ptr body;   // null for count
};

/// `if cond then a else b`
struct if_expr {
    expr_ptr condition;
    expr_ptr then_value;
    expr_ptr else_value;
};

/// One band of a `when`: `>= 95%: 17` (operators >=, >, <=, <, ==). The value may be any
/// expression, including another `when` (nested bands).
struct band {
    enum class op { ge, gt, le, lt, eq };
    op compare = op::ge;
    expr_ptr bound;
    expr_ptr value;
    span where;  // the whole band, for diagnostics and coverage
};

/// `when p { >= 100%: 20  >= 95%: 17  else: 0 }`: the first band whose comparison holds wins.
/// Bands are separated by whitespace, newlines or commas.
struct when_expr {
    expr_ptr subject;
    std::vector<band> bands;
    expr_ptr else_value;  // may be null: then the checker demands the bands cover every value
    span else_span;
};

/// One arm of a `match`: `xs: 20`.
struct match_arm {
    std::string member;
    span member_span;
    expr_ptr value;
};

/// `match party { xs: 20  tot: 16  ht: 10  kht: 0 }` (an optional `else: v` arm).
struct match_expr {
    expr_ptr subject;
    std::vector<match_arm> arms;
    expr_ptr else_value;  // may be null
    span else_span;
};

/// `x is absent`, `x is present` (for optional inputs `T?`).
struct presence {
    expr_ptr operand;
    bool absent = true;
};

struct expr {
    node_id id = 0;
    span where;
    std::variant<number_lit, bool_lit, string_lit, date_lit, name_ref, member_ref, points_ref,
                 unary, binary, call, aggregate, if_expr, when_expr, match_expr, presence>
        kind;
};

// ---------------------------------------------------------------------------------------------
// Declarations

/// `rounding criterion 0.01 half_up`: where rounding happens (the only places it happens), the
/// step and the mode. Targets: criterion, section, bonus, deduction, total.
struct rounding_rule {
    enum class target { criterion, section, bonus, deduction, total };
    enum class mode { half_up, half_even, down, up };
    target at = target::criterion;
    number_lit step;
    mode how = mode::half_up;
    span where;
};

/// `enum rating ordered { xs "Hoàn thành xuất sắc", tot "Hoàn thành tốt", ... }`
/// Members are separated by commas or newlines; labels are optional. `ordered` makes the first
/// member the highest and allows < <= > >= between values of the enum.
struct enum_member {
    std::string name;
    std::string label;
    span where;
};
struct enum_decl {
    std::string name;
    span name_span;
    bool ordered = false;
    std::vector<enum_member> members;
    span where;
};

struct field_decl;

/// A type in the input schema: `number`, `integer`, `bool`, `date`, `text`, an enum's name, or
/// `list { field: type ... }`; a trailing `?` makes it optional (may be absent).
struct type_ref {
    enum class kind { number, integer, boolean, date, text, enumeration, list };
    kind what = kind::number;
    std::string enum_name;           // for enumeration
    std::vector<field_decl> fields;  // for list
    bool optional = false;
    span where;
};

/// A bound of a declared range: a number literal with an optional minus sign (`0`, `100%`, `-5`).
struct bound_lit {
    number_lit value;
    bool negative = false;
    span where;  // the sign included
};

/// `in 0..100`, `in 0%..100%`, `in 0..` (no upper bound): the values an input field of type
/// number or integer may take, both bounds included. The loaders refuse a value outside (E234).
struct value_range {
    bound_lit low;
    std::optional<bound_lit> high;
    span where;  // from `in` to the last bound (or the `..`)
};

/// `tasks_on_time: integer in 0.. "Nhiệm vụ hoàn thành đúng hạn"` (range and label optional).
struct field_decl {
    std::string name;
    span name_span;
    type_ref type;
    std::optional<value_range> range;
    std::string label;
    span where;
};

/// `let w = 40 / count(indicators)`
struct let_decl {
    std::string name;
    span name_span;
    expr_ptr value;
    span where;
};

/// The body shared by criteria and bonus/deduction items: `let`s in order, then `points = expr`.
struct scoring_body {
    std::vector<let_decl> lets;
    expr_ptr points;
    span points_span;  // the `points = ...` statement
};

/// `criterion I.1 "Kết quả thực hiện chỉ tiêu" max 40 cite "Mục II.1.a" applies when x != na { ...
/// }` Ids are letters, digits, '_' and '.', e.g. I.1, a4.2, C2.4. The points are clamped to [0,
/// max].
struct criterion {
    std::string id;
    span id_span;
    std::string label;
    number_lit max;
    std::optional<std::string> cite;
    expr_ptr applies_when;  // may be null: always applies
    scoring_body body;
    span where;
};

/// `section I "Thực hiện nhiệm vụ chính trị" max 60 { criterion ... }`
/// `combine sum` (default) or `combine rescaled` (sum of points * max / sum of applicable maxima)
/// may follow the max.
struct section {
    enum class combine_mode { sum, rescaled };
    std::string id;
    span id_span;
    std::string label;
    number_lit max;
    std::optional<std::string> cite;
    combine_mode combine = combine_mode::sum;
    std::vector<criterion> criteria;
    span where;
};

/// `item "Tin bài" max 1 cite "..." { points = 0.2 * articles }` inside a bonus or deduction group.
/// An item's points are clamped to [0, max] (or [0, ∞) without max).
struct group_item {
    std::string label;
    span label_span;
    std::optional<number_lit> max;
    std::optional<std::string> cite;
    scoring_body body;
    span where;
};

/// `bonus "Điểm thưởng" max 5 { item ... }` / `deduction "Điểm trừ" max 10 { item ... }`
/// A group's total is clamped to [0, max]. Bonuses are added to the sections' sum, deductions
/// subtracted.
struct group {
    enum class kind { bonus, deduction };
    kind what = kind::bonus;
    std::string label;
    span label_span;
    std::optional<number_lit> max;
    std::vector<group_item> items;
    span where;
};

/// `exclude "Không nộp hồ sơ" when cond` (not ranked) / `ineligible "Vi phạm" when cond`
/// (ranked, but receives no award).
struct knockout {
    enum class kind { exclude, ineligible };
    kind what = kind::exclude;
    std::string label;
    expr_ptr condition;
    span where;
};

/// `section I desc`, `total desc`, `count(i in indicators where i.actual >= i.target) desc`.
struct ranking_key {
    expr_ptr key;
    bool descending = true;
    span where;
};

/// What to do with units whose keys are all equal.
enum class tie_mode {
    shared,     // competition ranking: 1, 2, 2, 4
    unresolved  // reported for the bloc to vote; ranks are left open
};

/// ranking {
///   by total desc, section I desc
///   ties shared
///   first place by bonus desc ties unresolved      # optional: extra keys and policy for rank 1
/// }
struct ranking_decl {
    std::vector<ranking_key> keys;
    tie_mode ties = tie_mode::unresolved;
    std::vector<ranking_key> first_place_keys;  // tried only among units tied for first place
    std::optional<tie_mode> first_place_ties;
    span where;
};

/// `limit 1`, `limit 30% of members rounded down` (rounding: down, up, nearest).
struct quota {
    enum class kind { absolute, percent_of_members };
    enum class rounding { down, up, nearest };
    kind what = kind::absolute;
    number_lit amount;
    rounding how = rounding::down;
    span where;
};

/// `require "Đạt từ 95 điểm trở lên" total >= 95`
struct requirement {
    std::string label;
    expr_ptr condition;
    span where;
};

/// award flag "Cờ thi đua của UBND tỉnh" {
///   candidates rank 1            # or `rank 2..3`, or `all`
///   require "..." total >= 95
///   limit 1
///   unused slots are lost        # or `unused slots pass down` (to the next tier)
/// }
/// Tiers are tried in the order written; a unit receives at most the first tier it qualifies for.
struct award {
    std::string id;
    span id_span;
    std::string label;
    std::optional<std::uint32_t> rank_from;  // nullopt: all ranked units are candidates
    std::optional<std::uint32_t> rank_to;
    span candidates_span;
    std::vector<requirement> requirements;
    std::optional<quota> limit;
    bool pass_down = false;
    span where;
};

/// `self_score from self_score tolerance 5`: the field holding the unit's self-assessed total, and
/// the difference (absolute) above which it is flagged.
struct self_score_decl {
    std::string field;
    span field_span;
    number_lit tolerance;
    span where;
};

struct regulation;

/// Where an added declaration goes (docs/amendments.md): `in section I`, `in bonus "Điểm
/// thưởng"`, `in deduction "..."`, `before merit`, `after I.2`.
struct placement {
    enum class kind { in_section, in_bonus, in_deduction, before, after };
    kind what = kind::in_section;
    std::string ref;  // the section id, the group's label, the id a declaration goes next to
    span where;
};

/// One statement of an amendment (a file starting with `amends "base.tdkt"`):
///   `replace criterion I.2 "..." max 20 { ... }`   the declaration with the same id/label/name
///   `add criterion I.5 "..." max 5 in section I { ... }`
///   `remove criterion I.3`, `remove award merit`, `remove exclude "..."`, `remove ranking`
/// `replace section I "..." max 65` and `replace bonus "..." max 6` with no block replace the
/// header only and keep the criteria / items.
struct amendment {
    enum class action { add, replace, remove };
    enum class target {
        scale,
        rounding,     // key: the rounding target (criterion, section, ...)
        enumeration,  // key: the enum's name
        input,        // key: the field's name (remove); add/replace hold fields in `decl`
        section,      // key: id
        criterion,    // key: id
        bonus,        // key: label
        deduction,    // key: label
        item,         // key: label
        exclude,      // key: label
        ineligible,   // key: label
        ranking,
        award,  // key: id
        awards_limit,
        self_score
    };
    action what = action::add;
    target on = target::scale;
    std::string key;
    span key_span;
    std::vector<placement> places;
    bool header_only = false;  // replace section / group without a block
    /// The declaration added or replacing (null for remove), lowered into a regulation of its
    /// own: the one vector (or optional) that `on` names holds it; a criterion sits in a
    /// section with an empty id, an item in a group with an empty label.
    std::unique_ptr<regulation> decl;
    span where;
};

// ---------------------------------------------------------------------------------------------
// Tests (docs/testing.md): `test` blocks after the regulation's '}', or in a `*.test.tdkt` file.

struct test_field;

/// A submitted value in a test: `12`, `-3`, `95%`, `true`, `"text"`, `2018-12-20`, an enum member
/// `xs`, or a list input as rows of records `[ { name = "A", target = 10 }, { ... } ]`. Not an
/// expression: tests hold no expression ids.
struct test_value {
    enum class kind { number, boolean, text, date, member, list };
    kind what = kind::number;
    number_lit number;  // text may start with '-'
    bool boolean = false;
    std::string text;  // text, or the member's name
    date_lit date;
    std::vector<std::vector<test_field>> rows;  // list
    std::vector<span> row_spans;                // parallel to rows
    span where;
};

/// `tasks_on_time = 18` inside a unit or a row.
struct test_field {
    std::string name;
    span name_span;
    test_value value;
    span where;
};

/// `unit "Sở Tư pháp" { field = value ... }`: a whole submission, or (when the unit is in the
/// test's data) the fields that replace the data's.
struct test_unit {
    std::string name;
    span name_span;
    std::vector<test_field> fields;
    span where;
};

/// One `expect` line:
///   expect "U" total == 96.4 [within 0.01]    (also bonus, deduction, section ID, criterion ID)
///   expect "U" rank == 3       expect "U" rank == 3..4
///   expect "U" award flag      expect "U" award merit pending      expect "U" no award
///   expect "U" excluded        expect "U" not ineligible
///   expect tie "A", "B"        expect conflict merit "A", "B"
struct expectation {
    enum class kind {
        points,
        rank,
        award,
        award_pending,
        no_award,
        excluded,
        ineligible,
        tie,
        conflict
    };
    kind what = kind::points;
    std::vector<std::string> units;  // one, or the members of a tie / conflict
    std::vector<span> unit_spans;
    points_ref target;  // for points: total, bonus, deduction, section ID, criterion ID
    number_lit value;   // for points
    std::optional<number_lit> within;
    std::uint32_t rank_from = 0;  // for rank
    std::uint32_t rank_to = 0;
    std::string award;  // for award, award_pending, conflict
    span award_span;
    bool negated = false;  // `not excluded`, `not ineligible`, `eligible`
    bool eligible_word = false;  // written `eligible` (được xét khen thưởng), not `not ineligible`
    span where;
};

/// test "Sở Tư pháp đạt cờ" { data "data/"  unit "..." { ... }  expect ... }
struct test_decl {
    std::string title;
    span title_span;
    std::optional<std::string> data;  // relative to the file the test is written in
    span data_span;
    std::vector<test_unit> units;
    std::vector<expectation> expectations;
    span where;
};

/// A `*.test.tdkt` file: `tests for "regulation.tdkt"` (relative to this file), then tests.
struct test_file {
    std::string regulation_path;
    span regulation_span;
    std::vector<test_decl> tests;
    source_ptr file;
};

/// regulation "Hướng dẫn chấm điểm ..." { ... }
struct regulation {
    std::string title;
    number_lit scale;  // `scale 100`
    std::vector<rounding_rule> rounding;
    std::vector<enum_decl> enums;
    std::vector<field_decl> inputs;  // `input { ... }`
    std::vector<section> sections;
    std::vector<group> groups;
    std::vector<knockout> knockouts;
    std::optional<ranking_decl> ranking;
    std::vector<award> awards;
    std::optional<quota> awards_limit;  // `awards limit 50% of members rounded down`
    std::optional<self_score_decl> self_score;
    std::optional<std::string> amends;  // `amends "../base.tdkt"`: the path as written
    span amends_span;
    std::vector<amendment> amendments;  // in an amending file, its statements in order
    std::vector<test_decl> tests;       // `test` blocks written after the regulation's '}'
    span where;
    node_id expr_count = 0;  // ids of expressions are 1..expr_count
    source_ptr file;         // the source the spans point into
};

}  // namespace thidua::ast
