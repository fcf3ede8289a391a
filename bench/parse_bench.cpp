// Parse + check time as the regulation grows: shows that both are linear in the input size.
//
// Generates regulations of 1, 2, 4 and 8 MB (sections of criteria with bands, matches and
// aggregates, all valid) and reports the median time of parse and of check per size, and the
// throughput in MB/s. Usage: thidua_parse_bench [--max-mb N]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "dsl/parser.hpp"
#include "engine/checker.hpp"

using namespace thidua;

namespace {

std::string make_regulation(std::size_t target_bytes) {
    std::string body;
    std::size_t sections = 0;
    std::string sections_text;
    while (body.size() < target_bytes) {
        ++sections;
        std::string s =
            fmt::format("  section S{} \"Nội dung số {}\" max 40 {{\n", sections, sections);
        for (int c = 1; c <= 4; ++c) {
            s += fmt::format(
                "    criterion S{}.{} \"Tiêu chí {} của nội dung {}\" max 10 cite \"Mục {}.{}\" "
                "{{\n"
                "      let p = if planned == 0 then 100% else done / planned\n"
                "      let bonus_part = sum(i in indicators where i.evidence: min(i.actual / "
                "i.target, 1))\n"
                "      points = when p {{ >= 100%: 10  >= 95%: 8  >= 90%: 6  else: 0 }} + match "
                "party {{ xs: 0  tot: 0  ht: 0  kht: 0 }} + 0 * bonus_part\n"
                "    }}\n",
                sections, c, c, sections, sections, c);
        }
        s += "  }\n";
        body += s;
    }
    return fmt::format(
        "regulation \"Bench parse\" {{\n  scale {}\n"
        "  enum rating ordered {{ xs \"Xuất sắc\", tot \"Tốt\", ht \"Hoàn thành\", kht \"Không\" "
        "}}\n"
        "  input {{\n    planned: integer\n    done: integer\n    party: rating\n"
        "    indicators: list {{ target: number  actual: number  evidence: bool }}\n  }}\n"
        "{}  ranking {{ by total desc ties shared }}\n}}\n",
        sections * 40, body);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t max_mb = 8;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--max-mb") {
            max_mb = std::stoul(argv[i + 1]);
        }
    }
    fmt::print("{:>8} {:>12} {:>12} {:>10} {:>10}\n", "MB", "parse (ms)", "check (ms)",
               "parse MB/s", "check MB/s");
    for (std::size_t mb = 1; mb <= max_mb; mb *= 2) {
        const auto text = make_regulation(mb << 20U);
        auto src = std::make_shared<source_file>("bench.tdkt", text);
        std::vector<double> tp;
        std::vector<double> tc;
        for (int r = 0; r < 3; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            auto parsed = parse(src);
            const auto t1 = std::chrono::steady_clock::now();
            diagnostics diags;
            auto checked = parsed.regulation ? check(*parsed.regulation, diags) : nullptr;
            const auto t2 = std::chrono::steady_clock::now();
            if (!checked) {
                fmt::print(stderr, "generated regulation failed:\n{}{}", render_text(parsed.diags),
                           render_text(diags));
                return 1;
            }
            tp.push_back(std::chrono::duration<double>(t1 - t0).count());
            tc.push_back(std::chrono::duration<double>(t2 - t1).count());
        }
        const double size = static_cast<double>(text.size()) / (1 << 20);
        fmt::print("{:>8.2f} {:>12.1f} {:>12.1f} {:>10.1f} {:>10.1f}\n", size, median(tp) * 1e3,
                   median(tc) * 1e3, size / median(tp), size / median(tc));
    }
    return 0;
}
