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

}  // namespace thidua::ast
