#include "engine/evaluator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <variant>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"

namespace thidua {

namespace {

rt_value from_value(const value& v) {
    rt_value r;
    std::visit(overloaded{
                   [&](const std::monostate&) { r.what = rt_value::tag::absent; },
                   [&](bool b) {
                       r.what = rt_value::tag::boolean;
                       r.b = b;
                   },
                   [&](const number& n) {
                       r.what = rt_value::tag::number;
                       r.n = n;
                   },
                   [&](const std::string& s) {
                       r.what = rt_value::tag::text;
                       r.s = &s;
                   },
                   [&](const date& d) {
                       r.what = rt_value::tag::date;
                       r.d = d.serial();
                   },
                   [&](const enum_value& e) {
                       r.what = rt_value::tag::enumeration;
                       r.e = e.index;
                   },
                   [&](const list_value& l) {
                       r.what = rt_value::tag::list;
                       r.list = l.get();
                   },
               },
               v.v);
    return r;
}

// For a field of a loop variable read as an operand of an operator that always evaluates its
// operands (checked_regulation::strict_parent), that variable's depth; such a read of the
// innermost loop's row is not recorded (trace_frame::row).
std::optional<std::uint32_t> row_operand_depth(const checked_regulation& reg, const ast::expr& e) {
    if (reg.strict_parent[e.id] == 0) {
        return std::nullopt;
    }
    const auto* m = std::get_if<ast::member_ref>(&e.kind);
    if (m == nullptr || !std::holds_alternative<ast::name_ref>(m->object->kind)) {
        return std::nullopt;
    }
    const auto& ref = reg.refs[m->object->id];
    if (ref.what != resolution::kind::loop_var) {
        return std::nullopt;
    }
    return ref.index;
}

// Three-way comparison of two values of the same checked type.
int compare(const rt_value& a, const rt_value& b) {
    switch (a.what) {
        case rt_value::tag::number: {
            const auto c = a.n <=> b.n;
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        case rt_value::tag::date:
            return a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
        case rt_value::tag::enumeration:
            // The first member is the highest: a smaller index compares greater.
            return a.e < b.e ? 1 : (a.e > b.e ? -1 : 0);
        case rt_value::tag::boolean:
            return a.b == b.b ? 0 : (a.b ? 1 : -1);
        case rt_value::tag::text:
            return a.s->compare(*b.s) < 0 ? -1 : (*a.s == *b.s ? 0 : 1);
        default:
            return 0;
    }
}

// Grows a trace's value buffer out of line (doubling, as push_back would), so that the append
// below has no reallocation path: without one, record() needs no stack frame and no saved
// registers, and it is called some hundreds of times per traced unit.
[[gnu::noinline, gnu::cold]] void grow_values(std::vector<trace_frame::entry>& values) {
    values.reserve(values.empty() ? 64 : 2 * values.capacity());
}

// values.emplace_back() for a buffer with room (the caller has checked `has_room`): saying so
// to the compiler removes emplace_back's own reallocation code.
[[gnu::always_inline]] inline trace_frame::entry& append(std::vector<trace_frame::entry>& values) {
    if (values.data() + values.size() == values.data() + values.capacity()) {
        __builtin_unreachable();
    }
    return values.emplace_back();
}

[[gnu::always_inline]] inline bool has_room(const std::vector<trace_frame::entry>& values) {
    return values.size() != values.capacity();
}

struct body_env {
    const ast::scoring_body* body = nullptr;
    std::vector<std::optional<rt_value>> lets;
    trace_frame* root = nullptr;
};

using detail::plan_node;

// What the fast path does with an expression (plan_node::code), decided once by
// evaluator::compile(). c_generic: the generic path (eval_node). c_input / c_row: an input value,
// or a field of a loop variable's row, read in place (the generic path when it turns out absent or
// of another kind). The operators work on number (or, for c_not..c_cmp and c_bool_lit, bool)
// operands only: the checker's types decide that at compile time.
enum : std::uint8_t {
    c_generic,
    c_lit,     // number literal: k
    c_input,   // index = input
    c_row,     // depth = loop variable, index = field, a = the variable's name_ref
    c_points,  // node = points_ref
    c_neg,     // a
    c_add,     // a, b
    c_sub,
    c_mul,
    c_div,
    c_min,  // node = call (number-typed min/max)
    c_max,
    c_if,        // node = if_expr
    c_when,      // node = when_expr (number subject)
    c_match,     // node = match_expr, index = its arm table
    c_bool_lit,  // flag = value
    c_not,       // a
    c_and,       // a, b
    c_or,
    c_cmp,        // a, b, flag = ast::binary::op
    c_aggregate,  // node = aggregate over a list input: index = input, a = the list's name_ref
    c_floor,      // a = the argument
    c_ceil,
    c_abs,
    c_round,  // node = call (argument, step, optional mode), flag = rounding_mode
};

// The rows of the loop variables in scope, outermost first. A `run` lives for one unit, so a
// std::vector here cost an allocation and a free per unit; the usual depths (one or two nested
// aggregates) fit in place.
class loop_stack {
  public:
    void push_back(const record* r) {
        if (n_ < small_.size()) {
            small_[n_] = r;
        } else {
            more_.push_back(r);
        }
        ++n_;
    }
    void pop_back() {
        --n_;
        if (n_ >= small_.size()) {
            more_.pop_back();
        }
    }
    const record* operator[](std::size_t i) const {
        return i < small_.size() ? small_[i] : more_[i - small_.size()];
    }
    [[nodiscard]] std::size_t size() const { return n_; }
    [[nodiscard]] bool empty() const { return n_ == 0; }
    void clear() {
        n_ = 0;
        more_.clear();
    }

  private:
    std::array<const record*, 8> small_{};
    std::vector<const record*> more_;
    std::size_t n_ = 0;
};

class run {
  public:
    run(const checked_regulation& reg, const plan_node* plan, const std::uint32_t* arm_tables,
        const unit_input& unit, scored_unit& out)
        : reg_(reg),
          plan_(plan),
          arm_tables_(arm_tables),
          unit_(unit),
          out_(out),
          src_(*reg.ast->file) {}

    rt_value eval(const ast::expr& e, trace_frame* tf) {
        rt_value v = eval_node(e, tf);
        if (tf != nullptr && !std::holds_alternative<ast::number_lit>(e.kind)
            && !own_row_operand(e)) {
            tf->record(e.id, v);  // (a literal's or an own row operand's value is known:
                                  // trace_value())
        }
        return v;
    }

    number eval_number(const ast::expr& e, trace_frame* tf) {
        return tf == nullptr ? num<false>(e, e, nullptr) : num<true>(e, e, tf);
    }

    bool eval_bool(const ast::expr& e, trace_frame* tf) {
        return tf == nullptr ? truth<false>(e, e, nullptr) : truth<true>(e, e, tf);
    }

    body_env* env = nullptr;
    loop_stack loops;
    bool scored = false;  // total, bonus and deduction are available

  private:
    // The fast path: a number- or bool-typed expression is computed straight into a `number` or
    // `bool`, without building an rt_value per node (only a traced value is built, to be
    // recorded). Every case below does exactly what the generic path (eval_node) does, in the
    // same order, with the same errors and the same trace records; whatever it does not handle
    // goes to the generic path. `blame` is the expression an absent value is reported against: the
    // generic path reports it where the value is required, which for an if/when/match branch is the
    // whole if/when/match, not the branch.

    bool number_typed(const ast::expr& e) const {
        return reg_.types[e.id].what == type::kind::number;
    }

    // An expression the fast path does not handle: the generic path evaluates (and traces) it.
    // Out of line: inlined, the generic path's std::visit made every fast-path call set up a
    // 700-byte frame.
    [[gnu::noinline]] number generic_number(const ast::expr& e, const ast::expr& blame,
                                            trace_frame* tf) {
        const rt_value v = eval(e, tf);
        require_present(v, blame);
        return v.n;
    }

    [[gnu::noinline]] bool generic_bool(const ast::expr& e, const ast::expr& blame,
                                        trace_frame* tf) {
        const rt_value v = eval(e, tf);
        require_present(v, blame);
        return v.b;
    }

    // Traced: `tf` receives what the generic path would record, in the same order (sub-
    // expressions first, then an if/when/match's choice, then the expression's own value).
    // Untraced: `tf` is null and nothing is recorded (the code for it compiles away).
    template <bool traced>
    number done(const ast::expr& e, trace_frame* tf, number x) {
        if constexpr (traced) {
            tf->record(e.id, x);
        }
        return x;
    }

    template <bool traced>
    bool done(const ast::expr& e, trace_frame* tf, bool x) {
        if constexpr (traced) {
            tf->record(e.id, x);
        }
        return x;
    }

    // A field of the innermost loop variable's row (the current sub-frame's row) read as a
    // strict operand (checked_regulation::strict_parent): not recorded, see trace_frame::row.
    bool own_row_operand(const ast::expr& e) const {
        const auto depth = row_operand_depth(reg_, e);
        return depth && *depth + 1 == loops.size();
    }

    // The same for a compiled read: compile() sets `flag` on a strict operand's c_row.
    [[gnu::always_inline]] bool own_row_operand(const plan_node& p) const {
        return p.code == c_row && p.flag != 0 && p.depth + 1 == loops.size();
    }

    // A number read in place (c_input, c_row): recorded unless own_row_operand.
    template <bool traced>
    [[gnu::always_inline]] number read_done(const ast::expr& e, const plan_node& p, trace_frame* tf,
                                            const number& n) {
        if constexpr (traced) {
            if (!own_row_operand(p)) {
                tf->record(e.id, n);
            }
        }
        return n;
    }

    // The value a compiled input read (c_input) or loop-variable member (c_row) reads.
    [[gnu::always_inline]] const value& read(const plan_node& p) const {
        return p.code == c_input ? (*unit_.fields)[p.index] : (*loops[p.depth])[p.index];
    }

    template <bool traced>
    void note_choice(const ast::expr& e, std::uint32_t which, trace_frame* tf) {
        if constexpr (traced) {
            tf->choices.emplace_back(e.id, which);
        }
    }

    // A number-typed operand: a literal or an input value read in place is done here, without a
    // call of num() (about half of all nodes are such leaves, and num()'s frame costs more than
    // they do); anything else is num(e, e, tf), exactly as before.
    template <bool traced>
    [[gnu::always_inline]] number operand(const ast::expr& e, trace_frame* tf) {
        const plan_node& p = plan_[e.id];
        if (p.code == c_lit) {
            return *p.k;  // not recorded: trace_value()
        }
        if (p.code == c_input || p.code == c_row) {
            if (const auto* n = std::get_if<number>(&read(p).v)) {
                return read_done<traced>(e, p, tf, *n);
            }
        }
        return num<traced>(e, e, tf);
    }

    // The value of an if/when/match branch: a literal (the usual band or arm value) without a
    // call; anything else is num() with the caller's `blame`.
    template <bool traced>
    [[gnu::always_inline]] number branch(const ast::expr& e, const ast::expr& blame,
                                         trace_frame* tf) {
        const plan_node& p = plan_[e.id];
        if (p.code == c_lit) {
            return *p.k;  // not recorded: trace_value()
        }
        return num<traced>(e, blame, tf);
    }

    // The member index of an enum-typed match subject: an input or loop-variable field read in
    // place (recorded as the generic path records it), anything else through the generic path.
    template <bool traced>
    std::uint32_t enum_operand(const ast::expr& e, trace_frame* tf) {
        const plan_node& p = plan_[e.id];
        if (p.code == c_input || p.code == c_row) {
            if (const auto* v = std::get_if<enum_value>(&read(p).v)) {
                if constexpr (traced) {
                    rt_value r;
                    r.what = rt_value::tag::enumeration;
                    r.e = v->index;
                    tf->record(e.id, r);
                }
                return v->index;
            }
        }
        const rt_value subject = eval(e, tf);
        require_present(subject, e);
        return subject.e;
    }

    // A number-typed expression, as compiled by evaluator::compile(); what only the generic path
    // handles (code c_generic, or an input that is absent) goes there before anything is computed
    // or recorded for it.
    template <bool traced>
    number num(const ast::expr& e, const ast::expr& blame, trace_frame* tf) {
        const plan_node& p = plan_[e.id];
        switch (p.code) {
            case c_lit:
                return *p.k;  // not recorded: trace_value()
            case c_input:
            case c_row:
                if (const auto* n = std::get_if<number>(&read(p).v)) {
                    return read_done<traced>(e, p, tf, *n);
                }
                break;
            case c_points:
                return done<traced>(e, tf,
                                    eval_points(e, *static_cast<const ast::points_ref*>(p.node)).n);
            case c_neg: {
                const number v = operand<traced>(*p.a, tf);
                return done<traced>(e, tf, arith(e, [&] { return -v; }));
            }
            case c_add: {
                const number l = operand<traced>(*p.a, tf);
                const number r = operand<traced>(*p.b, tf);
                return done<traced>(e, tf, arith(e, [&] { return l + r; }));
            }
            case c_sub: {
                const number l = operand<traced>(*p.a, tf);
                const number r = operand<traced>(*p.b, tf);
                return done<traced>(e, tf, arith(e, [&] { return l - r; }));
            }
            case c_mul: {
                const number l = operand<traced>(*p.a, tf);
                const number r = operand<traced>(*p.b, tf);
                return done<traced>(e, tf, arith(e, [&] { return l * r; }));
            }
            case c_div: {
                const number l = operand<traced>(*p.a, tf);
                const number r = operand<traced>(*p.b, tf);
                if (r.is_zero()) {
                    fail_divisor_zero(e, *p.b);
                }
                return done<traced>(e, tf, arith(e, [&] { return l / r; }));
            }
            case c_min:
            case c_max: {
                const auto& args = static_cast<const ast::call*>(p.node)->args;
                number best = operand<traced>(*args[0], tf);
                for (std::size_t i = 1; i < args.size(); ++i) {
                    const number v = operand<traced>(*args[i], tf);
                    if (p.code == c_min ? v < best : best < v) {
                        best = v;
                    }
                }
                return done<traced>(e, tf, best);
            }
            case c_if: {
                const auto& i = *static_cast<const ast::if_expr*>(p.node);
                const bool c = truth<traced>(*i.condition, *i.condition, tf);
                note_choice<traced>(e, c ? 0U : 1U, tf);
                return done<traced>(e, tf,
                                    branch<traced>(c ? *i.then_value : *i.else_value, blame, tf));
            }
            case c_when: {
                const auto& w = *static_cast<const ast::when_expr*>(p.node);
                const number subject = operand<traced>(*w.subject, tf);
                for (std::uint32_t i = 0; i < w.bands.size(); ++i) {
                    const auto& band = w.bands[i];
                    const number bound = operand<traced>(*band.bound, tf);
                    if (band_hit(band.compare, subject <=> bound)) {
                        note_choice<traced>(e, i, tf);
                        return done<traced>(e, tf, branch<traced>(*band.value, blame, tf));
                    }
                }
                if (!w.else_value) {
                    fail(e, tr(msg::E301_no_band));
                }
                note_choice<traced>(e, UINT32_MAX, tf);
                return done<traced>(e, tf, branch<traced>(*w.else_value, blame, tf));
            }
            case c_aggregate:
                if (const auto* elements = aggregate_list<traced>(p, tf)) {
                    const auto& a = *static_cast<const ast::aggregate*>(p.node);
                    return done<traced>(e, tf, aggregate_loop<traced>(e, a, *elements, tf).n);
                }
                break;
            case c_floor:  // the argument is evaluated inside arith(), as the generic path does
                return done<traced>(e, tf,
                                    arith(e, [&] { return operand<traced>(*p.a, tf).floor(); }));
            case c_ceil:  // the argument is evaluated inside arith(), as the generic path does
                return done<traced>(e, tf,
                                    arith(e, [&] { return operand<traced>(*p.a, tf).ceil(); }));
            case c_abs:  // the argument is evaluated inside arith(), as the generic path does
                return done<traced>(e, tf,
                                    arith(e, [&] { return operand<traced>(*p.a, tf).abs(); }));
            case c_round: {
                const auto& args = static_cast<const ast::call*>(p.node)->args;
                const number x = operand<traced>(*args[0], tf);
                const number step = operand<traced>(*args[1], tf);
                if (step.sign() <= 0) {
                    fail(*args[1], tr(msg::E301_rounding_step, fmt::arg("expr", written(*args[1])),
                                      fmt::arg("value", step.exact_string())));
                }
                const auto mode = static_cast<rounding_mode>(p.flag);
                return done<traced>(e, tf, arith(e, [&] { return x.round(step, mode); }));
            }
            case c_match: {
                const auto& m = *static_cast<const ast::match_expr*>(p.node);
                const std::uint32_t arm =
                    arm_tables_[p.index + enum_operand<traced>(*m.subject, tf)];
                note_choice<traced>(e, arm, tf);
                return done<traced>(
                    e, tf,
                    branch<traced>(arm == UINT32_MAX ? *m.else_value : *m.arms[arm].value, blame,
                                   tf));
            }
            default:
                break;
        }
        return generic_number(e, blame, tf);
    }

    // A bool-typed expression, likewise.
    template <bool traced>
    bool truth(const ast::expr& e, const ast::expr& blame, trace_frame* tf) {
        const plan_node& p = plan_[e.id];
        switch (p.code) {
            case c_bool_lit:
                return done<traced>(e, tf, p.flag != 0);
            case c_input:
            case c_row:
                if (const auto* b = std::get_if<bool>(&read(p).v)) {
                    if constexpr (traced) {
                        if (!own_row_operand(p)) {
                            tf->record(e.id, *b);
                        }
                    }
                    return *b;
                }
                break;
            case c_not:
                return done<traced>(e, tf, !truth<traced>(*p.a, *p.a, tf));
            case c_and:
                return done<traced>(e, tf,
                                    truth<traced>(*p.a, *p.a, tf) && truth<traced>(*p.b, *p.b, tf));
            case c_or:
                return done<traced>(e, tf,
                                    truth<traced>(*p.a, *p.a, tf) || truth<traced>(*p.b, *p.b, tf));
            case c_cmp: {
                const number l = operand<traced>(*p.a, tf);
                const number r = operand<traced>(*p.b, tf);
                const auto c = l <=> r;
                using op = ast::binary::op;
                switch (static_cast<op>(p.flag)) {
                    case op::eq:
                        return done<traced>(e, tf, c == 0);
                    case op::ne:
                        return done<traced>(e, tf, c != 0);
                    case op::lt:
                        return done<traced>(e, tf, c < 0);
                    case op::le:
                        return done<traced>(e, tf, c <= 0);
                    case op::gt:
                        return done<traced>(e, tf, c > 0);
                    default:
                        return done<traced>(e, tf, c >= 0);
                }
            }
            case c_if: {
                const auto& i = *static_cast<const ast::if_expr*>(p.node);
                const bool c = truth<traced>(*i.condition, *i.condition, tf);
                note_choice<traced>(e, c ? 0U : 1U, tf);
                return done<traced>(e, tf,
                                    truth<traced>(c ? *i.then_value : *i.else_value, blame, tf));
            }
            case c_aggregate:
                if (const auto* elements = aggregate_list<traced>(p, tf)) {
                    const auto& a = *static_cast<const ast::aggregate*>(p.node);
                    return done<traced>(e, tf, aggregate_loop<traced>(e, a, *elements, tf).b);
                }
                break;
            default:
                break;
        }
        return generic_bool(e, blame, tf);
    }

    static bool band_hit(ast::band::op how, std::strong_ordering c) {
        switch (how) {
            case ast::band::op::ge:
                return c >= 0;
            case ast::band::op::gt:
                return c > 0;
            case ast::band::op::le:
                return c <= 0;
            case ast::band::op::lt:
                return c < 0;
            case ast::band::op::eq:
                return c == 0;
        }
        return false;
    }

    // The arm of a match the (present) subject selects; UINT32_MAX for its else.
    std::uint32_t match_arm(const ast::match_expr& m, const rt_value& subject) const {
        const auto& members = reg_.ast->enums[reg_.types[m.subject->id].enum_index].members;
        for (std::uint32_t i = 0; i < m.arms.size(); ++i) {
            if (members[subject.e].name == m.arms[i].member) {
                return i;
            }
        }
        return UINT32_MAX;
    }

    // An expression as written, on one line (messages quote it).
    [[nodiscard]] std::string written(const ast::expr& x) const {
        return one_line(src_.slice(x.where));
    }

    [[noreturn]] void fail(const ast::expr& e, const std::string& message) {
        throw eval_error(e.where, message);
    }

    // Division by zero (E301). Says which submitted value made the divisor 0 when the divisor
    // reads it directly, so the error can point into the results files, and suggests the guard
    // in the regulation's own keywords (`nếu ... thì ... ngược lại` in a Vietnamese file).
    [[noreturn]] void fail_divisor_zero(const ast::expr& e, const ast::expr& divisor) {
        std::string shown = written(divisor);
        if (std::holds_alternative<ast::if_expr>(divisor.kind)
            || std::holds_alternative<ast::when_expr>(divisor.kind)
            || std::holds_alternative<ast::match_expr>(divisor.kind)) {
            shown = "(" + shown + ")";
        }
        // The guard is quoted in the keywords of the regulation file, whatever the language of
        // the messages (as the checker's messages quote them).
        const language lang = current_language();
        const auto from = lang == language::vi ? keywords::lang::vi : keywords::lang::en;
        const auto to = keywords::first_keyword_language(src_.text()).value_or(from);
        std::string guard(message_text(msg::E301_guard, lang));
        if (to != from) {
            guard = requote_keywords(guard, from, to, message_info(msg::E301_guard).en);
        }
        const std::string expr = written(e);
        const auto divisor_arg = fmt::arg("divisor", shown);
        const auto expr_arg = fmt::arg("expr", expr);
        std::string help = format_message(guard, fmt::make_format_args(divisor_arg, expr_arg));
        throw eval_error(e.where,
                         tr(msg::E301_divisor_zero, fmt::arg("divisor", written(divisor)),
                            fmt::arg("expr", written(e))),
                         divisor_cause(divisor, 0), std::move(help));
    }

    // The submitted value a zero divisor is read from, when it is one: an input, a field of the
    // current row of a list, count() or sum() over an empty list input, through lets.
    eval_cause divisor_cause(const ast::expr& divisor, int depth) const {
        eval_cause c;
        if (depth > 8) {
            return c;
        }
        const auto& ref = reg_.refs[divisor.id];
        if (std::holds_alternative<ast::name_ref>(divisor.kind)) {
            if (ref.what == resolution::kind::input) {
                c.what = eval_cause::kind::zero_input;
                c.input = ref.index;
            } else if (ref.what == resolution::kind::let && env != nullptr) {
                return divisor_cause(*env->body->lets[ref.index].value, depth + 1);
            }
            return c;
        }
        if (const auto* m = std::get_if<ast::member_ref>(&divisor.kind)) {
            const auto& var = reg_.refs[m->object->id];
            if (ref.what != resolution::kind::field || var.what != resolution::kind::loop_var
                || var.index >= loops.size()) {
                return c;
            }
            // The row is found by address among the unit's lists (the error path only).
            const record* row = loops[var.index];
            for (std::uint32_t i = 0; i < unit_.fields->size(); ++i) {
                const auto* l = std::get_if<list_value>(&(*unit_.fields)[i].v);
                if (l != nullptr && *l && !(*l)->empty() && row >= (*l)->data()
                    && row < (*l)->data() + (*l)->size()) {
                    c.what = eval_cause::kind::zero_row_field;
                    c.input = i;
                    c.record = static_cast<std::uint32_t>(row - (*l)->data());
                    c.field = ref.index;
                }
            }
            return c;
        }
        if (const auto* a = std::get_if<ast::aggregate>(&divisor.kind)) {
            const auto& list = reg_.refs[a->list->id];
            if ((a->what != ast::aggregate::kind::count && a->what != ast::aggregate::kind::sum)
                || list.what != resolution::kind::input) {
                return c;
            }
            const auto* l = std::get_if<list_value>(&(*unit_.fields)[list.index].v);
            if (l != nullptr && (!*l || (*l)->empty())) {
                c.what = eval_cause::kind::empty_list;
                c.input = list.index;
            }
        }
        return c;
    }

    void require_present(const rt_value& v, const ast::expr& e) {
        if (v.what == rt_value::tag::absent) {
            fail(e, tr(msg::E301_absent, fmt::arg("expr", written(e))));
        }
    }

    template <class F>
    number arith(const ast::expr& e, F&& f) {
        try {
            return f();
        } catch (const number_error& err) {
            if (err.which() == number_error::kind::division_by_zero) {
                fail(e, tr(msg::E301_division_by_zero, fmt::arg("expr", written(e))));
            }
            const ast::expr* ratio = first_division(e);
            fail(e, tr(msg::E301_too_large, fmt::arg("expr", written(e)),
                       fmt::arg("operation", err.operation()), fmt::arg("bits", number::max_bits),
                       fmt::arg("digits", number::max_digits),
                       fmt::arg("rounded",
                                fmt::format("round({}, 0.0001)", ratio ? written(*ratio) : "…"))));
        }
    }

    // The first division inside `e` with no division inside it, in source order: the ratio a
    // hint can show rounded in the regulation's own terms (`i.actual / i.target` rather than the
    // `min(i.actual / i.target, 1) / 40` around it).
    static const ast::expr* first_division(const ast::expr& e) {
        for (const ast::expr* c : ast::children(e)) {
            if (c != nullptr) {
                if (const ast::expr* d = first_division(*c)) {
                    return d;
                }
            }
        }
        const auto* b = std::get_if<ast::binary>(&e.kind);
        return b != nullptr && b->what == ast::binary::op::div ? &e : nullptr;
    }

    rt_value eval_node(const ast::expr& e, trace_frame* tf) {
        return std::visit(
            overloaded{
                [&](const ast::number_lit&) { return rt_value::of(*reg_.constants[e.id]); },
                [&](const ast::bool_lit& b) { return rt_value::of(b.value); },
                [&](const ast::string_lit& s) {
                    rt_value r;
                    r.what = rt_value::tag::text;
                    r.s = &s.value;
                    return r;
                },
                [&](const ast::date_lit& d) {
                    rt_value r;
                    r.what = rt_value::tag::date;
                    r.d = date{d.year, d.month, d.day}.serial();
                    return r;
                },
                [&](const ast::name_ref&) { return eval_name(e, tf); },
                [&](const ast::member_ref& m) {
                    const rt_value obj = eval(*m.object, tf);
                    return from_value((*obj.rec)[reg_.refs[e.id].index]);
                },
                [&](const ast::points_ref& p) { return eval_points(e, p); },
                [&](const ast::unary& u) {
                    if (u.what == ast::unary::op::not_) {
                        return rt_value::of(!eval_bool(*u.operand, tf));
                    }
                    const number v = eval_number(*u.operand, tf);
                    return rt_value::of(arith(e, [&] { return -v; }));
                },
                [&](const ast::binary& b) { return eval_binary(e, b, tf); },
                [&](const ast::call& c) { return eval_call(e, c, tf); },
                [&](const ast::aggregate& a) { return eval_aggregate(e, a, tf); },
                [&](const ast::if_expr& i) {
                    const bool c = eval_bool(*i.condition, tf);
                    if (tf != nullptr) {
                        tf->choices.emplace_back(e.id, c ? 0U : 1U);
                    }
                    return eval(c ? *i.then_value : *i.else_value, tf);
                },
                [&](const ast::when_expr& w) { return eval_when(e, w, tf); },
                [&](const ast::match_expr& m) { return eval_match(e, m, tf); },
                [&](const ast::presence& p) {
                    const rt_value v = eval(*p.operand, tf);
                    const bool absent = v.what == rt_value::tag::absent;
                    return rt_value::of(p.absent ? absent : !absent);
                },
            },
            e.kind);
    }

    rt_value eval_name(const ast::expr& e, trace_frame* tf) {
        const auto& ref = reg_.refs[e.id];
        switch (ref.what) {
            case resolution::kind::input:
                return from_value((*unit_.fields)[ref.index]);
            case resolution::kind::loop_var: {
                rt_value r;
                r.what = rt_value::tag::row;
                r.rec = loops[ref.index];
                return r;
            }
            case resolution::kind::enum_member: {
                rt_value r;
                r.what = rt_value::tag::enumeration;
                r.e = ref.index;
                return r;
            }
            case resolution::kind::let: {
                auto& slot = env->lets[ref.index];
                if (!slot) {
                    // Lets are evaluated on first use (so a guard in `points` protects them) and
                    // recorded in the body's own frame, whatever loop first needed them.
                    const loop_stack saved = loops;
                    loops.clear();
                    slot = eval(*env->body->lets[ref.index].value, env->root);
                    loops = saved;
                }
                (void)tf;
                return *slot;
            }
            default:
                fail(e, "internal error: unresolved name");
        }
    }

    rt_value eval_points(const ast::expr& e, const ast::points_ref& p) {
        const auto& ref = reg_.refs[e.id];
        switch (p.what) {
            case ast::points_ref::kind::total:
                return rt_value::of(out_.total);
            case ast::points_ref::kind::bonus:
                return rt_value::of(out_.bonus);
            case ast::points_ref::kind::deduction:
                return rt_value::of(out_.deduction);
            case ast::points_ref::kind::criterion:
                return rt_value::of(out_.criteria[ref.index].points);
            case ast::points_ref::kind::section:
                if (scored) {
                    return rt_value::of(out_.section_points[ref.index]);
                }
                return rt_value::of(section_so_far(ref.index));
        }
        return {};
    }

    // The points of a section while criteria are still being computed (order guarantees its
    // criteria are done).
    number section_so_far(std::uint32_t s) {
        number sum;
        for (std::size_t c = 0; c < reg_.criteria.size(); ++c) {
            if (reg_.criteria[c].section == s && out_.criteria[c].applicable) {
                sum += out_.criteria[c].points;
            }
        }
        return std::clamp(sum, number(0), reg_.section_max[s]);
    }

    rt_value eval_binary(const ast::expr& e, const ast::binary& b, trace_frame* tf) {
        using op = ast::binary::op;
        if (b.what == op::and_) {
            return rt_value::of(eval_bool(*b.lhs, tf) && eval_bool(*b.rhs, tf));
        }
        if (b.what == op::or_) {
            return rt_value::of(eval_bool(*b.lhs, tf) || eval_bool(*b.rhs, tf));
        }
        const rt_value l = eval(*b.lhs, tf);
        require_present(l, *b.lhs);
        const rt_value r = eval(*b.rhs, tf);
        require_present(r, *b.rhs);
        switch (b.what) {
            case op::add:
                if (l.what == rt_value::tag::date || r.what == rt_value::tag::date) {
                    return date_shift(e, l, r, 1);
                }
                return rt_value::of(arith(e, [&] { return l.n + r.n; }));
            case op::sub:
                if (l.what == rt_value::tag::date && r.what == rt_value::tag::date) {
                    return rt_value::of(number(l.d - r.d));
                }
                if (l.what == rt_value::tag::date) {
                    return date_shift(e, l, r, -1);
                }
                return rt_value::of(arith(e, [&] { return l.n - r.n; }));
            case op::mul:
                return rt_value::of(arith(e, [&] { return l.n * r.n; }));
            case op::div:
                if (r.n.is_zero()) {
                    fail_divisor_zero(e, *b.rhs);
                }
                return rt_value::of(arith(e, [&] { return l.n / r.n; }));
            case op::eq:
                return rt_value::of(compare(l, r) == 0);
            case op::ne:
                return rt_value::of(compare(l, r) != 0);
            case op::lt:
                return rt_value::of(compare(l, r) < 0);
            case op::le:
                return rt_value::of(compare(l, r) <= 0);
            case op::gt:
                return rt_value::of(compare(l, r) > 0);
            case op::ge:
                return rt_value::of(compare(l, r) >= 0);
            default:
                break;
        }
        fail(e, "internal error: unknown operator");
    }

    rt_value date_shift(const ast::expr& e, const rt_value& l, const rt_value& r, int sign) {
        const rt_value& d = l.what == rt_value::tag::date ? l : r;
        const rt_value& n = l.what == rt_value::tag::date ? r : l;
        if (!n.n.is_integer() || n.n.is_big() || n.n.numerator() > 1000000
            || n.n.numerator() < -1000000) {
            fail(e, tr(msg::E301_date_shift));
        }
        rt_value out = d;
        out.d = d.d + sign * static_cast<std::int64_t>(n.n.numerator());
        return out;
    }

    rt_value eval_call(const ast::expr& e, const ast::call& c, trace_frame* tf) {
        const auto fn = static_cast<builtin>(reg_.refs[e.id].index);
        switch (fn) {
            case builtin::min:
            case builtin::max: {
                rt_value best = eval(*c.args[0], tf);
                require_present(best, *c.args[0]);
                for (std::size_t i = 1; i < c.args.size(); ++i) {
                    const rt_value v = eval(*c.args[i], tf);
                    require_present(v, *c.args[i]);
                    const int cmp = compare(v, best);
                    if ((fn == builtin::min && cmp < 0) || (fn == builtin::max && cmp > 0)) {
                        best = v;
                    }
                }
                return best;
            }
            case builtin::floor:
                return rt_value::of(arith(e, [&] { return eval_number(*c.args[0], tf).floor(); }));
            case builtin::ceil:
                return rt_value::of(arith(e, [&] { return eval_number(*c.args[0], tf).ceil(); }));
            case builtin::abs:
                return rt_value::of(arith(e, [&] { return eval_number(*c.args[0], tf).abs(); }));
            case builtin::round: {
                const number x = eval_number(*c.args[0], tf);
                const number step = eval_number(*c.args[1], tf);
                if (step.sign() <= 0) {
                    fail(*c.args[1],
                         tr(msg::E301_rounding_step, fmt::arg("expr", written(*c.args[1])),
                            fmt::arg("value", step.exact_string())));
                }
                auto mode = rounding_mode::half_up;
                if (c.args.size() == 3) {
                    mode = static_cast<rounding_mode>(reg_.refs[c.args[2]->id].index);
                }
                return rt_value::of(arith(e, [&] { return x.round(step, mode); }));
            }
        }
        fail(e, "internal error: unknown function");
    }

    rt_value eval_aggregate(const ast::expr& e, const ast::aggregate& a, trace_frame* tf) {
        const rt_value lv = eval(*a.list, tf);
        require_present(lv, *a.list);
        return tf == nullptr ? aggregate_loop<false>(e, a, *lv.list, nullptr)
                             : aggregate_loop<true>(e, a, *lv.list, tf);
    }

    // The fast path's aggregate over a list input read in place (c_aggregate): the list's value is
    // recorded as the generic path records it, then the same loop. An absent list goes to the
    // generic path, which reports it.
    template <bool traced>
    const std::vector<record>* aggregate_list(const plan_node& p, trace_frame* tf) {
        const auto* l = std::get_if<list_value>(&(*unit_.fields)[p.index].v);
        if (l == nullptr) {
            return nullptr;
        }
        if constexpr (traced) {
            rt_value r;
            r.what = rt_value::tag::list;
            r.list = l->get();
            tf->record(p.a->id, r);
        }
        return l->get();
    }

    // An aggregate's loop over `elements` (its list, already evaluated and recorded).
    template <bool traced>
    rt_value aggregate_loop(const ast::expr& e, const ast::aggregate& a,
                            const std::vector<record>& elements, trace_frame* tf) {
        using k = ast::aggregate::kind;
        if (!a.variable.empty()) {
            // Each element's fields live in their own heap block, usually not in cache (a unit's
            // data is read once): asking for all of them up front overlaps those misses instead
            // of taking them one element at a time.
            for (const auto& el : elements) {
                __builtin_prefetch(el.data());
            }
        }
        // The loop record is named by its index in tf->loops, never held by reference across
        // the body: a `let` holding an aggregate, first evaluated inside this loop, records its
        // own loop in the body's frame, which may be this one, and that can move `tf->loops`.
        // (The sub-frames stay put: moving a loop moves its `frames` buffer, not the frames.)
        constexpr std::size_t no_loop = SIZE_MAX;
        std::size_t loop_index = no_loop;
        if (traced && !a.variable.empty()) {
            auto& l = tf->reuse_loop(e.id);
            l.elements.reserve(elements.size());
            l.frames.reserve(elements.size());
            loop_index = tf->loops.size() - 1;
        }
        number sum;
        std::uint32_t count = 0;
        bool all = true;
        bool any = false;
        std::optional<number> extreme;
        for (std::uint32_t i = 0; i < elements.size(); ++i) {
            if (a.variable.empty()) {
                ++count;
                continue;
            }
            trace_frame* sub = nullptr;
            if (traced) {
                auto& l = tf->loops[loop_index];
                l.elements.push_back(i);
                sub = &tf->frame_at(l, l.elements.size() - 1);
                sub->row = &elements[i];
                sub->row_depth = static_cast<std::uint32_t>(loops.size());
            }
            loops.push_back(&elements[i]);
            bool selected = true;
            if (a.where) {
                selected = truth<traced>(*a.where, *a.where, sub);
            }
            if (selected) {
                ++count;
                switch (a.what) {
                    case k::count:
                        break;
                    case k::sum: {
                        const number v = num<traced>(*a.body, *a.body, sub);
                        sum = arith(e, [&] { return sum + v; });
                        break;
                    }
                    case k::all:
                        all = all && truth<traced>(*a.body, *a.body, sub);
                        break;
                    case k::any:
                        any = any || truth<traced>(*a.body, *a.body, sub);
                        break;
                    case k::min:
                    case k::max: {
                        const number v = num<traced>(*a.body, *a.body, sub);
                        if (!extreme || (a.what == k::min ? v < *extreme : *extreme < v)) {
                            extreme = v;
                        }
                        break;
                    }
                }
            }
            loops.pop_back();
        }
        if (traced && loop_index != no_loop) {
            auto& l = tf->loops[loop_index];
            tf->end_loop(l, l.elements.size());
        }
        switch (a.what) {
            case k::count:
                return rt_value::of(number(count));
            case k::sum:
                return rt_value::of(sum);
            case k::all:
                return rt_value::of(all);
            case k::any:
                return rt_value::of(any);
            case k::min:
            case k::max:
                if (!extreme) {
                    fail(e, tr(msg::E301_empty_extreme, fmt::arg("list", written(*a.list)),
                               fmt::arg("function", a.what == k::min ? "min" : "max")));
                }
                return rt_value::of(*extreme);
        }
        return {};
    }

    rt_value eval_when(const ast::expr& e, const ast::when_expr& w, trace_frame* tf) {
        const rt_value subject = eval(*w.subject, tf);
        require_present(subject, *w.subject);
        for (std::uint32_t i = 0; i < w.bands.size(); ++i) {
            const auto& band = w.bands[i];
            const rt_value bound = eval(*band.bound, tf);
            require_present(bound, *band.bound);
            const int c = compare(subject, bound);
            bool hit = false;
            switch (band.compare) {
                case ast::band::op::ge:
                    hit = c >= 0;
                    break;
                case ast::band::op::gt:
                    hit = c > 0;
                    break;
                case ast::band::op::le:
                    hit = c <= 0;
                    break;
                case ast::band::op::lt:
                    hit = c < 0;
                    break;
                case ast::band::op::eq:
                    hit = c == 0;
                    break;
            }
            if (hit) {
                if (tf != nullptr) {
                    tf->choices.emplace_back(e.id, i);
                }
                return eval(*band.value, tf);
            }
        }
        if (!w.else_value) {
            fail(e, tr(msg::E301_no_band));
        }
        if (tf != nullptr) {
            tf->choices.emplace_back(e.id, UINT32_MAX);
        }
        return eval(*w.else_value, tf);
    }

    rt_value eval_match(const ast::expr& e, const ast::match_expr& m, trace_frame* tf) {
        const rt_value subject = eval(*m.subject, tf);
        require_present(subject, *m.subject);
        const auto& members = reg_.ast->enums[reg_.types[m.subject->id].enum_index].members;
        for (std::uint32_t i = 0; i < m.arms.size(); ++i) {
            if (members[subject.e].name == m.arms[i].member) {
                if (tf != nullptr) {
                    tf->choices.emplace_back(e.id, i);
                }
                return eval(*m.arms[i].value, tf);
            }
        }
        if (tf != nullptr) {
            tf->choices.emplace_back(e.id, UINT32_MAX);
        }
        return eval(*m.else_value, tf);
    }

    const checked_regulation& reg_;
    const plan_node* plan_;
    const std::uint32_t* arm_tables_;
    const unit_input& unit_;
    scored_unit& out_;
    const source_file& src_;
};

std::optional<number> step_of(const ast::number_lit& lit) {
    return number::parse(lit.text);
}

number clamp_points(const number& v, const std::optional<number>& max) {
    number r = v.sign() < 0 ? number(0) : v;
    if (max && *max < r) {
        r = *max;
    }
    return r;
}

}  // namespace

namespace {

// A number too large for an entry's inline parts (rare), out of line for the same reason.
[[gnu::noinline]] void record_big(std::vector<trace_frame::entry>& values,
                                  std::vector<number>& big_numbers, ast::node_id id,
                                  const number& n) {
    trace_frame::entry& en = values.emplace_back();
    en.id = id;
    en.what = rt_value::tag::number;
    en.big = true;
    en.word = big_numbers.size();
    big_numbers.push_back(n);
}

}  // namespace

void trace_frame::record(ast::node_id id, const number& n) {
    // The two words of the number (number::raw()): a small value's parts, or a big value's
    // sign and handle, which always fit here.
    const auto [num, den] = n.raw();
    if (num >= INT64_MIN && num <= INT64_MAX && den <= INT64_MAX) [[likely]] {
        if (!has_room(values)) [[unlikely]] {
            grow_values(values);  // then records as below: no state held across the call
            return record(id, n);
        }
        entry& en = append(values);
        en.id = id;
        en.what = rt_value::tag::number;
        en.num = static_cast<std::int64_t>(num);
        en.den = static_cast<std::int64_t>(den);
        return;
    }
    record_big(values, big_numbers, id, n);
}

void trace_frame::record(ast::node_id id, bool b) {
    if (!has_room(values)) [[unlikely]] {
        grow_values(values);
        return record(id, b);
    }
    entry& en = append(values);
    en.id = id;
    en.what = rt_value::tag::boolean;
    en.b = b;
}

void trace_frame::record(ast::node_id id, const rt_value& v) {
    if (v.what == rt_value::tag::number) {
        record(id, v.n);
        return;
    }
    if (v.what == rt_value::tag::row) {
        // A loop variable's row: nothing an explanation shows (it shows the fields read, which
        // are recorded, and the element's position, which the loop record holds), and recording
        // it was a sixth of a traced unit's entries.
        return;
    }
    if (!has_room(values)) [[unlikely]] {
        grow_values(values);
        return record(id, v);
    }
    entry& en = append(values);
    en.id = id;
    en.what = v.what;
    switch (v.what) {
        case rt_value::tag::absent:
        case rt_value::tag::number:
            break;
        case rt_value::tag::boolean:
            en.b = v.b;
            break;
        case rt_value::tag::date:
            en.d = v.d;
            break;
        case rt_value::tag::text:
            en.s = v.s;
            break;
        case rt_value::tag::enumeration:
            en.word = v.e;
            break;
        case rt_value::tag::list:
            en.list = v.list;
            break;
        case rt_value::tag::row:
            en.rec = v.rec;
            break;
    }
}

std::pair<ast::node_id, rt_value> trace_frame::value_at(std::size_t i) const {
    const entry& en = values[i];
    rt_value v;
    v.what = en.what;
    switch (en.what) {
        case rt_value::tag::absent:
            break;
        case rt_value::tag::boolean:
            v.b = en.b;
            break;
        case rt_value::tag::number:
            v.n = en.big ? big_numbers[en.word] : number::from_raw(en.num, en.den);
            break;
        case rt_value::tag::date:
            v.d = en.d;
            break;
        case rt_value::tag::text:
            v.s = en.s;
            break;
        case rt_value::tag::enumeration:
            v.e = static_cast<std::uint32_t>(en.word);
            break;
        case rt_value::tag::list:
            v.list = en.list;
            break;
        case rt_value::tag::row:
            v.rec = en.rec;
            break;
    }
    return {en.id, v};
}

found_value trace_frame::find(ast::node_id id) const {
    // The last value recorded for an id is the one that counted.
    for (std::size_t i = values.size(); i-- > 0;) {
        if (values[i].id == id) {
            return found_value(value_at(i).second);
        }
    }
    return {};
}

void trace_frame::clear_loops() {
    // Each loop goes to the spare pool whole, its sub-frames cleared but kept in place: moving
    // them one by one into a pool (and back for the next unit) cost more than evaluating them.
    // (Last loop first: reuse_loop() takes from the back, so the next unit's first aggregate
    // gets this unit's first loop, with as many sub-frames as it needs when the lists match.)
    for (auto it = loops.rbegin(); it != loops.rend(); ++it) {
        for (auto& f : it->frames) {
            f.clear();
        }
        it->elements.clear();
        spare_loops_.push_back(std::move(*it));
    }
    loops.clear();
}

trace_frame::loop& trace_frame::reuse_loop(ast::node_id aggregate) {
    if (spare_loops_.empty()) {
        loops.emplace_back();
    } else {
        loops.push_back(std::move(spare_loops_.back()));
        spare_loops_.pop_back();
    }
    loops.back().aggregate = aggregate;
    return loops.back();
}

trace_frame& trace_frame::frame_at(loop& l, std::size_t i) {
    if (i < l.frames.size()) {
        return l.frames[i];  // cleared by clear()
    }
    return add_frame(l);
}

void trace_frame::end_loop(loop& l, std::size_t used) {
    while (l.frames.size() > used) {
        spare_frames_.push_back(std::move(l.frames.back()));
        l.frames.pop_back();
    }
}

trace_frame::loop& trace_frame::add_loop(ast::node_id aggregate) {
    loop& l = reuse_loop(aggregate);
    end_loop(l, 0);
    return l;
}

trace_frame& trace_frame::add_frame(loop& l) {
    if (spare_frames_.empty()) {
        l.frames.emplace_back();
    } else {
        l.frames.push_back(std::move(spare_frames_.back()));
        spare_frames_.pop_back();
    }
    return l.frames.back();
}

std::optional<std::uint32_t> trace_frame::choice(ast::node_id id) const {
    for (auto it = choices.rbegin(); it != choices.rend(); ++it) {
        if (it->first == id) {
            return it->second;
        }
    }
    return std::nullopt;
}

const trace_frame::loop* trace_frame::find_loop(ast::node_id id) const {
    for (const auto& l : loops) {
        if (l.aggregate == id) {
            return &l;
        }
    }
    return nullptr;
}

evaluator::evaluator(const checked_regulation& reg, bool compiled) : reg_(reg) {
    if (const auto& ss = reg.ast->self_score) {
        for (std::size_t i = 0; i < reg.ast->inputs.size(); ++i) {
            if (reg.ast->inputs[i].name == ss->field) {
                self_score_input_ = i;
            }
        }
        self_score_tolerance_ = number::parse(ss->tolerance.text);
    }
    for (const auto& r : reg.ast->rounding) {
        const auto step = step_of(r.step);
        const auto mode = static_cast<rounding_mode>(r.how);
        switch (r.at) {
            case ast::rounding_rule::target::criterion:
                criterion_step_ = step;
                criterion_mode_ = mode;
                break;
            case ast::rounding_rule::target::section:
                section_step_ = step;
                section_mode_ = mode;
                break;
            case ast::rounding_rule::target::bonus:
                bonus_step_ = step;
                bonus_mode_ = mode;
                break;
            case ast::rounding_rule::target::deduction:
                deduction_step_ = step;
                deduction_mode_ = mode;
                break;
            case ast::rounding_rule::target::total:
                total_step_ = step;
                total_mode_ = mode;
                break;
        }
    }
    // Every expression the scoring can evaluate is compiled once, here (code c_generic, the
    // default, sends an expression to the generic path).
    plan_.resize(reg.types.size());
    if (compiled) {
        auto compile_body = [&](const ast::scoring_body& body) {
            for (const auto& l : body.lets) {
                compile(*l.value);
            }
            compile(*body.points);
        };
        for (const auto& c : reg.criteria) {
            if (c.node->applies_when) {
                compile(*c.node->applies_when);
            }
            compile_body(c.node->body);
        }
        for (const auto& i : reg.items) {
            compile_body(i.node->body);
        }
        for (const auto& ko : reg.ast->knockouts) {
            compile(*ko.condition);
        }
        if (const auto& ranking = reg.ast->ranking) {
            for (const auto& k : ranking->keys) {
                compile(*k.key);
            }
            for (const auto& k : ranking->first_place_keys) {
                compile(*k.key);
            }
        }
        for (const auto& aw : reg.ast->awards) {
            for (const auto& q : aw.requirements) {
                compile(*q.condition);
            }
        }
    }
}

void evaluator::compile(const ast::expr& e) {
    auto number_typed = [&](const ast::expr& x) {
        return reg_.types[x.id].what == type::kind::number;
    };
    plan_node p;
    std::visit(overloaded{
                   [&](const ast::number_lit&) {
                       if (const auto& k = reg_.constants[e.id]) {
                           p.code = c_lit;
                           p.k = &*k;
                       }
                   },
                   [&](const ast::bool_lit& b) {
                       p.code = c_bool_lit;
                       p.flag = b.value ? 1 : 0;
                   },
                   [&](const ast::string_lit&) {},
                   [&](const ast::date_lit&) {},
                   [&](const ast::name_ref&) {
                       const auto& ref = reg_.refs[e.id];
                       if (ref.what == resolution::kind::input) {
                           p.code = c_input;
                           p.index = ref.index;
                       }
                   },
                   [&](const ast::member_ref& m) {
                       compile(*m.object);
                       if (std::holds_alternative<ast::name_ref>(m.object->kind)
                           && reg_.refs[m.object->id].what == resolution::kind::loop_var) {
                           p.code = c_row;
                           p.flag = row_operand_depth(reg_, e) ? 1 : 0;
                           p.depth = reg_.refs[m.object->id].index;
                           p.index = reg_.refs[e.id].index;
                           p.a = m.object.get();
                       }
                   },
                   [&](const ast::points_ref& r) {
                       p.code = c_points;
                       p.node = &r;
                   },
                   [&](const ast::unary& u) {
                       compile(*u.operand);
                       p.code = u.what == ast::unary::op::not_ ? c_not : c_neg;
                       p.a = u.operand.get();
                   },
                   [&](const ast::binary& b) {
                       compile(*b.lhs);
                       compile(*b.rhs);
                       p.a = b.lhs.get();
                       p.b = b.rhs.get();
                       using op = ast::binary::op;
                       const bool numbers = number_typed(*b.lhs) && number_typed(*b.rhs);
                       switch (b.what) {
                           case op::add:
                               p.code = numbers ? c_add : c_generic;
                               break;
                           case op::sub:
                               p.code = numbers ? c_sub : c_generic;
                               break;
                           case op::mul:
                               p.code = numbers ? c_mul : c_generic;
                               break;
                           case op::div:
                               p.code = numbers ? c_div : c_generic;
                               break;
                           case op::and_:
                               p.code = c_and;
                               break;
                           case op::or_:
                               p.code = c_or;
                               break;
                           default:  // a comparison
                               p.code = numbers ? c_cmp : c_generic;
                               p.flag = static_cast<std::uint8_t>(b.what);
                               break;
                       }
                   },
                   [&](const ast::call& c) {
                       for (const auto& a : c.args) {
                           compile(*a);
                       }
                       p.a = c.args[0].get();
                       switch (static_cast<builtin>(reg_.refs[e.id].index)) {
                           case builtin::min:
                               p.code = number_typed(e) ? c_min : c_generic;
                               break;
                           case builtin::max:
                               p.code = number_typed(e) ? c_max : c_generic;
                               break;
                           case builtin::floor:
                               p.code = c_floor;
                               break;
                           case builtin::ceil:
                               p.code = c_ceil;
                               break;
                           case builtin::abs:
                               p.code = c_abs;
                               break;
                           case builtin::round:
                               // The mode is a name resolved by the checker, never evaluated.
                               p.code = c_round;
                               p.flag = static_cast<std::uint8_t>(
                                   c.args.size() == 3
                                       ? reg_.refs[c.args[2]->id].index
                                       : static_cast<std::uint32_t>(rounding_mode::half_up));
                               break;
                       }
                       p.node = &c;
                   },
                   [&](const ast::aggregate& a) {
                       compile(*a.list);
                       if (a.where) {
                           compile(*a.where);
                       }
                       if (a.body) {
                           compile(*a.body);
                       }
                       if (const auto& list = plan_[a.list->id]; list.code == c_input) {
                           p.code = c_aggregate;
                           p.node = &a;
                           p.index = list.index;
                           p.a = a.list.get();
                       }
                   },
                   [&](const ast::if_expr& i) {
                       compile(*i.condition);
                       compile(*i.then_value);
                       compile(*i.else_value);
                       p.code = c_if;
                       p.node = &i;
                   },
                   [&](const ast::when_expr& w) {
                       compile(*w.subject);
                       for (const auto& band : w.bands) {
                           compile(*band.bound);
                           compile(*band.value);
                       }
                       if (w.else_value) {
                           compile(*w.else_value);
                       }
                       if (number_typed(*w.subject)) {
                           p.code = c_when;
                           p.node = &w;
                       }
                   },
                   [&](const ast::match_expr& m) {
                       compile(*m.subject);
                       for (const auto& arm : m.arms) {
                           compile(*arm.value);
                       }
                       if (m.else_value) {
                           compile(*m.else_value);
                       }
                       const auto& t = reg_.types[m.subject->id];
                       if (t.what != type::kind::enumeration) {
                           return;
                       }
                       // The arm each member selects: the first arm naming it, else UINT32_MAX.
                       p.code = c_match;
                       p.node = &m;
                       p.index = static_cast<std::uint32_t>(arm_tables_.size());
                       for (const auto& member : reg_.ast->enums[t.enum_index].members) {
                           std::uint32_t arm = UINT32_MAX;
                           for (std::uint32_t i = 0; i < m.arms.size() && arm == UINT32_MAX; ++i) {
                               if (m.arms[i].member == member.name) {
                                   arm = i;
                               }
                           }
                           arm_tables_.push_back(arm);
                       }
                   },
                   [&](const ast::presence& pr) { compile(*pr.operand); },
               },
               e.kind);
    plan_[e.id] = p;
}

scored_unit evaluator::score(const unit_input& unit, bool trace) const {
    scored_unit out;
    score_into(unit, trace, out);
    return out;
}

namespace {
const trace_frame no_trace{};
}  // namespace

const trace_frame& scored_unit::criterion_trace(std::size_t c) const {
    return c < criterion_traces.size() ? criterion_traces[c] : no_trace;
}

const trace_frame& scored_unit::item_trace(std::size_t i) const {
    return i < item_traces.size() ? item_traces[i] : no_trace;
}

void evaluator::score_into(const unit_input& unit, bool trace, scored_unit& out) const {
    const auto& ast = *reg_.ast;
    // Back to the state of a fresh scored_unit, keeping every buffer's capacity.
    out.excluded = false;
    out.exclude_reasons.clear();
    out.ineligible = false;
    out.ineligible_reasons.clear();
    out.section_raw.clear();
    out.section_points.clear();
    out.section_applicable_max.clear();
    out.group_raw.clear();
    out.group_points.clear();
    out.bonus = number(0);
    out.deduction = number(0);
    out.total_raw = number(0);
    out.total = number(0);
    out.self_score.reset();
    out.self_difference.reset();
    out.self_flagged = false;
    out.keys.clear();
    out.first_place_keys.clear();
    run r(reg_, plan_.data(), arm_tables_.data(), unit, out);

    // 1. Exclusions are decided before scoring; an excluded unit is not scored.
    if (trace) {
        out.knockout_traces.resize(ast.knockouts.size());
        for (auto& f : out.knockout_traces) {
            f.clear();
        }
    } else {
        out.knockout_traces.clear();
    }
    for (std::uint32_t k = 0; k < ast.knockouts.size(); ++k) {
        const auto& ko = ast.knockouts[k];
        if (ko.what != ast::knockout::kind::exclude) {
            continue;
        }
        if (r.eval_bool(*ko.condition, trace ? &out.knockout_traces[k] : nullptr)) {
            out.excluded = true;
            out.exclude_reasons.push_back(k);
        }
    }
    if (out.excluded) {
        out.criteria.clear();
        out.items.clear();
        out.criterion_traces.clear();
        out.item_traces.clear();
        out.requirements.clear();
        out.requirement_traces.clear();
        out.key_traces.clear();
        return;
    }

    // 2. Criteria and items, dependencies first.
    out.criteria.resize(reg_.criteria.size());
    for (auto& c : out.criteria) {
        c.applicable = true;
        c.raw = number(0);
        c.points = number(0);
    }
    out.items.resize(reg_.items.size());
    for (auto& i : out.items) {
        i.raw = number(0);
        i.points = number(0);
    }
    if (trace) {
        out.criterion_traces.resize(reg_.criteria.size());
        out.item_traces.resize(reg_.items.size());
        for (auto& f : out.criterion_traces) {
            f.clear();
        }
        for (auto& f : out.item_traces) {
            f.clear();
        }
    } else {
        out.criterion_traces.clear();
        out.item_traces.clear();
    }
    auto round_if = [](number v, const std::optional<number>& step, rounding_mode mode) {
        return step ? v.round(*step, mode) : v;
    };
    auto score_body = [&](const ast::scoring_body& body, trace_frame* tf) {
        body_env env;
        env.body = &body;
        env.lets.resize(body.lets.size());
        env.root = tf;
        r.env = &env;
        const number v = r.eval_number(*body.points, tf);
        r.env = nullptr;
        return v;
    };
    for (const auto& node : reg_.order) {
        if (node.what == scoring_node::kind::criterion) {
            const auto& cref = reg_.criteria[node.index];
            auto& sc = out.criteria[node.index];
            trace_frame* tf = trace ? &out.criterion_traces[node.index] : nullptr;
            if (cref.node->applies_when && !r.eval_bool(*cref.node->applies_when, tf)) {
                sc.applicable = false;
                continue;
            }
            sc.raw = score_body(cref.node->body, tf);
            sc.points = round_if(clamp_points(sc.raw, cref.max), criterion_step_, criterion_mode_);
        } else {
            const auto& iref = reg_.items[node.index];
            auto& si = out.items[node.index];
            si.raw = score_body(iref.node->body, trace ? &out.item_traces[node.index] : nullptr);
            si.points = round_if(clamp_points(si.raw, iref.max), criterion_step_, criterion_mode_);
        }
    }

    // 3. Sections, groups, total.
    const auto ns = ast.sections.size();
    out.section_raw.assign(ns, number(0));
    out.section_points.assign(ns, number(0));
    out.section_applicable_max.assign(ns, number(0));
    for (std::size_t c = 0; c < reg_.criteria.size(); ++c) {
        if (out.criteria[c].applicable) {
            const auto s = reg_.criteria[c].section;
            out.section_raw[s] += out.criteria[c].points;
            out.section_applicable_max[s] += reg_.criteria[c].max;
        }
    }
    number sections_sum;
    for (std::size_t s = 0; s < ns; ++s) {
        if (ast.sections[s].combine == ast::section::combine_mode::rescaled) {
            // Re-scaling over no applicable criterion has no meaning; it is never a silent 0.
            if (out.section_applicable_max[s].is_zero()) {
                throw eval_error(
                    ast.sections[s].id_span,
                    tr(msg::E301_rescaled_none, fmt::arg("section", ast.sections[s].id),
                       fmt::arg("max", reg_.section_max[s].exact_string())));
            }
            out.section_raw[s] =
                out.section_raw[s] * reg_.section_max[s] / out.section_applicable_max[s];
        }
        out.section_points[s] = round_if(clamp_points(out.section_raw[s], reg_.section_max[s]),
                                         section_step_, section_mode_);
        sections_sum += out.section_points[s];
    }
    out.group_raw.assign(ast.groups.size(), number(0));
    out.group_points.assign(ast.groups.size(), number(0));
    for (std::size_t i = 0; i < reg_.items.size(); ++i) {
        out.group_raw[reg_.items[i].group] += out.items[i].points;
    }
    for (std::size_t g = 0; g < ast.groups.size(); ++g) {
        const bool is_bonus = ast.groups[g].what == ast::group::kind::bonus;
        out.group_points[g] = round_if(clamp_points(out.group_raw[g], reg_.group_max[g]),
                                       is_bonus ? bonus_step_ : deduction_step_,
                                       is_bonus ? bonus_mode_ : deduction_mode_);
        (is_bonus ? out.bonus : out.deduction) += out.group_points[g];
    }
    out.total_raw = sections_sum + out.bonus - out.deduction;
    out.total = round_if(clamp_points(out.total_raw, std::nullopt), total_step_, total_mode_);
    r.scored = true;

    // 4. Ineligibility, self-score, ranking keys, award requirements.
    for (std::uint32_t k = 0; k < ast.knockouts.size(); ++k) {
        const auto& ko = ast.knockouts[k];
        if (ko.what != ast::knockout::kind::ineligible) {
            continue;
        }
        if (r.eval_bool(*ko.condition, trace ? &out.knockout_traces[k] : nullptr)) {
            out.ineligible = true;
            out.ineligible_reasons.push_back(k);
        }
    }
    if (self_score_input_) {
        const auto& v = (*unit.fields)[*self_score_input_];
        if (const auto* n = std::get_if<number>(&v.v)) {
            out.self_score = *n;
            out.self_difference = *n - out.total;
            out.self_flagged = *self_score_tolerance_ < out.self_difference->abs();
        }
    }
    if (ast.ranking) {
        const auto& keys = ast.ranking->keys;
        const auto& first = ast.ranking->first_place_keys;
        if (trace) {
            out.key_traces.resize(keys.size() + first.size());
            for (auto& f : out.key_traces) {
                f.clear();
            }
        } else {
            out.key_traces.clear();
        }
        auto key_frame = [&](std::size_t i) { return trace ? &out.key_traces[i] : nullptr; };
        for (std::size_t k = 0; k < keys.size(); ++k) {
            out.keys.push_back(r.eval_number(*keys[k].key, key_frame(k)));
        }
        for (std::size_t k = 0; k < first.size(); ++k) {
            out.first_place_keys.push_back(
                r.eval_number(*first[k].key, key_frame(keys.size() + k)));
        }
    } else {
        out.key_traces.clear();
        out.keys.push_back(out.total);
    }
    out.requirements.resize(ast.awards.size());
    if (trace) {
        out.requirement_traces.resize(ast.awards.size());
    } else {
        out.requirement_traces.clear();
    }
    for (std::size_t a = 0; a < ast.awards.size(); ++a) {
        const auto& aw = ast.awards[a];
        out.requirements[a].clear();
        if (trace) {
            out.requirement_traces[a].resize(aw.requirements.size());
            for (auto& f : out.requirement_traces[a]) {
                f.clear();
            }
        }
        for (std::size_t q = 0; q < aw.requirements.size(); ++q) {
            out.requirements[a].push_back(r.eval_bool(
                *aw.requirements[q].condition, trace ? &out.requirement_traces[a][q] : nullptr));
        }
    }
}

found_value trace_value(const checked_regulation& reg, const trace_frame& frame,
                        const ast::expr& e) {
    if (std::holds_alternative<ast::number_lit>(e.kind)) {
        if (const auto& k = reg.constants[e.id]) {
            return found_value(rt_value::of(*k));
        }
    }
    if (frame.row != nullptr) {
        if (const auto depth = row_operand_depth(reg, e); depth && *depth == frame.row_depth) {
            // Not recorded (trace_frame::row): evaluated exactly when its operator was.
            if (frame.find(reg.strict_parent[e.id]) == nullptr) {
                return {};
            }
            return found_value(from_value((*frame.row)[reg.refs[e.id].index]));
        }
    }
    return frame.find(e.id);
}

std::string format_value(const checked_regulation& reg, const rt_value& v, ast::node_id typed_as) {
    switch (v.what) {
        case rt_value::tag::absent:
            return "(" + std::string(keyword_text(keywords::kw::absent)) + ")";
        case rt_value::tag::boolean:
            return std::string(keyword_text(v.b ? keywords::kw::true_ : keywords::kw::false_));
        case rt_value::tag::number:
            return v.n.display(0, 4);
        case rt_value::tag::date: {
            // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
            std::int64_t z = v.d + 719468;
            const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
            const std::int64_t doe = z - era * 146097;
            const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            const std::int64_t mp = (5 * doy + 2) / 153;
            const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
            const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
            const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
            return fmt::format("{:04}-{:02}-{:02}", y, m, d);
        }
        case rt_value::tag::text:
            return fmt::format("\"{}\"", *v.s);
        case rt_value::tag::enumeration: {
            const auto& t = reg.types[typed_as];
            if (t.what == type::kind::enumeration) {
                return reg.ast->enums[t.enum_index].members[v.e].name;
            }
            return fmt::format("#{}", v.e);
        }
        case rt_value::tag::list:
            return fmt::format("({} rows)", v.list->size());
        case rt_value::tag::row:
            return "(row)";
    }
    return "?";
}

std::vector<diagnostic_note> eval_error_notes(const checked_regulation& reg, const eval_error& e,
                                              const unit_data& u) {
    std::vector<diagnostic_note> notes;
    const auto& c = e.cause();
    const auto& inputs = reg.ast->inputs;
    const auto file_name = [](const source_ptr& f) {
        const auto& p = f->path();
        const auto slash = p.find_last_of("/\\");
        return slash == std::string::npos ? p : p.substr(slash + 1);
    };
    const origin* at = nullptr;
    std::string message;
    if (c.what != eval_cause::kind::none && c.input < u.field_origins.size()
        && c.input < inputs.size()) {
        const auto& input = inputs[c.input];
        switch (c.what) {
            case eval_cause::kind::zero_input:
                at = &u.field_origins[c.input];
                message = tr(msg::E301_input_zero, fmt::arg("field", input.name),
                             fmt::arg("unit", u.name));
                break;
            case eval_cause::kind::empty_list:
                at = &u.field_origins[c.input];
                if (at->file && at->file != u.file) {
                    // A list file of its own (CSV): its header, since the unit has no row there.
                    message =
                        tr(msg::E301_no_rows, fmt::arg("unit", u.name),
                           fmt::arg("file", file_name(at->file)), fmt::arg("list", input.name));
                } else {
                    message = tr(msg::E301_empty_list, fmt::arg("unit", u.name),
                                 fmt::arg("list", input.name));
                }
                break;
            case eval_cause::kind::zero_row_field:
                if (c.input < u.list_origins.size() && c.record < u.list_origins[c.input].size()
                    && c.field < u.list_origins[c.input][c.record].fields.size()
                    && c.field < input.type.fields.size()) {
                    at = &u.list_origins[c.input][c.record].fields[c.field];
                    message =
                        tr(msg::E301_row_field_zero,
                           fmt::arg("field", input.name + "." + input.type.fields[c.field].name),
                           fmt::arg("unit", u.name));
                }
                break;
            case eval_cause::kind::none:
                break;
        }
    }
    if (at != nullptr && at->file) {
        notes.push_back({at->file, at->where, std::move(message)});
    } else if (u.file) {
        notes.push_back({u.file, u.name_span, tr(msg::E301_unit_here, fmt::arg("unit", u.name))});
    }
    if (!e.help().empty()) {
        notes.push_back({nullptr, {}, e.help()});
    }
    return notes;
}

}  // namespace thidua
