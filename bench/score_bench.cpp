// Scoring throughput on the "bench regulation v1" workload (shared/bench/bench-regulation-v1.md).
//
// Generates 100,000 units in 10,000 blocs of 10 with a fixed seed (exact edge cases included on
// purpose), then measures on one thread:
//   - parse + check time of bench/bench-v1.tdkt;
//   - units scored per second (evaluate + rank + award per bloc), explanations off and on;
//   - the memory an explanation trace takes per unit;
// and verifies every unit against an independent exact implementation of the workload written
// directly with `number`, and counts how many units a double-based implementation gets wrong.
//
// Usage: thidua_score_bench [--units N] [--repeat R] [--only off|on] [REGULATION]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/evaluator.hpp"
#include "engine/ranking.hpp"

using namespace thidua;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// CPU time of this thread. On a shared virtual machine the wall clock also counts the time the
// host gave the core to someone else (steal); the thread's CPU time does not, so it is the
// steadier measure of "one core".
double thread_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct indicator {
    std::int64_t target_cents;
    std::int64_t actual_cents;
};

struct raw_unit {
    std::string name;
    std::int64_t unit_no;
    std::vector<indicator> ind;
    std::int64_t par_rank, late, missing, models, disciplined, innovations;
    std::uint32_t party, union_rating;  // 0 = xuat_sac ... 3 = khong_hoan_thanh
    bool national_award;
    number self_score;
};

// Deterministic across platforms: only the raw 64-bit output of mt19937_64 is used.
struct rng {
    std::mt19937_64 g{20261121};
    std::uint64_t below(std::uint64_t n) { return g() % n; }
};

std::vector<raw_unit> generate(std::size_t n) {
    rng r;
    std::vector<raw_unit> units(n);
    const std::uint32_t rating_weights[] = {40, 40, 15, 5};
    auto rating = [&]() {
        std::uint64_t x = r.below(100);
        for (std::uint32_t k = 0; k < 4; ++k) {
            if (x < rating_weights[k]) {
                return k;
            }
            x -= rating_weights[k];
        }
        return 3U;
    };
    for (std::size_t i = 0; i < n; ++i) {
        auto& u = units[i];
        u.name = fmt::format("U{:06}", i);
        u.unit_no = static_cast<std::int64_t>(i % 10);
        const std::uint64_t kind = r.below(1000);
        for (int k = 0; k < 10; ++k) {
            indicator ind{};
            ind.target_cents = static_cast<std::int64_t>(50 + r.below(451)) * 100
                               + static_cast<std::int64_t>(r.below(4)) * 25;
            const std::uint64_t shape = r.below(10);
            if (shape < 2) {
                ind.actual_cents = ind.target_cents;  // exactly 100%
            } else {
                // ratio 0.70 .. 1.30 in steps of 0.001, actual rounded to a cent
                const auto permille = static_cast<std::int64_t>(700 + r.below(601));
                ind.actual_cents = (ind.target_cents * permille + 500) / 1000;
            }
            u.ind.push_back(ind);
        }
        u.par_rank = static_cast<std::int64_t>(1 + r.below(60));
        u.party = rating();
        u.union_rating = rating();
        u.late = static_cast<std::int64_t>(r.below(5));
        u.missing = static_cast<std::int64_t>(r.below(10) == 0 ? 1 : 0);
        u.models = static_cast<std::int64_t>(r.below(5));
        u.disciplined = static_cast<std::int64_t>(r.below(20) == 0 ? 1 : 0);
        u.innovations = static_cast<std::int64_t>(r.below(7));
        u.national_award = r.below(10) == 0;
        u.self_score = number(static_cast<std::int64_t>(60 + r.below(45)));
        // Exact edge cases on purpose (about 3% of units).
        if (kind < 10) {  // total exactly 95
            for (auto& ind : u.ind) {
                ind.actual_cents = ind.target_cents;
            }
            u.par_rank = 2;
            u.innovations = 5;
            u.party = u.union_rating = 0;
            u.late = u.missing = 0;
            u.models = 3;
            u.national_award = false;
            u.disciplined = 0;
        } else if (kind < 20) {  // total exactly 90
            for (auto& ind : u.ind) {
                ind.actual_cents = ind.target_cents;
            }
            u.par_rank = 2;
            u.innovations = 5;
            u.party = 0;
            u.union_rating = 1;
            u.late = u.missing = 0;
            u.models = 2;
            u.national_award = false;
            u.disciplined = 0;
        } else if (kind < 30) {  // C1 on a half cent: 3 * 599 / 600 = 2.995
            for (auto& ind : u.ind) {
                ind.actual_cents = ind.target_cents;
            }
            u.ind[0] = {60000, 59900};
        }
    }
    return units;
}

// The workload computed directly with exact numbers: the reference every unit must match.
struct reference {
    number total;
    number section1;
    bool flag_eligible;
    bool discrepancy;
};

reference exact_reference(const raw_unit& u) {
    number c1;
    number c2;
    int met = 0;
    for (const auto& ind : u.ind) {
        const number ratio = number(ind.actual_cents) / number(ind.target_cents);
        c1 += number(3) * std::min(ratio, number(1));
        if (number(1) < ratio) {
            c2 += std::min((ratio - number(1)) * number(10), number(1));
        }
        if (!(ratio < number(1))) {
            ++met;
        }
    }
    c1 = c1.round(*number::parse("0.01"), rounding_mode::half_up);
    c2 = std::min(c2, number(5));
    const number c3 = u.par_rank <= 3    ? 10
                      : u.par_rank <= 10 ? 8
                      : u.par_rank <= 20 ? 6
                      : u.par_rank <= 40 ? 4
                                         : 2;
    const number c4 = std::min<std::int64_t>(u.innovations * 3, 15);
    const std::int64_t table[] = {10, 8, 5, 0};
    const number s1 = std::min(c1 + c2 + c3 + c4, number(60));
    const number s2 = number(table[u.party]) + number(table[u.union_rating]);
    const number c7 = std::max(
        number(0), number(10) - *number::parse("0.5") * number(u.late) - number(u.missing));
    const number c8 = u.models >= 3 ? 10 : u.models == 2 ? 7 : u.models == 1 ? 4 : 0;
    const number bonus = u.national_award ? 2 : 0;
    number total = s1 + s2 + c7 + c8 + bonus - number(2 * u.disciplined);
    total = std::max(total, number(0));
    return {total, s1, !(total < number(95)) && u.disciplined == 0 && met >= 8,
            number(5) < (u.self_score - total).abs()};
}

// The same with doubles, as a hand-written engine would do it.
std::pair<bool, bool> double_reference(const raw_unit& u) {
    double c1 = 0;
    double c2 = 0;
    int met = 0;
    for (const auto& ind : u.ind) {
        const double ratio = (static_cast<double>(ind.actual_cents) / 100.0)
                             / (static_cast<double>(ind.target_cents) / 100.0);
        c1 += 3 * std::min(ratio, 1.0);
        if (ratio > 1) {
            c2 += std::min((ratio - 1) * 10, 1.0);
        }
        if (ratio >= 1) {
            ++met;
        }
    }
    c1 = std::floor(c1 * 100 + 0.5) / 100;
    c2 = std::min(c2, 5.0);
    const double c3 = u.par_rank <= 3    ? 10
                      : u.par_rank <= 10 ? 8
                      : u.par_rank <= 20 ? 6
                      : u.par_rank <= 40 ? 4
                                         : 2;
    const double c4 = std::min<double>(static_cast<double>(u.innovations) * 3, 15);
    const double table[] = {10, 8, 5, 0};
    const double s1 = std::min(c1 + c2 + c3 + c4, 60.0);
    const double total = std::max(
        0.0,
        s1 + table[u.party] + table[u.union_rating]
            + std::max(0.0, 10 - 0.5 * static_cast<double>(u.late) - static_cast<double>(u.missing))
            + (u.models >= 3   ? 10
               : u.models == 2 ? 7
               : u.models == 1 ? 4
                               : 0)
            + (u.national_award ? 2 : 0) - 2 * static_cast<double>(u.disciplined));
    const double self = u.self_score.to_double();
    return {total >= 95 && u.disciplined == 0 && met >= 8, std::fabs(self - total) > 5};
}

std::vector<value> to_fields(const ast::regulation& reg, const raw_unit& u) {
    std::vector<value> f(reg.inputs.size());
    for (std::size_t i = 0; i < reg.inputs.size(); ++i) {
        const std::string& n = reg.inputs[i].name;
        value& v = f[i];
        if (n == "unit_no") {
            v.v = number(u.unit_no);
        } else if (n == "ind") {
            auto rows = std::make_shared<std::vector<record>>();
            for (const auto& ind : u.ind) {
                rows->push_back({value{number::ratio(ind.target_cents, 100)},
                                 value{number::ratio(ind.actual_cents, 100)}});
            }
            v.v = list_value(rows);
        } else if (n == "par_rank") {
            v.v = number(u.par_rank);
        } else if (n == "party_rating") {
            v.v = enum_value{u.party};
        } else if (n == "union_rating") {
            v.v = enum_value{u.union_rating};
        } else if (n == "late_reports") {
            v.v = number(u.late);
        } else if (n == "missing_reports") {
            v.v = number(u.missing);
        } else if (n == "models") {
            v.v = number(u.models);
        } else if (n == "disciplined") {
            v.v = number(u.disciplined);
        } else if (n == "innovations") {
            v.v = number(u.innovations);
        } else if (n == "national_award") {
            v.v = u.national_award;
        } else if (n == "self_score") {
            v.v = u.self_score;
        }
    }
    return f;
}

// The bytes a unit's trace occupies: the entries it holds (buffers kept for reuse by the next
// unit are not counted; they belong to the scorer, not to this unit's explanation).
std::size_t frame_bytes(const trace_frame& f) {
    std::size_t b = f.values.size() * sizeof(f.values[0]) + f.big_numbers.size() * sizeof(number)
                    + f.choices.size() * sizeof(f.choices[0])
                    + f.loops.size() * sizeof(trace_frame::loop);
    for (const auto& l : f.loops) {
        b += l.elements.size() * sizeof(std::uint32_t) + l.frames.size() * sizeof(trace_frame);
        for (const auto& sub : l.frames) {
            b += frame_bytes(sub);
        }
    }
    return b;
}

std::size_t trace_bytes(const scored_unit& s) {
    std::size_t b = 0;
    for (const auto& c : s.criterion_traces) {
        b += frame_bytes(c);
    }
    for (const auto& i : s.item_traces) {
        b += frame_bytes(i);
    }
    for (const auto& k : s.knockout_traces) {
        b += frame_bytes(k);
    }
    for (const auto& a : s.requirement_traces) {
        for (const auto& q : a) {
            b += frame_bytes(q);
        }
    }
    return b;
}

struct run_result {
    double seconds = 0;
    double cpu_seconds = 0;
    std::size_t mismatches = 0;
    std::size_t trace_bytes = 0;
    std::size_t flags = 0;
};

run_result score_all(const checked_regulation& checked,
                     const std::vector<std::vector<value>>& fields,
                     const std::vector<raw_unit>& raw, const std::vector<reference>& refs,
                     bool trace, bool count_bytes) {
    const auto& ast = *checked.ast;
    const evaluator ev(checked);
    run_result rr;
    std::vector<scored_unit> scores(10);
    std::vector<unit_standing> standings(10);
    const auto t0 = clock_type::now();
    const double c0 = thread_seconds();
    for (std::size_t b = 0; b + 10 <= raw.size(); b += 10) {
        for (std::size_t k = 0; k < 10; ++k) {
            ev.score_into(unit_input{&raw[b + k].name, &fields[b + k]}, trace, scores[k]);
            auto& s = standings[k];
            s.name = raw[b + k].name;
            s.excluded = scores[k].excluded;
            s.ineligible = scores[k].ineligible;
            s.keys = scores[k].keys;
            s.first_place_keys = scores[k].first_place_keys;
            s.requirements = scores[k].requirements;
        }
        const auto outcome =
            rank_and_award(&*ast.ranking, ast.awards, ast.awards_limit, 10, standings);
        for (std::size_t k = 0; k < 10; ++k) {
            const auto& ref = refs[b + k];
            const auto& s = scores[k];
            const bool eligible =
                s.requirements[0][0] && s.requirements[0][1] && s.requirements[0][2];
            if (!(s.total == ref.total) || eligible != ref.flag_eligible
                || s.self_flagged != ref.discrepancy) {
                ++rr.mismatches;
            }
            if (outcome.units[k].award == std::optional<std::size_t>(0)) {
                ++rr.flags;
            }
            if (count_bytes) {
                rr.trace_bytes += trace_bytes(s);
            }
        }
    }
    rr.seconds = seconds_since(t0);
    rr.cpu_seconds = thread_seconds() - c0;
    return rr;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 100000;
    int repeat = 3;
    std::string only;
    std::string path = THIDUA_BENCH_REGULATION;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--units" && i + 1 < argc) {
            n = std::stoul(argv[++i]);
        } else if (a == "--repeat" && i + 1 < argc) {
            repeat = std::stoi(argv[++i]);
        } else if (a == "--only" && i + 1 < argc) {
            only = argv[++i];  // "off" or "on": one mode (for profiles)
        } else {
            path = a;
        }
    }
    n -= n % 10;
    std::string error;
    auto src = source_file::load(path, error);
    if (!src) {
        fmt::print(stderr, "{}: {}\n", path, error);
        return 2;
    }
    // Parse + check, repeated for a stable median.
    std::vector<double> pc;
    std::unique_ptr<checked_regulation> checked;
    parse_result parsed;
    for (int i = 0; i < 50; ++i) {
        const auto t0 = clock_type::now();
        parsed = parse(src);
        diagnostics diags;
        if (!parsed.regulation) {
            fmt::print(stderr, "{}", render_text(parsed.diags));
            return 1;
        }
        checked = check(*parsed.regulation, diags);
        pc.push_back(seconds_since(t0));
        if (!checked) {
            fmt::print(stderr, "{}", render_text(diags));
            return 1;
        }
    }
    std::sort(pc.begin(), pc.end());
    const auto& ast = *parsed.regulation;

    const auto raw = generate(n);
    std::vector<std::vector<value>> fields;
    std::vector<reference> refs;
    std::size_t double_wrong = 0;
    for (auto& u : raw) {
        fields.push_back(to_fields(ast, u));
        refs.push_back(exact_reference(u));
    }
    // Exact edge case on purpose: every 100th unit's self-score is exactly 5 from its total.
    auto raw_mut = raw;
    for (std::size_t i = 0; i < raw_mut.size(); i += 100) {
        raw_mut[i].self_score = refs[i].total + number(5);
        fields[i] = to_fields(ast, raw_mut[i]);
        refs[i] = exact_reference(raw_mut[i]);
    }
    for (std::size_t i = 0; i < raw_mut.size(); ++i) {
        const auto [flag, disc] = double_reference(raw_mut[i]);
        if (flag != refs[i].flag_eligible || disc != refs[i].discrepancy) {
            ++double_wrong;
        }
    }

    fmt::print("workload: {} units in {} blocs of 10, regulation {}\n", n, n / 10, path);
    fmt::print("parse + check: median {:.1f} us over 50 runs\n", pc[pc.size() / 2] * 1e6);
    for (const bool trace : {false, true}) {
        if ((trace && only == "off") || (!trace && only == "on")) {
            continue;
        }
        std::vector<double> rates;
        std::vector<double> cpu_rates;
        run_result last;
        for (int k = 0; k < repeat; ++k) {
            last = score_all(*checked, fields, raw_mut, refs, trace, false);
            rates.push_back(static_cast<double>(n) / last.seconds);
            cpu_rates.push_back(static_cast<double>(n) / last.cpu_seconds);
        }
        std::sort(rates.begin(), rates.end());
        std::sort(cpu_rates.begin(), cpu_rates.end());
        fmt::print(
            "explanations {}: median {:.0f} units/s over {} runs ({:.0f} per second of thread CPU "
            "time); {} units differ from the exact reference; {} flags\n",
            trace ? "on " : "off", rates[rates.size() / 2], repeat, cpu_rates[cpu_rates.size() / 2],
            last.mismatches, last.flags);
        if (trace) {
            // Counting the bytes walks every trace: a separate, untimed run.
            const auto counted = score_all(*checked, fields, raw_mut, refs, trace, true);
            fmt::print("explanation trace: {:.0f} bytes per unit\n",
                       static_cast<double>(counted.trace_bytes) / static_cast<double>(n));
        }
    }
    {
        // The floor set by exact arithmetic: the workload hand-written with `number` (no engine,
        // no ranking), for context in docs/performance.md.
        std::vector<double> rates;
        std::vector<double> cpu_rates;
        for (int k = 0; k < repeat; ++k) {
            std::size_t sink = 0;
            const auto t0 = clock_type::now();
            const double c0 = thread_seconds();
            for (const auto& u : raw_mut) {
                sink += exact_reference(u).flag_eligible ? 1U : 0U;
            }
            rates.push_back(static_cast<double>(n) / seconds_since(t0));
            cpu_rates.push_back(static_cast<double>(n) / (thread_seconds() - c0));
            if (sink == n + 1) {
                fmt::print("impossible\n");
            }
        }
        std::sort(rates.begin(), rates.end());
        std::sort(cpu_rates.begin(), cpu_rates.end());
        fmt::print(
            "hand-written exact reference (number, no engine): median {:.0f} units/s ({:.0f} per "
            "second of thread CPU time)\n",
            rates[rates.size() / 2], cpu_rates[cpu_rates.size() / 2]);
    }
    fmt::print("double-based implementation: {} of {} units wrong (flag or discrepancy)\n",
               double_wrong, n);
    return 0;
}
