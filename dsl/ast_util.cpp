#include "dsl/ast_util.hpp"

namespace thidua::ast {

std::string_view op_text(binary::op op) {
    switch (op) {
        case binary::op::add:
            return "+";
        case binary::op::sub:
            return "-";
        case binary::op::mul:
            return "*";
        case binary::op::div:
            return "/";
        case binary::op::eq:
            return "==";
        case binary::op::ne:
            return "!=";
        case binary::op::lt:
            return "<";
        case binary::op::le:
            return "<=";
        case binary::op::gt:
            return ">";
        case binary::op::ge:
            return ">=";
        case binary::op::and_:
            return "and";
        case binary::op::or_:
            return "or";
    }
    return "?";
}

std::string_view band_text(band::op op) {
    switch (op) {
        case band::op::ge:
            return ">=";
        case band::op::gt:
            return ">";
        case band::op::le:
            return "<=";
        case band::op::lt:
            return "<";
        case band::op::eq:
            return "==";
    }
    return "?";
}

std::string_view aggregate_text(aggregate::kind k) {
    switch (k) {
        case aggregate::kind::sum:
            return "sum";
        case aggregate::kind::count:
            return "count";
        case aggregate::kind::all:
            return "all";
        case aggregate::kind::any:
            return "any";
        case aggregate::kind::min:
            return "min";
        case aggregate::kind::max:
            return "max";
    }
    return "?";
}

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += c;
        }
    }
    return out + '"';
}

std::string number_text(const number_lit& n) {
    return n.text + (n.percent ? "%" : "");
}

std::string range_text(const value_range& r) {
    const auto bound = [](const bound_lit& b) {
        return (b.negative ? "-" : "") + number_text(b.value);
    };
    return bound(r.low) + ".." + (r.high ? bound(*r.high) : std::string());
}

std::vector<const ast::expr*> children(const ast::expr& e) {
    std::vector<const ast::expr*> out;
    std::visit(overloaded{
                   [&](const ast::member_ref& m) { out.push_back(m.object.get()); },
                   [&](const ast::unary& u) { out.push_back(u.operand.get()); },
                   [&](const ast::binary& b) {
                       out.push_back(b.lhs.get());
                       out.push_back(b.rhs.get());
                   },
                   [&](const ast::call& c) {
                       for (const auto& a : c.args) {
                           out.push_back(a.get());
                       }
                   },
                   [&](const ast::aggregate& a) {
                       out.push_back(a.list.get());
                       out.push_back(a.where.get());
                       out.push_back(a.body.get());
                   },
                   [&](const ast::if_expr& i) {
                       out.push_back(i.condition.get());
                       out.push_back(i.then_value.get());
                       out.push_back(i.else_value.get());
                   },
                   [&](const ast::when_expr& w) {
                       out.push_back(w.subject.get());
                       for (const auto& b : w.bands) {
                           out.push_back(b.bound.get());
                           out.push_back(b.value.get());
                       }
                       out.push_back(w.else_value.get());
                   },
                   [&](const ast::match_expr& m) {
                       out.push_back(m.subject.get());
                       for (const auto& a : m.arms) {
                           out.push_back(a.value.get());
                       }
                       out.push_back(m.else_value.get());
                   },
                   [&](const ast::presence& p) { out.push_back(p.operand.get()); },
                   [](const auto&) {},
               },
               e.kind);
    return out;
}

}  // namespace thidua::ast

namespace thidua {

std::string one_line(std::string_view text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    return out;
}

}  // namespace thidua
