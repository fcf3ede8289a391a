// What trial9 (Khối thi đua số 3, 2017) found in explanations and the board's documents: formulas
// quoted as valid regulation text (bands separated by commas), the arithmetic of a re-scaled
// section, two values of one comparison with the same decimals, the results' warnings in the
// workbook, and the Vietnamese board words (tests/data/khoi3-2017 is the trial's regulation and
// results).
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <regex>
#include <string>

#include "cli_runner.hpp"
#include "dsl/parser.hpp"
#include "engine/board_text.hpp"
#include "engine/checker.hpp"
#include "engine/explain.hpp"

using thidua::testing::run;
using thidua::testing::temp_dir;
using thidua::testing::unzip;
namespace fs = std::filesystem;

namespace {

const std::string khoi3 = "tests/data/khoi3-2017/regulation.tdkt";
const std::string khoi3_data = "tests/data/khoi3-2017/data";
const std::string khoi3_no_rounding = "tests/data/khoi3-2017/no-rounding.tdkt";
const std::string khoi3_hidden = "tests/data/khoi3-2017/hidden-decimals";

// A regulation with one criterion whose points formula is `formula`.
std::string regulation_with(const std::string& formula) {
    return "regulation \"R\" {\n"
           "    scale 10\n"
           "    enum rating { a  b  c }\n"
           "    input { n: number  r: rating }\n"
           "    section I \"S\" max 10 {\n"
           "        criterion I.1 \"C\" max 10 {\n"
           "            points = " + formula + "\n"
           "        }\n"
           "    }\n"
           "}\n";
}

// The points formula of the only criterion of `text`, through formula_text(); empty when the
// text does not parse and check cleanly.
std::string quoted_formula(const std::string& text) {
    const auto src = std::make_shared<thidua::source_file>("t.tdkt", text);
    const auto parsed = thidua::parse(src);
    if (!parsed.regulation || parsed.diags.has_errors()) {
        return "";
    }
    thidua::diagnostics diags;
    const auto checked = thidua::check(*parsed.regulation, diags);
    if (!checked || diags.has_errors()) {
        return "";
    }
    return thidua::formula_text(*src, *checked->criteria.front().node->body.points);
}

}  // namespace

TEST_CASE("formula_text: bands and arms stay apart, and the quote is valid regulation text",
          "[explain]") {
    const std::string multi_line =
        "when n {\n"
        "                >= 5: 5   # five or more\n"
        "                == 4: 3\n"
        "                else: 0\n"
        "            }";
    const std::string quoted = quoted_formula(regulation_with(multi_line));
    CHECK(quoted == "when n { >= 5: 5, == 4: 3, else: 0 }");
    // Quoted back into a regulation, it parses, checks and quotes the same.
    CHECK(quoted_formula(regulation_with(quoted)) == quoted);
    // Commas already written are kept, not doubled; a match's arms get them too.
    CHECK(quoted_formula(regulation_with("when n { >= 5: 5, == 4: 3  else: 0 }"))
          == "when n { >= 5: 5, == 4: 3, else: 0 }");
    CHECK(quoted_formula(regulation_with("match r { a: 3  b: 2\n c: 1 }"))
          == "match r { a: 3, b: 2, c: 1 }");
    // Nested bands; a '#' inside a string is not a comment.
    CHECK(quoted_formula(regulation_with(
              "when n { < 5: when n { < 2: 1  else: 2 }  else: if \"#\" == \"#\" then 3 else 4 }"))
          == "when n { < 5: when n { < 2: 1, else: 2 }, else: if \"#\" == \"#\" then 3 else 4 }");
}

TEST_CASE("explain: a band chosen and the formula it comes from read as separate bands",
          "[explain]") {
    const std::string out = run({"--lang", "vi", "explain", khoi3, "--data", khoi3_data, "--unit",
                                 "Sở Khoa học và Công nghệ", "--criterion", "1.1"});
    CHECK(out.find("điểm = khi count(chỉ_tiêu) { >= 5: 5, == 4: 3, == 3: 1, ngược lại: 0 } = 5")
          != std::string::npos);
    CHECK(out.find("5 == 4") == std::string::npos);
}

TEST_CASE("explain and report: a rescaled section shows its arithmetic", "[explain][report]") {
    const std::string text = run({"--lang", "vi", "explain", khoi3, "--data", khoi3_data, "--unit",
                                  "Sở Khoa học và Công nghệ"});
    CHECK(text.find("nội dung 2 = tổng điểm các tiêu chí được áp dụng × 25 / tổng điểm tối đa "
                    "của các tiêu chí đó: 19 × 25 / 21 = ≈22,619048\n")
          != std::string::npos);
    CHECK(text.find("các tiêu chí được áp dụng: 2.1 + 2.2 + 2.4 = 6,00 + 5,00 + 8,00 = 19; điểm "
                    "tối đa của các tiêu chí đó: 8 + 5 + 8 = 21; không áp dụng: 2.3")
          != std::string::npos);
    // With section rounding, the rounding follows the arithmetic.
    temp_dir dir;
    const fs::path rounded = dir.path / "rounded.tdkt";
    {
        std::string reg = thidua::testing::read_file(std::string(THIDUA_SOURCE_DIR) + "/" + khoi3);
        const std::string anchor = "    làm tròn điểm tổng điểm 0.01 nửa lên\n";
        const auto at = reg.find(anchor);
        REQUIRE(at != std::string::npos);
        reg.insert(at, "    làm tròn điểm nội dung 0.01 nửa lên\n");
        std::ofstream(rounded) << reg;
    }
    const std::string en = run(
        {"explain", rounded.string(), "--data", khoi3_data, "--unit", "Sở Khoa học và Công nghệ"});
    CHECK(en.find("section 2 = sum of the applicable criteria × 25 / sum of their maxima: 19 × 25 "
                  "/ 21 = ≈22.619048, rounded to 22.62\n")
          != std::string::npos);
    // The HTML report's unit details say the same.
    const fs::path page = dir.path / "r.html";
    REQUIRE(run({"--lang", "vi", "report", khoi3, "--data", khoi3_data, "--output", page.string()})
            == "exit: 0\n");
    const std::string html = thidua::testing::read_file(page);
    CHECK(html.find("19 × 25 / 21 = ≈22,619048</p>\n<p class=\"src\">các tiêu chí được áp dụng: "
                    "2.1 + 2.2 + 2.4")
          != std::string::npos);
}

TEST_CASE("board::apart: both values of a comparison with the same decimals", "[report]") {
    using P = std::pair<std::string, std::string>;
    const auto n = [](const char* s) {
        const auto v = thidua::number::parse(s);
        REQUIRE(v);
        return *v;
    };
    CHECK(thidua::board::apart(n("36"), n("35.5"), 2) == P{"36.00", "35.50"});
    CHECK(thidua::board::apart(n("1") / n("3"), n("1") / n("3"), 2) == P{"0.33", "0.33"});
    // trial9: "≈93.92 so với ≈93.919" becomes "≈93.920 so với ≈93.919".
    CHECK(thidua::board::apart(n("93.92") + n("1") / n("3000000"),
                               n("93.919") + n("1") / n("3000000"), 2)
          == P{"≈93.920", "≈93.919"});
    CHECK(thidua::board::apart(n("98.575625"), n("98.5756"), 2) == P{"≈98.57563", "98.57560"});
    CHECK(thidua::board::apart(n("1") / n("30000"), n("0"), 2) == P{"≈0.00003", "0.00000"});
    const std::string out =
        run({"--lang", "vi", "score", khoi3_no_rounding, "--data", khoi3_hidden});
    CHECK(out.find("`tổng điểm` ≈93,920 so với ≈93,919") != std::string::npos);
}

TEST_CASE("score --format xlsx: the results' warnings on the first sheet", "[xlsx][warnings]") {
    temp_dir dir;
    const fs::path book = dir.path / "k.xlsx";
    REQUIRE(run({"--lang", "vi", "score", khoi3, "--data", khoi3_hidden, "--format", "xlsx",
                 "--output", book.string()})
                .find("exit: 0\n")
            != std::string::npos);
    const std::string strings = unzip(book, "xl/sharedStrings.xml");
    CHECK(strings.find("<t>Cảnh báo về số liệu kết quả</t>") != std::string::npos);
    CHECK(strings.find("chỉ_tiêu.csv:33:49: cảnh báo[W202]: trường `chỉ_tiêu.thực_hiện` của đơn "
                       "vị `Sở Giao thông - Vận tải`: `7.066` được đọc là 7.066")
          != std::string::npos);
    // Sheet names cut after a whole word, with "…".
    const std::string wb = unzip(book, "xl/workbook.xml");
    CHECK(wb.find("<sheet name=\"2 Xây dựng Đảng, đoàn thể và…\"") != std::string::npos);
    CHECK(wb.find("<sheet name=\"1 Thực hiện nhiệm vụ chính trị…\"") != std::string::npos);
    // No warning, no notice.
    const fs::path clean = dir.path / "clean.xlsx";
    REQUIRE(run({"--lang", "vi", "score", khoi3, "--data", khoi3_data, "--format", "xlsx",
                 "--output", clean.string()})
            == "exit: 0\n");
    CHECK(unzip(clean, "xl/sharedStrings.xml").find("Cảnh báo về số liệu kết quả")
          == std::string::npos);
}

TEST_CASE("Vietnamese board words: slots, the award column, ranking keys", "[report][i18n]") {
    const std::string text = run({"--lang", "vi", "score", khoi3, "--data", khoi3_data});
    // "chỉ tiêu" is an indicator (the regulation's own list `chỉ_tiêu`): a quota is slots.
    CHECK(text.find("Bằng khen của Chủ tịch UBND tỉnh (bằng_khen): Sở Tài chính; tối đa 2 suất\n")
          != std::string::npos);
    CHECK(text.find("chỉ tiêu tối đa") == std::string::npos);
    // Bằng khen is not a danh hiệu: the column names both.
    CHECK(text.find("Tổng điểm  Khen thưởng") != std::string::npos);
    CHECK(text.find("Danh hiệu") == std::string::npos);
    // Ranking keys are "khóa xếp hạng", never "tiêu chí" (a scoring criterion).
    const std::string versus =
        run({"--lang", "vi", "explain", khoi3_no_rounding, "--data", khoi3_hidden, "--unit",
             "Sở Giao thông - Vận tải", "--versus", "Sở Khoa học và Công nghệ"});
    CHECK(versus.find("khóa xếp hạng 1 `tổng điểm`") != std::string::npos);
    CHECK(versus.find("tiêu chí xếp hạng") == std::string::npos);
    // The HTML report: the award column and the quota's slots.
    temp_dir dir;
    const fs::path page = dir.path / "r.html";
    REQUIRE(run({"--lang", "vi", "report", khoi3, "--data", khoi3_data, "--output", page.string()})
            == "exit: 0\n");
    const std::string html = thidua::testing::read_file(page);
    CHECK(html.find("<th>Khen thưởng</th>") != std::string::npos);
    CHECK(html.find("<dt>Số suất</dt><dd>tối đa 2 suất") != std::string::npos);
    CHECK(html.find("Chỉ tiêu</dt>") == std::string::npos);
}

TEST_CASE("thidua test words award states as every output does", "[testing][i18n]") {
    temp_dir dir;
    const fs::path tests = dir.path / "t.test.tdkt";
    // Each expectation fails, so that its actual value is printed.
    std::ofstream(tests) << "bộ kiểm thử cho \"" << std::string(THIDUA_SOURCE_DIR) + "/" + khoi3
                         << "\"\n"
                         << "kiểm thử \"trạng thái\" {\n"
                         << "    dữ liệu \"" << std::string(THIDUA_SOURCE_DIR) + "/" + khoi3_data
                         << "\"\n"
                         << "    kỳ vọng \"Ban Quản lý các Khu công nghiệp tỉnh\" hạng == 1\n"
                         << "    kỳ vọng \"Sở Tài chính\" không được khen thưởng\n"
                         << "}\n";
    const std::string vi = run({"--lang", "vi", "test", tests.string()});
    INFO(vi);
    CHECK(vi.find("thực tế: bị loại khỏi xét thi đua\n") != std::string::npos);
    CHECK(vi.find("thực tế: được tặng bằng_khen") != std::string::npos);
    const std::string en = run({"test", tests.string()});
    INFO(en);
    CHECK(en.find("actual: excluded from the ranking\n") != std::string::npos);
}

TEST_CASE("the workbook's computed values are those thidua explain shows", "[xlsx][explain]") {
    // Trial 10: the explanations sheet showed 2923/120 where explain shows ≈24.3583.
    const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
    const std::string khoi5_data = "rules/khoi5-2018/data";
    temp_dir dir;
    const fs::path book = dir.path / "k.xlsx";
    REQUIRE(run({"--lang", "vi", "score", khoi5, "--data", khoi5_data, "--format", "xlsx",
                 "--output", book.string()})
            == "exit: 0\n");
    const std::string strings = unzip(book, "xl/sharedStrings.xml");
    // No fraction anywhere: a value with no finite decimal is shown rounded, marked "≈".
    CHECK_FALSE(std::regex_search(strings, std::regex("<t>-?[0-9]+/[0-9]+</t>")));
    std::size_t computed = 0;
    for (const char* unit : {"Sở Kế hoạch và Đầu tư", "Văn phòng Đoàn ĐBQH tỉnh"}) {
        const std::string text =
            run({"--lang", "vi", "explain", khoi5, "--data", khoi5_data, "--unit", unit});
        const std::regex value("tính được (≈?-?[0-9]+(?:,[0-9]+)?)");
        for (auto it = std::sregex_iterator(text.begin(), text.end(), value);
             it != std::sregex_iterator(); ++it) {
            INFO(unit << ": " << (*it)[1]);
            CHECK(strings.find("<t>" + (*it)[1].str() + "</t>") != std::string::npos);
            ++computed;
        }
    }
    // Sở Kế hoạch và Đầu tư's I.1 (118/3) and the other's (92/3).
    CHECK(computed == 2);
    CHECK(strings.find("<t>≈39,3333</t>") != std::string::npos);
    CHECK(strings.find("<t>≈30,6667</t>") != std::string::npos);
}
