#include "engine/checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "dsl/parser.hpp"
#include "dsl/suggest.hpp"
#include "engine/ranking.hpp"
#include "engine/value.hpp"

namespace thidua {

namespace {

constexpr std::uint32_t no_node = UINT32_MAX;

// A closed or open ray of the number line, used to reason about `when` bands with constant bounds.
struct ray {
    number bound;
    bool inclusive = false;
    std::size_t band = 0;  // the band that contributed it, for notes
};

struct interval {
    number lo;
    number hi;
};

class checker {
  public:
    checker(const ast::regulation& reg, diagnostics& diags)
        : reg_(reg), diags_(diags), file_(reg.file), out_(std::make_unique<checked_regulation>()) {
        out_->ast = &reg;
        const std::size_t n = static_cast<std::size_t>(reg.expr_count) + 1;
        out_->types.resize(n);
        out_->refs.resize(n);
        out_->constants.resize(n);
        out_->strict_parent.resize(n);
    }

    std::unique_ptr<checked_regulation> run() {
        const std::size_t errors_before = diags_.error_count();
        check_header();
        check_enums();
        check_inputs();
        register_scoring();
        check_scoring();
        order_scoring();
        check_maxima();
        check_knockouts();
        check_ranking();
        check_awards();
        check_self_score();
        // After an error (a misspelt name, say) the input meant is not marked used; warning about
        // it would only repeat the error.
        if (diags_.error_count() == errors_before) {
            warn_unused_inputs();
        }
        if (diags_.error_count() > errors_before) {
            return nullptr;
        }
        return std::move(out_);
    }

  private:
    // ------------------------------------------------------------------------------------------
    // Reporting

    diagnostic& error(const char* code, span where, std::string message) {
        return diags_.error(code, file_, where, std::move(message));
    }
    diagnostic& warning(const char* code, span where, std::string message) {
        return diags_.warning(code, file_, where, std::move(message));
    }
    void note(diagnostic& d, span where, std::string message) {
        d.notes.push_back({file_, where, std::move(message)});
    }

    std::string type_name(const type& t) const {
        switch (t.what) {
            case type::kind::error:
                return "<error>";
            case type::kind::number:
                return tr(t.integer ? msg::checker_type_integer : msg::checker_type_number);
            case type::kind::boolean:
                return tr(msg::checker_type_bool);
            case type::kind::date:
                return tr(msg::checker_type_date);
            case type::kind::text:
                return tr(msg::checker_type_text);
            case type::kind::enumeration:
                return fmt::format("`{}`", reg_.enums[t.enum_index].name);
            case type::kind::list:
                return tr(msg::checker_type_list);
            case type::kind::element:
                return tr(msg::checker_type_element);
        }
        return "?";
    }

    // A literal as quoted in a message: long ones are cut, so a 1,000-digit number does not
    // drown the message (the caret line still shows where it is).
    static std::string quoted_literal(const std::string& text) {
        constexpr std::size_t shown = 24;
        if (text.size() <= shown) {
            return fmt::format("`{}`", text);
        }
        return tr(msg::checker_long_literal, fmt::arg("start", text.substr(0, shown)),
                  fmt::arg("length", text.size()));
    }

    // Parses a number literal that is not an expression (scale, max, quota, step).
    std::optional<number> literal(const ast::number_lit& lit, msg what) {
        auto v = number::parse(lit.text);
        if (!v) {
            error("E103", lit.where, tr(what, fmt::arg("number", quoted_literal(lit.text))));
            return std::nullopt;
        }
        if (lit.percent) {
            *v = *v / number(100);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------
    // Declarations

    void check_header() {
        if (reg_.scale.text.empty()) {
            error("E132", {reg_.where.begin, reg_.where.begin}, tr(msg::E132_no_scale));
        } else if (auto s = literal(reg_.scale, msg::E103_scale)) {
            if (s->sign() <= 0) {
                error("E132", reg_.scale.where, tr(msg::E132_scale_positive));
            } else {
                scale_ok_ = true;
            }
            out_->scale = *s;
        }
        std::map<ast::rounding_rule::target, const ast::rounding_rule*> seen;
        for (const auto& r : reg_.rounding) {
            if (auto it = seen.find(r.at); it != seen.end()) {
                auto& d = error("E135", r.where, tr(msg::E135_rounding_twice));
                note(d, it->second->where, tr(msg::E135_first_declared_here));
            }
            seen[r.at] = &r;
            if (auto step = literal(r.step, msg::E103_rounding_step); step && step->sign() <= 0) {
                error("E163", r.step.where, tr(msg::E163_step_positive));
            } else if (step) {
                // Same enumerator order as rounding_mode (the evaluator relies on it too).
                rounding_[r.at] = {*step, static_cast<rounding_mode>(r.how)};
            }
        }
    }

    void check_enums() {
        for (std::uint32_t i = 0; i < reg_.enums.size(); ++i) {
            const auto& e = reg_.enums[i];
            if (auto [it, fresh] = enums_.emplace(e.name, i); !fresh) {
                auto& d =
                    error("E135", e.name_span, tr(msg::E135_enum_twice, fmt::arg("name", e.name)));
                note(d, reg_.enums[it->second].name_span, tr(msg::E135_first_declared_here));
            }
            std::map<std::string, const ast::enum_member*> members;
            for (const auto& m : e.members) {
                if (auto [it, fresh] = members.emplace(m.name, &m); !fresh) {
                    auto& d = error("E135", m.where,
                                    tr(msg::E135_member_twice, fmt::arg("member", m.name),
                                       fmt::arg("name", e.name)));
                    note(d, it->second->where, tr(msg::E135_first_listed_here));
                }
            }
            if (e.members.empty()) {
                error("E162", e.name_span, tr(msg::E162_no_members, fmt::arg("name", e.name)));
            }
        }
    }

    type field_type(const ast::type_ref& t, bool nested) {
        type r;
        switch (t.what) {
            case ast::type_ref::kind::number:
                r.what = type::kind::number;
                break;
            case ast::type_ref::kind::integer:
                r.what = type::kind::number;
                r.integer = true;
                break;
            case ast::type_ref::kind::boolean:
                r.what = type::kind::boolean;
                break;
            case ast::type_ref::kind::date:
                r.what = type::kind::date;
                break;
            case ast::type_ref::kind::text:
                r.what = type::kind::text;
                break;
            case ast::type_ref::kind::enumeration: {
                auto it = enums_.find(t.enum_name);
                if (it == enums_.end()) {
                    error("E162", t.where,
                          tr(msg::E162_unknown_type, fmt::arg("name", t.enum_name),
                             fmt::arg("hint", suggest(t.enum_name, names_of(enums_)))));
                    return r;
                }
                r.what = type::kind::enumeration;
                r.enum_index = it->second;
                break;
            }
            case ast::type_ref::kind::list:
                if (nested) {
                    error("E162", t.where, tr(msg::E162_nested_list));
                    return r;
                }
                r.what = type::kind::list;
                r.fields = &t.fields;
                check_fields(t.fields, true);
                break;
        }
        return r;
    }

    void check_fields(const std::vector<ast::field_decl>& fields, bool nested) {
        std::map<std::string, const ast::field_decl*> seen;
        for (const auto& f : fields) {
            if (auto [it, fresh] = seen.emplace(f.name, &f); !fresh) {
                auto& d =
                    error("E135", f.name_span, tr(msg::E135_field_twice, fmt::arg("name", f.name)));
                note(d, it->second->name_span, tr(msg::E135_first_declared_here));
            }
            field_types_[&f] = field_type(f.type, nested);
            if (f.range) {
                check_range(f, field_types_[&f]);
            }
        }
    }

    // `in 0..100`: on a number or integer only; bounds that can be read, low <= high, and whole
    // for an integer (E166-E168, E103).
    void check_range(const ast::field_decl& f, const type& t) {
        const auto& r = *f.range;
        if (t.what != type::kind::number || f.type.what == ast::type_ref::kind::list) {
            if (t.what != type::kind::error) {
                error("E166", r.where,
                      tr(msg::E166_range_type, fmt::arg("name", f.name),
                         fmt::arg("type", type_name(t))));
            }
            return;
        }
        const auto bound = [&](const ast::bound_lit& b) -> std::optional<number> {
            auto v = literal(b.value, msg::E103_bound);
            if (!v) {
                return std::nullopt;
            }
            if (b.negative) {
                *v = -*v;
            }
            if (t.integer && !v->is_integer()) {
                error("E168", b.where,
                      tr(msg::E168_range_not_integer, fmt::arg("name", f.name),
                         fmt::arg("bound", quoted_literal((b.negative ? "-" : "")
                                                          + ast::number_text(b.value)))));
                return std::nullopt;
            }
            return v;
        };
        const auto low = bound(r.low);
        const auto high = r.high ? bound(*r.high) : std::nullopt;
        if (low && high && *high < *low) {
            error("E167", r.where,
                  tr(msg::E167_range_empty, fmt::arg("range", quoted_literal(ast::range_text(r))),
                     fmt::arg("name", f.name)));
        }
    }

    void check_inputs() {
        check_fields(reg_.inputs, false);
        for (std::uint32_t i = 0; i < reg_.inputs.size(); ++i) {
            inputs_.emplace(reg_.inputs[i].name, i);
        }
        out_->input_used.assign(reg_.inputs.size(), false);
    }

    void register_scoring() {
        std::map<std::string, span> section_ids;
        std::map<std::string, span> criterion_ids;
        for (std::uint32_t s = 0; s < reg_.sections.size(); ++s) {
            const auto& sec = reg_.sections[s];
            if (auto [it, fresh] = section_ids.emplace(sec.id, sec.id_span); !fresh) {
                auto& d =
                    error("E135", sec.id_span, tr(msg::E135_section_twice, fmt::arg("id", sec.id)));
                note(d, it->second, tr(msg::E135_first_declared_here));
            } else {
                sections_.emplace(sec.id, s);
            }
            auto smax = literal(sec.max, msg::E103_maximum);
            if (smax && smax->sign() <= 0) {
                error("E133", sec.max.where, tr(msg::E133_section_max));
            }
            if (!smax || smax->sign() <= 0) {
                bad_max_sections_.insert(s);
            }
            out_->section_max.push_back(smax.value_or(number(0)));
            for (const auto& c : sec.criteria) {
                const auto flat = static_cast<std::uint32_t>(out_->criteria.size());
                if (auto [it, fresh] = criterion_ids.emplace(c.id, c.id_span); !fresh) {
                    auto& d = error("E135", c.id_span,
                                    tr(msg::E135_criterion_twice, fmt::arg("id", c.id)));
                    note(d, it->second, tr(msg::E135_first_declared_here));
                } else {
                    criteria_.emplace(c.id, flat);
                }
                auto cmax = literal(c.max, msg::E103_maximum);
                if (cmax && cmax->sign() <= 0) {
                    error("E133", c.max.where, tr(msg::E133_criterion_max));
                }
                if (!cmax || cmax->sign() <= 0) {
                    bad_max_sections_.insert(s);
                }
                out_->criteria.push_back({&c, s, cmax.value_or(number(0))});
            }
        }
        for (std::uint32_t g = 0; g < reg_.groups.size(); ++g) {
            const auto& grp = reg_.groups[g];
            std::optional<number> gmax;
            if (grp.max) {
                gmax = literal(*grp.max, msg::E103_maximum);
                if (gmax && gmax->sign() < 0) {
                    error("E133", grp.max->where, tr(msg::E133_group_max));
                }
            }
            out_->group_max.push_back(gmax);
            for (const auto& it : grp.items) {
                std::optional<number> imax;
                if (it.max) {
                    imax = literal(*it.max, msg::E103_maximum);
                    if (imax && imax->sign() < 0) {
                        error("E133", it.max->where, tr(msg::E133_item_max));
                    }
                }
                out_->items.push_back({&it, g, imax});
            }
        }
        deps_.assign(out_->criteria.size() + out_->items.size(), {});
    }

    // ------------------------------------------------------------------------------------------
    // Bodies and expressions

    enum class context { criterion, item, exclude, ineligible, requirement, ranking, other };

    struct body_state {
        const std::vector<ast::let_decl>* lets = nullptr;
        std::map<std::string, std::uint32_t> names;
        std::vector<std::uint8_t> state;  // 0 unvisited, 1 in progress, 2 done
        std::vector<type> types;
        std::vector<std::uint32_t> chain;  // lets in progress, for the cycle note
        std::vector<unsigned> reach;       // how deep evaluating each let recurses (levels)
        checked_body* out = nullptr;
    };

    void check_body(const ast::scoring_body& b, checked_body& out) {
        body_state st;
        st.lets = &b.lets;
        st.state.assign(b.lets.size(), 0);
        st.types.resize(b.lets.size());
        st.reach.assign(b.lets.size(), 0);
        st.out = &out;
        for (std::uint32_t i = 0; i < b.lets.size(); ++i) {
            const auto& l = b.lets[i];
            if (auto [it, fresh] = st.names.emplace(l.name, i); !fresh) {
                auto& d =
                    error("E135", l.name_span, tr(msg::E135_let_twice, fmt::arg("name", l.name)));
                note(d, b.lets[it->second].name_span, tr(msg::E135_first_defined_here));
            }
            if (inputs_.count(l.name) != 0) {
                auto& d = warning("W172", l.name_span,
                                  tr(msg::W172_hides_input, fmt::arg("name", l.name)));
                note(d, reg_.inputs[inputs_.at(l.name)].name_span, tr(msg::W172_input_here));
            }
        }
        body_ = &st;
        for (std::uint32_t i = 0; i < b.lets.size(); ++i) {
            check_let(i);
        }
        if (b.points) {
            const type t = check_expr(*b.points, nullptr);
            expect_number(t, *b.points, msg::checker_what_points);
        } else {
            error("E109", b.points_span, tr(msg::E109_missing_points));
        }
        body_ = nullptr;
    }

    type check_let(std::uint32_t i) {
        auto& st = *body_;
        if (st.state[i] == 2) {
            return st.types[i];
        }
        const auto& l = (*st.lets)[i];
        if (st.state[i] == 1) {
            auto& d = error("E140", l.name_span, tr(msg::E140_let_cycle, fmt::arg("name", l.name)));
            for (auto it = st.chain.rbegin(); it != st.chain.rend() && *it != i; ++it) {
                const auto& other = (*st.lets)[*it];
                note(d, other.name_span, tr(msg::E140_through, fmt::arg("name", other.name)));
            }
            return {};
        }
        st.state[i] = 1;
        st.chain.push_back(i);
        // A let is declared outside any aggregate: hide the loop variables while checking it.
        auto saved_loops = std::move(loops_);
        loops_.clear();
        const unsigned saved_base = base_;
        const unsigned saved_reach = reach_;
        base_ = depth_;
        reach_ = 0;
        const type t = l.value ? check_expr(*l.value, nullptr) : type{};
        st.reach[i] = reach_;
        base_ = saved_base;
        reach_ = saved_reach;
        loops_ = std::move(saved_loops);
        st.chain.pop_back();
        st.state[i] = 2;
        st.types[i] = t;
        st.out->let_order.push_back(i);
        return t;
    }

    void expect_number(const type& t, const ast::expr& e, msg what) {
        if (t.what != type::kind::number && t.what != type::kind::error) {
            error("E109", e.where,
                  tr(msg::E109_not_number, fmt::arg("what", tr(what)),
                     fmt::arg("type", type_name(t))));
        }
    }

    void expect_bool(const type& t, const ast::expr& e, msg what) {
        if (t.what != type::kind::boolean && t.what != type::kind::error) {
            auto& d = error(
                "E104", e.where,
                tr(msg::E104_not_bool, fmt::arg("what", tr(what)), fmt::arg("type", type_name(t))));
            // An input or list field read as it is: its declaration may be where the fix is
            // (`kỷ_luật: số nguyên` meant `đúng sai`).
            if (const auto* f = declared_field(e)) {
                note(d, {f->name_span.begin, f->type.where.end},
                     tr(msg::E104_declared_here, fmt::arg("name", f->name),
                        fmt::arg("type", type_name(t))));
            }
        }
    }

    // The declaration of the input field, or the field of a list element, that `e` reads
    // directly (`tasks`, `i.evidence`); null for anything else.
    const ast::field_decl* declared_field(const ast::expr& e) const {
        const auto& ref = out_->refs[e.id];
        if (ref.what == resolution::kind::input && std::holds_alternative<ast::name_ref>(e.kind)
            && ref.index < reg_.inputs.size()) {
            return &reg_.inputs[ref.index];
        }
        if (const auto* m = std::get_if<ast::member_ref>(&e.kind);
            m != nullptr && ref.what == resolution::kind::field && m->object) {
            const auto* fields = out_->types[m->object->id].fields;
            if (fields != nullptr && ref.index < fields->size()) {
                return &(*fields)[ref.index];
            }
        }
        return nullptr;
    }

    type set(const ast::expr& e, type t) {
        out_->types[e.id] = t;
        return t;
    }

    static type number_type(bool integer = false) {
        type t;
        t.what = type::kind::number;
        t.integer = integer;
        return t;
    }
    static type of_kind(type::kind k) {
        type t;
        t.what = k;
        return t;
    }

    bool is_plain_name(const ast::expr& e) const {
        const auto* n = std::get_if<ast::name_ref>(&e.kind);
        if (n == nullptr) {
            return false;
        }
        for (const auto& l : loops_) {
            if (l.name == n->name) {
                return false;
            }
        }
        if (body_ != nullptr && body_->names.count(n->name) != 0) {
            return false;
        }
        return inputs_.count(n->name) == 0;
    }

    std::vector<std::string> names_of(const std::map<std::string, std::uint32_t>& m) const {
        std::vector<std::string> v;
        for (const auto& [k, _] : m) {
            v.push_back(k);
        }
        return v;
    }

    static std::string suggest(const std::string& name,
                               const std::vector<std::string>& candidates) {
        const std::string best = closest_name(name, candidates);
        return best.empty() ? std::string() : tr(msg::checker_did_you_mean, fmt::arg("name", best));
    }

    type check_name(const ast::expr& e, const ast::name_ref& n, const type* hint) {
        auto& ref = out_->refs[e.id];
        for (std::size_t d = loops_.size(); d-- > 0;) {
            if (loops_[d].name == n.name) {
                ref = {resolution::kind::loop_var, static_cast<std::uint32_t>(d)};
                return set(e, loops_[d].t);
            }
        }
        if (body_ != nullptr) {
            if (auto it = body_->names.find(n.name); it != body_->names.end()) {
                ref = {resolution::kind::let, it->second};
                const type t = check_let(it->second);
                // A let is evaluated where it is first needed, on top of the expression using
                // it: a chain of lets each used deep in the next adds up on the stack.
                const unsigned down = depth_ - base_;
                const unsigned reach = body_->reach[it->second];
                if (down + reach > max_expression_depth) {
                    error("E004", e.where,
                          tr(msg::E004_lets_too_deep, fmt::arg("name", n.name),
                             fmt::arg("depth", down), fmt::arg("reach", reach),
                             fmt::arg("levels", max_expression_depth)));
                } else {
                    reach_ = std::max(reach_, down + reach);
                }
                return set(e, t);
            }
        }
        if (auto it = inputs_.find(n.name); it != inputs_.end()) {
            ref = {resolution::kind::input, it->second};
            out_->input_used[it->second] = true;
            return set(e, field_types_.at(&reg_.inputs[it->second]));
        }
        // An enum member: the expected enum first, else the only enum that has the name.
        auto member_of = [&](std::uint32_t ei) -> std::optional<std::uint32_t> {
            const auto& ms = reg_.enums[ei].members;
            for (std::uint32_t m = 0; m < ms.size(); ++m) {
                if (ms[m].name == n.name) {
                    return m;
                }
            }
            return std::nullopt;
        };
        if (hint != nullptr && hint->what == type::kind::enumeration) {
            if (auto m = member_of(hint->enum_index)) {
                ref = {resolution::kind::enum_member, *m};
                type t = of_kind(type::kind::enumeration);
                t.enum_index = hint->enum_index;
                return set(e, t);
            }
        }
        std::vector<std::pair<std::uint32_t, std::uint32_t>> found;
        for (std::uint32_t ei = 0; ei < reg_.enums.size(); ++ei) {
            if (auto m = member_of(ei)) {
                found.emplace_back(ei, *m);
            }
        }
        if (found.size() == 1 && (hint == nullptr || hint->what != type::kind::enumeration)) {
            ref = {resolution::kind::enum_member, found[0].second};
            type t = of_kind(type::kind::enumeration);
            t.enum_index = found[0].first;
            return set(e, t);
        }
        if (hint != nullptr && hint->what == type::kind::enumeration) {
            const auto& en = reg_.enums[hint->enum_index];
            std::vector<std::string> members;
            for (const auto& m : en.members) {
                members.push_back(m.name);
            }
            error("E111", e.where,
                  tr(msg::E111_not_member_list, fmt::arg("member", n.name),
                     fmt::arg("name", en.name), fmt::arg("members", fmt::join(members, ", ")),
                     fmt::arg("hint", suggest(n.name, members))));
            return set(e, {});
        }
        if (found.size() > 1) {
            error("E101", e.where, tr(msg::E101_ambiguous_member, fmt::arg("name", n.name)));
            return set(e, {});
        }
        std::vector<std::string> candidates = names_of(inputs_);
        for (const auto& l : loops_) {
            candidates.push_back(l.name);
        }
        if (body_ != nullptr) {
            for (const auto& [k, _] : body_->names) {
                candidates.push_back(k);
            }
        }
        // `dung` for `đúng`, `khong` for `không`: a keyword typed without its diacritics (or
        // with a wrong one) is suggested before a name a few edits away, but not before a
        // declared name that differs from it only by diacritics (an input `dũng`).
        const std::string closest = closest_name(n.name, candidates);
        std::string best = keyword_without_diacritics(n.name);
        if (best.empty()
            || (!closest.empty() && without_diacritics(closest) == without_diacritics(n.name))) {
            best = closest;
        }
        const std::string did_you_mean =
            best.empty() ? std::string() : tr(msg::checker_did_you_mean, fmt::arg("name", best));
        error("E101", e.where,
              tr(msg::E101_unknown_name, fmt::arg("name", n.name), fmt::arg("hint", did_you_mean)));
        return set(e, {});
    }

    void depend_on(std::uint32_t node, const ast::expr& e) {
        if (current_node_ != no_node) {
            deps_[current_node_].push_back(node);
            dep_spans_[{current_node_, node}] = e.where;
        }
    }

    type check_points_ref(const ast::expr& e, const ast::points_ref& p) {
        using k = ast::points_ref::kind;
        auto& ref = out_->refs[e.id];
        if (p.what == k::total || p.what == k::bonus || p.what == k::deduction) {
            const char* name =
                p.what == k::total ? "total" : (p.what == k::bonus ? "bonus" : "deduction");
            if (ctx_ == context::criterion || ctx_ == context::item) {
                error("E141", e.where, tr(msg::E141_total_in_points, fmt::arg("name", name)));
            } else if (ctx_ == context::exclude) {
                exclude_points_error(e);
            }
            return set(e, number_type());
        }
        if (ctx_ == context::exclude) {
            exclude_points_error(e);
        }
        if (p.what == k::section) {
            auto it = sections_.find(p.id);
            if (it == sections_.end()) {
                error("E161", p.id_span,
                      tr(msg::E161_unknown_section, fmt::arg("id", p.id),
                         fmt::arg("hint", suggest(p.id, names_of(sections_)))));
                return set(e, {});
            }
            ref = {resolution::kind::section, it->second};
            for (std::uint32_t c = 0; c < out_->criteria.size(); ++c) {
                if (out_->criteria[c].section == it->second) {
                    depend_on(c, e);
                }
            }
            return set(e, number_type());
        }
        auto it = criteria_.find(p.id);
        if (it == criteria_.end()) {
            error("E161", p.id_span,
                  tr(msg::E161_unknown_criterion, fmt::arg("id", p.id),
                     fmt::arg("hint", suggest(p.id, names_of(criteria_)))));
            return set(e, {});
        }
        ref = {resolution::kind::criterion, it->second};
        depend_on(it->second, e);
        return set(e, number_type());
    }

    void exclude_points_error(const ast::expr& e) {
        error("E141", e.where, tr(msg::E141_exclude_points));
    }

    // `20/12/2018` (day/month/year as a division of whole numbers) or a quoted date
    // (`"2018-12-20"`, `"20/12/2018"`): the date meant, as the language writes it, when it is a
    // real calendar day.
    static std::optional<std::string> date_written_otherwise(const ast::expr& e) {
        const auto whole = [](const ast::expr& x) -> std::optional<int> {
            const auto* n = std::get_if<ast::number_lit>(&x.kind);
            if (n == nullptr || n->percent || n->text.empty() || n->text.size() > 4
                || n->text.find_first_not_of("0123456789") != std::string::npos) {
                return std::nullopt;
            }
            return std::stoi(n->text);
        };
        const auto iso = [](int day, int month, int year) -> std::optional<std::string> {
            if (year < 1900 || year > 2999 || !date::valid(year, month, day)) {
                return std::nullopt;
            }
            return date{year, month, day}.iso();
        };
        if (const auto* s = std::get_if<ast::string_lit>(&e.kind)) {
            int a = 0;
            int m = 0;
            int c = 0;
            char s1 = 0;
            char s2 = 0;
            char extra = 0;
            if (std::sscanf(s->value.c_str(), "%d%c%d%c%d%c", &a, &s1, &m, &s2, &c, &extra) != 5
                || s1 != s2) {
                return std::nullopt;
            }
            return s1 == '-' ? iso(c, m, a) : s1 == '/' || s1 == '.' ? iso(a, m, c) : std::nullopt;
        }
        const auto* outer = std::get_if<ast::binary>(&e.kind);
        if (outer == nullptr || outer->what != ast::binary::op::div) {
            return std::nullopt;
        }
        const auto* inner = std::get_if<ast::binary>(&outer->lhs->kind);
        if (inner == nullptr || inner->what != ast::binary::op::div) {
            return std::nullopt;
        }
        const auto day = whole(*inner->lhs);
        const auto month = whole(*inner->rhs);
        const auto year = whole(*outer->rhs);
        if (!day || !month || !year) {
            return std::nullopt;
        }
        return iso(*day, *month, *year);
    }

    type check_binary(const ast::expr& e, const ast::binary& b) {
        using op = ast::binary::op;
        const bool comparison = b.what == op::eq || b.what == op::ne || b.what == op::lt
                                || b.what == op::le || b.what == op::gt || b.what == op::ge;
        type lt;
        type rt;
        if (comparison && is_plain_name(*b.lhs) && !is_plain_name(*b.rhs)) {
            rt = check_expr(*b.rhs, nullptr);
            lt = check_expr(*b.lhs, &rt);
        } else {
            lt = check_expr(*b.lhs, nullptr);
            rt = check_expr(*b.rhs, &lt);
        }
        if (lt.what == type::kind::error || rt.what == type::kind::error) {
            return set(e, comparison || b.what == op::and_ || b.what == op::or_
                              ? of_kind(type::kind::boolean)
                              : type{});
        }
        const auto num = type::kind::number;
        const auto dat = type::kind::date;
        auto mismatch = [&](msg verb) {
            auto& d =
                error("E102", b.op_span,
                      tr(verb, fmt::arg("left", type_name(lt)), fmt::arg("right", type_name(rt))));
            // A date written the way Vietnamese documents write it (`20/12/2018`, a division of
            // numbers) or quoted (`"2018-12-20"`, text), against a date: say how to write it.
            if (lt.what == dat || rt.what == dat) {
                const ast::expr& other = lt.what == dat ? *b.rhs : *b.lhs;
                if (const auto iso = date_written_otherwise(other)) {
                    note(d, other.where,
                         tr(std::holds_alternative<ast::string_lit>(other.kind)
                                ? msg::E102_date_quoted
                                : msg::E102_date_as_division,
                            fmt::arg("written", one_line(file_->slice(other.where))),
                            fmt::arg("date", *iso)));
                }
            }
            return set(e, {});
        };
        switch (b.what) {
            case op::add:
                if (lt.what == num && rt.what == num) {
                    return set(e, number_type(lt.integer && rt.integer));
                }
                if ((lt.what == dat && rt.what == num && rt.integer)
                    || (lt.what == num && lt.integer && rt.what == dat)) {
                    return set(e, of_kind(dat));
                }
                return mismatch(msg::E102_cannot_add);
            case op::sub:
                if (lt.what == num && rt.what == num) {
                    return set(e, number_type(lt.integer && rt.integer));
                }
                if (lt.what == dat && rt.what == dat) {
                    return set(e, number_type(true));  // days between
                }
                if (lt.what == dat && rt.what == num && rt.integer) {
                    return set(e, of_kind(dat));
                }
                return mismatch(msg::E102_cannot_subtract);
            case op::mul:
                if (lt.what == num && rt.what == num) {
                    return set(e, number_type(lt.integer && rt.integer));
                }
                return mismatch(msg::E102_cannot_multiply);
            case op::div:
                if (lt.what == num && rt.what == num) {
                    // A divisor that is always 0 (`x / 0`, `x / -0.0`, `x / (2 - 2)`, a let set
                    // to 0) fails for every unit that reaches it: said now, not at scoring time.
                    if (const auto& k = out_->constants[b.rhs->id]; k && k->is_zero()) {
                        auto& d =
                            error("E115", b.rhs->where,
                                  tr(msg::E115_divide_by_zero,
                                     fmt::arg("divisor", one_line(file_->slice(b.rhs->where)))));
                        note_constant_lets(d, *b.rhs);
                    }
                    return set(e, number_type());
                }
                return mismatch(msg::E102_cannot_divide);
            case op::and_:
            case op::or_:
                expect_bool(lt, *b.lhs,
                            b.what == op::and_ ? msg::checker_what_and_operand
                                               : msg::checker_what_or_operand);
                expect_bool(rt, *b.rhs,
                            b.what == op::and_ ? msg::checker_what_and_operand
                                               : msg::checker_what_or_operand);
                return set(e, of_kind(type::kind::boolean));
            case op::eq:
            case op::ne:
                if (!(lt == rt) && !(lt.what == num && rt.what == num)) {
                    mismatch(msg::E102_cannot_compare);
                }
                return set(e, of_kind(type::kind::boolean));
            case op::lt:
            case op::le:
            case op::gt:
            case op::ge:
                if (!(lt == rt) && !(lt.what == num && rt.what == num)) {
                    mismatch(msg::E102_cannot_compare);
                } else if (lt.what == type::kind::enumeration
                           && !reg_.enums[lt.enum_index].ordered) {
                    auto& d = error("E114", b.op_span,
                                    tr(msg::E114_not_ordered,
                                       fmt::arg("name", reg_.enums[lt.enum_index].name)));
                    note(d, reg_.enums[lt.enum_index].name_span, tr(msg::E114_declare_ordered));
                } else if (lt.what != num && lt.what != dat && lt.what != type::kind::enumeration) {
                    mismatch(msg::E102_cannot_order);
                }
                return set(e, of_kind(type::kind::boolean));
        }
        return set(e, {});
    }

    type check_call(const ast::expr& e, const ast::call& c) {
        static const std::map<std::string, builtin> functions = {
            {"min", builtin::min},   {"max", builtin::max}, {"floor", builtin::floor},
            {"ceil", builtin::ceil}, {"abs", builtin::abs}, {"round", builtin::round}};
        auto it = functions.find(c.function);
        if (it == functions.end()) {
            for (const auto& a : c.args) {
                check_expr(*a, nullptr);
            }
            std::vector<std::string> names;
            for (const auto& [k, _] : functions) {
                names.push_back(k);
            }
            error("E105", c.function_span,
                  tr(msg::E105_unknown_function, fmt::arg("name", c.function),
                     fmt::arg("hint", suggest(c.function, names))));
            return set(e, {});
        }
        out_->refs[e.id] = {resolution::kind::function, static_cast<std::uint32_t>(it->second)};
        const std::size_t n = c.args.size();
        auto arity = [&](msg expected) {
            error("E105", e.where,
                  tr(msg::E105_arity, fmt::arg("name", c.function),
                     fmt::arg("expected", tr(expected)), fmt::arg("count", n)));
        };
        switch (it->second) {
            case builtin::min:
            case builtin::max: {
                if (n < 2) {
                    arity(msg::E105_two_or_more);
                }
                bool integer = true;
                type first;
                for (std::size_t i = 0; i < n; ++i) {
                    const type t = check_expr(*c.args[i], nullptr);
                    if (i == 0) {
                        first = t;
                    }
                    if (first.what == type::kind::date) {
                        // min/max of dates: every argument must be a date.
                        if (t.what != type::kind::date && t.what != type::kind::error) {
                            error("E102", c.args[i]->where,
                                  tr(msg::E102_date_argument, fmt::arg("name", c.function),
                                     fmt::arg("type", type_name(t))));
                        }
                        continue;
                    }
                    expect_number(t, *c.args[i], msg::checker_what_min_max_argument);
                    integer = integer && t.integer;
                }
                if (first.what == type::kind::date) {
                    return set(e, of_kind(type::kind::date));
                }
                return set(e, number_type(integer));
            }
            case builtin::floor:
            case builtin::ceil:
            case builtin::abs: {
                if (n != 1) {
                    arity(msg::E105_one);
                }
                bool integer = it->second != builtin::abs;
                for (const auto& a : c.args) {
                    const type t = check_expr(*a, nullptr);
                    expect_number(t, *a, msg::checker_what_argument);
                    integer = integer || t.integer;
                }
                return set(e, number_type(integer));
            }
            case builtin::round: {
                if (n != 2 && n != 3) {
                    arity(msg::E105_two_or_three);
                }
                for (std::size_t i = 0; i < n; ++i) {
                    if (i == 2) {
                        check_rounding_mode(*c.args[i]);
                        continue;
                    }
                    const type t = check_expr(*c.args[i], nullptr);
                    expect_number(
                        t, *c.args[i],
                        i == 0 ? msg::checker_what_round_value : msg::checker_what_round_step);
                }
                if (n >= 2) {
                    if (const auto& k = out_->constants[c.args[1]->id]; k && k->sign() <= 0) {
                        error("E163", c.args[1]->where, tr(msg::E163_step_positive));
                    }
                }
                return set(e, number_type());
            }
        }
        return set(e, {});
    }

    void check_rounding_mode(const ast::expr& e) {
        static const std::map<std::string, rounding_mode> modes = {
            {"half_up", rounding_mode::half_up},
            {"half_even", rounding_mode::half_even},
            {"down", rounding_mode::down},
            {"up", rounding_mode::up}};
        const auto* n = std::get_if<ast::name_ref>(&e.kind);
        auto it = n != nullptr ? modes.find(n->name) : modes.end();
        if (it == modes.end()) {
            error("E105", e.where, tr(msg::E105_rounding_mode));
            return;
        }
        out_->refs[e.id] = {resolution::kind::rounding, static_cast<std::uint32_t>(it->second)};
    }

    type check_aggregate(const ast::expr& e, const ast::aggregate& a) {
        using k = ast::aggregate::kind;
        const type lt = check_expr(*a.list, nullptr);
        if (lt.what != type::kind::list) {
            if (lt.what != type::kind::error) {
                error("E106", a.list->where,
                      tr(msg::E106_not_list, fmt::arg("type", type_name(lt))));
            }
            return set(e, a.what == k::all || a.what == k::any ? of_kind(type::kind::boolean)
                                                               : number_type(a.what == k::count));
        }
        const bool bound = !a.variable.empty();
        if (bound) {
            type rec = of_kind(type::kind::element);
            rec.fields = lt.fields;
            loops_.push_back({a.variable, rec});
        }
        if (a.where) {
            expect_bool(check_expr(*a.where, nullptr), *a.where, msg::checker_what_where);
        }
        type body;
        if (a.body) {
            body = check_expr(*a.body, nullptr);
        }
        if (bound) {
            loops_.pop_back();
        }
        switch (a.what) {
            case k::count:
                return set(e, number_type(true));
            case k::all:
            case k::any:
                if (a.body) {
                    expect_bool(body, *a.body, msg::checker_what_all_any);
                } else {
                    error("E105", e.where, tr(msg::E105_all_any_body));
                }
                return set(e, of_kind(type::kind::boolean));
            case k::sum:
            case k::min:
            case k::max:
                if (a.body) {
                    expect_number(body, *a.body, msg::checker_what_aggregate_value);
                } else {
                    error("E105", e.where, tr(msg::E105_aggregate_body));
                }
                return set(e, number_type(body.integer));
        }
        return set(e, {});
    }

    // Combines the types of branches/bands/arms: all numbers (integer when all are), or all equal.
    type unify(type acc, const type& t, const ast::expr& where, bool& first) {
        // A branch already in error makes the whole result unknown: guessing from the other
        // branches (say "integer") would only produce follow-on findings.
        if (t.what == type::kind::error) {
            first = false;
            return {};
        }
        if (first) {
            first = false;
            return t;
        }
        if (acc.what == type::kind::error) {
            return acc;
        }
        if (acc.what == type::kind::number && t.what == type::kind::number) {
            acc.integer = acc.integer && t.integer;
            return acc;
        }
        if (!(acc == t)) {
            error("E102", where.where,
                  tr(msg::E102_branches, fmt::arg("type", type_name(t)),
                     fmt::arg("others", type_name(acc))));
            return {};
        }
        return acc;
    }

    type check_if(const ast::expr& e, const ast::if_expr& i) {
        expect_bool(check_expr(*i.condition, nullptr), *i.condition, msg::checker_what_if);
        bool first = true;
        type t = unify({}, check_expr(*i.then_value, nullptr), *i.then_value, first);
        t = unify(t, check_expr(*i.else_value, nullptr), *i.else_value, first);
        return set(e, t);
    }

    std::optional<number> constant_of(const ast::expr& e, const type& subject) {
        if (subject.what == type::kind::date) {
            if (const auto* d = std::get_if<ast::date_lit>(&e.kind)) {
                return number(date{d->year, d->month, d->day}.serial());
            }
            return std::nullopt;
        }
        return out_->constants[e.id];
    }

    type check_when(const ast::expr& e, const ast::when_expr& w) {
        const type st = check_expr(*w.subject, nullptr);
        if (st.what != type::kind::number && st.what != type::kind::date
            && st.what != type::kind::error) {
            error("E122", w.subject->where, tr(msg::E122_subject, fmt::arg("type", type_name(st))));
        }
        bool first = true;
        type result;
        for (const auto& b : w.bands) {
            const type bt = check_expr(*b.bound, &st);
            const bool subject_ok = st.what == type::kind::number || st.what == type::kind::date;
            if (bt.what != type::kind::error && subject_ok && !(bt == st)
                && !(bt.what == type::kind::number && st.what == type::kind::number)) {
                error("E122", b.bound->where,
                      tr(msg::E122_bound, fmt::arg("type", type_name(bt)),
                         fmt::arg("subject", type_name(st))));
            }
            result = unify(result, check_expr(*b.value, nullptr), *b.value, first);
        }
        if (w.else_value) {
            result = unify(result, check_expr(*w.else_value, nullptr), *w.else_value, first);
        }
        analyse_bands(w, st);
        return set(e, result);
    }

    // Reports bands that can never match and, without `else`, values no band covers. Only bands
    // with constant bounds take part; a band with a computed bound stops the analysis.
    void analyse_bands(const ast::when_expr& w, const type& st) {
        if (st.what != type::kind::number && st.what != type::kind::date) {
            return;
        }
        try {
            analyse_constant_bands(w, st);
        } catch (const number_error&) {
            // A bound so large that bound + 1 overflows: leave the bands unanalysed.
        }
    }

    void analyse_constant_bands(const ast::when_expr& w, const type& st) {
        using op = ast::band::op;
        // Dates and integers take only whole values, so `<= 0` and `>= 1` leave no gap and
        // `> 0` is the same band as `>= 1`. Bounds are normalised to inclusive whole bounds.
        const bool whole = st.what == type::kind::date || st.integer;
        std::optional<ray> up;    // union of x >= b / x > b
        std::optional<ray> down;  // union of x <= b / x < b
        std::vector<std::pair<number, std::size_t>> points;
        auto in_points = [&](const number& v) {
            return std::any_of(points.begin(), points.end(),
                               [&](const auto& p) { return p.first == v; });
        };
        auto full = [&]() {
            if (!up || !down) {
                return false;
            }
            if (down->bound > up->bound) {
                return true;
            }
            if (down->bound == up->bound) {
                return down->inclusive || up->inclusive || in_points(up->bound);
            }
            if (whole) {
                // Every whole value strictly between the rays must be an `==` band.
                const number gap = up->bound - down->bound - number(1);
                if (number(static_cast<std::int64_t>(points.size())) < gap) {
                    return false;
                }
                for (number k = down->bound + number(1); k < up->bound; k += number(1)) {
                    if (!in_points(k)) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        };
        for (std::size_t i = 0; i < w.bands.size(); ++i) {
            const auto& b = w.bands[i];
            auto v = constant_of(*b.bound, st);
            if (!v) {
                return;
            }
            op cmp = b.compare;
            if (whole) {
                switch (cmp) {
                    case op::gt:
                        cmp = op::ge;
                        *v = v->floor() + number(1);
                        break;
                    case op::ge:
                        *v = v->ceil();
                        break;
                    case op::lt:
                        cmp = op::le;
                        *v = v->ceil() - number(1);
                        break;
                    case op::le:
                        *v = v->floor();
                        break;
                    case op::eq:
                        if (!v->is_integer()) {
                            error("E120", b.where,
                                  tr(st.what == type::kind::date ? msg::E120_whole_day
                                                                 : msg::E120_whole_number));
                            continue;
                        }
                        break;
                }
            }
            std::optional<std::size_t> covering;
            if (full()) {
                covering = up->band;
            } else if (cmp == op::ge || cmp == op::gt) {
                const bool incl = cmp == op::ge;
                if (up
                    && (up->bound < *v
                        || (up->bound == *v && (up->inclusive || !incl || in_points(*v))))) {
                    covering = up->band;
                }
            } else if (cmp == op::le || cmp == op::lt) {
                const bool incl = cmp == op::le;
                if (down
                    && (down->bound > *v
                        || (down->bound == *v && (down->inclusive || !incl || in_points(*v))))) {
                    covering = down->band;
                }
            } else {
                if (up && (up->bound < *v || (up->bound == *v && up->inclusive))) {
                    covering = up->band;
                } else if (down && (down->bound > *v || (down->bound == *v && down->inclusive))) {
                    covering = down->band;
                } else {
                    for (const auto& p : points) {
                        if (p.first == *v) {
                            covering = p.second;
                        }
                    }
                }
            }
            if (covering) {
                auto& d = error("E120", b.where, tr(msg::E120_covered));
                note(d, w.bands[*covering].where, tr(msg::E120_earlier_band));
                continue;
            }
            switch (cmp) {
                case op::ge:
                case op::gt: {
                    const bool incl = cmp == op::ge;
                    if (!up || *v < up->bound || (*v == up->bound && incl)) {
                        up = ray{*v, incl, i};
                    }
                    break;
                }
                case op::le:
                case op::lt: {
                    const bool incl = cmp == op::le;
                    if (!down || *v > down->bound || (*v == down->bound && incl)) {
                        down = ray{*v, incl, i};
                    }
                    break;
                }
                case op::eq:
                    points.emplace_back(*v, i);
                    break;
            }
        }
        if (full()) {
            if (w.else_value) {
                warning("W121", w.else_span, tr(msg::W121_else_unused));
            }
            return;
        }
        if (!w.else_value) {
            std::string gap;
            auto text = [&](std::size_t band) {
                return one_line(file_->slice(w.bands[band].bound->where));
            };
            if (!up && !down) {
                gap = tr(msg::E121_gap_some);
            } else if (!down) {
                gap = tr(msg::E121_gap_below, fmt::arg("bound", text(up->band)));
            } else if (!up) {
                gap = tr(msg::E121_gap_above, fmt::arg("bound", text(down->band)));
            } else {
                gap = tr(msg::E121_gap_between, fmt::arg("low", text(down->band)),
                         fmt::arg("high", text(up->band)));
            }
            error("E121", w.subject->where, tr(msg::E121_no_else, fmt::arg("gap", gap)));
        }
    }

    type check_match(const ast::expr& e, const ast::match_expr& m) {
        const type st = check_expr(*m.subject, nullptr);
        bool first = true;
        type result;
        if (st.what != type::kind::enumeration) {
            if (st.what != type::kind::error) {
                error("E113", m.subject->where,
                      tr(msg::E113_subject, fmt::arg("type", type_name(st))));
            }
            for (const auto& a : m.arms) {
                result = unify(result, check_expr(*a.value, nullptr), *a.value, first);
            }
            return set(e, result);
        }
        const auto& en = reg_.enums[st.enum_index];
        std::map<std::string, const ast::match_arm*> seen;
        for (const auto& a : m.arms) {
            const bool known = std::any_of(en.members.begin(), en.members.end(),
                                           [&](const auto& mm) { return mm.name == a.member; });
            if (!known) {
                std::vector<std::string> names;
                for (const auto& mm : en.members) {
                    names.push_back(mm.name);
                }
                auto& d = error(
                    "E111", a.member_span,
                    tr(msg::E111_not_member, fmt::arg("member", a.member),
                       fmt::arg("name", en.name), fmt::arg("hint", suggest(a.member, names))));
                note(d, en.name_span,
                     tr(msg::checker_enum_declared_here, fmt::arg("name", en.name)));
            }
            if (auto [it, fresh] = seen.emplace(a.member, &a); !fresh) {
                auto& d = error("E112", a.member_span,
                                tr(msg::E112_arm_twice, fmt::arg("member", a.member)));
                note(d, it->second->member_span, tr(msg::E112_first_arm));
            }
            result = unify(result, check_expr(*a.value, nullptr), *a.value, first);
        }
        if (m.else_value) {
            result = unify(result, check_expr(*m.else_value, nullptr), *m.else_value, first);
        } else {
            std::vector<std::string> missing;
            for (const auto& mm : en.members) {
                if (seen.count(mm.name) == 0) {
                    missing.push_back(mm.name);
                }
            }
            if (!missing.empty()) {
                auto& d =
                    error("E110", m.subject->where,
                          tr(msg::E110_missing_arms,
                             fmt::arg("members", fmt::format("`{}`", fmt::join(missing, "`, `"))),
                             fmt::arg("name", en.name)));
                note(d, en.name_span,
                     tr(msg::checker_enum_declared_here, fmt::arg("name", en.name)));
            }
        }
        return set(e, result);
    }

    type check_presence(const ast::expr& e, const ast::presence& p) {
        const type t = check_expr(*p.operand, nullptr);
        bool optional = false;
        const auto& ref = out_->refs[p.operand->id];
        if (ref.what == resolution::kind::input) {
            optional = reg_.inputs[ref.index].type.optional;
        } else if (ref.what == resolution::kind::field) {
            const auto& mr = std::get<ast::member_ref>(p.operand->kind);
            const type& ot = out_->types[mr.object->id];
            optional = ot.fields != nullptr && (*ot.fields)[ref.index].type.optional;
        }
        if (!optional && t.what != type::kind::error) {
            error("E108", p.operand->where, tr(msg::E108_not_optional));
        }
        return set(e, of_kind(type::kind::boolean));
    }

    type check_expr(const ast::expr& e, const type* hint) {
        // The parser limits a tree's depth (max_expression_depth); this guards trees built
        // otherwise (a let needed before its own turn adds its depth to its user's).
        if (++depth_ > 2 * max_expression_depth) {
            --depth_;
            error("E004", e.where, tr(msg::E004_checker_too_deep));
            return {};
        }
        reach_ = std::max(reach_, depth_ - base_);
        const type t = std::visit(
            overloaded{
                [&](const ast::number_lit& n) {
                    auto v = number::parse(n.text);
                    if (!v) {
                        error("E103", e.where,
                              tr(msg::E103_number, fmt::arg("number", quoted_literal(n.text))));
                        return set(e, {});
                    }
                    if (n.percent) {
                        *v = *v / number(100);
                    }
                    out_->constants[e.id] = *v;
                    return set(e, number_type(v->is_integer()));
                },
                [&](const ast::bool_lit&) { return set(e, of_kind(type::kind::boolean)); },
                [&](const ast::string_lit&) { return set(e, of_kind(type::kind::text)); },
                [&](const ast::date_lit&) { return set(e, of_kind(type::kind::date)); },
                [&](const ast::name_ref& n) { return check_name(e, n, hint); },
                [&](const ast::member_ref& m) {
                    const type ot = check_expr(*m.object, nullptr);
                    if (ot.what != type::kind::element) {
                        if (ot.what != type::kind::error) {
                            error("E107", m.field_span,
                                  tr(msg::E107_not_element, fmt::arg("field", m.field),
                                     fmt::arg("type", type_name(ot))));
                        }
                        return set(e, {});
                    }
                    for (std::uint32_t f = 0; f < ot.fields->size(); ++f) {
                        if ((*ot.fields)[f].name == m.field) {
                            out_->refs[e.id] = {resolution::kind::field, f};
                            return set(e, field_types_.at(&(*ot.fields)[f]));
                        }
                    }
                    std::vector<std::string> names;
                    for (const auto& f : *ot.fields) {
                        names.push_back(f.name);
                    }
                    error("E107", m.field_span,
                          tr(msg::E107_no_field, fmt::arg("field", m.field),
                             fmt::arg("hint", suggest(m.field, names)),
                             fmt::arg("fields", fmt::join(names, ", "))));
                    return set(e, {});
                },
                [&](const ast::points_ref& p) { return check_points_ref(e, p); },
                [&](const ast::unary& u) {
                    const type ot = check_expr(*u.operand, nullptr);
                    if (u.what == ast::unary::op::neg) {
                        expect_number(ot, *u.operand, msg::checker_what_minus);
                        return set(e, number_type(ot.integer));
                    }
                    expect_bool(ot, *u.operand, msg::checker_what_not);
                    return set(e, of_kind(type::kind::boolean));
                },
                [&](const ast::binary& b) { return check_binary(e, b); },
                [&](const ast::call& c) { return check_call(e, c); },
                [&](const ast::aggregate& a) { return check_aggregate(e, a); },
                [&](const ast::if_expr& i) { return check_if(e, i); },
                [&](const ast::when_expr& w) { return check_when(e, w); },
                [&](const ast::match_expr& m) { return check_match(e, m); },
                [&](const ast::presence& p) { return check_presence(e, p); },
            },
            e.kind);
        if (t.what == type::kind::number && !out_->constants[e.id]) {
            out_->constants[e.id] = fold(e);
        }
        note_strict_operands(e);
        --depth_;
        return t;
    }

    // The value of `e` when it does not depend on any input: `-5` (literals have no sign),
    // `(2 - 2)`, `min(3, 4) * 10%`, a let set to such a value. Its operands were checked (and
    // folded) before it. Band analysis, the bounds of requirements, rounding steps and E115 use
    // it; the evaluator reads it for number literals only. Computed with the evaluator's own
    // arithmetic; a fold that would fail at scoring time (a division by a constant 0, an
    // overflow, a rounding step <= 0) leaves `e` not constant, and the evaluator reports it
    // there as it would anyway (the division by 0 is E115 already).
    std::optional<number> fold(const ast::expr& e) const {
        const auto& k = out_->constants;
        try {
            if (const auto* u = std::get_if<ast::unary>(&e.kind)) {
                if (u->what == ast::unary::op::neg && k[u->operand->id]) {
                    return -*k[u->operand->id];
                }
            } else if (const auto* b = std::get_if<ast::binary>(&e.kind)) {
                const auto& l = k[b->lhs->id];
                const auto& r = k[b->rhs->id];
                if (!l || !r) {
                    return std::nullopt;
                }
                switch (b->what) {
                    case ast::binary::op::add:
                        return *l + *r;
                    case ast::binary::op::sub:
                        return *l - *r;
                    case ast::binary::op::mul:
                        return *l * *r;
                    case ast::binary::op::div:
                        return r->is_zero() ? std::nullopt : std::optional(*l / *r);
                    default:
                        return std::nullopt;
                }
            } else if (const auto* c = std::get_if<ast::call>(&e.kind)) {
                return fold_call(e, *c);
            } else if (const ast::expr* v = constant_let_value(e)) {
                return k[v->id];
            }
        } catch (const number_error&) {
            // Too large to hold exactly: not a constant here; scoring reports the overflow.
        }
        return std::nullopt;
    }

    // A built-in applied to constant arguments, computed as eval_call computes it.
    std::optional<number> fold_call(const ast::expr& e, const ast::call& c) const {
        const auto& ref = out_->refs[e.id];
        const auto& k = out_->constants;
        // The arguments that are numbers: all of them but round's mode (a name).
        const bool round = ref.index == static_cast<std::uint32_t>(builtin::round);
        const std::size_t n = round ? std::min<std::size_t>(c.args.size(), 2) : c.args.size();
        if (ref.what != resolution::kind::function || n == 0) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (!k[c.args[i]->id]) {
                return std::nullopt;
            }
        }
        const number& x = *k[c.args[0]->id];
        switch (static_cast<builtin>(ref.index)) {
            case builtin::min:
            case builtin::max: {
                if (n < 2) {  // E105 already: no follow-on finding from a value made up here
                    return std::nullopt;
                }
                const bool min = ref.index == static_cast<std::uint32_t>(builtin::min);
                number best = x;
                for (std::size_t i = 1; i < n; ++i) {
                    const number& v = *k[c.args[i]->id];
                    if (min ? v < best : best < v) {
                        best = v;
                    }
                }
                return best;
            }
            case builtin::floor:
                return n == 1 ? std::optional(x.floor()) : std::nullopt;
            case builtin::ceil:
                return n == 1 ? std::optional(x.ceil()) : std::nullopt;
            case builtin::abs:
                return n == 1 ? std::optional(x.abs()) : std::nullopt;
            case builtin::round: {
                if (n != 2 || c.args.size() > 3 || k[c.args[1]->id]->sign() <= 0) {
                    return std::nullopt;
                }
                auto mode = rounding_mode::half_up;
                if (c.args.size() == 3) {
                    const auto& m = out_->refs[c.args[2]->id];
                    if (m.what != resolution::kind::rounding) {
                        return std::nullopt;
                    }
                    mode = static_cast<rounding_mode>(m.index);
                }
                return x.round(*k[c.args[1]->id], mode);
            }
        }
        return std::nullopt;
    }

    // A divisor `z` (or `-z`) naming a constant let points at the let, and on through a let
    // that is itself just another let's name (`let z = a`), so the 0 is seen where it is set.
    void note_constant_lets(diagnostic& d, const ast::expr& divisor) {
        const ast::expr* e = &divisor;
        while (e != nullptr) {
            if (const auto* u = std::get_if<ast::unary>(&e->kind)) {
                e = u->what == ast::unary::op::neg ? u->operand.get() : nullptr;
                continue;
            }
            const ast::expr* v = constant_let_value(*e);
            if (v == nullptr) {
                return;
            }
            const auto& l = (*body_->lets)[out_->refs[e->id].index];
            note(d, v->where, tr(msg::E115_let_always_zero, fmt::arg("name", l.name)));
            e = v;
        }
    }

    // The value expression of the let `e` names, when that let is checked and constant; null
    // otherwise (not a let, or a let in a cycle, which has no value).
    const ast::expr* constant_let_value(const ast::expr& e) const {
        const auto& ref = out_->refs[e.id];
        if (!std::holds_alternative<ast::name_ref>(e.kind) || ref.what != resolution::kind::let
            || body_ == nullptr || body_->state[ref.index] != 2) {
            return nullptr;
        }
        const ast::expr* v = (*body_->lets)[ref.index].value.get();
        return v != nullptr && out_->constants[v->id] ? v : nullptr;
    }

    void note_strict_operands(const ast::expr& e) {
        auto& parent = out_->strict_parent;
        if (const auto* u = std::get_if<ast::unary>(&e.kind)) {
            if (u->what == ast::unary::op::neg) {
                parent[u->operand->id] = e.id;
            }
        } else if (const auto* b = std::get_if<ast::binary>(&e.kind)) {
            if (b->what != ast::binary::op::and_ && b->what != ast::binary::op::or_) {
                parent[b->lhs->id] = e.id;
                parent[b->rhs->id] = e.id;
            }
        } else if (const auto* c = std::get_if<ast::call>(&e.kind)) {
            const auto& r = out_->refs[e.id];
            if (r.what == resolution::kind::function
                && (r.index == static_cast<std::uint32_t>(builtin::min)
                    || r.index == static_cast<std::uint32_t>(builtin::max))) {
                for (const auto& a : c->args) {
                    parent[a->id] = e.id;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Scoring declarations

    void check_scoring() {
        const auto nc = static_cast<std::uint32_t>(out_->criteria.size());
        out_->criterion_bodies.resize(nc);
        out_->item_bodies.resize(out_->items.size());
        for (std::uint32_t c = 0; c < nc; ++c) {
            const auto& cr = *out_->criteria[c].node;
            ctx_ = context::criterion;
            current_node_ = c;
            if (cr.applies_when) {
                expect_bool(check_expr(*cr.applies_when, nullptr), *cr.applies_when,
                            msg::checker_what_applies);
            }
            check_body(cr.body, out_->criterion_bodies[c]);
        }
        for (std::uint32_t i = 0; i < out_->items.size(); ++i) {
            ctx_ = context::item;
            current_node_ = nc + i;
            check_body(out_->items[i].node->body, out_->item_bodies[i]);
        }
        ctx_ = context::other;
        current_node_ = no_node;
    }

    span node_span(std::uint32_t n) const {
        const auto nc = static_cast<std::uint32_t>(out_->criteria.size());
        return n < nc ? out_->criteria[n].node->id_span : out_->items[n - nc].node->label_span;
    }

    std::string node_name(std::uint32_t n) const {
        const auto nc = static_cast<std::uint32_t>(out_->criteria.size());
        return n < nc
                   ? tr(msg::checker_node_criterion, fmt::arg("id", out_->criteria[n].node->id))
                   : tr(msg::checker_node_item, fmt::arg("label", out_->items[n - nc].node->label));
    }

    // Orders criteria and items so that every node comes after the nodes its points refer to.
    void order_scoring() {
        const auto n = static_cast<std::uint32_t>(deps_.size());
        std::vector<std::uint8_t> state(n, 0);
        std::vector<std::uint32_t> stack;
        std::set<std::uint32_t> reported;
        const auto nc = static_cast<std::uint32_t>(out_->criteria.size());
        std::function<void(std::uint32_t)> visit = [&](std::uint32_t v) {
            state[v] = 1;
            stack.push_back(v);
            for (const auto w : deps_[v]) {
                if (state[w] == 1) {
                    if (reported.insert(w).second) {
                        auto& d = error("E140", node_span(w),
                                        tr(msg::E140_node_cycle, fmt::arg("node", node_name(w))));
                        auto it = std::find(stack.begin(), stack.end(), w);
                        for (; it != stack.end(); ++it) {
                            const auto from = *it;
                            const auto to = (it + 1 != stack.end()) ? *(it + 1) : w;
                            note(d, dep_spans_[{from, to}],
                                 tr(msg::E140_uses_here, fmt::arg("from", node_name(from)),
                                    fmt::arg("to", node_name(to))));
                        }
                    }
                } else if (state[w] == 0) {
                    visit(w);
                }
            }
            stack.pop_back();
            state[v] = 2;
            out_->order.push_back(v < nc ? scoring_node{scoring_node::kind::criterion, v}
                                         : scoring_node{scoring_node::kind::item, v - nc});
        };
        for (std::uint32_t v = 0; v < n; ++v) {
            if (state[v] == 0) {
                visit(v);
            }
        }
    }

    // In a regulation merged with an amendment, the criteria of section `s` whose maximum another
    // file sets (a replaced or added criterion): a note at each, so the sum the message reports
    // can be traced to the line that changed it.
    void note_maxima_elsewhere(diagnostic& d, std::uint32_t s) {
        const auto& sec = reg_.sections[s];
        const auto* section_file = file_->origin(sec.max.where.begin).first;
        for (const auto& c : out_->criteria) {
            if (c.section == s && file_->origin(c.node->max.where.begin).first != section_file) {
                note(d, c.node->max.where,
                     tr(msg::E131_criterion_max_here, fmt::arg("id", c.node->id),
                        fmt::arg("max", c.max.exact_string())));
            }
        }
    }

    void check_maxima() {
        number total;
        for (std::uint32_t s = 0; s < reg_.sections.size(); ++s) {
            const auto& sec = reg_.sections[s];
            total += out_->section_max[s];
            if (sec.criteria.empty()) {
                error("E131", sec.id_span, tr(msg::E131_no_criteria, fmt::arg("id", sec.id)));
                continue;
            }
            number sum;
            for (const auto& c : out_->criteria) {
                if (c.section == s) {
                    sum += c.max;
                }
            }
            if (sec.combine == ast::section::combine_mode::rescaled) {
                continue;  // points are re-scaled to the section's maximum
            }
            if (bad_max_sections_.count(s) != 0) {
                continue;  // a maximum is already reported as invalid; sums would only repeat it
            }
            // A criterion whose own maximum is above its section's (E134) is reported at the
            // criterion; the sum is then above the section's maximum too, and W131 would only
            // repeat it at the section.
            bool criterion_above = false;
            for (const auto& c : out_->criteria) {
                if (c.section == s && out_->section_max[s] < c.max) {
                    criterion_above = true;
                    auto& d = error(
                        "E134", c.node->max.where,
                        tr(msg::E134_criterion_above_section, fmt::arg("criterion", c.node->id),
                           fmt::arg("max", c.max.exact_string()), fmt::arg("id", sec.id),
                           fmt::arg("section_max", out_->section_max[s].exact_string())));
                    note(d, sec.max.where,
                         tr(msg::E134_section_max_here, fmt::arg("id", sec.id),
                            fmt::arg("max", out_->section_max[s].exact_string())));
                }
            }
            if (criterion_above) {
                continue;
            }
            if (sum < out_->section_max[s]) {
                auto& d = error("E131", sec.max.where,
                                tr(msg::E131_sum_below, fmt::arg("id", sec.id),
                                   fmt::arg("sum", sum.exact_string()),
                                   fmt::arg("max", out_->section_max[s].exact_string())));
                note(d, sec.id_span, tr(msg::E131_section_here, fmt::arg("id", sec.id)));
                note_maxima_elsewhere(d, s);
            } else if (out_->section_max[s] < sum) {
                auto& d = warning("W131", sec.max.where,
                                  tr(msg::W131_sum_above, fmt::arg("id", sec.id),
                                     fmt::arg("sum", sum.exact_string()),
                                     fmt::arg("max", out_->section_max[s].exact_string())));
                note_maxima_elsewhere(d, s);
            }
        }
        bool section_maxima_ok = true;
        for (std::uint32_t s = 0; s < reg_.sections.size(); ++s) {
            if (auto v = number::parse(reg_.sections[s].max.text); !v || v->sign() <= 0) {
                section_maxima_ok = false;
            }
        }
        if (!reg_.sections.empty() && !reg_.scale.text.empty() && scale_ok_ && section_maxima_ok
            && !(total == out_->scale)) {
            auto& d = error("E130", reg_.scale.where,
                            tr(msg::E130_scale_mismatch, fmt::arg("sum", total.exact_string()),
                               fmt::arg("scale", out_->scale.exact_string())));
            for (const auto& sec : reg_.sections) {
                note(d, sec.max.where,
                     tr(msg::E130_section_max, fmt::arg("id", sec.id),
                        fmt::arg("max", sec.max.text)));
            }
        }
        if (reg_.sections.empty()) {
            error("E131", {reg_.where.begin, reg_.where.begin}, tr(msg::E131_no_sections));
        }
    }

    void check_knockouts() {
        for (const auto& k : reg_.knockouts) {
            ctx_ = k.what == ast::knockout::kind::exclude ? context::exclude : context::ineligible;
            if (k.condition) {
                const type t = check_expr(*k.condition, nullptr);
                expect_bool(t, *k.condition, msg::checker_what_knockout);
                report_constant_condition(*k.condition, msg::E160_never_knockout,
                                          msg::W160_always_knockout);
            }
        }
        ctx_ = context::other;
    }

    void check_keys(const std::vector<ast::ranking_key>& keys) {
        for (const auto& k : keys) {
            const type t = check_expr(*k.key, nullptr);
            if (t.what != type::kind::number && t.what != type::kind::error) {
                error("E164", k.key->where, tr(msg::E164_key_type, fmt::arg("type", type_name(t))));
            }
        }
    }

    void check_ranking() {
        if (!reg_.ranking) {
            return;
        }
        ctx_ = context::ranking;
        check_keys(reg_.ranking->keys);
        check_keys(reg_.ranking->first_place_keys);
        if (reg_.ranking->keys.empty()) {
            error("E164", reg_.ranking->where, tr(msg::E164_no_keys));
        }
        ctx_ = context::other;
    }

    void check_quota(const ast::quota& q) {
        auto v = literal(q.amount, msg::E103_quota);
        if (!v) {
            return;
        }
        if (q.what == ast::quota::kind::absolute && (!v->is_integer() || v->sign() < 0)) {
            error("E152", q.amount.where, tr(msg::E152_whole));
        }
        if (q.what == ast::quota::kind::percent_of_members && (v->sign() < 0 || number(1) < *v)) {
            error("E152", q.amount.where, tr(msg::E152_percent));
            return;
        }
        if (q.what == ast::quota::kind::absolute && (!v->is_integer() || v->sign() < 0)) {
            return;  // reported above
        }
        // Whatever else the ranking module would refuse when it computes the quota (a count too
        // large to hold, a percentage written without `of members`).
        if (auto problem = quota_problem(q)) {
            // For a whole, non-negative absolute amount the only refusal left is its size; the
            // ranking module's own sentence for that talks about whole numbers, which misleads.
            if (q.what == ast::quota::kind::absolute) {
                error("E152", q.amount.where,
                      tr(msg::E152_too_large, fmt::arg("quota", quoted_literal(q.amount.text))));
            } else {
                error("E152", q.where, tr(msg::E152_unusable, fmt::arg("problem", *problem)));
            }
        }
    }

    // Bounds of a numeric expression, from the declared maxima; nullopt when unknown.
    std::optional<interval> bounds(const ast::expr& e) {
        try {
            return bounds_unchecked(e);
        } catch (const number_error&) {
            return std::nullopt;
        }
    }

    // The largest value a level can take: its cap, rounded the way the evaluator rounds it after
    // clamping (a step that does not divide the cap can round above it: max 10, step 3, up: 12).
    number rounded_cap(ast::rounding_rule::target at, const number& cap) const {
        auto it = rounding_.find(at);
        return it == rounding_.end() ? cap : cap.round(it->second.first, it->second.second);
    }

    std::optional<interval> group_bounds(ast::group::kind k) {
        const auto level = k == ast::group::kind::bonus ? ast::rounding_rule::target::bonus
                                                        : ast::rounding_rule::target::deduction;
        number hi;
        for (std::uint32_t g = 0; g < reg_.groups.size(); ++g) {
            if (reg_.groups[g].what != k) {
                continue;
            }
            if (!out_->group_max[g]) {
                return std::nullopt;
            }
            hi += rounded_cap(level, *out_->group_max[g]);
        }
        return interval{number(0), hi};
    }

    number section_cap(std::uint32_t s) const {
        return rounded_cap(ast::rounding_rule::target::section, out_->section_max[s]);
    }

    std::optional<interval> bounds_unchecked(const ast::expr& e) {
        if (const auto& k = out_->constants[e.id]) {
            return interval{*k, *k};
        }
        if (const auto* p = std::get_if<ast::points_ref>(&e.kind)) {
            const auto& ref = out_->refs[e.id];
            switch (p->what) {
                case ast::points_ref::kind::section:
                    return ref.what == resolution::kind::section
                               ? std::optional(interval{number(0), section_cap(ref.index)})
                               : std::nullopt;
                case ast::points_ref::kind::criterion:
                    return ref.what == resolution::kind::criterion ? std::optional(interval{
                               number(0), rounded_cap(ast::rounding_rule::target::criterion,
                                                      out_->criteria[ref.index].max)})
                                                                   : std::nullopt;
                case ast::points_ref::kind::bonus:
                    return group_bounds(ast::group::kind::bonus);
                case ast::points_ref::kind::deduction:
                    return group_bounds(ast::group::kind::deduction);
                case ast::points_ref::kind::total: {
                    auto b = group_bounds(ast::group::kind::bonus);
                    if (!b) {
                        return std::nullopt;
                    }
                    number hi = b->hi;
                    for (std::uint32_t s = 0; s < out_->section_max.size(); ++s) {
                        hi += section_cap(s);
                    }
                    return interval{number(0), rounded_cap(ast::rounding_rule::target::total, hi)};
                }
            }
        }
        if (const auto* b = std::get_if<ast::binary>(&e.kind)) {
            auto l = bounds_unchecked(*b->lhs);
            auto r = bounds_unchecked(*b->rhs);
            if (!l || !r) {
                return std::nullopt;
            }
            switch (b->what) {
                case ast::binary::op::add:
                    return interval{l->lo + r->lo, l->hi + r->hi};
                case ast::binary::op::sub:
                    return interval{l->lo - r->hi, l->hi - r->lo};
                case ast::binary::op::mul:
                    if (l->lo.sign() >= 0 && r->lo.sign() >= 0) {
                        return interval{l->lo * r->lo, l->hi * r->hi};
                    }
                    return std::nullopt;
                default:
                    return std::nullopt;
            }
        }
        return std::nullopt;
    }

    // A comparison whose outcome is fixed by the declared maxima: true/false, or nullopt.
    std::optional<bool> constant_truth(const ast::expr& e, std::string& why) {
        const auto* b = std::get_if<ast::binary>(&e.kind);
        if (b == nullptr) {
            return std::nullopt;
        }
        using op = ast::binary::op;
        if (b->what == op::and_ || b->what == op::or_) {
            auto l = constant_truth(*b->lhs, why);
            if (b->what == op::and_ && l == false) {
                return false;
            }
            if (b->what == op::or_ && l == true) {
                return true;
            }
            std::string why_r;
            auto r = constant_truth(*b->rhs, why_r);
            if (b->what == op::and_ && r == false) {
                why = why_r;
                return false;
            }
            if (b->what == op::or_ && r == true) {
                why = why_r;
                return true;
            }
            if (l && r) {
                return b->what == op::and_ ? (*l && *r) : (*l || *r);
            }
            return std::nullopt;
        }
        if (out_->types[b->lhs->id].what != type::kind::number
            || out_->types[b->rhs->id].what != type::kind::number) {
            return std::nullopt;
        }
        auto l = bounds(*b->lhs);
        auto r = bounds(*b->rhs);
        if (!l || !r) {
            return std::nullopt;
        }
        const std::string ls = one_line(file_->slice(b->lhs->where));
        const std::string rs = one_line(file_->slice(b->rhs->where));
        auto range = [](const interval& i) {
            return i.lo == i.hi ? i.lo.exact_string()
                                : tr(msg::E160_range, fmt::arg("low", i.lo.exact_string()),
                                     fmt::arg("high", i.hi.exact_string()));
        };
        // A literal side needs no explanation: `total >= 120` says "`total` can range over 0 to
        // 105", not also "`120` over 120".
        std::vector<std::string> parts;
        if (!out_->constants[b->lhs->id]) {
            parts.push_back(
                tr(msg::E160_ranges_over, fmt::arg("expr", ls), fmt::arg("range", range(*l))));
        }
        if (!out_->constants[b->rhs->id]) {
            parts.push_back(
                tr(msg::E160_ranges_over, fmt::arg("expr", rs), fmt::arg("range", range(*r))));
        }
        why = parts.empty()       ? tr(msg::E160_constants)
              : parts.size() == 1 ? parts[0]
                                  : tr(msg::E160_both_range, fmt::arg("left", parts[0]),
                                       fmt::arg("right", parts[1]));
        switch (b->what) {
            case op::ge:
                if (l->hi < r->lo) {
                    return false;
                }
                if (r->hi <= l->lo) {
                    return true;
                }
                break;
            case op::gt:
                if (l->hi <= r->lo) {
                    return false;
                }
                if (r->hi < l->lo) {
                    return true;
                }
                break;
            case op::le:
                if (r->hi < l->lo) {
                    return false;
                }
                if (l->hi <= r->lo) {
                    return true;
                }
                break;
            case op::lt:
                if (r->hi <= l->lo) {
                    return false;
                }
                if (l->hi < r->lo) {
                    return true;
                }
                break;
            case op::eq:
                if (l->hi < r->lo || r->hi < l->lo) {
                    return false;
                }
                break;
            default:
                break;
        }
        return std::nullopt;
    }

    void report_constant_condition(const ast::expr& cond, msg never, msg always) {
        std::string why;
        const auto truth = constant_truth(cond, why);
        if (truth == false) {
            auto& d = error("E160", cond.where, tr(never));
            d.notes.push_back({nullptr, {}, why});
        } else if (truth == true) {
            auto& d = warning("W160", cond.where, tr(always));
            d.notes.push_back({nullptr, {}, why});
        }
    }

    void check_awards() {
        std::map<std::string, const ast::award*> ids;
        for (std::size_t a = 0; a < reg_.awards.size(); ++a) {
            const auto& aw = reg_.awards[a];
            if (auto [it, fresh] = ids.emplace(aw.id, &aw); !fresh) {
                auto& d =
                    error("E135", aw.id_span, tr(msg::E135_award_twice, fmt::arg("id", aw.id)));
                note(d, it->second->id_span, tr(msg::E135_first_declared_here));
            }
            // The ranking module's own test of the window, so the checker rejects exactly what
            // ranking would refuse at scoring time (rank 0, reversed ranks, an end without a
            // start).
            if (auto problem = window_problem(aw)) {
                error("E150", aw.candidates_span,
                      tr(msg::E150_no_candidates, fmt::arg("id", aw.id),
                         fmt::arg("problem", *problem)));
            }
            ctx_ = context::requirement;
            for (const auto& r : aw.requirements) {
                if (r.condition) {
                    expect_bool(check_expr(*r.condition, nullptr), *r.condition,
                                msg::checker_what_requirement);
                    report_constant_condition(*r.condition, msg::E160_never_requirement,
                                              msg::W160_always_requirement);
                }
            }
            ctx_ = context::other;
            if (aw.limit) {
                check_quota(*aw.limit);
            }
            // A tier is unreachable when an earlier tier with no requirement and no quota takes
            // every candidate of its window.
            for (std::size_t b = 0; b < a; ++b) {
                const auto& prev = reg_.awards[b];
                if (!prev.requirements.empty() || prev.limit) {
                    continue;
                }
                const bool prev_all = !prev.rank_from;
                const bool inside = prev_all
                                    || (aw.rank_from && *aw.rank_from >= *prev.rank_from
                                        && *aw.rank_to <= *prev.rank_to);
                if (inside) {
                    auto& d = error("E151", aw.candidates_span,
                                    tr(msg::E151_unreachable, fmt::arg("id", aw.id),
                                       fmt::arg("previous", prev.id)));
                    note(d, prev.candidates_span,
                         tr(msg::E151_previous, fmt::arg("previous", prev.id)));
                    break;
                }
            }
        }
        if (reg_.awards_limit) {
            check_quota(*reg_.awards_limit);
        }
    }

    void check_self_score() {
        if (!reg_.self_score) {
            return;
        }
        const auto& s = *reg_.self_score;
        auto it = inputs_.find(s.field);
        if (it == inputs_.end()) {
            error("E165", s.field_span,
                  tr(msg::E165_unknown_input, fmt::arg("name", s.field),
                     fmt::arg("hint", suggest(s.field, names_of(inputs_)))));
        } else {
            out_->input_used[it->second] = true;
            const type t = field_types_.at(&reg_.inputs[it->second]);
            if (t.what != type::kind::number) {
                error("E165", s.field_span,
                      tr(msg::E165_not_number, fmt::arg("type", type_name(t))));
            }
        }
        if (auto tol = literal(s.tolerance, msg::E103_tolerance); tol && tol->sign() < 0) {
            error("E165", s.tolerance.where, tr(msg::E165_negative_tolerance));
        }
    }

    void warn_unused_inputs() {
        for (std::size_t i = 0; i < reg_.inputs.size(); ++i) {
            if (!out_->input_used[i]) {
                warning("W170", reg_.inputs[i].name_span,
                        tr(msg::W170_unused_input, fmt::arg("name", reg_.inputs[i].name)));
            }
        }
    }

    const ast::regulation& reg_;
    diagnostics& diags_;
    source_ptr file_;
    std::unique_ptr<checked_regulation> out_;

    std::map<std::string, std::uint32_t> enums_;
    std::map<std::string, std::uint32_t> inputs_;
    std::map<std::string, std::uint32_t> sections_;
    std::map<std::string, std::uint32_t> criteria_;
    std::map<const ast::field_decl*, type> field_types_;
    std::set<std::uint32_t> bad_max_sections_;
    std::map<ast::rounding_rule::target, std::pair<number, rounding_mode>>
        rounding_;  // a section or criterion maximum is invalid
    bool scale_ok_ = false;

    struct loop_var {
        std::string name;
        type t;
    };
    std::vector<loop_var> loops_;
    body_state* body_ = nullptr;
    context ctx_ = context::other;
    std::uint32_t current_node_ = no_node;
    std::vector<std::vector<std::uint32_t>> deps_;
    std::map<std::pair<std::uint32_t, std::uint32_t>, span> dep_spans_;
    unsigned depth_ = 0;
    unsigned base_ = 0;   // depth_ where the let being checked starts
    unsigned reach_ = 0;  // the deepest level below base_, lets used included
};

}  // namespace

std::unique_ptr<checked_regulation> check(const ast::regulation& reg, diagnostics& diags) {
    // Messages quote keywords as the regulation writes them.
    const scoped_keyword_language keywords_as_written(
        reg.file ? keywords::first_keyword_language(reg.file->text()) : std::nullopt);
    return checker(reg, diags).run();
}

}  // namespace thidua
