// A test's `data` is reported as `score` reports results (trial 11): the units file's errors
// before those of its list files, which they cause (an E217 after the units.csv row that lost
// the unit), whatever the files' names; and W204 (a repeated row) in a test's data is fatal with
// `thidua test --strict`, as the other results warnings are.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "dsl/diagnostic.hpp"
#include "engine/data.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

// A regulation with an `indicators` list, as the golden data tests use it.
const std::string regulation_file =
    std::string(THIDUA_SOURCE_DIR) + "/tests/golden/score/vi-data-errors.tdkt";

const std::string units_header = "unit,tasks,party,dossier_date,violation,self_score\n";
const std::string list_header = "unit,name,target,actual\n";

// A folder with the regulation, `data/` and a tests file whose one test reads it.
void write_case(const temp_dir& dir, const std::string& units, const std::string& list) {
    dir.write("reg.tdkt", read_file(regulation_file));
    std::filesystem::create_directory(dir.path / "data");
    dir.write("data/units.csv", units);
    dir.write("data/indicators.csv", list);
    dir.write("reg.test.tdkt",
              "tests for \"reg.tdkt\"\n\n"
              "test \"data\" {\n"
              "    data \"data/\"\n"
              "    expect \"Sở A\" total == 60\n"
              "}\n");
}

std::size_t at(const std::string& out, const std::string& what) {
    const auto p = out.find(what);
    INFO(what);
    CHECK(p != std::string::npos);
    return p;
}

}  // namespace

TEST_CASE("data order: a test's data errors come units file first, as for score", "[data][order]") {
    temp_dir dir;
    // Row 3 of units.csv cannot be used (a tab in the name): the rows of indicators.csv for
    // `Sở B` then name an unknown unit (E217), which sorts before units.csv by name.
    write_case(dir,
               units_header + "Sở A,30,xs,2018-12-20,false,80\nSở\tB,30,xs,2018-12-20,false,80\n",
               list_header + "Sở A,a,100,50\nSở B,a,100,50\n");
    const std::string units = (dir.path / "data/units.csv").string();
    const std::string list = (dir.path / "data/indicators.csv").string();
    const auto test = run({"test", (dir.path / "reg.test.tdkt").string()});
    INFO(test);
    CHECK(at(test, units + ":3:1: error[E231]") < at(test, list + ":3:1: error[E217]"));
    CHECK(test.find("exit: 2\n") != std::string::npos);
    // `score` on the same data: the same order, the same diagnostics.
    const auto score =
        run({"score", (dir.path / "reg.tdkt").string(), "--data", (dir.path / "data").string()});
    INFO(score);
    CHECK(at(score, units + ":3:1: error[E231]") < at(score, list + ":3:1: error[E217]"));

    // The library function: a units file is first among its folder's files, other folders and
    // files without a position keep diagnostics::sort()'s order.
    using namespace thidua;
    const auto file = [](const std::string& path) {
        return std::make_shared<const source_file>(path, "x\n");
    };
    diagnostics ds;
    ds.error("E1", file("t/kq/units.csv"), {0, 1}, "units");
    ds.error("E2", file("t/kq/indicators.csv"), {0, 1}, "list");
    ds.error("E3", file("t/a.test.tdkt"), {0, 1}, "test");
    ds.error("E4", file("t/z.test.tdkt"), {0, 1}, "test z");
    ds.error("E5", nullptr, {}, "no position");
    order_by_cause(ds, {"t/kq/units.csv"});
    std::vector<std::string> codes;
    for (const auto& d : ds.items()) {
        codes.push_back(d.code);
    }
    CHECK(codes == std::vector<std::string>{"E5", "E3", "E1", "E2", "E4"});
}

TEST_CASE("data order: W204 in a test's data stops its tests with --strict", "[data][order]") {
    temp_dir dir;
    write_case(dir, units_header + "Sở A,30,xs,2018-12-20,false,80\n",
               list_header + "Sở A,a,100,50\nSở A,a,100,50\n");
    const std::string file = (dir.path / "reg.test.tdkt").string();
    const auto plain = run({"test", file});
    INFO(plain);
    CHECK(plain.find("warning[W204]") != std::string::npos);
    CHECK(plain.find("exit: 0\n") != std::string::npos);
    const auto strict = run({"test", file, "--strict"});
    INFO(strict);
    CHECK(strict.find(file
                      + ": 1 warning in the tests' results, fatal with --strict; they were "
                        "not run")
          != std::string::npos);
    CHECK(strict.find("exit: 2\n") != std::string::npos);
}
