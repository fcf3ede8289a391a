// Small helpers shared by every pass over the AST.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"

namespace thidua {

/// `std::visit(overloaded{[](const A&) {...}, [](const B&) {...}}, v)`
template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

namespace ast {

/// The operator as written in the language: "+", "<=", "and", ...
std::string_view op_text(binary::op op);

/// A band's comparison as written: ">=", ">", "<=", "<", "==".
std::string_view band_text(band::op op);

/// An aggregate's function as written: "sum", "count", "all", "any", "min", "max".
std::string_view aggregate_text(aggregate::kind k);

/// A string literal as written in the language: quoted, with \" \\ \n \t escaped.
std::string quoted(std::string_view s);

/// A number literal as written: its digits, and "%" for a percentage.
std::string number_text(const number_lit& n);

/// A declared range's bounds as written, without `in`: "0..100", "0%..100%", "-5..5", "0..".
std::string range_text(const value_range& r);

/// The sub-expressions of a node, in source order (null where an optional part is missing).
std::vector<const expr*> children(const expr& e);

}  // namespace ast

/// Source text on one line: runs of whitespace (newlines, indentation) become one space.
std::string one_line(std::string_view text);

}  // namespace thidua
