// `thidua report REG --data PATH --output FILE --versus OLD`: the impact section
// (engine/html_versus.cpp) on the shipped drafts, in both languages, with hostile text, and the
// errors that must leave no file. The page in a real browser is tests/browser/check_report.sh.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "dsl/i18n.hpp"
#include "engine/html_report.hpp"
#include "engine/html_versus.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
namespace fs = std::filesystem;

using thidua::testing::temp_dir;

namespace {

const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string khoi5_draft = "rules/khoi5-2018/draft-2019.tdkt";
const std::string khoi5_data = "rules/khoi5-2018/data";

// The impact section of a page: from its <section> to the next one.
std::string versus_section(const std::string& page) {
    const auto from = page.find("<section id=\"versus\">");
    REQUIRE(from != std::string::npos);
    const auto to = page.find("</section>", from);
    REQUIRE(to != std::string::npos);
    return page.substr(from, to - from);
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) {
        ++n;
    }
    return n;
}

// The row of one unit in the section's table.
std::string unit_row(const std::string& section, const std::string& unit) {
    const auto from = section.find("data-unit=\"" + unit + "\"");
    REQUIRE(from != std::string::npos);
    return section.substr(from, section.find("</tr>", from) - from);
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

}  // namespace

TEST_CASE("report --versus: the 2019 draft against the 2018 guide, in Vietnamese",
          "[report][versus]") {
    temp_dir dir;
    const auto out = dir.path / "versus.html";
    REQUIRE(run({"--lang", "vi", "report", khoi5_draft, "--data", khoi5_data, "--versus", khoi5,
                 "--output", out.string()})
            == "exit: 0\n");
    const std::string page = read_file(out);
    // Listed in the contents and placed after the chart, before the awards.
    CHECK(page.find("<li><a href=\"#versus\">Tác động của thay đổi</a></li>") != std::string::npos);
    const auto chart = page.find("<section id=\"chart\">");
    const auto versus = page.find("<section id=\"versus\">");
    const auto awards = page.find("<section id=\"awards\">");
    CHECK(chart < versus);
    CHECK(versus < awards);
    const std::string s = versus_section(page);
    // Summary: the flag moves away from Văn phòng UBND tỉnh, every other total falls too.
    CHECK(s.find("<li>7 trên 8 đơn vị thay đổi điểm, 0 đơn vị thay đổi hạng, 1 đơn vị thay đổi "
                 "khen thưởng.</li>")
          != std::string::npos);
    CHECK(s.find("<strong>Cờ thi đua của UBND tỉnh</strong>: không còn được tặng: <span "
                 "class=\"loss\">▼ Văn phòng UBND tỉnh</span>")
          != std::string::npos);
    CHECK(s.find("Bằng khen của Chủ tịch UBND tỉnh: không thay đổi") != std::string::npos);
    // The warning: written criticism's new maximum changes nothing on these results.
    CHECK(s.find("Cảnh báo: các thay đổi sau không làm thay đổi gì trên số liệu kết quả này")
          != std::string::npos);
    // (The rule changes' own words are `thidua diff`'s; the labels are the regulation's.)
    CHECK(s.find("<li><a href=\"#change-5\">[5]</a> mục &quot;Bị cấp có thẩm quyền phê bình bằng "
                 "văn bản&quot;: ")
          != std::string::npos);
    // The rule changes with file:line in both regulations (an added requirement only in the new).
    CHECK(count(s, "<tr id=\"change-") == 6);
    CHECK(s.find("<code>rules/khoi5-2018/regulation.tdkt:77</code></td><td><code>rules/khoi5-2018/"
                 "draft-2019.tdkt:13</code>")
          != std::string::npos);
    CHECK(s.find("<td><code>—</code></td><td><code>rules/khoi5-2018/draft-2019.tdkt:41</code>")
          != std::string::npos);
    // Every unit has a row; the excluded one is marked unchanged.
    CHECK(count(s, "<tr class=\"versus-row ") == 8);
    CHECK(count(s, "<tr class=\"versus-row loss\"") == 7);
    CHECK(unit_row(s, "Sở Nội vụ").find("không thay đổi") != std::string::npos);
    // Văn phòng UBND tỉnh: total, Δ with sign and arrow, both criteria with their causes, the
    // award lost and why.
    const std::string vp = unit_row(s, "Văn phòng UBND tỉnh");
    CHECK(vp.find("<td class=\"num total\">104,50 → 104,00</td><td class=\"num delta\"><span "
                  "class=\"loss\">▼ −0,50</span></td>")
          != std::string::npos);
    CHECK(vp.find(" III.2 Tham gia các hoạt động của Khối: 6,00 → 5,00 <span "
                  "class=\"loss\">▼ −1,00</span> · do <a href=\"#change-2\">[2]</a> <a "
                  "href=\"#change-3\">[3]</a>")
          != std::string::npos);
    CHECK(vp.find("3,00 → 3,50 <span class=\"gain\">▲ +0,50</span> · do <a "
                  "href=\"#change-4\">[4]</a>")
          != std::string::npos);
    CHECK(
        vp.find("<span class=\"loss\">▼ khen thưởng: Cờ thi đua của UBND tỉnh → không có</span> · "
                "do <a href=\"#change-6\">[6]</a>")
        != std::string::npos);
    // Sở Tài chính loses 4 points on I.2, attributed to the band change [1].
    const std::string tc = unit_row(s, "Sở Tài chính");
    CHECK(tc.find("<span class=\"loss\">▼ −5,00</span>") != std::string::npos);
    CHECK(tc.find(" I.2 Thực hiện nhiệm vụ UBND tỉnh giao: 14,00 → 10,00 <span "
                  "class=\"loss\">▼ −4,00</span> · do <a href=\"#change-1\">[1]</a>")
          != std::string::npos);
    // The rest of the page is the draft's own report.
    CHECK(page.find("<td class=\"num total\">104,00</td>") != std::string::npos);
    // Deterministic.
    const auto again = dir.path / "again.html";
    REQUIRE(run({"--lang", "vi", "report", khoi5_draft, "--data", khoi5_data, "--versus", khoi5,
                 "--output", again.string()})
            == "exit: 0\n");
    CHECK(read_file(again) == page);
    // Without --versus there is no impact section.
    const auto plain = dir.path / "plain.html";
    REQUIRE(run({"report", khoi5_draft, "--data", khoi5_data, "--output", plain.string()})
            == "exit: 0\n");
    CHECK(read_file(plain).find("id=\"versus\"") == std::string::npos);
}

TEST_CASE("report --versus: more deduction points are a loss, subjects in the page's language",
          "[report][versus][i18n]") {
    temp_dir dir;
    const auto out = dir.path / "versus.html";
    const std::string base = "tests/data/giang-thanh/quy-che.tdkt";
    REQUIRE(run({"--lang", "vi", "report", "tests/data/giang-thanh/du-thao-phe-binh.tdkt", "--data",
                 "tests/data/giang-thanh/data", "--versus", base, "--output", out.string()})
            == "exit: 0\n");
    const std::string s = versus_section(read_file(out));
    // The deduction item grows by 1.00: the unit loses, so the arrow points down, red.
    const std::string nn = unit_row(s, "Phòng Nông nghiệp và Phát triển nông thôn");
    CHECK(nn.find("mục &quot;Bị phê bình bằng văn bản&quot;: 2,00 → 3,00 <span "
                  "class=\"loss\">▼ +1,00</span>")
          != std::string::npos);
    CHECK(nn.find("class=\"gain\"") == std::string::npos);
    // The change table names the subject in Vietnamese, as `thidua diff --lang vi` does.
    CHECK(s.find("<td>mục &quot;Bị phê bình bằng văn bản&quot; <span class=\"src\">")
          != std::string::npos);
    CHECK(s.find(">item &quot;") == std::string::npos);
}

// The lines of `thidua diff`'s text output that contain `what`, trimmed.
std::vector<std::string> diff_lines(const std::string& out, const std::string& what) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < out.size()) {
        const auto end = out.find('\n', at);
        std::string line = out.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? out.size() : end + 1;
        if (line.find(what) != std::string::npos) {
            line.erase(0, line.find_first_not_of(' '));
            lines.push_back(line);
        }
    }
    return lines;
}

// Whether `text` shows a signed zero ("+0.00", "−0.00", not "≈+0.001").
bool shows_zero_move(const std::string& text) {
    for (const std::string sign : {"+", "-", "−"}) {
        const std::string zero = sign + "0.00";
        for (auto at = text.find(zero); at != std::string::npos; at = text.find(zero, at + 1)) {
            const auto next = at + zero.size();
            if (next == text.size() || text[next] < '0' || text[next] > '9') {
                return true;
            }
        }
    }
    return false;
}

// The page escapes what it quotes with the report's escaper (tested in report_output_test.cpp).
std::string html_escaped(const std::string& text) {
    return thidua::html_escape(text);
}

TEST_CASE("report --versus: a limit that absorbed the change is said, as `thidua diff` says it",
          "[report][versus][diff]") {
    temp_dir dir;
    const auto out = dir.path / "versus.html";
    // Higher points that the maximum of III.1 and the deduction group's cap hold back
    // (tests/golden/diff/limits-absorbed*): nothing moves, and the page says why.
    const std::string base = "tests/data/giang-thanh/quy-che.tdkt";
    const std::string draft = "tests/golden/diff/limits-absorbed.tdkt";
    const std::string data = "tests/data/giang-thanh/data";
    for (const char* lang : {"en", "vi"}) {
        INFO(lang);
        REQUIRE(run({"--lang", lang, "report", draft, "--data", data, "--versus", base, "--output",
                     out.string()})
                == "exit: 0\n");
        const std::string s = versus_section(read_file(out));
        const std::string diff = run({"--lang", lang, "diff", base, draft, "--data", data});
        // The group's points did not move (5 both times): no Δ, and the cap's sentence under
        // them, word for word `thidua diff`'s.
        const std::string tnmt = unit_row(s, "Phòng Tài nguyên và Môi trường");
        // Numbers for people: a decimal comma in Vietnamese (docs/i18n.md).
        const auto dec = [&](std::string text) {
            if (std::string_view(lang) == "vi") {
                std::replace(text.begin(), text.end(), '.', ',');
            }
            return text;
        };
        const auto cap = diff_lines(diff, dec("8.00 → 12.00, "));
        REQUIRE(cap.size() == 1);
        CHECK(tnmt.find(dec("5.00 → 5.00 · ")) != std::string::npos);
        CHECK(tnmt.find("<div class=\"src limit\">" + html_escaped(cap.front()) + "</div>")
              != std::string::npos);
        // A criterion held at its maximum: the unit's row is not marked unchanged.
        const std::string tt = unit_row(s, "Thanh tra huyện");
        const auto maximum = diff_lines(diff, dec("16.00 → 20.00, "));
        REQUIRE(maximum.size() == 1);
        CHECK(tt.find(dec("10.00 → 10.00 · ")) != std::string::npos);
        CHECK(tt.find("<div class=\"src limit\">" + html_escaped(maximum.front()) + "</div>")
              != std::string::npos);
        CHECK(s.find("<tr class=\"versus-row same\" data-unit=\"Thanh tra huyện\">")
              != std::string::npos);
        // The warning names the units whose points a limit held, as diff's does.
        for (const char* ref : {"[1] ", "[2] "}) {
            const auto warning = diff_lines(diff, ref);
            REQUIRE(!warning.empty());
            const std::string tail = warning.back().substr(warning.back().rfind(" ("));
            INFO(tail);
            CHECK(s.find(html_escaped(tail) + "</li>") != std::string::npos);
        }
    }
    const std::string s = versus_section(read_file(out));
    CHECK(
        s.find("<div class=\"src limit\">tổng các mục 8,00 → 12,00, bị chặn ở 5 ở cả hai quy định "
               "(điểm tối đa của nhóm, tests/data/giang-thanh/quy-che.tdkt:70): điểm tối đa của "
               "nhóm đã hấp thụ thay đổi</div>")
        != std::string::npos);
    CHECK(s.find("(bị giới hạn điểm hấp thụ ở Phòng Tài nguyên và Môi trường)</li>")
          != std::string::npos);
}

TEST_CASE("report --versus: a threshold crossed is said with the unit's value",
          "[report][versus][diff]") {
    temp_dir dir;
    const auto out = dir.path / "threshold.html";
    const std::string base = "tests/data/diff-threshold/quy-che.tdkt";
    const std::string draft = "tests/data/diff-threshold/du-thao.tdkt";
    const std::string data = "tests/data/diff-threshold/data";
    REQUIRE(run({"report", draft, "--data", data, "--versus", base, "--output", out.string(),
                 "--lang", "en"})
            == "exit: 0\n");
    const std::string s = versus_section(read_file(out));
    const std::string ab = unit_row(s, "Xã An Bình");
    // Under each criterion, the value read from the traces of both regulations, with a link to
    // the change; the same sentence as `thidua diff` ("[1] tỷ_lệ = 82%: ...").
    CHECK(ab.find("criterion I.1 Giải quyết hồ sơ đúng hạn: 10.00 → 5.00 <span class=\"loss\">▼ "
                  "−5.00</span> · because of <a href=\"#change-1\">[1]</a><div class=\"src "
                  "crossing\"><a href=\"#change-1\">[1]</a> tỷ_lệ = 82%: met the old threshold, "
                  "not the new one</div></li>")
          != std::string::npos);
    CHECK(ab.find("<div class=\"src crossing\"><a href=\"#change-2\">[2]</a> sáng_kiến = 2: "
                  "meets the new threshold, not the old one</div>")
          != std::string::npos);
    const std::string diff = run({"--lang", "en", "diff", base, draft, "--data", data});
    for (const auto& line : diff_lines(diff, "threshold, not the")) {
        INFO(line);
        CHECK(ab.find(html_escaped(line.substr(line.find(' ') + 1)) + "</div>")
              != std::string::npos);
    }
    // Units whose values stay on the same side say nothing about thresholds.
    CHECK(unit_row(s, "Xã Bình Minh").find("threshold") == std::string::npos);
    // In Vietnamese, the same facts in diff --lang vi's words.
    REQUIRE(run({"--lang", "vi", "report", draft, "--data", data, "--versus", base, "--output",
                 out.string()})
            == "exit: 0\n");
    CHECK(versus_section(read_file(out))
              .find("<a href=\"#change-1\">[1]</a> tỷ_lệ = 82%: đạt ngưỡng cũ, không đạt ngưỡng "
                    "mới</div>")
          != std::string::npos);
}

TEST_CASE("report --versus and diff: a move smaller than the decimals shown is not ±0.00",
          "[report][versus][diff]") {
    temp_dir dir;
    // New reads another column: A moves up by 0.0009 (93.9195 → 93.9204), B down by 0.0009 from
    // a value exact at two decimals (93.92 → 93.9191), C not at all.
    const std::string body = R"(
    input { a: number  b: number }
    section I "Work" max 100 {
        criterion I.1 "Result" max 100 { points = %s }
    }
}
)";
    auto regulation = [&](const std::string& title, const std::string& field) {
        std::string text = "regulation \"" + title + "\" {\n    scale 100" + body;
        text.replace(text.find("%s"), 2, field);
        return text;
    };
    // (Each regulation reads both fields, so that neither warns about an unused one.)
    write(dir.path / "old.tdkt", regulation("Old", "a + 0 * b"));
    write(dir.path / "new.tdkt", regulation("New", "b + 0 * a"));
    write(dir.path / "units.csv", "unit,a,b\nA,93.9195,93.9204\nB,93.92,93.9191\nC,50,50\n");
    const auto old_reg = (dir.path / "old.tdkt").string();
    const auto new_reg = (dir.path / "new.tdkt").string();
    const auto data = (dir.path / "units.csv").string();

    const std::string diff = run({"--lang", "en", "diff", old_reg, new_reg, "--data", data});
    INFO(diff);
    CHECK(diff.find("exit: 0") != std::string::npos);
    CHECK(!shows_zero_move(diff));
    // Told apart, with one number of decimals on both sides of the arrow.
    CHECK(diff.find("93.9195 → 93.9204 (≈+0.001)") != std::string::npos);
    CHECK(diff.find("criterion I.1: 93.9195 → 93.9204 (≈+0.001)   because [1]")
          != std::string::npos);
    CHECK(diff.find("93.920 → ≈93.919 (≈-0.001)") != std::string::npos);
    CHECK(diff.find("93.92 → ") == std::string::npos);

    const auto out = dir.path / "r.html";
    REQUIRE(run({"report", new_reg, "--data", data, "--versus", old_reg, "--output", out.string(),
                 "--lang", "en"})
            == "exit: 0\n");
    const std::string s = versus_section(read_file(out));
    CHECK(!shows_zero_move(s));
    CHECK(unit_row(s, "A").find("<td class=\"num total\">93.9195 → 93.9204</td><td class=\"num "
                                "delta\"><span class=\"gain\">▲ ≈+0.001</span></td>")
          != std::string::npos);
    CHECK(unit_row(s, "A").find("Result: 93.9195 → 93.9204 <span class=\"gain\">▲ ≈+0.001</span>")
          != std::string::npos);
    CHECK(unit_row(s, "B").find("<td class=\"num total\">93.920 → ≈93.919</td><td class=\"num "
                                "delta\"><span class=\"loss\">▼ ≈−0.001</span></td>")
          != std::string::npos);
    CHECK(unit_row(s, "C").find("<td class=\"num total\">50.00</td><td class=\"num delta\"></td>")
          != std::string::npos);
}

TEST_CASE("no Vietnamese message calls an award a danh hiệu", "[i18n][versus]") {
    // Bằng khen and Giấy khen are hình thức khen thưởng, not titles (docs/i18n.md's glossary):
    // an award tier is `khen thưởng` in every message.
    std::size_t n = 0;
    const auto* entries = thidua::message_catalogue(n);
    REQUIRE(n > 0);
    for (std::size_t i = 0; i < n; ++i) {
        INFO(entries[i].key);
        CHECK(entries[i].vi.find("danh hiệu") == std::string_view::npos);
    }
    const thidua::scoped_language guard(thidua::language::vi);
    CHECK(thidua::tr(thidua::msg::E135_award_twice, fmt::arg("id", "bang_khen"))
          == "khen thưởng `bang_khen` được khai báo hai lần");
    CHECK(thidua::tr(thidua::msg::E412_no_award, fmt::arg("id", "x"), fmt::arg("awards", "co"),
                     fmt::arg("hint", ""))
          == "quy định không có khen thưởng `x` (các hình thức khen thưởng: co)");
}

TEST_CASE("report --versus: the other way round, in English, OLD may be the amendment",
          "[report][versus][i18n]") {
    temp_dir dir;
    const auto out = dir.path / "back.html";
    REQUIRE(run({"report", khoi5, "--data", khoi5_data, "--versus", khoi5_draft, "--output",
                 out.string(), "--lang", "en"})
            == "exit: 0\n");
    const std::string page = read_file(out);
    const std::string s = versus_section(page);
    for (const char* text :
         {"<h2>Impact of the change</h2>", "<h3>Summary</h3>", "<h3>Changes to the regulation</h3>",
          "<h3>Unit by unit</h3>", "<th>What changed, and why</th>",
          "<li>7 of 8 units change score, 0 change rank, 1 change award.</li>",
          "<strong>Cờ thi đua của UBND tỉnh</strong>: newly given: <span class=\"gain\">▲ Văn "
          "phòng UBND tỉnh</span>",
          "Warning: this change changes nothing on these results",
          "<td class=\"num total\">104.00 → 104.50</td><td class=\"num delta\"><span "
          "class=\"gain\">▲ +0.50</span></td>",
          "because of <a href=\"#change-"}) {
        INFO(text);
        CHECK(s.find(text) != std::string::npos);
    }
    CHECK(count(s, "<tr class=\"versus-row gain\"") == 7);
    // None of the section's Vietnamese phrases is left.
    for (const char* text : {"Tác động", "Tóm tắt", "được tặng", "Cảnh báo", "Từng đơn vị",
                             "không thay đổi", " do <a"}) {
        INFO(text);
        CHECK(s.find(text) == std::string::npos);
    }
}

TEST_CASE("report --versus: the Tiền Giang 2023 draft", "[report][versus]") {
    temp_dir dir;
    const auto out = dir.path / "tg.html";
    REQUIRE(run({"report", "rules/tiengiang-tnmt-2022/draft-2023.tdkt", "--data",
                 "rules/tiengiang-tnmt-2022/data", "--versus",
                 "rules/tiengiang-tnmt-2022/regulation.tdkt", "--output", out.string()})
            == "exit: 0\n");
    const std::string s = versus_section(read_file(out));
    // As many unit rows as `thidua diff` has units, and as many rule changes.
    const std::string diff = run({"diff", "rules/tiengiang-tnmt-2022/regulation.tdkt",
                                  "rules/tiengiang-tnmt-2022/draft-2023.tdkt", "--data",
                                  "rules/tiengiang-tnmt-2022/data", "--format", "json"});
    CHECK(count(s, "<tr class=\"versus-row ") == count(diff, "\"name\": "));
    CHECK(count(s, "<tr id=\"change-") == count(diff, "\"aspect\": "));
    CHECK(count(s, "<tr id=\"change-") > 0);
    // Thị xã Cai Lậy loses 20 bonus points (the cap) but moves up to the Bằng khen (the wider
    // quota): marked as both.
    const std::string cl = unit_row(s, "Phòng TN&amp;MT thị xã Cai Lậy");
    CHECK(cl.rfind("data-unit", 0) == 0);
    CHECK(s.find("<tr class=\"versus-row mixed\" data-unit=\"Phòng TN&amp;MT thị xã Cai Lậy\">")
          != std::string::npos);
    CHECK(cl.find("<li>bonus &quot;Điểm cộng&quot;: 80.00 → 60.00 <span class=\"loss\">▼ "
                  "−20.00</span> · because of <a href=\"#change-1\">[1]</a></li>")
          != std::string::npos);
    CHECK(cl.find("<span class=\"gain\">▲ award: Giấy khen") != std::string::npos);
    // Gò Công Đông becomes ineligible under the new knock-out: a loss without a point lost.
    CHECK(s.find("<tr class=\"versus-row loss\" data-unit=\"Phòng TN&amp;MT huyện Gò Công "
                 "Đông\">")
          != std::string::npos);
    CHECK(s.find("<span class=\"loss\">▼ status: ranked → ineligible for awards</span> · "
                 "because of <a href=\"#change-2\">[2]</a>")
          != std::string::npos);
}

TEST_CASE("html_versus escapes every text from the regulations, the data and the diff",
          "[report][versus]") {
    const thidua::scoped_language guard(thidua::language::en);
    thidua::regulation_diff d;
    d.old_path = "old<1>.tdkt";
    d.new_path = "new\"2\".tdkt";
    d.old_title = "<script>alert(1)</script>";
    d.new_title = "A & B";
    thidua::rule_change c;
    c.subject = "criterion <I.1>";
    c.description = "formula `a < b` → `a > b`";
    c.old_position = "old<1>.tdkt:3";
    c.new_position = "new\"2\".tdkt:4";
    d.changes.push_back(c);
    thidua::rule_change unused;
    unused.what = thidua::rule_change::kind::added;
    unused.subject = "input <x>";
    unused.description = "added";
    unused.new_position = "new\"2\".tdkt:9";
    d.changes.push_back(unused);
    thidua::dataset_difference ds;
    ds.data = "data";
    thidua::unit_difference u;
    u.name = "' onmouseover='alert(4)' x='";
    u.old_side = {true, "ranked", thidua::number(80), "2", "", "", {}};
    u.new_side = {true, "ranked", thidua::number(90), "1", "top", "<b>Top</b>", {}};
    u.score_changed = u.rank_changed = u.award_changed = true;
    u.points.push_back(
        {"criterion <I.1>", "<i>label</i>", thidua::number(1), thidua::number(11), {0}});
    u.rank_causes = {};
    u.award_causes = {0};
    u.award_reason = "top: given <now>";
    ds.units.push_back(u);
    thidua::unit_difference gone;
    gone.name = "Sở \"Tư pháp\" & <Nội vụ>";
    gone.old_side = {true, "ranked", thidua::number(70), "3", "", "", {}};
    gone.new_side = {};  // not in the data any more
    ds.units.push_back(gone);
    ds.awards.push_back({"top", "<b>Top</b>", {u.name}, {}});
    ds.no_effect = {1};
    d.datasets.push_back(ds);

    const auto section = thidua::html_versus(d);
    CHECK(section.id == "versus");
    CHECK(section.title == "Impact of the change");
    const std::string& b = section.body;
    for (const char* raw : {"<script", "<I.1>", "<i>", "<b>", "a < b", "' onmouseover", "<now>",
                            "<Nội vụ>", "old<1>", "new\"2\"", "<x>"}) {
        INFO(raw);
        CHECK(b.find(raw) == std::string::npos);
    }
    CHECK(b.find("Compared with &lt;script&gt;alert(1)&lt;/script&gt; (old&lt;1&gt;.tdkt)")
          != std::string::npos);
    CHECK(b.find("data-unit=\"&#39; onmouseover=&#39;alert(4)&#39; x=&#39;\"")
          != std::string::npos);
    CHECK(b.find("criterion &lt;I.1&gt; &lt;i&gt;label&lt;/i&gt;: 1.00 → 11.00 <span "
                 "class=\"gain\">▲ +10.00</span> · because of <a href=\"#change-1\">[1]</a>")
          != std::string::npos);
    CHECK(b.find("<span class=\"gain\">▲ 2 → 1</span>") != std::string::npos);
    CHECK(b.find("<span class=\"gain\">▲ none → &lt;b&gt;Top&lt;/b&gt;</span>")
          != std::string::npos);
    CHECK(b.find("rank 2 → 1</span> · <span class=\"src\">the totals moved</span>")
          != std::string::npos);
    CHECK(b.find("<div class=\"src\">top: given &lt;now&gt;</div>") != std::string::npos);
    CHECK(b.find("<strong>&lt;b&gt;Top&lt;/b&gt;</strong>: newly given: <span class=\"gain\">▲ "
                 "&#39; onmouseover")
          != std::string::npos);
    CHECK(b.find("<li><a href=\"#change-2\">[2]</a> input &lt;x&gt;: added</li>")
          != std::string::npos);
    CHECK(b.find("input &lt;x&gt; <span class=\"src\">(added)</span>") != std::string::npos);
    CHECK(b.find("<code>old&lt;1&gt;.tdkt:3</code></td><td><code>new&quot;2&quot;.tdkt:4</code>")
          != std::string::npos);
    // The unit that left the data: named as text, its new side said in words.
    CHECK(b.find("data-unit=\"Sở &quot;Tư pháp&quot; &amp; &lt;Nội vụ&gt;\"") != std::string::npos);
    CHECK(b.find("70.00 → not in the results") != std::string::npos);
}

TEST_CASE("report --versus: an OLD that cannot be used gives diagnostics and no file",
          "[report][versus]") {
    temp_dir dir;
    const auto out = dir.path / "report.html";
    // Not there: a usage error.
    const auto missing = run({"report", khoi5, "--data", khoi5_data, "--versus",
                              "rules/khoi5-2018/nothing.tdkt", "--output", out.string()});
    CHECK(missing.find("thidua: rules/khoi5-2018/nothing.tdkt: ") != std::string::npos);
    CHECK(missing.find("thidua: the regulation to compare with (--versus "
                       "rules/khoi5-2018/nothing.tdkt) cannot be used; nothing was written")
          != std::string::npos);
    CHECK(missing.find("exit: 2") != std::string::npos);
    CHECK(!fs::exists(out));
    // Errors in OLD: file:line:column, exit 1.
    const auto broken = dir.path / "broken.tdkt";
    write(broken,
          "regulation \"x\" {\n    section I \"a\" max 10 {\n        criterion I.1 \"b\" "
          "max 10 { points = nope }\n    }\n}\n");
    const auto bad = run({"report", khoi5, "--data", khoi5_data, "--versus", broken.string(),
                          "--output", out.string()});
    CHECK(bad.find(broken.string() + ":3:") != std::string::npos);
    CHECK(bad.find("error[") != std::string::npos);
    CHECK(bad.find("exit: 1") != std::string::npos);
    CHECK(!fs::exists(out));
    // OLD checks but fails to score these results (an amendment that divides by zero).
    const auto divzero = dir.path / "divzero.tdkt";
    write(divzero, "amends \"" + (fs::path(THIDUA_SOURCE_DIR) / khoi5).string()
                       + "\"\nregulation \"Chia cho 0\" {\n    replace criterion I.2 \"Thực hiện "
                         "nhiệm vụ UBND tỉnh giao\" max 20 {\n        points = tasks_on_time / "
                         "(tasks_assigned - tasks_assigned)\n    }\n}\n");
    const auto fails = run({"--lang", "vi", "report", khoi5, "--data", khoi5_data, "--versus",
                            divzero.string(), "--output", out.string()});
    CHECK(fails.find(divzero.string() + ":4:18: lỗi[E301]") != std::string::npos);
    CHECK(fails.find("thidua: không dùng được quy định để so sánh (--versus " + divzero.string()
                     + "); chưa ghi tệp nào")
          != std::string::npos);
    CHECK(fails.find("exit: 1") != std::string::npos);
    CHECK(!fs::exists(out));
    // An existing file is left as it was.
    write(out, "before");
    CHECK(run({"report", khoi5, "--data", khoi5_data, "--versus", broken.string(), "--output",
               out.string()})
              .find("exit: 1")
          != std::string::npos);
    CHECK(read_file(out) == "before");
}
