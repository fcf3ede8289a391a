// `thidua diff` and `report --versus`: why an award changed when the unit's own rank and total
// did not move, or did not move it alone (docs/amendments.md, "What moved around a unit"): a
// slot freed by another unit, a slot passed down from the tier above, another unit now ranked
// behind it. The shipped case is a golden file (tests/golden/diff/slots-freed*).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "dsl/i18n.hpp"
#include "engine/diff.hpp"
#include "engine/html_report.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

// The line of `out` that holds `what`, without its indentation ("" when there is none).
std::string line_with(const std::string& out, const std::string& what) {
    const auto at = out.find(what);
    if (at == std::string::npos) {
        return "";
    }
    const auto from = out.rfind('\n', at) + 1;
    std::string line = out.substr(from, out.find('\n', at) - from);
    line.erase(0, line.find_first_not_of(' '));
    return line;
}

// Bằng khen for ranks 2..3 (two slots); one late report now costs 12 points, so B falls from rank
// 2 to rank 4 and D moves up from rank 4 into the candidate ranks: D's own total does not move.
const std::string regulation = R"(regulation "Khối thử" {
    scale 100
    input { done: integer  late: integer }
    section I "Công việc" max 100 {
        criterion I.1 "Hoàn thành" max 100 { points = if late > 3 then done - 12 else done }
    }
    ranking {
        by total desc
        ties shared
    }
    award merit "Bằng khen" {
        candidates rank 2..3
        require "Từ 75 điểm" total >= 75
        limit 2
    }
    award commendation "Giấy khen" {
        candidates all
        require "Từ 50 điểm" total >= 50
        limit 10
    }
}
)";

const std::string draft = R"(amends "old.tdkt"

regulation "Khối thử – dự thảo" {
    replace criterion I.1 "Hoàn thành" max 100 {
        points = if late > 0 then done - 12 else done
    }
}
)";

const std::string units = "unit,done,late\nA,95,0\nB,90,1\nC,85,0\nD,80,0\nE,70,0\n";

}  // namespace

TEST_CASE("diff: an award gained because another unit fell behind names that unit and its change",
          "[diff][award-context]") {
    temp_dir dir;
    dir.write("old.tdkt", regulation);
    dir.write("draft.tdkt", draft);
    dir.write("units.csv", units);
    const std::vector<std::string> args = {"diff", (dir.path / "old.tdkt").string(),
                                           (dir.path / "draft.tdkt").string(), "--data",
                                           (dir.path / "units.csv").string()};
    std::vector<std::string> en = {"--lang", "en"};
    en.insert(en.end(), args.begin(), args.end());
    const std::string out = run(en);
    INFO(out);
    // D: rank 4 → 3, total 80 both times: its Bằng khen is [1]'s doing (B's points), not "(rank
    // or total moved)", and the line under it says whom [1] moved.
    CHECK(line_with(out, "award: Giấy khen → Bằng khen")
          == "award: Giấy khen → Bằng khen   because [1]");
    CHECK(line_with(out, "B is now ranked behind it")
          == "B is now ranked behind it: rank 2 → 4, total 90.00 → 78.00   because [1]");
    CHECK(out.find("(rank or total moved)") == std::string::npos);
    // Its rank line: not "(totals moved)" but whose results moved it, and who.
    const auto d_at = out.find("  D:\n");
    REQUIRE(d_at != std::string::npos);
    const std::string d_part = out.substr(d_at);
    CHECK(line_with(d_part, "rank: 4 → 3") == "rank: 4 → 3   (other units' results moved)");
    CHECK(d_part.find("B is now ranked behind it: rank 2 → 4, total 90.00 → 78.00   because [1]")
          < d_part.find("award:"));
    // B's own total moved it; the units now ahead of it are named, with their rank move only.
    const std::string b_part = out.substr(out.find("  B:\n"));
    CHECK(line_with(b_part, "rank: 2 → 4") == "rank: 2 → 4   (its total moved)");
    CHECK(line_with(b_part, "C is now ranked ahead of it")
          == "C is now ranked ahead of it: rank 3 → 2");
    CHECK(line_with(b_part, "D is now ranked ahead of it")
          == "D is now ranked ahead of it: rank 4 → 3");
    CHECK(out.find("(totals moved)") == std::string::npos);

    // The same in Vietnamese, the total with a decimal comma.
    std::vector<std::string> vi = {"--lang", "vi"};
    vi.insert(vi.end(), args.begin(), args.end());
    const std::string vout = run(vi);
    INFO(vout);
    CHECK(line_with(vout, "B nay xếp sau")
          == "B nay xếp sau đơn vị này: hạng 2 → 4, tổng điểm 90,00 → 78,00   do [1]");
    CHECK(vout.find("(hạng hoặc tổng điểm thay đổi)") == std::string::npos);

    // JSON: the context with its kind, the other unit and the change ids; the award causes
    // include them.
    std::vector<std::string> json = en;
    json.push_back("--format");
    json.push_back("json");
    std::string text = run(json);
    REQUIRE(text.size() > std::string("exit: 0\n").size());
    text.erase(text.rfind("exit: "));
    const auto doc = nlohmann::json::parse(text);
    const auto& list = doc["datasets"][0]["units"];
    const auto d = std::find_if(list.begin(), list.end(),
                                [](const nlohmann::json& u) { return u["name"] == "D"; });
    REQUIRE(d != list.end());
    CHECK((*d)["award_causes"] == nlohmann::json::array({1}));
    REQUIRE((*d)["award_context"].size() == 1);
    const auto& note = (*d)["award_context"][0];
    CHECK(note["kind"] == "behind");
    CHECK(note["unit"] == "B");
    CHECK(note["causes"] == nlohmann::json::array({1}));
    CHECK(note["text"] == "B is now ranked behind it: rank 2 → 4, total 90.00 → 78.00");
    REQUIRE((*d)["rank_context"].size() == 1);
    CHECK((*d)["rank_context"][0]["kind"] == "behind");
    CHECK((*d)["rank_context"][0]["unit"] == "B");
    CHECK((*d)["rank_context"][0]["causes"] == nlohmann::json::array({1}));
}

TEST_CASE("diff: a rank moved by a unit no longer ranked names it and its status",
          "[diff][rank-context]") {
    // A knock-out now excludes A (ranked first): every other unit moves up one rank, and A's own
    // rank goes with its status.
    const std::string excluding = R"(amends "old.tdkt"

regulation "Khối thử – dự thảo" {
    add exclude "Nộp trễ" when late > 1
}
)";
    temp_dir dir;
    dir.write("old.tdkt", regulation);
    dir.write("draft.tdkt", excluding);
    dir.write("units.csv", "unit,done,late\nA,95,2\nB,90,0\nC,85,0\n");
    const std::string out =
        run({"--lang", "en", "diff", (dir.path / "old.tdkt").string(),
             (dir.path / "draft.tdkt").string(), "--data", (dir.path / "units.csv").string()});
    INFO(out);
    const std::string c_part = out.substr(out.find("  C:\n"));
    CHECK(line_with(c_part, "rank: 3 → 2") == "rank: 3 → 2   (other units' results moved)");
    CHECK(line_with(c_part, "A is no longer ranked")
          == "A is no longer ranked: ranked → excluded from the ranking   because [1]");
    const std::string a_part =
        out.substr(out.find("  A:\n"), out.find("  B:\n") - out.find("  A:\n"));
    CHECK(line_with(a_part, "rank: 1 → -") == "rank: 1 → -   because [1]");
    CHECK(a_part.find("no longer ranked") == std::string::npos);
    // The versus page says it under the rank line too.
    const auto page = dir.path / "versus.html";
    REQUIRE(run({"--lang", "en", "report", (dir.path / "draft.tdkt").string(), "--data",
                 (dir.path / "units.csv").string(), "--versus", (dir.path / "old.tdkt").string(),
                 "--output", page.string()})
            == "exit: 0\n");
    CHECK(
        read_file(page).find(
            "<div class=\"src context\">A is no longer ranked: ranked → excluded from the ranking")
        != std::string::npos);
}

TEST_CASE("report --versus: the page says what moved around a unit, as `thidua diff` says it",
          "[report][versus][award-context]") {
    const std::string base = "tests/data/diff-slots/regulation.tdkt";
    const std::string draft = "tests/golden/diff/slots-freed.tdkt";
    const std::string data = "tests/data/diff-slots/data";
    temp_dir dir;
    const auto page = dir.path / "versus.html";
    for (const char* lang : {"en", "vi"}) {
        INFO(lang);
        REQUIRE(run({"--lang", lang, "report", draft, "--data", data, "--versus", base, "--output",
                     page.string()})
                == "exit: 0\n");
        const std::string h = read_file(page);
        const std::string diff = run({"--lang", lang, "diff", base, draft, "--data", data});
        // E's Giấy khen: the slot D freed under the awards limit ([1]); C's Bằng khen: the slot
        // the flag passed down ([2]). Word for word the diff's lines, without the causes.
        for (const char* unit : {"Đơn vị D: ", "passed down from", "chuyển xuống từ"}) {
            const std::string line = line_with(diff, unit);
            if (line.empty()) {
                continue;
            }
            const std::string text = line.substr(0, line.rfind("   "));
            INFO(text);
            CHECK(h.find("<div class=\"src context\">" + thidua::html_escape(text) + " · ")
                  != std::string::npos);
        }
        // Statuses in words on the page and in the diff.
        CHECK(diff.find("ranked → ineligible   ") == std::string::npos);
        CHECK(diff.find("→ ineligible\n") == std::string::npos);
    }
}

TEST_CASE("diff: an award change with no rule change found says what did not move",
          "[diff][award-context]") {
    thidua::unit_difference u;
    u.old_side.present = u.new_side.present = true;
    u.old_side.total = thidua::number(90);
    u.new_side.total = thidua::number(90);
    u.award_changed = true;
    const thidua::scoped_language en(thidua::language::en);
    // Neither its rank nor its total moved: the slots or the other units did.
    CHECK(u.award_no_cause() == "(the slots or other units' results changed)");
    u.rank_changed = true;
    CHECK(u.award_no_cause() == "(rank or total moved)");
    u.rank_changed = false;
    u.new_side.total = thidua::number(91);
    CHECK(u.award_no_cause() == "(rank or total moved)");
    const thidua::scoped_language vi(thidua::language::vi);
    u.new_side.total = thidua::number(90);
    CHECK(u.award_no_cause() == "(số suất hoặc kết quả của đơn vị khác thay đổi)");
}
