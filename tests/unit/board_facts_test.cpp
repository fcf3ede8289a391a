// The facts a board reads under the ranking, stated the same way in every output: a tier's award
// line gives the slots it really had (the unused slots passed down to it, what the overall awards
// limit left) and, when nobody received it, why; a flagged self-score has one note; a total that
// the regulation's rounding made equal is shown before rounding, with the rule; an aggregate over
// an empty list says the list is empty instead of ending on "element by element:".
#include "cli_runner.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

// Six units. A (95.4) and B (95.2) both have 95 after `rounding total 1 down`; `section I`
// ranks A first. A misses the flag's 99 points, so the flag's slot passes down to the Bằng khen
// (B, C, D: 2 + 1 slots); the awards limit (50% of 6 = 3) then leaves the Giấy khen nothing;
// nobody is ranked 9 or 10; rank 2 (B) already has the Bằng khen. B's self-score is 15 away.
const char* const regulation = R"(regulation "Khối kiểm tra" {
    scale 100
    rounding total 1 down
    input {
        diem: number "Điểm"
        tu_cham: number "Tự chấm"
        ky_luat: list { muc: number } "Kỷ luật"
    }
    section I "Nhiệm vụ" max 100 {
        criterion I.1 "Điểm" max 100 { points = diem }
    }
    ineligible "Kỷ luật nặng" when any(k in ky_luat: k.muc >= 2)
    ranking {
        by total desc, section I desc
        ties shared
    }
    award flag "Cờ thi đua" {
        candidates rank 1
        require "Từ 99 điểm" total >= 99
        require "Không bị kỷ luật" count(k in ky_luat where k.muc >= 1) == 0
        limit 1
        unused slots pass down
    }
    award merit "Bằng khen" { candidates rank 2..4  limit 2 }
    award paper "Giấy khen" { candidates all  limit 50% of members rounded down }
    award star "Danh hiệu" { candidates rank 9..10  limit 1 }
    award second "Khen hạng nhì" { candidates rank 2  limit 1 }
    awards limit 50% of members rounded down
    self_score from tu_cham tolerance 5
}
)";

const char* const results = R"([
  {"unit": "A", "diem": 95.4, "tu_cham": 95, "ky_luat": []},
  {"unit": "B", "diem": 95.2, "tu_cham": 80, "ky_luat": [{"muc": 0}]},
  {"unit": "C", "diem": 90, "tu_cham": 90, "ky_luat": []},
  {"unit": "D", "diem": 85, "tu_cham": 85, "ky_luat": []},
  {"unit": "E", "diem": 80, "tu_cham": 80, "ky_luat": []},
  {"unit": "F", "diem": 70, "tu_cham": 70, "ky_luat": []}
]
)";

struct bloc_files {
    temp_dir dir;
    std::string reg;
    std::string data;
    bloc_files() {
        dir.write("quy-che.tdkt", regulation);
        dir.write("ket-qua.json", results);
        reg = (dir.path / "quy-che.tdkt").string();
        data = (dir.path / "ket-qua.json").string();
    }
};

std::string ok(std::vector<std::string> args) {
    const std::string out = run(args);
    INFO(out);
    CHECK(out.find("exit: 0") != std::string::npos);
    return out;
}

void has(const std::string& out, const std::string& text) {
    INFO("should say: " << text << "\n---\n" << out);
    CHECK(out.find(text) != std::string::npos);
}

void lacks(const std::string& out, const std::string& text) {
    INFO("should not say: " << text << "\n---\n" << out);
    CHECK(out.find(text) == std::string::npos);
}

}  // namespace

TEST_CASE("award lines state the slots really available and why nobody received a tier",
          "[board_facts]") {
    const bloc_files f;
    const std::string merit = "limit 2, plus 1 passed down; slots available: 3";
    const std::string paper =
        "50% of 6 members = 3; the awards limit (50% of 6 members = 3) leaves 0; slots available: "
        "0";
    const std::string flag_none =
        "none (A, the best-placed candidate: not given: requirement 1 \"Từ 99 điểm\" does not "
        "hold";
    const std::string paper_none =
        "none (A, the best-placed candidate: not given: rank 1 "
        "qualifies, but no slot is left";
    const std::string star_none = "none (no unit is ranked within the candidate ranks 9–10)";
    const std::string second_none =
        "none (every unit within the candidate ranks already receives an earlier award)";

    const std::string text = ok({"score", f.reg, "--data", f.data});
    has(text, "Bằng khen (merit): B, C, D; quota " + merit + "\n");
    has(text, "Giấy khen (paper): " + paper_none);
    has(text, "; quota " + paper + "\n");
    has(text, "Cờ thi đua (flag): " + flag_none + "); quota limit 1\n");
    has(text, "Danh hiệu (star): " + star_none);
    has(text, "Khen hạng nhì (second): " + second_none);
    lacks(text, ": none;");

    std::string json = ok({"score", f.reg, "--data", f.data, "--format", "json"});
    for (std::size_t at = 0; (at = json.find("\\\"", at)) != std::string::npos;) {
        json.replace(at, 2, "\"");
    }
    has(json, "\"quota\": \"" + merit + "\"");
    has(json, "\"quota\": \"" + paper + "\"");
    has(json, "\"slots_available\": \"3\"");
    has(json, "\"recipients_text\": \"" + flag_none + ")\"");
    has(json, "\"recipients_text\": \"B, C, D\"");

    const auto xlsx = f.dir.path / "bang.xlsx";
    ok({"score", f.reg, "--data", f.data, "--format", "xlsx", "--output", xlsx.string()});
    const std::string book =
        thidua::testing::unescape(thidua::testing::unzip(xlsx, "xl/sharedStrings.xml"));
    has(book, "Bằng khen: B, C, D; quota " + merit + "<");
    has(book, "Cờ thi đua: " + flag_none + "); quota limit 1<");  // the same line
    has(book, paper + "<");
    has(book, "Danh hiệu: " + star_none);

    const auto html = f.dir.path / "bao-cao.html";
    ok({"report", f.reg, "--data", f.data, "--output", html.string()});
    const std::string page = thidua::testing::unescape(read_file(html));
    has(page, merit);
    has(page, paper);
    has(page, flag_none);
    has(page, star_none);
    has(page, second_none);
}

TEST_CASE("award lines in Vietnamese, with the decimal comma", "[board_facts]") {
    const bloc_files f;
    const std::string text = ok({"--lang", "vi", "score", f.reg, "--data", f.data});
    has(text,
        "Bằng khen (merit): B, C, D; tối đa 2 suất, cộng 1 suất chuyển xuống từ mức khen "
        "thưởng trên; số suất được xét: 3\n");
    has(text,
        "50% của 6 thành viên = 3 suất; giới hạn tổng số khen thưởng (50% của 6 thành viên = 3 "
        "suất) chỉ còn 0; số suất được xét: 0\n");
    has(text,
        "Cờ thi đua (flag): không có (A, đơn vị xếp hạng cao nhất trong phạm vi xét chọn: "
        "không được tặng: không đạt điều kiện 1 \"Từ 99 điểm\")");
    has(text,
        "Danh hiệu (star): không có (không có đơn vị nào xếp hạng trong phạm vi xét chọn "
        "hạng 9–10)");
    lacks(text, ": không có;");
}

TEST_CASE("a flagged self-score has one note in every table", "[board_facts]") {
    const bloc_files f;
    const std::string note =
        "self-score 80.00 differs by -15.00 from the assessed score (over the tolerance 5)";
    has(ok({"score", f.reg, "--data", f.data}), note);
    has(ok({"score", f.reg, "--data", f.data, "--format", "csv"}), note);
    const auto html = f.dir.path / "bao-cao.html";
    ok({"report", f.reg, "--data", f.data, "--output", html.string()});
    const std::string page = thidua::testing::unescape(read_file(html));
    has(page, note);
    lacks(page, "Self-score 80.00 differs by");
    const auto xlsx = f.dir.path / "bang.xlsx";
    ok({"score", f.reg, "--data", f.data, "--format", "xlsx", "--output", xlsx.string()});
    has(thidua::testing::unescape(thidua::testing::unzip(xlsx, "xl/sharedStrings.xml")), note);

    const std::string vi =
        "điểm tự chấm 80,00 chênh lệch -15,00 so với điểm thẩm định (vượt mức "
        "cho phép 5)";
    has(ok({"--lang", "vi", "score", f.reg, "--data", f.data}), vi);
    const auto vi_html = f.dir.path / "vi.html";
    ok({"--lang", "vi", "report", f.reg, "--data", f.data, "--output", vi_html.string()});
    has(thidua::testing::unescape(read_file(vi_html)), vi);
    const auto vi_xlsx = f.dir.path / "vi.xlsx";
    ok({"--lang", "vi", "score", f.reg, "--data", f.data, "--format", "xlsx", "--output",
        vi_xlsx.string()});
    has(thidua::testing::unescape(thidua::testing::unzip(vi_xlsx, "xl/sharedStrings.xml")), vi);
}

TEST_CASE("explain --versus shows totals that only the rounding made equal", "[board_facts]") {
    const bloc_files f;
    const std::string rule = f.reg + ":3";
    const std::string en = ok({"explain", f.reg, "--data", f.data, "--unit", "B", "--versus", "A"});
    has(en,
        "key 1 `total`: equal (95.00) only after the total is rounded down to whole points by "
        "the regulation ("
            + rule + "); before rounding, B 95.20 vs A 95.40\n");
    has(en, "key 2 `section I` (higher first): B 95.20 vs A 95.40: A ranks ahead");

    const std::string vi =
        ok({"--lang", "vi", "explain", f.reg, "--data", f.data, "--unit", "B", "--versus", "A"});
    has(vi,
        "khóa xếp hạng 1 `total`: bằng nhau (95,00) chỉ sau khi tổng điểm được làm tròn xuống "
        "đến số nguyên theo quy chế ("
            + rule + "); trước khi làm tròn: B 95,20, A 95,40\n");

    const std::string json = ok(
        {"explain", f.reg, "--data", f.data, "--unit", "B", "--versus", "A", "--format", "json"});
    has(json, "\"a_unrounded\": \"95.2\"");
    has(json, "\"b_unrounded\": \"95.4\"");

    // Units whose unrounded totals differ as well as their rounded ones: no rounding sentence.
    const std::string cd = ok({"explain", f.reg, "--data", f.data, "--unit", "C", "--versus", "D"});
    lacks(cd, "only after the total");
}

TEST_CASE("explain names the rounding of the total and its rule", "[board_facts]") {
    const bloc_files f;
    const std::string rule = f.reg + ":3";
    has(ok({"explain", f.reg, "--data", f.data, "--unit", "A"}),
        "= 95.40, rounded down to whole points by the regulation (" + rule + "): 95.00\n");
    has(ok({"--lang", "vi", "explain", f.reg, "--data", f.data, "--unit", "A"}),
        "= 95,40 điểm, làm tròn xuống đến số nguyên theo quy chế (" + rule + ") thành 95,00\n");
    // A total the rounding did not change says nothing about it.
    lacks(ok({"explain", f.reg, "--data", f.data, "--unit", "C"}), "rounded down");
}

TEST_CASE("an aggregate over an empty list says the list is empty", "[board_facts]") {
    const bloc_files f;
    const std::string en = ok({"explain", f.reg, "--data", f.data, "--unit", "A"});
    has(en, "any of ky_luat = false: the list is empty\n");
    has(en, "count of ky_luat where `k.muc >= 1` = 0: the list is empty\n");
    lacks(en, "element by element:\n");
    const std::string vi = ok({"--lang", "vi", "explain", f.reg, "--data", f.data, "--unit", "A"});
    has(vi, "any của ky_luat = sai: danh sách trống\n");
    has(vi, "đếm trong ky_luat các phần tử có `k.muc >= 1` = 0: danh sách trống\n");
    lacks(vi, "theo từng phần tử:\n");
    // A list with elements still lists them.
    has(ok({"explain", f.reg, "--data", f.data, "--unit", "B"}),
        "count of ky_luat where `k.muc >= 1` = 0 of 1, element by element:\n");
    // The page's derivations are explain's.
    const auto html = f.dir.path / "bao-cao.html";
    ok({"report", f.reg, "--data", f.data, "--output", html.string()});
    has(thidua::testing::unescape(read_file(html)), "any of ky_luat = false: the list is empty");
}

TEST_CASE("an optional self-score left empty is said in the table and the explanation",
          "[board_facts]") {
    temp_dir dir;
    std::string reg = regulation;
    const std::string field = "tu_cham: number \"Tự chấm\"";
    REQUIRE(reg.find(field) != std::string::npos);
    reg.replace(reg.find(field), field.size(), "tu_cham: number? \"Tự chấm\"");
    dir.write("quy-che.tdkt", reg);
    dir.write("ket-qua.json", R"([
  {"unit": "A", "diem": 95.4, "tu_cham": 95, "ky_luat": []},
  {"unit": "B", "diem": 95.2, "ky_luat": []},
  {"unit": "C", "diem": 90, "tu_cham": 90, "ky_luat": []}
]
)");
    const std::string r = (dir.path / "quy-che.tdkt").string();
    const std::string d = (dir.path / "ket-qua.json").string();
    const std::string table = ok({"score", r, "--data", d});
    has(table, "no self-score (`tu_cham` is empty)");
    // Only B's row says it.
    CHECK(table.find("no self-score") == table.rfind("no self-score"));
    has(ok({"score", r, "--data", d, "--format", "csv"}), "no self-score (`tu_cham` is empty)");
    has(ok({"explain", r, "--data", d, "--unit", "B"}), "\nno self-score (`tu_cham` is empty)\n");
    lacks(ok({"explain", r, "--data", d, "--unit", "A"}), "no self-score");
    has(ok({"--lang", "vi", "explain", r, "--data", d, "--unit", "B"}),
        "không có điểm tự chấm (`tu_cham` để trống)");
}
