// The results loader's warnings (W201, W202) reach the outputs a board reads, not only stderr:
// the top-level "warnings" array of `score --format json` and `explain --format json`, and a
// notice at the top of `thidua report`. tests/data/warnings triggers both warnings; the shipped
// examples trigger none.
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "dsl/diagnostic.hpp"
#include "engine/report.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

const std::string regulation = "tests/golden/score/vi-data-errors.tdkt";
const std::string warned = "tests/data/warnings";
const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string khoi5_data = "rules/khoi5-2018/data";

// The JSON document that `run` printed before the diagnostics on stderr and the exit line.
nlohmann::json json_of(const std::string& out) {
    const auto end = out.find("\n}\n");
    REQUIRE(end != std::string::npos);
    return nlohmann::json::parse(out.substr(0, end + 2));
}

}  // namespace

TEST_CASE("data_warnings: the warnings of a load, with file, line and column", "[warnings]") {
    using namespace thidua;
    const auto file = std::make_shared<source_file>("kq/units.csv", "unit,x\nSở A,1.200\n");
    diagnostics diags;
    diags.warning("W201", nullptr, {}, "kq/extra.csv: file not used");
    diags.error("E220", file, {7, 11}, "an error is not a warning");
    // "1.200" starts at byte 14, on line 2: column 6 in characters ("ở" is 3 bytes, 1 letter).
    diags.warning("W202", file, {14, 19}, "`1.200` was read as 1.2");
    const auto w = data_warnings(diags);
    REQUIRE(w.size() == 2);
    CHECK(w[0].code == "W201");
    CHECK(w[0].file.empty());
    CHECK(w[0].line == 0);
    CHECK(w[0].column == 0);
    CHECK(warning_position(w[0]).empty());
    CHECK(w[1].code == "W202");
    CHECK(w[1].file == "kq/units.csv");
    CHECK(w[1].line == 2);
    CHECK(w[1].column == 6);
    CHECK(w[1].message == "`1.200` was read as 1.2");
    CHECK(warning_position(w[1]) == "kq/units.csv:2:6");
    CHECK(data_warnings(diagnostics{}).empty());
}

TEST_CASE("score --format json carries the results' warnings", "[warnings]") {
    const auto out = run({"score", regulation, "--data", warned, "--format", "json"});
    CHECK(out.find("exit: 0") != std::string::npos);
    const auto doc = json_of(out);
    REQUIRE(doc.contains("warnings"));
    const auto& w = doc["warnings"];
    REQUIRE(w.size() == 2);
    CHECK(w[0]["code"] == "W201");
    CHECK(w[0]["file"].is_null());
    CHECK(w[0]["line"].is_null());
    CHECK(w[0]["column"].is_null());
    CHECK(w[0]["message"].get<std::string>().find("ghi-chu.csv") != std::string::npos);
    CHECK(w[1]["code"] == "W202");
    CHECK(w[1]["file"] == "tests/data/warnings/indicators.csv");
    CHECK(w[1]["line"] == 2);
    CHECK(w[1]["column"] == 20);
    CHECK(w[1]["message"].get<std::string>().find("`1.200` was read as 1.2") != std::string::npos);
    // Still printed on stderr, and the output is the same run after run.
    CHECK(out.find("indicators.csv:2:20: warning[W202]") != std::string::npos);
    CHECK(run({"score", regulation, "--data", warned, "--format", "json"}) == out);
    // Results without warnings: an empty array, not a missing key.
    const auto clean = json_of(run({"score", khoi5, "--data", khoi5_data, "--format", "json"}));
    REQUIRE(clean.contains("warnings"));
    CHECK(clean["warnings"].is_array());
    CHECK(clean["warnings"].empty());
}

TEST_CASE("explain --format json carries the results' warnings", "[warnings]") {
    const auto doc = json_of(
        run({"explain", regulation, "--data", warned, "--unit", "Sở A", "--format", "json"}));
    REQUIRE(doc["warnings"].size() == 2);
    CHECK(doc["warnings"][1]["code"] == "W202");
    CHECK(doc["warnings"][1]["line"] == 2);
    const auto versus = json_of(run({"explain", regulation, "--data", warned, "--unit", "Sở A",
                                     "--versus", "Sở B", "--format", "json"}));
    CHECK(versus["warnings"].size() == 2);
    const auto clean = json_of(
        run({"explain", khoi5, "--data", khoi5_data, "--unit", "Sở Tư pháp", "--format", "json"}));
    CHECK(clean["warnings"].empty());
}

TEST_CASE("report: a notice of the results' warnings at the top of the page", "[warnings]") {
    temp_dir dir;
    const auto out = dir.path / "warned.html";
    const auto result = run({"report", regulation, "--data", warned, "--output", out.string()});
    CHECK(result.find("exit: 0") != std::string::npos);
    const std::string page = read_file(out);
    const auto notice = page.find("<div class=\"warnings\" id=\"data-warnings\"");
    REQUIRE(notice != std::string::npos);
    // Above the contents and the ranking: nobody scrolls past it.
    CHECK(notice < page.find("<nav>"));
    CHECK(notice < page.find("<section id=\"ranking\">"));
    for (const char* s :
         {"<h2>Warnings about the results</h2>",
          "<li><code>tests/data/warnings/indicators.csv:2:20</code>: warning[W202]: field "
          "`indicators.target` of unit `Sở A`: `1.200` was read as 1.2",
          "<li>warning[W201]: tests/data/warnings/ghi-chu.csv: file not used"}) {
        INFO(s);
        CHECK(page.find(s) != std::string::npos);
    }
    // In Vietnamese too.
    const auto vi = dir.path / "vi.html";
    REQUIRE(run({"report", regulation, "--data", warned, "--output", vi.string(), "--lang", "vi"})
                .find("exit: 0")
            != std::string::npos);
    const std::string vi_page = read_file(vi);
    CHECK(vi_page.find("<h2>Cảnh báo về số liệu kết quả</h2>") != std::string::npos);
    CHECK(vi_page.find("<code>tests/data/warnings/indicators.csv:2:20</code>: cảnh báo[W202]")
          != std::string::npos);
    // No warnings, no notice.
    const auto clean = dir.path / "khoi5.html";
    REQUIRE(run({"report", khoi5, "--data", khoi5_data, "--output", clean.string()})
            == "exit: 0\n");
    const std::string clean_page = read_file(clean);
    CHECK(clean_page.find("data-warnings") == std::string::npos);
    CHECK(clean_page.find("<h2>Warnings about the results</h2>") == std::string::npos);
}
