#include "engine/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <utility>

#include "dsl/ast_dump.hpp"
#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "engine/board_text.hpp"
#include "engine/explain.hpp"

namespace thidua {

namespace {

// A number the regulation writes (a maximum, a step, a limit), in a sentence for people: with the
// decimal mark of the messages (`6 → 6,5` in Vietnamese).
std::string lit_text(const ast::number_lit& n) {
    return decimal(number_text(n));
}

using kind = rule_change::kind;

// ---------------------------------------------------------------------------------------------
// Text of the regulations.

// One side of the comparison: a checked regulation and how to quote and locate its parts.
struct side {
    const checked_regulation& reg;
    const ast::regulation& ast;

    explicit side(const checked_regulation& r) : reg(r), ast(*r.ast) {}
    [[nodiscard]] std::string text(span s) const { return one_line(ast.file->slice(s)); }
    [[nodiscard]] std::string text(const ast::expr* e) const {
        return e ? text(e->where) : tr(msg::diff_none_paren);
    }
    [[nodiscard]] std::string position(span s) const { return rule_position(ast, s); }
};

std::string quoted(const std::string& label) {
    return fmt::format("\"{}\"", label);
}

std::string group_subject(const ast::group& g) {
    return fmt::format("{} {}", g.what == ast::group::kind::bonus ? "bonus" : "deduction",
                       quoted(g.label));
}
std::string item_subject(const ast::group_item& it) {
    return "item " + quoted(it.label);
}
std::string knockout_subject(const ast::knockout& k) {
    return fmt::format("{} {}", k.what == ast::knockout::kind::exclude ? "exclude" : "ineligible",
                       quoted(k.label));
}
// An award tier as the board reads it: its label, quoted; its id when it has no label.
std::string tier_name(const ast::award& a) {
    return a.label.empty() ? a.id : quoted(a.label);
}
// The same, unquoted, at the head of a sentence about it ("Cờ thi đua của UBND tỉnh: not
// given: ..."), as the score table's award column and explanations name it.
std::string tier_label(const ast::award& a) {
    return a.label.empty() ? a.id : a.label;
}
const char* rounding_target_name(ast::rounding_rule::target t) {
    static constexpr const char* names[] = {"criterion", "section", "bonus", "deduction", "total"};
    return names[static_cast<int>(t)];
}

// The words of the report in the language of the messages. Subjects (`criterion I.1`) and aspects
// are identifiers (they match causes to changes and are the JSON's values): only their display
// is translated, by the leading word.
std::string target_text(ast::rounding_rule::target t) {
    static constexpr msg names[] = {msg::amend_word_criterion, msg::amend_word_section,
                                    msg::amend_word_bonus, msg::amend_word_deduction,
                                    msg::diff_word_total};
    return tr(names[static_cast<int>(t)]);
}
std::string mode_text(ast::rounding_rule::mode m) {
    static constexpr msg names[] = {msg::diff_mode_half_up, msg::diff_mode_half_even,
                                    msg::diff_mode_down, msg::diff_mode_up};
    return tr(names[static_cast<int>(m)]);
}
std::string aspect_text(std::string_view aspect) {
    static constexpr std::pair<std::string_view, msg> words[] = {
        {"scale", msg::amend_word_scale},
        {"maximum", msg::diff_aspect_maximum},
        {"cite", msg::diff_aspect_cite},
        {"tolerance", msg::diff_aspect_tolerance},
        {"range", msg::diff_aspect_range}};
    for (const auto& [w, m] : words) {
        if (aspect == w) {
            return tr(m);
        }
    }
    return std::string(aspect);
}
std::string subject_text(const std::string& subject) {
    static constexpr std::pair<std::string_view, msg> words[] = {
        {"awards limit", msg::amend_word_awards_limit},
        {"awards", msg::diff_word_awards},
        {"award", msg::diff_word_award},
        {"criterion", msg::amend_word_criterion},
        {"section", msg::amend_word_section},
        {"bonus", msg::amend_word_bonus},
        {"deduction", msg::amend_word_deduction},
        {"item", msg::amend_word_item},
        {"exclude", msg::amend_word_exclude},
        {"ineligible", msg::amend_word_ineligible},
        {"rounding", msg::amend_word_rounding},
        {"enum", msg::amend_word_enum},
        {"input", msg::diff_word_input},
        {"ranking", msg::amend_word_ranking},
        {"scale", msg::amend_word_scale},
        {"self_score", msg::amend_word_self_score},
        {"total", msg::diff_word_total}};
    const std::string_view text(subject);
    for (const auto& [w, m] : words) {
        if (text == w) {
            return tr(m);
        }
        if (text.size() > w.size() && text.substr(0, w.size()) == w && text[w.size()] == ' ') {
            const std::string rest(text.substr(w.size() + 1));
            // `rounding criterion`: the level is a word too.
            return tr(m) + " " + (w == "rounding" ? subject_text(rest) : rest);
        }
    }
    return subject;
}

// Two literals mean the same number ("20" and "20.0").
bool same_number(const ast::number_lit& a, const ast::number_lit& b) {
    const auto x = number::parse(a.text);
    const auto y = number::parse(b.text);
    if (!x || !y) {
        return a.text == b.text && a.percent == b.percent;
    }
    return a.percent == b.percent && *x == *y;
}
bool same_expr(const ast::expr* a, const ast::expr* b) {
    return dump_expr(a) == dump_expr(b);
}

// ---------------------------------------------------------------------------------------------
// Walking expressions.

// What a node is, apart from its children: two nodes with the same head and the same number of
// children differ only inside their children.
std::string head(const ast::expr& e) {
    auto shallow = [&](const ast::expr& x) {
        // dump_expr of a leaf is the leaf; of an inner node, its first word says what it is.
        const std::string d = dump_expr(&x);
        return children(x).empty() ? d : d.substr(0, d.find(' '));
    };
    return std::visit(
        overloaded{
            [&](const ast::member_ref& m) { return "." + m.field; },
            [&](const ast::aggregate& a) {
                return fmt::format("{} {} {}", shallow(e), a.variable, a.where ? 1 : 0);
            },
            [&](const ast::call& c) { return "call " + c.function; },
            [&](const ast::binary& b) { return std::string(ast::op_text(b.what)); },
            [&](const ast::presence& p) { return std::string(p.absent ? "absent" : "present"); },
            [&](const ast::unary& u) {
                return std::string(u.what == ast::unary::op::neg ? "-" : "not");
            },
            [&](const auto&) { return shallow(e); },
        },
        e.kind);
}

void walk(const ast::expr* e, const std::function<void(const ast::expr&)>& f) {
    if (!e) {
        return;
    }
    f(*e);
    for (const auto* c : children(*e)) {
        walk(c, f);
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing the regulations.

class comparer {
  public:
    comparer(const checked_regulation& o, const checked_regulation& n) : old_(o), new_(n) {}
    std::vector<rule_change> run();

  private:
    // A difference inside a formula, with the spans it is at in each regulation.
    struct detail {
        std::string aspect;
        std::string description;
        span old_at;
        span new_at;
        std::optional<std::pair<threshold_side, threshold_side>> threshold = std::nullopt;
    };

    void add(kind k, std::string subject, std::string aspect, std::string description,
             std::optional<span> old_at, std::optional<span> new_at, std::string part = {}) {
        rule_change c;
        c.what = k;
        c.subject = std::move(subject);
        c.aspect = std::move(aspect);
        c.part = std::move(part);
        c.description = std::move(description);
        if (old_at) {
            c.old_position = old_.position(*old_at);
        }
        if (new_at) {
            c.new_position = new_.position(*new_at);
        }
        out_.push_back(std::move(c));
    }
    void changed(const std::string& subject, std::string aspect, std::string description,
                 span old_at, span new_at, std::string part = {}) {
        add(kind::changed, subject, std::move(aspect), std::move(description), old_at, new_at,
            std::move(part));
    }

    void expr_diff(const ast::expr* a, const ast::expr* b, std::vector<detail>& out) const;
    [[nodiscard]] bool same_shape(const ast::expr* a, const ast::expr* b) const;
    // Members of a list that have no id (requirements, knock-outs), matched by label, then
    // paired across a change of label (match_members()).
    struct matching {
        std::vector<std::optional<std::size_t>> old_to_new;
        std::vector<std::optional<std::size_t>> new_to_old;
    };
    template <class T, class Key>
    matching match_members(const std::vector<const T*>& a, const std::vector<const T*>& b,
                           Key key) const;
    void body_diff(const std::string& subject, const ast::scoring_body& a,
                   const ast::scoring_body& b);
    void numbers(const std::string& subject, const char* aspect, const ast::number_lit& a,
                 const ast::number_lit& b, span old_at, span new_at);
    void optional_text(const std::string& subject, const char* aspect,
                       const std::optional<std::string>& a, const std::optional<std::string>& b,
                       span old_at, span new_at);
    void label(const std::string& subject, const std::string& a, const std::string& b, span old_at,
               span new_at);

    void scale();
    void rounding();
    void enums();
    void inputs();
    // A change of the declared range (`in 0..100`) of an input field or a list's field.
    void input_range(const std::string& subject, const ast::field_decl& x,
                     const ast::field_decl& y);
    void sections();
    void criteria();
    void groups();
    void knockouts();
    void ranking();
    void awards();
    void quota(const std::string& subject, const std::optional<ast::quota>& a,
               const std::optional<ast::quota>& b, span old_at, span new_at);
    void self_score();

    side old_;
    side new_;
    std::vector<rule_change> out_;
};

std::vector<rule_change> comparer::run() {
    scale();
    rounding();
    enums();
    inputs();
    sections();
    criteria();
    groups();
    knockouts();
    ranking();
    awards();
    self_score();
    // An award tier's changes carry its label, which the board reads in place of the id.
    for (auto& c : out_) {
        if (c.subject.rfind("award ", 0) != 0) {
            continue;
        }
        const std::string id = c.subject.substr(6);
        for (const side* s : {&old_, &new_}) {
            const auto& awards = s->ast.awards;
            const auto a = std::find_if(awards.begin(), awards.end(),
                                        [&](const ast::award& x) { return x.id == id; });
            if (a != awards.end()) {
                c.label = a->label;
                break;
            }
        }
    }
    return std::move(out_);
}

threshold_side::op band_op(ast::band::op o) {
    using op = threshold_side::op;
    switch (o) {
        case ast::band::op::ge:
            return op::ge;
        case ast::band::op::gt:
            return op::gt;
        case ast::band::op::le:
            return op::le;
        case ast::band::op::lt:
            return op::lt;
        case ast::band::op::eq:
            break;
    }
    return op::eq;
}

// `x >= 80` as value, operator and bound (`80 <= x` turned around); nullopt for anything but a
// comparison.
std::optional<threshold_side> comparison_of(const ast::expr& e, bool value_on_left) {
    const auto* b = std::get_if<ast::binary>(&e.kind);
    if (!b) {
        return std::nullopt;
    }
    using op = threshold_side::op;
    using bop = ast::binary::op;
    op o = op::eq;
    switch (b->what) {
        case bop::eq:
            o = op::eq;
            break;
        case bop::ne:
            o = op::ne;
            break;
        case bop::lt:
            o = value_on_left ? op::lt : op::gt;
            break;
        case bop::le:
            o = value_on_left ? op::le : op::ge;
            break;
        case bop::gt:
            o = value_on_left ? op::gt : op::lt;
            break;
        case bop::ge:
            o = value_on_left ? op::ge : op::le;
            break;
        default:
            return std::nullopt;
    }
    return value_on_left ? threshold_side{b->lhs.get(), b->rhs.get(), o}
                         : threshold_side{b->rhs.get(), b->lhs.get(), o};
}

void comparer::expr_diff(const ast::expr* a, const ast::expr* b, std::vector<detail>& out) const {
    // Two comparisons with the same operator and one side the same: which side is the value.
    auto comparison = [&](const ast::expr& e) -> std::optional<threshold_side> {
        const auto* x = std::get_if<ast::binary>(&a->kind);
        const auto* y = std::get_if<ast::binary>(&b->kind);
        if (!x || !y || x->what != y->what) {
            return std::nullopt;
        }
        if (same_expr(x->lhs.get(), y->lhs.get()) && !same_expr(x->rhs.get(), y->rhs.get())) {
            return comparison_of(e, true);
        }
        if (same_expr(x->rhs.get(), y->rhs.get()) && !same_expr(x->lhs.get(), y->lhs.get())) {
            return comparison_of(e, false);
        }
        return std::nullopt;
    };
    if (same_expr(a, b)) {
        return;
    }
    if (!a || !b) {
        out.push_back({"formula", fmt::format("`{}` → `{}`", old_.text(a), new_.text(b)),
                       a ? a->where : span{}, b ? b->where : span{}});
        return;
    }
    const auto* wa = std::get_if<ast::when_expr>(&a->kind);
    const auto* wb = std::get_if<ast::when_expr>(&b->kind);
    if (wa && wb) {
        if (!same_expr(wa->subject.get(), wb->subject.get())) {
            out.push_back(
                {"formula",
                 tr(msg::diff_value_compared, fmt::arg("old", old_.text(wa->subject.get())),
                    fmt::arg("new", new_.text(wb->subject.get()))),
                 wa->subject->where, wb->subject->where});
        }
        const std::size_t n = std::min(wa->bands.size(), wb->bands.size());
        for (std::size_t i = 0; i < n; ++i) {
            const ast::band& x = wa->bands[i];
            const ast::band& y = wb->bands[i];
            const bool bound = x.compare != y.compare || !same_expr(x.bound.get(), y.bound.get());
            const bool value = !same_expr(x.value.get(), y.value.get());
            if (!bound && !value) {
                continue;
            }
            if (!bound && std::holds_alternative<ast::when_expr>(x.value->kind)
                && std::holds_alternative<ast::when_expr>(y.value->kind)) {
                expr_diff(x.value.get(), y.value.get(), out);  // nested bands
                continue;
            }
            const msg what = bound && value ? msg::diff_band
                             : bound        ? msg::diff_band_threshold
                                            : msg::diff_band_points;
            out.push_back(
                {"band",
                 tr(what, fmt::arg("old", old_.text(x.where)), fmt::arg("new", new_.text(y.where))),
                 x.where, y.where});
            if (bound && same_expr(wa->subject.get(), wb->subject.get())) {
                out.back().threshold =
                    std::pair(threshold_side{wa->subject.get(), x.bound.get(), band_op(x.compare)},
                              threshold_side{wb->subject.get(), y.bound.get(), band_op(y.compare)});
            }
        }
        for (std::size_t i = n; i < wa->bands.size(); ++i) {
            out.push_back(
                {"band",
                 tr(msg::diff_band_removed, fmt::arg("band", old_.text(wa->bands[i].where))),
                 wa->bands[i].where, b->where});
        }
        for (std::size_t i = n; i < wb->bands.size(); ++i) {
            out.push_back(
                {"band", tr(msg::diff_band_added, fmt::arg("band", new_.text(wb->bands[i].where))),
                 a->where, wb->bands[i].where});
        }
        if (!same_expr(wa->else_value.get(), wb->else_value.get())) {
            out.push_back({"band",
                           tr(msg::diff_else, fmt::arg("old", old_.text(wa->else_value.get())),
                              fmt::arg("new", new_.text(wb->else_value.get()))),
                           wa->else_value ? wa->else_span : a->where,
                           wb->else_value ? wb->else_span : b->where});
        }
        return;
    }
    const auto* ma = std::get_if<ast::match_expr>(&a->kind);
    const auto* mb = std::get_if<ast::match_expr>(&b->kind);
    if (ma && mb && same_expr(ma->subject.get(), mb->subject.get())) {
        for (const auto& x : ma->arms) {
            const auto y =
                std::find_if(mb->arms.begin(), mb->arms.end(),
                             [&](const ast::match_arm& m) { return m.member == x.member; });
            if (y == mb->arms.end()) {
                out.push_back({"arm",
                               tr(msg::diff_arm_removed, fmt::arg("member", x.member),
                                  fmt::arg("value", old_.text(x.value.get()))),
                               x.member_span, b->where});
            } else if (!same_expr(x.value.get(), y->value.get())) {
                out.push_back({"arm",
                               tr(msg::diff_arm, fmt::arg("member", x.member),
                                  fmt::arg("old", old_.text(x.value.get())),
                                  fmt::arg("new", new_.text(y->value.get()))),
                               x.member_span, y->member_span});
            }
        }
        for (const auto& y : mb->arms) {
            if (std::none_of(ma->arms.begin(), ma->arms.end(),
                             [&](const ast::match_arm& m) { return m.member == y.member; })) {
                out.push_back({"arm",
                               tr(msg::diff_arm_added, fmt::arg("member", y.member),
                                  fmt::arg("value", new_.text(y.value.get()))),
                               a->where, y.member_span});
            }
        }
        if (!same_expr(ma->else_value.get(), mb->else_value.get())) {
            out.push_back({"arm",
                           tr(msg::diff_else, fmt::arg("old", old_.text(ma->else_value.get())),
                              fmt::arg("new", new_.text(mb->else_value.get()))),
                           ma->else_value ? ma->else_span : a->where,
                           mb->else_value ? mb->else_span : b->where});
        }
        return;
    }
    // A comparison whose one side is the same: a threshold that moved, shown with the
    // comparison it sits in (`tỷ_lệ >= 80` → `tỷ_lệ >= 85`, not `80` → `85`).
    if (const auto ta = comparison(*a), tb = comparison(*b); ta && tb) {
        out.push_back(
            {"threshold",
             tr(msg::diff_threshold, fmt::arg("old", old_.text(a)), fmt::arg("new", new_.text(b))),
             a->where, b->where, std::pair(*ta, *tb)});
        return;
    }
    // Anything else: the same operator with the same number of operands differs inside one of
    // them (report the smallest parts that differ); otherwise the whole expression differs.
    const auto ka = children(*a);
    const auto kb = children(*b);
    if (a->kind.index() == b->kind.index() && head(*a) == head(*b) && ka.size() == kb.size()
        && !ka.empty()) {
        for (std::size_t i = 0; i < ka.size(); ++i) {
            expr_diff(ka[i], kb[i], out);
        }
        return;
    }
    out.push_back(
        {"formula", fmt::format("`{}` → `{}`", old_.text(a), new_.text(b)), a->where, b->where});
}

// Two conditions are the same rule when all that differs between them is thresholds: every
// difference expr_diff() finds is a comparison whose operator and one side stay (`total >= 90`
// and `total >= 93`; `a >= 90 and b == 0` and `a >= 93 and b == 0`). Another value compared or
// another kind of comparison (`>=` and `>`) is another rule.
bool comparer::same_shape(const ast::expr* a, const ast::expr* b) const {
    std::vector<detail> ds;
    expr_diff(a, b, ds);
    return std::all_of(ds.begin(), ds.end(),
                       [](const detail& d) { return d.aspect == "threshold"; });
}

// Members without an id are matched by label. A board that moves a threshold often rewords the
// label with it ("Đạt từ 90 điểm trở lên" → "Đạt từ 93 điểm trở lên"): what is left unmatched on
// each side is then paired in order, the first member only the old list has with the first only
// the new one has, and so on, when the two are the same rule (same_shape()). A pair is one change
// (label and condition), not a member removed and another added. Unmatched members are taken in
// order rather than by index so that an amendment's `remove` + `add`, which puts the new member
// at the end of its list, pairs too.
template <class T, class Key>
comparer::matching comparer::match_members(const std::vector<const T*>& a,
                                           const std::vector<const T*>& b, Key key) const {
    matching m{std::vector<std::optional<std::size_t>>(a.size()),
               std::vector<std::optional<std::size_t>>(b.size())};
    for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::size_t j = 0; j < b.size(); ++j) {
            if (!m.new_to_old[j] && key(*a[i]) == key(*b[j])) {
                m.old_to_new[i] = j;
                m.new_to_old[j] = i;
                break;
            }
        }
    }
    std::vector<std::size_t> left_old;
    std::vector<std::size_t> left_new;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!m.old_to_new[i]) {
            left_old.push_back(i);
        }
    }
    for (std::size_t j = 0; j < b.size(); ++j) {
        if (!m.new_to_old[j]) {
            left_new.push_back(j);
        }
    }
    for (std::size_t k = 0; k < std::min(left_old.size(), left_new.size()); ++k) {
        const std::size_t i = left_old[k];
        const std::size_t j = left_new[k];
        if (same_shape(a[i]->condition.get(), b[j]->condition.get())) {
            m.old_to_new[i] = j;
            m.new_to_old[j] = i;
        }
    }
    return m;
}

void comparer::body_diff(const std::string& subject, const ast::scoring_body& a,
                         const ast::scoring_body& b) {
    for (const auto& x : a.lets) {
        const auto y = std::find_if(b.lets.begin(), b.lets.end(),
                                    [&](const ast::let_decl& l) { return l.name == x.name; });
        if (y == b.lets.end()) {
            add(kind::changed, subject, "let",
                tr(msg::diff_let_removed, fmt::arg("name", x.name),
                   fmt::arg("value", old_.text(x.value.get()))),
                x.where, std::nullopt);
            continue;
        }
        std::vector<detail> ds;
        expr_diff(x.value.get(), y->value.get(), ds);
        for (auto& d : ds) {
            changed(subject, d.aspect,
                    tr(msg::diff_let_changed, fmt::arg("name", x.name),
                       fmt::arg("change", d.description)),
                    d.old_at, d.new_at);
            out_.back().threshold = d.threshold;
        }
    }
    for (const auto& y : b.lets) {
        if (std::none_of(a.lets.begin(), a.lets.end(),
                         [&](const ast::let_decl& l) { return l.name == y.name; })) {
            add(kind::changed, subject, "let",
                tr(msg::diff_let_added, fmt::arg("name", y.name),
                   fmt::arg("value", new_.text(y.value.get()))),
                std::nullopt, y.where);
        }
    }
    std::vector<detail> ds;
    expr_diff(a.points.get(), b.points.get(), ds);
    const std::string whole_a = old_.text(a.points.get());
    const std::string whole_b = new_.text(b.points.get());
    bool whole = false;
    for (auto& d : ds) {
        if (d.aspect != "formula") {
            changed(subject, d.aspect, d.description, d.old_at, d.new_at);
            out_.back().threshold = d.threshold;
        } else if (utf8_width(whole_a) + utf8_width(whole_b) <= 120) {
            // A short formula is shown whole: `6` → `5` alone says little. Once: two parts that
            // differ would show the same whole twice.
            if (whole) {
                continue;
            }
            whole = true;
            changed(subject, d.aspect,
                    tr(msg::diff_formula_whole, fmt::arg("old", whole_a), fmt::arg("new", whole_b)),
                    d.old_at, d.new_at);
        } else {
            changed(subject, d.aspect,
                    tr(msg::diff_formula_part, fmt::arg("change", d.description)), d.old_at,
                    d.new_at);
        }
    }
}

void comparer::numbers(const std::string& subject, const char* aspect, const ast::number_lit& a,
                       const ast::number_lit& b, span old_at, span new_at) {
    if (!same_number(a, b)) {
        changed(subject, aspect,
                tr(msg::diff_aspect_change, fmt::arg("aspect", aspect_text(aspect)),
                   fmt::arg("old", lit_text(a)), fmt::arg("new", lit_text(b))),
                old_at, new_at);
    }
}

void comparer::optional_text(const std::string& subject, const char* aspect,
                             const std::optional<std::string>& a,
                             const std::optional<std::string>& b, span old_at, span new_at) {
    if (a != b) {
        changed(subject, aspect,
                tr(msg::diff_aspect_change, fmt::arg("aspect", aspect_text(aspect)),
                   fmt::arg("old", a ? quoted(*a) : tr(msg::diff_none_paren)),
                   fmt::arg("new", b ? quoted(*b) : tr(msg::diff_none_paren))),
                old_at, new_at);
    }
}

void comparer::label(const std::string& subject, const std::string& a, const std::string& b,
                     span old_at, span new_at) {
    if (a != b) {
        changed(subject, "label",
                tr(msg::diff_label, fmt::arg("old", quoted(a)), fmt::arg("new", quoted(b))), old_at,
                new_at);
    }
}

void comparer::scale() {
    const auto& a = old_.ast.scale;
    const auto& b = new_.ast.scale;
    numbers("scale", "scale", a, b, a.where, b.where);
}

void comparer::rounding() {
    for (const auto& x : old_.ast.rounding) {
        const std::string subject = fmt::format("rounding {}", rounding_target_name(x.at));
        const auto y = std::find_if(new_.ast.rounding.begin(), new_.ast.rounding.end(),
                                    [&](const ast::rounding_rule& r) { return r.at == x.at; });
        if (y == new_.ast.rounding.end()) {
            add(kind::removed, subject, "rounding",
                tr(msg::diff_rounding_removed, fmt::arg("target", target_text(x.at)),
                   fmt::arg("step", lit_text(x.step)), fmt::arg("mode", mode_text(x.how))),
                x.where, std::nullopt);
        } else if (!same_number(x.step, y->step) || x.how != y->how) {
            changed(subject, "step",
                    fmt::format("{} {} → {} {}", lit_text(x.step), mode_text(x.how),
                                lit_text(y->step), mode_text(y->how)),
                    x.where, y->where);
        }
    }
    for (const auto& y : new_.ast.rounding) {
        if (std::none_of(old_.ast.rounding.begin(), old_.ast.rounding.end(),
                         [&](const ast::rounding_rule& r) { return r.at == y.at; })) {
            add(kind::added, fmt::format("rounding {}", rounding_target_name(y.at)), "rounding",
                tr(msg::diff_rounding_added, fmt::arg("target", target_text(y.at)),
                   fmt::arg("step", lit_text(y.step)), fmt::arg("mode", mode_text(y.how))),
                std::nullopt, y.where);
        }
    }
}

void comparer::enums() {
    auto members = [](const ast::enum_decl& e) {
        std::vector<std::string> names;
        for (const auto& m : e.members) {
            names.push_back(m.label.empty() ? m.name
                                            : fmt::format("{} {}", m.name, quoted(m.label)));
        }
        return fmt::format("{}{{ {} }}", e.ordered ? tr(msg::diff_ordered) + " " : std::string(),
                           fmt::join(names, ", "));
    };
    for (const auto& x : old_.ast.enums) {
        const auto y = std::find_if(new_.ast.enums.begin(), new_.ast.enums.end(),
                                    [&](const ast::enum_decl& e) { return e.name == x.name; });
        const std::string subject = "enum " + x.name;
        if (y == new_.ast.enums.end()) {
            add(kind::removed, subject, "enum", tr(msg::diff_enum_removed), x.where, std::nullopt);
        } else if (members(x) != members(*y)) {
            changed(subject, "members", fmt::format("{} → {}", members(x), members(*y)), x.where,
                    y->where);
        }
    }
    for (const auto& y : new_.ast.enums) {
        if (std::none_of(old_.ast.enums.begin(), old_.ast.enums.end(),
                         [&](const ast::enum_decl& e) { return e.name == y.name; })) {
            add(kind::added, "enum " + y.name, "enum",
                tr(msg::diff_enum_added, fmt::arg("members", members(y))), std::nullopt, y.where);
        }
    }
}

void comparer::input_range(const std::string& subject, const ast::field_decl& x,
                           const ast::field_decl& y) {
    const std::string ra = x.range ? ast::range_text(*x.range) : std::string();
    const std::string rb = y.range ? ast::range_text(*y.range) : std::string();
    if (ra == rb) {
        return;
    }
    const auto shown = [](const std::string& r) {
        return r.empty() ? tr(msg::diff_range_none) : r;
    };
    changed(subject, "range",
            tr(msg::diff_range, fmt::arg("old", shown(ra)), fmt::arg("new", shown(rb))),
            x.range ? x.range->where : x.where, y.range ? y.range->where : y.where);
}

void comparer::inputs() {
    for (const auto& x : old_.ast.inputs) {
        const auto y = std::find_if(new_.ast.inputs.begin(), new_.ast.inputs.end(),
                                    [&](const ast::field_decl& f) { return f.name == x.name; });
        const std::string subject = "input " + x.name;
        if (y == new_.ast.inputs.end()) {
            add(kind::removed, subject, "input", tr(msg::diff_input_removed), x.where,
                std::nullopt);
            continue;
        }
        // A list's type as written, without its fields' ranges: those are told one by one.
        const auto type_text = [](const side& s, const ast::field_decl& f) {
            std::string out;
            auto from = f.type.where.begin;
            for (const auto& sub : f.type.fields) {
                if (sub.range) {
                    out += s.ast.file->slice({from, sub.range->where.begin});
                    from = sub.range->where.end;
                }
            }
            out += s.ast.file->slice({from, f.type.where.end});
            return one_line(out);
        };
        const std::string ta = type_text(old_, x);
        const std::string tb = type_text(new_, *y);
        if (ta != tb) {
            changed(subject, "type",
                    tr(msg::diff_type, fmt::arg("old", old_.text(x.type.where)),
                       fmt::arg("new", new_.text(y->type.where))),
                    x.type.where, y->type.where);
        } else {
            for (const auto& sub : x.type.fields) {
                const auto other =
                    std::find_if(y->type.fields.begin(), y->type.fields.end(),
                                 [&](const ast::field_decl& f) { return f.name == sub.name; });
                if (other != y->type.fields.end()) {
                    input_range(subject + "." + sub.name, sub, *other);
                }
            }
        }
        input_range(subject, x, *y);
        label(subject, x.label, y->label, x.where, y->where);
    }
    for (const auto& y : new_.ast.inputs) {
        if (std::none_of(old_.ast.inputs.begin(), old_.ast.inputs.end(),
                         [&](const ast::field_decl& f) { return f.name == y.name; })) {
            add(kind::added, "input " + y.name, "input",
                tr(msg::diff_input_added, fmt::arg("field", new_.text(y.where))), std::nullopt,
                y.where);
        }
    }
}

void comparer::sections() {
    for (const auto& x : old_.ast.sections) {
        const auto y = std::find_if(new_.ast.sections.begin(), new_.ast.sections.end(),
                                    [&](const ast::section& s) { return s.id == x.id; });
        const std::string subject = "section " + x.id;
        if (y == new_.ast.sections.end()) {
            add(kind::removed, subject, "section",
                tr(msg::diff_section_removed, fmt::arg("label", quoted(x.label)),
                   fmt::arg("max", lit_text(x.max))),
                x.id_span, std::nullopt);
            continue;
        }
        label(subject, x.label, y->label, x.id_span, y->id_span);
        numbers(subject, "maximum", x.max, y->max, x.max.where, y->max.where);
        optional_text(subject, "cite", x.cite, y->cite, x.id_span, y->id_span);
        if (x.combine != y->combine) {
            auto name = [](ast::section::combine_mode m) {
                return tr(m == ast::section::combine_mode::sum ? msg::diff_combine_sum
                                                               : msg::diff_combine_rescaled);
            };
            changed(subject, "combine",
                    tr(msg::diff_combine, fmt::arg("old", name(x.combine)),
                       fmt::arg("new", name(y->combine))),
                    x.id_span, y->id_span);
        }
    }
    for (const auto& y : new_.ast.sections) {
        if (std::none_of(old_.ast.sections.begin(), old_.ast.sections.end(),
                         [&](const ast::section& s) { return s.id == y.id; })) {
            add(kind::added, "section " + y.id, "section",
                tr(msg::diff_section_added, fmt::arg("label", quoted(y.label)),
                   fmt::arg("max", lit_text(y.max))),
                std::nullopt, y.id_span);
        }
    }
}

void comparer::criteria() {
    auto find = [](const side& s,
                   const std::string& id) -> const checked_regulation::criterion_ref* {
        for (const auto& c : s.reg.criteria) {
            if (c.node->id == id) {
                return &c;
            }
        }
        return nullptr;
    };
    for (const auto& xr : old_.reg.criteria) {
        const ast::criterion& x = *xr.node;
        const std::string subject = "criterion " + x.id;
        const auto* yr = find(new_, x.id);
        if (!yr) {
            add(kind::removed, subject, "criterion",
                tr(msg::diff_criterion_removed, fmt::arg("label", quoted(x.label)),
                   fmt::arg("max", lit_text(x.max)),
                   fmt::arg("section", old_.ast.sections[xr.section].id)),
                x.where, std::nullopt);
            continue;
        }
        const ast::criterion& y = *yr->node;
        const std::string& sa = old_.ast.sections[xr.section].id;
        const std::string& sb = new_.ast.sections[yr->section].id;
        if (sa != sb) {
            changed(subject, "section",
                    tr(msg::diff_moved, fmt::arg("old", sa), fmt::arg("new", sb)), x.id_span,
                    y.id_span);
        }
        label(subject, x.label, y.label, x.id_span, y.id_span);
        numbers(subject, "maximum", x.max, y.max, x.max.where, y.max.where);
        optional_text(subject, "cite", x.cite, y.cite, x.id_span, y.id_span);
        if (!same_expr(x.applies_when.get(), y.applies_when.get())) {
            changed(subject, "applies",
                    tr(msg::diff_applies,
                       fmt::arg("old", x.applies_when ? old_.text(x.applies_when.get())
                                                      : tr(msg::diff_always)),
                       fmt::arg("new", y.applies_when ? new_.text(y.applies_when.get())
                                                      : tr(msg::diff_always))),
                    x.applies_when ? x.applies_when->where : x.id_span,
                    y.applies_when ? y.applies_when->where : y.id_span);
        }
        body_diff(subject, x.body, y.body);
    }
    for (const auto& yr : new_.reg.criteria) {
        if (!find(old_, yr.node->id)) {
            const ast::criterion& y = *yr.node;
            add(kind::added, "criterion " + y.id, "criterion",
                tr(msg::diff_criterion_added, fmt::arg("label", quoted(y.label)),
                   fmt::arg("max", lit_text(y.max)),
                   fmt::arg("section", new_.ast.sections[yr.section].id)),
                std::nullopt, y.where);
        }
    }
}

void comparer::groups() {
    auto same_group = [](const ast::group& a, const ast::group& b) {
        return a.what == b.what && a.label == b.label;
    };
    for (const auto& x : old_.ast.groups) {
        const auto y = std::find_if(new_.ast.groups.begin(), new_.ast.groups.end(),
                                    [&](const ast::group& g) { return same_group(g, x); });
        if (y == new_.ast.groups.end()) {
            add(kind::removed, group_subject(x), "group", tr(msg::diff_group_removed), x.label_span,
                std::nullopt);
        } else if (x.max.has_value() != y->max.has_value()
                   || (x.max && !same_number(*x.max, *y->max))) {
            changed(group_subject(x), "cap",
                    tr(msg::diff_cap,
                       fmt::arg("old", x.max ? lit_text(*x.max) : tr(msg::diff_none_paren)),
                       fmt::arg("new", y->max ? lit_text(*y->max) : tr(msg::diff_none_paren))),
                    x.max ? x.max->where : x.label_span, y->max ? y->max->where : y->label_span);
        }
    }
    for (const auto& y : new_.ast.groups) {
        if (std::none_of(old_.ast.groups.begin(), old_.ast.groups.end(),
                         [&](const ast::group& g) { return same_group(g, y); })) {
            add(kind::added, group_subject(y), "group",
                y.max ? tr(msg::diff_group_added_cap, fmt::arg("cap", lit_text(*y.max)))
                      : tr(msg::diff_group_added),
                std::nullopt, y.label_span);
        }
    }
    // Items, matched by their group's kind and their label.
    auto find = [](const side& s, ast::group::kind k,
                   const std::string& l) -> const ast::group_item* {
        for (const auto& it : s.reg.items) {
            if (s.ast.groups[it.group].what == k && it.node->label == l) {
                return it.node;
            }
        }
        return nullptr;
    };
    for (const auto& xr : old_.reg.items) {
        const ast::group_item& x = *xr.node;
        const auto k = old_.ast.groups[xr.group].what;
        const ast::group_item* y = find(new_, k, x.label);
        const std::string subject = item_subject(x);
        if (!y) {
            add(kind::removed, subject, "item",
                tr(msg::diff_item_removed,
                   fmt::arg("group", subject_text(group_subject(old_.ast.groups[xr.group])))),
                x.where, std::nullopt);
            continue;
        }
        if (x.max.has_value() != y->max.has_value() || (x.max && !same_number(*x.max, *y->max))) {
            changed(subject, "maximum",
                    tr(msg::diff_aspect_change, fmt::arg("aspect", aspect_text("maximum")),
                       fmt::arg("old", x.max ? lit_text(*x.max) : tr(msg::diff_none_paren)),
                       fmt::arg("new", y->max ? lit_text(*y->max) : tr(msg::diff_none_paren))),
                    x.max ? x.max->where : x.label_span, y->max ? y->max->where : y->label_span);
        }
        optional_text(subject, "cite", x.cite, y->cite, x.label_span, y->label_span);
        body_diff(subject, x.body, y->body);
    }
    for (const auto& yr : new_.reg.items) {
        const auto k = new_.ast.groups[yr.group].what;
        if (!find(old_, k, yr.node->label)) {
            add(kind::added, item_subject(*yr.node), "item",
                tr(msg::diff_item_added,
                   fmt::arg("group", subject_text(group_subject(new_.ast.groups[yr.group])))),
                std::nullopt, yr.node->where);
        }
    }
}

void comparer::knockouts() {
    using ko = ast::knockout::kind;
    for (const ko k : {ko::exclude, ko::ineligible}) {
        std::vector<const ast::knockout*> a;
        std::vector<const ast::knockout*> b;
        for (const auto& x : old_.ast.knockouts) {
            if (x.what == k) {
                a.push_back(&x);
            }
        }
        for (const auto& y : new_.ast.knockouts) {
            if (y.what == k) {
                b.push_back(&y);
            }
        }
        const auto m = match_members(a, b, [](const ast::knockout& x) { return x.label; });
        for (std::size_t i = 0; i < a.size(); ++i) {
            const ast::knockout& x = *a[i];
            if (!m.old_to_new[i]) {
                add(kind::removed, knockout_subject(x), "knock-out",
                    tr(msg::diff_knockout_removed,
                       fmt::arg("condition", old_.text(x.condition.get()))),
                    x.where, std::nullopt);
                continue;
            }
            const ast::knockout& y = *b[*m.old_to_new[i]];
            const bool same = same_expr(x.condition.get(), y.condition.get());
            if (x.label != y.label) {
                // One knock-out whose label (and threshold) changed.
                changed(knockout_subject(x), same ? "label" : "condition",
                        same ? tr(msg::diff_label, fmt::arg("old", quoted(x.label)),
                                  fmt::arg("new", quoted(y.label)))
                             : tr(msg::diff_knockout_paired, fmt::arg("old_label", quoted(x.label)),
                                  fmt::arg("new_label", quoted(y.label)),
                                  fmt::arg("old", old_.text(x.condition.get())),
                                  fmt::arg("new", new_.text(y.condition.get()))),
                        x.where, y.where);
                out_.back().renamed = y.label;
            } else if (!same) {
                changed(knockout_subject(x), "condition",
                        tr(msg::diff_condition, fmt::arg("old", old_.text(x.condition.get())),
                           fmt::arg("new", new_.text(y.condition.get()))),
                        x.condition->where, y.condition->where);
            }
        }
        for (std::size_t j = 0; j < b.size(); ++j) {
            if (!m.new_to_old[j]) {
                const ast::knockout& y = *b[j];
                add(kind::added, knockout_subject(y), "knock-out",
                    tr(msg::diff_knockout_added,
                       fmt::arg("condition", new_.text(y.condition.get()))),
                    std::nullopt, y.where);
            }
        }
    }
}

void comparer::ranking() {
    const auto& a = old_.ast.ranking;
    const auto& b = new_.ast.ranking;
    if (!a && !b) {
        return;
    }
    if (!a || !b) {
        add(a ? kind::removed : kind::added, "ranking", "ranking",
            tr(a ? msg::diff_ranking_removed : msg::diff_ranking_added),
            a ? std::optional(a->where) : std::nullopt, b ? std::optional(b->where) : std::nullopt);
        return;
    }
    auto keys = [](const side& s, const std::vector<ast::ranking_key>& ks) {
        std::vector<std::string> out;
        for (const auto& k : ks) {
            out.push_back(fmt::format("{} {}", s.text(k.key.get()),
                                      tr(k.descending ? msg::diff_desc : msg::diff_asc)));
        }
        return fmt::format("{}", fmt::join(out, ", "));
    };
    auto ties = [](ast::tie_mode m) {
        return tr(m == ast::tie_mode::shared ? msg::diff_ties_shared : msg::diff_ties_unresolved);
    };
    if (keys(old_, a->keys) != keys(new_, b->keys)) {
        changed("ranking", "keys",
                tr(msg::diff_keys, fmt::arg("old", keys(old_, a->keys)),
                   fmt::arg("new", keys(new_, b->keys))),
                a->where, b->where);
    }
    if (a->ties != b->ties) {
        changed("ranking", "ties",
                tr(msg::diff_ties, fmt::arg("old", ties(a->ties)), fmt::arg("new", ties(b->ties))),
                a->where, b->where);
    }
    const std::string fa =
        keys(old_, a->first_place_keys)
        + (a->first_place_ties
               ? " " + tr(msg::diff_ties_word, fmt::arg("mode", ties(*a->first_place_ties)))
               : "");
    const std::string fb =
        keys(new_, b->first_place_keys)
        + (b->first_place_ties
               ? " " + tr(msg::diff_ties_word, fmt::arg("mode", ties(*b->first_place_ties)))
               : "");
    if (fa != fb) {
        changed(
            "ranking", "keys",
            tr(msg::diff_first_place, fmt::arg("old", fa.empty() ? tr(msg::diff_none_paren) : fa),
               fmt::arg("new", fb.empty() ? tr(msg::diff_none_paren) : fb)),
            a->where, b->where);
    }
}

std::string quota_text(const std::optional<ast::quota>& q) {
    if (!q) {
        return tr(msg::diff_no_limit);
    }
    if (q->what == ast::quota::kind::absolute) {
        return tr(msg::diff_limit, fmt::arg("amount", lit_text(q->amount)));
    }
    static constexpr msg how[] = {msg::diff_rounded_down, msg::diff_rounded_up,
                                  msg::diff_rounded_nearest};
    return tr(msg::diff_limit_percent, fmt::arg("amount", decimal(std::string(q->amount.text))),
              fmt::arg("rounded", tr(how[static_cast<int>(q->how)])));
}

void comparer::quota(const std::string& subject, const std::optional<ast::quota>& a,
                     const std::optional<ast::quota>& b, span old_at, span new_at) {
    if (quota_text(a) != quota_text(b)
        && !(a && b && a->what == b->what && a->how == b->how
             && same_number(a->amount, b->amount))) {
        changed(subject, "quota", fmt::format("{} → {}", quota_text(a), quota_text(b)),
                a ? a->where : old_at, b ? b->where : new_at);
    }
}

void comparer::awards() {
    auto window = [](const ast::award& a) {
        if (!a.rank_from) {
            return tr(msg::diff_candidates_all);
        }
        return *a.rank_from == *a.rank_to
                   ? tr(msg::diff_candidates_rank, fmt::arg("rank", *a.rank_from))
                   : tr(msg::diff_candidates_ranks, fmt::arg("from", *a.rank_from),
                        fmt::arg("to", *a.rank_to));
    };
    std::vector<std::string> old_order;  // ids: what is compared
    std::vector<std::string> new_order;
    std::vector<std::string> old_labels;  // labels: what the board reads
    std::vector<std::string> new_labels;
    for (std::size_t i = 0; i < old_.ast.awards.size(); ++i) {
        const ast::award& x = old_.ast.awards[i];
        const std::string subject = "award " + x.id;
        const auto y = std::find_if(new_.ast.awards.begin(), new_.ast.awards.end(),
                                    [&](const ast::award& a) { return a.id == x.id; });
        if (y == new_.ast.awards.end()) {
            add(kind::removed, subject, "award",
                tr(msg::diff_award_removed, fmt::arg("label", quoted(x.label))), x.id_span,
                std::nullopt);
            continue;
        }
        old_order.push_back(x.id);
        old_labels.push_back(tier_name(x));
        label(subject, x.label, y->label, x.id_span, y->id_span);
        if (window(x) != window(*y)) {
            changed(subject, "candidates", fmt::format("{} → {}", window(x), window(*y)),
                    x.rank_from ? x.candidates_span : x.id_span,
                    y->rank_from ? y->candidates_span : y->id_span);
        }
        std::vector<const ast::requirement*> ra;
        std::vector<const ast::requirement*> rb;
        for (const auto& r : x.requirements) {
            ra.push_back(&r);
        }
        for (const auto& r : y->requirements) {
            rb.push_back(&r);
        }
        const auto m = match_members(ra, rb, [](const ast::requirement& r) { return r.label; });
        for (std::size_t ri = 0; ri < ra.size(); ++ri) {
            const ast::requirement& r = *ra[ri];
            if (!m.old_to_new[ri]) {
                add(kind::changed, subject, "requirement",
                    tr(msg::diff_requirement_removed, fmt::arg("label", quoted(r.label)),
                       fmt::arg("condition", old_.text(r.condition.get()))),
                    r.where, std::nullopt, r.label);
                continue;
            }
            const ast::requirement& q = *rb[*m.old_to_new[ri]];
            const bool same = same_expr(r.condition.get(), q.condition.get());
            if (r.label != q.label) {
                // One requirement whose label (and threshold) changed: `≥ 90` → `≥ 93`.
                changed(
                    subject, "requirement",
                    same ? tr(msg::diff_requirement_renamed, fmt::arg("old_label", quoted(r.label)),
                              fmt::arg("new_label", quoted(q.label)))
                         : tr(msg::diff_requirement_paired, fmt::arg("old_label", quoted(r.label)),
                              fmt::arg("new_label", quoted(q.label)),
                              fmt::arg("old", old_.text(r.condition.get())),
                              fmt::arg("new", new_.text(q.condition.get()))),
                    r.where, q.where, r.label);
                out_.back().renamed = q.label;
            } else if (!same) {
                changed(subject, "requirement",
                        tr(msg::diff_requirement, fmt::arg("label", quoted(r.label)),
                           fmt::arg("old", old_.text(r.condition.get())),
                           fmt::arg("new", new_.text(q.condition.get()))),
                        r.where, q.where, r.label);
            }
        }
        for (std::size_t rj = 0; rj < rb.size(); ++rj) {
            if (!m.new_to_old[rj]) {
                const ast::requirement& q = *rb[rj];
                add(kind::changed, subject, "requirement",
                    tr(msg::diff_requirement_added, fmt::arg("label", quoted(q.label)),
                       fmt::arg("condition", new_.text(q.condition.get()))),
                    std::nullopt, q.where, q.label);
            }
        }
        quota(subject, x.limit, y->limit, x.id_span, y->id_span);
        if (x.pass_down != y->pass_down) {
            changed(
                subject, "unused slots",
                tr(msg::diff_unused_slots,
                   fmt::arg("old", tr(x.pass_down ? msg::diff_pass_down : msg::diff_are_lost)),
                   fmt::arg("new", tr(y->pass_down ? msg::diff_pass_down : msg::diff_are_lost))),
                x.id_span, y->id_span);
        }
    }
    for (const auto& y : new_.ast.awards) {
        if (std::none_of(old_.ast.awards.begin(), old_.ast.awards.end(),
                         [&](const ast::award& a) { return a.id == y.id; })) {
            add(kind::added, "award " + y.id, "award",
                tr(msg::diff_award_added, fmt::arg("label", quoted(y.label)),
                   fmt::arg("candidates", window(y)), fmt::arg("quota", quota_text(y.limit))),
                std::nullopt, y.id_span);
        } else {
            new_order.push_back(y.id);
            new_labels.push_back(tier_name(y));
        }
    }
    if (old_order != new_order) {
        // Tiers are tried in the order written: a move changes who gets what.
        changed("awards", "order",
                tr(msg::diff_tier_order, fmt::arg("old", fmt::join(old_labels, ", ")),
                   fmt::arg("new", fmt::join(new_labels, ", "))),
                old_.ast.awards.front().id_span, new_.ast.awards.front().id_span);
    }
    const auto& a = old_.ast.awards_limit;
    const auto& b = new_.ast.awards_limit;
    if (a || b) {
        quota("awards limit", a, b, old_.ast.where, new_.ast.where);
    }
}

void comparer::self_score() {
    const auto& a = old_.ast.self_score;
    const auto& b = new_.ast.self_score;
    if (!a && !b) {
        return;
    }
    if (!a || !b) {
        add(a ? kind::removed : kind::added, "self_score", "self_score",
            tr(a ? msg::diff_self_score_removed : msg::diff_self_score_added),
            a ? std::optional(a->where) : std::nullopt, b ? std::optional(b->where) : std::nullopt);
        return;
    }
    if (a->field != b->field) {
        changed("self_score", "field",
                tr(msg::diff_field, fmt::arg("old", a->field), fmt::arg("new", b->field)), a->where,
                b->where);
    }
    numbers("self_score", "tolerance", a->tolerance, b->tolerance, a->tolerance.where,
            b->tolerance.where);
}

// ---------------------------------------------------------------------------------------------
// What each number depends on, as the subjects of rule changes.

constexpr const char* anything = "*";  // a reference to the total, bonus or deduction

class dependencies {
  public:
    explicit dependencies(const checked_regulation& reg)
        : reg_(reg), criterion_(reg.criteria.size()), section_(reg.ast->sections.size()) {}

    const std::set<std::string>& criterion(std::size_t c) {
        if (!criterion_[c]) {
            std::set<std::string> out;
            const ast::criterion& node = *reg_.criteria[c].node;
            out.insert("criterion " + node.id);
            out.insert("rounding criterion");
            criterion_[c] = out;  // (no cycles: the checker rejects them)
            body(node.body, out);
            expression(node.applies_when.get(), out);
            criterion_[c] = std::move(out);
        }
        return *criterion_[c];
    }
    std::set<std::string> item(std::size_t i) {
        std::set<std::string> out{item_subject(*reg_.items[i].node)};
        body(reg_.items[i].node->body, out);
        return out;
    }
    const std::set<std::string>& section(std::size_t s) {
        if (!section_[s]) {
            std::set<std::string> out = section_own(s);
            for (std::size_t c = 0; c < reg_.criteria.size(); ++c) {
                if (reg_.criteria[c].section == s) {
                    const auto& d = criterion(c);
                    out.insert(d.begin(), d.end());
                }
            }
            section_[s] = std::move(out);
        }
        return *section_[s];
    }
    [[nodiscard]] std::set<std::string> section_own(std::size_t s) const {
        return {"section " + reg_.ast->sections[s].id, "rounding section"};
    }
    std::set<std::string> condition(const ast::expr* e) {
        std::set<std::string> out;
        expression(e, out);
        return out;
    }

  private:
    void body(const ast::scoring_body& b, std::set<std::string>& out) {
        for (const auto& l : b.lets) {
            expression(l.value.get(), out);
        }
        expression(b.points.get(), out);
    }
    void expression(const ast::expr* e, std::set<std::string>& out) {
        walk(e, [&](const ast::expr& x) {
            if (const auto* p = std::get_if<ast::points_ref>(&x.kind)) {
                if (p->what != ast::points_ref::kind::section
                    && p->what != ast::points_ref::kind::criterion) {
                    out.insert(anything);
                }
            }
            if (x.id >= reg_.refs.size()) {
                return;
            }
            const resolution& r = reg_.refs[x.id];
            switch (r.what) {
                case resolution::kind::input:
                    out.insert("input " + reg_.ast->inputs[r.index].name);
                    break;
                case resolution::kind::criterion: {
                    const auto& d = criterion(r.index);
                    out.insert(d.begin(), d.end());
                    break;
                }
                case resolution::kind::section: {
                    const auto& d = section(r.index);
                    out.insert(d.begin(), d.end());
                    break;
                }
                default:
                    break;
            }
            const type& t = reg_.types[x.id];
            if (t.what == type::kind::enumeration && t.enum_index < reg_.ast->enums.size()) {
                out.insert("enum " + reg_.ast->enums[t.enum_index].name);
            }
        });
    }

    const checked_regulation& reg_;
    std::vector<std::optional<std::set<std::string>>> criterion_;
    std::vector<std::optional<std::set<std::string>>> section_;
};

// ---------------------------------------------------------------------------------------------
// Comparing the outcomes.

class outcome_comparer {
  public:
    outcome_comparer(const std::vector<rule_change>& changes, const bloc_outcome& o,
                     const bloc_outcome& n)
        : changes_(changes), old_(o), new_(n), old_deps_(*o.reg), new_deps_(*n.reg) {}

    dataset_difference run(std::string data);

  private:
    // The changes whose subject is in either dependency set (or all, for `anything`).
    // (A change of wording, a label or a citation, never causes a number to change.)
    std::vector<std::size_t> causes(const std::set<std::string>& a,
                                    const std::set<std::string>& b) const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < changes_.size(); ++i) {
            if (changes_[i].aspect == "label" || changes_[i].aspect == "cite") {
                continue;
            }
            if (a.count(changes_[i].subject) != 0 || b.count(changes_[i].subject) != 0) {
                out.push_back(i);
            }
        }
        return out;
    }
    std::vector<std::size_t> with_subject(const std::string& subject,
                                          const std::string& aspect = {},
                                          const std::string& part = {}) const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < changes_.size(); ++i) {
            const auto& c = changes_[i];
            // A requirement paired across a change of label answers to either label.
            if (c.subject == subject && (aspect.empty() || c.aspect == aspect)
                && (part.empty() || c.part == part || (!c.renamed.empty() && c.renamed == part))) {
                out.push_back(i);
            }
        }
        return out;
    }
    // A new knock-out as the old regulation names it: for one paired across a change of label
    // (rule_change::renamed), the old knock-out; else itself.
    [[nodiscard]] const ast::knockout& old_knockout(const ast::knockout& k) const {
        for (const auto& c : changes_) {
            if (c.renamed == k.label) {
                for (const auto& x : old_.reg->ast->knockouts) {
                    if (x.what == k.what && knockout_subject(x) == c.subject) {
                        return x;
                    }
                }
            }
        }
        return k;
    }
    static void merge(std::vector<std::size_t>& into, const std::vector<std::size_t>& more) {
        into.insert(into.end(), more.begin(), more.end());
        std::sort(into.begin(), into.end());
        into.erase(std::unique(into.begin(), into.end()), into.end());
    }

    unit_difference::side side_of(const bloc_outcome& b, std::optional<std::size_t> u) const;
    void points(unit_difference& d, std::size_t ou, std::size_t nu);
    void status(unit_difference& d, std::size_t ou, std::size_t nu);
    void award(unit_difference& d, std::size_t ou, std::size_t nu);
    void crossings(unit_difference& d, std::size_t ou, std::size_t nu) const;
    void open_reason(unit_difference& d, std::size_t ou, std::size_t nu,
                     const std::map<std::string, const unit_difference*>& units);
    void award_context(unit_difference& d, std::size_t ou, std::size_t nu,
                       const std::map<std::string, const unit_difference*>& units,
                       const std::map<std::string, std::vector<std::size_t>>& award_causes);
    static std::vector<std::size_t> rank_move_causes(const unit_difference& x);
    void rank_context(unit_difference& d, std::size_t ou, std::size_t nu,
                      const std::map<std::string, const unit_difference*>& units);

    const std::vector<rule_change>& changes_;
    const bloc_outcome& old_;
    const bloc_outcome& new_;
    dependencies old_deps_;
    dependencies new_deps_;
    // Of the current unit's points: the items whose group's cap absorbed their move.
    std::set<std::size_t> absorbed_entries_;
};

std::string rank_of(const unit_result& r) {
    if (!r.rank) {
        return "-";
    }
    if (r.rank_unresolved && r.rank_to != *r.rank) {
        return fmt::format("{}-{}?", *r.rank, r.rank_to);
    }
    return fmt::format("{}", *r.rank);
}

unit_difference::side outcome_comparer::side_of(const bloc_outcome& b,
                                                std::optional<std::size_t> u) const {
    unit_difference::side s;
    if (!u) {
        return s;
    }
    const scored_unit& sc = b.scores[*u];
    const unit_result& r = b.ranking.units[*u];
    s.present = true;
    s.status = sc.excluded ? "excluded" : sc.ineligible ? "ineligible" : "ranked";
    if (!sc.excluded) {
        s.total = sc.total;
    }
    s.rank = rank_of(r);
    if (r.award) {
        s.award = b.reg->ast->awards[*r.award].id;
        s.award_label = b.reg->ast->awards[*r.award].label;
    } else if (r.award_open) {
        s.award = "?";
        s.award_label = "(open: the bloc decides)";
    }
    for (const auto k : sc.exclude_reasons) {
        s.knockouts.push_back(b.reg->ast->knockouts[k].label);
    }
    for (const auto k : sc.ineligible_reasons) {
        s.knockouts.push_back(b.reg->ast->knockouts[k].label);
    }
    return s;
}

// A note when what a rule computed moved and a limit held it back on either side (a maximum or
// cap above, 0 below); nullopt otherwise (nothing moved, or the points say it all).
std::optional<limit_note> limit_of(const number& old_computed, const number& new_computed,
                                   const std::optional<number>& old_max,
                                   const std::optional<number>& new_max, bool group,
                                   std::optional<std::string> position) {
    auto applied = [](const number& v, const std::optional<number>& max) -> std::optional<number> {
        if (v.sign() < 0) {
            return number(0);
        }
        if (max && *max < v) {
            return *max;
        }
        return std::nullopt;
    };
    if (old_computed == new_computed) {
        return std::nullopt;
    }
    limit_note n{old_computed,
                 new_computed,
                 applied(old_computed, old_max),
                 applied(new_computed, new_max),
                 group,
                 std::move(position)};
    if (!n.old_limit && !n.new_limit) {
        return std::nullopt;
    }
    // Held at 0 has no line of its own: points are never negative.
    const bool at_zero =
        (!n.old_limit || n.old_limit->is_zero()) && (!n.new_limit || n.new_limit->is_zero());
    if (at_zero) {
        n.position.reset();
    }
    return n;
}

void outcome_comparer::points(unit_difference& d, std::size_t ou, std::size_t nu) {
    const scored_unit& a = old_.scores[ou];
    const scored_unit& b = new_.scores[nu];
    const checked_regulation& ra = *old_.reg;
    const checked_regulation& rb = *new_.reg;
    auto diff = [&](std::string subject, std::string label, std::optional<number> x,
                    std::optional<number> y, std::vector<std::size_t> why, bool deduction = false,
                    std::optional<limit_note> limit = std::nullopt) {
        if (x == y && !limit) {
            return;
        }
        d.points.push_back({std::move(subject), std::move(label), x, y, std::move(why), deduction,
                            std::move(limit)});
    };
    auto deduction_item = [](const checked_regulation& r, std::size_t i) {
        return r.ast->groups[r.items[i].group].what == ast::group::kind::deduction;
    };
    // Criteria: the old order, then the ones only the new regulation has.
    auto criterion_points = [](const scored_unit& s, std::size_t c) -> std::optional<number> {
        if (c >= s.criteria.size() || !s.criteria[c].applicable) {
            return std::nullopt;
        }
        return s.criteria[c].points;
    };
    std::map<std::string, std::size_t> new_criteria;
    for (std::size_t c = 0; c < rb.criteria.size(); ++c) {
        new_criteria[rb.criteria[c].node->id] = c;
    }
    std::set<std::string> seen;
    for (std::size_t c = 0; c < ra.criteria.size(); ++c) {
        const std::string& id = ra.criteria[c].node->id;
        seen.insert(id);
        const auto n = new_criteria.find(id);
        const std::set<std::string> none;
        std::optional<limit_note> limit;
        if (n != new_criteria.end() && criterion_points(a, c) && criterion_points(b, n->second)) {
            const ast::criterion& nc = *rb.criteria[n->second].node;
            limit =
                limit_of(a.criteria[c].raw, b.criteria[n->second].raw, ra.criteria[c].max,
                         rb.criteria[n->second].max, false, rule_position(*rb.ast, nc.max.where));
        }
        const std::size_t before = d.points.size();
        diff("criterion " + id, ra.criteria[c].node->label, criterion_points(a, c),
             n == new_criteria.end() ? std::nullopt : criterion_points(b, n->second),
             causes(old_deps_.criterion(c),
                    n == new_criteria.end() ? none : new_deps_.criterion(n->second)),
             false, std::move(limit));
        if (d.points.size() > before) {
            d.points.back().removed = n == new_criteria.end();
        }
    }
    for (std::size_t c = 0; c < rb.criteria.size(); ++c) {
        if (seen.count(rb.criteria[c].node->id) == 0) {
            const std::size_t before = d.points.size();
            diff("criterion " + rb.criteria[c].node->id, rb.criteria[c].node->label, std::nullopt,
                 criterion_points(b, c), causes({}, new_deps_.criterion(c)));
            if (d.points.size() > before) {
                d.points.back().added = true;
            }
        }
    }
    // Items, matched by group kind and label.
    auto item_key = [](const checked_regulation& r, std::size_t i) {
        return std::make_pair(r.ast->groups[r.items[i].group].what, r.items[i].node->label);
    };
    std::set<std::pair<ast::group::kind, std::string>> seen_items;
    // The causes of the items whose points moved, by their group (kind and label): what a
    // group's cap absorbed.
    std::map<std::pair<ast::group::kind, std::string>, std::vector<std::size_t>> item_causes;
    auto group_key = [](const checked_regulation& r, std::size_t i) {
        const ast::group& g = r.ast->groups[r.items[i].group];
        return std::make_pair(g.what, g.label);
    };
    std::map<std::pair<ast::group::kind, std::string>, std::vector<std::size_t>> item_entries;
    auto moved = [&](const std::pair<ast::group::kind, std::string>& group) {
        if (!d.points.empty() && d.points.back().moved()) {
            merge(item_causes[group], d.points.back().causes);
            item_entries[group].push_back(d.points.size() - 1);
        }
    };
    for (std::size_t i = 0; i < ra.items.size(); ++i) {
        const auto key = item_key(ra, i);
        seen_items.insert(key);
        std::optional<std::size_t> j;
        for (std::size_t k = 0; k < rb.items.size(); ++k) {
            if (item_key(rb, k) == key) {
                j = k;
            }
        }
        std::optional<limit_note> limit;
        if (j) {
            const ast::group_item& ni = *rb.items[*j].node;
            limit = limit_of(
                a.items[i].raw, b.items[*j].raw, ra.items[i].max, rb.items[*j].max, false,
                ni.max ? std::optional(rule_position(*rb.ast, ni.max->where)) : std::nullopt);
        }
        const std::size_t before = d.points.size();
        diff(item_subject(*ra.items[i].node), ra.items[i].node->label, a.items[i].points,
             j ? std::optional(b.items[*j].points) : std::nullopt,
             causes(old_deps_.item(i), j ? new_deps_.item(*j) : std::set<std::string>{}),
             deduction_item(ra, i), std::move(limit));
        if (d.points.size() > before) {
            d.points.back().removed = !j;
            moved(group_key(ra, i));
            if (j && group_key(rb, *j) != group_key(ra, i)) {
                moved(group_key(rb, *j));
            }
        }
    }
    for (std::size_t k = 0; k < rb.items.size(); ++k) {
        if (seen_items.count(item_key(rb, k)) == 0) {
            const std::size_t before = d.points.size();
            diff(item_subject(*rb.items[k].node), rb.items[k].node->label, std::nullopt,
                 b.items[k].points, causes({}, new_deps_.item(k)), deduction_item(rb, k));
            if (d.points.size() > before) {
                d.points.back().added = true;
                moved(group_key(rb, k));
            }
        }
    }
    // Sections and groups: listed when their own rule (header, cap, rounding) is a cause; a
    // change that comes only from their criteria or items is already listed above.
    for (std::size_t s = 0; s < ra.ast->sections.size(); ++s) {
        const std::string& id = ra.ast->sections[s].id;
        for (std::size_t t = 0; t < rb.ast->sections.size(); ++t) {
            if (rb.ast->sections[t].id != id || a.section_points[s] == b.section_points[t]) {
                continue;
            }
            auto why = causes(old_deps_.section_own(s), new_deps_.section_own(t));
            if (!why.empty()) {
                diff("section " + id, ra.ast->sections[s].label, a.section_points[s],
                     b.section_points[t], std::move(why));
            }
        }
    }
    for (std::size_t g = 0; g < ra.ast->groups.size(); ++g) {
        const ast::group& x = ra.ast->groups[g];
        for (std::size_t h = 0; h < rb.ast->groups.size(); ++h) {
            const ast::group& y = rb.ast->groups[h];
            if (y.what != x.what || y.label != x.label) {
                continue;
            }
            // The cap held the items back on one side or both: the group is listed with what
            // its items came to, even when its points did not move (the cap absorbed the change).
            auto limit = limit_of(
                a.group_raw[g], b.group_raw[h], ra.group_max[g], rb.group_max[h], true,
                y.max ? std::optional(rule_position(*rb.ast, y.max->where)) : std::nullopt);
            if (a.group_points[g] == b.group_points[h] && !limit) {
                continue;
            }
            const std::string rounding =
                x.what == ast::group::kind::bonus ? "rounding bonus" : "rounding deduction";
            auto why = causes({group_subject(x), rounding}, {});
            if (!why.empty() || limit) {
                if (limit) {
                    merge(why, item_causes[{x.what, x.label}]);
                    if (a.group_points[g] == b.group_points[h]) {
                        // The items moved, the group did not: their move reached no total.
                        const auto& entries = item_entries[{x.what, x.label}];
                        absorbed_entries_.insert(entries.begin(), entries.end());
                    }
                }
                diff(group_subject(x), x.label, a.group_points[g], b.group_points[h],
                     std::move(why), x.what == ast::group::kind::deduction, std::move(limit));
            }
        }
    }
    if (a.total != b.total) {
        auto why = causes({"rounding total"}, {});
        if (!why.empty()) {
            diff("total", "", a.total, b.total, std::move(why));
        }
    }
}

// The trace of the criterion or item `subject` for unit `u` (null when it has none: not in that
// regulation, not applicable, or scored without traces).
const trace_frame* frame_of(const bloc_outcome& b, std::size_t u, const std::string& subject) {
    const checked_regulation& r = *b.reg;
    const scored_unit& s = b.scores[u];
    for (std::size_t c = 0; c < r.criteria.size() && c < s.criteria.size(); ++c) {
        if ("criterion " + r.criteria[c].node->id == subject) {
            return s.criteria[c].applicable && c < s.criterion_traces.size()
                       ? &s.criterion_traces[c]
                       : nullptr;
        }
    }
    for (std::size_t i = 0; i < r.items.size() && i < s.items.size(); ++i) {
        if (item_subject(*r.items[i].node) == subject) {
            return i < s.item_traces.size() ? &s.item_traces[i] : nullptr;
        }
    }
    return nullptr;
}

// Whether `value OP bound` holds, for numbers; nullopt when either was not evaluated in `frame`
// (another branch was taken, or there is no trace) or is not a number.
std::optional<bool> holds(const checked_regulation& reg, const trace_frame& frame,
                          const threshold_side& t, number& value) {
    const auto v = trace_value(reg, frame, *t.value);
    const auto k = trace_value(reg, frame, *t.bound);
    if (!v || !k || v->what != rt_value::tag::number || k->what != rt_value::tag::number) {
        return std::nullopt;
    }
    value = v->n;
    using op = threshold_side::op;
    switch (t.compare) {
        case op::eq:
            return v->n == k->n;
        case op::ne:
            return v->n != k->n;
        case op::lt:
            return v->n < k->n;
        case op::le:
            return v->n <= k->n;
        case op::gt:
            return k->n < v->n;
        case op::ge:
            return k->n <= v->n;
    }
    return std::nullopt;
}

void outcome_comparer::crossings(unit_difference& d, std::size_t ou, std::size_t nu) const {
    for (std::size_t i = 0; i < changes_.size(); ++i) {
        const rule_change& c = changes_[i];
        if (!c.threshold) {
            continue;
        }
        const trace_frame* fa = frame_of(old_, ou, c.subject);
        const trace_frame* fb = frame_of(new_, nu, c.subject);
        if (!fa || !fb) {
            continue;
        }
        number va;
        number vb;
        const auto ha = holds(*old_.reg, *fa, c.threshold->first, va);
        const auto hb = holds(*new_.reg, *fb, c.threshold->second, vb);
        if (!ha || !hb || *ha == *hb) {
            continue;
        }
        const ast::expr& value = *c.threshold->second.value;
        // Against a percentage (`>= 90%`), the value as a percentage too.
        auto shown = [](const checked_regulation& r, const threshold_side& t, const number& v) {
            const auto* lit = std::get_if<ast::number_lit>(&t.bound->kind);
            if (lit && lit->percent) {
                return format_value(r, rt_value::of(v * number(100)), t.value->id) + "%";
            }
            return format_value(r, rt_value::of(v), t.value->id);
        };
        std::string old_text = shown(*old_.reg, c.threshold->first, va);
        std::string new_text = shown(*new_.reg, c.threshold->second, vb);
        // Two values on the two sides of an arrow have one number of decimals ("82.0% → 82.5%",
        // not "82% → 82.5%"); a value unchanged is shown once (crossing_text()).
        const auto decimals = [](const std::string& t) {
            const auto dot = t.find('.');
            std::size_t n = 0;
            while (dot != std::string::npos && dot + 1 + n < t.size() && t[dot + 1 + n] >= '0'
                   && t[dot + 1 + n] <= '9') {
                ++n;
            }
            return static_cast<unsigned>(n);
        };
        if (old_text != new_text && decimals(old_text) != decimals(new_text)) {
            const unsigned places = std::max(decimals(old_text), decimals(new_text));
            auto fixed = [&](const threshold_side& t, const number& v) {
                const auto* lit = std::get_if<ast::number_lit>(&t.bound->kind);
                return lit && lit->percent ? (v * number(100)).display(places, places) + "%"
                                           : v.display(places, places);
            };
            old_text = fixed(c.threshold->first, va);
            new_text = fixed(c.threshold->second, vb);
        }
        d.crossings.push_back({i, c.subject, one_line(new_.reg->ast->file->slice(value.where)),
                               std::move(old_text), std::move(new_text), *ha, *hb});
    }
}

void outcome_comparer::status(unit_difference& d, std::size_t ou, std::size_t nu) {
    // The knock-outs that hold on one side only, by label.
    auto holds = [](const bloc_outcome& b, std::size_t u) {
        std::map<std::string, std::size_t> out;
        for (const auto k : b.scores[u].exclude_reasons) {
            out[knockout_subject(b.reg->ast->knockouts[k])] = k;
        }
        for (const auto k : b.scores[u].ineligible_reasons) {
            out[knockout_subject(b.reg->ast->knockouts[k])] = k;
        }
        return out;
    };
    const auto a = holds(old_, ou);
    // A knock-out whose label changed is known by its old label on both sides.
    std::map<std::string, std::size_t> b;
    for (const auto& [subject, k] : holds(new_, nu)) {
        b[knockout_subject(old_knockout(new_.reg->ast->knockouts[k]))] = k;
    }
    // What made a knock-out hold or not: its own change, else what its condition reads.
    std::vector<std::size_t> points_causes;
    for (const auto& p : d.points) {
        merge(points_causes, p.causes);
    }
    auto explain = [&](const std::string& subject, const ast::knockout* ko_old,
                       const ast::knockout* ko_new) {
        auto own = with_subject(subject);
        if (!own.empty()) {
            merge(d.status_causes, own);
            return;
        }
        std::set<std::string> deps;
        if (ko_old) {
            deps = old_deps_.condition(ko_old->condition.get());
        }
        std::set<std::string> deps_new;
        if (ko_new) {
            deps_new = new_deps_.condition(ko_new->condition.get());
        }
        merge(d.status_causes, causes(deps, deps_new));
        if (deps.count(anything) != 0 || deps_new.count(anything) != 0) {
            merge(d.status_causes, points_causes);
        }
    };
    auto find = [&](const bloc_outcome& bl, const std::string& subject) -> const ast::knockout* {
        for (const auto& k : bl.reg->ast->knockouts) {
            if (knockout_subject(&bl == &new_ ? old_knockout(k) : k) == subject) {
                return &k;
            }
        }
        return nullptr;
    };
    for (const auto& [subject, k] : a) {
        if (b.count(subject) == 0) {
            explain(subject, &old_.reg->ast->knockouts[k], find(new_, subject));
        }
    }
    for (const auto& [subject, k] : b) {
        if (a.count(subject) == 0) {
            explain(subject, find(old_, subject), &new_.reg->ast->knockouts[k]);
        }
    }
}

bool open_decision(decision_kind k) {
    return k == decision_kind::quota_conflict || k == decision_kind::pending_tie_vote
           || k == decision_kind::pending_other_tier || k == decision_kind::pending_dependency;
}

// The decisions still open for unit `u`, by tier id, in words that name the units sharing each
// (a tie vote's or a quota conflict's members): two sides whose words differ leave the bloc a
// different decision to take.
std::map<std::string, std::string> open_decisions(const bloc_outcome& b, std::size_t u) {
    std::map<std::string, std::string> out;
    const ranking_outcome& r = b.ranking;
    const auto& tiers = r.units[u].tiers;
    for (std::size_t t = 0; t < tiers.size(); ++t) {
        const tier_decision& td = tiers[t];
        if (!open_decision(td.kind)) {
            continue;
        }
        std::string text;
        if (td.kind == decision_kind::pending_tie_vote && td.issue < r.tie_votes.size()) {
            text = describe_tie_vote(r, r.tie_votes[td.issue]);
        } else if (td.kind == decision_kind::quota_conflict && td.issue < r.conflicts.size()) {
            text = describe_conflict(r, r.conflicts[td.issue]);
        } else {
            text = tier_label(b.reg->ast->awards[t]) + ": " + board::decision(b, u, t, false);
        }
        out[b.reg->ast->awards[t].id] = std::move(text);
    }
    return out;
}

void outcome_comparer::open_reason(unit_difference& d, std::size_t ou, std::size_t nu,
                                   const std::map<std::string, const unit_difference*>& units) {
    const auto a = open_decisions(old_, ou);
    const auto b = open_decisions(new_, nu);
    if (a == b) {
        return;
    }
    d.award_changed = true;
    d.open_changed = true;
    // Only the tiers whose open decision differs.
    std::vector<std::string> before;
    std::vector<std::string> now;
    std::set<std::string> members;
    for (const auto& [id, text] : a) {
        const auto other = b.find(id);
        if (other == b.end() || other->second != text) {
            before.push_back(text);
        }
    }
    for (const auto& [id, text] : b) {
        const auto other = a.find(id);
        if (other == a.end() || other->second != text) {
            now.push_back(text);
        }
    }
    auto issue_members = [&](const bloc_outcome& bl, std::size_t u) {
        const ranking_outcome& r = bl.ranking;
        for (const auto& td : r.units[u].tiers) {
            const std::vector<std::size_t>* list = nullptr;
            if (td.kind == decision_kind::pending_tie_vote && td.issue < r.tie_votes.size()) {
                list = &r.tie_votes[td.issue].units;
            } else if (td.kind == decision_kind::quota_conflict && td.issue < r.conflicts.size()) {
                list = &r.conflicts[td.issue].units;
            }
            if (list) {
                for (const auto m : *list) {
                    members.insert(bl.units[m]->name);
                }
            }
        }
    };
    issue_members(old_, ou);
    issue_members(new_, nu);
    const std::string none = tr(msg::diff_none);
    d.award_reason =
        tr(msg::diff_open_reason,
           fmt::arg("old", before.empty() ? none : fmt::format("{}", fmt::join(before, "; "))),
           fmt::arg("new", now.empty() ? none : fmt::format("{}", fmt::join(now, "; "))));
    // Why: the rules of the open tiers (quota, candidates, ranking), then the unit's own rank
    // moves; when none of those changed, the points of the units that share the decision on
    // either side (another unit's total brought it into the tie or took it out).
    auto open_rules = [&](const bloc_outcome& bl, std::size_t u) {
        std::vector<std::size_t> out;
        const auto& tiers = bl.ranking.units[u].tiers;
        for (std::size_t t = 0; t < tiers.size(); ++t) {
            if (!open_decision(tiers[t].kind)) {
                continue;
            }
            const std::string subject = "award " + bl.reg->ast->awards[t].id;
            merge(out, with_subject(subject, "candidates"));
            merge(out, with_subject(subject, "quota"));
            merge(out, with_subject(subject, "unused slots"));
            merge(out, with_subject(subject, "award"));
        }
        return out;
    };
    merge(d.award_causes, open_rules(old_, ou));
    merge(d.award_causes, open_rules(new_, nu));
    merge(d.award_causes, with_subject("awards limit"));
    if (d.rank_changed) {
        merge(d.award_causes, d.rank_causes);
    }
    if (d.award_causes.empty()) {
        for (const auto& name : members) {
            if (const auto u = units.find(name); u != units.end()) {
                for (const auto& p : u->second->points) {
                    if (p.moved()) {
                        merge(d.award_causes, p.causes);
                    }
                }
            }
        }
    }
}

void outcome_comparer::award(unit_difference& d, std::size_t ou, std::size_t nu) {
    const ast::regulation& ra = *old_.reg->ast;
    const ast::regulation& rb = *new_.reg->ast;
    auto tier_index = [](const ast::regulation& r,
                         const std::string& id) -> std::optional<std::size_t> {
        for (std::size_t t = 0; t < r.awards.size(); ++t) {
            if (r.awards[t].id == id) {
                return t;
            }
        }
        return std::nullopt;
    };
    // Why the unit's decision at tier `id` is what it is on one side, as rule changes.
    auto decision_causes = [&](const bloc_outcome& bl, std::size_t u, const std::string& id) {
        std::vector<std::size_t> out;
        const auto t = tier_index(*bl.reg->ast, id);
        const std::string subject = "award " + id;
        if (!t) {
            merge(out, with_subject(subject, "award"));  // the tier was added or removed
            return out;
        }
        const tier_decision& td = bl.ranking.units[u].tiers[*t];
        switch (td.kind) {
            case decision_kind::requirement_failed:
                for (const auto r : td.failed_requirements) {
                    merge(out, with_subject(subject, "requirement",
                                            bl.reg->ast->awards[*t].requirements[r].label));
                }
                break;
            case decision_kind::quota_exhausted:
            case decision_kind::quota_conflict:
                merge(out, with_subject(subject, "quota"));
                merge(out, with_subject(subject, "unused slots"));
                merge(out, with_subject("awards limit"));
                break;
            case decision_kind::outside_window:
                merge(out, with_subject(subject, "candidates"));
                break;
            case decision_kind::already_awarded:
                merge(out, with_subject("awards", "order"));
                break;
            case decision_kind::pending_tie_vote:
                // A tie across the candidate ranks: the ranks, and how the ranking parts ties.
                merge(out, with_subject(subject, "candidates"));
                merge(out, with_subject("ranking"));
                break;
            default:
                break;
        }
        return out;
    };
    // An open decision (the bloc decides) on one side: what each open tier's issue depends on.
    auto open_causes = [&](const bloc_outcome& bl, std::size_t u) {
        std::vector<std::size_t> out;
        const auto& tiers = bl.ranking.units[u].tiers;
        for (std::size_t t = 0; t < tiers.size(); ++t) {
            if (open_decision(tiers[t].kind)) {
                merge(out, decision_causes(bl, u, bl.reg->ast->awards[t].id));
            }
        }
        return out;
    };
    const std::string& was = d.old_side.award;
    const std::string& now = d.new_side.award;
    for (const std::string* id : {&was, &now}) {
        if (id->empty() || *id == "?") {
            continue;
        }
        // The decision on the side where the unit does not hold the tier says why; the other
        // side's decision (requirement held, slot available) says what was lifted.
        merge(d.award_causes, decision_causes(old_, ou, *id));
        merge(d.award_causes, decision_causes(new_, nu, *id));
        merge(d.award_causes, with_subject("award " + *id, "award"));
    }
    if (was == "?") {
        merge(d.award_causes, open_causes(old_, ou));
    }
    if (now == "?") {
        merge(d.award_causes, open_causes(new_, nu));
    }
    // A tier that now gives more (or fewer) awards than its old (new) slots allowed: the slots
    // are a cause too, whatever the unit's own decision says.
    for (const std::string* id : {&was, &now}) {
        const auto to = tier_index(ra, *id);
        const auto tn = tier_index(rb, *id);
        if (!to || !tn) {
            continue;
        }
        const tier_report& o = old_.ranking.tiers[*to];
        const tier_report& n = new_.ranking.tiers[*tn];
        const bool gained = *id == now;
        const bool slots_mattered =
            gained ? o.available && (!n.available || n.given > o.available->hi)
                   : n.available && (!o.available || o.given > n.available->hi);
        if (slots_mattered) {
            merge(d.award_causes, with_subject("award " + *id, "quota"));
            merge(d.award_causes, with_subject("awards limit"));
            for (const auto& a : rb.awards) {
                merge(d.award_causes, with_subject("award " + a.id, "unused slots"));
            }
        }
    }
    if (d.status_changed) {
        merge(d.award_causes, d.status_causes);
    }
    // A tier decided by rank (the candidate window, the quota, a tier given before) on the side
    // where the unit does not hold it: when the unit's own points moved its rank that way, they
    // are a cause as well. A lower score and a smaller quota can each take the same award away, and
    // the board should see both.
    if (d.rank_changed && d.old_side.total && d.new_side.total) {
        for (const std::string* id : {&was, &now}) {
            const bool gained = *id == now;
            // Only a move the right way: a unit that lost a tier scored less, one that gained it
            // scored more.
            if (gained ? *d.new_side.total <= *d.old_side.total
                       : *d.new_side.total >= *d.old_side.total) {
                continue;
            }
            const bloc_outcome& without = gained ? old_ : new_;
            const std::size_t u = gained ? ou : nu;
            const auto t = tier_index(*without.reg->ast, *id);
            if (id->empty() || *id == "?" || !t) {
                continue;
            }
            switch (without.ranking.units[u].tiers[*t].kind) {
                case decision_kind::outside_window:
                case decision_kind::quota_exhausted:
                case decision_kind::quota_conflict:
                case decision_kind::already_awarded:
                    for (const auto& p : d.points) {
                        merge(d.award_causes, p.causes);
                    }
                    break;
                default:
                    break;
            }
        }
    }
    if (d.award_causes.empty()) {
        // No rule of the awards changed: the unit's own points moved it (a requirement on the
        // total, a rank), when they changed at all.
        for (const auto& p : d.points) {
            merge(d.award_causes, p.causes);
        }
    }
    // In words: the decision that the new regulation took for the tier lost or gained, the
    // tier named by its label, the decision worded as in every output (board::decision).
    // (The tier gained when there is one, else the tier lost.)
    const std::string& tier = !now.empty() && now != "?" ? now : was;
    if (!tier.empty() && tier != "?") {
        if (const auto t = tier_index(rb, tier)) {
            d.award_reason = fmt::format("{}: {}", tier_label(rb.awards[*t]),
                                         board::decision(new_, nu, *t, false));
        } else if (const auto o = tier_index(ra, tier)) {
            d.award_reason = tr(msg::diff_award_gone, fmt::arg("tier", tier_label(ra.awards[*o])));
        }
    } else if (const auto t = tier_index(ra, was)) {
        d.award_reason =
            fmt::format("{}: {}", tier_label(ra.awards[*t]), board::decision(old_, ou, *t, false));
    } else if (now == "?") {
        // Now open: the decisions the bloc has to take.
        std::vector<std::string> open;
        for (const auto& [id, text] : open_decisions(new_, nu)) {
            open.push_back(text);
        }
        d.award_reason = fmt::format("{}", fmt::join(open, "; "));
    } else if (was == "?") {
        // Open before, decided now: the new decisions of the tiers that were open.
        std::vector<std::string> decided;
        for (const auto& [id, text] : open_decisions(old_, ou)) {
            if (const auto nt = tier_index(rb, id)) {
                decided.push_back(fmt::format("{}: {}", tier_label(rb.awards[*nt]),
                                              board::decision(new_, nu, *nt, false)));
            }
        }
        d.award_reason = fmt::format("{}", fmt::join(decided, "; "));
    }
}

namespace {

std::optional<std::size_t> tier_of(const ast::regulation& r, const std::string& id) {
    for (std::size_t t = 0; t < r.awards.size(); ++t) {
        if (r.awards[t].id == id) {
            return t;
        }
    }
    return std::nullopt;
}

std::string tier_word(const ast::award& a) {
    return a.label.empty() ? a.id : a.label;
}

std::string award_side_word(const unit_difference::side& s) {
    if (!s.present) {
        return tr(msg::diff_not_in_data);
    }
    if (s.award.empty()) {
        return "—";
    }
    if (s.award == "?") {
        return tr(msg::diff_award_open);
    }
    return s.award_label.empty() ? s.award : s.award_label;
}

// Another unit's move as the context of an award names it: for a slot, its award and status
// (`ranked`: its rank and total instead, what moved it behind or ahead).
std::string other_move(const unit_difference& x, unsigned places, bool ranked) {
    std::vector<std::string> parts;
    if (!ranked && x.award_changed) {
        parts.push_back(
            fmt::format("{} → {}", award_side_word(x.old_side), award_side_word(x.new_side)));
    }
    if (!ranked && x.status_changed && x.old_side.status != x.new_side.status) {
        parts.push_back(fmt::format("{} → {}", status_in_words(x.old_side.status),
                                    status_in_words(x.new_side.status)));
    }
    if (ranked && x.rank_changed) {
        parts.push_back(tr(msg::diff_ctx_rank, fmt::arg("old", x.old_side.rank),
                           fmt::arg("new", x.new_side.rank)));
    }
    if (ranked && x.old_side.total != x.new_side.total) {
        const auto [a, b] = points_apart(x.old_side.total, x.new_side.total, places);
        parts.push_back(tr(msg::diff_ctx_total, fmt::arg("old", a), fmt::arg("new", b)));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

// What moved another unit's rank: its points, or a knock-out that took it out of the ranking
// (an ineligible unit stays ranked).
std::vector<std::size_t> outcome_comparer::rank_move_causes(const unit_difference& x) {
    std::vector<std::size_t> out;
    for (const auto& p : x.points) {
        if (p.moved()) {
            merge(out, p.causes);
        }
    }
    if (x.old_side.status != x.new_side.status
        && (x.old_side.status == "excluded" || x.new_side.status == "excluded")) {
        merge(out, x.status_causes);
    }
    return out;
}

// Who moved the unit's rank when the ranking itself did not change: each unit whose place
// relative to it differs between the two sides (ahead of it, sharing its rank, behind it, or not
// ranked), with that unit's own move and the rule changes that made it.
void outcome_comparer::rank_context(unit_difference& d, std::size_t ou, std::size_t nu,
                                    const std::map<std::string, const unit_difference*>& units) {
    const unsigned places =
        std::max(display_places(*old_.reg->ast), display_places(*new_.reg->ast));
    std::map<std::string, std::size_t> old_index;
    for (std::size_t i = 0; i < old_.units.size(); ++i) {
        old_index[old_.units[i]->name] = i;
    }
    // Where unit x stands relative to unit u on one side.
    // A unit that leaves (enters) the ranking moved by its own status: its rank goes with it.
    if (!old_.ranking.units[ou].rank || !new_.ranking.units[nu].rank) {
        d.rank_causes = d.status_causes;
        return;
    }
    enum class place { ahead, level, behind, unranked };
    auto place_of = [](const bloc_outcome& bl, std::size_t x, std::size_t u) {
        const auto& rx = bl.ranking.units[x].rank;
        const auto& ru = bl.ranking.units[u].rank;
        if (!rx || !ru) {
            return place::unranked;
        }
        return *rx < *ru ? place::ahead : *rx == *ru ? place::level : place::behind;
    };
    for (const std::size_t x : board::table_order(new_)) {
        const std::string& name = new_.units[x]->name;
        const auto o = old_index.find(name);
        const auto u = units.find(name);
        if (x == nu || o == old_index.end() || u == units.end()) {
            continue;
        }
        const place before = place_of(old_, o->second, ou);
        const place now = place_of(new_, x, nu);
        if (before == now) {
            continue;
        }
        const unit_difference& other = *u->second;
        award_note n;
        n.unit = name;
        n.causes = rank_move_causes(other);
        std::string change = other_move(other, places, true);
        if (now == place::unranked || before == place::unranked) {
            change = fmt::format("{} → {}", status_in_words(other.old_side.status),
                                 status_in_words(other.new_side.status));
        }
        msg what = msg::diff_rank_ctx_ahead;
        switch (now) {
            case place::ahead:
                n.kind = "ahead";
                break;
            case place::level:
                n.kind = "level";
                what = msg::diff_rank_ctx_level;
                break;
            case place::behind:
                n.kind = "behind";
                what = msg::diff_rank_ctx_behind;
                break;
            case place::unranked:
                n.kind = "unranked";
                what = msg::diff_rank_ctx_unranked;
                break;
        }
        if (before == place::unranked) {
            n.kind = "ranked";
            what = now == place::ahead   ? msg::diff_rank_ctx_ranked_ahead
                   : now == place::level ? msg::diff_rank_ctx_ranked_level
                                         : msg::diff_rank_ctx_ranked_behind;
        }
        n.text = tr(what, fmt::arg("unit", name)) + (change.empty() ? "" : ": " + change);
        d.rank_context.push_back(std::move(n));
    }
    // An award that changed with no rule of its own changing, decided by the rank these units
    // moved: their changes are its causes too.
    if (d.award_changed && d.award_causes.empty()) {
        for (const auto& n : d.rank_context) {
            merge(d.award_causes, n.causes);
        }
    }
}

// What moved around the unit for its award to change. For the tier gained (lost), on the side
// where the unit does not hold it, the unit was held back (is held back) by the tier's slots or
// by `awards limit`, or stood outside the candidate ranks; each of these is compared with the
// side where it holds the tier: the slots themselves (own limit, slots passed down, the awards
// limit) and the units that count against it (those ranked ahead of it that take a slot of the
// tier, and, under the awards limit, those given an earlier tier). A unit that counts against it
// only on the side where it does not hold the tier freed (took) the slot; its own award causes
// say which change made it so.
void outcome_comparer::award_context(
    unit_difference& d, std::size_t ou, std::size_t nu,
    const std::map<std::string, const unit_difference*>& units,
    const std::map<std::string, std::vector<std::size_t>>& award_causes) {
    // Totals with the decimals of the report (regulation_diff::places).
    const unsigned places =
        std::max(display_places(*old_.reg->ast), display_places(*new_.reg->ast));
    auto index_of = [](const bloc_outcome& bl) {
        std::map<std::string, std::size_t> out;
        for (std::size_t i = 0; i < bl.units.size(); ++i) {
            out[bl.units[i]->name] = i;
        }
        return out;
    };
    const auto old_index = index_of(old_);
    const auto new_index = index_of(new_);
    auto causes_of = [&](const std::string& name) {
        const auto c = award_causes.find(name);
        return c == award_causes.end() ? std::vector<std::size_t>() : c->second;
    };
    auto points_causes_of = [](const unit_difference& x) { return rank_move_causes(x); };
    // Another unit moved when its total or whether it is ranked changed; one whose rank alone
    // changed was passed by this unit's own move, or by a third unit's (named on its own).
    auto moved = [](const unit_difference& x) { return x.old_side.total != x.new_side.total; };
    auto add_note = [&](award_note n) {
        merge(d.award_causes, n.causes);
        if (std::none_of(d.award_context.begin(), d.award_context.end(),
                         [&](const award_note& m) { return m.text == n.text; })) {
            d.award_context.push_back(std::move(n));
        }
    };
    for (const bool gained : {true, false}) {
        const std::string& id = gained ? d.new_side.award : d.old_side.award;
        if (id.empty() || id == "?") {
            continue;
        }
        const bloc_outcome& blocked = gained ? old_ : new_;
        const bloc_outcome& holding = gained ? new_ : old_;
        const auto& holding_index = gained ? new_index : old_index;
        const std::size_t bu = gained ? ou : nu;
        const std::size_t hu = gained ? nu : ou;
        const auto tb = tier_of(*blocked.reg->ast, id);
        const auto th = tier_of(*holding.reg->ast, id);
        if (!tb || !th) {
            continue;
        }
        const decision_kind dk = blocked.ranking.units[bu].tiers[*tb].kind;
        const bool by_slots =
            dk == decision_kind::quota_exhausted || dk == decision_kind::quota_conflict;
        const bool by_rank = dk == decision_kind::outside_window && d.rank_changed;
        if (!by_slots && !by_rank) {
            continue;
        }
        const std::string tier = tier_word(holding.reg->ast->awards[*th]);
        // Whether unit x counts against the unit on one side: ranked ahead of it and given the
        // tier; or, under the awards limit, given any tier decided before it.
        auto ahead = [](const bloc_outcome& bl, std::size_t x, std::size_t u) {
            const auto& rx = bl.ranking.units[x];
            const auto& ru = bl.ranking.units[u];
            return rx.rank && ru.rank && *rx.rank < *ru.rank;
        };
        auto counts = [&](const bloc_outcome& bl, std::size_t x, std::size_t u, std::size_t t,
                          bool limit) {
            const auto& held = bl.ranking.units[x].award;
            if (x == u || !held) {
                return false;
            }
            if (*held == t) {
                return ahead(bl, x, u);
            }
            return limit && *held < t;
        };
        const tier_report& rep_b = blocked.ranking.tiers[*tb];
        const tier_report& rep_h = holding.ranking.tiers[*th];
        const auto count_on = [&](const bloc_outcome& bl, std::size_t u, std::size_t t,
                                  bool limit) {
            std::uint64_t n = 0;
            for (std::size_t x = 0; x < bl.units.size(); ++x) {
                n += counts(bl, x, u, t, limit) ? 1U : 0U;
            }
            return n;
        };
        // The constraints that held the unit back: the tier's slots, the awards limit (both
        // when neither can be told, as while other decisions are open).
        bool tier_bound = false;
        bool limit_bound = false;
        if (by_slots) {
            tier_bound = rep_b.slots && count_on(blocked, bu, *tb, false) >= rep_b.slots->hi;
            limit_bound =
                blocked.ranking.awards_limit
                && count_on(blocked, bu, *tb, true) >= blocked.ranking.awards_limit->slots;
            if (!tier_bound && !limit_bound) {
                // Open decisions (a quota conflict) hold slots: the awards limit bound the unit
                // only when it left the tier fewer slots than its own.
                tier_bound = rep_b.slots.has_value();
                limit_bound = blocked.ranking.awards_limit.has_value() && rep_b.global_left
                              && (!rep_b.slots || rep_b.global_left->hi < rep_b.slots->hi);
            }
        } else {
            // Outside the candidate ranks: the ranks moved; the slots matter when the tier gives
            // more (fewer) than the other side's slots allowed.
            tier_bound = rep_b.available && (!rep_h.available || rep_h.given > rep_b.available->hi);
        }
        const std::string tier_subject = "award " + id;
        // The tier's slots: its own limit, and what the tier before it passed down.
        if (tier_bound && rep_b.slots != rep_h.slots) {
            const std::uint64_t b_own = rep_b.quota ? rep_b.quota->slots : 0;
            const std::uint64_t h_own = rep_h.quota ? rep_h.quota->slots : 0;
            const auto [bs, hs] =
                std::pair(rep_b.slots ? rep_b.slots->hi : 0, rep_h.slots ? rep_h.slots->hi : 0);
            const std::string old_slots = std::to_string(gained ? bs : hs);
            const std::string new_slots = std::to_string(gained ? hs : bs);
            if (b_own != h_own) {
                award_note n;
                n.kind = "quota";
                n.tier = tier;
                n.causes = with_subject(tier_subject, "quota");
                n.text = tr(msg::diff_ctx_quota, fmt::arg("tier", tier),
                            fmt::arg("old", decimal(std::to_string(gained ? b_own : h_own))),
                            fmt::arg("new", decimal(std::to_string(gained ? h_own : b_own))));
                add_note(std::move(n));
            }
            if (rep_b.passed_in != rep_h.passed_in && *tb > 0 && *th > 0) {
                const auto& prev_b = blocked.reg->ast->awards[*tb - 1];
                const auto& prev_h = holding.reg->ast->awards[*th - 1];
                award_note n;
                n.kind = "passed_down";
                n.tier = tier;
                merge(n.causes, with_subject("award " + prev_h.id, "unused slots"));
                merge(n.causes, with_subject("award " + prev_h.id, "quota"));
                // The units that the tier before it gave its slot to on one side only.
                std::vector<std::string> not_given;
                const bloc_outcome& more = gained ? blocked : holding;  // passed down fewer
                for (std::size_t x = 0; x < more.units.size(); ++x) {
                    const auto& held = more.ranking.units[x].award;
                    const auto& prev = gained ? prev_b : prev_h;
                    if (!held || more.reg->ast->awards[*held].id != prev.id) {
                        continue;
                    }
                    const std::string& name = more.units[x]->name;
                    const auto u = units.find(name);
                    if (u != units.end() && u->second->award_changed) {
                        not_given.push_back(name);
                        merge(n.causes, causes_of(name));
                    }
                }
                const std::uint64_t b_in = rep_b.passed_in.hi;
                const std::uint64_t h_in = rep_h.passed_in.hi;
                n.text =
                    tr(msg::diff_ctx_passed, fmt::arg("tier", tier),
                       fmt::arg("old", decimal(old_slots)), fmt::arg("new", decimal(new_slots)),
                       fmt::arg("passed", decimal(std::to_string(gained ? h_in : b_in))),
                       fmt::arg("from", tier_word(prev_h)),
                       fmt::arg("was", decimal(std::to_string(gained ? b_in : h_in))));
                if (!not_given.empty()) {
                    n.text +=
                        "; "
                        + tr(msg::diff_ctx_not_given,
                             fmt::arg("units", fmt::format("{}", fmt::join(not_given, ", "))));
                }
                add_note(std::move(n));
            }
        }
        if (limit_bound && blocked.ranking.awards_limit && holding.ranking.awards_limit
            && blocked.ranking.awards_limit->slots != holding.ranking.awards_limit->slots) {
            const auto b = blocked.ranking.awards_limit->slots;
            const auto h = holding.ranking.awards_limit->slots;
            award_note n;
            n.kind = "awards_limit";
            n.causes = with_subject("awards limit");
            n.text =
                tr(msg::diff_ctx_limit, fmt::arg("old", decimal(std::to_string(gained ? b : h))),
                   fmt::arg("new", decimal(std::to_string(gained ? h : b))));
            add_note(std::move(n));
        }
        // The units: those that count against it only where it does not hold the tier.
        for (const bool limit : {false, true}) {
            if (!(limit ? limit_bound : tier_bound)) {
                continue;
            }
            for (std::size_t x = 0; x < blocked.units.size(); ++x) {
                const std::string& name = blocked.units[x]->name;
                if (!counts(blocked, x, bu, *tb, limit)) {
                    continue;
                }
                const auto hx = holding_index.find(name);
                if (hx != holding_index.end() && counts(holding, hx->second, hu, *th, limit)) {
                    continue;
                }
                const auto u = units.find(name);
                if (u == units.end()) {
                    continue;
                }
                const unit_difference& other = *u->second;
                award_note n;
                n.unit = name;
                n.tier = tier;
                n.limit = limit;
                if (other.award_changed) {
                    n.kind = gained ? "slot_freed" : "slot_taken";
                    n.causes = causes_of(name);
                    const auto what =
                        gained ? (limit ? msg::diff_ctx_freed_limit : msg::diff_ctx_freed)
                               : (limit ? msg::diff_ctx_taken_limit : msg::diff_ctx_taken);
                    n.text = tr(what, fmt::arg("tier", tier), fmt::arg("unit", name),
                                fmt::arg("change", other_move(other, places, false)));
                } else if (moved(other)) {
                    // Still given the tier, but no longer ranked ahead (now ranked ahead).
                    n.kind = gained ? "behind" : "ahead";
                    n.causes = points_causes_of(other);
                    n.text = tr(gained ? msg::diff_ctx_behind : msg::diff_ctx_ahead,
                                fmt::arg("unit", name),
                                fmt::arg("change", other_move(other, places, true)));
                } else {
                    continue;
                }
                add_note(std::move(n));
            }
        }
        if (by_rank) {
            // Outside the candidate ranks on one side: the units ranked ahead of it there and not
            // on the other side moved it.
            for (std::size_t x = 0; x < blocked.units.size(); ++x) {
                const std::string& name = blocked.units[x]->name;
                if (x == bu || !ahead(blocked, x, bu)) {
                    continue;
                }
                const auto hx = holding_index.find(name);
                if (hx != holding_index.end() && ahead(holding, hx->second, hu)) {
                    continue;
                }
                const auto u = units.find(name);
                if (u == units.end() || !moved(*u->second)) {
                    continue;
                }
                award_note n;
                n.kind = gained ? "behind" : "ahead";
                n.unit = name;
                n.causes = points_causes_of(*u->second);
                n.text =
                    tr(gained ? msg::diff_ctx_behind : msg::diff_ctx_ahead, fmt::arg("unit", name),
                       fmt::arg("change", other_move(*u->second, places, true)));
                add_note(std::move(n));
            }
        }
    }
}

dataset_difference outcome_comparer::run(std::string data) {
    dataset_difference out;
    out.data = std::move(data);
    // Units in the order of the new regulation's score table (its ranking, then the excluded
    // units), so the outcome reads like the table the bloc will see; units only the old data has
    // come last, in the old table's order.
    std::map<std::string, std::size_t> old_units;
    for (std::size_t i = 0; i < old_.units.size(); ++i) {
        old_units[old_.units[i]->name] = i;
    }
    std::set<std::size_t> effective;
    std::map<std::size_t, std::vector<std::string>> absorbed;  // change -> units, by a limit
    std::vector<std::set<std::size_t>> absorbed_items;         // per unit: absorbed_entries_
    std::vector<std::pair<std::optional<std::size_t>, std::optional<std::size_t>>> pairs;
    std::set<std::string> new_names;
    for (const std::size_t i : board::table_order(new_)) {
        new_names.insert(new_.units[i]->name);
        const auto o = old_units.find(new_.units[i]->name);
        pairs.emplace_back(o == old_units.end() ? std::nullopt : std::optional(o->second), i);
    }
    for (const std::size_t i : board::table_order(old_)) {
        if (new_names.count(old_.units[i]->name) == 0) {
            pairs.emplace_back(i, std::nullopt);
        }
    }
    const auto ranking_causes = with_subject("ranking");
    for (const auto& [ou, nu] : pairs) {
        unit_difference d;
        d.name = ou ? old_.units[*ou]->name : new_.units[*nu]->name;
        d.old_side = side_of(old_, ou);
        d.new_side = side_of(new_, nu);
        absorbed_entries_.clear();
        if (ou && nu) {
            if (!old_.scores[*ou].excluded && !new_.scores[*nu].excluded) {
                points(d, *ou, *nu);
                crossings(d, *ou, *nu);
            }
            // Knock-outs by their old labels: a label that changed changes no unit's status.
            std::vector<std::string> new_knockouts;
            const auto& nsc = new_.scores[*nu];
            for (const auto* reasons : {&nsc.exclude_reasons, &nsc.ineligible_reasons}) {
                for (const auto k : *reasons) {
                    new_knockouts.push_back(old_knockout(new_.reg->ast->knockouts[k]).label);
                }
            }
            d.status_changed =
                d.old_side.status != d.new_side.status || d.old_side.knockouts != new_knockouts;
            if (d.status_changed) {
                status(d, *ou, *nu);
            }
        }
        // A new criterion that gives the unit 0 (or a removed one that gave it 0) is listed, but
        // moved none of its points.
        d.score_changed = d.old_side.total != d.new_side.total
                          || std::any_of(d.points.begin(), d.points.end(),
                                         [](const points_difference& p) { return p.moved(); });
        d.rank_changed = d.old_side.rank != d.new_side.rank;
        if (d.rank_changed) {
            d.rank_causes = ranking_causes;
        }
        d.award_changed = d.old_side.award != d.new_side.award;
        if (d.award_changed && ou && nu) {
            award(d, *ou, *nu);
        }
        absorbed_items.push_back(absorbed_entries_);
        out.units.push_back(std::move(d));
    }
    // Open on both sides: the same decision, or another one (this needs every unit's points,
    // as the units sharing the decision may be the ones whose totals moved).
    std::map<std::string, const unit_difference*> by_name;
    for (const auto& u : out.units) {
        by_name[u.name] = &u;
    }
    for (std::size_t k = 0; k < out.units.size(); ++k) {
        unit_difference& d = out.units[k];
        const auto& [ou, nu] = pairs[k];
        if (ou && nu && d.old_side.award == "?" && d.new_side.award == "?") {
            open_reason(d, *ou, *nu, by_name);
        }
        if (ou && nu && d.rank_changed && d.rank_causes.empty()) {
            rank_context(d, *ou, *nu, by_name);
        }
    }
    // What moved around the units whose award changed: the slots and the other units (their
    // award causes as they were before this pass, so that the order of the units does not
    // matter).
    std::map<std::string, std::vector<std::size_t>> award_causes;
    for (const auto& u : out.units) {
        if (u.award_changed) {
            award_causes[u.name] = u.award_causes;
        }
    }
    for (std::size_t k = 0; k < out.units.size(); ++k) {
        unit_difference& d = out.units[k];
        const auto& [ou, nu] = pairs[k];
        if (ou && nu && d.award_changed && !d.open_changed) {
            award_context(d, *ou, *nu, by_name, award_causes);
        }
    }
    for (std::size_t k = 0; k < out.units.size(); ++k) {
        const unit_difference& d = out.units[k];
        for (std::size_t i = 0; i < d.points.size(); ++i) {
            const points_difference& p = d.points[i];
            // A change a limit absorbed moved no number of the outcome; nor did a new rule that
            // gives 0 (there is no limit to name then).
            if (p.moved() && absorbed_items[k].count(i) == 0) {
                effective.insert(p.causes.begin(), p.causes.end());
                continue;
            }
            if (!p.limit && absorbed_items[k].count(i) == 0) {
                continue;
            }
            for (const auto c : p.causes) {
                auto& units = absorbed[c];
                if (units.empty() || units.back() != d.name) {
                    units.push_back(d.name);
                }
            }
        }
        effective.insert(d.status_causes.begin(), d.status_causes.end());
        effective.insert(d.rank_causes.begin(), d.rank_causes.end());
        effective.insert(d.award_causes.begin(), d.award_causes.end());
        out.score_changed += d.score_changed ? 1 : 0;
        out.total_changed += d.old_side.total != d.new_side.total ? 1U : 0U;
        out.rank_changed += d.rank_changed ? 1 : 0;
        out.award_changed += d.award_changed ? 1 : 0;
    }
    // Award tiers: the old ones in order, then those only the new regulation has.
    std::vector<std::pair<std::string, std::string>> tiers;
    for (const auto& a : old_.reg->ast->awards) {
        tiers.emplace_back(a.id, a.label);
    }
    for (const auto& a : new_.reg->ast->awards) {
        if (std::none_of(tiers.begin(), tiers.end(),
                         [&](const auto& t) { return t.first == a.id; })) {
            tiers.emplace_back(a.id, a.label);
        }
    }
    for (const auto& [id, label] : tiers) {
        award_movement m{id, label, {}, {}};
        for (const auto& u : out.units) {
            if (u.new_side.award == id && u.old_side.award != id) {
                m.gains.push_back(u.name);
            }
            if (u.old_side.award == id && u.new_side.award != id) {
                m.losses.push_back(u.name);
            }
        }
        out.awards.push_back(std::move(m));
    }
    for (std::size_t i = 0; i < changes_.size(); ++i) {
        // A declared range never changes a score: it only refuses values (E234), and results
        // it refuses are not compared at all.
        if (effective.count(i) == 0 && changes_[i].aspect != "range") {
            out.no_effect.push_back(i);
            if (const auto u = absorbed.find(i); u != absorbed.end()) {
                out.absorbed.emplace_back(i, u->second);
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

std::string points_text(const std::optional<number>& n, unsigned places) {
    return n ? decimal(n->to_string(places)) : std::string("—");
}

std::string refs(const std::vector<std::size_t>& causes) {
    std::vector<std::string> out;
    for (const auto c : causes) {
        out.push_back(fmt::format("[{}]", c + 1));
    }
    return fmt::format("{}", fmt::join(out, " "));
}

std::string pad(const std::string& s, std::size_t width) {
    const std::size_t w = utf8_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string total_word(const unit_difference::side& s, unsigned places) {
    if (!s.present) {
        return tr(msg::diff_absent);
    }
    return s.total ? decimal(s.total->to_string(places)) : tr(msg::diff_excluded);
}

}  // namespace

// Never shown as 0.00 when it is not 0 (number::display_apart against 0).
std::string delta_text(const number& d, unsigned places) {
    const std::string s = decimal(number::display_apart(d, number(), places).first);
    if (d <= number()) {
        return s;
    }
    const std::string mark = "\u2248";  // "≈+0.004", the mark first as for other values
    return s.compare(0, mark.size(), mark) == 0 ? mark + "+" + s.substr(mark.size()) : "+" + s;
}

std::pair<std::string, std::string> points_apart(const std::optional<number>& old_points,
                                                 const std::optional<number>& new_points,
                                                 unsigned places) {
    if (old_points && new_points) {
        return board::apart(*old_points, *new_points, places);
    }
    return {points_text(old_points, places), points_text(new_points, places)};
}

std::string status_in_words(const std::string& status) {
    if (status == "excluded") {
        return board::text().excluded;
    }
    return status == "ineligible" ? board::text().ineligible : tr(msg::versus_status_ranked);
}

std::string unit_difference::award_no_cause() const {
    return old_side.total != new_side.total || rank_changed ? tr(msg::diff_rank_or_total_moved)
                                                            : tr(msg::diff_slots_or_others_moved);
}

std::string unit_difference::rank_no_cause() const {
    const bool own = old_side.total != new_side.total;
    const bool others = std::any_of(rank_context.begin(), rank_context.end(),
                                    [](const award_note& n) { return !n.causes.empty(); });
    if (own && others) {
        return tr(msg::diff_rank_both_moved);
    }
    if (own) {
        return tr(msg::diff_rank_own_moved);
    }
    return others ? tr(msg::diff_rank_others_moved) : tr(msg::diff_totals_moved);
}

std::string absorbed_for_text(const std::vector<std::string>& units) {
    return tr(msg::diff_absorbed_for, fmt::arg("units", fmt::format("{}", fmt::join(units, ", "))));
}

std::string subject_in_words(const std::string& subject) {
    return subject_text(subject);
}

std::string points_subject_in_words(const points_difference& p) {
    const std::string subject = subject_text(p.subject);
    if (p.added) {
        return tr(msg::diff_rule_new, fmt::arg("subject", subject));
    }
    return p.removed ? tr(msg::diff_rule_removed, fmt::arg("subject", subject)) : subject;
}

std::string points_change_text(const points_difference& p, unsigned places) {
    if (!p.moved() && (!p.old_points || !p.new_points)) {
        // Nothing moved and one side has no points: the number the rule gave, without an arrow.
        return points_text(p.old_points ? p.old_points : p.new_points, places);
    }
    const auto [old_text, new_text] = points_apart(p.old_points, p.new_points, places);
    return fmt::format("{} → {}", old_text, new_text);
}

std::string change_subject_in_words(const rule_change& c) {
    if (c.subject.rfind("award ", 0) == 0 && !c.label.empty()) {
        return tr(msg::diff_word_award) + " " + quoted(c.label);
    }
    return subject_text(c.subject);
}

std::string crossing_text(const threshold_crossing& c) {
    // Stored with a point (the JSON's "old" and "new"); written for people here.
    const std::string number =
        c.old_value == c.new_value
            ? decimal(c.new_value)
            : fmt::format("{} → {}", decimal(c.old_value), decimal(c.new_value));
    return tr(c.old_holds ? msg::diff_crossing_lost : msg::diff_crossing_gained,
              fmt::arg("index", c.change + 1), fmt::arg("value", c.value),
              fmt::arg("number", number));
}

std::string limit_text(const points_difference& p, unsigned places) {
    if (!p.limit) {
        return "";
    }
    const limit_note& n = *p.limit;
    auto phrase = [](const number& limit) {
        return limit.is_zero()
                   ? tr(msg::diff_limit_zero)
                   : tr(msg::diff_limit_capped, fmt::arg("limit", decimal(limit.exact_string())));
    };
    const auto [old_text, new_text] = board::apart(n.old_computed, n.new_computed, places);
    const std::string computed = tr(n.group ? msg::diff_limit_items : msg::diff_limit_computed);
    const std::string at = n.position
                               ? tr(n.group ? msg::diff_limit_at_cap : msg::diff_limit_at_maximum,
                                    fmt::arg("position", *n.position))
                               : std::string();
    std::string text;
    if (n.old_limit && n.new_limit && *n.old_limit == *n.new_limit) {
        text = tr(msg::diff_limit_both, fmt::arg("computed", computed), fmt::arg("old", old_text),
                  fmt::arg("new", new_text), fmt::arg("limit", phrase(*n.old_limit)),
                  fmt::arg("at", at));
    } else if (n.old_limit && n.new_limit) {
        text = tr(msg::diff_limit_each, fmt::arg("computed", computed), fmt::arg("old", old_text),
                  fmt::arg("new", new_text), fmt::arg("old_limit", phrase(*n.old_limit)),
                  fmt::arg("new_limit", phrase(*n.new_limit)), fmt::arg("at", at));
    } else {
        text =
            tr(n.old_limit ? msg::diff_limit_old_only : msg::diff_limit_new_only,
               fmt::arg("computed", computed), fmt::arg("old", old_text), fmt::arg("new", new_text),
               fmt::arg("limit", phrase(n.old_limit ? *n.old_limit : *n.new_limit)),
               fmt::arg("at", at));
    }
    if (p.absorbed()) {
        text += tr(n.group ? msg::diff_limit_cap_absorbed : msg::diff_limit_absorbed);
    }
    return text;
}

std::vector<rule_change> compare_regulations(const checked_regulation& old_reg,
                                             const checked_regulation& new_reg) {
    return comparer(old_reg, new_reg).run();
}

dataset_difference compare_outcomes(const std::vector<rule_change>& changes,
                                    const bloc_outcome& old_bloc, const bloc_outcome& new_bloc,
                                    std::string data) {
    return outcome_comparer(changes, old_bloc, new_bloc).run(std::move(data));
}

std::string diff_text(const regulation_diff& d) {
    const unsigned places = d.places;
    std::string out;
    out += tr(msg::diff_old, fmt::arg("title", d.old_title), fmt::arg("path", d.old_path)) + "\n";
    out += tr(msg::diff_new, fmt::arg("title", d.new_title), fmt::arg("path", d.new_path)) + "\n\n";
    if (d.changes.empty()) {
        out += tr(msg::diff_no_changes) + "\n";
    } else {
        out += tr(msg::diff_changes, fmt::arg("count", d.changes.size())) + "\n";
        for (std::size_t i = 0; i < d.changes.size(); ++i) {
            const rule_change& c = d.changes[i];
            out += fmt::format("  [{}] {}: {}\n", i + 1, change_subject_in_words(c), c.description);
            out += "      "
                   + tr(msg::diff_positions, fmt::arg("old", c.old_position.value_or("—")),
                        fmt::arg("new", c.new_position.value_or("—")))
                   + "\n";
        }
    }
    for (const auto& ds : d.datasets) {
        out +=
            "\n"
            + tr(msg::diff_outcome, fmt::arg("data", ds.data), fmt::arg("count", ds.units.size()))
            + "\n";
        const std::string unit_heading = tr(msg::diff_col_unit);
        std::size_t name_width = utf8_width(unit_heading);
        for (const auto& u : ds.units) {
            name_width = std::max<std::size_t>(name_width, utf8_width(u.name));
        }
        out += fmt::format("  {}  {}  {}  {}\n", pad(unit_heading, name_width),
                           pad(tr(msg::diff_col_total), 30), pad(tr(msg::diff_col_rank), 12),
                           tr(msg::diff_col_award));
        for (const auto& u : ds.units) {
            std::string total = total_word(u.new_side, places);
            if (u.old_side.total && u.new_side.total && *u.old_side.total != *u.new_side.total) {
                const auto [old_text, new_text] =
                    board::apart(*u.old_side.total, *u.new_side.total, places);
                total = fmt::format("{} → {}", old_text, new_text);
            } else if (total_word(u.old_side, places) != total) {
                total = fmt::format("{} → {}", total_word(u.old_side, places), total);
            }
            if (u.old_side.total && u.new_side.total && *u.old_side.total != *u.new_side.total) {
                total +=
                    fmt::format(" ({})", delta_text(*u.new_side.total - *u.old_side.total, places));
            }
            const std::string rank = u.rank_changed
                                         ? fmt::format("{} → {}", u.old_side.rank, u.new_side.rank)
                                         : u.new_side.rank;
            const std::string award = u.award_changed
                                          ? fmt::format("{} → {}", award_side_word(u.old_side),
                                                        award_side_word(u.new_side))
                                          : award_side_word(u.new_side);
            out += fmt::format("  {}  {}  {}  {}\n", pad(u.name, name_width), pad(total, 30),
                               pad(rank, 12), award);
        }
        bool any = false;
        for (const auto& u : ds.units) {
            if (u.points.empty() && !u.status_changed && !u.award_changed && !u.rank_changed
                && u.crossings.empty()) {
                continue;
            }
            if (!any) {
                out += "\n  " + tr(msg::diff_by_unit) + "\n";
                any = true;
            }
            out += fmt::format("  {}:\n", u.name);
            for (const auto& p : u.points) {
                std::string delta;
                if (p.old_points && p.new_points && !p.absorbed()) {
                    delta = fmt::format(" ({})", delta_text(*p.new_points - *p.old_points, places));
                }
                out += fmt::format(
                    "    {}: {}{}{}\n", points_subject_in_words(p), points_change_text(p, places),
                    delta,
                    p.causes.empty()
                        ? "   " + tr(msg::diff_no_cause)
                        : "   " + tr(msg::diff_because, fmt::arg("refs", refs(p.causes))));
                if (p.limit) {
                    out += fmt::format("      {}\n", limit_text(p, places));
                }
                // The values a moved threshold of this rule now puts on the other side.
                for (const auto& c : u.crossings) {
                    if (c.subject == p.subject) {
                        out += fmt::format("      {}\n", crossing_text(c));
                    }
                }
            }
            for (const auto& c : u.crossings) {
                if (std::none_of(u.points.begin(), u.points.end(), [&](const points_difference& p) {
                        return p.subject == c.subject;
                    })) {
                    out += fmt::format("    {}: {}\n", subject_text(c.subject), crossing_text(c));
                }
            }
            if (u.status_changed) {
                out +=
                    "    "
                    + tr(msg::diff_status_line, fmt::arg("old", status_in_words(u.old_side.status)),
                         fmt::arg("new", status_in_words(u.new_side.status)))
                    + (u.status_causes.empty()
                           ? std::string()
                           : "   " + tr(msg::diff_because, fmt::arg("refs", refs(u.status_causes))))
                    + "\n";
            }
            if (u.rank_changed) {
                out += "    "
                       + tr(msg::diff_rank_line, fmt::arg("old", u.old_side.rank),
                            fmt::arg("new", u.new_side.rank))
                       + "   "
                       + (u.rank_causes.empty()
                              ? u.rank_no_cause()
                              : tr(msg::diff_because, fmt::arg("refs", refs(u.rank_causes))))
                       + "\n";
                for (const auto& n : u.rank_context) {
                    out += fmt::format(
                        "      {}{}\n", n.text,
                        n.causes.empty()
                            ? std::string()
                            : "   " + tr(msg::diff_because, fmt::arg("refs", refs(n.causes))));
                }
            }
            if (u.award_changed) {
                out += "    "
                       + tr(msg::diff_award_line, fmt::arg("old", award_side_word(u.old_side)),
                            fmt::arg("new", award_side_word(u.new_side)))
                       + "   "
                       + (u.award_causes.empty()
                              ? u.award_no_cause()
                              : tr(msg::diff_because, fmt::arg("refs", refs(u.award_causes))))
                       + "\n";
                for (const auto& n : u.award_context) {
                    out += fmt::format(
                        "      {}{}\n", n.text,
                        n.causes.empty()
                            ? std::string()
                            : "   " + tr(msg::diff_because, fmt::arg("refs", refs(n.causes))));
                }
                if (!u.award_reason.empty()) {
                    out += fmt::format("      {}\n", u.award_reason);
                }
            }
        }
        out +=
            "\n  "
            + tr(msg::diff_summary, fmt::arg("data", ds.data), fmt::arg("score", ds.score_changed),
                 fmt::arg("total", ds.total_changed), fmt::arg("units", ds.units.size()),
                 fmt::arg("rank", ds.rank_changed), fmt::arg("award", ds.award_changed))
            + "\n";
        for (const auto& m : ds.awards) {
            if (m.gains.empty() && m.losses.empty()) {
                out += "    "
                       + tr(msg::diff_award_unchanged,
                            fmt::arg("label", m.label.empty() ? m.id : m.label))
                       + "\n";
                continue;
            }
            const std::string none = tr(msg::diff_none);
            out +=
                "    "
                + tr(msg::diff_award_moves, fmt::arg("label", m.label.empty() ? m.id : m.label),
                     fmt::arg("gains",
                              m.gains.empty() ? none : fmt::format("{}", fmt::join(m.gains, ", "))),
                     fmt::arg("losses", m.losses.empty()
                                            ? none
                                            : fmt::format("{}", fmt::join(m.losses, ", "))))
                + "\n";
        }
        for (const auto i : ds.no_effect) {
            const auto absorbed = std::find_if(ds.absorbed.begin(), ds.absorbed.end(),
                                               [&](const auto& a) { return a.first == i; });
            if (absorbed != ds.absorbed.end()) {
                out += "  "
                       + tr(msg::diff_no_effect, fmt::arg("index", i + 1),
                            fmt::arg("subject", change_subject_in_words(d.changes[i])),
                            fmt::arg("description", d.changes[i].description),
                            fmt::arg("data", ds.data))
                       + absorbed_for_text(absorbed->second) + "\n";
                continue;
            }
            out +=
                "  "
                + tr(msg::diff_no_effect, fmt::arg("index", i + 1),
                     fmt::arg("subject", change_subject_in_words(d.changes[i])),
                     fmt::arg("description", d.changes[i].description), fmt::arg("data", ds.data))
                + "\n";
        }
    }
    return out;
}

std::string diff_json(const regulation_diff& d) {
    using nlohmann::ordered_json;
    const unsigned places = d.places;
    auto num = [&](const std::optional<number>& n) {
        return n ? ordered_json(n->to_string(places)) : ordered_json(nullptr);
    };
    auto indices = [](const std::vector<std::size_t>& v) {
        ordered_json a = ordered_json::array();
        for (const auto i : v) {
            a.push_back(i + 1);
        }
        return a;
    };
    ordered_json doc;
    doc["old"] = {{"file", d.old_path}, {"title", d.old_title}};
    doc["new"] = {{"file", d.new_path}, {"title", d.new_title}};
    ordered_json changes = ordered_json::array();
    for (std::size_t i = 0; i < d.changes.size(); ++i) {
        const rule_change& c = d.changes[i];
        static constexpr const char* kinds[] = {"added", "removed", "changed"};
        ordered_json j;
        j["id"] = i + 1;
        j["kind"] = kinds[static_cast<int>(c.what)];
        j["subject"] = c.subject;
        j["aspect"] = c.aspect;
        if (!c.label.empty()) {
            j["label"] = c.label;
        }
        if (!c.part.empty()) {
            j["requirement"] = c.part;
        }
        if (!c.renamed.empty()) {
            j["new_label"] = c.renamed;
        }
        j["description"] = c.description;
        j["old"] = c.old_position ? ordered_json(*c.old_position) : ordered_json(nullptr);
        j["new"] = c.new_position ? ordered_json(*c.new_position) : ordered_json(nullptr);
        changes.push_back(std::move(j));
    }
    doc["changes"] = std::move(changes);
    ordered_json datasets = ordered_json::array();
    for (const auto& ds : d.datasets) {
        ordered_json units = ordered_json::array();
        for (const auto& u : ds.units) {
            auto side = [&](const unit_difference::side& s) {
                if (!s.present) {
                    return ordered_json(nullptr);
                }
                ordered_json j;
                j["status"] = s.status;
                j["total"] = num(s.total);
                j["total_exact"] =
                    s.total ? ordered_json(s.total->exact_string()) : ordered_json(nullptr);
                j["rank"] = s.rank;
                j["award"] = s.award.empty() ? ordered_json(nullptr) : ordered_json(s.award);
                if (!s.award.empty() && s.award != "?") {
                    j["award_label"] = s.award_label;
                }
                return j;
            };
            ordered_json j;
            j["name"] = u.name;
            j["old"] = side(u.old_side);
            j["new"] = side(u.new_side);
            j["delta"] = u.old_side.total && u.new_side.total
                             ? num(*u.new_side.total - *u.old_side.total)
                             : ordered_json(nullptr);
            j["delta_exact"] =
                u.old_side.total && u.new_side.total
                    ? ordered_json((*u.new_side.total - *u.old_side.total).exact_string())
                    : ordered_json(nullptr);
            j["score_changed"] = u.score_changed;
            j["rank_changed"] = u.rank_changed;
            j["award_changed"] = u.award_changed;
            ordered_json pts = ordered_json::array();
            for (const auto& p : u.points) {
                ordered_json pj;
                pj["subject"] = p.subject;
                pj["old"] = num(p.old_points);
                pj["new"] = num(p.new_points);
                if (p.added) {
                    pj["added"] = true;
                }
                if (p.removed) {
                    pj["removed"] = true;
                }
                pj["moved"] = p.moved();
                pj["causes"] = indices(p.causes);
                if (p.limit) {
                    const limit_note& n = *p.limit;
                    auto limit = [](const std::optional<number>& l) {
                        return l ? ordered_json(l->exact_string()) : ordered_json(nullptr);
                    };
                    pj["limit"] = {
                        {"kind", n.group ? "cap" : "maximum"},
                        {"old_computed", n.old_computed.to_string(places)},
                        {"new_computed", n.new_computed.to_string(places)},
                        {"old_limit", limit(n.old_limit)},
                        {"new_limit", limit(n.new_limit)},
                        {"at", n.position ? ordered_json(*n.position) : ordered_json(nullptr)},
                        {"absorbed", p.absorbed()},
                        {"text", limit_text(p, places)}};
                }
                pts.push_back(std::move(pj));
            }
            j["points"] = std::move(pts);
            if (!u.crossings.empty()) {
                ordered_json cs = ordered_json::array();
                for (const auto& c : u.crossings) {
                    cs.push_back({{"change", c.change + 1},
                                  {"subject", c.subject},
                                  {"value", c.value},
                                  {"old", c.old_value},
                                  {"new", c.new_value},
                                  {"old_holds", c.old_holds},
                                  {"new_holds", c.new_holds}});
                }
                j["crossings"] = std::move(cs);
            }
            if (u.status_changed) {
                j["status_causes"] = indices(u.status_causes);
            }
            if (u.rank_changed) {
                j["rank_causes"] = indices(u.rank_causes);
                if (!u.rank_context.empty()) {
                    ordered_json ctx = ordered_json::array();
                    for (const auto& n : u.rank_context) {
                        ctx.push_back({{"kind", n.kind},
                                       {"unit", n.unit},
                                       {"causes", indices(n.causes)},
                                       {"text", n.text}});
                    }
                    j["rank_context"] = std::move(ctx);
                }
            }
            if (u.award_changed) {
                j["award_causes"] = indices(u.award_causes);
                j["award_reason"] = u.award_reason;
                if (u.open_changed) {
                    j["open_changed"] = true;
                }
                if (!u.award_context.empty()) {
                    ordered_json ctx = ordered_json::array();
                    for (const auto& n : u.award_context) {
                        ordered_json cj;
                        cj["kind"] = n.kind;
                        if (!n.unit.empty()) {
                            cj["unit"] = n.unit;
                        }
                        if (!n.tier.empty()) {
                            cj["tier"] = n.tier;
                        }
                        if (n.kind == "slot_freed" || n.kind == "slot_taken") {
                            cj["under"] = n.limit ? "awards limit" : "tier";
                        }
                        cj["causes"] = indices(n.causes);
                        cj["text"] = n.text;
                        ctx.push_back(std::move(cj));
                    }
                    j["award_context"] = std::move(ctx);
                }
            }
            units.push_back(std::move(j));
        }
        ordered_json awards = ordered_json::array();
        for (const auto& m : ds.awards) {
            awards.push_back(
                {{"id", m.id}, {"label", m.label}, {"gains", m.gains}, {"losses", m.losses}});
        }
        ordered_json j;
        j["data"] = ds.data;
        j["units"] = std::move(units);
        j["summary"] = {{"units", ds.units.size()},          {"score_changed", ds.score_changed},
                        {"total_changed", ds.total_changed}, {"rank_changed", ds.rank_changed},
                        {"award_changed", ds.award_changed}, {"awards", std::move(awards)}};
        j["no_effect"] = indices(ds.no_effect);
        if (!ds.absorbed.empty()) {
            ordered_json absorbed = ordered_json::array();
            for (const auto& [change, names] : ds.absorbed) {
                absorbed.push_back({{"change", change + 1}, {"units", names}});
            }
            j["absorbed"] = std::move(absorbed);
        }
        datasets.push_back(std::move(j));
    }
    doc["datasets"] = std::move(datasets);
    return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace thidua
