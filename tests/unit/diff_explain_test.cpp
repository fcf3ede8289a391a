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

namespace {

// A bloc secretary's draft (trial 10): the award's threshold moved with its label reworded, a
// knock-out likewise, a new criterion that gives one unit 0, and a requirement rewritten with
// another comparison (`== 0` → `< 1`: another rule, so not paired).
const std::string relabel_old = R"(regulation "Old" {
    scale 10
    input { done: integer  violations: integer }
    section I "Work" max 10 {
        criterion I.1 "Done" max 10 { points = done }
    }
    ineligible "Vi phạm từ 3 lần" when violations >= 3
    ranking {
        by total desc
        ties unresolved
    }
    award flag "Cờ thi đua" {
        candidates rank 1..2
        require "Từ 5 điểm" total >= 5
        require "Không vi phạm" violations == 0
        limit 2
    }
}
)";

const std::string relabel_new = R"(regulation "New" {
    scale 10
    input { done: integer  models: integer  violations: integer }
    section I "Work" max 10 {
        criterion I.1 "Done" max 8 { points = done }
        criterion I.2 "Models" max 2 { points = models }
    }
    ineligible "Vi phạm từ 2 lần" when violations >= 2
    ranking {
        by total desc
        ties unresolved
    }
    award flag "Cờ thi đua" {
        candidates rank 1..2
        require "Từ 6 điểm" total >= 6
        require "Không vi phạm lần nào" violations < 1
        limit 2
    }
}
)";

}  // namespace

// No ';' or ',' in the name: CMake splits a test name at ';' and Catch's filter at ',', and
// ctest then runs no test at all and passes.
TEST_CASE(
    "diff: a threshold moved with its label is one change and a new rule giving 0 moves "
    "nothing (tiers by label)",
    "[diff]") {
    temp_dir dir;
    write(dir.path / "old.tdkt", relabel_old);
    write(dir.path / "new.tdkt", relabel_new);
    // A: I.1 10 → 8 (its new maximum), I.2 +2: the total stays. B: 5, I.2 gives 0: nothing of B's
    // points moves, but 5 no longer meets "Từ 6 điểm". C: 2 violations, now ineligible.
    write(dir.path / "units.csv", "unit,done,models,violations\nA,10,2,0\nB,5,0,0\nC,3,1,2\n");
    const std::vector<std::string> args = {"diff", (dir.path / "old.tdkt").string(),
                                           (dir.path / "new.tdkt").string(), "--data",
                                           (dir.path / "units.csv").string()};
    const std::string out = run(args);
    INFO(out);
    CHECK(out.find("exit: 0") != std::string::npos);
    // One change for the requirement, with both labels and both conditions.
    CHECK(out.find("[5] award \"Cờ thi đua\": requirement changed: \"Từ 5 điểm\" → \"Từ 6 "
                   "điểm\", `total >= 5` → `total >= 6`")
          != std::string::npos);
    CHECK(out.find("requirement removed: \"Từ 5 điểm\"") == std::string::npos);
    CHECK(out.find("requirement added: \"Từ 6 điểm\"") == std::string::npos);
    // B's lost award is attributed to it, and it is not reported as changing nothing.
    CHECK(out.find("award: Cờ thi đua → —   because [5]") != std::string::npos);
    CHECK(out.find("warning: [5]") == std::string::npos);
    // The knock-out likewise, and C's new status is attributed to it.
    CHECK(out.find("[4] ineligible \"Vi phạm từ 3 lần\": label \"Vi phạm từ 3 lần\" → \"Vi phạm "
                   "từ 2 lần\", condition `violations >= 3` → `violations >= 2`")
          != std::string::npos);
    CHECK(out.find("status: ranked → ineligible for awards   because [4]") != std::string::npos);
    // Another comparison (`== 0`, `< 1`) is another rule: removed and added, each changing nothing.
    CHECK(out.find("[6] award \"Cờ thi đua\": requirement removed: \"Không vi phạm\"")
          != std::string::npos);
    CHECK(out.find("warning: [6]") != std::string::npos);
    CHECK(out.find("warning: [7]") != std::string::npos);
    // B's only line is the new criterion's 0, without an arrow, and B is not counted.
    CHECK(out.find("new criterion I.2: 0.00   because [1] [3]") != std::string::npos);
    CHECK(out.find("— → 0.00") == std::string::npos);
    CHECK(out.find("new criterion I.2: — → 2.00") != std::string::npos);
    CHECK(out.find("2 of 3 units changed score (1 changed total), 0 changed rank, 1 changed award")
          != std::string::npos);
    // Tiers by label, never by id.
    CHECK(out.find("Cờ thi đua → —") != std::string::npos);
    CHECK(out.find("flag") == std::string::npos);

    // The JSON says the same.
    auto json = args;
    json.insert(json.end(), {"--format", "json"});
    const std::string j = run(json);
    INFO(j);
    CHECK(j.find("\"requirement\": \"Từ 5 điểm\",\n      \"new_label\": \"Từ 6 điểm\"")
          != std::string::npos);
    CHECK(j.find("\"score_changed\": 2,\n        \"total_changed\": 1") != std::string::npos);
    CHECK(j.find("\"name\": \"B\"") != std::string::npos);
    const auto b = j.find("\"name\": \"B\"");
    CHECK(j.find("\"score_changed\": false", b) < j.find("\"name\": \"C\""));
    CHECK(j.find("\"award_label\": \"Cờ thi đua\"") != std::string::npos);
    CHECK(j.find("\"no_effect\": [\n        6,\n        7\n      ]") != std::string::npos);

    // In Vietnamese.
    auto vi = args;
    vi.insert(vi.begin(), {"--lang", "vi"});
    const std::string v = run(vi);
    INFO(v);
    CHECK(v.find("sửa điều kiện: \"Từ 5 điểm\" → \"Từ 6 điểm\", `total >= 5` → `total >= 6`")
          != std::string::npos);
    CHECK(v.find("tiêu chí I.2 (mới): 0,00   do [1] [3]") != std::string::npos);
    CHECK(v.find("2 trên 3 đơn vị thay đổi điểm (1 thay đổi tổng điểm)") != std::string::npos);
    CHECK(v.find("khen thưởng: Cờ thi đua → —   do [5]") != std::string::npos);
}

TEST_CASE("report --versus: the same pairing, counts and labels as diff", "[diff][versus]") {
    temp_dir dir;
    write(dir.path / "old.tdkt", relabel_old);
    write(dir.path / "new.tdkt", relabel_new);
    write(dir.path / "units.csv", "unit,done,models,violations\nA,10,2,0\nB,5,0,0\nC,3,1,2\n");
    const auto page = dir.path / "versus.html";
    const std::string out = run({"report", (dir.path / "new.tdkt").string(), "--data",
                                 (dir.path / "units.csv").string(), "--versus",
                                 (dir.path / "old.tdkt").string(), "--output", page.string()});
    INFO(out);
    CHECK(out.find("exit: 0") != std::string::npos);
    const std::string h = thidua::testing::read_file(page);
    CHECK(h.find("<li>2 of 3 units change score, 0 change rank, 1 change award.</li>")
          != std::string::npos);
    CHECK(h.find("requirement changed: &quot;Từ 5 điểm&quot; → &quot;Từ 6 điểm&quot;")
          != std::string::npos);
    CHECK(h.find("requirement removed: &quot;Từ 5 điểm&quot;") == std::string::npos);
    CHECK(h.find("award &quot;Cờ thi đua&quot; <span class=\"src\">") != std::string::npos);
    CHECK(h.find("new criterion I.2 Models: 0.00") != std::string::npos);
    CHECK(h.find("— → 0.00") == std::string::npos);
    CHECK(h.find("award flag") == std::string::npos);
}

TEST_CASE("diff: a knock-out whose condition changed under the same label shows both conditions",
          "[diff]") {
    temp_dir dir;
    write(dir.path / "old.tdkt", relabel_old);
    std::string moved = relabel_old;
    moved.replace(moved.find("violations >= 3"), 15, "violations >= 2");
    write(dir.path / "new.tdkt", moved);
    write(dir.path / "units.csv", "unit,done,violations\nA,10,0\nB,5,0\nC,3,2\n");
    const std::string out =
        run({"diff", (dir.path / "old.tdkt").string(), (dir.path / "new.tdkt").string(), "--data",
             (dir.path / "units.csv").string()});
    INFO(out);
    CHECK(out.find("[1] ineligible \"Vi phạm từ 3 lần\": condition `violations >= 3` → "
                   "`violations >= 2`")
          != std::string::npos);
    CHECK(out.find("message error") == std::string::npos);
    CHECK(out.find("status: ranked → ineligible for awards   because [1]") != std::string::npos);
}
