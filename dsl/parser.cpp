// The parser: runs dsl/grammar.hpp with a control class of our own, then lowers the small parse
// tree it built into the typed AST of dsl/ast.hpp.
//
// Why a hand-made parse tree rather than PEGTL's parse_tree: PEGTL's allocates a node for every
// rule that has selected descendants, on every attempt; ours only records the selected rules
// (a flat stack of finished nodes plus a stack of marks), so a 10 MB regulation parses in linear
// time with few allocations, and backtracking simply truncates the stack.
//
// Errors: every `must<R>` failure (and every `raise<R>`) arrives in control::raise, which looks
// up R in the message table below and throws a syntax_error. `recover<R, Level>` catches it,
// records it and skips to the next line where Level can resume (see find_sync). Nothing escapes
// parse(): it catches everything, including allocation failures.
#include "dsl/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>
#include <tao/pegtl.hpp>
#include <tuple>
#include <utility>

#include "dsl/grammar.hpp"
#include "dsl/i18n.hpp"
#include "dsl/suggest.hpp"

namespace thidua {

namespace {

namespace gr = thidua::grammar;
namespace pg = tao::pegtl;

// ---------------------------------------------------------------------------------------------
// The parse tree: only the rules listed in `selected` below become nodes.

enum class nk : std::uint8_t {
    none,
    regulation,
    ident,
    id,
    string,
    number,
    date,
    boolean,  // sub: 1 true, 0 false
    name_ref,
    member,   // a `.field` after a primary
    postfix,  // primary followed by .fields
    paren,
    neg,
    not_,
    chain,     // operand (op operand)*: or, and, comparison, + -, * /
    op,        // sub: ast::binary::op
    presence,  // sub: 1 absent, 0 present
    call,
    aggregate,
    agg_where,
    agg_body,
    if_,
    else_if_word,  // where an `else if` rung's `if` starts
    when,
    band,
    band_op,  // sub: ast::band::op
    else_arm,
    match,
    arm,
    ref,  // sub: ast::points_ref::kind
    scale,
    rounding,
    rounding_target,  // sub: rounding_rule::target
    rounding_mode,    // sub: rounding_rule::mode
    enum_decl,
    enum_ordered,
    enum_member,
    input,
    field,
    type,
    type_base,  // sub: type_ref::kind (not list, not enumeration)
    type_enum,
    type_list,
    type_optional,
    range,        // `in LOW..HIGH` of a field
    bound,        // a bound of a range: [bound_minus] number
    bound_minus,  // its `-`
    section,
    criterion,
    max,
    cite,
    applies,
    combine,  // sub: section::combine_mode
    let,
    points,
    group,  // sub: group::kind
    item,
    knockout,  // sub: knockout::kind
    ranking,
    by,
    key,
    direction,  // sub: 1 desc, 0 asc
    ties,
    tie_mode,  // sub: tie_mode
    first_place,
    first_place_ties,
    award,
    candidates,
    candidates_all,
    rank,
    rank_number,
    require,
    limit,
    quota,
    of_members,
    quota_rounding,  // sub: quota::rounding
    unused,          // sub: 1 pass down, 0 lost
    awards_limit,
    self_score,
    amends,
    amend,       // sub: ast::amendment::action; child: the declaration or a remove_ref
    remove_ref,  // sub: ast::amendment::target
    placement,   // sub: ast::placement::kind
    header_only,
    // Tests (docs/testing.md).
    test,
    test_data,
    test_unit,
    test_field,
    tv_number,
    tv_member,
    tv_list,
    tv_row,
    expect,
    within,
    expect_rank,
    expect_award,
    award_pending,
    expect_no_award,
    expect_not,
    knocked,  // sub: 0 excluded, 1 ineligible
    expect_tie,
    expect_conflict,
    tests_header,
    test_file_root,
};

struct pnode {
    nk kind = nk::none;
    std::uint8_t sub = 0;
    span where;
    std::vector<pnode> children;
};

template <typename Rule>
struct selected {
    static constexpr nk kind = nk::none;
    static constexpr std::uint8_t sub = 0;
    static constexpr bool fold = false;  // a node with one child is replaced by the child
};

#define THIDUA_NODE(rule, k, s, f)               \
    template <>                                  \
    struct selected<gr::rule> {                  \
        static constexpr nk kind = nk::k;        \
        static constexpr std::uint8_t sub = (s); \
        static constexpr bool fold = (f);        \
    };
#define THIDUA_SELECT(rule, k) THIDUA_NODE(rule, k, 0, false)
#define THIDUA_SUB(rule, k, s) THIDUA_NODE(rule, k, static_cast<std::uint8_t>(s), false)

// Names and labels of every flavour.
THIDUA_SELECT(name, ident)
THIDUA_SELECT(enum_name, ident)
THIDUA_SELECT(let_name, ident)
THIDUA_SELECT(award_id, ident)
THIDUA_SELECT(self_score_field, ident)
THIDUA_SELECT(agg_function, ident)
THIDUA_SELECT(agg_variable, ident)
THIDUA_SELECT(call_function, ident)
THIDUA_SELECT(member_field, member)
THIDUA_SELECT(type_enum, type_enum)
THIDUA_SELECT(criterion_id, id)
THIDUA_SELECT(section_id, id)
THIDUA_SELECT(ref_section_id, id)
THIDUA_SELECT(ref_criterion_id, id)
THIDUA_SELECT(string_lit, string)
THIDUA_SELECT(member_label, string)
THIDUA_SELECT(list_label, string)
THIDUA_SELECT(field_label, string)
THIDUA_SELECT(cite_text, string)
THIDUA_SELECT(criterion_label, string)
THIDUA_SELECT(section_label, string)
THIDUA_SELECT(item_label, string)
THIDUA_SELECT(group_label, string)
THIDUA_SELECT(knockout_label, string)
THIDUA_SELECT(require_label, string)
THIDUA_SELECT(award_label, string)
THIDUA_SELECT(regulation_title, string)
THIDUA_SELECT(number, number)
THIDUA_SELECT(max_value, number)
THIDUA_SELECT(scale_value, number)
THIDUA_SELECT(rounding_step, number)
THIDUA_SELECT(quota_amount, number)
THIDUA_SELECT(tolerance_value, number)
THIDUA_SELECT(date, date)

// Expressions.
THIDUA_SUB(lit_true, boolean, 1)
THIDUA_SUB(lit_false, boolean, 0)
THIDUA_SELECT(name_ref, name_ref)
THIDUA_NODE(postfix_expr, postfix, 0, true)
THIDUA_SELECT(paren_expr, paren)
THIDUA_SELECT(neg_expr, neg)
THIDUA_SELECT(not_expr, not_)
THIDUA_NODE(or_expr, chain, 0, true)
THIDUA_NODE(and_expr, chain, 0, true)
THIDUA_NODE(cmp_expr, chain, 0, true)
THIDUA_NODE(add_expr, chain, 0, true)
THIDUA_NODE(mul_expr, chain, 0, true)
// Operands named for their error messages are the same chains under another type.
THIDUA_NODE(or_operand, chain, 0, true)
THIDUA_NODE(add_operand, chain, 0, true)
THIDUA_NODE(cmp_operand, chain, 0, true)
THIDUA_SUB(op_or, op, ast::binary::op::or_)
THIDUA_SUB(op_and, op, ast::binary::op::and_)
THIDUA_SUB(op_add, op, ast::binary::op::add)
THIDUA_SUB(op_sub, op, ast::binary::op::sub)
THIDUA_SUB(op_mul, op, ast::binary::op::mul)
THIDUA_SUB(op_div, op, ast::binary::op::div)
THIDUA_SUB(op_eq, op, ast::binary::op::eq)
THIDUA_SUB(op_ne, op, ast::binary::op::ne)
THIDUA_SUB(op_lt, op, ast::binary::op::lt)
THIDUA_SUB(op_le, op, ast::binary::op::le)
THIDUA_SUB(op_gt, op, ast::binary::op::gt)
THIDUA_SUB(op_ge, op, ast::binary::op::ge)
THIDUA_SUB(is_absent, presence, 1)
THIDUA_SUB(is_present, presence, 0)
THIDUA_SELECT(call, call)
THIDUA_SELECT(aggregate, aggregate)
THIDUA_SELECT(agg_where, agg_where)
THIDUA_SELECT(agg_body, agg_body)
THIDUA_SELECT(if_expr, if_)
THIDUA_SELECT(else_if_word, else_if_word)
THIDUA_SELECT(when_expr, when)
THIDUA_SELECT(band, band)
THIDUA_SUB(band_ge, band_op, ast::band::op::ge)
THIDUA_SUB(band_gt, band_op, ast::band::op::gt)
THIDUA_SUB(band_le, band_op, ast::band::op::le)
THIDUA_SUB(band_lt, band_op, ast::band::op::lt)
THIDUA_SUB(band_eq, band_op, ast::band::op::eq)
THIDUA_SELECT(else_arm, else_arm)
THIDUA_SELECT(band_else, else_arm)
THIDUA_SELECT(match_expr, match)
THIDUA_SELECT(match_arm, arm)
THIDUA_SUB(ref_total, ref, ast::points_ref::kind::total)
THIDUA_SUB(ref_bonus, ref, ast::points_ref::kind::bonus)
THIDUA_SUB(ref_deduction, ref, ast::points_ref::kind::deduction)
THIDUA_SUB(ref_section, ref, ast::points_ref::kind::section)
THIDUA_SUB(ref_criterion, ref, ast::points_ref::kind::criterion)

// Declarations.
THIDUA_SELECT(grammar, regulation)
THIDUA_SELECT(scale_decl, scale)
THIDUA_SELECT(rounding_decl, rounding)
THIDUA_SUB(target_criterion, rounding_target, ast::rounding_rule::target::criterion)
THIDUA_SUB(target_section, rounding_target, ast::rounding_rule::target::section)
THIDUA_SUB(target_bonus, rounding_target, ast::rounding_rule::target::bonus)
THIDUA_SUB(target_deduction, rounding_target, ast::rounding_rule::target::deduction)
THIDUA_SUB(target_total, rounding_target, ast::rounding_rule::target::total)
THIDUA_SUB(mode_half_up, rounding_mode, ast::rounding_rule::mode::half_up)
THIDUA_SUB(mode_half_even, rounding_mode, ast::rounding_rule::mode::half_even)
THIDUA_SUB(mode_down, rounding_mode, ast::rounding_rule::mode::down)
THIDUA_SUB(mode_up, rounding_mode, ast::rounding_rule::mode::up)
THIDUA_SELECT(enum_decl, enum_decl)
THIDUA_SELECT(enum_ordered, enum_ordered)
THIDUA_SELECT(enum_member, enum_member)
THIDUA_SELECT(input_decl, input)
THIDUA_SELECT(field_decl, field)
THIDUA_SELECT(field_type, type)
THIDUA_SUB(type_number, type_base, ast::type_ref::kind::number)
THIDUA_SUB(type_integer, type_base, ast::type_ref::kind::integer)
THIDUA_SUB(type_bool, type_base, ast::type_ref::kind::boolean)
THIDUA_SUB(type_date, type_base, ast::type_ref::kind::date)
THIDUA_SUB(type_text, type_base, ast::type_ref::kind::text)
THIDUA_SELECT(type_list, type_list)
THIDUA_SELECT(type_optional, type_optional)
THIDUA_SELECT(field_range, range)
THIDUA_SELECT(range_low, bound)
THIDUA_SELECT(range_high, bound)
THIDUA_SELECT(bound_minus, bound_minus)
THIDUA_SELECT(section_decl, section)
THIDUA_SELECT(criterion_decl, criterion)
THIDUA_SELECT(max_clause, max)
THIDUA_SELECT(criterion_max, max)
THIDUA_SELECT(section_max, max)
THIDUA_SELECT(cite_clause, cite)
THIDUA_SELECT(applies_clause, applies)
THIDUA_SUB(combine_sum, combine, ast::section::combine_mode::sum)
THIDUA_SUB(combine_rescaled, combine, ast::section::combine_mode::rescaled)
THIDUA_SELECT(let_stmt, let)
THIDUA_SELECT(points_expected, points)
THIDUA_SUB(group_bonus, group, ast::group::kind::bonus)
THIDUA_SUB(group_deduction, group, ast::group::kind::deduction)
THIDUA_SELECT(group_decl, group)
THIDUA_SELECT(item_decl, item)
THIDUA_SELECT(knockout_decl, knockout)
THIDUA_SUB(knockout_exclude, knockout, ast::knockout::kind::exclude)
THIDUA_SUB(knockout_ineligible, knockout, ast::knockout::kind::ineligible)
THIDUA_SELECT(ranking_decl, ranking)
THIDUA_SELECT(by_clause, by)
THIDUA_SELECT(ranking_key, key)
THIDUA_SELECT(next_key, key)
THIDUA_SUB(key_desc, direction, 1)
THIDUA_SUB(key_asc, direction, 0)
THIDUA_SELECT(ties_clause, ties)
THIDUA_SUB(tie_shared, tie_mode, ast::tie_mode::shared)
THIDUA_SUB(tie_unresolved, tie_mode, ast::tie_mode::unresolved)
THIDUA_SELECT(first_place_clause, first_place)
THIDUA_SELECT(first_place_ties, first_place_ties)
THIDUA_SELECT(award_decl, award)
THIDUA_SELECT(candidates_clause, candidates)
THIDUA_SELECT(candidates_all, candidates_all)
THIDUA_SELECT(rank_expected, rank)
THIDUA_SELECT(rank_from, rank_number)
THIDUA_SELECT(rank_to, rank_number)
THIDUA_SELECT(require_clause, require)
THIDUA_SELECT(limit_clause, limit)
THIDUA_SELECT(quota, quota)
THIDUA_SELECT(quota_of_members, of_members)
THIDUA_SUB(quota_down, quota_rounding, ast::quota::rounding::down)
THIDUA_SUB(quota_up, quota_rounding, ast::quota::rounding::up)
THIDUA_SUB(quota_nearest, quota_rounding, ast::quota::rounding::nearest)
THIDUA_SUB(unused_lost, unused, 0)
THIDUA_SUB(unused_pass, unused, 1)
THIDUA_SELECT(awards_limit_decl, awards_limit)
THIDUA_SELECT(self_score_decl, self_score)

// Amendments.
THIDUA_SELECT(amends_clause, amends)
THIDUA_SELECT(amends_path, string)
THIDUA_SUB(amend_add, amend, ast::amendment::action::add)
THIDUA_SUB(amend_replace, amend, ast::amendment::action::replace)
THIDUA_SUB(amend_remove, amend, ast::amendment::action::remove)
THIDUA_SELECT(amend_criterion, criterion)
THIDUA_SELECT(amend_section, section)
THIDUA_SELECT(amend_group, group)
THIDUA_SELECT(amend_item, item)
THIDUA_SELECT(amend_award, award)
THIDUA_SELECT(header_only, header_only)
THIDUA_SUB(place_in_section, placement, ast::placement::kind::in_section)
THIDUA_SUB(place_in_bonus, placement, ast::placement::kind::in_bonus)
THIDUA_SUB(place_in_deduction, placement, ast::placement::kind::in_deduction)
THIDUA_SUB(place_before, placement, ast::placement::kind::before)
THIDUA_SUB(place_after, placement, ast::placement::kind::after)
THIDUA_SELECT(place_section_id, id)
THIDUA_SELECT(place_ref_id, id)
THIDUA_SELECT(place_group_label, string)
THIDUA_SELECT(remove_key_id, id)
THIDUA_SELECT(remove_key_label, string)
THIDUA_SELECT(remove_key_name, ident)
THIDUA_SUB(remove_criterion, remove_ref, ast::amendment::target::criterion)
THIDUA_SUB(remove_section, remove_ref, ast::amendment::target::section)
THIDUA_SUB(remove_award, remove_ref, ast::amendment::target::award)
THIDUA_SUB(remove_bonus, remove_ref, ast::amendment::target::bonus)
THIDUA_SUB(remove_deduction, remove_ref, ast::amendment::target::deduction)
THIDUA_SUB(remove_item, remove_ref, ast::amendment::target::item)
THIDUA_SUB(remove_exclude, remove_ref, ast::amendment::target::exclude)
THIDUA_SUB(remove_ineligible, remove_ref, ast::amendment::target::ineligible)
THIDUA_SUB(remove_ranking, remove_ref, ast::amendment::target::ranking)
THIDUA_SUB(remove_awards_limit, remove_ref, ast::amendment::target::awards_limit)
THIDUA_SUB(remove_self_score, remove_ref, ast::amendment::target::self_score)
THIDUA_SUB(remove_scale, remove_ref, ast::amendment::target::scale)
THIDUA_SUB(remove_rounding, remove_ref, ast::amendment::target::rounding)
THIDUA_SUB(remove_enum, remove_ref, ast::amendment::target::enumeration)
THIDUA_SUB(remove_input, remove_ref, ast::amendment::target::input)
// Tests.
THIDUA_SELECT(test_decl, test)
THIDUA_SELECT(test_title, string)
THIDUA_SELECT(test_data, test_data)
THIDUA_SELECT(data_path, string)
THIDUA_SELECT(test_unit, test_unit)
THIDUA_SELECT(unit_name, string)
THIDUA_SELECT(test_field, test_field)
THIDUA_SELECT(test_field_name, ident)
THIDUA_SELECT(tv_number, tv_number)
THIDUA_SELECT(expect_value, tv_number)
THIDUA_SELECT(tv_date, date)
THIDUA_SUB(tv_true, boolean, 1)
THIDUA_SUB(tv_false, boolean, 0)
THIDUA_SELECT(tv_string, string)
THIDUA_SELECT(tv_member, tv_member)
THIDUA_SELECT(test_list, tv_list)
THIDUA_SELECT(test_row, tv_row)
THIDUA_SELECT(expect_decl, expect)
THIDUA_SELECT(expect_unit, string)
THIDUA_SELECT(group_unit, string)
THIDUA_SELECT(next_group_unit, string)
THIDUA_SELECT(within_clause, within)
THIDUA_SELECT(within_value, number)
THIDUA_SELECT(expect_rank, expect_rank)
THIDUA_SELECT(expect_award, expect_award)
THIDUA_SELECT(expect_award_id, ident)
THIDUA_SELECT(award_pending, award_pending)
THIDUA_SELECT(expect_no_award, expect_no_award)
THIDUA_SELECT(expect_not, expect_not)
THIDUA_SUB(knocked_excluded, knocked, 0)
THIDUA_SUB(knocked_ineligible, knocked, 1)
THIDUA_SUB(knocked_eligible, knocked, 2)
THIDUA_SELECT(expect_tie, expect_tie)
THIDUA_SELECT(expect_conflict, expect_conflict)
THIDUA_SELECT(conflict_award, ident)
THIDUA_SELECT(tests_header_expected, tests_header)
THIDUA_SELECT(tests_regulation, string)
THIDUA_SELECT(test_file_grammar, test_file_root)

#undef THIDUA_SELECT
#undef THIDUA_SUB
#undef THIDUA_NODE

// The group kind is carried by the group_bonus / group_deduction child; the decl itself is a
// plain node, so the lowering reads the child's sub.

// ---------------------------------------------------------------------------------------------
// Error messages, keyed by the rule that failed.

struct error_info {
    const char* code = nullptr;
    msg message = msg::E099_syntax_error;
};

template <typename Rule>
inline constexpr error_info error_of{"E099", msg::E099_syntax_error};

#define THIDUA_ERROR(rule, code, key) \
    template <>                       \
    inline constexpr error_info error_of<gr::rule>{code, msg::key};

THIDUA_ERROR(unterminated_string, "E006", E006_unterminated_string)
THIDUA_ERROR(bad_escape, "E007", E007_bad_escape)
THIDUA_ERROR(number_suffix, "E008", E008_number_suffix)
THIDUA_ERROR(regulation_expected, "E010", E010_regulation_expected)
THIDUA_ERROR(regulation_title, "E011", E011_regulation_title)
THIDUA_ERROR(regulation_block, "E012", E012_regulation_block)
THIDUA_ERROR(trailing_text, "E015", E015_trailing_text)
THIDUA_ERROR(expected_declaration, "E016", E016_expected_declaration)
THIDUA_ERROR(criterion_outside, "E017", E017_criterion_outside)
THIDUA_ERROR(item_outside, "E018", E018_item_outside)
THIDUA_ERROR(expected_criterion, "E019", E019_expected_criterion)
THIDUA_ERROR(expected_item, "E020", E020_expected_item)

// Expressions.
THIDUA_ERROR(paren_inner, "E021", E021_paren_inner)
THIDUA_ERROR(if_cond, "E021", E021_if_cond)
THIDUA_ERROR(then_value, "E021", E021_then_value)
THIDUA_ERROR(else_value, "E021", E021_else_value)
THIDUA_ERROR(band_bound, "E021", E021_band_bound)
THIDUA_ERROR(band_value, "E021", E021_band_value)
THIDUA_ERROR(arm_else_value, "E021", E021_arm_else_value)
THIDUA_ERROR(band_else_value, "E021", E021_band_else_value)
THIDUA_ERROR(when_subject, "E021", E021_when_subject)
THIDUA_ERROR(arm_value, "E021", E021_arm_value)
THIDUA_ERROR(match_subject, "E021", E021_match_subject)
THIDUA_ERROR(agg_list, "E021", E021_agg_list)
THIDUA_ERROR(agg_where, "E021", E021_agg_where)
THIDUA_ERROR(agg_body, "E021", E021_agg_body)
THIDUA_ERROR(call_arg, "E021", E021_call_arg)
THIDUA_ERROR(neg_operand, "E021", E021_neg_operand)
THIDUA_ERROR(mul_operand, "E021", E021_mul_operand)
THIDUA_ERROR(add_operand, "E021", E021_add_operand)
THIDUA_ERROR(cmp_operand, "E021", E021_cmp_operand)
THIDUA_ERROR(not_operand, "E021", E021_not_operand)
THIDUA_ERROR(and_operand, "E021", E021_and_operand)
THIDUA_ERROR(or_operand, "E021", E021_or_operand)
THIDUA_ERROR(let_value, "E021", E021_let_value)
THIDUA_ERROR(points_value, "E021", E021_points_value)
THIDUA_ERROR(applies_condition, "E021", E021_applies_condition)
THIDUA_ERROR(knockout_condition, "E021", E021_knockout_condition)
THIDUA_ERROR(by_keys, "E021", E021_by_keys)
THIDUA_ERROR(first_keys, "E021", E021_first_keys)
THIDUA_ERROR(next_key, "E021", E021_next_key)
THIDUA_ERROR(require_condition, "E021", E021_require_condition)
THIDUA_ERROR(member_field, "E022", E022_member_field)
THIDUA_ERROR(let_name, "E022", E022_let_name)
THIDUA_ERROR(enum_name, "E022", E022_enum_name)
THIDUA_ERROR(award_id, "E022", E022_award_id)
THIDUA_ERROR(self_score_field, "E022", E022_self_score_field)
THIDUA_ERROR(criterion_label, "E023", E023_criterion_label)
THIDUA_ERROR(section_label, "E023", E023_section_label)
THIDUA_ERROR(item_label, "E023", E023_item_label)
THIDUA_ERROR(group_label, "E023", E023_group_label)
THIDUA_ERROR(knockout_label, "E023", E023_knockout_label)
THIDUA_ERROR(require_label, "E023", E023_require_label)
THIDUA_ERROR(award_label, "E023", E023_award_label)
THIDUA_ERROR(cite_text, "E023", E023_cite_text)
THIDUA_ERROR(max_value, "E024", E024_max_value)
THIDUA_ERROR(scale_value, "E024", E024_scale_value)
THIDUA_ERROR(rounding_step, "E024", E024_rounding_step)
THIDUA_ERROR(quota_amount, "E024", E024_quota_amount)
THIDUA_ERROR(tolerance_value, "E024", E024_tolerance_value)
THIDUA_ERROR(criterion_max, "E025", E025_criterion_max)
THIDUA_ERROR(section_max, "E025", E025_section_max)
THIDUA_ERROR(points_expected, "E026", E026_points_expected)
THIDUA_ERROR(let_equals, "E027", E027_let_equals)
THIDUA_ERROR(points_equals, "E027", E027_points_equals)
THIDUA_ERROR(let_after_points, "E028", E028_let_after_points)
THIDUA_ERROR(points_twice, "E028", E028_points_twice)
THIDUA_ERROR(after_points, "E028", E028_after_points)
THIDUA_ERROR(bad_band, "E029", E029_bad_band)
THIDUA_ERROR(band_after_else, "E029", E029_band_after_else)
THIDUA_ERROR(bad_arm, "E030", E030_bad_arm)
THIDUA_ERROR(arm_after_else, "E030", E030_arm_after_else)
THIDUA_ERROR(band_colon, "E031", E031_band_colon)
THIDUA_ERROR(arm_colon, "E031", E031_arm_colon)
THIDUA_ERROR(else_colon, "E031", E031_else_colon)
THIDUA_ERROR(field_colon, "E031", E031_field_colon)
THIDUA_ERROR(then_expected, "E032", E032_then_expected)
THIDUA_ERROR(else_expected, "E032", E032_else_expected)
THIDUA_ERROR(chained_comparison, "E033", E033_chained_comparison)
THIDUA_ERROR(single_equals, "E033", E033_single_equals)
THIDUA_ERROR(presence_word, "E034", E034_presence_word)
THIDUA_ERROR(rounding_target, "E035", E035_rounding_target)
THIDUA_ERROR(rounding_mode, "E035", E035_rounding_mode)
THIDUA_ERROR(combine_mode, "E035", E035_combine_mode)
THIDUA_ERROR(tie_mode, "E035", E035_tie_mode)
THIDUA_ERROR(key_direction, "E035", E035_key_direction)
THIDUA_ERROR(quota_rounding, "E035", E035_quota_rounding)
THIDUA_ERROR(members_expected, "E035", E035_members_expected)
THIDUA_ERROR(candidates_what, "E035", E035_candidates_what)
THIDUA_ERROR(rank_expected, "E035", E035_rank_expected)
THIDUA_ERROR(rank_to, "E035", E035_rank_to)
THIDUA_ERROR(slots_expected, "E035", E035_slots_expected)
THIDUA_ERROR(unused_what, "E035", E035_unused_what)
THIDUA_ERROR(kw_lost, "E035", E035_kw_lost)
THIDUA_ERROR(kw_down, "E035", E035_kw_down)
THIDUA_ERROR(field_type, "E035", E035_field_type)
THIDUA_ERROR(range_low, "E035", E035_range_low)
THIDUA_ERROR(range_dots, "E035", E035_range_dots)
THIDUA_ERROR(bad_enum_member, "E036", E036_bad_enum_member)
THIDUA_ERROR(bad_field, "E036", E036_bad_field)
THIDUA_ERROR(bad_ranking_stmt, "E036", E036_bad_ranking_stmt)
THIDUA_ERROR(bad_award_stmt, "E036", E036_bad_award_stmt)
THIDUA_ERROR(criterion_id, "E037", E037_criterion_id)
THIDUA_ERROR(section_id, "E037", E037_section_id)
THIDUA_ERROR(ref_section_id, "E037", E037_ref_section_id)
THIDUA_ERROR(ref_criterion_id, "E037", E037_ref_criterion_id)
THIDUA_ERROR(applies_when_expected, "E043", E043_applies_when_expected)
THIDUA_ERROR(knockout_when, "E043", E043_knockout_when)
THIDUA_ERROR(place_expected, "E044", E044_place_expected)
THIDUA_ERROR(first_by_expected, "E044", E044_first_by_expected)
THIDUA_ERROR(from_expected, "E045", E045_from_expected)
THIDUA_ERROR(tolerance_expected, "E045", E045_tolerance_expected)
THIDUA_ERROR(awards_limit_expected, "E045", E045_awards_limit_expected)
THIDUA_ERROR(enum_block, "E012", E012_enum_block)
THIDUA_ERROR(input_block, "E012", E012_input_block)
THIDUA_ERROR(list_block, "E012", E012_list_block)
THIDUA_ERROR(section_block, "E012", E012_section_block)
THIDUA_ERROR(criterion_block, "E012", E012_criterion_block)
THIDUA_ERROR(item_block, "E012", E012_item_block)
THIDUA_ERROR(group_block, "E012", E012_group_block)
THIDUA_ERROR(ranking_block, "E012", E012_ranking_block)
THIDUA_ERROR(award_block, "E012", E012_award_block)
THIDUA_ERROR(when_block, "E012", E012_when_block)
THIDUA_ERROR(match_block, "E012", E012_match_block)
THIDUA_ERROR(close_paren, "E014", E014_close_paren)
THIDUA_ERROR(agg_close, "E014", E014_agg_close)
THIDUA_ERROR(call_close, "E014", E014_call_close)

// Amendments.
THIDUA_ERROR(amends_path, "E050", E050_amends_path)
THIDUA_ERROR(amend_what, "E051", E051_amend_what)
THIDUA_ERROR(remove_what, "E052", E052_remove_what)
THIDUA_ERROR(remove_key_id, "E037", E037_remove_key_id)
THIDUA_ERROR(remove_key_label, "E023", E023_remove_key_label)
THIDUA_ERROR(remove_key_name, "E022", E022_remove_key_name)
THIDUA_ERROR(place_in_what, "E055", E055_place_in_what)
THIDUA_ERROR(place_section_id, "E037", E037_place_section_id)
THIDUA_ERROR(place_group_label, "E023", E023_place_group_label)
THIDUA_ERROR(place_ref_id, "E037", E037_place_ref_id)
// Tests (E060-E069).
THIDUA_ERROR(test_equals, "E060", E060_test_equals)
THIDUA_ERROR(test_field_value, "E061", E061_test_field_value)
THIDUA_ERROR(bad_test_field, "E062", E062_bad_test_field)
THIDUA_ERROR(list_close, "E063", E063_list_close)
THIDUA_ERROR(data_path, "E064", E064_data_path)
THIDUA_ERROR(unit_name, "E064", E064_unit_name)
THIDUA_ERROR(group_units, "E064", E064_group_units)
THIDUA_ERROR(next_group_unit, "E064", E064_next_group_unit)
THIDUA_ERROR(unit_block, "E012", E012_unit_block)
THIDUA_ERROR(expect_equals, "E065", E065_expect_equals)
THIDUA_ERROR(expect_value, "E065", E065_expect_value)
THIDUA_ERROR(within_value, "E065", E065_within_value)
THIDUA_ERROR(expect_rank_value, "E065", E065_expect_rank_value)
THIDUA_ERROR(expect_award_id, "E066", E066_expect_award_id)
THIDUA_ERROR(no_award_expected, "E066", E066_no_award_expected)
THIDUA_ERROR(knocked_what, "E066", E066_knocked_what)
THIDUA_ERROR(expect_what, "E066", E066_expect_what)
THIDUA_ERROR(conflict_award, "E066", E066_conflict_award)
THIDUA_ERROR(bad_expect, "E066", E066_bad_expect)
THIDUA_ERROR(test_title, "E067", E067_test_title)
THIDUA_ERROR(test_block, "E012", E012_test_block)
THIDUA_ERROR(bad_test_stmt, "E068", E068_bad_test_stmt)
THIDUA_ERROR(tests_for_expected, "E069", E069_tests_for_expected)
THIDUA_ERROR(tests_regulation, "E069", E069_tests_regulation)
THIDUA_ERROR(tests_header_expected, "E069", E069_tests_header_expected)
THIDUA_ERROR(test_file_end, "E069", E069_test_file_end)

#undef THIDUA_ERROR

template <typename Rule>
inline constexpr bool is_close_brace = false;
template <typename Ctx>
inline constexpr bool is_close_brace<gr::close_brace<Ctx>> = true;
template <typename Rule>
inline constexpr bool is_open_brace = false;
template <typename Ctx>
inline constexpr bool is_open_brace<gr::open_brace<Ctx>> = true;
template <typename Rule>
struct brace_ctx {};
template <typename Ctx>
struct brace_ctx<gr::open_brace<Ctx>> {
    using type = Ctx;
};
// Rules deriving from nested<R> (expr, arith, the operands of '-' and 'not') count one level.
struct nested_probe {
    template <typename R>
    static std::true_type test(const gr::nested<R>*);
    static std::false_type test(const void*);
};
template <typename Rule>
inline constexpr bool is_nested =
    decltype(nested_probe::test(static_cast<const Rule*>(nullptr)))::value;
template <typename Rule>
inline constexpr bool closes_paren =
    std::is_same_v<
        Rule,
        gr::close_paren> || std::is_same_v<Rule, gr::agg_close> || std::is_same_v<Rule, gr::call_close>;

// ---------------------------------------------------------------------------------------------
// Parser state and the error type.

struct syntax_error {
    const char* code = "E099";
    span where;
    std::string message;
    std::vector<std::pair<span, std::string>> notes;
};

// Thrown by an inner recovery (inside a section or group) that found the next top-level
// declaration: the top-level recovery resumes there.
struct resync {
    std::uint32_t offset = 0;
};
// Thrown when a file has so many errors that more would not help anyone.
struct too_many_errors {};
constexpr std::size_t max_syntax_errors = 50;

struct open_block {
    std::string what;
    std::uint32_t at = 0;
};

struct mark {
    std::size_t first_child = 0;
    std::uint32_t begin = 0;
    std::size_t blocks = 0;
};

struct pstate {
    const source_file* file = nullptr;
    std::string_view text;
    std::vector<pnode> out;
    std::vector<mark> marks;
    std::vector<open_block> blocks;
    unsigned depth = 0;
    std::vector<syntax_error> errors;
    // Comments seen, for the formatter; backtracking may see one twice (sorted, made unique).
    std::vector<span> comments;
    std::uint32_t comment_begin = 0;

    template <typename ParseInput>
    [[nodiscard]] std::uint32_t offset(const ParseInput& in) const {
        return static_cast<std::uint32_t>(in.current() - text.data());
    }

    [[nodiscard]] std::string_view slice(span s) const {
        return text.substr(s.begin, s.end - s.begin);
    }
};

bool is_ident_byte(unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c >= 0x80U;
}

// Decodes the code point at `at` (the text is valid UTF-8 by the time the grammar runs).
std::uint32_t code_point_at(std::string_view text, std::size_t at, std::size_t& length) {
    const auto c = static_cast<unsigned char>(text[at]);
    length = c < 0x80U ? 1 : c < 0xE0U ? 2 : c < 0xF0U ? 3 : 4;
    length = std::min(length, text.size() - at);
    if (length == 1) {
        return c;
    }
    std::uint32_t cp = c & (0xFFU >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
        cp = (cp << 6U) | (static_cast<unsigned char>(text[at + k]) & 0x3FU);
    }
    return cp;
}

bool is_letter_code_point(std::uint32_t cp) {
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x300 && cp <= 0x36F)
           || (cp >= 0x1E00 && cp <= 0x1EFF);
}

// Skips whitespace and comments from `at`.
std::size_t skip_trivia(std::string_view text, std::size_t at) {
    while (at < text.size()) {
        const char c = text[at];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++at;
        } else if (c == '#') {
            while (at < text.size() && text[at] != '\n') {
                ++at;
            }
        } else {
            break;
        }
    }
    return at;
}

// The extent of the token starting at `at`, for carets: a keyword (all its words), a word, a
// number, or one character.
span token_at(std::string_view text, std::size_t at) {
    if (at >= text.size()) {
        // At the end of the file, point just after the last visible character.
        std::size_t end = text.size();
        while (end > 0
               && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'
                   || text[end - 1] == '\n')) {
            --end;
        }
        return {static_cast<std::uint32_t>(end), static_cast<std::uint32_t>(end)};
    }
    // A keyword of several words (`tiêu chí`, `không xét khen thưởng`) is one token.
    std::size_t keyword = 0;
    for (const auto& k : keywords::table) {
        keyword = std::max(keyword, keywords::match_keyword(k.id, text.substr(at)));
    }
    if (keyword > 0) {
        return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + keyword)};
    }
    std::size_t end = at;
    const auto c = static_cast<unsigned char>(text[at]);
    if (is_ident_byte(c) && c < 0x80U) {
        while (end < text.size() && is_ident_byte(static_cast<unsigned char>(text[end]))) {
            ++end;
        }
    } else {
        std::size_t len = 1;
        code_point_at(text, at, len);
        end = at + len;
        if (c >= 0x80U) {
            while (end < text.size() && is_ident_byte(static_cast<unsigned char>(text[end]))) {
                ++end;
            }
        }
    }
    return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(end)};
}

// An error at the token after `offset`. A character that can start no token at all (a dash
// copied from a word processor, a curly quote, a control character) gets its own message, since
// "expected X" would hide the real problem.
// "; did you mean `criterion`?" when the text where a keyword was expected is a misspelling of
// one the message names ('criterion', 'tiêu chí'), else "". The candidates are the message's
// quoted keywords, in both languages (a regulation may be written with either), so the hint is
// always a keyword that would have been accepted there. A keyword of several words is compared
// with as many words of the text.
// Whether `written` is `keyword` with two adjacent letters swapped (`whne`, `thne`, `fi`), the
// commonest slip of the fingers, which closest_name() counts as two edits (too many for a short
// word). Diacritics are ignored, as there.
bool swapped_letters(std::string_view written, std::string_view keyword) {
    const std::string a = without_diacritics(written);
    const std::string b = without_diacritics(keyword);
    if (a.size() != b.size() || a == b) {
        return false;
    }
    std::size_t i = 0;
    while (a[i] == b[i]) {
        ++i;
    }
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i]
           && a.substr(i + 2) == b.substr(i + 2);
}

// The candidate keyword `written` is a misspelling of: closest_name(), or two letters swapped.
std::string closest_keyword(std::string_view written, const std::vector<std::string>& candidates) {
    std::string best = closest_name(written, candidates);
    if (best.empty()) {
        for (const auto& k : candidates) {
            if (swapped_letters(written, k)) {
                return k;
            }
        }
    }
    return best;
}

// `end`, when given, receives the end of the words of the text the suggestion replaces (the
// caret then covers `tiêu chi` whole, not only `tiêu`).
std::string keyword_hint(std::string_view text, std::size_t at, std::string_view message,
                         std::size_t* end = nullptr) {
    if (at >= text.size() || !is_ident_byte(static_cast<unsigned char>(text[at]))) {
        return {};
    }
    std::vector<std::vector<std::string>> by_words;  // [words - 1]: candidates
    auto add = [&by_words](std::string_view k) {
        const auto words = static_cast<std::size_t>(std::count(k.begin(), k.end(), ' ')) + 1;
        if (by_words.size() < words) {
            by_words.resize(words);
        }
        auto& v = by_words[words - 1];
        if (std::find(v.begin(), v.end(), k) == v.end()) {
            v.emplace_back(k);
        }
    };
    // Both spellings of a keyword either one of them names.
    auto add_keyword = [&add](std::string_view word) {
        for (const auto& k : keywords::table) {
            if (k.en == word || k.vi == word) {
                add(k.en);
                add(k.vi);
            }
        }
    };
    for (std::size_t open = message.find('\''); open != std::string_view::npos;) {
        const std::size_t close = message.find('\'', open + 1);
        if (close == std::string_view::npos) {
            break;
        }
        const std::string_view quoted = message.substr(open + 1, close - open - 1);
        if (!quoted.empty() && is_ident_byte(static_cast<unsigned char>(quoted.front()))) {
            add(quoted);
            add_keyword(quoted);
            // The keywords a quoted example starts with: `điểm` of 'điểm = ...'.
            std::size_t head = 0;
            while (head < quoted.size()
                   && (is_ident_byte(static_cast<unsigned char>(quoted[head]))
                       || quoted[head] == ' ')) {
                ++head;
            }
            while (head > 0 && quoted[head - 1] == ' ') {
                --head;
            }
            if (head < quoted.size()) {
                add(quoted.substr(0, head));
                add_keyword(quoted.substr(0, head));
            }
        }
        open = message.find('\'', close + 1);
    }
    // A list of alternatives in parentheses (`expected a declaration (scale, rounding, ...)`):
    // the items that are keywords.
    if (const std::size_t open = message.find('('); open != std::string_view::npos) {
        const std::size_t close = message.find(')', open);
        std::string_view list = message.substr(
            open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
        while (!list.empty()) {
            const std::size_t comma = list.find(", ");
            add_keyword(list.substr(0, comma));
            list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 2);
        }
    }
    for (std::size_t words = 1; words <= by_words.size(); ++words) {
        if (by_words[words - 1].empty()) {
            continue;
        }
        // The next `words` words of the text, one space between them.
        std::string written;
        std::size_t i = at;
        for (std::size_t w = 0; w < words; ++w) {
            if (w > 0) {
                while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
                    ++i;
                }
                written += ' ';
            }
            const std::size_t begin = i;
            while (i < text.size() && is_ident_byte(static_cast<unsigned char>(text[i]))) {
                ++i;
            }
            if (i == begin) {
                written.clear();
                break;
            }
            written.append(text.substr(begin, i - begin));
        }
        if (written.empty()) {
            break;
        }
        const std::string best = closest_keyword(written, by_words[words - 1]);
        if (!best.empty()) {
            if (end != nullptr) {
                *end = i;
            }
            return tr(msg::E099_did_you_mean_keyword, fmt::arg("keyword", best));
        }
    }
    return {};
}

// A Vietnamese keyword typed without its diacritics (`va`, `hoac`, `nguoc lai`) or with a wrong
// one (`vá`, `hoăc`) is a name to the grammar, so the parse fails at it (`a > 1 va b`: after a
// whole condition, `va` is unexpected) or at the word after it (`neu a > 1`, `khong c`: `neu` and
// `khong` are read as names, and then `a` or `c` is unexpected). Finds such a keyword: the words
// starting at `at`, or ending right before it, or running across it, on one line. Longer phrases
// first (`tong diem` is `tổng điểm`, not `tong` and then `điểm`). Only `nếu` and `không` are
// looked for before `at`, the keywords followed by an operand: a name right before an error is
// otherwise most likely a name (an input `so`, `ma`). The span covers the phrase's words.
struct unmarked_keyword {
    span where;
    std::string keyword;
};

std::optional<unmarked_keyword> keyword_typed_without_diacritics(std::string_view text,
                                                                 std::size_t at) {
    constexpr std::size_t max_words = 4;  // `không xét khen thưởng`
    const auto is_word_byte = [&](std::size_t i) {
        return i < text.size() && is_ident_byte(static_cast<unsigned char>(text[i]));
    };
    const auto is_blank = [&](std::size_t i) {
        return i < text.size() && (text[i] == ' ' || text[i] == '\t');
    };
    // The words before `at` on its line (nearest last), separated by blanks only.
    std::vector<span> words;
    for (std::size_t i = at; words.size() < max_words - 1;) {
        std::size_t end = i;
        while (end > 0 && is_blank(end - 1)) {
            --end;
        }
        if (end == i && i != at) {
            break;  // the word is preceded by `=`, `(`, ...: the phrase cannot go further back
        }
        std::size_t begin = end;
        while (begin > 0 && is_word_byte(begin - 1)) {
            --begin;
        }
        if (begin == end) {
            break;
        }
        words.insert(words.begin(),
                     span{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
        i = begin;
    }
    const std::size_t error_word = words.size();  // index of the word at `at`, if any
    // The words from `at` on.
    for (std::size_t i = at; words.size() < error_word + max_words && is_word_byte(i);) {
        std::size_t end = i;
        while (is_word_byte(end)) {
            ++end;
        }
        words.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end)});
        i = end;
        while (is_blank(i)) {
            ++i;
        }
    }
    const bool at_word = words.size() > error_word;
    for (std::size_t n = std::min(max_words, words.size()); n >= 1; --n) {
        for (std::size_t first = 0; first + n <= words.size(); ++first) {
            const std::size_t last = first + n - 1;
            const bool covers_error = at_word && first <= error_word && last >= error_word;
            const bool just_before = last + 1 == error_word;
            if (!covers_error && !just_before) {
                continue;
            }
            std::string phrase;
            for (std::size_t w = first; w <= last; ++w) {
                phrase += w == first ? "" : " ";
                phrase += text.substr(words[w].begin, words[w].end - words[w].begin);
            }
            std::string keyword = keyword_without_diacritics(phrase);
            if (keyword.empty()) {
                continue;
            }
            if (!covers_error && keyword != keywords::spell(keywords::kw::if_, keywords::lang::vi)
                && keyword != keywords::spell(keywords::kw::not_, keywords::lang::vi)) {
                continue;
            }
            // The caret covers every word of the phrase (`nguoc lai`, `tong diem`).
            const span first_word = token_at(text, words[first].begin);
            return unmarked_keyword{{first_word.begin, std::max(first_word.end, words[last].end)},
                                    std::move(keyword)};
        }
    }
    return std::nullopt;
}

// Whether an operand can start at `i`: a number, a name, a parenthesis.
bool operand_starts(std::string_view text, std::size_t i) {
    return i < text.size()
           && (is_ident_byte(static_cast<unsigned char>(text[i])) || text[i] == '(');
}

// The word that ends right before `at` (blanks between), as a span; empty when there is none.
span word_before(std::string_view text, std::size_t at) {
    std::size_t end = std::min(at, text.size());
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
        --end;
    }
    std::size_t begin = end;
    while (begin > 0 && is_ident_byte(static_cast<unsigned char>(text[begin - 1]))) {
        --begin;
    }
    return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

// Whether `word` is a keyword, or the last word of one (`lại` of `ngược lại`).
bool is_keyword_word(std::string_view word) {
    for (const auto& k : keywords::table) {
        for (const std::string_view spelt : {k.en, k.vi}) {
            if (spelt == word
                || (spelt.size() > word.size() && spelt.ends_with(word)
                    && spelt[spelt.size() - word.size() - 1] == ' ')) {
                return true;
            }
        }
    }
    return false;
}

// `points = whne x { ... }`: a keyword that starts an expression (`when`, `match`, `if`, `not`),
// mistyped, is a name to the grammar, so the parse fails at the operand after it. When the word
// right before the error stands where an expression starts (after `=`, `(`, `,`, `:`, an
// operator, `then`, `else`, `and`, `or`) and is a misspelling of one of them, and an operand
// follows, finds it. Words of one or two letters only when two letters are swapped (`fi`): a
// short name is too likely to be a name.
std::optional<unmarked_keyword> misspelt_expression_keyword(std::string_view text, std::size_t at) {
    using keywords::kw;
    if (!operand_starts(text, at)) {
        return std::nullopt;
    }
    const span w = word_before(text, at);
    if (w.begin == w.end || std::isdigit(static_cast<unsigned char>(text[w.begin])) != 0) {
        return std::nullopt;
    }
    const std::string_view written = text.substr(w.begin, w.end - w.begin);
    if (is_keyword_word(written)) {
        return std::nullopt;
    }
    // What comes before the word: punctuation that an expression may follow, or a keyword that
    // an operand follows.
    std::size_t before = w.begin;
    while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) {
        --before;
    }
    bool starts_expression = false;
    if (before > 0
        && std::string_view("=(,:+-*/<>").find(text[before - 1]) != std::string_view::npos) {
        starts_expression = true;
    } else if (const span prev = word_before(text, before); prev.begin != prev.end) {
        const std::string_view p = text.substr(prev.begin, prev.end - prev.begin);
        for (const kw k : {kw::then, kw::else_, kw::and_, kw::or_}) {
            for (const auto l : {keywords::lang::en, keywords::lang::vi}) {
                const std::string_view spelt = keywords::spell(k, l);
                starts_expression = starts_expression || spelt == p
                                    || (spelt.ends_with(p) && spelt.size() > p.size()
                                        && spelt[spelt.size() - p.size() - 1] == ' ');
            }
        }
    }
    if (!starts_expression) {
        return std::nullopt;
    }
    std::vector<std::string> candidates;
    for (const kw k : {kw::when, kw::match, kw::if_, kw::not_}) {
        for (const auto l : {keywords::lang::en, keywords::lang::vi}) {
            const std::string_view spelt = keywords::spell(k, l);
            if (spelt.find(' ') == std::string_view::npos) {
                candidates.emplace_back(spelt);
            }
        }
    }
    std::string best;
    if (edit_distance(written, "") > 2) {
        best = closest_keyword(written, candidates);
    } else {
        for (const auto& k : candidates) {
            if (swapped_letters(written, k)) {
                best = k;
            }
        }
    }
    if (best.empty()) {
        return std::nullopt;
    }
    return unmarked_keyword{w, std::move(best)};
}

// `2 x tasks`, `8 : 2`, `2 × tasks`, `8 ÷ 2`: multiplication and division written as by hand. The
// `x` and the `:` only between two operands (after a number, a name that is not a keyword, `)` or
// `%`), and the `:` only where a formula has ended and the body expects `let`, `points` or `}`
// (`colon_divides`: in a band, an arm or a declaration a `:` belongs to the syntax); `×` and `÷`
// anywhere (they are nothing else).
std::string operator_hint(std::string_view text, std::size_t at, bool colon_divides) {
    if (at >= text.size()) {
        return {};
    }
    std::size_t len = 1;
    const std::uint32_t cp = code_point_at(text, at, len);
    if (cp == 0xD7) {
        return tr(msg::E099_use_star);
    }
    if (cp == 0xF7) {
        return tr(msg::E099_use_slash);
    }
    const bool x =
        (cp == 'x' || cp == 'X')
        && (at + 1 >= text.size() || !is_ident_byte(static_cast<unsigned char>(text[at + 1])));
    if (!x && (cp != ':' || !colon_divides)) {
        return {};
    }
    std::size_t after = at + 1;
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) {
        ++after;
    }
    if (!operand_starts(text, after)) {
        return {};
    }
    std::size_t before = at;
    while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) {
        --before;
    }
    if (before == 0) {
        return {};
    }
    const char c = text[before - 1];
    bool operand_ends = (c >= '0' && c <= '9') || c == ')' || c == '%';
    if (!operand_ends && is_ident_byte(static_cast<unsigned char>(c))) {
        const span w = word_before(text, before);
        operand_ends = !is_keyword_word(text.substr(w.begin, w.end - w.begin));
    }
    if (!operand_ends) {
        return {};
    }
    return tr(x ? msg::E099_use_star : msg::E099_use_slash);
}

// `1,5` or `1,000` around the comma at `at` (digits right before and right after it): the span of
// the whole; nullopt when the comma does not sit between two digits.
std::optional<span> digits_around_comma(std::string_view text, std::size_t at) {
    const auto digit = [&](std::size_t i) {
        return i < text.size() && text[i] >= '0' && text[i] <= '9';
    };
    if (at == 0 || at >= text.size() || text[at] != ',' || !digit(at - 1) || !digit(at + 1)) {
        return std::nullopt;
    }
    std::size_t begin = at;
    while (begin > 0 && digit(begin - 1)) {
        --begin;
    }
    std::size_t end = at + 1;
    while (digit(end)) {
        ++end;
    }
    return span{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

// Whether the number starting at `begin` is where a rank is written: right after `rank` (`hạng`),
// or after `rank ==` (a test's expectation). `1,3` there is a range of ranks, not a decimal.
bool after_rank_keyword(std::string_view text, std::size_t begin) {
    const auto skip_blanks_back = [&](std::size_t i) {
        while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
            --i;
        }
        return i;
    };
    std::size_t end = skip_blanks_back(begin);
    if (end >= 2 && text.substr(end - 2, 2) == "==") {
        end = skip_blanks_back(end - 2);
    }
    for (const keywords::lang l : {keywords::lang::en, keywords::lang::vi}) {
        const std::string_view word = keywords::spell(keywords::kw::rank, l);
        if (end >= word.size() && text.substr(end - word.size(), word.size()) == word
            && (end == word.size()
                || !is_ident_byte(static_cast<unsigned char>(text[end - word.size() - 1])))) {
            return true;
        }
    }
    return false;
}

// A parse error at the comma of `1,5` (a decimal written the Vietnamese way, or `1,000` with a
// thousands separator): the language writes numbers without commas. `rank 1,3` gets the way a
// range of ranks is written instead.
std::string decimal_comma_hint(std::string_view text, std::size_t at) {
    const auto around = digits_around_comma(text, at);
    if (!around) {
        return {};
    }
    const std::string_view whole = text.substr(around->begin, at - around->begin);
    const std::string_view part = text.substr(at + 1, around->end - at - 1);
    if (after_rank_keyword(text, around->begin)) {
        return tr(msg::E099_comma_rank_range, fmt::arg("from", whole), fmt::arg("to", part));
    }
    // `95,5%`: the hint is the whole percentage. `0,125` cannot be a grouping of thousands.
    const std::string_view percent = around->end < text.size() && text[around->end] == '%'
                                         ? std::string_view("%")
                                         : std::string_view();
    const bool grouped = part.size() == 3 && whole.front() != '0';
    return tr(grouped ? msg::E099_comma_grouped : msg::E099_decimal_comma,
              fmt::arg("decimal", fmt::format("{}.{}{}", whole, part, percent)),
              fmt::arg("grouped", fmt::format("{}{}{}", whole, part, percent)));
}

// `self_score có giá trị` / `x present`: a presence test without `là` / `is` (trial 11 wrote the
// Vietnamese phrase as it is said, and got only "expected a declaration"). When the text at the
// error spells `present` or `absent` in either language right after a name, says how it is
// written, in the keywords of the file.
std::string presence_hint(std::string_view text, std::size_t at) {
    using keywords::kw;
    const auto word_end = [&](std::size_t end) {
        if (end >= text.size()) {
            return true;
        }
        std::size_t len = 1;
        const std::uint32_t cp = code_point_at(text, end, len);
        return !(cp == '_' || (cp < 0x80 && std::isalnum(static_cast<int>(cp)) != 0)
                 || (cp >= 0x80 && is_letter_code_point(cp)));
    };
    std::optional<kw> which;
    for (const kw k : {kw::present, kw::absent}) {
        for (const auto lang : {keywords::lang::en, keywords::lang::vi}) {
            const std::string_view spelt = keywords::spell(k, lang);
            if (text.substr(at, spelt.size()) == spelt && word_end(at + spelt.size())) {
                which = k;
            }
        }
    }
    if (!which) {
        return {};
    }
    // The name before it: letters, digits, `_` and `.` (a list element's field).
    std::size_t end = at;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
        --end;
    }
    std::size_t begin = end;
    while (begin > 0) {
        const unsigned char c = static_cast<unsigned char>(text[begin - 1]);
        if (c == '_' || c == '.' || std::isalnum(c) != 0 || c >= 0x80) {
            --begin;
        } else {
            break;
        }
    }
    const std::string_view name = text.substr(begin, end - begin);
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) {
        return {};
    }
    // After a keyword (`is`, `not`, `and`, `là`, `không`, ...) it is something else.
    for (const auto& k : keywords::table) {
        if (name == k.en || name == k.vi || k.vi.ends_with(std::string(" ") + std::string(name))) {
            return {};
        }
    }
    return tr(msg::E099_presence_needs_is, fmt::arg("is", keyword_text(kw::is)),
              fmt::arg("test",
                       fmt::format("{} {} {}", name, keyword_text(kw::is), keyword_text(*which))));
}

// The keywords that start a declaration, for E016, in the language keywords are quoted in.
std::string declaration_keywords() {
    using keywords::kw;
    std::string out;
    for (const kw k :
         {kw::scale, kw::rounding, kw::enum_, kw::input, kw::section, kw::bonus, kw::deduction,
          kw::exclude, kw::ineligible, kw::ranking, kw::award, kw::awards, kw::self_score}) {
        out += out.empty() ? "" : ", ";
        out += keyword_text(k);
        if (k == kw::awards) {
            out += fmt::format(" {}", keyword_text(kw::limit));
        }
    }
    return out;
}

// The days of month `m` (1-12) of year `y`: 29 in February of a leap year.
int days_in_month(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap ? 1 : 0);
}

// A real calendar day: month 1-12, the day within the month, 29 February in leap years only.
bool valid_date(int y, int m, int d) {
    if (y < 1 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    return d <= days_in_month(y, m);
}

// A parse error inside `15/12/2017` (a date written day/month/year, as Vietnamese documents do;
// in a test's field it fails at the first '/'): the hint writes it the language's way.
std::string slashed_date_hint(std::string_view text, std::size_t at) {
    const auto digit_or_slash = [](char c) { return (c >= '0' && c <= '9') || c == '/'; };
    std::size_t begin = std::min(at, text.size());
    while (begin > 0 && digit_or_slash(text[begin - 1])) {
        --begin;
    }
    std::size_t end = begin;
    while (end < text.size() && digit_or_slash(text[end])) {
        ++end;
    }
    const std::string_view run = text.substr(begin, end - begin);
    const auto first = run.find('/');
    const auto second = first == std::string_view::npos ? first : run.find('/', first + 1);
    if (second == std::string_view::npos || run.find('/', second + 1) != std::string_view::npos
        || first == 0 || first > 2 || second - first - 1 == 0 || second - first - 1 > 2
        || run.size() - second - 1 != 4) {
        return {};
    }
    const auto number = [&](std::size_t from, std::size_t to) {
        int v = 0;
        for (std::size_t i = from; i < to; ++i) {
            v = v * 10 + (run[i] - '0');
        }
        return v;
    };
    const int d = number(0, first);
    const int m = number(first + 1, second);
    const int y = number(second + 1, run.size());
    if (!valid_date(y, m, d)) {
        return {};
    }
    return tr(msg::E099_slashed_date, fmt::arg("date", fmt::format("{:04}-{:02}-{:02}", y, m, d)));
}

syntax_error error_at(const pstate& s, std::uint32_t offset, const error_info& info) {
    syntax_error e;
    e.code = info.code;
    e.message = info.message == msg::E016_expected_declaration
                    ? tr(info.message, fmt::arg("declarations", declaration_keywords()))
                    : tr(info.message);
    std::size_t at = skip_trivia(s.text, offset);
    // `>= 1: 2,5` in a `when` (or `xs: 7,5` in a `match`, `p = 1,5` in a test's unit): the comma
    // separates bands, arms and fields, so the parse fails at the `5` after it. The mistake is the
    // comma: point there, and the hint below says how the number is written.
    if (at >= 2 && s.text[at - 1] == ',' && digits_around_comma(s.text, at - 1)) {
        at -= 1;
    }
    e.where = token_at(s.text, at);
    if (at < s.text.size()) {
        std::size_t len = 1;
        const std::uint32_t cp = code_point_at(s.text, at, len);
        const bool control = cp < 0x20 || cp == 0x7F;
        // ASCII characters the language does not use anywhere outside strings and comments.
        const bool stray = cp < 0x80
                           && std::string_view("^&|~$@;'`\\[]").find(static_cast<char>(cp))
                                  != std::string_view::npos;
        if (stray) {
            e.code = "E004";
            e.where = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + 1)};
            e.message = cp == '\''
                            ? tr(msg::E004_single_quote)
                            : tr(msg::E004_unexpected_ascii,
                                 fmt::arg("character", std::string(1, static_cast<char>(cp))));
        } else if (control || (cp >= 0x80 && !is_letter_code_point(cp))) {
            e.code = "E004";
            e.where = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + len)};
            if (control) {
                e.message = tr(msg::E004_control_character, fmt::arg("code", cp));
            } else {
                const msg key = cp == 0x201C || cp == 0x201D ? msg::E004_curly_quote
                                : cp == 0x2013 || cp == 0x2014 || cp == 0x2212
                                    ? msg::E004_dash
                                    : msg::E004_unexpected_character;
                e.message =
                    tr(key, fmt::arg("character", s.text.substr(at, len)), fmt::arg("code", cp));
                e.message += operator_hint(s.text, at, false);  // `×`, `÷`
            }
        } else if (auto op = operator_hint(s.text, at,
                                           info.message == msg::E026_points_expected
                                               || info.message == msg::E028_after_points);
                   !op.empty()) {
            e.message += op;
        } else {
            const std::size_t plain = e.message.size();
            std::size_t hint_end = 0;
            e.message += keyword_hint(s.text, at, e.message, &hint_end);
            if (hint_end > e.where.end) {
                e.where.end = static_cast<std::uint32_t>(hint_end);  // `tiêu chi` whole
            }
            e.message += decimal_comma_hint(s.text, at);
            e.message += slashed_date_hint(s.text, at);
            e.message += presence_hint(s.text, at);
            if (e.message.size() == plain) {
                auto k = keyword_typed_without_diacritics(s.text, at);
                if (!k) {
                    k = misspelt_expression_keyword(s.text, at);
                }
                if (k) {
                    e.where = k->where;
                    e.message +=
                        tr(msg::E099_did_you_mean_keyword, fmt::arg("keyword", k->keyword));
                }
            }
        }
    }
    return e;
}

// A block left open is usually one whose '}' was deleted, and the '}' that closed it really
// belonged to the block around it. Between the '{' at `from` and `to`, finds the first '}' that
// starts its line less indented than the line of the '{' it closes: returns that '{' (the block
// likely missing its brace) and the '}'. Strings and comments are skipped.
std::optional<std::pair<std::uint32_t, std::uint32_t>> brace_by_indentation(std::string_view text,
                                                                            std::uint32_t from,
                                                                            std::uint32_t to) {
    const auto indent_of_line = [&](std::size_t at, bool& first_on_line) {
        std::size_t begin = text.rfind('\n', at == 0 ? 0 : at - 1);
        begin = begin == std::string_view::npos || at == 0 ? 0 : begin + 1;
        std::size_t i = begin;
        while (i < at && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        first_on_line = i == at;
        return i - begin;
    };
    std::vector<std::pair<std::uint32_t, std::size_t>> open;  // '{' and its line's indentation
    const std::size_t end = std::min<std::size_t>(to, text.size());
    for (std::size_t i = from + 1; i < end; ++i) {
        const char c = text[i];
        if (c == '#') {
            while (i < end && text[i] != '\n') {
                ++i;
            }
        } else if (c == '"') {
            for (++i; i < end && text[i] != '"' && text[i] != '\n'; ++i) {
                if (text[i] == '\\') {
                    ++i;
                }
            }
        } else if (c == '{') {
            bool first = false;
            open.emplace_back(static_cast<std::uint32_t>(i), indent_of_line(i, first));
        } else if (c == '}' && !open.empty()) {
            bool first = false;
            const std::size_t indent = indent_of_line(i, first);
            if (first && indent < open.back().second) {
                return std::pair{open.back().first, static_cast<std::uint32_t>(i)};
            }
            open.pop_back();
        }
    }
    return std::nullopt;
}

std::string block_title(const pstate& s, msg what, msg what_named) {
    // The first child of the innermost open node is its id or title, when it has one.
    if (!s.marks.empty() && s.marks.back().first_child < s.out.size()) {
        const pnode& first = s.out[s.marks.back().first_child];
        if (first.kind == nk::id || first.kind == nk::ident || first.kind == nk::string) {
            return tr(what_named, fmt::arg("name", s.slice(first.where)));
        }
    }
    return tr(what);
}

template <typename Ctx>
std::string block_name(const pstate& s) {
    if constexpr (std::is_same_v<Ctx, gr::ctx_regulation>) {
        return tr(msg::E013_block_regulation);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_enum>) {
        return block_title(s, msg::E013_block_enum, msg::E013_block_enum_named);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_input>) {
        return tr(msg::E013_block_input);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_list>) {
        return tr(msg::E013_block_list);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_section>) {
        return block_title(s, msg::E013_block_section, msg::E013_block_section_named);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_criterion>) {
        return block_title(s, msg::E013_block_criterion, msg::E013_block_criterion_named);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_group>) {
        return tr(msg::E013_block_group);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_item>) {
        return block_title(s, msg::E013_block_item, msg::E013_block_item_named);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_ranking>) {
        return tr(msg::E013_block_ranking);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_award>) {
        return block_title(s, msg::E013_block_award, msg::E013_block_award_named);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_when>) {
        return tr(msg::E013_block_when);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_test>) {
        return block_title(s, msg::E013_block_test, msg::E013_block_test_named);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_unit>) {
        return block_title(s, msg::E013_block_unit, msg::E013_block_unit_named);
    } else if constexpr (std::is_same_v<Ctx, gr::ctx_row>) {
        return tr(msg::E013_block_row);
    } else {
        static_assert(std::is_same_v<Ctx, gr::ctx_match>);
        return tr(msg::E013_block_match);
    }
}

// ---------------------------------------------------------------------------------------------
// The control: builds the parse tree, tracks braces and depth, raises diagnostics.

template <typename Rule>
struct control_base : pg::normal<Rule> {
    template <typename ParseInput>
    static void start(const ParseInput& in, pstate& s) {
        if constexpr (is_nested<Rule>) {
            if (++s.depth > max_nesting_depth) {
                --s.depth;
                syntax_error e = error_at(s, s.offset(in), {"E005", msg::E005_too_deep});
                e.code = "E005";
                e.message = tr(msg::E005_too_deep, fmt::arg("levels", max_nesting_depth));
                throw e;
            }
        }
        if constexpr (selected<Rule>::kind != nk::none) {
            s.marks.push_back({s.out.size(), s.offset(in), s.blocks.size()});
        }
        if constexpr (std::is_same_v<Rule, gr::comment>) {
            s.comment_begin = s.offset(in);
        }
    }

    template <typename ParseInput>
    static void success(const ParseInput& in, pstate& s) {
        if constexpr (is_nested<Rule>) {
            --s.depth;
        }
        if constexpr (std::is_same_v<Rule, gr::comment>) {
            s.comments.push_back({s.comment_begin, s.offset(in)});
        }
        if constexpr (is_open_brace<Rule>) {
            s.blocks.push_back({block_name<typename brace_ctx<Rule>::type>(s), s.offset(in) - 1});
        }
        if constexpr (std::is_same_v<Rule, gr::open_paren>) {
            s.blocks.push_back({"'('", s.offset(in) - 1});
        }
        if constexpr (is_close_brace<Rule> || closes_paren<Rule>) {
            if (!s.blocks.empty()) {
                s.blocks.pop_back();
            }
        }
        if constexpr (selected<Rule>::kind != nk::none) {
            const mark m = s.marks.back();
            s.marks.pop_back();
            const std::size_t count = s.out.size() - m.first_child;
            if (selected<Rule>::fold && count == 1) {
                return;
            }
            pnode n;
            n.kind = selected<Rule>::kind;
            n.sub = selected<Rule>::sub;
            n.where = {m.begin, s.offset(in)};
            if (count > 0) {
                const auto first = s.out.begin() + static_cast<std::ptrdiff_t>(m.first_child);
                n.children.assign(std::make_move_iterator(first),
                                  std::make_move_iterator(s.out.end()));
                s.out.erase(first, s.out.end());
            }
            s.out.push_back(std::move(n));
        }
    }

    template <typename ParseInput>
    static void failure(const ParseInput& /*in*/, pstate& s) {
        if constexpr (is_nested<Rule>) {
            --s.depth;
        }
        if constexpr (selected<Rule>::kind != nk::none) {
            const mark m = s.marks.back();
            s.marks.pop_back();
            s.out.resize(m.first_child);
            s.blocks.resize(m.blocks);
        }
    }

    template <typename ParseInput>
    [[noreturn]] static void raise(const ParseInput& in, pstate& s) {
        syntax_error e = error_at(s, s.offset(in), error_of<Rule>);
        if constexpr (is_close_brace<Rule> || closes_paren<Rule>) {
            if (!s.blocks.empty()) {
                const open_block& b = s.blocks.back();
                if constexpr (is_close_brace<Rule>) {
                    e.code = "E013";
                    e.message = tr(msg::E013_close_brace, fmt::arg("block", b.what));
                }
                e.notes.emplace_back(span{b.at, b.at + 1},
                                     tr(msg::E013_opened_here, fmt::arg("block", b.what)));
                if constexpr (is_close_brace<Rule>) {
                    if (const auto suspect = brace_by_indentation(s.text, b.at, s.offset(in));
                        suspect && suspect->first != b.at) {
                        e.notes.emplace_back(
                            span{suspect->first, suspect->first + 1},
                            tr(msg::E013_missing_here,
                               fmt::arg("line", s.file->locate(suspect->second).line)));
                    }
                }
            }
        }
        if (e.code == std::string_view("E099")) {
            e.message = tr(msg::E099_syntax_error_in, fmt::arg("rule", pg::demangle<Rule>()));
        }
        throw e;
    }
};

// Finds where parsing resumes after an error at `error` in a construct that started at `start`:
// the first token of a line (the error's own line when the error is at its first token, but
// never the construct's own start, so recovery always makes progress) that is `inner` (the
// keyword of the next criterion or item) or a top-level keyword, or the file's last '}'.
struct sync_point {
    std::size_t offset = 0;
    bool top = true;
};

template <typename Level>
sync_point find_sync(std::string_view text, std::size_t start, std::size_t error) {
    std::size_t last_brace = std::string_view::npos;
    for (std::size_t i = text.size(); i > 0; --i) {
        const char c = text[i - 1];
        if (c == '}') {
            last_brace = i - 1;
            break;
        }
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            break;  // (a trailing comment makes the brace not the last token; good enough)
        }
    }
    std::size_t line = error;
    while (line > 0 && text[line - 1] != '\n') {
        --line;
    }
    std::size_t pos = line;
    bool first = true;
    while (pos < text.size()) {
        std::size_t tok = pos;
        while (tok < text.size() && (text[tok] == ' ' || text[tok] == '\t')) {
            ++tok;
        }
        const bool usable = !first || (tok == error && tok > start);
        first = false;
        if (usable && tok < text.size()) {
            pg::memory_input<pg::tracking_mode::lazy> in(text.data() + tok,
                                                         text.data() + text.size(), "");
            if constexpr (std::is_same_v<Level, gr::level_criterion>) {
                if (pg::parse<gr::kw_criterion>(in)) {
                    return {tok, false};
                }
            } else if constexpr (std::is_same_v<Level, gr::level_item>) {
                if (pg::parse<gr::kw_item>(in)) {
                    return {tok, false};
                }
            }
            pg::memory_input<pg::tracking_mode::lazy> top(text.data() + tok,
                                                          text.data() + text.size(), "");
            if (pg::parse<gr::top_keyword>(top) || tok == last_brace) {
                return {tok, true};
            }
        }
        while (pos < text.size() && text[pos] != '\n') {
            ++pos;
        }
        ++pos;
    }
    return {text.size(), true};
}

template <typename Rule>
struct control : control_base<Rule> {};

// recover<R, Level>: R, with errors inside it recorded and skipped.
template <typename R, typename Level>
struct control<gr::recover<R, Level>> : control_base<gr::recover<R, Level>> {
    template <pg::apply_mode A, pg::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput>
    static bool match(ParseInput& in, pstate& s) {
        const std::size_t out_size = s.out.size();
        const std::size_t marks_size = s.marks.size();
        const std::size_t blocks_size = s.blocks.size();
        const unsigned depth = s.depth;
        const std::uint32_t start = s.offset(in);
        std::size_t resume = 0;
        try {
            return pg::normal<gr::recover<R, Level>>::template match<A, M, Action, Control>(in, s);
        } catch (syntax_error& e) {
            const std::uint32_t error = e.where.begin;
            s.errors.push_back(std::move(e));
            if (s.errors.size() >= max_syntax_errors) {
                throw too_many_errors{};
            }
            const sync_point p = find_sync<Level>(s.text, start, std::max(error, start));
            if (p.top && !std::is_same_v<Level, gr::level_top>) {
                throw resync{static_cast<std::uint32_t>(p.offset)};
            }
            resume = p.offset;
        } catch (resync& r) {
            if constexpr (!std::is_same_v<Level, gr::level_top>) {
                throw;
            }
            resume = r.offset;
        }
        s.out.resize(out_size);
        s.marks.resize(marks_size);
        s.blocks.resize(blocks_size);
        s.depth = depth;
        const auto here = static_cast<std::size_t>(s.offset(in));
        if (resume > here) {
            in.bump(resume - here);
        }
        return true;
    }
};

// ---------------------------------------------------------------------------------------------
// Lowering: parse tree -> AST.

class lowering {
  public:
    lowering(const source_ptr& file, std::string_view text, diagnostics& diags)
        : file_(file), text_(text), diags_(diags) {}

    std::unique_ptr<ast::regulation> regulation(const pnode& root);
    std::unique_ptr<ast::test_file> test_file(const pnode& root);

  private:
    struct lower_failed {};

    std::string_view slice(span s) const { return text_.substr(s.begin, s.end - s.begin); }
    std::string text_of(const pnode& n) const { return std::string(slice(n.where)); }

    diagnostic& error(const char* code, span where, std::string message) {
        return diags_.error(code, file_, where, std::move(message));
    }
    void note(diagnostic& d, span where, std::string message) {
        d.notes.push_back({file_, where, std::move(message)});
    }

    static const pnode* find(const pnode& n, nk kind) {
        for (const auto& c : n.children) {
            if (c.kind == kind) {
                return &c;
            }
        }
        return nullptr;
    }

    std::string string_value(const pnode& n) const;
    ast::number_lit number(const pnode& n) const;
    ast::expr_ptr expression(const pnode& n, unsigned level);
    ast::expr_ptr top_expression(const pnode& n) { return expression(n, 1); }
    ast::expr_ptr make(span where, unsigned level);
    ast::expr_ptr chain(const pnode& n, unsigned level);
    ast::expr_ptr if_ladder(ast::expr_ptr first, const pnode& n, unsigned level);
    void when_expr(ast::expr& e, const pnode& n, unsigned level);
    void match_expr(ast::expr& e, const pnode& n, unsigned level);
    void aggregate_or_call(ast::expr& e, const pnode& n, unsigned level);
    void decimal_comma_between(span before, span after);

    ast::type_ref type(const pnode& n);
    ast::field_decl field(const pnode& n);
    ast::scoring_body body(const pnode& n);
    ast::criterion criterion(const pnode& n);
    ast::section section(const pnode& n);
    ast::group group(const pnode& n);
    ast::ranking_decl ranking(const pnode& n);
    std::vector<ast::ranking_key> keys(const pnode& n);
    ast::quota quota(const pnode& n);
    ast::award award(const pnode& n);
    void once(std::optional<span>& seen, const char* what, span where);
    void declaration(ast::regulation& r, const pnode& n);
    ast::amendment amendment(const pnode& n);
    ast::test_value test_value(const pnode& n);
    std::vector<ast::test_field> test_fields(const pnode& n, std::size_t first);
    ast::expectation expectation(const pnode& n);
    ast::test_decl test(const pnode& n);
    std::uint32_t rank_number(const pnode& n);

    source_ptr file_;
    std::string_view text_;
    diagnostics& diags_;
    ast::node_id next_id_ = 0;
    std::optional<span> scale_seen_, input_seen_, ranking_seen_, self_score_seen_, awards_seen_;
};

std::string lowering::string_value(const pnode& n) const {
    const std::string_view raw = slice(n.where);
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 2 < raw.size()) {
            ++i;
            switch (raw[i]) {
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                default:
                    out += raw[i];  // \" and \\ (the grammar admits no other escape)
                    break;
            }
        } else {
            out += raw[i];
        }
    }
    return out;
}

ast::number_lit lowering::number(const pnode& n) const {
    ast::number_lit lit;
    std::string_view t = slice(n.where);
    if (!t.empty() && t.back() == '%') {
        lit.percent = true;
        t.remove_suffix(1);
    }
    lit.text = std::string(t);
    lit.where = n.where;
    // `1.000`: a dot then three digits ending in 0 is how Vietnamese text groups thousands. The
    // language reads a decimal (1), which is rarely what such a number means: say so.
    if (const std::size_t dot = t.find('.'); dot != std::string_view::npos && dot >= 1 && dot <= 3
                                             && t.front() != '0' && t.front() != '-'
                                             && t.size() == dot + 4 && t.back() == '0') {
        diags_.warning(
            "W008", file_, n.where,
            tr(msg::W008_grouped_thousands, fmt::arg("written", t),
               fmt::arg("grouped", fmt::format("{}{}", t.substr(0, dot), t.substr(dot + 1)))));
    }
    return lit;
}

// `level` is the depth of the node in the expression's tree. The grammar has already limited
// nesting (parentheses, calls, ifs, ...) to max_nesting_depth; what makes a tree deeper still is
// chains (`a + b + ...`, `else if` ladders, `.field`), one level per step, limited here so that
// every later pass over the tree (checker, evaluator, formatter, explain) stays within the stack.
ast::expr_ptr lowering::make(span where, unsigned level) {
    if (level > max_expression_depth) {
        error("E005", where, tr(msg::E005_too_long, fmt::arg("levels", max_expression_depth)));
        throw lower_failed{};
    }
    auto e = std::make_unique<ast::expr>();
    e->id = ++next_id_;
    e->where = where;
    return e;
}

// An operator chain `a op b op c` becomes ((a op b) op c). Ids go in source order: the outermost
// operation first (it starts where the chain starts), then the operands left to right.
ast::expr_ptr lowering::chain(const pnode& n, unsigned level) {
    const std::size_t ops = n.children.size() / 2;
    if (n.children.size() == 2) {  // `x is absent`
        auto e = make(n.where, level);
        ast::presence p;
        p.absent = n.children[1].sub == 1;
        p.operand = expression(n.children[0], level + 1);
        e->kind = std::move(p);
        return e;
    }
    if (level + ops > max_expression_depth) {
        // A left-nested chain is as deep as it is long: point at the first operator too many.
        const std::size_t allowed = max_expression_depth > level ? max_expression_depth - level : 0;
        const std::size_t k = std::min(allowed, ops - 1);
        error("E005", n.children[2 * k + 1].where,
              tr(msg::E005_too_long, fmt::arg("levels", max_expression_depth)));
        throw lower_failed{};
    }
    std::vector<ast::expr_ptr> nodes(ops);
    for (std::size_t j = ops; j-- > 0;) {
        const span where{n.children[0].where.begin, n.children[2 * j + 2].where.end};
        nodes[j] = make(where, level + static_cast<unsigned>(ops - 1 - j));
    }
    ast::expr_ptr lhs = expression(n.children[0], level + static_cast<unsigned>(ops));
    for (std::size_t j = 0; j < ops; ++j) {
        ast::binary b;
        b.what = static_cast<ast::binary::op>(n.children[2 * j + 1].sub);
        b.op_span = n.children[2 * j + 1].where;
        b.lhs = std::move(lhs);
        b.rhs = expression(n.children[2 * j + 2], level + static_cast<unsigned>(ops - j));
        nodes[j]->kind = std::move(b);
        lhs = std::move(nodes[j]);
    }
    return lhs;
}

// `if c1 then v1 else if c2 then v2 ... else w` (children: c1 v1, then `if`-word c v for each
// rung, then w) becomes ifs nested in their else values, built in a loop (the grammar reads the
// rungs in one, too). Each rung is one level deeper; ids go in source order as for nested ifs.
ast::expr_ptr lowering::if_ladder(ast::expr_ptr first, const pnode& n, unsigned level) {
    const std::size_t rungs = n.children.size() / 3;
    if (rungs > 1 && level + rungs > max_expression_depth) {
        // A ladder is as deep as it is long: point at the first `else if` too many.
        const std::size_t allowed = max_expression_depth > level ? max_expression_depth - level : 0;
        const std::size_t k = std::clamp<std::size_t>(allowed, 1, rungs - 1);
        error("E005", n.children[3 * k - 1].where,
              tr(msg::E005_too_long, fmt::arg("levels", max_expression_depth)));
        throw lower_failed{};
    }
    std::vector<ast::expr_ptr> ifs(rungs);
    std::vector<ast::if_expr> parts(rungs);
    ifs[0] = std::move(first);
    for (std::size_t k = 0; k < rungs; ++k) {
        const std::size_t at = k == 0 ? 0 : 3 * k;
        const auto depth = level + static_cast<unsigned>(k);
        if (k > 0) {
            ifs[k] = make({n.children[at - 1].where.begin, n.where.end}, depth);
        }
        parts[k].condition = expression(n.children[at], depth + 1);
        parts[k].then_value = expression(n.children[at + 1], depth + 1);
    }
    parts[rungs - 1].else_value =
        expression(n.children.back(), level + static_cast<unsigned>(rungs));
    for (std::size_t k = rungs; k-- > 0;) {
        ifs[k]->kind = std::move(parts[k]);
        if (k > 0) {
            parts[k - 1].else_value = std::move(ifs[k]);
        }
    }
    return std::move(ifs[0]);
}

void lowering::when_expr(ast::expr& e, const pnode& n, unsigned level) {
    ast::when_expr w;
    w.subject = expression(n.children[0], level + 1);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
        const pnode& c = n.children[i];
        if (c.kind == nk::band) {
            ast::band b;
            b.compare = static_cast<ast::band::op>(c.children[0].sub);
            b.bound = expression(c.children[1], level + 1);
            b.value = expression(c.children[2], level + 1);
            b.where = c.where;
            w.bands.push_back(std::move(b));
        } else {
            w.else_value = expression(c.children[0], level + 1);
            w.else_span = c.where;
        }
    }
    e.kind = std::move(w);
}

void lowering::match_expr(ast::expr& e, const pnode& n, unsigned level) {
    ast::match_expr m;
    m.subject = expression(n.children[0], level + 1);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
        const pnode& c = n.children[i];
        if (c.kind == nk::arm) {
            ast::match_arm a;
            a.member = text_of(c.children[0]);
            a.member_span = c.children[0].where;
            a.value = expression(c.children[1], level + 1);
            m.arms.push_back(std::move(a));
        } else {
            m.else_value = expression(c.children[0], level + 1);
            m.else_span = c.where;
        }
    }
    e.kind = std::move(m);
}

// `min(0,5 * x, 10)`: two arguments `0` and `5 * x` to the parser, and most likely the decimal
// 0.5 written the Vietnamese way. A comma between two digits with no space is worth a warning:
// written `min(0, 5)` the arguments read as meant.
void lowering::decimal_comma_between(span before, span after) {
    if (after.begin != before.end + 1) {
        return;  // a space (or more) after the comma: two arguments, as written
    }
    const auto around = digits_around_comma(text_, before.end);
    if (!around) {
        return;
    }
    const std::string_view whole = text_.substr(around->begin, before.end - around->begin);
    const std::string_view part = text_.substr(after.begin, around->end - after.begin);
    diags_.warning("W009", file_, *around,
                   tr(msg::W009_comma_between_digits,
                      fmt::arg("written", text_.substr(around->begin, around->end - around->begin)),
                      fmt::arg("first", whole), fmt::arg("second", part),
                      fmt::arg("decimal", fmt::format("{}.{}", whole, part))));
}

void lowering::aggregate_or_call(ast::expr& e, const pnode& n, unsigned level) {
    const std::string function = text_of(n.children[0]);
    if (n.kind == nk::call) {
        if (function == "count" && n.children.size() == 2) {
            ast::aggregate a;  // `count(list)`
            a.what = ast::aggregate::kind::count;
            a.list = expression(n.children[1], level + 1);
            e.kind = std::move(a);
            return;
        }
        ast::call c;
        c.function = function;
        c.function_span = n.children[0].where;
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            c.args.push_back(expression(n.children[i], level + 1));
            if (i >= 2) {
                decimal_comma_between(n.children[i - 1].where, n.children[i].where);
            }
        }
        e.kind = std::move(c);
        return;
    }
    static constexpr std::pair<std::string_view, ast::aggregate::kind> kinds[] = {
        {"sum", ast::aggregate::kind::sum}, {"count", ast::aggregate::kind::count},
        {"all", ast::aggregate::kind::all}, {"any", ast::aggregate::kind::any},
        {"min", ast::aggregate::kind::min}, {"max", ast::aggregate::kind::max}};
    const auto* k = std::find_if(std::begin(kinds), std::end(kinds),
                                 [&](const auto& p) { return p.first == function; });
    if (k == std::end(kinds)) {
        error("E042", n.children[0].where, tr(msg::E042_not_aggregate, fmt::arg("name", function)));
        throw lower_failed{};
    }
    ast::aggregate a;
    a.what = k->second;
    a.variable = text_of(n.children[1]);
    a.variable_span = n.children[1].where;
    a.list = expression(n.children[2], level + 1);
    for (std::size_t i = 3; i < n.children.size(); ++i) {
        if (n.children[i].kind == nk::agg_where) {
            a.where = expression(n.children[i].children[0], level + 1);
        } else {
            if (a.what == ast::aggregate::kind::count) {
                error("E042", n.children[i].where, tr(msg::E042_count_body));
                throw lower_failed{};
            }
            a.body = expression(n.children[i].children[0], level + 1);
        }
    }
    if (!a.body && a.what != ast::aggregate::kind::count) {
        error("E042", n.where, tr(msg::E042_needs_body, fmt::arg("name", function)));
        throw lower_failed{};
    }
    e.kind = std::move(a);
}

ast::expr_ptr lowering::expression(const pnode& n, unsigned level) {
    if (n.kind == nk::chain) {
        return chain(n, level);
    }
    if (n.kind == nk::paren) {
        // Parentheses make no node; the inner expression takes their span.
        auto inner = expression(n.children[0], level);
        inner->where = n.where;
        return inner;
    }
    auto e = make(n.where, level);
    switch (n.kind) {
        case nk::number:
            e->kind = number(n);
            break;
        case nk::boolean:
            e->kind = ast::bool_lit{n.sub == 1};
            break;
        case nk::string:
            e->kind = ast::string_lit{string_value(n)};
            break;
        case nk::date: {
            const std::string_view t = slice(n.where);
            const auto dash1 = t.find('-');
            const auto dash2 = t.find('-', dash1 + 1);
            auto to_int = [](std::string_view digits) {
                int v = 0;
                for (const char c : digits) {
                    v = std::min(v * 10 + (c - '0'), 100000);
                }
                return v;
            };
            const int y = to_int(t.substr(0, dash1));
            const int m = to_int(t.substr(dash1 + 1, dash2 - dash1 - 1));
            const int d = to_int(t.substr(dash2 + 1));
            if (dash2 - dash1 != 3 || t.size() - dash2 != 3) {
                error("E009", n.where, tr(msg::E009_date_format, fmt::arg("date", t)));
                throw lower_failed{};
            }
            if (!valid_date(y, m, d)) {
                // `2014-02-30`: how many days the month has, as the results loader says it (E226).
                error("E009", n.where,
                      m < 1 || m > 12 ? tr(msg::E009_no_such_month, fmt::arg("date", t))
                      : y >= 1 && d > 0
                          ? tr(msg::E009_month_has_days, fmt::arg("date", t), fmt::arg("month", m),
                               fmt::arg("year", y), fmt::arg("days", days_in_month(y, m)))
                          : tr(msg::E009_no_such_day, fmt::arg("date", t)));
                throw lower_failed{};
            }
            e->kind = ast::date_lit{y, m, d};
            break;
        }
        case nk::name_ref:
            e->kind = ast::name_ref{text_of(n)};
            break;
        case nk::postfix: {
            // primary .a .b: ids outermost first, like chains.
            const std::size_t fields = n.children.size() - 1;
            std::vector<ast::expr_ptr> nodes(fields);
            nodes[fields - 1] = std::move(e);
            for (std::size_t j = fields - 1; j-- > 0;) {
                nodes[j] = make({n.where.begin, n.children[j + 1].where.end},
                                level + static_cast<unsigned>(fields - 1 - j));
            }
            ast::expr_ptr object = expression(n.children[0], level + static_cast<unsigned>(fields));
            for (std::size_t j = 0; j < fields; ++j) {
                ast::member_ref m;
                m.object = std::move(object);
                m.field = text_of(n.children[j + 1]);
                m.field_span = n.children[j + 1].where;
                nodes[j]->kind = std::move(m);
                object = std::move(nodes[j]);
            }
            return object;
        }
        case nk::neg:
            e->kind = ast::unary{ast::unary::op::neg, expression(n.children[1], level + 1)};
            break;
        case nk::not_:
            e->kind = ast::unary{ast::unary::op::not_, expression(n.children[0], level + 1)};
            break;
        case nk::ref: {
            ast::points_ref r;
            r.what = static_cast<ast::points_ref::kind>(n.sub);
            if (!n.children.empty()) {
                r.id = text_of(n.children[0]);
                r.id_span = n.children[0].where;
            }
            e->kind = std::move(r);
            break;
        }
        case nk::call:
        case nk::aggregate:
            aggregate_or_call(*e, n, level);
            break;
        case nk::if_:
            return if_ladder(std::move(e), n, level);
        case nk::when:
            when_expr(*e, n, level);
            break;
        case nk::match:
            match_expr(*e, n, level);
            break;
        default:
            error("E099", n.where, tr(msg::E099_internal_expression));
            throw lower_failed{};
    }
    return e;
}

ast::type_ref lowering::type(const pnode& n) {
    ast::type_ref t;
    t.where = n.where;
    for (const auto& c : n.children) {
        switch (c.kind) {
            case nk::type_base:
                t.what = static_cast<ast::type_ref::kind>(c.sub);
                break;
            case nk::type_enum:
                t.what = ast::type_ref::kind::enumeration;
                t.enum_name = text_of(c);
                break;
            case nk::type_list:
                t.what = ast::type_ref::kind::list;
                for (const auto& f : c.children) {
                    if (f.kind == nk::field) {
                        t.fields.push_back(field(f));
                    }
                }
                break;
            case nk::type_optional:
                t.optional = true;
                break;
            default:
                break;
        }
    }
    return t;
}

ast::field_decl lowering::field(const pnode& n) {
    ast::field_decl f;
    f.name = text_of(n.children[0]);
    f.name_span = n.children[0].where;
    f.type = type(n.children[1]);
    f.where = n.where;
    bool labelled = false;
    for (std::size_t i = 2; i < n.children.size(); ++i) {
        const auto& c = n.children[i];
        if (c.kind == nk::range) {
            ast::value_range r;
            r.where = c.where;
            for (std::size_t b = 0; b < c.children.size(); ++b) {
                const auto& bn = c.children[b];
                ast::bound_lit bound;
                bound.where = bn.where;
                bound.negative = bn.children.size() > 1 && bn.children[0].kind == nk::bound_minus;
                bound.value = number(bn.children.back());
                if (b == 0) {
                    r.low = std::move(bound);
                } else {
                    r.high = std::move(bound);
                }
            }
            f.range = std::move(r);
        } else if (c.kind == nk::string) {
            f.label = string_value(c);
            labelled = true;
        }
    }
    if (!labelled && f.type.what == ast::type_ref::kind::list) {
        // `list { "label" ... }`: the label written first inside the braces.
        for (const auto& c : n.children[1].children) {
            if (c.kind == nk::type_list && !c.children.empty()
                && c.children[0].kind == nk::string) {
                f.label = string_value(c.children[0]);
            }
        }
    }
    return f;
}

ast::scoring_body lowering::body(const pnode& n) {
    ast::scoring_body b;
    for (const auto& c : n.children) {
        if (c.kind == nk::let) {
            ast::let_decl l;
            l.name = text_of(c.children[0]);
            l.name_span = c.children[0].where;
            l.value = top_expression(c.children[1]);
            l.where = c.where;
            b.lets.push_back(std::move(l));
        } else if (c.kind == nk::points) {
            b.points = top_expression(c.children[0]);
            b.points_span = c.where;
        }
    }
    return b;
}

// A phrase of keywords quoted in a message ("'first place'"), in the language keywords are
// quoted in (message_keyword_language(): the file's): each English keyword becomes its
// Vietnamese spelling for a Vietnamese file (words that are no keyword stay as they are).
std::string keywords_for_message(std::string_view phrase) {
    if (message_keyword_language() != keywords::lang::vi) {
        return std::string(phrase);
    }
    const bool quoted = phrase.size() >= 2 && phrase.front() == '\'' && phrase.back() == '\'';
    if (quoted) {
        phrase = phrase.substr(1, phrase.size() - 2);
    }
    std::string out;
    std::size_t at = 0;
    while (at <= phrase.size()) {
        const std::size_t end = std::min(phrase.find(' ', at), phrase.size());
        std::string_view word = phrase.substr(at, end - at);
        for (const auto& k : keywords::table) {
            if (k.en == word) {
                word = k.vi;
                break;
            }
        }
        out += word;
        if (end < phrase.size()) {
            out += ' ';
        }
        at = end + 1;
    }
    return quoted ? fmt::format("'{}'", out) : out;
}

void lowering::once(std::optional<span>& seen, const char* what, span where) {
    if (seen) {
        auto& d = error("E039", where,
                        tr(msg::E039_given_twice, fmt::arg("what", keywords_for_message(what))));
        note(d, *seen, tr(msg::E039_first_given_here));
        return;
    }
    seen = where;
}

ast::criterion lowering::criterion(const pnode& n) {
    ast::criterion c;
    c.id = text_of(n.children[0]);
    c.id_span = n.children[0].where;
    c.label = string_value(n.children[1]);
    c.max = number(n.children[2].children[0]);
    c.where = n.where;
    std::optional<span> cite_seen;
    std::optional<span> applies_seen;
    for (std::size_t i = 3; i < n.children.size(); ++i) {
        const pnode& k = n.children[i];
        if (k.kind == nk::cite) {
            once(cite_seen, "'cite'", k.where);
            c.cite = string_value(k.children[0]);
        } else if (k.kind == nk::applies) {
            once(applies_seen, "'applies when'", k.where);
            c.applies_when = top_expression(k.children[0]);
        }
    }
    c.body = body(n);
    return c;
}

ast::section lowering::section(const pnode& n) {
    ast::section s;
    s.id = text_of(n.children[0]);
    s.id_span = n.children[0].where;
    s.label = string_value(n.children[1]);
    s.max = number(n.children[2].children[0]);
    s.where = n.where;
    std::optional<span> cite_seen;
    std::optional<span> combine_seen;
    for (std::size_t i = 3; i < n.children.size(); ++i) {
        const pnode& k = n.children[i];
        if (k.kind == nk::cite) {
            once(cite_seen, "'cite'", k.where);
            s.cite = string_value(k.children[0]);
        } else if (k.kind == nk::combine) {
            once(combine_seen, "'combine'", k.where);
            s.combine = static_cast<ast::section::combine_mode>(k.sub);
        } else if (k.kind == nk::criterion) {
            try {
                s.criteria.push_back(criterion(k));
            } catch (const lower_failed&) {
            }
        }
    }
    return s;
}

ast::group lowering::group(const pnode& n) {
    ast::group g;
    g.what = static_cast<ast::group::kind>(n.children[0].sub);
    g.label = string_value(n.children[1]);
    g.label_span = n.children[1].where;
    g.where = n.where;
    for (std::size_t i = 2; i < n.children.size(); ++i) {
        const pnode& k = n.children[i];
        if (k.kind == nk::max) {
            g.max = number(k.children[0]);
        } else if (k.kind == nk::item) {
            try {
                ast::group_item it;
                it.label = string_value(k.children[0]);
                it.label_span = k.children[0].where;
                it.where = k.where;
                std::optional<span> max_seen;
                std::optional<span> cite_seen;
                for (const auto& c : k.children) {
                    if (c.kind == nk::max) {
                        once(max_seen, "'max'", c.where);
                        it.max = number(c.children[0]);
                    } else if (c.kind == nk::cite) {
                        once(cite_seen, "'cite'", c.where);
                        it.cite = string_value(c.children[0]);
                    }
                }
                it.body = body(k);
                g.items.push_back(std::move(it));
            } catch (const lower_failed&) {
            }
        }
    }
    return g;
}

std::vector<ast::ranking_key> lowering::keys(const pnode& n) {
    std::vector<ast::ranking_key> out;
    for (const auto& k : n.children) {
        if (k.kind == nk::key) {
            ast::ranking_key key;
            key.key = top_expression(k.children[0]);
            key.descending = k.children[1].sub == 1;
            key.where = k.where;
            out.push_back(std::move(key));
        }
    }
    return out;
}

ast::ranking_decl lowering::ranking(const pnode& n) {
    ast::ranking_decl r;
    r.where = n.where;
    std::optional<span> by_seen;
    std::optional<span> ties_seen;
    std::optional<span> first_seen;
    // `first place by KEYS ties MODE` keeps its `ties` on the line of its last key; a `ties` on a
    // line of its own is a clause of the ranking. When it directly follows a first-place clause
    // that has none and the ranking has another `ties`, reading it as the ranking's would be an
    // error ('ties' given twice): it is the first place's, the only reading that is not.
    const auto general_ties = std::count_if(n.children.begin(), n.children.end(),
                                            [](const pnode& c) { return c.kind == nk::ties; });
    for (std::size_t i = 0; i < n.children.size(); ++i) {
        const pnode& c = n.children[i];
        if (c.kind == nk::ties && general_ties > 1 && i > 0
            && n.children[i - 1].kind == nk::first_place
            && find(n.children[i - 1], nk::first_place_ties) == nullptr) {
            r.first_place_ties = static_cast<ast::tie_mode>(c.children[0].sub);
        } else if (c.kind == nk::by) {
            once(by_seen, "'by'", c.where);
            r.keys = keys(c);
        } else if (c.kind == nk::ties) {
            once(ties_seen, "'ties'", c.where);
            r.ties = static_cast<ast::tie_mode>(c.children[0].sub);
        } else if (c.kind == nk::first_place) {
            once(first_seen, "'first place'", c.where);
            r.first_place_keys = keys(c);
            if (const pnode* t = find(c, nk::first_place_ties)) {
                r.first_place_ties = static_cast<ast::tie_mode>(t->children[0].sub);
            }
        }
    }
    if (!by_seen) {
        error("E046", n.where, tr(msg::E046_ranking_needs_by));
    }
    return r;
}

ast::quota lowering::quota(const pnode& n) {
    ast::quota q;
    q.amount = number(n.children[0]);
    q.where = n.where;
    const bool of_members = find(n, nk::of_members) != nullptr;
    if (const pnode* r = find(n, nk::quota_rounding)) {
        q.how = static_cast<ast::quota::rounding>(r->sub);
    }
    if (q.amount.percent && !of_members) {
        error("E041", n.where,
              tr(msg::E041_percent_needs_members, fmt::arg("amount", q.amount.text)));
    } else if (!q.amount.percent && of_members) {
        error("E041", n.where,
              tr(msg::E041_members_needs_percent, fmt::arg("amount", q.amount.text)));
    }
    q.what = of_members ? ast::quota::kind::percent_of_members : ast::quota::kind::absolute;
    return q;
}

ast::award lowering::award(const pnode& n) {
    ast::award a;
    a.id = text_of(n.children[0]);
    a.id_span = n.children[0].where;
    a.label = string_value(n.children[1]);
    a.where = n.where;
    std::optional<span> candidates_seen;
    std::optional<span> limit_seen;
    std::optional<span> unused_seen;
    for (std::size_t i = 2; i < n.children.size(); ++i) {
        const pnode& c = n.children[i];
        switch (c.kind) {
            case nk::candidates: {
                once(candidates_seen, "'candidates'", c.where);
                a.candidates_span = c.where;
                const pnode& what = c.children[0];
                if (what.kind == nk::rank) {
                    std::uint32_t values[2] = {0, 0};
                    for (std::size_t k = 0; k < what.children.size() && k < 2; ++k) {
                        const std::string_view digits = slice(what.children[k].where);
                        std::uint64_t v = 0;
                        for (const char ch : digits) {
                            v = std::min<std::uint64_t>(v * 10 + static_cast<unsigned>(ch - '0'),
                                                        std::uint64_t{1} << 40U);
                        }
                        if (v == 0 || v > 1000000) {
                            error("E040", what.children[k].where, tr(msg::E040_rank_range));
                        }
                        values[k] = static_cast<std::uint32_t>(std::min<std::uint64_t>(v, 1000000));
                    }
                    a.rank_from = values[0];
                    a.rank_to = what.children.size() > 1 ? values[1] : values[0];
                    if (*a.rank_to < *a.rank_from) {
                        error("E040", what.where,
                              tr(msg::E040_empty_range, fmt::arg("from", *a.rank_from),
                                 fmt::arg("to", *a.rank_to)));
                    }
                }
                break;
            }
            case nk::require: {
                ast::requirement r;
                r.label = string_value(c.children[0]);
                r.condition = top_expression(c.children[1]);
                r.where = c.where;
                a.requirements.push_back(std::move(r));
                break;
            }
            case nk::limit:
                once(limit_seen, "'limit'", c.where);
                a.limit = quota(c.children[0]);
                break;
            case nk::unused:
                once(unused_seen, "'unused slots'", c.where);
                a.pass_down = c.sub == 1;
                break;
            default:
                break;
        }
    }
    return a;
}

void lowering::declaration(ast::regulation& r, const pnode& n) {
    auto duplicate = [&](std::optional<span>& seen, const char* what) {
        if (seen) {
            auto& d = error("E038", n.where,
                            tr(msg::E038_duplicate, fmt::arg("what", keywords_for_message(what))));
            note(d, *seen, tr(msg::E038_first_declared_here));
            return true;
        }
        seen = n.where;
        return false;
    };
    switch (n.kind) {
        case nk::scale:
            if (!duplicate(scale_seen_, "scale")) {
                r.scale = number(n.children[0]);
            }
            break;
        case nk::rounding: {
            ast::rounding_rule rr;
            rr.at = static_cast<ast::rounding_rule::target>(n.children[0].sub);
            rr.step = number(n.children[1]);
            rr.how = static_cast<ast::rounding_rule::mode>(n.children[2].sub);
            rr.where = n.where;
            r.rounding.push_back(std::move(rr));
            break;
        }
        case nk::enum_decl: {
            ast::enum_decl e;
            e.name = text_of(n.children[0]);
            e.name_span = n.children[0].where;
            e.where = n.where;
            for (const auto& c : n.children) {
                if (c.kind == nk::enum_ordered) {
                    e.ordered = true;
                } else if (c.kind == nk::enum_member) {
                    ast::enum_member m;
                    m.name = text_of(c.children[0]);
                    m.where = c.where;
                    if (c.children.size() > 1) {
                        m.label = string_value(c.children[1]);
                    }
                    e.members.push_back(std::move(m));
                }
            }
            r.enums.push_back(std::move(e));
            break;
        }
        case nk::input:
            if (!duplicate(input_seen_, "input")) {
                for (const auto& c : n.children) {
                    r.inputs.push_back(field(c));
                }
            }
            break;
        case nk::section:
            r.sections.push_back(section(n));
            break;
        case nk::group:
            r.groups.push_back(group(n));
            break;
        case nk::knockout: {
            ast::knockout k;
            k.what = static_cast<ast::knockout::kind>(n.children[0].sub);
            k.label = string_value(n.children[1]);
            k.condition = top_expression(n.children[2]);
            k.where = n.where;
            r.knockouts.push_back(std::move(k));
            break;
        }
        case nk::ranking:
            if (!duplicate(ranking_seen_, "ranking")) {
                r.ranking = ranking(n);
            }
            break;
        case nk::award:
            r.awards.push_back(award(n));
            break;
        case nk::awards_limit:
            if (!duplicate(awards_seen_, "awards limit")) {
                r.awards_limit = quota(n.children[0]);
            }
            break;
        case nk::amend:
            r.amendments.push_back(amendment(n));
            break;
        case nk::self_score:
            if (!duplicate(self_score_seen_, "self_score")) {
                ast::self_score_decl s;
                s.field = text_of(n.children[0]);
                s.field_span = n.children[0].where;
                s.tolerance = number(n.children[1]);
                s.where = n.where;
                r.self_score = std::move(s);
            }
            break;
        default:
            break;
    }
}

// A rounding target as the merge names it (`criterion`), whichever language it is written in
// (`tiêu chí`): the key must not depend on the keywords' language.
std::string rounding_target_name(const pnode& t) {
    static constexpr const char* names[] = {"criterion", "section", "bonus", "deduction", "total"};
    return names[t.sub];
}

ast::amendment lowering::amendment(const pnode& n) {
    using target = ast::amendment::target;
    ast::amendment a;
    a.what = static_cast<ast::amendment::action>(n.sub);
    a.where = n.where;
    const pnode& d = n.children[0];
    for (const auto& c : d.children) {
        if (c.kind == nk::placement) {
            ast::placement p;
            p.what = static_cast<ast::placement::kind>(c.sub);
            p.ref = c.children[0].kind == nk::string ? string_value(c.children[0])
                                                     : text_of(c.children[0]);
            p.where = c.where;
            a.places.push_back(std::move(p));
        } else if (c.kind == nk::header_only) {
            a.header_only = true;
        }
    }
    if (d.kind == nk::remove_ref) {
        a.on = static_cast<target>(d.sub);
        a.key_span = d.where;
        if (!d.children.empty() && d.children[0].kind != nk::placement) {
            const pnode& k = d.children[0];
            a.key = k.kind == nk::string            ? string_value(k)
                    : k.kind == nk::rounding_target ? rounding_target_name(k)
                                                    : text_of(k);
            a.key_span = k.where;
        }
        return a;
    }
    a.decl = std::make_unique<ast::regulation>();
    a.decl->file = file_;
    switch (d.kind) {
        case nk::criterion: {
            ast::section holder;
            holder.criteria.push_back(criterion(d));
            a.on = target::criterion;
            a.key = holder.criteria.back().id;
            a.key_span = holder.criteria.back().id_span;
            a.decl->sections.push_back(std::move(holder));
            break;
        }
        case nk::item: {
            // group() lowers items: give it a group holding this one item.
            pnode g;
            g.kind = nk::group;
            g.where = d.where;
            g.children = {pnode{nk::group, 0, d.where, {}}, d.children[0], d};
            a.decl->groups.push_back(group(g));
            a.decl->groups.back().label.clear();
            a.on = target::item;
            a.key = string_value(d.children[0]);
            a.key_span = d.children[0].where;
            break;
        }
        case nk::section:
            a.decl->sections.push_back(section(d));
            a.on = target::section;
            a.key = a.decl->sections.back().id;
            a.key_span = a.decl->sections.back().id_span;
            break;
        case nk::group:
            a.decl->groups.push_back(group(d));
            a.on = a.decl->groups.back().what == ast::group::kind::bonus ? target::bonus
                                                                         : target::deduction;
            a.key = a.decl->groups.back().label;
            a.key_span = a.decl->groups.back().label_span;
            break;
        case nk::award:
            a.decl->awards.push_back(award(d));
            a.on = target::award;
            a.key = a.decl->awards.back().id;
            a.key_span = a.decl->awards.back().id_span;
            break;
        default: {
            // The declarations that are written the same way everywhere. Each statement is a
            // regulation of its own: `replace input` next to `add input` is no duplicate.
            const auto saved = std::make_tuple(scale_seen_, input_seen_, ranking_seen_,
                                               self_score_seen_, awards_seen_);
            scale_seen_ = input_seen_ = ranking_seen_ = self_score_seen_ = awards_seen_ =
                std::nullopt;
            declaration(*a.decl, d);
            std::tie(scale_seen_, input_seen_, ranking_seen_, self_score_seen_, awards_seen_) =
                saved;
            a.key_span = d.where;
            const ast::regulation& r = *a.decl;
            switch (d.kind) {
                case nk::scale:
                    a.on = target::scale;
                    break;
                case nk::rounding:
                    a.on = target::rounding;
                    a.key = rounding_target_name(d.children[0]);
                    a.key_span = d.children[0].where;
                    break;
                case nk::enum_decl:
                    a.on = target::enumeration;
                    a.key = r.enums.back().name;
                    a.key_span = r.enums.back().name_span;
                    break;
                case nk::input:
                    a.on = target::input;
                    break;
                case nk::knockout:
                    a.on = r.knockouts.back().what == ast::knockout::kind::exclude
                               ? target::exclude
                               : target::ineligible;
                    a.key = r.knockouts.back().label;
                    a.key_span = d.children[1].where;
                    break;
                case nk::ranking:
                    a.on = target::ranking;
                    break;
                case nk::awards_limit:
                    a.on = target::awards_limit;
                    break;
                default:
                    a.on = target::self_score;
                    break;
            }
            break;
        }
    }
    a.decl->expr_count = next_id_;
    return a;
}

std::unique_ptr<ast::regulation> lowering::regulation(const pnode& root) {
    auto r = std::make_unique<ast::regulation>();
    r->file = file_;
    r->where = root.where;
    for (const auto& n : root.children) {
        if (n.kind == nk::string && r->title.empty()) {
            r->title = string_value(n);
            continue;
        }
        if (n.kind == nk::amends) {
            r->amends = string_value(n.children[0]);
            r->amends_span = n.children[0].where;
            continue;
        }
        // An amendment says of each declaration whether it is added or replaces one; an
        // ordinary regulation has nothing to amend.
        if (r->amends && n.kind != nk::amend) {
            const span word = token_at(text_, n.where.begin);
            auto& d = error("E053", word, tr(msg::E053_say_what, fmt::arg("word", slice(word))));
            note(d, r->amends_span, tr(msg::E053_amends_here));
            continue;
        }
        if (!r->amends && n.kind == nk::amend) {
            const span word = token_at(text_, n.where.begin);
            error("E054", word, tr(msg::E054_only_in_amendment, fmt::arg("word", slice(word))));
            continue;
        }
        try {
            if (n.kind == nk::test) {
                r->tests.push_back(test(n));
                continue;
            }
            declaration(*r, n);
        } catch (const lower_failed&) {
        }
    }
    r->expr_count = next_id_;
    return r;
}

// Tests: values, units, expectations (docs/testing.md). Tests hold no expressions, so they take
// no expression ids.

ast::test_value lowering::test_value(const pnode& n) {
    ast::test_value v;
    v.where = n.where;
    switch (n.kind) {
        case nk::tv_number:
            v.what = ast::test_value::kind::number;
            v.number = number(n);
            break;
        case nk::boolean:
            v.what = ast::test_value::kind::boolean;
            v.boolean = n.sub == 1;
            break;
        case nk::string:
            v.what = ast::test_value::kind::text;
            v.text = string_value(n);
            break;
        case nk::tv_member:
            v.what = ast::test_value::kind::member;
            v.text = text_of(n);
            break;
        case nk::date: {
            v.what = ast::test_value::kind::date;
            const std::string_view t = slice(n.where);
            const auto dash1 = t.find('-');
            const auto dash2 = t.find('-', dash1 + 1);
            auto to_int = [](std::string_view digits) {
                int x = 0;
                for (const char c : digits) {
                    x = std::min(x * 10 + (c - '0'), 100000);
                }
                return x;
            };
            v.date = {to_int(t.substr(0, dash1)), to_int(t.substr(dash1 + 1, dash2 - dash1 - 1)),
                      to_int(t.substr(dash2 + 1))};
            if (dash2 - dash1 != 3 || t.size() - dash2 != 3
                || !valid_date(v.date.year, v.date.month, v.date.day)) {
                error("E009", n.where, tr(msg::E009_test_date, fmt::arg("date", t)));
                throw lower_failed{};
            }
            break;
        }
        case nk::tv_list:
            v.what = ast::test_value::kind::list;
            for (const auto& row : n.children) {
                v.rows.push_back(test_fields(row, 0));
                v.row_spans.push_back(row.where);
            }
            break;
        default:
            error("E099", n.where, tr(msg::E099_internal_test_value));
            throw lower_failed{};
    }
    return v;
}

std::vector<ast::test_field> lowering::test_fields(const pnode& n, std::size_t first) {
    std::vector<ast::test_field> out;
    for (std::size_t i = first; i < n.children.size(); ++i) {
        const pnode& f = n.children[i];
        ast::test_field tf;
        tf.name = text_of(f.children[0]);
        tf.name_span = f.children[0].where;
        tf.value = test_value(f.children[1]);
        tf.where = f.where;
        out.push_back(std::move(tf));
    }
    return out;
}

std::uint32_t lowering::rank_number(const pnode& n) {
    std::uint64_t v = 0;
    for (const char ch : slice(n.where)) {
        v = std::min<std::uint64_t>(v * 10 + static_cast<unsigned>(ch - '0'),
                                    std::uint64_t{1} << 40U);
    }
    if (v == 0 || v > 1000000) {
        error("E040", n.where, tr(msg::E040_rank_range));
        throw lower_failed{};
    }
    return static_cast<std::uint32_t>(v);
}

ast::expectation lowering::expectation(const pnode& n) {
    ast::expectation x;
    x.where = n.where;
    const pnode& head = n.children[0];
    if (head.kind == nk::expect_tie || head.kind == nk::expect_conflict) {
        x.what = head.kind == nk::expect_tie ? ast::expectation::kind::tie
                                             : ast::expectation::kind::conflict;
        for (const auto& c : head.children) {
            if (c.kind == nk::ident) {
                x.award = text_of(c);
                x.award_span = c.where;
            } else {
                x.units.push_back(string_value(c));
                x.unit_spans.push_back(c.where);
            }
        }
        return x;
    }
    x.units.push_back(string_value(head));
    x.unit_spans.push_back(head.where);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
        const pnode& c = n.children[i];
        switch (c.kind) {
            case nk::ref:
                x.what = ast::expectation::kind::points;
                x.target.what = static_cast<ast::points_ref::kind>(c.sub);
                if (!c.children.empty()) {
                    x.target.id = text_of(c.children[0]);
                    x.target.id_span = c.children[0].where;
                }
                break;
            case nk::tv_number:
                x.value = number(c);
                break;
            case nk::within:
                x.within = number(c.children[0]);
                break;
            case nk::expect_rank:
                x.what = ast::expectation::kind::rank;
                x.rank_from = rank_number(c.children[0]);
                x.rank_to = c.children.size() > 1 ? rank_number(c.children[1]) : x.rank_from;
                if (x.rank_to < x.rank_from) {
                    error("E040", c.where,
                          tr(msg::E040_empty_range, fmt::arg("from", x.rank_from),
                             fmt::arg("to", x.rank_to)));
                    throw lower_failed{};
                }
                break;
            case nk::expect_award:
                x.what = find(c, nk::award_pending) != nullptr
                             ? ast::expectation::kind::award_pending
                             : ast::expectation::kind::award;
                x.award = text_of(c.children[0]);
                x.award_span = c.children[0].where;
                break;
            case nk::expect_no_award:
                x.what = ast::expectation::kind::no_award;
                break;
            case nk::expect_not:
                x.negated = true;
                break;
            case nk::knocked:
                x.what = c.sub == 0 ? ast::expectation::kind::excluded
                                    : ast::expectation::kind::ineligible;
                if (c.sub == 2) {  // `eligible`: not ineligible, written positively
                    x.negated = true;
                    x.eligible_word = true;
                }
                break;
            default:
                break;
        }
    }
    return x;
}

ast::test_decl lowering::test(const pnode& n) {
    ast::test_decl t;
    t.title = string_value(n.children[0]);
    t.title_span = n.children[0].where;
    t.where = n.where;
    std::optional<span> data_seen;
    for (std::size_t i = 1; i < n.children.size(); ++i) {
        const pnode& c = n.children[i];
        if (c.kind == nk::test_data) {
            once(data_seen, "'data'", c.where);
            t.data = string_value(c.children[0]);
            t.data_span = c.children[0].where;
        } else if (c.kind == nk::test_unit) {
            ast::test_unit u;
            u.name = string_value(c.children[0]);
            u.name_span = c.children[0].where;
            u.fields = test_fields(c, 1);
            u.where = c.where;
            t.units.push_back(std::move(u));
        } else if (c.kind == nk::expect) {
            t.expectations.push_back(expectation(c));
        }
    }
    return t;
}

std::unique_ptr<ast::test_file> lowering::test_file(const pnode& root) {
    auto f = std::make_unique<ast::test_file>();
    f->file = file_;
    for (const auto& n : root.children) {
        if (n.kind == nk::tests_header) {
            f->regulation_path = string_value(n.children[0]);
            f->regulation_span = n.children[0].where;
        } else if (n.kind == nk::test) {
            try {
                f->tests.push_back(test(n));
            } catch (const lower_failed&) {
            }
        }
    }
    return f;
}

void add_syntax_error(diagnostics& diags, const source_ptr& file, syntax_error& e) {
    auto& d = diags.error(e.code, file, e.where, std::move(e.message));
    for (auto& [where, message] : e.notes) {
        d.notes.push_back({file, where, std::move(message)});
    }
}

// Checks made on the raw bytes before the grammar runs.
// A file saved as UTF-16 (Notepad's "Unicode") is said to be so, at 1:1, with its first line
// decoded for the excerpt, rather than reported as binary for its NUL bytes.
bool reject_utf16(const source_ptr& file, diagnostics& diags) {
    // UTF-32 first: its mark FF FE 00 00 starts as UTF-16's does.
    if (const auto order32 = detect_utf32(file->text())) {
        auto shown =
            std::make_shared<source_file>(file->path(), utf32_first_line(file->text(), *order32));
        diags.error("E002", shown, {0, 0}, tr(msg::E002_utf32));
        return true;
    }
    const auto order = detect_utf16(file->text());
    if (!order) {
        return false;
    }
    auto shown =
        std::make_shared<source_file>(file->path(), utf16_first_line(file->text(), *order));
    diags.error("E002", shown, {0, 0}, tr(msg::E002_utf16));
    return true;
}

bool precheck(const source_ptr& file, diagnostics& diags) {
    const std::string& text = file->text();
    if (reject_utf16(file, diags)) {
        return false;
    }
    if (const auto nul = text.find('\0'); nul != std::string::npos) {
        // Shown with an excerpt of its line: a binary file may be one line of megabytes.
        span where;
        auto shown = excerpt_source(*file, static_cast<std::uint32_t>(nul), where);
        diags.error("E002", shown, where, tr(msg::E002_nul_regulation));
        return false;
    }
    if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
        const auto at = static_cast<std::uint32_t>(bad);
        diags.error(
            "E003", file, {at, at + 1},
            tr(msg::E003_invalid_utf8, fmt::arg("byte", static_cast<unsigned char>(text[bad]))));
        return false;
    }
    const std::size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    if (skip_trivia(text, start) == text.size()) {
        diags.error("E001", file, {0, 0}, tr(msg::E001_empty));
        return false;
    }
    return true;
}

}  // namespace

parse_result parse(const source_ptr& file) {
    parse_result result;
    if (!file) {
        return result;
    }
    const scoped_keyword_language keywords_as_written(
        keywords::first_keyword_language(file->text()));
    try {
        // Spans are 32-bit byte offsets.
        if (file->text().size() >= std::size_t{0xFFFFFFF0U}) {
            result.diags.error("E047", file, {0, 0}, tr(msg::E047_too_large));
            return result;
        }
        if (!precheck(file, result.diags)) {
            return result;
        }
        pstate s;
        s.file = file.get();
        s.text = file->text();
        // A UTF-8 byte order mark (written by some Windows editors) is skipped.
        const std::size_t start = s.text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
        pg::memory_input<pg::tracking_mode::lazy, pg::eol::lf_crlf> in(
            s.text.data() + start, s.text.data() + s.text.size(), file->path());
        bool complete = false;
        try {
            complete = pg::parse<gr::grammar, pg::nothing, control>(in, s);
        } catch (syntax_error& e) {
            s.errors.push_back(std::move(e));
        } catch (const too_many_errors&) {
            syntax_error e;
            e.code = "E048";
            e.where = s.errors.back().where;
            e.message = tr(msg::E048_too_many, fmt::arg("count", max_syntax_errors));
            s.errors.push_back(std::move(e));
        }
        for (auto& e : s.errors) {
            add_syntax_error(result.diags, file, e);
        }
        std::sort(s.comments.begin(), s.comments.end(),
                  [](span a, span b) { return a.begin < b.begin; });
        s.comments.erase(std::unique(s.comments.begin(), s.comments.end()), s.comments.end());
        result.comments = std::move(s.comments);
        if (complete && s.out.size() == 1 && s.out.front().kind == nk::regulation) {
            lowering low(file, s.text, result.diags);
            result.regulation = low.regulation(s.out.front());
        }
    } catch (const std::exception& ex) {
        result.diags.error("E099", file, {0, 0},
                           tr(msg::E099_internal_error_what, fmt::arg("what", ex.what())));
    } catch (...) {
        result.diags.error("E099", file, {0, 0}, tr(msg::E099_internal_error));
    }
    result.diags.sort();
    return result;
}

test_parse_result parse_tests(const source_ptr& file) {
    test_parse_result result;
    if (!file) {
        return result;
    }
    const scoped_keyword_language keywords_as_written(
        keywords::first_keyword_language(file->text()));
    try {
        if (file->text().size() >= std::size_t{0xFFFFFFF0U}) {
            result.diags.error("E047", file, {0, 0}, tr(msg::E047_too_large));
            return result;
        }
        const std::string& text = file->text();
        if (reject_utf16(file, result.diags)) {
            return result;
        }
        if (const auto nul = text.find('\0'); nul != std::string::npos) {
            span where;
            auto shown = excerpt_source(*file, static_cast<std::uint32_t>(nul), where);
            result.diags.error("E002", shown, where, tr(msg::E002_nul_tests));
            return result;
        }
        if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
            const auto at = static_cast<std::uint32_t>(bad);
            result.diags.error("E003", file, {at, at + 1},
                               tr(msg::E003_invalid_utf8,
                                  fmt::arg("byte", static_cast<unsigned char>(text[bad]))));
            return result;
        }
        pstate s;
        s.file = file.get();
        s.text = text;
        const std::size_t start = s.text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
        pg::memory_input<pg::tracking_mode::lazy, pg::eol::lf_crlf> in(
            s.text.data() + start, s.text.data() + s.text.size(), file->path());
        bool complete = false;
        try {
            complete = pg::parse<gr::test_file_grammar, pg::nothing, control>(in, s);
        } catch (syntax_error& e) {
            s.errors.push_back(std::move(e));
        }
        for (auto& e : s.errors) {
            add_syntax_error(result.diags, file, e);
        }
        std::sort(s.comments.begin(), s.comments.end(),
                  [](span a, span b) { return a.begin < b.begin; });
        s.comments.erase(std::unique(s.comments.begin(), s.comments.end()), s.comments.end());
        result.comments = std::move(s.comments);
        if (complete && s.out.size() == 1 && s.out.front().kind == nk::test_file_root) {
            lowering low(file, s.text, result.diags);
            result.tests = low.test_file(s.out.front());
        }
    } catch (const std::exception& ex) {
        result.diags.error("E099", file, {0, 0},
                           tr(msg::E099_internal_error_what, fmt::arg("what", ex.what())));
    } catch (...) {
        result.diags.error("E099", file, {0, 0}, tr(msg::E099_internal_error));
    }
    result.diags.sort();
    return result;
}

}  // namespace thidua
