#include "dsl/ast_dump.hpp"

#include <fmt/format.h>

#include <vector>

#include "dsl/ast_util.hpp"

namespace thidua {

namespace {

const char* points_name(ast::points_ref::kind k) {
    switch (k) {
        case ast::points_ref::kind::total:
            return "total";
        case ast::points_ref::kind::bonus:
            return "bonus";
        case ast::points_ref::kind::deduction:
            return "deduction";
        case ast::points_ref::kind::section:
            return "section";
        case ast::points_ref::kind::criterion:
            return "criterion";
    }
    return "?";
}

const char* tie_name(ast::tie_mode t) {
    return t == ast::tie_mode::shared ? "shared" : "unresolved";
}

const char* type_name(ast::type_ref::kind k) {
    switch (k) {
        case ast::type_ref::kind::number:
            return "number";
        case ast::type_ref::kind::integer:
            return "integer";
        case ast::type_ref::kind::boolean:
            return "bool";
        case ast::type_ref::kind::date:
            return "date";
        case ast::type_ref::kind::text:
            return "text";
        case ast::type_ref::kind::enumeration:
            return "enum";
        case ast::type_ref::kind::list:
            return "list";
    }
    return "?";
}

class dumper {
  public:
    std::string out;

    void line(int indent, const std::string& text) {
        out.append(static_cast<std::size_t>(indent) * 2, ' ');
        out += text;
        out += '\n';
    }

    void field(int indent, const ast::field_decl& f) {
        std::string head = fmt::format("(field {} ", f.name);
        if (f.type.what == ast::type_ref::kind::list) {
            line(indent, head + "(list" + (f.type.optional ? "?" : "")
                             + (f.label.empty() ? "" : " " + ast::quoted(f.label)));
            for (const auto& sub : f.type.fields) {
                field(indent + 1, sub);
            }
            line(indent + 1, "))");
            return;
        }
        head += f.type.what == ast::type_ref::kind::enumeration ? f.type.enum_name
                                                                : type_name(f.type.what);
        if (f.type.optional) {
            head += '?';
        }
        if (f.range) {
            head += " (in " + ast::range_text(*f.range) + ")";
        }
        if (!f.label.empty()) {
            head += ' ';
            head += ast::quoted(f.label);
        }
        line(indent, head + ")");
    }

    void body(int indent, const ast::scoring_body& b) {
        for (const auto& l : b.lets) {
            line(indent, fmt::format("(let {} {})", l.name, dump_expr(l.value.get())));
        }
        line(indent, fmt::format("(points {})", dump_expr(b.points.get())));
    }

    static std::string keys(const std::vector<ast::ranking_key>& ks) {
        std::string s;
        for (const auto& k : ks) {
            s += fmt::format(" ({} {})", dump_expr(k.key.get()), k.descending ? "desc" : "asc");
        }
        return s;
    }

    static std::string quota(const ast::quota& q) {
        static constexpr const char* roundings[] = {"down", "up", "nearest"};
        return fmt::format("({} {}{} rounded {})", "limit", ast::number_text(q.amount),
                           q.what == ast::quota::kind::percent_of_members ? " of members" : "",
                           roundings[static_cast<int>(q.how)]);
    }
};

}  // namespace

std::string dump_expr(const ast::expr* e) {
    if (e == nullptr) {
        return "<null>";
    }
    return std::visit(
        overloaded{
            [](const ast::number_lit& n) { return ast::number_text(n); },
            [](const ast::bool_lit& b) { return std::string(b.value ? "true" : "false"); },
            [](const ast::string_lit& s) { return ast::quoted(s.value); },
            [](const ast::date_lit& d) {
                return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
            },
            [](const ast::name_ref& n) { return n.name; },
            [](const ast::member_ref& m) {
                return fmt::format("(. {} {})", dump_expr(m.object.get()), m.field);
            },
            [](const ast::points_ref& p) {
                return p.id.empty() ? fmt::format("({})", points_name(p.what))
                                    : fmt::format("({} {})", points_name(p.what), p.id);
            },
            [](const ast::unary& u) {
                return fmt::format("({} {})", u.what == ast::unary::op::neg ? "neg" : "not",
                                   dump_expr(u.operand.get()));
            },
            [](const ast::binary& b) {
                return fmt::format("({} {} {})", ast::op_text(b.what), dump_expr(b.lhs.get()),
                                   dump_expr(b.rhs.get()));
            },
            [](const ast::call& c) {
                std::string s = "(call " + c.function;
                for (const auto& a : c.args) {
                    s += ' ';
                    s += dump_expr(a.get());
                }
                return s + ")";
            },
            [](const ast::aggregate& a) {
                std::string s = "(" + std::string(ast::aggregate_text(a.what));
                if (!a.variable.empty()) {
                    s += ' ';
                    s += a.variable;
                }
                s += ' ';
                s += dump_expr(a.list.get());
                if (a.where) {
                    s += fmt::format(" (where {})", dump_expr(a.where.get()));
                }
                if (a.body) {
                    s += ' ';
                    s += dump_expr(a.body.get());
                }
                return s + ")";
            },
            [](const ast::if_expr& i) {
                return fmt::format("(if {} {} {})", dump_expr(i.condition.get()),
                                   dump_expr(i.then_value.get()), dump_expr(i.else_value.get()));
            },
            [](const ast::when_expr& w) {
                std::string s = "(when " + dump_expr(w.subject.get());
                for (const auto& b : w.bands) {
                    s += fmt::format(" ({} {} {})", ast::band_text(b.compare),
                                     dump_expr(b.bound.get()), dump_expr(b.value.get()));
                }
                if (w.else_value) {
                    s += fmt::format(" (else {})", dump_expr(w.else_value.get()));
                }
                return s + ")";
            },
            [](const ast::match_expr& m) {
                std::string s = "(match " + dump_expr(m.subject.get());
                for (const auto& a : m.arms) {
                    s += fmt::format(" ({} {})", a.member, dump_expr(a.value.get()));
                }
                if (m.else_value) {
                    s += fmt::format(" (else {})", dump_expr(m.else_value.get()));
                }
                return s + ")";
            },
            [](const ast::presence& p) {
                return fmt::format("({} {})", p.absent ? "absent" : "present",
                                   dump_expr(p.operand.get()));
            },
        },
        e->kind);
}

namespace {

// Tests: `(test "title" (data "p") (unit "U" (f 12) (l (row (a 1)))) (expect "U" total == 96.4))`.
std::string test_value_text(const ast::test_value& v) {
    switch (v.what) {
        case ast::test_value::kind::number:
            return ast::number_text(v.number);
        case ast::test_value::kind::boolean:
            return v.boolean ? "true" : "false";
        case ast::test_value::kind::text:
            return ast::quoted(v.text);
        case ast::test_value::kind::member:
            return v.text;
        case ast::test_value::kind::date:
            return fmt::format("{:04}-{:02}-{:02}", v.date.year, v.date.month, v.date.day);
        case ast::test_value::kind::list: {
            std::string out = "[";
            for (const auto& row : v.rows) {
                out += out.size() > 1 ? " (row" : "(row";
                for (const auto& f : row) {
                    out += fmt::format(" ({} {})", f.name, test_value_text(f.value));
                }
                out += ")";
            }
            return out + "]";
        }
    }
    return "?";
}

std::string expectation_text(const ast::expectation& x) {
    auto names = [&] {
        std::vector<std::string> q;
        for (const auto& u : x.units) {
            q.push_back(ast::quoted(u));
        }
        return fmt::format("{}", fmt::join(q, " "));
    };
    switch (x.what) {
        case ast::expectation::kind::points: {
            std::string target = points_name(x.target.what);
            if (!x.target.id.empty()) {
                target += " " + x.target.id;
            }
            return fmt::format("(expect {} {} == {}{})", names(), target, ast::number_text(x.value),
                               x.within ? " (within " + ast::number_text(*x.within) + ")" : "");
        }
        case ast::expectation::kind::rank:
            return x.rank_from == x.rank_to
                       ? fmt::format("(expect {} rank == {})", names(), x.rank_from)
                       : fmt::format("(expect {} rank == {}..{})", names(), x.rank_from, x.rank_to);
        case ast::expectation::kind::award:
            return fmt::format("(expect {} award {})", names(), x.award);
        case ast::expectation::kind::award_pending:
            return fmt::format("(expect {} award {} pending)", names(), x.award);
        case ast::expectation::kind::no_award:
            return fmt::format("(expect {} no award)", names());
        case ast::expectation::kind::excluded:
            return fmt::format("(expect {} {}excluded)", names(), x.negated ? "not " : "");
        case ast::expectation::kind::ineligible:
            return fmt::format("(expect {} {}ineligible)", names(), x.negated ? "not " : "");
        case ast::expectation::kind::tie:
            return fmt::format("(expect tie {})", names());
        case ast::expectation::kind::conflict:
            return fmt::format("(expect conflict {} {})", x.award, names());
    }
    return "?";
}

void dump_test(std::string& out, const ast::test_decl& t, int indent) {
    const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    out += fmt::format("{}(test {}\n", pad, ast::quoted(t.title));
    if (t.data) {
        out += fmt::format("{}  (data {})\n", pad, ast::quoted(*t.data));
    }
    for (const auto& u : t.units) {
        out += fmt::format("{}  (unit {}", pad, ast::quoted(u.name));
        for (const auto& f : u.fields) {
            out += fmt::format(" ({} {})", f.name, test_value_text(f.value));
        }
        out += ")\n";
    }
    for (const auto& x : t.expectations) {
        out += fmt::format("{}  {}\n", pad, expectation_text(x));
    }
    out += pad + ")\n";
}

}  // namespace

std::string dump_tests(const ast::test_file& f) {
    std::string out = fmt::format("(tests for {}\n", ast::quoted(f.regulation_path));
    for (const auto& t : f.tests) {
        dump_test(out, t, 1);
    }
    out += ")\n";
    return out;
}

std::string dump_ast(const ast::regulation& r) {
    static constexpr const char* targets[] = {"criterion", "section", "bonus", "deduction",
                                              "total"};
    static constexpr const char* modes[] = {"half_up", "half_even", "down", "up"};
    dumper d;
    d.line(0, "(regulation " + ast::quoted(r.title));
    if (r.amends) {
        d.line(1, "(amends " + ast::quoted(*r.amends) + ")");
    }
    if (!r.scale.text.empty()) {
        d.line(1, "(scale " + ast::number_text(r.scale) + ")");
    }
    for (const auto& rr : r.rounding) {
        d.line(1, fmt::format("(rounding {} {} {})", targets[static_cast<int>(rr.at)],
                              ast::number_text(rr.step), modes[static_cast<int>(rr.how)]));
    }
    for (const auto& e : r.enums) {
        std::string s = fmt::format("(enum {}{}", e.name, e.ordered ? " ordered" : "");
        for (const auto& m : e.members) {
            s += m.label.empty() ? fmt::format(" ({})", m.name)
                                 : fmt::format(" ({} {})", m.name, ast::quoted(m.label));
        }
        d.line(1, s + ")");
    }
    if (!r.inputs.empty()) {
        d.line(1, "(input");
        for (const auto& f : r.inputs) {
            d.field(2, f);
        }
        d.line(2, ")");
    }
    for (const auto& s : r.sections) {
        std::string head = fmt::format("(section {} {} (max {})", s.id, ast::quoted(s.label),
                                       ast::number_text(s.max));
        if (s.cite) {
            head += " (cite " + ast::quoted(*s.cite) + ")";
        }
        if (s.combine == ast::section::combine_mode::rescaled) {
            head += " (combine rescaled)";
        }
        d.line(1, head);
        for (const auto& c : s.criteria) {
            std::string ch = fmt::format("(criterion {} {} (max {})", c.id, ast::quoted(c.label),
                                         ast::number_text(c.max));
            if (c.cite) {
                ch += " (cite " + ast::quoted(*c.cite) + ")";
            }
            if (c.applies_when) {
                ch += " (applies " + dump_expr(c.applies_when.get()) + ")";
            }
            d.line(2, ch);
            d.body(3, c.body);
            d.line(3, ")");
        }
        d.line(2, ")");
    }
    for (const auto& g : r.groups) {
        std::string head =
            fmt::format("({} {}", g.what == ast::group::kind::bonus ? "bonus" : "deduction",
                        ast::quoted(g.label));
        if (g.max) {
            head += " (max " + ast::number_text(*g.max) + ")";
        }
        d.line(1, head);
        for (const auto& it : g.items) {
            std::string ih = "(item " + ast::quoted(it.label);
            if (it.max) {
                ih += " (max " + ast::number_text(*it.max) + ")";
            }
            if (it.cite) {
                ih += " (cite " + ast::quoted(*it.cite) + ")";
            }
            d.line(2, ih);
            d.body(3, it.body);
            d.line(3, ")");
        }
        d.line(2, ")");
    }
    for (const auto& k : r.knockouts) {
        d.line(1, fmt::format("({} {} {})",
                              k.what == ast::knockout::kind::exclude ? "exclude" : "ineligible",
                              ast::quoted(k.label), dump_expr(k.condition.get())));
    }
    if (r.ranking) {
        d.line(1, "(ranking");
        d.line(2, "(by" + dumper::keys(r.ranking->keys) + ")");
        d.line(2, fmt::format("(ties {})", tie_name(r.ranking->ties)));
        if (!r.ranking->first_place_keys.empty()) {
            d.line(2, "(first place" + dumper::keys(r.ranking->first_place_keys)
                          + (r.ranking->first_place_ties
                                 ? fmt::format(" (ties {})", tie_name(*r.ranking->first_place_ties))
                                 : "")
                          + ")");
        }
        d.line(2, ")");
    }
    for (const auto& a : r.awards) {
        d.line(1, fmt::format("(award {} {}", a.id, ast::quoted(a.label)));
        if (a.rank_from) {
            d.line(2, *a.rank_from == *a.rank_to
                          ? fmt::format("(candidates rank {})", *a.rank_from)
                          : fmt::format("(candidates rank {}..{})", *a.rank_from, *a.rank_to));
        } else {
            d.line(2, "(candidates all)");
        }
        for (const auto& q : a.requirements) {
            d.line(2, fmt::format("(require {} {})", ast::quoted(q.label),
                                  dump_expr(q.condition.get())));
        }
        if (a.limit) {
            d.line(2, dumper::quota(*a.limit));
        }
        d.line(2, a.pass_down ? "(unused slots pass down)" : "(unused slots are lost)");
        d.line(2, ")");
    }
    if (r.awards_limit) {
        d.line(1, "(awards " + dumper::quota(*r.awards_limit) + ")");
    }
    if (r.self_score) {
        d.line(1, fmt::format("(self_score {} (tolerance {}))", r.self_score->field,
                              ast::number_text(r.self_score->tolerance)));
    }
    for (const auto& a : r.amendments) {
        static constexpr const char* actions[] = {"add", "replace", "remove"};
        static constexpr const char* on[] = {"scale",   "rounding",     "enum",       "input",
                                             "section", "criterion",    "bonus",      "deduction",
                                             "item",    "exclude",      "ineligible", "ranking",
                                             "award",   "awards_limit", "self_score"};
        static constexpr const char* places[] = {"in section", "in bonus", "in deduction", "before",
                                                 "after"};
        std::string head =
            fmt::format("({} {}", actions[static_cast<int>(a.what)], on[static_cast<int>(a.on)]);
        if (!a.key.empty()) {
            head += " " + ast::quoted(a.key);
        }
        for (const auto& p : a.places) {
            head += fmt::format(" ({} {})", places[static_cast<int>(p.what)], ast::quoted(p.ref));
        }
        if (a.header_only) {
            head += " (header only)";
        }
        d.line(1, head);
        if (a.decl) {
            // The declaration as a regulation of its own, without its first and last lines.
            // A criterion or an item also loses the lines of the section or group holding it.
            const std::string inner = dump_ast(*a.decl);
            const bool held =
                a.on == ast::amendment::target::criterion || a.on == ast::amendment::target::item;
            std::vector<std::string> lines;
            for (std::size_t at = 0; at < inner.size();) {
                const std::size_t eol = inner.find('\n', at);
                lines.push_back(inner.substr(at, eol + 1 - at));
                at = eol + 1;
            }
            const std::size_t skip = held ? 2 : 1;
            for (std::size_t i = skip; i + skip < lines.size(); ++i) {
                d.out += (held ? "" : "  ") + lines[i];
            }
        }
        d.line(2, ")");
    }
    for (const auto& t : r.tests) {
        dump_test(d.out, t, 1);
    }
    d.line(1, ")");
    return d.out;
}

}  // namespace thidua
