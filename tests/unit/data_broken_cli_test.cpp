// Broken results files as a new user makes them (tests/data/broken/khoi5-*: an export with a
// second header, a trailing JSON comma, a decimal comma in a comma-separated file, ...), run
// through `thidua score --output` on the khoi5-2018 regulation: each one exits 1, names every
// error as file:line:column, and writes no output file. Their messages are pinned by the goldens
// tests/golden/score/data-khoi5-*.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <sstream>

#include "cli_runner.hpp"

using thidua::testing::files_in;
using thidua::testing::run;
using thidua::testing::temp_dir;
namespace fs = std::filesystem;

TEST_CASE("broken khoi5 results: exit 1, file:line:column, no output file") {
    std::vector<std::string> cases;
    for (const auto& e :
         fs::directory_iterator(fs::path(THIDUA_SOURCE_DIR) / "tests" / "data" / "broken")) {
        const auto name = e.path().filename().string();
        // khoi5-bom-twice is the one that loads: two byte order marks are no error.
        if (name.rfind("khoi5-", 0) == 0 && name != "khoi5-bom-twice") {
            cases.push_back("tests/data/broken/" + name);
        }
    }
    std::sort(cases.begin(), cases.end());
    REQUIRE(cases.size() >= 13);
    const std::regex located(
        R"(^tests/data/broken/khoi5-[^:]+:[0-9]+:[0-9]+: error\[E2[0-9][0-9]\]: )");
    for (const auto& data : cases) {
        DYNAMIC_SECTION(data) {
            temp_dir dir;
            const auto out = (dir.path / "ranking.csv").string();
            const std::string got =
                run({"score", "rules/khoi5-2018/regulation.tdkt", "--data", data, "--output", out});
            CHECK(got.size() >= 8);
            CHECK(got.substr(got.size() - 8) == "exit: 1\n");
            CHECK(files_in(dir.path).empty());
            std::istringstream lines(got);
            std::string line;
            std::size_t errors = 0;
            while (std::getline(lines, line)) {
                if (line.find("error[") != std::string::npos) {
                    ++errors;
                    INFO(line);
                    CHECK(std::regex_search(line, located));
                }
            }
            CHECK(errors >= 1);
        }
    }
}
