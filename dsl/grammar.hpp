// The grammar of the regulation language (.tdkt), as PEGTL rules.
//
// Only rules live here: no actions, no AST. parser.cpp runs this grammar with its own control
// class, which records the selected rules into a small parse tree, turns every `must<>` failure
// into a diagnostic (the messages are keyed by the rule that failed, so each `must` point below is
// its own named rule), limits nesting depth at `nested<>` and recovers from errors at
// `recover<>`.
//
// Whitespace and comments are skipped explicitly with `sep` (newlines included): the language is
// not line-oriented, except that `first place ... ties MODE` keeps its `ties` on its line (a
// `ties` on a line of its own is the ranking's clause; parser.cpp gives it back to the first place
// when the ranking has another `ties`).
//
// Every keyword is its own rule (`kw_criterion`, ...), spelled in English or Vietnamese
// (`tiêu chí`) from the table in dsl/keywords.hpp.
#pragma once

#include <string_view>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "dsl/keywords.hpp"

namespace thidua::grammar {

using namespace tao::pegtl;  // NOLINT(google-build-using-namespace): PEGTL grammars read this way

// clang-format off

// ---------------------------------------------------------------------------------------------
// Characters, whitespace, comments.   `# a comment to the end of the line`

struct ws_char : one<' ', '\t', '\r', '\n'> {};
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
struct sep : star<sor<ws_char, comment>> {};
struct line_blanks : star<one<' ', '\t'>> {};

// Identifier characters: ASCII letters, digits, '_', and the Latin letters of Unicode (Latin-1,
// Latin Extended-A/B, Latin Extended Additional where Vietnamese precomposed letters live) plus
// combining diacritics (decomposed Vietnamese). Other non-ASCII characters (dashes, curly quotes,
// no-break spaces) are not part of names, so they are reported rather than silently absorbed.
struct utf8_letter : utf8::ranges<0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x24F, 0x300, 0x36F, 0x1E00, 0x1EFF> {};
struct ident_first : sor<ranges<'a', 'z', 'A', 'Z', '_'>, utf8_letter> {};
struct ident_char : sor<ranges<'a', 'z', 'A', 'Z', '0', '9', '_'>, utf8_letter> {};
struct ident_word : seq<ident_first, star<ident_char>> {};

// ---------------------------------------------------------------------------------------------
// Keywords. `keyword<K>` is keyword K spelled in English or in Vietnamese (dsl/keywords.hpp has
// the one table of spellings, shared with the formatter): `criterion` or `tiêu chí`, words
// separated by any run of spaces or tabs, not followed by an identifier character, and not the
// start of a longer keyword (`điểm` is not matched in `điểm thưởng`).

template<keywords::kw K> struct keyword
{
    using rule_t = keyword;
    using subs_t = empty_list;

    template<typename ParseInput>
    static bool match(ParseInput& in)
    {
        const std::size_t n = keywords::match_keyword(K, std::string_view(in.current(), in.size(64)));
        if (n == 0) {
            return false;
        }
        in.bump(n);
        return true;
    }
};

struct kw_regulation : keyword<keywords::kw::regulation> {};
struct kw_scale : keyword<keywords::kw::scale> {};
struct kw_rounding : keyword<keywords::kw::rounding> {};
struct kw_enum : keyword<keywords::kw::enum_> {};
struct kw_ordered : keyword<keywords::kw::ordered> {};
struct kw_input : keyword<keywords::kw::input> {};
struct kw_list : keyword<keywords::kw::list> {};
struct kw_number : keyword<keywords::kw::number> {};
struct kw_integer : keyword<keywords::kw::integer> {};
struct kw_bool : keyword<keywords::kw::bool_> {};
struct kw_date : keyword<keywords::kw::date> {};
struct kw_text : keyword<keywords::kw::text> {};
struct kw_section : keyword<keywords::kw::section> {};
struct kw_criterion : keyword<keywords::kw::criterion> {};
struct kw_max : keyword<keywords::kw::max> {};
struct kw_cite : keyword<keywords::kw::cite> {};
struct kw_combine : keyword<keywords::kw::combine> {};
struct kw_sum : keyword<keywords::kw::sum> {};
struct kw_rescaled : keyword<keywords::kw::rescaled> {};
struct kw_applies : keyword<keywords::kw::applies> {};
struct kw_let : keyword<keywords::kw::let> {};
struct kw_points : keyword<keywords::kw::points> {};
struct kw_bonus : keyword<keywords::kw::bonus> {};
struct kw_deduction : keyword<keywords::kw::deduction> {};
struct kw_item : keyword<keywords::kw::item> {};
struct kw_exclude : keyword<keywords::kw::exclude> {};
struct kw_ineligible : keyword<keywords::kw::ineligible> {};
struct kw_ranking : keyword<keywords::kw::ranking> {};
struct kw_by : keyword<keywords::kw::by> {};
struct kw_desc : keyword<keywords::kw::desc> {};
struct kw_asc : keyword<keywords::kw::asc> {};
struct kw_ties : keyword<keywords::kw::ties> {};
struct kw_shared : keyword<keywords::kw::shared> {};
struct kw_unresolved : keyword<keywords::kw::unresolved> {};
struct kw_first : keyword<keywords::kw::first> {};
struct kw_place : keyword<keywords::kw::place> {};
struct kw_award : keyword<keywords::kw::award> {};
struct kw_awards : keyword<keywords::kw::awards> {};
struct kw_candidates : keyword<keywords::kw::candidates> {};
struct kw_rank : keyword<keywords::kw::rank> {};
struct kw_all : keyword<keywords::kw::all> {};
struct kw_require : keyword<keywords::kw::require> {};
struct kw_limit : keyword<keywords::kw::limit> {};
struct kw_of : keyword<keywords::kw::of> {};
struct kw_members : keyword<keywords::kw::members> {};
struct kw_rounded : keyword<keywords::kw::rounded> {};
struct kw_down : keyword<keywords::kw::down> {};
struct kw_up : keyword<keywords::kw::up> {};
struct kw_nearest : keyword<keywords::kw::nearest> {};
struct kw_half_up : keyword<keywords::kw::half_up> {};
struct kw_half_even : keyword<keywords::kw::half_even> {};
struct kw_unused : keyword<keywords::kw::unused> {};
struct kw_slots : keyword<keywords::kw::slots> {};
struct kw_are : keyword<keywords::kw::are> {};
struct kw_lost : keyword<keywords::kw::lost> {};
struct kw_pass : keyword<keywords::kw::pass> {};
struct kw_self_score : keyword<keywords::kw::self_score> {};
struct kw_from : keyword<keywords::kw::from> {};
struct kw_tolerance : keyword<keywords::kw::tolerance> {};
struct kw_amends : keyword<keywords::kw::amends> {};
struct kw_add : keyword<keywords::kw::add> {};
struct kw_replace : keyword<keywords::kw::replace> {};
struct kw_remove : keyword<keywords::kw::remove> {};
struct kw_before : keyword<keywords::kw::before> {};
struct kw_after : keyword<keywords::kw::after> {};
// Tests (docs/testing.md): keywords only inside tests and a `*.test.tdkt` header, not reserved.
struct kw_test : keyword<keywords::kw::test> {};
struct kw_tests : keyword<keywords::kw::tests> {};
struct kw_for : keyword<keywords::kw::for_> {};
struct kw_unit : keyword<keywords::kw::unit> {};
struct kw_data : keyword<keywords::kw::data> {};
struct kw_expect : keyword<keywords::kw::expect> {};
struct kw_no : keyword<keywords::kw::no> {};
struct kw_tie : keyword<keywords::kw::tie> {};
struct kw_conflict : keyword<keywords::kw::conflict> {};
struct kw_pending : keyword<keywords::kw::pending> {};
struct kw_within : keyword<keywords::kw::within> {};
struct kw_excluded : keyword<keywords::kw::excluded> {};
struct kw_eligible : keyword<keywords::kw::eligible> {};
// Reserved in expressions:
struct kw_and : keyword<keywords::kw::and_> {};
struct kw_or : keyword<keywords::kw::or_> {};
struct kw_not : keyword<keywords::kw::not_> {};
struct kw_if : keyword<keywords::kw::if_> {};
struct kw_then : keyword<keywords::kw::then> {};
struct kw_else : keyword<keywords::kw::else_> {};
struct kw_when : keyword<keywords::kw::when> {};
struct kw_match : keyword<keywords::kw::match> {};
struct kw_true : keyword<keywords::kw::true_> {};
struct kw_false : keyword<keywords::kw::false_> {};
struct kw_total : keyword<keywords::kw::total> {};
struct kw_is : keyword<keywords::kw::is> {};
struct kw_absent : keyword<keywords::kw::absent> {};
struct kw_present : keyword<keywords::kw::present> {};
struct kw_in : keyword<keywords::kw::in> {};
struct kw_where : keyword<keywords::kw::where> {};

struct reserved : sor<kw_and, kw_or, kw_not, kw_if, kw_then, kw_else, kw_when, kw_match, kw_true, kw_false, kw_total, kw_bonus, kw_deduction, kw_section, kw_criterion, kw_is, kw_absent, kw_present, kw_in, kw_where> {};

// The keywords a top-level declaration starts with; error recovery resynchronises on them.
struct top_keyword : sor<kw_add, kw_replace, kw_remove, kw_scale, kw_rounding, kw_enum, kw_input, kw_section, kw_bonus, kw_deduction, kw_exclude, kw_ineligible, kw_ranking, kw_award, kw_awards, kw_self_score> {};

// ---------------------------------------------------------------------------------------------
// Tokens.   `điểm_tb`   `I.1`   `12`   `0.25`   `95%`   `2018-12-20`   `"Hoàn thành \"tốt\""`

// A name (input field, let, loop variable, enum member): an identifier that is not reserved.
struct name : seq<not_at<reserved>, ident_word> {};
// A section or criterion id: identifier characters with inner dots (I.1, a4.2, C2.4, II, 3).
struct id_word : seq<plus<ident_char>, star<one<'.'>, plus<ident_char>>> {};

struct digits : plus<digit> {};
struct number_text : seq<digits, opt<one<'.'>, digits>, opt<one<'%'>>> {};
struct number_suffix : ident_char {};                                  // `12abc`: error
struct number : seq<number_text, sor<not_at<ident_char>, raise<number_suffix>>> {};
// The shape YYYY-M-D; the parser checks the digits count and that the day exists.
struct date_text : seq<rep<4, digit>, one<'-'>, digits, one<'-'>, digits> {};
struct date : seq<date_text, not_at<ident_char>> {};

// A string literal. Matched by hand so that an unterminated string is reported at its opening
// quote and a bad escape at its backslash.
struct unterminated_string : one<'"'> {};
struct bad_escape : one<'\\'> {};
struct string_lit : one<'"'>
{
    template<apply_mode, rewind_mode, template<typename...> class Action, template<typename...> class Control, typename ParseInput, typename... States>
    static bool match(ParseInput& in, States&&... st)
    {
        if (in.empty() || in.peek_char() != '"') {
            return false;
        }
        const std::size_t size = in.size(2);
        for (std::size_t i = 1;; ++i) {
            if (i >= size || in.peek_char(i) == '\n' || in.peek_char(i) == '\r') {
                Control<unterminated_string>::raise(in, st...);
            }
            const char c = in.peek_char(i);
            if (c == '"') {
                in.bump(i + 1);
                return true;
            }
            if (c == '\\') {
                const char e = i + 1 < size ? in.peek_char(i + 1) : '\0';
                if (e != '"' && e != '\\' && e != 'n' && e != 't') {
                    in.bump(i);
                    Control<bad_escape>::raise(in, st...);
                }
                ++i;
            }
        }
    }
};

// ---------------------------------------------------------------------------------------------
// Structure helpers.

// `nested<R>` is R with one more level of nesting: the parser's control counts these and reports
// input nested deeper than max_nesting_depth (E005) before the stack could overflow.
template<typename R> struct nested : seq<R> {};

// `recover<R, Level>` is R; when R raises a syntax error, the parser's control records it and
// skips to the next line that starts a construct of Level (see parser.cpp), then succeeds.
struct level_top {};
struct level_criterion {};
struct level_item {};
template<typename R, typename Level> struct recover : seq<R> {};

// Braces. The control remembers each opening brace (for "to close X opened here" notes) and
// checks that the closing brace is there. Ctx names what the braces enclose.
template<typename Ctx> struct open_brace : one<'{'> {};
template<typename Ctx> struct close_brace : one<'}'> {};
template<typename Ctx, typename Body> struct braced : seq<open_brace<Ctx>, Body, sep, must<close_brace<Ctx>>> {};
// Where a block's statements end: at its '}' (or the end of the file, reported by close_brace),
// otherwise Err explains what may appear here.
// A criterion, item or top-level keyword also ends the block: the missing '}' is then reported
// as "expected '}' to close X" with a note at X's opening brace.
template<typename Err> struct block_end : sor<at<one<'}'>>, eof, at<top_keyword>, at<kw_criterion>, at<kw_item>, raise<Err>> {};

struct ctx_regulation {};
struct ctx_enum {};
struct ctx_input {};
struct ctx_list {};
struct ctx_section {};
struct ctx_criterion {};
struct ctx_group {};
struct ctx_item {};
struct ctx_ranking {};
struct ctx_award {};
struct ctx_when {};
struct ctx_match {};
struct ctx_test {};
struct ctx_unit {};
struct ctx_row {};

// Bands, arms, members and fields may be separated by whitespace, newlines or commas.
struct comma_sep : seq<sep, opt<one<','>, sep>> {};

// ---------------------------------------------------------------------------------------------
// Expressions. Loosest first: or, and, not, comparison / `is absent` (non-associative), + -, * /,
// unary -, postfix `.field`.

struct expr;
struct arith;
struct neg_chain;
struct not_chain;

// Operators are rules of their own so the parse tree keeps them (the AST records op spans).
struct op_or : kw_or {};
struct op_and : kw_and {};
struct op_add : one<'+'> {};
struct op_sub : one<'-'> {};
struct op_mul : one<'*'> {};
struct op_div : one<'/'> {};
struct op_eq : string<'=', '='> {};
struct op_ne : string<'!', '='> {};
struct op_le : string<'<', '='> {};
struct op_lt : one<'<'> {};
struct op_ge : string<'>', '='> {};
struct op_gt : one<'>'> {};
struct cmp_op : sor<op_eq, op_ne, op_le, op_lt, op_ge, op_gt> {};

// `( expr )`
struct open_paren : one<'('> {};
struct close_paren : one<')'> {};
struct paren_inner : seq<expr> {};
struct paren_expr : seq<open_paren, sep, must<paren_inner>, sep, must<close_paren>> {};

// `if c then a else b`
struct if_cond : seq<expr> {};
struct then_expected : kw_then {};
struct then_value : seq<expr> {};
struct else_expected : kw_else {};
struct else_value : seq<expr> {};
// `else if c then a` rungs of a ladder are read in a loop, not as an `if` nested in the else
// value, so a long ladder (one rung per band of a guide) is not nesting (E005); the parser
// rebuilds the nested ifs. `else_if_word` marks where each rung's `if` starts.
struct else_if_word : kw_if {};
struct else_if : seq<kw_else, sep, else_if_word, sep, must<if_cond>, sep, must<then_expected>, sep, must<then_value>, sep> {};
struct if_expr : seq<kw_if, sep, must<if_cond>, sep, must<then_expected>, sep, must<then_value>, sep, star<else_if>, must<else_expected>, sep, must<else_value>> {};

// `when p { >= 100%: 20   >= 95%: 17   else: 0 }`; bounds and values are arithmetic (no
// comparison), so the next band's operator is not read as a comparison.
struct band_ge : string<'>', '='> {};
struct band_gt : one<'>'> {};
struct band_le : string<'<', '='> {};
struct band_lt : one<'<'> {};
struct band_eq : string<'=', '='> {};
struct band_op : sor<band_ge, band_gt, band_le, band_lt, band_eq> {};
struct band_bound : seq<arith> {};
struct band_colon : one<':'> {};
struct band_value : seq<arith> {};
struct band : seq<band_op, sep, must<band_bound>, sep, must<band_colon>, sep, must<band_value>> {};
struct else_colon : one<':'> {};
struct band_else_value : seq<arith> {};
struct band_else : seq<kw_else, sep, must<else_colon>, sep, must<band_else_value>> {};
struct arm_else_value : seq<expr> {};
struct else_arm : seq<kw_else, sep, must<else_colon>, sep, must<arm_else_value>> {};
struct bad_band : one<'>'> {};
struct band_after_else : band_op {};
struct when_body : seq<sep, star<band, comma_sep>, opt<band_else, comma_sep, opt<at<band_op>, raise<band_after_else>>>, block_end<bad_band>> {};
struct when_subject : seq<expr> {};
struct when_block : braced<ctx_when, when_body> {};
struct when_expr : seq<kw_when, sep, must<when_subject>, sep, must<when_block>> {};

// `match party { xs: 20  tot: 16  else: 0 }`
struct arm_colon : one<':'> {};
struct arm_value : seq<expr> {};
struct match_arm : seq<name, sep, must<arm_colon>, sep, must<arm_value>> {};
struct bad_arm : ident_word {};
struct arm_after_else : name {};
struct match_body : seq<sep, star<match_arm, comma_sep>, opt<else_arm, comma_sep, opt<at<name>, raise<arm_after_else>>>, block_end<bad_arm>> {};
struct match_subject : seq<expr> {};
struct match_block : braced<ctx_match, match_body> {};
struct match_expr : seq<kw_match, sep, must<match_subject>, sep, must<match_block>> {};

// Aggregates `sum(i in xs where c: e)` and calls `min(a, b)`.
struct agg_function : name {};
struct agg_variable : name {};
struct agg_list : seq<expr> {};
struct agg_where : seq<expr> {};
struct agg_body : seq<expr> {};
struct agg_close : one<')'> {};
struct aggregate : seq<agg_function, open_paren, sep, agg_variable, sep, kw_in, sep, must<agg_list>, sep, opt<kw_where, sep, must<agg_where>, sep>, opt<one<':'>, sep, must<agg_body>, sep>, must<agg_close>> {};
struct call_function : name {};
struct call_arg : seq<expr> {};
struct call_close : one<')'> {};
struct call : seq<call_function, open_paren, sep, opt<call_arg, sep, star<one<','>, sep, must<call_arg>, sep>>, must<call_close>> {};

// `total`, `bonus`, `deduction`, `section I`, `criterion I.1`
struct ref_total : kw_total {};
struct ref_bonus : kw_bonus {};
struct ref_deduction : kw_deduction {};
struct ref_section_id : id_word {};
struct ref_criterion_id : id_word {};
struct ref_section : seq<kw_section, sep, must<ref_section_id>> {};
struct ref_criterion : seq<kw_criterion, sep, must<ref_criterion_id>> {};
struct points_ref : sor<ref_total, ref_bonus, ref_deduction, ref_section, ref_criterion> {};

struct lit_true : kw_true {};
struct lit_false : kw_false {};
struct name_ref : name {};

struct primary : sor<paren_expr, if_expr, when_expr, match_expr, aggregate, call, points_ref, lit_true, lit_false, date, number, string_lit, name_ref> {};

// `i.target`: no space around the dot.
struct member_field : ident_word {};
struct postfix_expr : seq<primary, star<one<'.'>, must<member_field>>> {};

struct neg_operand : nested<neg_chain> {};
struct neg_expr : seq<op_sub, sep, must<neg_operand>> {};
struct neg_chain : sor<neg_expr, postfix_expr> {};

struct mul_operand : neg_chain {};
struct mul_expr : seq<neg_chain, star<sep, sor<op_mul, op_div>, sep, must<mul_operand>>> {};

struct add_operand : mul_expr {};
struct add_expr : seq<mul_expr, star<sep, sor<op_add, op_sub>, sep, must<add_operand>>> {};

// `x is absent`, `x is present`
struct is_absent : kw_absent {};
struct is_present : kw_present {};
struct presence_word : sor<is_absent, is_present> {};
struct cmp_operand : add_expr {};
struct single_equals : one<'='> {};
struct chained_comparison : cmp_op {};
struct cmp_tail : sor<seq<cmp_op, sep, must<cmp_operand>>, seq<kw_is, sep, must<presence_word>>> {};
struct cmp_expr : seq<add_expr, opt<sep, cmp_tail>, opt<sep, sor<seq<at<cmp_op>, raise<chained_comparison>>, seq<one<'='>, raise<single_equals>>>>> {};

struct not_operand : nested<not_chain> {};
struct not_expr : seq<kw_not, sep, must<not_operand>> {};
struct not_chain : sor<not_expr, cmp_expr> {};

struct and_operand : not_chain {};
struct and_expr : seq<not_chain, star<sep, op_and, sep, must<and_operand>>> {};
struct or_operand : and_expr {};
struct or_expr : seq<and_expr, star<sep, op_or, sep, must<or_operand>>> {};

struct expr : nested<or_expr> {};
struct arith : nested<add_expr> {};

// ---------------------------------------------------------------------------------------------
// Declaration pieces shared by several declarations.

struct label : string_lit {};
struct max_value : number {};
struct max_clause : seq<kw_max, sep, must<max_value>> {};
struct cite_text : string_lit {};
struct cite_clause : seq<kw_cite, sep, must<cite_text>> {};

// `let w = 40 / count(indicators)`   `points = ...`
struct let_name : name {};
struct let_equals : one<'='> {};
struct let_value : seq<expr> {};
struct let_stmt : seq<kw_let, sep, must<let_name>, sep, must<let_equals>, sep, must<let_value>> {};
struct points_equals : one<'='> {};
struct points_value : seq<expr> {};
struct points_stmt : seq<kw_points, sep, must<points_equals>, sep, must<points_value>> {};
struct points_expected : points_stmt {};
struct let_after_points : kw_let {};
struct points_twice : kw_points {};
struct after_points : kw_points {};
struct scoring_body : seq<sep, star<let_stmt, sep>, must<points_expected>, sep, sor<seq<at<kw_let>, raise<let_after_points>>, seq<at<kw_points>, raise<points_twice>>, block_end<after_points>>> {};

// ---------------------------------------------------------------------------------------------
// regulation "Title" { declarations }

// `scale 100`
struct scale_value : number {};
struct scale_decl : seq<kw_scale, sep, must<scale_value>> {};

// `rounding criterion 0.01 half_up`
struct target_criterion : kw_criterion {};
struct target_section : kw_section {};
struct target_bonus : kw_bonus {};
struct target_deduction : kw_deduction {};
struct target_total : kw_total {};
struct rounding_target : sor<target_criterion, target_section, target_bonus, target_deduction, target_total> {};
struct rounding_step : number {};
struct mode_half_up : kw_half_up {};
struct mode_half_even : kw_half_even {};
struct mode_down : kw_down {};
struct mode_up : kw_up {};
struct rounding_mode : sor<mode_half_up, mode_half_even, mode_down, mode_up> {};
struct rounding_decl : seq<kw_rounding, sep, must<rounding_target>, sep, must<rounding_step>, sep, must<rounding_mode>> {};

// `enum rating ordered { xs "Hoàn thành xuất sắc", tot "Hoàn thành tốt" }`
struct enum_name : name {};
struct enum_ordered : kw_ordered {};
struct member_label : string_lit {};
struct enum_member : seq<name, opt<sep, member_label>> {};
struct bad_enum_member : ident_word {};
struct enum_body : seq<sep, star<enum_member, comma_sep>, block_end<bad_enum_member>> {};
struct enum_block : braced<ctx_enum, enum_body> {};
struct enum_decl : seq<kw_enum, sep, must<enum_name>, sep, opt<enum_ordered, sep>, must<enum_block>> {};

// `input { tasks_on_time: integer "label"   indicators: list { target: number ... } }`
struct field_decl;
struct type_number : kw_number {};
struct type_integer : kw_integer {};
struct type_bool : kw_bool {};
struct type_date : kw_date {};
struct type_text : kw_text {};
struct type_enum : name {};
struct list_label : string_lit {};
struct bad_field : ident_word {};
struct fields_body : seq<sep, opt<list_label, sep>, star<field_decl, comma_sep>, block_end<bad_field>> {};
struct list_block : braced<ctx_list, fields_body> {};
struct type_list : seq<kw_list, sep, must<list_block>> {};
struct type_optional : one<'?'> {};
struct type_ref : seq<sor<nested<type_list>, type_number, type_integer, type_bool, type_date, type_text, type_enum>, opt<type_optional>> {};
struct field_colon : one<':'> {};
struct field_type : type_ref {};
struct field_label : string_lit {};
// `in 0..100`, `in 0%..100%`, `in -5..5`, `in 0..` (no upper bound): the declared range of a
// number or integer field (the checker refuses it on other types).
struct bound_minus : one<'-'> {};
struct range_bound : seq<opt<bound_minus, line_blanks>, number> {};
struct range_low : range_bound {};
struct range_high : range_bound {};
struct range_dots : string<'.', '.'> {};
struct field_range : seq<kw_in, sep, must<range_low>, line_blanks, must<range_dots>, opt<line_blanks, range_high>> {};
struct field_decl : seq<name, sep, must<field_colon>, sep, must<field_type>, opt<sep, field_range>, opt<sep, field_label>> {};
struct input_body : seq<sep, star<field_decl, comma_sep>, block_end<bad_field>> {};
struct input_block : braced<ctx_input, input_body> {};
struct input_decl : seq<kw_input, sep, must<input_block>> {};

// criterion I.1 "Label" max 40 cite "Mục II.1.a" applies when union != na { let ... points = ... }
struct criterion_id : id_word {};
struct criterion_label : label {};
struct criterion_max : max_clause {};
struct applies_when_expected : kw_when {};
struct applies_condition : seq<expr> {};
struct applies_clause : seq<kw_applies, sep, must<applies_when_expected>, sep, must<applies_condition>> {};
struct criterion_clause : sor<cite_clause, applies_clause> {};
struct criterion_block : braced<ctx_criterion, scoring_body> {};
struct criterion_decl : seq<kw_criterion, sep, must<criterion_id>, sep, must<criterion_label>, sep, must<criterion_max>, sep, star<criterion_clause, sep>, must<criterion_block>> {};

// section I "Label" max 60 cite "..." combine rescaled { criterion ... }
struct section_id : id_word {};
struct section_label : label {};
struct section_max : max_clause {};
struct combine_sum : kw_sum {};
struct combine_rescaled : kw_rescaled {};
struct combine_mode : sor<combine_sum, combine_rescaled> {};
struct combine_clause : seq<kw_combine, sep, must<combine_mode>> {};
struct section_clause : sor<cite_clause, combine_clause> {};
struct expected_criterion : ident_word {};
struct criterion_entry : sor<criterion_decl, raise<expected_criterion>> {};
struct section_body : star<sep, not_at<one<'}'>>, not_at<eof>, not_at<top_keyword>, recover<criterion_entry, level_criterion>> {};
struct section_block : braced<ctx_section, section_body> {};
struct section_decl : seq<kw_section, sep, must<section_id>, sep, must<section_label>, sep, must<section_max>, sep, star<section_clause, sep>, must<section_block>> {};

// bonus "Điểm thưởng" max 5 { item "Tin bài" max 1 cite "..." { points = ... } }
struct item_label : label {};
struct item_block : braced<ctx_item, scoring_body> {};
struct item_clause : sor<max_clause, cite_clause> {};
struct item_decl : seq<kw_item, sep, must<item_label>, sep, star<item_clause, sep>, must<item_block>> {};
struct expected_item : ident_word {};
struct item_entry : sor<item_decl, raise<expected_item>> {};
struct group_body : star<sep, not_at<one<'}'>>, not_at<eof>, not_at<top_keyword>, recover<item_entry, level_item>> {};
struct group_block : braced<ctx_group, group_body> {};
struct group_bonus : kw_bonus {};
struct group_deduction : kw_deduction {};
struct group_label : label {};
struct group_decl : seq<sor<group_bonus, group_deduction>, sep, must<group_label>, sep, opt<max_clause, sep>, must<group_block>> {};

// `exclude "Không nộp hồ sơ" when cond`, `ineligible "Vi phạm" when cond`
struct knockout_exclude : kw_exclude {};
struct knockout_ineligible : kw_ineligible {};
struct knockout_label : label {};
struct knockout_when : kw_when {};
struct knockout_condition : seq<expr> {};
struct knockout_decl : seq<sor<knockout_exclude, knockout_ineligible>, sep, must<knockout_label>, sep, must<knockout_when>, sep, must<knockout_condition>> {};

// ranking { by total desc, section I desc   ties shared   first place by bonus desc ties unresolved }
struct key_desc : kw_desc {};
struct key_asc : kw_asc {};
struct key_direction : sor<key_desc, key_asc> {};
struct key_expr : seq<expr> {};
struct ranking_key : seq<key_expr, sep, must<key_direction>> {};
struct next_key : ranking_key {};
struct ranking_keys : seq<ranking_key, star<sep, one<','>, sep, must<next_key>>> {};
struct by_keys : ranking_keys {};
struct by_clause : seq<kw_by, sep, must<by_keys>> {};
struct tie_shared : kw_shared {};
struct tie_unresolved : kw_unresolved {};
struct tie_mode : sor<tie_shared, tie_unresolved> {};
struct ties_clause : seq<kw_ties, sep, must<tie_mode>> {};
struct place_expected : kw_place {};
struct first_by_expected : kw_by {};
struct first_keys : ranking_keys {};
struct first_place_ties : seq<kw_ties, sep, must<tie_mode>> {};
struct first_place_clause : seq<kw_first, sep, must<place_expected>, sep, must<first_by_expected>, sep, must<first_keys>, opt<line_blanks, first_place_ties>> {};
struct bad_ranking_stmt : ident_word {};
struct ranking_body : seq<star<sep, sor<by_clause, ties_clause, first_place_clause>>, sep, block_end<bad_ranking_stmt>> {};
struct ranking_block : braced<ctx_ranking, ranking_body> {};
struct ranking_decl : seq<kw_ranking, sep, must<ranking_block>> {};

// `limit 1`, `limit 30% of members rounded down`
struct quota_amount : number {};
struct members_expected : kw_members {};
struct quota_of_members : seq<kw_of, sep, must<members_expected>> {};
struct quota_down : kw_down {};
struct quota_up : kw_up {};
struct quota_nearest : kw_nearest {};
struct quota_rounding : sor<quota_down, quota_up, quota_nearest> {};
struct quota_rounded : seq<kw_rounded, sep, must<quota_rounding>> {};
struct quota : seq<must<quota_amount>, opt<sep, quota_of_members>, opt<sep, quota_rounded>> {};

// award flag "Cờ thi đua" { candidates rank 1   require "..." total >= 95   limit 1   unused slots are lost }
struct award_id : name {};
struct award_label : label {};
struct rank_from : digits {};
struct rank_to : digits {};
struct rank_range : seq<rank_from, opt<string<'.', '.'>, must<rank_to>>, not_at<ident_char>> {};
struct candidates_all : kw_all {};
struct rank_expected : rank_range {};
struct candidates_rank : seq<kw_rank, sep, must<rank_expected>> {};
struct candidates_what : sor<candidates_all, candidates_rank> {};
struct candidates_clause : seq<kw_candidates, sep, must<candidates_what>> {};
struct require_label : label {};
struct require_condition : seq<expr> {};
struct require_clause : seq<kw_require, sep, must<require_label>, sep, must<require_condition>> {};
struct limit_clause : seq<kw_limit, sep, quota> {};
struct slots_expected : kw_slots {};
struct unused_lost : seq<kw_are, sep, must<kw_lost>> {};
struct unused_pass : seq<kw_pass, sep, must<kw_down>> {};
struct unused_what : sor<unused_lost, unused_pass> {};
struct unused_clause : seq<kw_unused, sep, must<slots_expected>, sep, must<unused_what>> {};
struct bad_award_stmt : ident_word {};
struct award_body : seq<star<sep, sor<candidates_clause, require_clause, limit_clause, unused_clause>>, sep, block_end<bad_award_stmt>> {};
struct award_block : braced<ctx_award, award_body> {};
struct award_decl : seq<kw_award, sep, must<award_id>, sep, must<award_label>, sep, must<award_block>> {};

// `awards limit 50% of members rounded down`
struct awards_limit_expected : kw_limit {};
struct awards_limit_decl : seq<kw_awards, sep, must<awards_limit_expected>, sep, quota> {};

// `self_score from self_score tolerance 5`
struct from_expected : kw_from {};
struct self_score_field : name {};
struct tolerance_expected : kw_tolerance {};
struct tolerance_value : number {};
struct self_score_decl : seq<kw_self_score, sep, must<from_expected>, sep, must<self_score_field>, sep, must<tolerance_expected>, sep, must<tolerance_value>> {};

// ---------------------------------------------------------------------------------------------
// Amendments (docs/amendments.md): a file that starts with `amends "base.tdkt"` holds only
// `add`, `replace` and `remove` statements.
//   add criterion I.5 "..." max 5 in section I { ... }     replace award flag "..." { ... }
//   replace section I "..." max 65                         remove criterion III.2

// `amends "../khoi5-2018/regulation.tdkt"`
struct amends_path : string_lit {};
struct amends_clause : seq<kw_amends, sep, must<amends_path>> {};

// Where an added declaration goes: `in section I`, `in bonus "..."`, `before merit`, `after I.2`.
struct place_section_id : id_word {};
struct place_in_section : seq<kw_section, sep, must<place_section_id>> {};
struct place_group_label : string_lit {};
struct place_in_bonus : seq<kw_bonus, sep, must<place_group_label>> {};
struct place_in_deduction : seq<kw_deduction, sep, must<place_group_label>> {};
struct place_in_what : sor<place_in_section, place_in_bonus, place_in_deduction> {};
struct place_in : seq<kw_in, sep, must<place_in_what>> {};
struct place_ref_id : id_word {};
struct place_before : seq<kw_before, sep, must<place_ref_id>> {};
struct place_after : seq<kw_after, sep, must<place_ref_id>> {};
struct placement : sor<place_in, place_before, place_after> {};
// `replace section I "..." max 65` without a block: the header only; the criteria stay.
struct header_only : success {};

// The declarations as an amendment writes them: a placement may join the header's clauses.
struct amend_criterion_clause : sor<cite_clause, applies_clause, placement> {};
struct amend_criterion : seq<kw_criterion, sep, must<criterion_id>, sep, must<criterion_label>, sep, must<criterion_max>, sep, star<amend_criterion_clause, sep>, must<criterion_block>> {};
struct amend_section_clause : sor<cite_clause, combine_clause, placement> {};
struct amend_section : seq<kw_section, sep, must<section_id>, sep, must<section_label>, sep, must<section_max>, sep, star<amend_section_clause, sep>, sor<section_block, header_only>> {};
struct amend_group : seq<sor<group_bonus, group_deduction>, sep, must<group_label>, sep, opt<max_clause, sep>, sor<group_block, header_only>> {};
struct amend_item_clause : sor<max_clause, cite_clause, placement> {};
struct amend_item : seq<kw_item, sep, must<item_label>, sep, star<amend_item_clause, sep>, must<item_block>> {};
struct amend_award : seq<kw_award, sep, must<award_id>, sep, must<award_label>, sep, star<placement, sep>, must<award_block>> {};
struct amend_what : sor<amend_section, amend_criterion, amend_group, amend_item, amend_award, scale_decl, rounding_decl, enum_decl, input_decl, knockout_decl, ranking_decl, awards_limit_decl, self_score_decl> {};
struct amend_add : seq<kw_add, sep, must<amend_what>> {};
struct amend_replace : seq<kw_replace, sep, must<amend_what>> {};

// `remove criterion I.3`, `remove item "..." in bonus "..."`, `remove rounding section`, ...
struct remove_key_id : id_word {};
struct remove_key_label : string_lit {};
struct remove_key_name : name {};
struct remove_criterion : seq<kw_criterion, sep, must<remove_key_id>> {};
struct remove_section : seq<kw_section, sep, must<remove_key_id>> {};
struct remove_award : seq<kw_award, sep, must<remove_key_id>> {};
struct remove_bonus : seq<kw_bonus, sep, must<remove_key_label>> {};
struct remove_deduction : seq<kw_deduction, sep, must<remove_key_label>> {};
struct remove_item : seq<kw_item, sep, must<remove_key_label>, opt<sep, placement>> {};
struct remove_exclude : seq<kw_exclude, sep, must<remove_key_label>> {};
struct remove_ineligible : seq<kw_ineligible, sep, must<remove_key_label>> {};
struct remove_ranking : kw_ranking {};
struct remove_awards_limit : seq<kw_awards, sep, must<awards_limit_expected>> {};
struct remove_self_score : kw_self_score {};
struct remove_scale : kw_scale {};
struct remove_rounding : seq<kw_rounding, sep, must<rounding_target>> {};
struct remove_enum : seq<kw_enum, sep, must<remove_key_name>> {};
struct remove_input : seq<kw_input, sep, must<remove_key_name>> {};
struct remove_what : sor<remove_criterion, remove_section, remove_award, remove_bonus, remove_deduction, remove_item, remove_exclude, remove_ineligible, remove_ranking, remove_awards_limit, remove_self_score, remove_scale, remove_rounding, remove_enum, remove_input> {};
struct amend_remove : seq<kw_remove, sep, must<remove_what>> {};
struct amend_decl : sor<amend_add, amend_replace, amend_remove> {};

// Anything else at the top level is an error; criteria and items get a message of their own.
struct criterion_outside : kw_criterion {};
struct item_outside : kw_item {};
struct expected_declaration : ident_word {};
struct top_decl : sor<amend_decl, scale_decl, rounding_decl, enum_decl, input_decl, section_decl, group_decl, knockout_decl, ranking_decl, award_decl, awards_limit_decl, self_score_decl, seq<at<kw_criterion>, raise<criterion_outside>>, seq<at<kw_item>, raise<item_outside>>, raise<expected_declaration>> {};
struct regulation_body : star<sep, not_at<one<'}'>>, not_at<eof>, recover<top_decl, level_top>> {};

struct regulation_expected : kw_regulation {};
struct regulation_title : string_lit {};
struct regulation_block : braced<ctx_regulation, regulation_body> {};
struct trailing_text : eof {};
// ---------------------------------------------------------------------------------------------
// Tests (docs/testing.md), after the regulation's '}' or in a `*.test.tdkt` file:
//   test "title" {
//       data "data/"
//       unit "Sở Tư pháp" { tasks_assigned = 18  party = xs  indicators = [ { name = "A", target = 10 } ] }
//       expect "Sở Tư pháp" total == 85.74        expect "Sở Tư pháp" criterion I.2 == 20
//       expect "Sở Tư pháp" rank == 3..4          expect "Sở Tư pháp" award merit pending
//       expect "Sở Tư pháp" no award              expect "Sở Nội vụ" excluded
//       expect tie "A", "B"                       expect conflict merit "A", "B"
//   }

// Values: `12`, `-3`, `95%`, `true`, `"text"`, `2018-12-20`, `xs`, `[ { field = value } ]`.
struct test_value;
struct tv_number : seq<opt<one<'-'>>, number> {};
struct tv_date : date {};
struct tv_true : kw_true {};
struct tv_false : kw_false {};
struct tv_string : string_lit {};
struct tv_member : name {};
struct test_field_name : name {};
struct test_equals : one<'='> {};
struct test_field_value : seq<test_value> {};
struct test_field : seq<test_field_name, sep, must<test_equals>, sep, must<test_field_value>> {};
struct bad_test_field : ident_word {};
// `expect "`, `unit "`, `data "`, `test "`, `expect tie`: a statement of the test, never a field
// (a field has '='), so a unit whose '}' is missing is reported as such.
struct test_stmt_start : sor<seq<sor<kw_expect, kw_unit, kw_data, kw_test>, sep, one<'"'>>, seq<kw_expect, sep, sor<kw_tie, kw_conflict>>> {};
struct test_fields : seq<sep, star<not_at<test_stmt_start>, test_field, comma_sep>, sor<at<test_stmt_start>, block_end<bad_test_field>>> {};
struct test_row : braced<ctx_row, test_fields> {};
struct list_close : one<']'> {};
struct test_list : seq<one<'['>, sep, star<nested<test_row>, comma_sep>, must<list_close>> {};
struct test_value : sor<test_list, tv_date, tv_number, tv_true, tv_false, tv_string, tv_member> {};

// `data "data/"`, `unit "name" { field = value ... }`
struct data_path : string_lit {};
struct test_data : seq<kw_data, sep, must<data_path>> {};
struct unit_name : string_lit {};
struct unit_block : braced<ctx_unit, test_fields> {};
struct test_unit : seq<kw_unit, sep, must<unit_name>, sep, must<unit_block>> {};

// `expect "U" WHAT`, `expect tie "A", "B"`, `expect conflict AWARD "A", "B"`
struct expect_unit : string_lit {};
struct expect_equals : string<'=', '='> {};
struct expect_value : tv_number {};
struct within_value : number {};
struct within_clause : seq<kw_within, sep, must<within_value>> {};
struct expect_points : seq<points_ref, sep, must<expect_equals>, sep, must<expect_value>, opt<sep, within_clause>> {};
struct expect_rank_value : rank_range {};
struct expect_rank : seq<kw_rank, sep, must<expect_equals>, sep, must<expect_rank_value>> {};
struct expect_award_id : name {};
struct award_pending : kw_pending {};
struct expect_award : seq<kw_award, sep, must<expect_award_id>, opt<sep, award_pending>> {};
struct no_award_expected : kw_award {};
struct expect_no_award : seq<kw_no, sep, must<no_award_expected>> {};
struct expect_not : kw_not {};
struct knocked_excluded : kw_excluded {};
struct knocked_ineligible : kw_ineligible {};
struct knocked_what : sor<knocked_excluded, knocked_ineligible> {};
// `eligible` (được xét khen thưởng) is `not ineligible` said positively.
struct knocked_eligible : kw_eligible {};
struct expect_knockout : sor<seq<expect_not, sep, must<knocked_what>>, knocked_what, knocked_eligible> {};
struct expect_what : sor<expect_points, expect_rank, expect_award, expect_no_award, expect_knockout> {};
struct expect_for_unit : seq<expect_unit, sep, must<expect_what>> {};
struct group_unit : string_lit {};
struct next_group_unit : group_unit {};
struct group_units : seq<group_unit, star<sep, one<','>, sep, must<next_group_unit>>> {};
struct expect_tie : seq<kw_tie, sep, must<group_units>> {};
struct conflict_award : name {};
struct expect_conflict : seq<kw_conflict, sep, must<conflict_award>, sep, must<group_units>> {};
struct bad_expect : ident_word {};
struct expect_decl : seq<kw_expect, sep, sor<expect_tie, expect_conflict, expect_for_unit, raise<bad_expect>>> {};

// test "title" { statements }
struct test_title : string_lit {};
struct bad_test_stmt : ident_word {};
struct test_body : seq<star<sep, sor<test_data, test_unit, expect_decl>>, sep, block_end<bad_test_stmt>> {};
struct test_block : braced<ctx_test, test_body> {};
struct test_decl : seq<kw_test, sep, must<test_title>, sep, must<test_block>> {};

// A regulation file may end with tests; a `*.test.tdkt` file starts with `tests for "PATH"`.
struct regulation_tests : star<test_decl, sep> {};
struct tests_for_expected : kw_for {};
struct tests_regulation : string_lit {};
struct tests_header : seq<kw_tests, sep, must<tests_for_expected>, sep, must<tests_regulation>> {};
struct tests_header_expected : tests_header {};
struct test_file_end : eof {};
struct test_file_grammar : seq<sep, must<tests_header_expected>, sep, star<test_decl, sep>, must<test_file_end>> {};

struct grammar : seq<sep, opt<amends_clause, sep>, must<regulation_expected>, sep, must<regulation_title>, sep, must<regulation_block>, sep, regulation_tests, must<trailing_text>> {};

// clang-format on

}  // namespace thidua::grammar

// For PEGTL's grammar analysis (tests/unit/parser_test.cpp): a keyword always consumes input.
template <typename Name, thidua::keywords::kw K>
struct tao::pegtl::analyze_traits<Name, thidua::grammar::keyword<K>> : analyze_any_traits<> {};
