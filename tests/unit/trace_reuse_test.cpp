// score_into() reuses a scored_unit's buffers, trace frames included (a cleared loop keeps its
// sub-frames for the next unit). Whatever the previous unit left behind, the result must equal a
// fresh score(): every recorded value, choice, loop element and sub-frame. Lists of changing
// lengths (longer, shorter, empty) exercise the growing and trimming of reused loops.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/evaluator.hpp"
#include "trace_compare.hpp"

using namespace thidua;
using namespace thidua::testing_support;

TEST_CASE("a reused scored_unit traces exactly like a fresh one", "[evaluator]") {
    std::string error;
    const auto src =
        source_file::load(std::string(THIDUA_SOURCE_DIR) + "/bench/bench-v1.tdkt", error);
    REQUIRE(src);
    const auto parsed = parse(src);
    REQUIRE(parsed.regulation);
    diagnostics diags;
    const auto checked = check(*parsed.regulation, diags);
    REQUIRE(checked);
    const auto& inputs = parsed.regulation->inputs;

    std::mt19937_64 rng(42);
    const auto below = [&rng](std::uint64_t n) { return static_cast<std::int64_t>(rng() % n); };
    // List lengths in an order that grows, shrinks, empties and grows again.
    const std::size_t lengths[] = {10, 3, 12, 0, 10, 1, 7, 7, 0, 0, 15, 2};
    std::vector<std::vector<value>> units;
    std::vector<std::string> names;
    for (const std::size_t len : lengths) {
        std::vector<value> f(inputs.size());
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const std::string& n = inputs[i].name;
            if (n == "ind") {
                auto rows = std::make_shared<std::vector<record>>();
                for (std::size_t k = 0; k < len; ++k) {
                    const std::int64_t target = 5000 + below(45000);
                    const std::int64_t actual = target * (700 + below(601)) / 1000;
                    rows->push_back(
                        {value{number::ratio(target, 100)}, value{number::ratio(actual, 100)}});
                }
                f[i].v = list_value(rows);
            } else if (n == "party_rating" || n == "union_rating") {
                f[i].v = enum_value{static_cast<std::uint32_t>(below(4))};
            } else if (n == "national_award") {
                f[i].v = below(2) == 0;
            } else {
                f[i].v = number(below(8));
            }
        }
        units.push_back(std::move(f));
        names.push_back("U" + std::to_string(names.size()));
    }

    const evaluator ev(*checked);
    scored_unit reused;
    for (const bool trace : {true, false, true}) {
        for (std::size_t u = 0; u < units.size(); ++u) {
            INFO("unit " << u << " with " << lengths[u] << " indicators, traced " << trace);
            const unit_input in{&names[u], &units[u]};
            ev.score_into(in, trace, reused);
            const scored_unit fresh = ev.score(in, trace);
            same_unit(reused, fresh);
        }
    }
}
