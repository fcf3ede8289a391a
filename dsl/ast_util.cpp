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

}  // namespace thidua::ast
