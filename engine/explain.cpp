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
// The `else` of a table as the regulation writes it (`else`, `ngược lại`): else_span covers the
// whole arm (`else: 0`).
std::string else_keyword(const source_file& src, span where) {
    std::string text(src.text().substr(where.begin, where.end - where.begin));
    text = text.substr(0, text.find(':'));
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.pop_back();
    }
    return text.empty() ? "else" : text;
}

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

// Every sub-expression of `e`, the bodies of aggregates and the bounds of bands included.
template <class F>
void walk_all(const ast::expr& e, F&& f) {
    f(e);
    const auto go = [&](const ast::expr_ptr& x) {
        if (x) {
            walk_all(*x, f);
        }
    };
    std::visit(overloaded{
                   [&](const ast::member_ref& m) { go(m.object); },
                   [&](const ast::unary& u) { go(u.operand); },
                   [&](const ast::binary& b) {
                       go(b.lhs);
                       go(b.rhs);
                   },
                   [&](const ast::call& c) {
                       for (const auto& a : c.args) {
                           go(a);
                       }
                   },
                   [&](const ast::aggregate& a) {
                       go(a.list);
                       go(a.where);
                       go(a.body);
                   },
                   [&](const ast::if_expr& i) {
                       go(i.condition);
                       go(i.then_value);
                       go(i.else_value);
                   },
                   [&](const ast::when_expr& w) {
                       go(w.subject);
                       for (const auto& b : w.bands) {
                           go(b.bound);
                           go(b.value);
                       }
                       go(w.else_value);
                   },
                   [&](const ast::match_expr& m) {
                       go(m.subject);
                       for (const auto& a : m.arms) {
                           go(a.value);
                       }
                       go(m.else_value);
                   },
                   [&](const ast::presence& p) { go(p.operand); },
                   [&](const auto&) {},
               },
               e.kind);
}

// The source text of `where` on one line. Comments are dropped (on one line they would swallow
// the rest), and a band or match arm that the source separates from the next one by a line break
// or spaces only gets a comma after it (`{ >= 5: 5, == 4: 3, else: 0 }`), which the grammar
// accepts as a separator: joined by a single space, `>= 5: 5 == 4: 3` reads as "5 == 4".
std::string written_text(const source_file& src, span where,
                         std::initializer_list<const ast::expr*> roots) {
    const std::string_view text = src.slice(where);
    std::vector<std::uint32_t> commas;  // byte offsets (in the file) after which to put a comma
    const auto separate = [&](std::uint32_t end) {
        // No comma when the source has one already (after blanks or comments).
        for (std::uint32_t p = end; p < where.end; ++p) {
            const char c = text[p - where.begin];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            if (c == '#') {
                while (p < where.end && text[p - where.begin] != '\n') {
                    ++p;
                }
                continue;
            }
            if (c != ',') {
                commas.push_back(end);
            }
            return;
        }
    };
    for (const ast::expr* root : roots) {
        if (root == nullptr) {
            continue;
        }
        walk_all(*root, [&](const ast::expr& e) {
            if (const auto* w = std::get_if<ast::when_expr>(&e.kind)) {
                for (std::size_t b = 0; b < w->bands.size(); ++b) {
                    if (b + 1 < w->bands.size() || w->else_value) {
                        separate(w->bands[b].where.end);
                    }
                }
            } else if (const auto* m = std::get_if<ast::match_expr>(&e.kind)) {
                for (std::size_t a = 0; a < m->arms.size(); ++a) {
                    if (a + 1 < m->arms.size() || m->else_value) {
                        separate(m->arms[a].value->where.end);
                    }
                }
            }
        });
    }
    std::sort(commas.begin(), commas.end());
    std::string out;
    std::size_t next = 0;
    for (std::uint32_t p = where.begin; p < where.end; ++p) {
        while (next < commas.size() && commas[next] == p) {
            out += ',';
            ++next;
        }
        const char c = text[p - where.begin];
        if (c == '"') {
            // A string literal is copied as it is, a '#' in it included.
            out += c;
            for (++p; p < where.end; ++p) {
                const char d = text[p - where.begin];
                out += d;
                if (d == '\\' && p + 1 < where.end) {
                    out += text[++p - where.begin];
                } else if (d == '"') {
                    break;
                }
            }
            continue;
        }
        if (c == '#') {
            while (p + 1 < where.end && text[p + 1 - where.begin] != '\n') {
                ++p;
            }
            out += ' ';
            continue;
        }
        out += c;
    }
    return one_line(out);
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
        return formula_text(src_, e);
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
    const std::string condition = formula_text(src, *i.condition);
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
                    {depth,
                     tr(msg::explain_no_band, fmt::arg("subject", formula_text(src, *w->subject)),
                        fmt::arg("value", sv), fmt::arg("else", else_keyword(src, w->else_span)))});
            } else {
                out.push_back(
                    {depth,
                     tr(msg::explain_band, fmt::arg("subject", formula_text(src, *w->subject)),
                        fmt::arg("value", sv),
                        fmt::arg("band", written_text(src, w->bands[*ch].where,
                                                      {w->bands[*ch].bound.get(),
                                                       w->bands[*ch].value.get()})))});
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
                 fmt::format("{} = {}{}: {}", formula_text(src, *m->subject), sv, label,
                             *ch == UINT32_MAX
                                 ? tr(msg::explain_no_arm,
                                      fmt::arg("else", else_keyword(src, m->else_span)))
                                 : tr(msg::explain_arm, fmt::arg("arm", m->arms[*ch].member)))});
        } else if (const auto* a = std::get_if<ast::aggregate>(&e.kind)) {
            const auto* loop = frame.find_loop(e.id);
            const auto v = trace_value(reg, frame, e);
            if (loop == nullptr || v == nullptr) {
                return;
            }
            const bool empty = loop->elements.empty();
            if (empty && a->what == ast::aggregate::kind::count && a->where) {
                // No element to list: say so rather than end on "element by element:".
                out.push_back({depth, tr(msg::explain_aggregate_count_empty,
                                         fmt::arg("list", formula_text(src, *a->list)),
                                         fmt::arg("condition", formula_text(src, *a->where)),
                                         fmt::arg("value", format_value(reg, *v, e.id)))});
            } else if (empty) {
                out.push_back({depth, tr(msg::explain_aggregate_empty,
                                         fmt::arg("aggregate", ast::aggregate_text(a->what)),
                                         fmt::arg("list", formula_text(src, *a->list)),
                                         fmt::arg("value", format_value(reg, *v, e.id)))});
            } else if (a->what == ast::aggregate::kind::count && a->where) {
                // "2 of 3": a filtered count is read against the list's size, not as it.
                out.push_back({depth, tr(msg::explain_aggregate_count,
                                         fmt::arg("list", formula_text(src, *a->list)),
                                         fmt::arg("condition", formula_text(src, *a->where)),
                                         fmt::arg("value", format_value(reg, *v, e.id)),
                                         fmt::arg("elements", loop->elements.size()))});
            } else {
                out.push_back({depth, tr(msg::explain_aggregate,
                                         fmt::arg("aggregate", ast::aggregate_text(a->what)),
                                         fmt::arg("list", formula_text(src, *a->list)),
                                         fmt::arg("value", format_value(reg, *v, e.id)))});
            }
            for (std::size_t i = 0; i < loop->elements.size(); ++i) {
                const auto& sub = loop->frames[i];
                const std::string label = element_label(reg, *a, frame, loop->elements[i]);
                if (a->where) {
                    const auto wv = trace_value(reg, sub, *a->where);
                    if (wv != nullptr && wv->what == rt_value::tag::boolean && !wv->b) {
                        out.push_back(
                            {depth + 1, tr(msg::explain_left_out, fmt::arg("element", label),
                                           fmt::arg("condition", formula_text(src, *a->where)),
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
                                       fmt::arg("condition", formula_text(src, *a->where)),
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
    const std::string written = formula_text(src, e);
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

std::string formula_text(const source_file& src, const ast::expr& e) {
    return written_text(src, e.where, {&e});
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
    const std::string written = formula_text(src, cond);
    const std::string subst = substitute(reg, cond, frame);
    const std::string value =
        v != nullptr ? format_value(reg, *v, cond.id) : tr(msg::explain_not_evaluated);
    out.push_back({depth, subst == written || subst == value
                              ? fmt::format("{}: {}", written, value)
                              : fmt::format("{}: {}: {}", written, subst, value)});
    explain_details(reg, cond, frame, depth + 1, out);
    return out;
}

rescaled_arithmetic explain_rescaled(const checked_regulation& reg, const scored_unit& s,
                                     std::size_t section) {
    const unsigned places = display_places(*reg.ast);
    number sum;
    std::vector<std::string> ids;
    std::vector<std::string> points;
    std::vector<std::string> maxima;
    std::vector<std::string> not_applicable;
    for (std::size_t c = 0; c < reg.criteria.size() && c < s.criteria.size(); ++c) {
        if (reg.criteria[c].section != section) {
            continue;
        }
        const auto& sc = s.criteria[c];
        if (!sc.applicable) {
            not_applicable.push_back(reg.criteria[c].node->id);
            continue;
        }
        sum += sc.points;
        ids.push_back(reg.criteria[c].node->id);
        points.push_back(decimal(sc.points.to_string(places)));
        maxima.push_back(decimal(reg.criteria[c].max.exact_string()));
    }
    const number& raw = s.section_raw[section];
    const number& result = s.section_points[section];
    rescaled_arithmetic out;
    // Up to four more decimals than the table shows, as the total's line does ("≈22.619048").
    out.arithmetic = fmt::format("{} × {} / {} = {}", decimal(sum.display(0, places + 4)),
                                 decimal(reg.section_max[section].exact_string()),
                                 decimal(s.section_applicable_max[section].exact_string()),
                                 decimal(raw.display(places, places + 4)));
    // Only rounding can change it: every criterion is within its max, so the sum is within the
    // sum of the maxima and the quotient within the section's max.
    if (!(raw == result)) {
        out.arithmetic +=
            tr(msg::clamp_rounded, fmt::arg("points", decimal(result.to_string(places))));
    }
    out.parts = tr(
        msg::explain_rescaled_parts, fmt::arg("criteria", fmt::format("{}", fmt::join(ids, " + "))),
        fmt::arg("points", fmt::format("{}", fmt::join(points, " + "))),
        fmt::arg("sum", decimal(sum.display(0, places + 4))),
        fmt::arg("maxima", fmt::format("{}", fmt::join(maxima, " + "))),
        fmt::arg("applicable_max", decimal(s.section_applicable_max[section].exact_string())));
    if (!not_applicable.empty()) {
        out.parts += tr(msg::explain_rescaled_not_applicable,
                        fmt::arg("criteria", fmt::format("{}", fmt::join(not_applicable, ", "))));
    }
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
