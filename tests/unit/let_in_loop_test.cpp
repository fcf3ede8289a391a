// A `let` is evaluated lazily, on first use, and recorded in its body's own frame. When that first
// use is inside an aggregate's loop and the let holds an aggregate itself, the let adds a loop to
// the same frame the running aggregate is recording into. The running aggregate must not hold a
// reference into that frame's `loops` across its body (a regression: it did, and the vector's
// growth left it dangling; the ASan build, -DTHIDUA_SANITIZE=ON, reported a use after free).
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/evaluator.hpp"

using namespace thidua;

namespace {

// `n` is first needed inside the sum's loop; `m` likewise inside the `all` of a knock-out-free
// requirement-free regulation, and `k` nests one more level (a let whose aggregate's body reads
// another let holding an aggregate).
const char* const regulation_text = R"(regulation "let in loop" {
  scale 200
  input {
    ind: list { target: number  actual: number }
  }
  section I "s" max 200 {
    criterion C1 "c1" max 100 {
      let n = count(j in ind where j.actual > 0)
      points = sum(i in ind: if n > 0 then i.actual / n else 0)
    }
    criterion C2 "c2" max 100 {
      let m = sum(j in ind: j.target)
      let k = count(j in ind where j.actual * 3 > m)
      points = sum(i in ind where i.target > 0: if k > 0 then i.target / m + k else 1)
    }
  }
})";

struct fixture {
    parse_result parsed;
    std::optional<checked_regulation> reg;
    fixture() {
        parsed = parse(std::make_shared<source_file>("let_in_loop.tdkt", regulation_text));
        INFO(render_text(parsed.diags));
        REQUIRE(parsed.regulation);
        diagnostics diags;
        auto c = check(*parsed.regulation, diags);
        INFO(render_text(diags));
        REQUIRE(c);
        reg.emplace(std::move(*c));
    }
};

std::vector<value> unit_of(const std::vector<std::pair<std::int64_t, std::int64_t>>& rows) {
    auto list = std::make_shared<std::vector<record>>();
    for (const auto& [target, actual] : rows) {
        list->push_back({value{number(target)}, value{number(actual)}});
    }
    std::vector<value> fields(1);
    fields[0].v = list_value(list);
    return fields;
}

}  // namespace

TEST_CASE("a let holding an aggregate first used inside a loop", "[evaluator]") {
    const fixture f;
    const evaluator ev(*f.reg);
    const std::string name = "U";
    // (target, actual) rows: C1 = sum(actual) / count(actual > 0); C2 as computed below.
    const auto fields = unit_of({{10, 4}, {20, 0}, {30, 9}, {40, 2}, {50, 5}});
    const unit_input in{&name, &fields};
    // m = 150; k = count(3 * actual > 150) = 0, so every row gives 1: C2 = 5.
    // n = 4 (actual > 0); C1 = (4 + 0 + 9 + 2 + 5) / 4 = 5.
    for (const bool trace : {false, true}) {
        INFO("traced " << trace);
        const scored_unit s = ev.score(in, trace);
        CHECK(s.criteria[0].points == number(5));
        CHECK(s.criteria[1].points == number(5));
        if (!trace) {
            continue;
        }
        const auto& t1 = s.criterion_traces[0];
        // The sum's loop and the let's, each with its own elements and sub-frames.
        REQUIRE(t1.loops.size() == 2);
        for (const auto& l : t1.loops) {
            CHECK(l.elements.size() == 5);
            CHECK(l.frames.size() == 5);
        }
        const auto& t2 = s.criterion_traces[1];
        REQUIRE(t2.loops.size() == 3);  // the sum's, k's and m's
        for (const auto& l : t2.loops) {
            CHECK(l.elements.size() == 5);
            CHECK(l.frames.size() == 5);
        }
    }
    // A reused result (loops kept from the previous unit) gives the same.
    scored_unit reused;
    for (int round = 0; round < 3; ++round) {
        ev.score_into(in, true, reused);
        CHECK(reused.criteria[0].points == number(5));
        CHECK(reused.criteria[1].points == number(5));
        CHECK(reused.criterion_traces[0].loops.size() == 2);
        CHECK(reused.criterion_traces[1].loops.size() == 3);
    }
    // With k > 0: targets 10..50, m = 150, actuals 60 and 70 give 3 * actual > 150: k = 2;
    // C2 = sum(target / 150 + 2) = 150 / 150 + 5 * 2 = 11.
    const auto fields2 = unit_of({{10, 60}, {20, 0}, {30, 70}, {40, 2}, {50, 5}});
    const unit_input in2{&name, &fields2};
    ev.score_into(in2, true, reused);
    CHECK(reused.criteria[1].points == number(11));
    CHECK(reused.criteria[0].points == number::ratio(137, 4));
}
