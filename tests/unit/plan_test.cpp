// The evaluator compiles every expression once into a plan for its fast path; whatever the plan
// does not handle goes to the generic path. The two must agree exactly: same results, same errors
// (message and span), same traces (every value in order, every choice and loop). Here every unit
// of the shipped rule sets, and a regulation using every construct the plan compiles (and its
// error cases), is scored by a compiled evaluator and by one with compilation off, traced and
// untraced, and the results compared field by field.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/data.hpp"
#include "engine/evaluator.hpp"
#include "trace_compare.hpp"

using namespace thidua;
using namespace thidua::testing_support;

namespace {

struct checked_source {
    parse_result parsed;
    std::unique_ptr<checked_regulation> reg;

    explicit checked_source(const source_ptr& src) {
        parsed = parse(src);
        INFO(render_text(parsed.diags));
        REQUIRE(parsed.regulation);
        diagnostics diags;
        reg = check(*parsed.regulation, diags);
        INFO(render_text(diags));
        REQUIRE(reg);
    }
};

// Scores `fields` with both evaluators, traced and not, and compares everything.
void both_agree(const checked_regulation& reg, const std::string& name,
                const std::vector<value>& fields) {
    const evaluator compiled(reg);
    const evaluator generic(reg, false);
    const unit_input in{&name, &fields};
    for (const bool trace : {false, true}) {
        INFO("unit " << name << ", traced " << trace);
        std::optional<scored_unit> a;
        std::optional<scored_unit> b;
        std::string error_a;
        std::string error_b;
        span where_a;
        span where_b;
        try {
            a = compiled.score(in, trace);
        } catch (const eval_error& e) {
            error_a = e.what();
            where_a = e.where();
        }
        try {
            b = generic.score(in, trace);
        } catch (const eval_error& e) {
            error_b = e.what();
            where_b = e.where();
        }
        CHECK(error_a == error_b);
        CHECK(where_a.begin == where_b.begin);
        CHECK(where_a.end == where_b.end);
        REQUIRE(a.has_value() == b.has_value());
        if (a) {
            same_unit(*a, *b);
        }
    }
}

}  // namespace

TEST_CASE("compiled and generic evaluation agree on the shipped rule sets", "[evaluator]") {
    const std::string root = std::string(THIDUA_SOURCE_DIR) + "/rules/";
    for (const char* set : {"khoi5-2018", "tiengiang-tnmt-2022", "khoi3-2018"}) {
        INFO(set);
        std::string error;
        const auto src = source_file::load(root + set + "/regulation.tdkt", error);
        REQUIRE(src);
        const checked_source c(src);
        diagnostics diags;
        const auto data = load_results(*c.parsed.regulation, root + set + "/data", {}, diags);
        INFO(render_text(diags));
        REQUIRE(data);
        REQUIRE(data->units.size() >= 7);
        for (const auto& u : data->units) {
            both_agree(*c.reg, u.name, u.fields);
        }
    }
}

namespace {

// The inputs of the test regulations below (unit_fields() fills them).
const std::string plan_inputs = R"(  enum rating ordered { a "A"  b "B"  c "C" }
  input {
    x: number
    y: number
    z: number?
    flag: bool
    r: rating
    rows: list { p: number  q: number  ok: bool  g: rating }
  }
)";

// Every construct the plan compiles: literals (number, percent, bool), inputs (present and
// absent optional ones), loop-variable fields, + - * / and unary minus, comparisons, and/or/not,
// min/max, floor/ceil/abs/round with each mode, if/when/match (with and without else), every
// aggregate kind with and without `where`, lets, points references, and a division and a
// rounding step that can be zero at run time.
const std::string all_constructs = R"(regulation "plan" {
  scale 1000
)" + plan_inputs + R"(
  section I "s" max 1000 {
    criterion C1 "arith" max 100 {
      let d = x - y
      points = -(-x) + y * 2 - d / 4 + 50% * x
    }
    criterion C2 "functions" max 100 {
      points = min(x, y, 7) + max(x, 0.5) + floor(x / 3) + ceil(y / 3) + abs(y - x) + round(x / 7, 0.01) + round(x / 7, 0.1, half_even) + round(y / 7, 0.5, down) + round(y / 7, 0.25, up)
    }
    criterion C3 "bands" max 100 {
      points = when x / y { >= 2: 10  > 1: when y { <= 3: 4  else: 3 }  == 1: 2  < 0.5: 1  else: 0 }
    }
    criterion C4 "matches" max 100 {
      points = match r { a: 10  b: if flag then 5 else 4  else: 1 }
    }
    criterion C5 "logic" max 100 {
      points = if (x > y and not flag) or x == y or x != 3 and y <= 2 or x < 0 or y >= 9 then 1 else 2
    }
    criterion C6 "aggregates" max 100 {
      let n = count(rows)
      let s = sum(i in rows where i.ok: i.p / i.q)
      points = s + n + count(i in rows where i.p > i.q) + min(i in rows: i.p) + max(i in rows where i.ok: i.q) + (if all(i in rows: i.q > 0) then 1 else 0) + (if any(i in rows where i.g == a: i.ok) then 2 else 0) + sum(i in rows: match i.g { a: 1  b: 2  c: 3 })
    }
    criterion C7 "optional" max 100 {
      points = if z is present then z * 2 else 1
    }
    criterion C8 "absent in use" max 100 {
      points = z + 1
    }
    criterion C9 "division" max 100 {
      points = x / (y - 2)
    }
    criterion C10 "step" max 100 {
      points = round(x, y - 2)
    }
    criterion C11 "row operands" max 100 {
      points = sum(i in rows: if i.ok then i.p * 2 else -i.q + max(i.p, 0)) + sum(i in rows: count(j in rows where j.p > i.q))
    }
  }
  bonus "b" max 5 {
    item "i" { points = if flag then 2 else 0 }
    item "p" { points = criterion C1 / 100 + section I / 1000 }
  }
  ineligible "low" when total < 10
  ranking {
    by total desc, criterion C2 desc, x asc
    ties shared
  }
  award top "Top" {
    candidates rank 1
    require "enough" total >= 20 and count(i in rows where i.ok) >= 1
    require "a" r == a
    limit 1
  }
})";

std::vector<value> unit_fields(std::int64_t x, std::int64_t y, std::optional<std::int64_t> z,
                               bool flag, std::uint32_t r,
                               const std::vector<std::array<std::int64_t, 4>>& rows) {
    std::vector<value> f(6);
    f[0].v = number::ratio(x, 4);
    f[1].v = number(y);
    if (z) {
        f[2].v = number(*z);
    }
    f[3].v = flag;
    f[4].v = enum_value{r};
    auto list = std::make_shared<std::vector<record>>();
    for (const auto& [p, q, ok, g] : rows) {
        list->push_back({value{number(p)}, value{number(q)}, value{ok != 0},
                         value{enum_value{static_cast<std::uint32_t>(g)}}});
    }
    f[5].v = list_value(list);
    return f;
}

}  // namespace

TEST_CASE("compiled and generic evaluation agree on every construct and error", "[evaluator]") {
    const checked_source c(std::make_shared<source_file>("plan.tdkt", all_constructs));
    int n = 0;
    auto name = [&n] { return "U" + std::to_string(++n); };
    const std::vector<std::array<std::int64_t, 4>> rows = {
        {3, 2, 1, 0}, {1, 4, 0, 1}, {5, 5, 1, 2}, {7, 3, 0, 0}};
    // x is given in quarters (x = 13 means 3.25).
    for (const std::int64_t x : {-8, 0, 4, 13, 40}) {
        for (const std::int64_t y : {1, 3, 4, 9}) {
            for (const bool flag : {false, true}) {
                for (std::uint32_t r = 0; r < 3; ++r) {
                    both_agree(*c.reg, name(), unit_fields(x, y, 5, flag, r, rows));
                }
            }
        }
    }
    // Run-time errors: an absent optional value used in a sum (C8), a zero divisor (C9, y = 2),
    // a zero rounding step (C10, y = 2), an empty list's max (C6).
    both_agree(*c.reg, name(), unit_fields(8, 3, std::nullopt, true, 0, rows));
    both_agree(*c.reg, name(), unit_fields(8, 2, 1, true, 0, rows));
    both_agree(*c.reg, name(), unit_fields(8, 3, 1, true, 0, {}));
    both_agree(*c.reg, name(), unit_fields(8, 3, 1, false, 2, {{0, 1, 0, 2}}));
}

TEST_CASE("number literals are not recorded but trace_value gives their value", "[evaluator]") {
    const checked_source c(std::make_shared<source_file>("plan.tdkt", all_constructs));
    const evaluator ev(*c.reg);
    const std::string name = "U";
    const auto fields = unit_fields(13, 3, 5, true, 0, {{3, 2, 1, 0}});
    const auto s = ev.score(unit_input{&name, &fields}, true);
    // C1: points = -(-x) + y * 2 - d / 4 + 50% * x
    const auto& body = *c.reg->criteria[0].node->body.points;
    const auto& frame = s.criterion_traces[0];
    const auto* top = std::get_if<ast::binary>(&body.kind);
    REQUIRE(top != nullptr);
    const auto* pct = std::get_if<ast::binary>(&top->rhs->kind);  // 50% * x
    REQUIRE(pct != nullptr);
    const ast::expr& half = *pct->lhs;
    REQUIRE(std::holds_alternative<ast::number_lit>(half.kind));
    CHECK(frame.find(half.id) == nullptr);
    const auto v = trace_value(*c.reg, frame, half);
    REQUIRE(v);
    CHECK(v->n == number::ratio(1, 2));
    // Evaluated expressions are recorded and found either way: x * 50% = 13/4 / 2.
    const auto product = trace_value(*c.reg, frame, *top->rhs);
    REQUIRE(product);
    CHECK(product->n == number::ratio(13, 8));
    CHECK(frame.find(top->rhs->id) != nullptr);
    // C7: if z is present then z * 2 else 1, with z present: the branch taken is found, the
    // other branch's literal has its value all the same (it is the regulation's), and a branch
    // not taken that is not a literal is not found.
    const auto& c7 = *c.reg->criteria[6].node->body.points;
    const auto* iff = std::get_if<ast::if_expr>(&c7.kind);
    REQUIRE(iff != nullptr);
    CHECK(trace_value(*c.reg, s.criterion_traces[6], *iff->then_value));
    CHECK(trace_value(*c.reg, s.criterion_traces[6], *iff->else_value));
    const auto& c9 = s.criterion_traces[8];  // x / (y - 2): evaluated
    CHECK(trace_value(*c.reg, c9, *c.reg->criteria[8].node->body.points));
    // C4: match r { a: 10  b: if flag then 5 else 4  else: 1 }, r = a: arm b was not evaluated.
    CHECK_FALSE(trace_value(
        *c.reg, s.criterion_traces[3],
        *std::get_if<ast::match_expr>(&c.reg->criteria[3].node->body.points->kind)->arms[1].value));
}

TEST_CASE("a row's fields read as operands are not recorded but trace_value gives them",
          "[evaluator]") {
    const checked_source c(std::make_shared<source_file>("plan.tdkt", all_constructs));
    for (const bool compiled : {true, false}) {
        INFO("compiled " << compiled);
        const evaluator ev(*c.reg, compiled);
        const std::string name = "U";
        // rows (p, q, ok, g): (3, 2, true, a), (1, 4, false, b)
        const auto fields = unit_fields(13, 3, 5, true, 0, {{3, 2, 1, 0}, {1, 4, 0, 1}});
        const auto s = ev.score(unit_input{&name, &fields}, true);
        // C11: sum(i in rows: if i.ok then i.p * 2 else -i.q + max(i.p, 0))
        //      + sum(i in rows: count(j in rows where j.p > i.q))
        const auto& top = std::get<ast::binary>(c.reg->criteria[10].node->body.points->kind);
        const auto& first = std::get<ast::aggregate>(top.lhs->kind);
        const auto& iff = std::get<ast::if_expr>(first.body->kind);
        const ast::expr& p_times = *std::get<ast::binary>(iff.then_value->kind).lhs;  // i.p
        const auto& else_sum = std::get<ast::binary>(iff.else_value->kind);
        const ast::expr& q_neg = *std::get<ast::unary>(else_sum.lhs->kind).operand;  // i.q
        const ast::expr& p_max = *std::get<ast::call>(else_sum.rhs->kind).args[0];   // i.p
        const auto* loop = s.criterion_traces[10].find_loop(top.lhs->id);
        REQUIRE(loop != nullptr);
        REQUIRE(loop->frames.size() == 2);
        const auto& ok_row = loop->frames[0];
        const auto& other_row = loop->frames[1];
        // Not recorded, yet found with the row's value where their operator was evaluated.
        CHECK(ok_row.find(p_times.id) == nullptr);
        const auto p0 = trace_value(*c.reg, ok_row, p_times);
        REQUIRE(p0);
        CHECK(p0->n == number(3));
        const auto q1 = trace_value(*c.reg, other_row, q_neg);
        REQUIRE(q1);
        CHECK(q1->n == number(4));
        const auto p1 = trace_value(*c.reg, other_row, p_max);
        REQUIRE(p1);
        CHECK(p1->n == number(1));
        // In the branch not taken they were not evaluated, and are not found.
        CHECK_FALSE(trace_value(*c.reg, ok_row, q_neg));
        CHECK_FALSE(trace_value(*c.reg, ok_row, p_max));
        CHECK_FALSE(trace_value(*c.reg, other_row, p_times));
        // Nested: in j's sub-frame, j.p is j's row (not recorded); i.q is the outer row's field,
        // recorded where it is read.
        const auto& second = std::get<ast::aggregate>(top.rhs->kind);
        const auto& inner = std::get<ast::aggregate>(second.body->kind);
        const auto& cmp = std::get<ast::binary>(inner.where->kind);
        const auto* outer_loop = s.criterion_traces[10].find_loop(top.rhs->id);
        REQUIRE(outer_loop != nullptr);
        REQUIRE(outer_loop->frames.size() == 2);
        const auto* inner_loop = outer_loop->frames[1].find_loop(second.body->id);
        REQUIRE(inner_loop != nullptr);
        REQUIRE(inner_loop->frames.size() == 2);
        const auto& j0 = inner_loop->frames[0];  // j = (3, 2, ...), i = (1, 4, ...)
        CHECK(j0.find(cmp.lhs->id) == nullptr);
        CHECK(j0.find(cmp.rhs->id) != nullptr);
        const auto jp = trace_value(*c.reg, j0, *cmp.lhs);
        REQUIRE(jp);
        CHECK(jp->n == number(3));
        const auto iq = trace_value(*c.reg, j0, *cmp.rhs);
        REQUIRE(iq);
        CHECK(iq->n == number(4));
    }
}

TEST_CASE("aggregates nested deeper than the evaluator's in-place loop stack", "[evaluator]") {
    // Ten nested loops over the same two rows (p, q) = (3, 2), (1, 4): the innermost body reads
    // the outermost, the innermost and a middle variable. Sum over the 2^10 combinations:
    // 2^8 * (3 + 1)^2 + 2^9 * (2 + 4) = 4096 + 3072 = 7168.
    // The let is first needed in the innermost body: it is evaluated with the loops set aside and
    // then put back (base - x = 0).
    std::string body = "v0.p * v9.p + v5.q + base - x";
    for (int d = 9; d >= 0; --d) {
        body = "sum(v" + std::to_string(d) + " in rows: " + body + ")";
    }
    const std::string text = R"(regulation "deep" {
  scale 10000
)" + plan_inputs + R"(
  section I "s" max 10000 {
    criterion C1 "deep" max 10000 {
      let base = x
      points = )" + body + R"(
    }
  }
})";
    const checked_source c(std::make_shared<source_file>("deep.tdkt", text));
    const std::string name = "U";
    const auto fields = unit_fields(4, 1, 5, true, 0, {{3, 2, 1, 0}, {1, 4, 0, 1}});
    for (const bool compiled : {true, false}) {
        const evaluator ev(*c.reg, compiled);
        const auto s = ev.score(unit_input{&name, &fields}, false);
        CHECK(s.criteria[0].raw == number(7168));
    }
    both_agree(*c.reg, name, fields);
}
