// The static checker: name resolution, types, and the regulation-level sanity checks (maxima add
// up, bands reachable and complete, matches exhaustive, award tiers reachable, requirements
// satisfiable, no cycles).
//
// check() never mutates the AST. What it learns is kept in side tables indexed by expression id, so
// the evaluator can run without any string lookups.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "engine/number.hpp"

namespace thidua {

/// The static type of an expression.
struct type {
    enum class kind : std::uint8_t {
        error,
        number,
        boolean,
        date,
        text,
        enumeration,
        list,
        element
    };
    kind what = kind::error;
    bool integer = false;                                  // number known to be whole
    std::uint32_t enum_index = 0;                          // for enumeration
    const std::vector<ast::field_decl>* fields = nullptr;  // for list / record

    friend bool operator==(const type& a, const type& b) {
        return a.what == b.what && a.enum_index == b.enum_index && a.fields == b.fields;
    }
};

/// What a name, member access, call or points reference resolved to.
struct resolution {
    enum class kind : std::uint8_t {
        none,
        input,        // index = input field
        let,          // index = let within the current body (see checked_body)
        loop_var,     // index = depth of the aggregate's variable (0 = outermost)
        enum_member,  // index = member; enum_index in the expression's type
        field,        // member_ref: index = field within the record
        function,     // call: index = builtin
        rounding,     // name_ref used as a rounding mode: index = rounding_mode
        section,      // points_ref: index = section
        criterion,    // points_ref: index = flat criterion index
    };
    kind what = kind::none;
    std::uint32_t index = 0;
};

enum class builtin : std::uint8_t { min, max, floor, ceil, abs, round };

/// Per-body facts: the order in which its lets must be evaluated.
struct checked_body {
    std::vector<std::uint32_t> let_order;
};

/// A criterion or bonus/deduction item in evaluation order.
struct scoring_node {
    enum class kind : std::uint8_t { criterion, item };
    kind what = kind::criterion;
    std::uint32_t index = 0;  // flat criterion index, or flat item index
};

struct checked_regulation {
    const ast::regulation* ast = nullptr;

    // Side tables indexed by expression id (size expr_count + 1).
    std::vector<type> types;
    std::vector<resolution> refs;
    /// The value of every number expression that does not depend on any input: number
    /// literals, and unary minus, + - * /, min/max/abs/floor/ceil/round and lets over constants.
    /// The evaluator takes it for number literals only (other nodes are evaluated and traced).
    std::vector<std::optional<number>> constants;
    /// For an operand of an operator that always evaluates all its operands (arithmetic, a
    /// comparison, unary minus, min/max), that operator's expression id; otherwise 0. Such an
    /// operand was evaluated exactly when its operator was: a trace needs to record the operator
    /// only (see trace_value).
    std::vector<ast::node_id> strict_parent;

    // Flattened views: criteria in source order with their section, items with their group.
    struct criterion_ref {
        const ast::criterion* node;
        std::uint32_t section;
        number max;
    };
    struct item_ref {
        const ast::group_item* node;
        std::uint32_t group;
        std::optional<number> max;
    };
    std::vector<criterion_ref> criteria;
    std::vector<item_ref> items;
    std::vector<checked_body> criterion_bodies;  // parallel to criteria
    std::vector<checked_body> item_bodies;       // parallel to items
    std::vector<scoring_node> order;             // every criterion and item, dependencies first

    number scale;
    std::vector<number> section_max;
    std::vector<std::optional<number>> group_max;
    std::vector<bool> input_used;
};

/// Checks a parsed regulation. Returns the checked form when there were no errors (warnings are
/// allowed), null otherwise; all findings go to `diags`.
std::unique_ptr<checked_regulation> check(const ast::regulation& reg, diagnostics& diags);

}  // namespace thidua
