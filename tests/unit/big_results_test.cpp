// What a trial with big and odd results files found (trial 13): a list file with a header and no
// rows (W203), number cells a spreadsheet or a keyboard layout wrote in another form (`−5`,
// `1e309`, `١٢٣`), a date in year 0, and a unit name long enough to widen every row of the
// text table.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "data_describe.hpp"
#include "engine/data.hpp"
#include "engine/report.hpp"

using namespace thidua;
using thidua::testing::field;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

using lines = std::vector<std::string>;

// `ind: list { name: text }`, `n: number`, `k: integer`, `d: date?`.
ast::regulation regulation() {
    using k = ast::type_ref::kind;
    ast::regulation reg;
    reg.file = std::make_shared<source_file>("test.tdkt", "regulation \"t\" {}\n");
    auto list = field("ind", k::list);
    list.type.fields.push_back(field("name", k::text));
    reg.inputs.push_back(list);
    reg.inputs.push_back(field("n", k::number));
    reg.inputs.push_back(field("k", k::integer));
    reg.inputs.push_back(field("d", k::date, true));
    return reg;
}

lines csv(const std::string& units, const std::string& list) {
    const auto reg = regulation();
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists.resize(reg.inputs.size());
    files.lists[0] = make_data_source("ind.csv", list);
    diagnostics ds;
    const auto d = load_results_csv(reg, files, {}, ds);
    CHECK(d.has_value() == !ds.has_errors());
    return thidua::testing::describe_sorted(ds);
}

// The same inputs in a regulation file, scored by `points`.
std::string regulation_text(const std::string& points) {
    return "regulation \"t\" {\n    scale 10\n    input {\n        ind: list { name: text }\n"
           "        n: number\n        k: integer\n        d: date?\n    }\n"
           "    section A \"A\" max 10 {\n        criterion A.1 \"a\" max 10 {\n"
           "            points = "
           + points + "\n        }\n    }\n}\n";
}

}  // namespace

TEST_CASE("W203: a list file with a header and no rows") {
    CHECK(csv("unit,n,k,d\nA,1,1,\nB,2,2,\n", "unit,name\n")
          == lines{"ind.csv:1:1: W203: ind.csv has a header and no rows: no unit has any element "
                   "of list `ind` (it is empty for all 2 units); if the rows were left out, add "
                   "them; if no unit really has any, nothing needs to change"});
    CHECK(csv("unit,n,k,d\nA,1,1,\n", "unit,name\n")
          == lines{"ind.csv:1:1: W203: ind.csv has a header and no rows: the unit has no element "
                   "of list `ind`; if the rows were left out, add them; if it really has none, "
                   "nothing needs to change"});
    // One row anywhere: the units without rows are W203's usual case (here: not most units).
    CHECK(csv("unit,n,k,d\nA,1,1,\nB,2,2,\n", "unit,name\nA,x\n").empty());
}

TEST_CASE("W203 for a header-only list file: fatal with --strict, in the JSON warnings") {
    const temp_dir dir;
    dir.write("units.csv", "unit,n,k,d\nA,1,1,\nB,2,2,\n");
    dir.write("ind.csv", "unit,name\n");
    dir.write("r.tdkt", regulation_text("count(ind) + n + k"));
    const std::string reg = (dir.path / "r.tdkt").string();
    const std::string data = dir.path.string();
    const auto plain = run({"score", reg, "--data", data});
    CHECK(plain.find("warning[W203]: ind.csv has a header and no rows") != std::string::npos);
    CHECK(plain.find("exit: 0") != std::string::npos);
    CHECK(run({"score", reg, "--data", data, "--strict"}).find("exit: 1") != std::string::npos);
    dir.write("ind.csv", "unit,name\nA,x\n");  // a row: no warning, --strict passes
    CHECK(run({"score", reg, "--data", data, "--strict"}).find("exit: 0") != std::string::npos);
    dir.write("ind.csv", "unit,name\n");
    const auto json = run({"score", reg, "--data", data, "--format", "json"});
    CHECK(json.find("\"code\": \"W203\"") != std::string::npos);
    CHECK(json.find("\"message\": \"ind.csv has a header and no rows") != std::string::npos);
}

TEST_CASE("E220 says what to write for a minus sign, digits or an exponent of another form") {
    const auto one = [](const std::string& cell) {
        const auto got = csv("unit,n,k,d\nA," + cell + ",1,\n", "unit,name\nA,x\n");
        REQUIRE(got.size() == 1);
        return got[0];
    };
    CHECK(one("−5")
          == "units.csv:2:3: E220: field `n` (number): `−5` is not a number: the minus sign must "
             "be the hyphen-minus `-` of the keyboard; write `-5`");
    CHECK(one("–2.5").find("write `-2.5`") != std::string::npos);  // an en dash
    CHECK(one("1e309")
          == "units.csv:2:3: E220: field `n` (number): `1e309` is not a number: exponent notation "
             "(`1e5`, `2,5E+3`) is not accepted; write the number in full, with its digits");
    CHECK(one("2.5E-3").find("exponent notation") != std::string::npos);
    CHECK(one("١٢٣")
          == "units.csv:2:3: E220: field `n` (number): `١٢٣` is not a number: numbers are "
             "written with the digits 0-9; write `123`");
    CHECK(one("１２．５").find("write `12.5`") != std::string::npos);  // fullwidth
    // Nothing to suggest: the message alone.
    CHECK(one("abc") == "units.csv:2:3: E220: field `n` (number): `abc` is not a number");
    CHECK(one("e5") == "units.csv:2:3: E220: field `n` (number): `e5` is not a number");
    CHECK(one("1e") == "units.csv:2:3: E220: field `n` (number): `1e` is not a number");
}

TEST_CASE("E226: a date in year 0 is said to be in year 0") {
    for (const std::string cell : {"0000-12-18", "18/12/0000"}) {
        const auto got = csv("unit,n,k,d\nA,1,1," + cell + "\n", "unit,name\nA,x\n");
        REQUIRE(got.size() == 1);
        CHECK(got[0]
              == fmt::format("units.csv:2:7: E226: field `d` (date): `{}` is not a real date: "
                             "there is no year 0 (years go from 0001 to 9999)",
                             cell));
    }
    // Year 1 is a year.
    CHECK(csv("unit,n,k,d\nA,1,1,0001-12-18\n", "unit,name\nA,x\n").empty());
}

TEST_CASE("the text score table shows a long unit name shortened, other formats keep it whole") {
    CHECK(table_name("Sở Tư pháp") == "Sở Tư pháp");
    const std::string sixty(max_table_name_width, 'x');
    CHECK(table_name(sixty) == sixty);
    std::string longer = "Thanh tra tỉnh";
    for (int i = 0; i < 40; ++i) {
        longer += " rất dài";
    }
    longer += " cuối tên";
    const std::string shown = table_name(longer);
    CHECK(text_width(shown) == max_table_name_width);
    CHECK(shown.rfind("Thanh tra tỉnh rất dài", 0) == 0);
    CHECK(shown.find("…") != std::string::npos);
    CHECK(shown.substr(shown.size() - std::string(" cuối tên").size()) == " cuối tên");

    // The whole command: one row per unit no wider than the table needs for the others.
    const temp_dir dir;
    dir.write("units.csv", "unit,n,k,d\nA,1,1,\n" + longer + ",2,2,\n");
    dir.write("ind.csv", "unit,name\nA,x\n" + longer + ",y\n");
    dir.write("r.tdkt", regulation_text("n"));
    const std::string reg = (dir.path / "r.tdkt").string();
    const auto text = run({"score", reg, "--data", dir.path.string()});
    CHECK(text.find(shown) != std::string::npos);
    CHECK(text.find(longer) == std::string::npos);
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        CHECK(text_width(line) < 120);
    }
    const auto csv_out = run({"score", reg, "--data", dir.path.string(), "--format", "csv"});
    CHECK(csv_out.find(longer) != std::string::npos);
    const auto json = run({"score", reg, "--data", dir.path.string(), "--format", "json"});
    CHECK(json.find(longer) != std::string::npos);
}
