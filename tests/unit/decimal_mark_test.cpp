// Numbers written for people take the decimal comma in Vietnamese (`--lang vi`, or `--decimal
// comma`), and the point in English; numbers for machines (JSON values, CSV cells) and numbers
// inside a formula of the regulation's syntax keep the point (docs/i18n.md).
#include <catch2/catch.hpp>
#include <regex>
#include <string>

#include "cli_runner.hpp"

using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string khoi5_data = "rules/khoi5-2018/data";
const std::string tiengiang = "rules/tiengiang-tnmt-2022/regulation.tdkt";
const std::string tiengiang_data = "rules/tiengiang-tnmt-2022/data";

}  // namespace

TEST_CASE("decimal mark: the score table follows the language, --decimal overrides it",
          "[cli][decimal]") {
    const std::string vi = run({"--lang", "vi", "score", khoi5, "--data", khoi5_data});
    CHECK(vi.find("104,50") != std::string::npos);
    CHECK(vi.find("104.50") == std::string::npos);
    // No number of the table keeps a point between digits.
    CHECK_FALSE(std::regex_search(vi, std::regex("[0-9]\\.[0-9]{2}\\b")));
    const std::string en = run({"--lang", "en", "score", khoi5, "--data", khoi5_data});
    CHECK(en.find("104.50") != std::string::npos);
    CHECK(en.find("104,50") == std::string::npos);
    // Either way round, accepted before or after the command.
    CHECK(run({"--lang", "vi", "--decimal", "point", "score", khoi5, "--data", khoi5_data})
              .find("104.50")
          != std::string::npos);
    CHECK(run({"score", khoi5, "--data", khoi5_data, "--decimal", "comma"}).find("104,50")
          != std::string::npos);
    const std::string bad = run({"--decimal", "dash", "score", khoi5, "--data", khoi5_data});
    CHECK(bad.find("--decimal") != std::string::npos);
    CHECK(bad.find("exit: 2\n") != std::string::npos);
}

TEST_CASE("decimal mark: dot and point name the same mark in every option", "[cli][decimal]") {
    // --decimal says point, --numbers and --csv-numbers say dot: each accepts the other word.
    CHECK(run({"--lang", "vi", "--decimal", "dot", "score", khoi5, "--data", khoi5_data})
          == run({"--lang", "vi", "--decimal", "point", "score", khoi5, "--data", khoi5_data}));
    const std::string by_point = run({"score", khoi5, "--data", khoi5_data, "--numbers", "point"});
    CHECK(by_point.find("exit: 0\n") != std::string::npos);
    CHECK(by_point == run({"score", khoi5, "--data", khoi5_data, "--numbers", "dot"}));
    CHECK(
        run({"score", khoi5, "--data", khoi5_data, "--format", "csv", "--csv-numbers", "point"})
        == run({"score", khoi5, "--data", khoi5_data, "--format", "csv", "--csv-numbers", "dot"}));
}

TEST_CASE("decimal mark: JSON values keep the point, its sentences follow the language",
          "[cli][decimal]") {
    const std::string json =
        run({"--lang", "vi", "score", khoi5, "--data", khoi5_data, "--format", "json"});
    CHECK(json.find("\"total\": \"104.50\"") != std::string::npos);
    CHECK(json.find("\"total\": \"104,50\"") == std::string::npos);
    CHECK(json.find("exit: 0\n") != std::string::npos);
}

TEST_CASE("decimal mark: a CSV file's notes have the decimal mark of its number cells",
          "[cli][decimal]") {
    // Trial 11: with --csv-numbers comma the cells read 1027,00 and the notes 1000.00.
    const std::string point =
        run({"--lang", "vi", "score", khoi5, "--data", khoi5_data, "--format", "csv"});
    const std::string comma = run({"--lang", "en", "score", khoi5, "--data", khoi5_data, "--format",
                                   "csv", "--csv-numbers", "comma"});
    const std::regex self_score_note("self-score|tự chấm");
    REQUIRE(std::regex_search(point, self_score_note));
    REQUIRE(std::regex_search(comma, self_score_note));
    // Default CSV: cells and notes with a point, even in Vietnamese.
    CHECK(std::regex_search(point, std::regex("tự chấm [0-9]+\\.[0-9]{2}")));
    CHECK_FALSE(std::regex_search(point, std::regex("tự chấm [0-9]+,[0-9]{2}")));
    // --csv-numbers comma: cells and notes with a comma, even in English.
    CHECK(std::regex_search(comma, std::regex("self-score [0-9]+,[0-9]{2}")));
    CHECK_FALSE(std::regex_search(comma, std::regex("self-score [0-9]+\\.[0-9]{2}")));
}

TEST_CASE("decimal mark: explanations keep the regulation's notation in formulas",
          "[cli][decimal][explain]") {
    const std::string vi = run({"--lang", "vi", "explain", tiengiang, "--data", tiengiang_data,
                                "--unit", "Phòng TN&MT huyện Châu Thành"});
    // A formula with its values is written as the regulation writes numbers...
    CHECK(vi.find("25 * min(1.65 / 1.5, 1) = 25") != std::string::npos);
    // ... the results, maxima and intervals for people with the comma and `[0; max]`.
    CHECK(vi.find("kết quả: tính được 99,25 điểm, làm tròn thành 99,20") != std::string::npos);
    CHECK(vi.find("kết quả: 30,00 (trong khoảng [0; 30])") != std::string::npos);
    CHECK(vi.find("1011,00 điểm") != std::string::npos);
    const std::string en = run({"--lang", "en", "explain", tiengiang, "--data", tiengiang_data,
                                "--unit", "Phòng TN&MT huyện Châu Thành"});
    CHECK(en.find("result: computed 99.25, rounded to 99.20") != std::string::npos);
    CHECK(en.find("(within [0, 30])") != std::string::npos);
}

TEST_CASE("decimal mark: the board's documents in Vietnamese", "[cli][decimal][report]") {
    temp_dir dir;
    const auto page = dir.path / "r.html";
    REQUIRE(run({"--lang", "vi", "report", khoi5, "--data", khoi5_data, "--output", page.string()})
            == "exit: 0\n");
    const std::string html = thidua::testing::read_file(page);
    CHECK(html.find("<td class=\"num total\">104,50</td>") != std::string::npos);
    CHECK(html.find("<td class=\"num total\">104.50</td>") == std::string::npos);
    const auto book = dir.path / "b.xlsx";
    REQUIRE(run({"--lang", "vi", "score", khoi5, "--data", khoi5_data, "--format", "xlsx",
                 "--output", book.string()})
            == "exit: 0\n");
    // Number cells stay numbers (Excel shows them in the reader's locale); only texts change.
    const std::string sheet = thidua::testing::unzip(book, "xl/worksheets/sheet1.xml");
    CHECK(sheet.find("<v>104.5</v>") != std::string::npos);
}
