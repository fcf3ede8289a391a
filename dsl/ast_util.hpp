// Small helpers shared by every pass over the AST.
#pragma once

#include <string_view>

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

}  // namespace ast

}  // namespace thidua
