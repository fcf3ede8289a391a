// Micro-benchmarks of `number` on the values a regulation actually computes with: scores with one
// or two decimals (37.40), ratios of actual to target (3870/4000, 30544/29946), equal weights
// (40/3), and integer counts. Each benchmark cycles through a small table so the compiler cannot
// fold the operands; the reported time is per operation.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/number.hpp"

using thidua::number;
using thidua::rounding_mode;

namespace {

number lit(const char* text) {
    return *number::parse(text);
}

const std::vector<number>& scores() {
    static const std::vector<number> v = {lit("37.40"), lit("8.5"),  lit("10"),   lit("96.40"),
                                          lit("2.25"),  lit("0.75"), lit("19.6"), lit("4.05")};
    return v;
}
const std::vector<number>& ratios() {
    static const std::vector<number> v = {
        number(3870) / 4000, number(30544) / 29946, lit("1.65") / lit("1.5"), number(927) / 900,
        number(12) / 13,     number(5) / 8,         number(101) / 97,         number(1)};
    return v;
}
const std::vector<number>& weights() {
    static const std::vector<number> v = {number(40) / 3, number(20) / 7, lit("2.5"), number(15),
                                          number(10) / 3, number(5) / 6,  lit("0.5"), number(3)};
    return v;
}
const std::vector<number>& integers() {
    static const std::vector<number> v = {number(3), number(12), number(-4), number(100),
                                          number(7), number(0),  number(25), number(41)};
    return v;
}

template <typename Op>
void run_binary(benchmark::State& state, const std::vector<number>& xs,
                const std::vector<number>& ys, Op op) {
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ & 7;
        benchmark::DoNotOptimize(op(xs[k], ys[(k * 3 + 1) & 7]));
    }
    state.SetItemsProcessed(state.iterations());
}

void add_integers(benchmark::State& s) {
    run_binary(s, integers(), integers(), [](const number& a, const number& b) { return a + b; });
}
void add_scores(benchmark::State& s) {
    run_binary(s, scores(), scores(), [](const number& a, const number& b) { return a + b; });
}
void add_score_weight(benchmark::State& s) {
    run_binary(s, scores(), weights(), [](const number& a, const number& b) { return a + b; });
}
void sub_ratio_one(benchmark::State& s) {
    run_binary(s, ratios(), ratios(), [](const number& a, const number&) { return a - 1; });
}
void mul_integers(benchmark::State& s) {
    run_binary(s, integers(), integers(), [](const number& a, const number& b) { return a * b; });
}
void mul_ratio_weight(benchmark::State& s) {
    run_binary(s, ratios(), weights(), [](const number& a, const number& b) { return a * b; });
}
void div_score_by_weight(benchmark::State& s) {
    run_binary(s, scores(), weights(), [](const number& a, const number& b) { return a / b; });
}
void div_actual_by_target(benchmark::State& s) {
    run_binary(s, scores(), scores(), [](const number& a, const number& b) { return a / b; });
}
void compare_same_den(benchmark::State& s) {
    run_binary(s, integers(), integers(), [](const number& a, const number& b) { return a < b; });
}
void compare_ratio_threshold(benchmark::State& s) {
    const number threshold = lit("1.1");
    run_binary(s, ratios(), ratios(),
               [&threshold](const number& a, const number&) { return a >= threshold; });
}
void compare_scores(benchmark::State& s) {
    run_binary(s, scores(), weights(), [](const number& a, const number& b) { return a < b; });
}
void round_cent_half_up(benchmark::State& s) {
    const number step = lit("0.01");
    run_binary(s, weights(), weights(), [&step](const number& a, const number&) {
        return a.round(step, rounding_mode::half_up);
    });
}
void round_quarter_half_even(benchmark::State& s) {
    const number step = lit("0.25");
    run_binary(s, ratios(), scores(), [&step](const number& a, const number& b) {
        return (a * b).round(step, rounding_mode::half_even);
    });
}
void floor_ratio(benchmark::State& s) {
    run_binary(s, ratios(), ratios(), [](const number& a, const number&) { return a.floor(); });
}

void parse_score(benchmark::State& state) {
    const char* texts[] = {"37.40", "8.5", "10", "96.40", "2.25", "0.75", "19.6", "4.05"};
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(number::parse(texts[i++ & 7]));
    }
    state.SetItemsProcessed(state.iterations());
}

void to_string_two_places(benchmark::State& s) {
    run_binary(s, weights(), weights(),
               [](const number& a, const number&) { return a.to_string(2); });
}

// One unit's worth of typical scoring work, about 50 operations: ratios of actual to target,
// threshold bands, weighted criteria, a bonus capped at a maximum, a deduction, rounding.
void unit_scoring(benchmark::State& state) {
    const number cap = 5;
    const number band = lit("1.1");
    const number step = lit("0.01");
    const number half = lit("0.5");
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++;
        number total;
        for (std::size_t c = 0; c < 6; ++c) {  // 6 criteria x ~7 operations
            const number& actual = scores()[(k + c) & 7];
            const number& target = scores()[(k + c * 3 + 1) & 7];
            const number ratio = actual / target;
            const number& weight = weights()[(k + c) & 7];
            number points = ratio >= band ? weight : ratio * weight;
            if (points > weight) {
                points = weight;
            }
            total += points;
            total -= integers()[(k + c) & 7] * half;  // a deduction per occurrence
        }
        const number bonus = total * ratios()[k & 7] / 10;
        total += bonus > cap ? cap : bonus;
        benchmark::DoNotOptimize(total.round(step, rounding_mode::half_up));
    }
    state.SetItemsProcessed(state.iterations());
}

// The indicator part of bench/bench-v1.tdkt for one unit (C1 and C2 over 10 indicators), with
// two-decimal inputs stored as the engine stores them (123.25 = 493/4): 10 quotients, 10-20
// comparisons with 1, products by 3 and 10, and two running sums whose denominators grow to
// the lcm of the ratios' (often past 40 bits). Reported per unit.
void bench_indicators(benchmark::State& state) {
    std::vector<number> targets;
    std::vector<number> actuals;
    std::uint64_t x = 88172645463325252ULL;  // xorshift: fixed data without <random> costs
    const auto next = [&x](std::uint64_t n) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return static_cast<std::int64_t>(x % n);
    };
    for (int i = 0; i < 1000; ++i) {
        const std::int64_t target = (50 + next(451)) * 100 + next(4) * 25;
        const std::int64_t actual = (target * (700 + next(601)) + 500) / 1000;
        targets.push_back(number::ratio(target, 100));
        actuals.push_back(number::ratio(i % 5 == 0 ? target : actual, 100));
    }
    const number step = lit("0.01");
    std::size_t u = 0;
    for (auto _ : state) {
        const std::size_t base = (u++ % 100) * 10;
        number c1;
        number c2;
        for (std::size_t k = base; k < base + 10; ++k) {
            const number ratio = actuals[k] / targets[k];
            c1 += 3 * std::min(ratio, number(1));
            if (actuals[k] > targets[k]) {
                c2 += std::min((ratio - 1) * 10, number(1));
            }
        }
        benchmark::DoNotOptimize(c1.round(step, rounding_mode::half_up) + std::min(c2, number(5)));
    }
    state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(add_integers);
BENCHMARK(add_scores);
BENCHMARK(add_score_weight);
BENCHMARK(sub_ratio_one);
BENCHMARK(mul_integers);
BENCHMARK(mul_ratio_weight);
BENCHMARK(div_score_by_weight);
BENCHMARK(div_actual_by_target);
BENCHMARK(compare_same_den);
BENCHMARK(compare_ratio_threshold);
BENCHMARK(compare_scores);
BENCHMARK(round_cent_half_up);
BENCHMARK(round_quarter_half_even);
BENCHMARK(floor_ratio);
BENCHMARK(parse_score);
BENCHMARK(to_string_two_places);
BENCHMARK(unit_scoring);
BENCHMARK(bench_indicators);

BENCHMARK_MAIN();
