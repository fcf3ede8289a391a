// Nesting (E005) against length: long flat sums and `else if` ladders are not nesting, real
// nesting is limited to max_nesting_depth, and the depth of an expression's tree (chains count
// one level per step) to max_expression_depth. Nothing deep may overflow the stack.
#include <catch2/catch.hpp>
#include <string>

#include "cli_runner.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/parser.hpp"
#include "engine/checker.hpp"

using namespace thidua;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

parse_result parse_text(const std::string& text) {
    return parse(std::make_shared<source_file>("t.tdkt", text));
}

std::string regulation(const std::string& points) {
    return "regulation \"t\" {\n  scale 1000000\n  input {\n    x: number\n  }\n"
           "  section I \"s\" max 1000000 {\n    criterion I.1 \"c\" max 1000000 {\n      points = "
           + points + "\n    }\n  }\n  ranking {\n    by total desc\n  }\n}\n";
}

std::string sum_of(std::size_t terms) {
    std::string s = "x";
    for (std::size_t i = 1; i < terms; ++i) {
        s += " + x";
    }
    return s;
}

// `if x >= N then N else if x >= N-1 then N-1 ... else 0`: `rungs` ifs.
std::string ladder_of(std::size_t rungs) {
    std::string s;
    for (std::size_t i = rungs; i > 0; --i) {
        s += (i == rungs ? "if x >= " : "\n        else if x >= ") + std::to_string(i) + " then "
             + std::to_string(i);
    }
    return s + "\n        else 0";
}

const diagnostic& only_error(const parse_result& r) {
    REQUIRE(r.diags.items().size() == 1);
    return r.diags.items().front();
}

}  // namespace

TEST_CASE("long flat sums and else-if ladders are not nesting", "[parser][depth]") {
    for (const std::size_t n : {std::size_t{65}, std::size_t{1000}}) {
        INFO(n);
        auto sum = parse_text(regulation(sum_of(n)));
        CHECK(sum.diags.empty());
        CHECK(sum.regulation);
        auto ladder = parse_text(regulation(ladder_of(n)));
        CHECK(ladder.diags.empty());
        CHECK(ladder.regulation);
    }
}

TEST_CASE("an else-if ladder is the same tree as ifs nested in their else", "[parser][depth]") {
    auto ladder =
        parse_text(regulation("if x > 2 then 3 else if x > 1 then 2 else if x > 0 "
                              "then 1 else 0"));
    auto nested =
        parse_text(regulation("if x > 2 then 3 else (if x > 1 then 2 else (if x > 0 "
                              "then 1 else 0))"));
    REQUIRE(ladder.regulation);
    REQUIRE(nested.regulation);
    const auto& a = *ladder.regulation->sections[0].criteria[0].body.points;
    const auto& b = *nested.regulation->sections[0].criteria[0].body.points;
    CHECK(dump_expr(&a) == dump_expr(&b));
    CHECK(ladder.regulation->expr_count == nested.regulation->expr_count);
    // Ids in source order, as for nested ifs: if (1), x > 2 (2..4), 3 (5), if (6), ...
    const auto& outer = std::get<ast::if_expr>(a.kind);
    CHECK(a.id == 1);
    CHECK(outer.then_value->id == 5);
    CHECK(outer.else_value->id == 6);
    const auto& inner = std::get<ast::if_expr>(outer.else_value->kind);
    CHECK(inner.condition->id == 7);
    // Each inner if spans from its own `if` to the end of the ladder.
    CHECK(ladder.regulation->file->slice(outer.else_value->where)
          == "if x > 1 then 2 else if x > 0 then 1 else 0");
}

TEST_CASE("an else-if rung keeps the if's syntax errors", "[parser][depth]") {
    auto missing_then = parse_text(regulation("if x > 1 then 2 else if x > 0 1 else 0"));
    CHECK(only_error(missing_then).code == "E032");
    auto missing_else = parse_text(regulation("if x > 1 then 2 else if x > 0 then 1"));
    CHECK(only_error(missing_else).code == "E032");
    auto missing_value = parse_text(regulation("if x > 1 then 2 else if x > 0 then else 0"));
    CHECK(only_error(missing_value).code == "E021");
}

TEST_CASE("the tree-depth limit is exact and reported at the first step too many",
          "[parser][depth]") {
    // The formula itself is the first level: a sum of max_expression_depth terms fits, and a
    // ladder of two rungs fewer (each rung's comparison `x >= n` is two levels below its if).
    CHECK(parse_text(regulation(sum_of(max_expression_depth))).diags.empty());
    CHECK(parse_text(regulation(ladder_of(max_expression_depth - 2))).diags.empty());
    CHECK(only_error(parse_text(regulation(ladder_of(max_expression_depth - 1)))).code == "E005");
    const std::string long_sum = regulation(sum_of(max_expression_depth + 1));
    auto r = parse_text(long_sum);
    const auto& d = only_error(r);
    CHECK(d.code == "E005");
    CHECK(d.message.find("too long (more than 1024 levels") != std::string::npos);
    // The '+' after the 1,024th term.
    CHECK(d.where.begin == long_sum.find("points = ") + 9 + (max_expression_depth - 1) * 4 + 2);
    const std::string long_ladder = regulation(ladder_of(max_expression_depth));
    auto l = parse_text(long_ladder);
    const auto& dl = only_error(l);
    CHECK(dl.code == "E005");
    // The `if` of the last rung, the 1,024th.
    CHECK(long_ladder.substr(dl.where.begin, dl.where.end - dl.where.begin) == "if");
    CHECK(long_ladder.substr(dl.where.begin, 12) == "if x >= 1 th");
    // Chains inside nesting add up: 20 parenthesised levels of a 60-term sum.
    std::string nested = "x";
    for (int i = 0; i < 20; ++i) {
        nested = "(" + nested + " + " + sum_of(59) + ")";
    }
    CHECK(only_error(parse_text(regulation(nested))).code == "E005");
}

TEST_CASE("deep nesting is E005 with a position, never a stack overflow", "[parser][depth]") {
    const std::size_t n = 10000;
    std::string ifs;
    std::string elses;
    std::string calls;
    std::string closes;
    for (std::size_t i = 0; i < n; ++i) {
        ifs += "if x > 0 then ";
        elses += " else 0";
        calls += "min(";
        closes += ", 1)";
    }
    for (const std::string& points :
         {std::string(n, '(') + "x" + std::string(n, ')'), ifs + "1" + elses, calls + "x" + closes,
          "if " + ifs + "true" + elses + " then 1 else 0", std::string(n, '-') + "x",
          "when x { >= " + calls + "1" + closes + ": 1 else: 0 }"}) {
        auto r = parse_text(regulation(points));
        const auto& d = only_error(r);
        CHECK(d.code == "E005");
        CHECK(d.message.find("nested too deeply (more than 64 levels)") != std::string::npos);
        CHECK(format_position(*d.file, d.where).rfind("t.tdkt:8:", 0) == 0);
    }
    // Long chains: E005 'too long', whatever their length.
    for (const std::size_t len : {std::size_t{5000}, std::size_t{100000}}) {
        CHECK(only_error(parse_text(regulation(sum_of(len)))).code == "E005");
        CHECK(only_error(parse_text(regulation(ladder_of(len)))).code == "E005");
    }
}

// The whole pipeline on long sums and ladders: check, score (exact totals), explain, fmt (the
// formatted file scores the same and formats to itself).
TEST_CASE("long sums and ladders check, score, explain and format", "[parser][depth][cli]") {
    temp_dir dir;
    dir.write("units.csv", "unit,x\nA,3\nB,2\n");
    const std::string data = (dir.path / "units.csv").string();
    for (const std::size_t n : {std::size_t{65}, std::size_t{1000}}) {
        for (const bool ladder : {false, true}) {
            INFO(n << (ladder ? " rungs" : " terms"));
            const std::string reg = (dir.path / "reg.tdkt").string();
            dir.write("reg.tdkt", regulation(ladder ? ladder_of(n) : sum_of(n)));
            CHECK(run({"check", reg}) == reg + ": ok\nexit: 0\n");
            // A scores 3 * n (or 3 on the ladder), B 2 * n (or 2).
            const std::string a = ladder ? "3" : std::to_string(3 * n);
            const std::string b = ladder ? "2" : std::to_string(2 * n);
            const std::string csv = run({"score", reg, "--data", data, "--format", "csv"});
            CHECK(csv.find("A," + a) != std::string::npos);
            CHECK(csv.find("B," + b) != std::string::npos);
            CHECK(csv.find("exit: 0") != std::string::npos);
            const std::string why = run({"explain", reg, "--data", data, "--unit", "A"});
            CHECK(why.find("exit: 0") != std::string::npos);
            const std::string once = run({"fmt", "--stdout", reg});
            REQUIRE(once.size() > 8);
            REQUIRE(once.substr(once.size() - 8) == "exit: 0\n");
            dir.write("formatted.tdkt", once.substr(0, once.size() - 8));
            const std::string formatted = (dir.path / "formatted.tdkt").string();
            CHECK(run({"fmt", "--check", formatted}).find("exit: 0") != std::string::npos);
            CHECK(run({"score", formatted, "--data", data, "--format", "csv"}) == csv);
        }
    }
}

// A let is evaluated where it is first needed, on top of the expression that uses it: lets built
// on each other add their depths up. The checker limits the sum (E004) so that scoring cannot
// overflow the stack; 200 lets of 50 terms each, the previous let first, did.
TEST_CASE("lets built on each other are limited in depth", "[parser][depth]") {
    auto lets_text = [](int count) {
        std::string lets = "      let a0 = x\n";
        for (int k = 1; k < count; ++k) {
            lets += "      let a" + std::to_string(k) + " = a" + std::to_string(k - 1) + " + "
                    + sum_of(49) + "\n";
        }
        std::string text = regulation(sum_of(1));
        const std::string at = "      points = x";
        text.replace(text.find(at), at.size(),
                     lets + "      points = a" + std::to_string(count - 1) + " + x");
        return text;
    };
    for (const int count : {20, 200}) {
        INFO(count << " lets");
        auto r = parse_text(lets_text(count));
        REQUIRE(r.diags.empty());
        REQUIRE(r.regulation);
        diagnostics diags;
        auto checked = check(*r.regulation, diags);
        if (count == 20) {
            CHECK(diags.error_count() == 0);
            continue;
        }
        REQUIRE(diags.error_count() > 0);
        const auto& d = diags.items().front();
        CHECK(d.code == "E004");
        CHECK(d.message.find("too deep with the lets it uses: `a20` is used") != std::string::npos);
    }
    temp_dir dir;
    dir.write("units.csv", "unit,x\nA,3\n");
    dir.write("reg.tdkt", lets_text(200));
    const std::string out = run(
        {"score", (dir.path / "reg.tdkt").string(), "--data", (dir.path / "units.csv").string()});
    CHECK(out.find("error[E004]") != std::string::npos);
    CHECK(out.substr(out.size() - 8) == "exit: 1\n");
}
