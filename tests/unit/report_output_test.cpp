// The board's documents: `thidua score --format xlsx` (the workbook is unzipped with `unzip` and
// its sheet XML inspected) and `thidua report` (the HTML page). The page in a real browser is
// tests/browser/check_report.sh.
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "cli_runner.hpp"
#include "engine/html_report.hpp"
#include "engine/report.hpp"
#include "engine/xlsx_report.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::unzip;
namespace fs = std::filesystem;

using thidua::testing::files_in;
using thidua::testing::temp_dir;

namespace {

const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string khoi5_data = "rules/khoi5-2018/data";
const std::string hostile = "tests/browser/hostile/regulation.tdkt";
const std::string hostile_data = "tests/browser/hostile/data";

std::string xml_text(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else {
            out += c;
        }
    }
    return out;
}

// The shared strings of a workbook, in index order.
std::vector<std::string> shared_strings(const std::string& xml) {
    std::vector<std::string> out;
    const std::regex si("<si><t(?: xml:space=\"preserve\")?>([^<]*)</t></si>");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), si); it != std::sregex_iterator();
         ++it) {
        out.push_back((*it)[1]);
    }
    return out;
}

// The number format id of every cell style (cellXfs), in index order.
std::vector<std::string> style_formats(const std::string& styles) {
    const auto from = styles.find("<cellXfs");
    const auto to = styles.find("</cellXfs>");
    REQUIRE(from != std::string::npos);
    const std::string xfs = styles.substr(from, to - from);
    std::vector<std::string> out;
    const std::regex xf("<xf numFmtId=\"([0-9]+)\"");
    for (auto it = std::sregex_iterator(xfs.begin(), xfs.end(), xf); it != std::sregex_iterator();
         ++it) {
        out.push_back((*it)[1]);
    }
    return out;
}

}  // namespace

TEST_CASE("score --format xlsx: ranking, one sheet per section, explanations", "[xlsx]") {
    temp_dir dir;
    const auto out = dir.path / "ranking.xlsx";
    REQUIRE(run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", out.string(),
                 "--lang", "vi"})
            == "exit: 0\n");
    CHECK(files_in(dir.path) == std::vector<std::string>{"ranking.xlsx"});
    const std::string book = unzip(out, "xl/workbook.xml");
    // Sheet names: the section's id and title, shortened to Excel's 31 characters after a whole
    // word, with "…".
    CHECK(book.find("<sheet name=\"Xếp hạng\"") != std::string::npos);
    CHECK(book.find("<sheet name=\"I Thực hiện nhiệm vụ chính trị\"") != std::string::npos);
    CHECK(book.find("<sheet name=\"II Xây dựng tổ chức Đảng và…\"") != std::string::npos);
    CHECK(book.find("<sheet name=\"Giải trình\"") != std::string::npos);

    const auto strings = shared_strings(unzip(out, "xl/sharedStrings.xml"));
    auto index_of = [&](const std::string& s) {
        const auto it = std::find(strings.begin(), strings.end(), xml_text(s));
        REQUIRE(it != strings.end());
        return std::to_string(it - strings.begin());
    };
    const std::string ranking = unzip(out, "xl/worksheets/sheet1.xml");
    // Header in row 1 with the regulation's section titles, maxima in row 2, frozen below.
    CHECK(ranking.find("t=\"s\"><v>" + index_of("I Thực hiện nhiệm vụ chính trị") + "</v>")
          != std::string::npos);
    CHECK(ranking.find("<c r=\"C2\" s=\"3\"><v>60</v></c>") != std::string::npos);
    CHECK(ranking.find("state=\"frozen\"") != std::string::npos);
    // Row 3: rank 1 as a number, the unit as text, its total 104.50 as a number formatted 0.00.
    CHECK(ranking.find("<c r=\"A3\"><v>1</v></c>") != std::string::npos);
    CHECK(ranking.find("<c r=\"B3\" t=\"s\"><v>" + index_of("Văn phòng UBND tỉnh") + "</v>")
          != std::string::npos);
    CHECK(ranking.find("<c r=\"H3\" s=\"5\"><v>104.5</v></c>") != std::string::npos);
    const auto formats = style_formats(unzip(out, "xl/styles.xml"));
    REQUIRE(formats.size() > 5);
    CHECK(formats[5] == "164");
    CHECK(unzip(out, "xl/styles.xml").find("<numFmt numFmtId=\"164\" formatCode=\"0.00\"/>")
          != std::string::npos);
    // The unresolved tie below the table, worded as `score` words it.
    bool tie_line = false;
    for (const auto& s : strings) {
        tie_line =
            tie_line || s.find("chưa phân định: khối thi đua biểu quyết") != std::string::npos;
    }
    CHECK(tie_line);
    // A section sheet: criterion titles, their maxima, "không áp dụng" where II.3 does not apply.
    const std::string sec2 = unzip(out, "xl/worksheets/sheet3.xml");
    CHECK(sec2.find("<v>" + index_of("II.3 Xếp loại Chi đoàn thanh niên") + "</v>")
          != std::string::npos);
    CHECK(sec2.find("<v>" + index_of("không áp dụng") + "</v>") != std::string::npos);
    // The explanations: rule position, citation and the derivation with values.
    const std::string expl = unzip(out, "xl/worksheets/sheet5.xml");
    CHECK(expl.find("<v>" + index_of("rules/khoi5-2018/regulation.tdkt:72") + "</v>")
          != std::string::npos);
    CHECK(expl.find("<v>" + index_of("Mục II.1.b") + "</v>") != std::string::npos);
    CHECK(std::any_of(strings.begin(), strings.end(), [](const std::string& s) {
        return s.find("p = 1: áp dụng mức `&gt;= 100%: 20`") != std::string::npos;
    }));
    CHECK(std::find(strings.begin(), strings.end(), "Cộng nội dung II") != strings.end());
    CHECK(unzip(out, "docProps/core.xml").find("thidua; quy định regulation.tdkt sha256 ")
          != std::string::npos);
    // Fixed document dates: no clock in the file.
    CHECK(unzip(out, "docProps/core.xml").find("1980-01-01T00:00:00Z") != std::string::npos);
}

TEST_CASE("score --format xlsx is byte-identical across runs and directories", "[xlsx]") {
    temp_dir dir;
    const auto a = dir.path / "a.xlsx";
    const auto b = dir.path / "b.xlsx";
    for (const auto& out : {a, b}) {
        REQUIRE(
            run({"score", "rules/tiengiang-tnmt-2022/regulation.tdkt", "--data",
                 "rules/tiengiang-tnmt-2022/data", "--format", "xlsx", "--output", out.string()})
            == "exit: 0\n");
    }
    const std::string bytes = read_file(a);
    CHECK(bytes.size() > 1000);
    CHECK(bytes == read_file(b));
}

TEST_CASE("formula-like user text is a text cell in the workbook, never a formula", "[xlsx]") {
    temp_dir dir;
    const auto out = dir.path / "hostile.xlsx";
    REQUIRE(run({"score", hostile, "--data", hostile_data, "--format", "xlsx", "--output",
                 out.string()})
            == "exit: 0\n");
    const auto strings = shared_strings(unzip(out, "xl/sharedStrings.xml"));
    const auto formats = style_formats(unzip(out, "xl/styles.xml"));
    for (const std::string name :
         {"=cmd|'/c calc'!A1", "@SUM(1+1)", "-Phòng Tài chính", "+84 Ban Dân vận"}) {
        INFO(name);
        CHECK(thidua::formula_like(name));
        const auto it = std::find(strings.begin(), strings.end(), xml_text(name));
        REQUIRE(it != strings.end());
        const std::string idx = std::to_string(it - strings.begin());
        // On the ranking sheet: a shared-string cell whose style has the Text format (49, "@").
        const std::string sheet = unzip(out, "xl/worksheets/sheet1.xml");
        const std::regex cell("<c r=\"B[0-9]+\" s=\"([0-9]+)\" t=\"s\"><v>" + idx + "</v></c>");
        std::smatch m;
        REQUIRE(std::regex_search(sheet, m, cell));
        const auto style = static_cast<std::size_t>(std::stoul(m[1]));
        REQUIRE(style < formats.size());
        CHECK(formats[style] == "49");
    }
    // No sheet holds a formula.
    for (int s = 1; s <= 4; ++s) {
        const std::string sheet = unzip(out, "xl/worksheets/sheet" + std::to_string(s) + ".xml");
        CHECK(sheet.find("<f>") == std::string::npos);
        CHECK(sheet.find("<f ") == std::string::npos);
    }
    // The same names in CSV get the shared rule's single quote.
    const auto csv = run({"score", hostile, "--data", hostile_data, "--format", "csv"});
    CHECK(csv.find("\"'=cmd|'/c calc'!A1\"") == std::string::npos);
    CHECK(csv.find("'=cmd|'/c calc'!A1") != std::string::npos);
    CHECK(csv.find("'@SUM(1+1)") != std::string::npos);
}

TEST_CASE("score --format xlsx needs --output and leaves nothing behind on errors", "[xlsx]") {
    const auto none = run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx"});
    CHECK(none == "thidua: --format xlsx needs --output FILE.xlsx\nexit: 2\n");
    CHECK(run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", "-"})
          == "thidua: --format xlsx needs --output FILE.xlsx\nexit: 2\n");
    temp_dir dir;
    const auto out = dir.path / "ranking.xlsx";
    const auto bad = run({"score", khoi5, "--data", "tests/data/broken/bad_date.csv", "--format",
                          "xlsx", "--output", out.string()});
    CHECK(bad.find("exit: 1") != std::string::npos);
    CHECK(files_in(dir.path).empty());
    const auto nodir = run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output",
                            (dir.path / "missing" / "x.xlsx").string()});
    CHECK(nodir.find("cannot write") != std::string::npos);
    CHECK(nodir.find("exit: 2") != std::string::npos);
    CHECK(files_in(dir.path).empty());
}

TEST_CASE("Excel sheet names: 31 characters, none of the characters Excel forbids, unique",
          "[xlsx]") {
    std::vector<std::string> taken;
    CHECK(thidua::excel_sheet_name("Xếp hạng", taken) == "Xếp hạng");
    // Excel compares names ignoring case, Vietnamese letters included.
    CHECK(thidua::excel_sheet_name("xếp hạng", taken) == "xếp hạng (2)");
    CHECK(thidua::excel_sheet_name("XẾP HẠNG", taken) == "XẾP HẠNG (3)");
    CHECK(thidua::excel_sheet_name("ĐƠN VỊ ƯU TÚ", taken) == "ĐƠN VỊ ƯU TÚ");
    CHECK(thidua::excel_sheet_name("đơn vị ưu tú", taken) == "đơn vị ưu tú (2)");
    std::vector<std::string> t2;
    CHECK(thidua::excel_sheet_name("Sheet", t2) == "Sheet");
    CHECK(thidua::excel_sheet_name("sheet", t2) == "sheet (2)");
    CHECK(thidua::excel_sheet_name("SHEET", t2) == "SHEET (3)");
    CHECK(thidua::excel_sheet_name("a[b]:c*d?e/f\\g", t2) == "a b c d e f g");
    CHECK(thidua::excel_sheet_name("'quoted'", t2) == "quoted");
    CHECK(thidua::excel_sheet_name("[]", t2) == "Sheet (4)");
    // 31 characters counted as Excel does (UTF-16 units), never splitting a UTF-8 sequence; a
    // longer name is cut after a whole word and ends with "…" (one unit).
    const std::string long_name = "III Công tác thi đua, khen thưởng và các phong trào";
    const std::string cut = thidua::excel_sheet_name(long_name, t2);
    CHECK(cut == "III Công tác thi đua, khen…");
    CHECK(thidua::excel_sheet_name(long_name, t2) == "III Công tác thi đua, khen… (2)");
    // The trial9 section: not "2 Xây dựng Đảng, đoàn thể và cả"; no comma before the "…".
    std::vector<std::string> t4;
    CHECK(thidua::excel_sheet_name("2 Xây dựng Đảng, đoàn thể và cải cách hành chính", t4)
          == "2 Xây dựng Đảng, đoàn thể và…");
    CHECK(thidua::excel_sheet_name("1 Thực hiện nhiệm vụ chính trị, được giao", t4)
          == "1 Thực hiện nhiệm vụ chính trị…");
    // Exactly 31 characters: kept whole.
    CHECK(thidua::excel_sheet_name("3 Công tác thi đua, khen thưởng", t4)
          == "3 Công tác thi đua, khen thưởng");
    // A title that ends with an apostrophe fits once the apostrophe goes: no "…".
    CHECK(thidua::excel_sheet_name("Nội dung 'A'", t4) == "Nội dung 'A");
    std::vector<std::string> t3;
    // One word longer than a sheet name: cut inside it.
    CHECK(thidua::excel_sheet_name(std::string(40, 'x'), t3) == std::string(30, 'x') + "…");
    CHECK(thidua::excel_sheet_name("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", t3)
          == "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀…");  // 15 x 2 + 1 units
}

TEST_CASE("html_escape escapes text and attribute values", "[report]") {
    CHECK(thidua::html_escape("<script>alert('x')</script> & \"q\"")
          == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    CHECK(thidua::html_escape("Sở Tư pháp") == "Sở Tư pháp");
}

TEST_CASE("report: one self-contained page, every input text escaped", "[report]") {
    temp_dir dir;
    const auto out = dir.path / "report.html";
    REQUIRE(
        run({"report", hostile, "--data", hostile_data, "--output", out.string(), "--lang", "vi"})
        == "exit: 0\n");
    const std::string page = read_file(out);
    CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"vi\">", 0) == 0);
    CHECK(page.find("<meta charset=\"utf-8\">") != std::string::npos);
    // Nothing from outside: no script, no link, no external resource.
    for (const char* bad : {"<script", "<link", "<img", "<iframe", "@import", "url(",
                            "https:", "<b>", "<em>", "<i>", "<u>"}) {
        INFO(bad);
        CHECK(page.find(bad) == std::string::npos);
    }
    CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(page.find("data-unit=\"Sở &quot;Tư pháp&quot; &amp; &lt;Nội vụ&gt;\"")
          != std::string::npos);
    CHECK(page.find("data-unit=\"&#39; onmouseover=&#39;alert(4)&#39; x=&#39;\"")
          != std::string::npos);
    CHECK(page.find("<h1>Khối &lt;b&gt;thử&lt;/b&gt; &amp; &quot;trích dẫn&quot;")
          != std::string::npos);
    // The award's missed candidate: which requirement failed and by how much.
    CHECK(page.find("không được tặng: không đạt điều kiện 1 &quot;Đạt từ 95 điểm &lt;trở "
                    "lên&gt;&quot; (`total` còn thiếu 9,00)")
          != std::string::npos);
    // Print on A4.
    CHECK(page.find("@page { size: A4;") != std::string::npos);
}

TEST_CASE("report: ranking, chart, awards and every unit's derivation", "[report]") {
    temp_dir dir;
    const auto out = dir.path / "khoi5.html";
    REQUIRE(run({"report", khoi5, "--data", khoi5_data, "--output", out.string(), "--lang", "vi"})
            == "exit: 0\n");
    const std::string page = read_file(out);
    CHECK(page.find("<h1>Hướng dẫn chấm điểm thi đua – Khối thi đua số 5 – năm 2018</h1>")
          != std::string::npos);
    // The regulation's hash, as score --format json reports it.
    const auto json = run({"score", khoi5, "--data", khoi5_data, "--format", "json"});
    const std::regex sha("\"sha256\": \"([0-9a-f]{64})\"");
    std::smatch m;
    REQUIRE(std::regex_search(json, m, sha));
    CHECK(page.find(m[1].str()) != std::string::npos);
    CHECK(page.find("<dt>Phiên bản thidua</dt><dd>0.1.0</dd>") != std::string::npos);
    // Ranking row, the excluded unit, the unresolved tie.
    CHECK(page.find("<td class=\"num total\">104,50</td>") != std::string::npos);
    CHECK(page.find("bị loại khỏi xét thi đua: Không nộp hồ sơ tự chấm điểm") != std::string::npos);
    CHECK(page.find("Sở Kế hoạch và Đầu tư, Văn phòng HĐND tỉnh đồng hạng ở vị trí 3 đến 4")
          != std::string::npos);
    // The chart: one bar per ranked unit (7), a track and a fill per section (3).
    std::size_t bars = 0;
    for (std::size_t at = 0; (at = page.find("<g class=\"bar\"", at)) != std::string::npos; ++at) {
        ++bars;
    }
    CHECK(bars == 7);
    CHECK(page.find("<title>I Sở Tư pháp: 51,74 / 60</title>") != std::string::npos);
    // Per unit: criterion with citation, file:line and its derivation.
    CHECK(page.find("Căn cứ: Mục II.1.b · <code>rules/khoi5-2018/regulation.tdkt:72</code>")
          != std::string::npos);
    CHECK(page.find("p = 1: áp dụng mức `&gt;= 100%: 20`") != std::string::npos);
    // Sở Tư pháp misses the Bằng khen's 90 points by 4.26 (85.74).
    CHECK(page.find("(`total` còn thiếu 4,26)") != std::string::npos);
    // Deterministic: a second run gives the same bytes.
    const auto again = dir.path / "again.html";
    REQUIRE(run({"report", khoi5, "--data", khoi5_data, "--output", again.string(), "--lang", "vi"})
            == "exit: 0\n");
    CHECK(read_file(again) == page);
}

TEST_CASE("report: --output is required and errors leave no file", "[report]") {
    CHECK(run({"report", khoi5, "--data", khoi5_data}).find("exit: 2") != std::string::npos);
    temp_dir dir;
    const auto out = dir.path / "report.html";
    const auto bad = run(
        {"report", khoi5, "--data", "tests/data/broken/bad_date.csv", "--output", out.string()});
    CHECK(bad.find("exit: 1") != std::string::npos);
    CHECK(files_in(dir.path).empty());
}

TEST_CASE("score --format xlsx in English: sheet names, headings and phrases", "[xlsx][i18n]") {
    temp_dir dir;
    const auto en = dir.path / "en.xlsx";
    REQUIRE(run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", en.string(),
                 "--lang", "en"})
            == "exit: 0\n");
    const std::string book = unzip(en, "xl/workbook.xml");
    CHECK(book.find("<sheet name=\"Ranking\"") != std::string::npos);
    CHECK(book.find("<sheet name=\"Explanations\"") != std::string::npos);
    // The regulation's titles stay as written.
    CHECK(book.find("<sheet name=\"I Thực hiện nhiệm vụ chính trị\"") != std::string::npos);
    CHECK(book.find("Xếp hạng") == std::string::npos);
    const auto strings = shared_strings(unzip(en, "xl/sharedStrings.xml"));
    auto has = [&](const std::string& s) {
        return std::find(strings.begin(), strings.end(), xml_text(s)) != strings.end();
    };
    for (const std::string s :
         {"Rank", "Unit", "Total", "Award", "Maximum", "Total II", "not applicable", "Notes",
          "Derivation (values substituted)", "Unresolved ties (the bloc votes)", "Awards"}) {
        INFO(s);
        CHECK(has(s));
    }
    CHECK(std::any_of(strings.begin(), strings.end(), [](const std::string& s) {
        return s.find("excluded from the ranking: Không nộp hồ sơ tự chấm điểm")
               != std::string::npos;
    }));
    CHECK(std::any_of(strings.begin(), strings.end(), [](const std::string& s) {
        return s.find("are tied for positions 3 to 4; unresolved: the bloc votes")
               != std::string::npos;
    }));
    CHECK(std::any_of(strings.begin(), strings.end(), [](const std::string& s) {
        return s.find("p = 1: band `&gt;= 100%: 20` applies") != std::string::npos;
    }));
    // No Vietnamese phrase of ours is left (only the regulation's and the data's own text).
    for (const std::string s : {"Xếp hạng", "Điểm tối đa", "không áp dụng", "Giải trình"}) {
        INFO(s);
        CHECK_FALSE(has(s));
    }
    CHECK(unzip(en, "docProps/core.xml").find("thidua; regulation regulation.tdkt sha256 ")
          != std::string::npos);
    // The locale chooses when --lang is not given: LANG=C (the test runner's) is English.
    const auto c = dir.path / "c.xlsx";
    REQUIRE(run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", c.string()})
            == "exit: 0\n");
    CHECK(read_file(c) == read_file(en));
}

TEST_CASE("report in English: lang attribute, headings, decisions and shortfalls",
          "[report][i18n]") {
    temp_dir dir;
    const auto out = dir.path / "en.html";
    REQUIRE(run({"report", khoi5, "--data", khoi5_data, "--output", out.string(), "--lang", "en"})
            == "exit: 0\n");
    const std::string page = read_file(out);
    CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
    for (const char* s :
         {"<h2>Ranking</h2>", "<h2>Points by section</h2>", "<h2>Awards</h2>",
          "<h2>Each unit in detail</h2>", "<dt>thidua version</dt><dd>0.1.0</dd>",
          "<dt>Units</dt><dd>8 (7 ranked, 1 excluded from the ranking)</dd>",
          "<th>Award</th><th>Notes</th>", "excluded from the ranking: Không nộp hồ sơ tự chấm điểm",
          "Sở Kế hoạch và Đầu tư and Văn phòng HĐND tỉnh are tied for positions 3 to 4",
          "Citation: Mục II.1.b · <code>rules/khoi5-2018/regulation.tdkt:72</code>",
          "p = 1: band `&gt;= 100%: 20` applies", "(`total` needs 4.26 more)",
          "Total II: ", "<footer>Made by thidua 0.1.0</footer>"}) {
        INFO(s);
        CHECK(page.find(s) != std::string::npos);
    }
    // None of the page's Vietnamese phrases is left.
    for (const char* s :
         {"Bảng xếp hạng", "Khen thưởng", "còn thiếu", "Phiên bản", "Căn cứ", "không đạt",
          "được tặng", "chưa quyết định", "Cộng nội dung", "Tổng điểm"}) {
        INFO(s);
        CHECK(page.find(s) == std::string::npos);
    }
    // The hostile example: a failed requirement with its shortfall, in English.
    const auto hostile_out = dir.path / "hostile.html";
    REQUIRE(run({"report", hostile, "--data", hostile_data, "--output", hostile_out.string(),
                 "--lang", "en"})
            == "exit: 0\n");
    CHECK(read_file(hostile_out)
              .find("not given: requirement 1 &quot;Đạt từ 95 điểm &lt;trở lên&gt;&quot; does not "
                    "hold (`total` needs 9.00 more)")
          != std::string::npos);
}

TEST_CASE("report in Vietnamese: the board's words", "[report][i18n]") {
    temp_dir dir;
    const auto out = dir.path / "vi.html";
    REQUIRE(run({"--lang", "vi", "report", khoi5, "--data", khoi5_data, "--output", out.string()})
            == "exit: 0\n");
    const std::string page = read_file(out);
    for (const char* s : {"<h2>Bảng xếp hạng</h2>", "<h2>Biểu đồ điểm theo nội dung</h2>",
                          "<h2>Khen thưởng</h2>", "<h2>Chi tiết từng đơn vị</h2>",
                          "<dt>Quy định chấm điểm</dt>", "<dt>Số liệu kết quả</dt>",
                          "<dt>Số đơn vị</dt><dd>8 (7 xếp hạng, 1 bị loại khỏi xét thi đua)</dd>",
                          "<th>Khen thưởng</th><th>Ghi chú</th>",
                          "Cộng nội dung II: ", "<footer>Tạo bởi thidua 0.1.0</footer>",
                          "<p>Đơn vị được tặng: <strong>"}) {
        INFO(s);
        CHECK(page.find(s) != std::string::npos);
    }
    // The report's usage error follows the language too.
    CHECK(run({"--lang", "vi", "report", khoi5, "--data", khoi5_data, "--output", "-"})
          == "thidua: lệnh report cần có --output TỆP.html\nexit: 2\n");
    CHECK(run({"report", khoi5, "--data", khoi5_data, "--output", "-"})
          == "thidua: report needs --output FILE.html\nexit: 2\n");
}

// ---- Trial 10: what a bloc secretary found in the board's documents -------------------------

namespace {

std::string fmt_sheet(int k) {
    return "xl/worksheets/sheet" + std::to_string(k) + ".xml";
}

// Significant digits of a decimal text ("0.0500" has 1, "1200" has 2, "-72.82" has 4).
std::size_t significant_digits(const std::string& text) {
    std::string digits;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            digits += c;
        }
    }
    const auto first = digits.find_first_not_of('0');
    return first == std::string::npos ? 0 : digits.find_last_not_of('0') - first + 1;
}

// Every numeric cell of a sheet (a cell without a type attribute): reference and stored text.
std::vector<std::pair<std::string, std::string>> numeric_cells(const std::string& xml) {
    std::vector<std::pair<std::string, std::string>> out;
    const std::regex cell("<c r=\"([A-Z]+[0-9]+)\"(?: s=\"[0-9]+\")?><v>([^<]*)</v>");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), cell); it != std::sregex_iterator();
         ++it) {
        out.emplace_back((*it)[1], (*it)[2]);
    }
    return out;
}

// A regulation without rounding (points such as 10/3), two bonus groups of which one has no cap
// and two capped deduction groups, and a unit that is ranked but ineligible.
const std::string uncapped_regulation = R"(regulation "R" {
    scale 10
    input { n: number }
    section I "S" max 10 {
        criterion I.1 "C" max 10 { points = n / 3 }
    }
    bonus "Thưởng 1" max 2 { item "a" { points = n / 7 } }
    bonus "Thưởng 2" { item "b" max 1 { points = 1 } }
    deduction "Trừ 1" max 1.5 { item "c" { points = 0 } }
    deduction "Trừ 2" max 2.25 { item "d" { points = 0 } }
    ineligible "Quá nhiều" when n > 5
}
)";

}  // namespace

TEST_CASE("excel_number_text: the exact decimal, else 15 significant digits, never a double's",
          "[xlsx]") {
    using thidua::number;
    const auto n = [](const char* s) { return *number::parse(s); };
    const auto text = [](const number& v) { return thidua::excel_number_text(v).value_or("none"); };
    // A finite decimal of at most 15 significant digits: as it is (through a double, 72.82 would
    // be 72.81999999999999).
    CHECK(text(n("72.82")) == "72.82");
    CHECK(text(n("85.74")) == "85.74");
    CHECK(text(n("-0.1")) == "-0.1");
    CHECK(text(n("0")) == "0");
    CHECK(text(n("60")) == "60");
    CHECK(text(n("123456789012345")) == "123456789012345");
    CHECK(text(n("0.000000000000001")) == "0.000000000000001");
    CHECK(text(n("99999999999999.9")) == "99999999999999.9");
    // No end to the digits, or more than a cell holds: rounded half up to 15 significant digits.
    CHECK(text(n("2923") / n("120")) == "24.3583333333333");
    CHECK(text(n("2") / n("3")) == "0.666666666666667");
    CHECK(text(-(n("40") / n("3"))) == "-13.3333333333333");
    CHECK(text(n("1") / n("3000000")) == "0.000000333333333333333");
    CHECK(text(n("123456789012345678")) == "123456789012346000");
    CHECK(text(n("0.1234567890123456")) == "0.123456789012346");
    CHECK(text(n("9.9999999999999999")) == "10");
    // Beyond what a cell can hold (a double's range): no number.
    number big(1);
    for (int i = 0; i < 308; ++i) {
        big *= number(10);
    }
    CHECK(text(big) == "none");
    CHECK(text(big - number(1)) == "none");  // rounds to 1e308
    CHECK(text(big / number(10) * n("9.99999999999999"))
          == "999999999999999" + std::string(293, '0'));
    CHECK(text(number(1) / big) == "none");
    CHECK(text(-big) == "none");
}

TEST_CASE("score --format xlsx: every numeric cell holds exact decimal text", "[xlsx]") {
    temp_dir dir;
    const auto out = dir.path / "k.xlsx";
    REQUIRE(run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", out.string(),
                 "--lang", "vi"})
            == "exit: 0\n");
    // No cell of any sheet holds a double's digits (85.74 written from a double is
    // 85.73999999999999).
    const std::regex decimal("-?[0-9]+(\\.[0-9]*[1-9])?");
    for (int k = 1; k <= 5; ++k) {
        const auto cells = numeric_cells(unzip(out, fmt_sheet(k)));
        CHECK_FALSE(cells.empty());
        for (const auto& [ref, value] : cells) {
            INFO(fmt_sheet(k) << " " << ref << " " << value);
            CHECK(std::regex_match(value, decimal));
            CHECK(significant_digits(value) <= 15);
        }
    }
    const std::string ranking = unzip(out, "xl/worksheets/sheet1.xml");
    CHECK(ranking.find("<c r=\"H7\" s=\"5\"><v>85.74</v></c>") != std::string::npos);
    CHECK(ranking.find("<c r=\"H8\" s=\"5\"><v>82.74</v></c>") != std::string::npos);
    // Each total is score --format json's exact total.
    const auto json = run({"score", khoi5, "--data", khoi5_data, "--format", "json"});
    const std::regex total("\"total_exact\": \"([^\"]+)\"");
    std::size_t totals = 0;
    for (auto it = std::sregex_iterator(json.begin(), json.end(), total);
         it != std::sregex_iterator(); ++it) {
        INFO((*it)[1]);
        CHECK(ranking.find(" s=\"5\"><v>" + (*it)[1].str() + "</v></c>") != std::string::npos);
        ++totals;
    }
    CHECK(totals == 7);
    // Still a valid archive that unzip reads in full (every member's CRC checked).
    FILE* p = popen(("unzip -tq '" + out.string() + "'").c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[256];
    std::string tested;
    while (fgets(buf, sizeof buf, p) != nullptr) {
        tested += buf;
    }
    CHECK(pclose(p) == 0);
    CHECK(tested.find("No errors detected") != std::string::npos);
}

namespace {

// The member lines of `unzip -v` (uncompressed size, method, stored size, ratio, date, time, CRC,
// name), in the archive's order.
std::vector<std::string> zip_listing(const fs::path& archive) {
    const std::string text = thidua::testing::command_output("unzip -v '" + archive.string() + "'");
    const std::regex member(
        " *[0-9]+ +[A-Za-z:]+ +[0-9]+ +-?[0-9]+% +[0-9-]+ +[0-9:]+ +[0-9a-f]{8}  .+");
    std::vector<std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (std::regex_match(line, member)) {
            out.push_back(line);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("put_exact_numbers: only the named sheets are rewritten, the rest copied as stored",
          "[xlsx]") {
    temp_dir dir;
    const auto book = dir.path / "k.xlsx";
    REQUIRE(
        run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", book.string()})
        == "exit: 0\n");
    const std::string original = read_file(book);
    const auto listing = zip_listing(book);
    REQUIRE(listing.size() == 14);
    REQUIRE(unzip(book, "xl/worksheets/sheet1.xml").find("<c r=\"H7\" s=\"5\"><v>85.74</v></c>")
            != std::string::npos);

    // Nothing to put: every member is copied as stored (raw: the same compressed bytes, names,
    // dates, attributes, order), so the archive comes out byte for byte the same.
    const auto copy = dir.path / "copy.xlsx";
    CHECK(thidua::put_exact_numbers(book.string(), copy.string(), {}).empty());
    CHECK(read_file(copy) == original);

    // One cell of the ranking sheet: that sheet is rewritten; every other member keeps its size,
    // stored size, method, date and CRC, in the same order.
    const auto edited = dir.path / "edited.xlsx";
    CHECK(thidua::put_exact_numbers(book.string(), edited.string(), {{{"H7", "1234.5"}}}).empty());
    const std::string sheet1 = unzip(edited, "xl/worksheets/sheet1.xml");
    CHECK(sheet1.find("<c r=\"H7\" s=\"5\"><v>1234.5</v></c>") != std::string::npos);
    CHECK(sheet1.find("85.74") == std::string::npos);
    CHECK(unzip(edited, "xl/styles.xml") == unzip(book, "xl/styles.xml"));
    const auto edited_listing = zip_listing(edited);
    REQUIRE(edited_listing.size() == listing.size());
    std::size_t unchanged = 0;
    for (std::size_t k = 0; k < listing.size(); ++k) {
        INFO(listing[k] << "\n" << edited_listing[k]);
        if (listing[k].find(" xl/worksheets/sheet1.xml") != std::string::npos) {
            CHECK(edited_listing[k] != listing[k]);
            CHECK(edited_listing[k].find(" xl/worksheets/sheet1.xml") != std::string::npos);
        } else {
            CHECK(edited_listing[k] == listing[k]);
            ++unchanged;
        }
    }
    CHECK(unchanged == 13);
    // Putting the original text back gives the original archive: the rewritten sheet is deflated
    // as libxlsxwriter deflates it.
    const auto back = dir.path / "back.xlsx";
    CHECK(thidua::put_exact_numbers(edited.string(), back.string(), {{{"H7", "85.74"}}}).empty());
    CHECK(read_file(back) == original);

    // Failures name the member (or the archive) and leave no output file.
    const auto out = dir.path / "out.xlsx";
    CHECK(thidua::put_exact_numbers(book.string(), out.string(), {{{"Z99", "1"}}})
          == "xl/worksheets/sheet1.xml");  // no such cell
    CHECK(thidua::put_exact_numbers(book.string(), out.string(), {{{"A1", "1"}}})
          == "xl/worksheets/sheet1.xml");  // a text cell
    CHECK(thidua::put_exact_numbers(book.string(), out.string(),
                                    std::vector<std::map<std::string, std::string>>(6))
          == "xl/worksheets/sheet6.xml");  // five sheets only
    const auto text = dir.path / "text.xlsx";
    dir.write("text.xlsx", "not a zip archive");
    CHECK(thidua::put_exact_numbers(text.string(), out.string(), {}) == "text.xlsx");
    CHECK(thidua::put_exact_numbers(book.string(), (dir.path / "missing" / "x.xlsx").string(), {})
          == "k.xlsx");
    // A damaged byte in the ranking sheet's compressed data: read back, it fails its check.
    std::string damaged = original;
    const std::string name = "xl/worksheets/sheet1.xml";
    const auto local = damaged.find(name);  // the first: the member's local header
    REQUIRE(local != std::string::npos);
    damaged[local + name.size() + 40] = static_cast<char>(damaged[local + name.size() + 40] ^ 0x55);
    dir.write("damaged.xlsx", damaged);
    CHECK(thidua::put_exact_numbers((dir.path / "damaged.xlsx").string(), out.string(),
                                    {{{"H7", "85.74"}}})
          == "xl/worksheets/sheet1.xml");
    CHECK(files_in(dir.path)
          == std::vector<std::string>{"back.xlsx", "copy.xlsx", "damaged.xlsx", "edited.xlsx",
                                      "k.xlsx", "text.xlsx"});
}

TEST_CASE("the maxima row: the caps of the bonus and deduction groups", "[xlsx][report]") {
    temp_dir dir;
    // Khối 5: bonus capped at 5, deductions capped at 5.
    const auto k5 = dir.path / "k5.xlsx";
    REQUIRE(run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", k5.string(),
                 "--lang", "vi"})
            == "exit: 0\n");
    const std::string ranking = unzip(k5, "xl/worksheets/sheet1.xml");
    CHECK(ranking.find("<c r=\"F2\" s=\"3\"><v>5</v></c><c r=\"G2\" s=\"3\"><v>5</v></c>"
                       "<c r=\"H2\" s=\"3\"><v>100</v></c>")
          != std::string::npos);
    const auto page_path = dir.path / "k5.html";
    REQUIRE(
        run({"report", khoi5, "--data", khoi5_data, "--output", page_path.string(), "--lang", "vi"})
        == "exit: 0\n");
    CHECK(read_file(page_path).find(
              "<td class=\"num\">20</td><td class=\"num\">5</td><td class=\"num\">5</td>"
              "<td class=\"num\">100</td><td></td><td></td></tr></thead>")
          != std::string::npos);
    // Two bonus groups, one without a cap: no maximum for the bonus (blank); two capped deduction
    // groups: the sum of their caps. Points without rounding (10/3) are 15 significant digits.
    dir.write("r.tdkt", uncapped_regulation);
    dir.write("d.csv", "unit,n\nA,1\nB,10\n");
    const auto book = dir.path / "r.xlsx";
    REQUIRE(run({"score", (dir.path / "r.tdkt").string(), "--data", (dir.path / "d.csv").string(),
                 "--format", "xlsx", "--output", book.string()})
            == "exit: 0\n");
    const std::string sheet = unzip(book, "xl/worksheets/sheet1.xml");
    CHECK(sheet.find("<c r=\"C2\" s=\"3\"><v>10</v></c><c r=\"E2\" s=\"3\"><v>3.75</v></c>"
                     "<c r=\"F2\" s=\"3\"><v>10</v></c>")
          != std::string::npos);
    CHECK(sheet.find("<c r=\"D2\"") == std::string::npos);
    CHECK(sheet.find("<c r=\"C3\" s=\"4\"><v>3.33333333333333</v></c>") != std::string::npos);
    CHECK(sheet.find("<c r=\"D3\" s=\"4\"><v>2.42857142857143</v></c>") != std::string::npos);
    CHECK(sheet.find("<c r=\"F4\" s=\"5\"><v>1.47619047619048</v></c>") != std::string::npos);
    const auto page = dir.path / "r.html";
    REQUIRE(run({"report", (dir.path / "r.tdkt").string(), "--data", (dir.path / "d.csv").string(),
                 "--output", page.string()})
            == "exit: 0\n");
    CHECK(read_file(page).find("<tr class=\"max\"><td></td><td>Maximum</td><td class=\"num\">10"
                               "</td><td></td><td class=\"num\">3.75</td><td class=\"num\">10</td>")
          != std::string::npos);
}

TEST_CASE("report: a ranked unit barred from awards is not headed as excluded", "[report][i18n]") {
    temp_dir dir;
    // Khối 5's Thanh tra tỉnh is ranked 2nd and ineligible for awards; Sở Nội vụ is excluded.
    const auto vi = dir.path / "vi.html";
    REQUIRE(run({"report", khoi5, "--data", khoi5_data, "--output", vi.string(), "--lang", "vi"})
            == "exit: 0\n");
    const std::string page = read_file(vi);
    for (const char* s :
         {"data-unit=\"Thanh tra tỉnh\"><summary>Hạng 2 · <strong>Thanh tra tỉnh</strong> · 97,80 "
          "điểm · không đủ điều kiện khen thưởng</summary>",
          "<summary>Không đủ điều kiện khen thưởng khi: Có vi phạm nghiêm trọng hoặc tổ chức Đảng "
          "không hoàn thành nhiệm vụ — <span class=\"fail\">áp dụng</span>",
          "<summary>Bị loại khỏi xét thi đua khi: Không nộp hồ sơ tự chấm điểm hoặc nộp sau ngày "
          "25/12/2018 — <span class=\"fail\">áp dụng</span>",
          "<summary>Bị loại khỏi xét thi đua khi: Không nộp hồ sơ tự chấm điểm hoặc nộp sau ngày "
          "25/12/2018 — <span class=\"ok\">không áp dụng</span>"}) {
        INFO(s);
        CHECK(page.find(s) != std::string::npos);
    }
    // One heading for both kinds was the confusion.
    CHECK(page.find("Điều kiện loại trừ") == std::string::npos);
    const auto en = dir.path / "en.html";
    REQUIRE(run({"report", khoi5, "--data", khoi5_data, "--output", en.string(), "--lang", "en"})
            == "exit: 0\n");
    const std::string english = read_file(en);
    for (const char* s :
         {"<strong>Thanh tra tỉnh</strong> · 97.80 points · ineligible for awards</summary>",
          "<summary>Ineligible for awards when: Có vi phạm nghiêm trọng hoặc tổ chức Đảng không "
          "hoàn thành nhiệm vụ — <span class=\"fail\">applies</span>",
          "<summary>Excluded from the ranking when: Không nộp hồ sơ tự chấm điểm hoặc nộp sau "
          "ngày 25/12/2018 — <span class=\"fail\">applies</span>"}) {
        INFO(s);
        CHECK(english.find(s) != std::string::npos);
    }
    CHECK(english.find("Knock-out") == std::string::npos);
    // The workbook's notes column tells the two apart too.
    const auto book = dir.path / "k.xlsx";
    REQUIRE(run({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output",
                 book.string(), "--lang", "vi"})
            == "exit: 0\n");
    const auto strings = shared_strings(unzip(book, "xl/sharedStrings.xml"));
    auto has = [&](const std::string& s) {
        return std::find(strings.begin(), strings.end(), xml_text(s)) != strings.end();
    };
    CHECK(
        has("không đủ điều kiện khen thưởng: Có vi phạm nghiêm trọng hoặc tổ chức Đảng không "
            "hoàn thành nhiệm vụ"));
    CHECK(
        has("bị loại khỏi xét thi đua: Không nộp hồ sơ tự chấm điểm hoặc nộp sau ngày "
            "25/12/2018"));
}
