#include "engine/explain.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"

namespace thidua {

namespace {

int precedence(const ast::expr& e) {
    if (const auto* b = std::get_if<ast::binary>(&e.kind)) {
        switch (b->what) {
            case ast::binary::op::or_:
                return 1;
            case ast::binary::op::and_:
                return 2;
            case ast::binary::op::add:
            case ast::binary::op::sub:
                return 5;
            case ast::binary::op::mul:
            case ast::binary::op::div:
                return 6;
            default:
                return 4;
        }
    }
    if (const auto* u = std::get_if<ast::unary>(&e.kind)) {
        return u->what == ast::unary::op::not_ ? 3 : 7;
    }
    return 9;
}

// The keyword between two parts of an expression, as the regulation writes it (`then`, `thì`).
std::string keyword_between(const source_file& src, span before, span after) {
    std::string_view word = src.slice({before.end, after.begin});
    const auto skip = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(' || c == ')';
    };
    while (!word.empty() && skip(word.front())) {
        word.remove_prefix(1);
    }
    while (!word.empty() && skip(word.back())) {
        word.remove_suffix(1);
    }
    return std::string(word);
}

class substituter {
  public:
    substituter(const checked_regulation& reg, const trace_frame& frame)
        : reg_(reg), frame_(frame), src_(*reg.ast->file) {}

    std::string render(const ast::expr& e) {
        return std::visit(
            overloaded{
                [&](const ast::number_lit&) { return one_line(src_.slice(e.where)); },
                [&](const ast::bool_lit&) { return one_line(src_.slice(e.where)); },
                [&](const ast::string_lit&) { return one_line(src_.slice(e.where)); },
                [&](const ast::date_lit&) { return one_line(src_.slice(e.where)); },
                [&](const ast::unary& u) {
                    const std::string inner = wrap(*u.operand, precedence(e));
                    if (u.what == ast::unary::op::neg) {
                        return "-" + inner;
                    }
                    return as_written(span{e.where.begin, e.where.begin}, u.operand->where, "not")
                           + " " + inner;
                },
                [&](const ast::binary& b) {
                    const int p = precedence(e);
                    // Comparisons do not chain; the right operand of - and / needs
                    // parentheses at equal precedence.
                    return fmt::format("{} {} {}", wrap(*b.lhs, p),
                                       as_written(b.lhs->where, b.rhs->where, ast::op_text(b.what)),
                                       wrap(*b.rhs, p + 1));
                },
                [&](const ast::call& c) {
                    std::vector<std::string> args;
                    for (const auto& a : c.args) {
                        args.push_back(render(*a));
                    }
                    return fmt::format("{}({})", c.function, fmt::join(args, ", "));
                },
                [&](const ast::if_expr& i) {
                    if (auto ch = frame_.choice(e.id)) {
                        return render(*ch == 0 ? *i.then_value : *i.else_value);
                    }
                    return value_or_source(e);
                },
                [&](const auto&) { return value_or_source(e); },
            },
            e.kind);
    }

  private:
    // An operator as the regulation writes it (`và`, `and`), so a substituted formula reads in
    // the regulation's own words; `fallback` when a comment or a line break sits in between.
    std::string as_written(span before, span after, std::string_view fallback) {
        std::string word = keyword_between(src_, before, after);
        if (word.empty() || word.find_first_of("#\n") != std::string::npos) {
            return std::string(fallback);
        }
        return word;
    }

    std::string wrap(const ast::expr& e, int outer) {
        std::string s = render(e);
        if (precedence(e) < outer && trace_value(reg_, frame_, e) != nullptr) {
            return "(" + s + ")";
        }
        return s;
    }

    std::string value_or_source(const ast::expr& e) {
        if (const auto v = trace_value(reg_, frame_, e)) {
            return format_value(reg_, *v, e.id);
        }
        return one_line(src_.slice(e.where));
    }

    const checked_regulation& reg_;
    const trace_frame& frame_;
    const source_file& src_;
};

// Visits the expressions of `e` in source order, calling f on each (children after parents).
template <class F>
void walk(const ast::expr& e, F&& f) {
    f(e);
    std::visit(overloaded{
                   [&](const ast::member_ref& m) { walk(*m.object, f); },
                   [&](const ast::unary& u) { walk(*u.operand, f); },
                   [&](const ast::binary& b) {
                       walk(*b.lhs, f);
                       walk(*b.rhs, f);
                   },
                   [&](const ast::call& c) {
                       for (const auto& a : c.args) {
                           walk(*a, f);
                       }
                   },
                   [&](const ast::aggregate& a) {
                       walk(*a.list, f);
                       // The body is explained per element, not here.
                   },
                   [&](const ast::if_expr& i) {
                       walk(*i.condition, f);
                       walk(*i.then_value, f);
                       walk(*i.else_value, f);
                   },
                   [&](const ast::when_expr& w) {
                       walk(*w.subject, f);
                       for (const auto& b : w.bands) {
                           walk(*b.value, f);
                       }
                       if (w.else_value) {
                           walk(*w.else_value, f);
                       }
                   },
                   [&](const ast::match_expr& m) {
                       walk(*m.subject, f);
                       for (const auto& a : m.arms) {
                           walk(*a.value, f);
                       }
                       if (m.else_value) {
                           walk(*m.else_value, f);
                       }
                   },
                   [&](const ast::presence& p) { walk(*p.operand, f); },
                   [&](const auto&) {},
               },
               e.kind);
}

// A short name for a list element: its first text field, else its position.
std::string element_label(const checked_regulation& reg, const ast::aggregate& a,
                          const trace_frame& frame, std::uint32_t index) {
    const auto lv = trace_value(reg, frame, *a.list);
    if (lv != nullptr && lv->what == rt_value::tag::list && index < lv->list->size()) {
        const auto& rec = (*lv->list)[index];
        for (const auto& f : rec) {
            if (const auto* s = std::get_if<std::string>(&f.v)) {
                return fmt::format("#{} \"{}\"", index + 1, *s);
            }
        }
    }
    (void)reg;
    return fmt::format("#{}", index + 1);
}

// One rung of `if c then a else b`: whether `c` held, with the values it read, and which value
// was taken. When `b` is itself an `if` (an else-if ladder), its own line follows.
std::string explain_if(const checked_regulation& reg, const ast::if_expr& i, bool held,
                       const trace_frame& frame) {
    const auto& src = *reg.ast->file;
    const std::string condition = one_line(src.slice(i.condition->where));
    std::string values = substitute(reg, *i.condition, frame);
    if (const auto v = trace_value(reg, frame, *i.condition);
        values == condition || (v != nullptr && values == format_value(reg, *v, i.condition->id))) {
        values.clear();
    } else {
        values = fmt::format(" ({})", values);
    }
    if (held) {
        return tr(msg::explain_if_held, fmt::arg("condition", condition),
                  fmt::arg("values", values),
                  fmt::arg("then", keyword_between(src, i.condition->where, i.then_value->where)));
    }
    if (std::holds_alternative<ast::if_expr>(i.else_value->kind)) {
        return tr(msg::explain_if_not_held_next, fmt::arg("condition", condition),
                  fmt::arg("values", values));
    }
    return tr(msg::explain_if_not_held, fmt::arg("condition", condition),
              fmt::arg("values", values),
              fmt::arg("else", keyword_between(src, i.then_value->where, i.else_value->where)));
}

void explain_details(const checked_regulation& reg, const ast::expr& root, const trace_frame& frame,
                     unsigned depth, std::vector<explain_line>& out) {
    const auto& src = *reg.ast->file;
    walk(root, [&](const ast::expr& e) {
        if (const auto* w = std::get_if<ast::when_expr>(&e.kind)) {
            auto ch = frame.choice(e.id);
            const auto subject = trace_value(reg, frame, *w->subject);
            if (!ch || subject == nullptr) {
                return;
            }
            const std::string sv = format_value(reg, *subject, w->subject->id);
            if (*ch == UINT32_MAX) {
                out.push_back(
                    {depth, tr(msg::explain_no_band,
                               fmt::arg("subject", one_line(src.slice(w->subject->where))),
                               fmt::arg("value", sv))});
            } else {
                out.push_back(
                    {depth, tr(msg::explain_band,
                               fmt::arg("subject", one_line(src.slice(w->subject->where))),
                               fmt::arg("value", sv),
                               fmt::arg("band", one_line(src.slice(w->bands[*ch].where))))});
            }
        } else if (const auto* cond = std::get_if<ast::if_expr>(&e.kind)) {
            if (auto ch = frame.choice(e.id)) {
                out.push_back({depth, explain_if(reg, *cond, *ch == 0, frame)});
            }
        } else if (const auto* m = std::get_if<ast::match_expr>(&e.kind)) {
            auto ch = frame.choice(e.id);
            const auto subject = trace_value(reg, frame, *m->subject);
            if (!ch || subject == nullptr) {
                return;
            }
            const std::string sv = format_value(reg, *subject, m->subject->id);
            const auto& en = reg.ast->enums[reg.types[m->subject->id].enum_index];
            const std::string label = en.members[subject->e].label.empty()
                                          ? ""
                                          : fmt::format(" ({})", en.members[subject->e].label);
            out.push_back(
                {depth,
                 fmt::format("{} = {}{}: {}", one_line(src.slice(m->subject->where)), sv, label,
                             *ch == UINT32_MAX
                                 ? tr(msg::explain_no_arm)
                                 : tr(msg::explain_arm, fmt::arg("arm", m->arms[*ch].member)))});
        } else if (const auto* a = std::get_if<ast::aggregate>(&e.kind)) {
            const auto* loop = frame.find_loop(e.id);
            const auto v = trace_value(reg, frame, e);
            if (loop == nullptr || v == nullptr) {
                return;
            }
            if (a->what == ast::aggregate::kind::count && a->where) {
                // "2 of 3": a filtered count is read against the list's size, not as it.
                out.push_back(
                    {depth, tr(msg::explain_aggregate_count,
                               fmt::arg("list", one_line(src.slice(a->list->where))),
                               fmt::arg("condition", one_line(src.slice(a->where->where))),
                               fmt::arg("value", format_value(reg, *v, e.id)),
                               fmt::arg("elements", loop->elements.size()))});
            } else {
                out.push_back({depth, tr(msg::explain_aggregate,
                                         fmt::arg("aggregate", ast::aggregate_text(a->what)),
                                         fmt::arg("list", one_line(src.slice(a->list->where))),
                                         fmt::arg("value", format_value(reg, *v, e.id)))});
            }
            for (std::size_t i = 0; i < loop->elements.size(); ++i) {
                const auto& sub = loop->frames[i];
                const std::string label = element_label(reg, *a, frame, loop->elements[i]);
                if (a->where) {
                    const auto wv = trace_value(reg, sub, *a->where);
                    if (wv != nullptr && wv->what == rt_value::tag::boolean && !wv->b) {
                        out.push_back(
                            {depth + 1,
                             tr(msg::explain_left_out, fmt::arg("element", label),
                                fmt::arg("condition", one_line(src.slice(a->where->where))),
                                fmt::arg("values", substitute(reg, *a->where, sub)))});
                        continue;
                    }
                }
                if (a->body) {
                    const auto bv = trace_value(reg, sub, *a->body);
                    if (bv == nullptr) {
                        out.push_back({depth + 1, tr(msg::explain_element_not_needed,
                                                     fmt::arg("element", label))});
                        continue;
                    }
                    const std::string s = substitute(reg, *a->body, sub);
                    const std::string val =
                        bv != nullptr ? format_value(reg, *bv, a->body->id) : "?";
                    out.push_back({depth + 1, s == val
                                                  ? fmt::format("{}: {}", label, val)
                                                  : fmt::format("{}: {} = {}", label, s, val)});
                    explain_details(reg, *a->body, sub, depth + 2, out);
                } else if (a->where) {
                    // What made it count: the condition with the element's own values.
                    out.push_back(
                        {depth + 1, tr(msg::explain_counted_because, fmt::arg("element", label),
                                       fmt::arg("condition", one_line(src.slice(a->where->where))),
                                       fmt::arg("values", substitute(reg, *a->where, sub)))});
                } else {
                    out.push_back(
                        {depth + 1, tr(msg::explain_counted, fmt::arg("element", label))});
                }
            }
        }
    });
}

void explain_assignment(const checked_regulation& reg, std::string_view name, const ast::expr& e,
                        const trace_frame& frame, unsigned depth, std::vector<explain_line>& out) {
    const auto& src = *reg.ast->file;
    const auto v = trace_value(reg, frame, e);
    const std::string written = one_line(src.slice(e.where));
    if (v == nullptr) {
        out.push_back({depth, tr(msg::explain_not_needed, fmt::arg("name", name),
                                 fmt::arg("formula", written))});
        return;
    }
    const std::string value = format_value(reg, *v, e.id);
    const std::string subst = substitute(reg, e, frame);
    if (written == value) {
        out.push_back({depth, fmt::format("{} = {}", name, value)});
    } else if (subst == written || subst == value) {
        out.push_back({depth, fmt::format("{} = {} = {}", name, written, value)});
    } else {
        out.push_back({depth, fmt::format("{} = {} = {} = {}", name, written, subst, value)});
    }
    explain_details(reg, e, frame, depth + 1, out);
}

}  // namespace

unsigned display_places(const ast::regulation& reg) {
    for (const auto& r : reg.rounding) {
        if (r.at == ast::rounding_rule::target::criterion) {
            const auto dot = r.step.text.find('.');
            if (dot != std::string::npos) {
                return std::max<unsigned>(2, static_cast<unsigned>(r.step.text.size() - dot - 1));
            }
        }
    }
    return 2;
}

std::string substitute(const checked_regulation& reg, const ast::expr& e,
                       const trace_frame& frame) {
    return substituter(reg, frame).render(e);
}

std::vector<explain_line> explain_body(const checked_regulation& reg, const ast::scoring_body& body,
                                       const trace_frame& frame, unsigned depth) {
    std::vector<explain_line> out;
    for (const auto& l : body.lets) {
        if (l.value) {
            explain_assignment(reg, l.name, *l.value, frame, depth, out);
        }
    }
    if (body.points) {
        // The statement's keyword as the regulation writes it (`points` or `điểm`), like the
        // formula after it, which is quoted as written.
        std::string_view word = reg.ast->file->slice(body.points_span);
        word = word.substr(0, std::min(word.find('='), word.size()));
        while (!word.empty() && (word.back() == ' ' || word.back() == '\t')) {
            word.remove_suffix(1);
        }
        explain_assignment(reg, word.empty() ? keyword_text(keywords::kw::points) : word,
                           *body.points, frame, depth, out);
    }
    return out;
}

std::vector<explain_line> explain_condition(const checked_regulation& reg, const ast::expr& cond,
                                            const trace_frame& frame, unsigned depth) {
    std::vector<explain_line> out;
    const auto& src = *reg.ast->file;
    const auto v = trace_value(reg, frame, cond);
    const std::string written = one_line(src.slice(cond.where));
    const std::string subst = substitute(reg, cond, frame);
    const std::string value =
        v != nullptr ? format_value(reg, *v, cond.id) : tr(msg::explain_not_evaluated);
    out.push_back({depth, subst == written || subst == value
                              ? fmt::format("{}: {}", written, value)
                              : fmt::format("{}: {}: {}", written, subst, value)});
    explain_details(reg, cond, frame, depth + 1, out);
    return out;
}

std::string rule_position(const ast::regulation& reg, span where) {
    // A merged (amended) regulation cites the file each rule comes from.
    const auto [file, offset] = reg.file->origin(where.begin);
    const auto loc = file->locate(offset);
    return fmt::format("{}:{}", file->path(), loc.line);
}

std::string render_lines(const std::vector<explain_line>& lines) {
    std::string out;
    for (const auto& l : lines) {
        out.append(static_cast<std::size_t>(l.depth) * 2, ' ');
        out += l.text;
        out += '\n';
    }
    return out;
}

}  // namespace thidua
