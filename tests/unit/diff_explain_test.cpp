// `thidua diff`: the lines that say why a number moved the way it did (docs/amendments.md):
// a limit that absorbed a change (here: the floor at 0, and a bonus cap), a threshold written
// with the value on the right (`80% <= p`), and a comparison inside a list aggregate, whose
// values are not named. The shipped cases are golden files (tests/golden/diff).
#include <filesystem>
#include <fstream>

#include "cli_runner.hpp"

using thidua::testing::run;
using thidua::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

const std::string regulation = R"(regulation "Old" {
    scale 20
    input {
        done: integer
        due: integer
        late: integer
        ideas: integer
        rows: list { target: number  actual: number }
    }
    section I "Work" max 20 {
        criterion I.1 "On time" max 10 {
            let p = if due == 0 then 100% else done / due
            points = if 80% <= p then 10 else 5 - late
        }
        criterion I.2 "Targets" max 10 {
            points = 2 * count(r in rows where r.actual >= r.target)
        }
    }
    bonus "Bonus" max 2 {
        item "Ideas" { points = ideas }
    }
}
)";

const std::string draft = R"(amends "old.tdkt"

regulation "Draft" {
    replace criterion I.1 "On time" max 10 {
        let p = if due == 0 then 100% else done / due
        points = if 85% <= p then 10 else 4 - 2 * late
    }
    replace criterion I.2 "Targets" max 10 {
        points = 2 * count(r in rows where r.actual >= 0.9 * r.target)
    }
    replace item "Ideas" { points = 2 * ideas }
}
)";

}  // namespace

TEST_CASE("diff: a value on the right of a moved threshold, the floor at 0, a bonus cap",
          "[diff]") {
    temp_dir dir;
    write(dir.path / "old.tdkt", regulation);
    write(dir.path / "draft.tdkt", draft);
    fs::create_directories(dir.path / "data");
    // A: 82% on time, crosses 85%. B: 50% on time and 4 late: 5 - 4 = 1 → 4 - 8 < 0, held at 0
    // on the new side only. C: 40%, 6 late: below 0 both times. Ideas: A 3 (capped at 2 both
    // times), B 1 (1 → 2, no cap).
    write(dir.path / "data" / "units.csv",
          "unit,done,due,late,ideas\nA,41,50,0,3\nB,5,10,4,1\nC,4,10,6,0\n");
    write(dir.path / "data" / "rows.csv", "unit,target,actual\nA,10,9.5\nB,10,10\n");
    const std::string out =
        run({"diff", (dir.path / "old.tdkt").string(), (dir.path / "draft.tdkt").string(), "--data",
             (dir.path / "data").string()});
    INFO(out);
    CHECK(out.find("exit: 0") != std::string::npos);
    // The threshold in its comparison, the value read on its right-hand side.
    CHECK(out.find("threshold `80% <= p` → `85% <= p`") != std::string::npos);
    CHECK(out.find("[1] p = 82%: met the old threshold, not the new one") != std::string::npos);
    // B: computed 1 → -4, held at 0 under the new regulation only (no line: it is the language's
    // rule, not the regulation's).
    CHECK(out.find("computed 1.00 → -4.00, held at 0 under the new regulation only\n")
          != std::string::npos);
    // C: -1 → -8 and 0 both times: listed, absorbed.
    CHECK(out.find("computed -1.00 → -8.00, held at 0 both times: the limit absorbed the change")
          != std::string::npos);
    // A's ideas: 3 → 6, the bonus cap of 2 both times.
    CHECK(out.find("items 3.00 → 6.00, capped at 2 both times (the group's cap, ")
          != std::string::npos);
    // A comparison inside `count(... where ...)`: a threshold, but no value named for it.
    CHECK(out.find("threshold `r.actual >= r.target` → `r.actual >= 0.9 * r.target`")
          != std::string::npos);
    CHECK(out.find("[2] r.actual") == std::string::npos);

    // The JSON says the same; the same inputs give byte-identical output.
    const std::vector<std::string> json = {
        "diff",   (dir.path / "old.tdkt").string(), (dir.path / "draft.tdkt").string(),
        "--data", (dir.path / "data").string(),     "--format",
        "json"};
    const std::string j = run(json);
    CHECK(j == run(json));
    CHECK(j.find("\"old_holds\": true") != std::string::npos);
    CHECK(j.find("\"kind\": \"cap\"") != std::string::npos);
    CHECK(j.find("\"new_limit\": \"0\"") != std::string::npos);
}

TEST_CASE("diff: a compared value that moved is shown with one number of decimals on both sides",
          "[diff]") {
    temp_dir dir;
    // The threshold moves from 80% to 85% and the value compared moves too (its `let` counts a
    // quarter of a late file): 82% → 82.5% crosses it. Both sides of the arrow get one decimal.
    write(dir.path / "old.tdkt", R"(regulation "Old" {
    scale 10
    input { done: integer  due: integer }
    section I "Work" max 10 {
        criterion I.1 "On time" max 10 {
            let p = done / due
            points = if p >= 80% then 10 else 5
        }
    }
}
)");
    write(dir.path / "new.tdkt", R"(regulation "New" {
    scale 10
    input { done: integer  due: integer }
    section I "Work" max 10 {
        criterion I.1 "On time" max 10 {
            let p = (done + 0.25) / due
            points = if p >= 85% then 10 else 5
        }
    }
}
)");
    write(dir.path / "units.csv", "unit,done,due\nA,41,50\nB,49,50\n");
    const std::vector<std::string> args = {"diff", (dir.path / "old.tdkt").string(),
                                           (dir.path / "new.tdkt").string(), "--data",
                                           (dir.path / "units.csv").string()};
    const std::string out = run(args);
    INFO(out);
    CHECK(out.find("exit: 0") != std::string::npos);
    CHECK(out.find("threshold `p >= 80%` → `p >= 85%`") != std::string::npos);
    CHECK(out.find("p = 82.0% → 82.5%: met the old threshold, not the new one")
          != std::string::npos);
    // B stays above both thresholds: no crossing named.
    CHECK(out.find("p = 98") == std::string::npos);
    // The JSON has the same values.
    auto json = args;
    json.insert(json.end(), {"--format", "json"});
    const std::string j = run(json);
    CHECK(j.find("\"82.0%\"") != std::string::npos);
    CHECK(j.find("\"82.5%\"") != std::string::npos);
}
