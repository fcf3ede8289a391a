// What a new user's trial on a 2017 bloc regulation found in the results loader (tests/data/
// khoi3-2017): a unit with no rows in a list file (W203), look-alike unit names in the units file
// (E233), a dash in a list row's unit name (E217's suggestion), `1.840` in an integer field
// (E221/E223), misnamed list files and unit columns (E218/W201/E214), and reading one dataset
// under two regulations that differ in their inputs (load_options::ignored_fields).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "data_describe.hpp"
#include "dsl/diagnostic.hpp"
#include "engine/data.hpp"
#include "engine/data_detail.hpp"

using namespace thidua;
using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

namespace fs = std::filesystem;
using lines = std::vector<std::string>;

using thidua::testing::field;

// `ind: list { name: text  target: number }` (optional when `optional_list`), `tasks: integer`.
ast::regulation regulation(bool optional_list = false) {
    using k = ast::type_ref::kind;
    ast::regulation reg;
    reg.file = std::make_shared<source_file>("test.tdkt", "regulation \"t\" {}\n");
    auto list = field("ind", k::list, optional_list);
    list.type.fields.push_back(field("name", k::text));
    list.type.fields.push_back(field("target", k::number));
    reg.inputs.push_back(list);
    reg.inputs.push_back(field("tasks", k::integer));
    return reg;
}

lines describe(diagnostics& ds) {
    return thidua::testing::describe_sorted(ds);
}

// Loads units.csv and ind.csv (null when `list` is empty) and describes every diagnostic.
lines csv(const ast::regulation& reg, const std::string& units, const std::string& list,
          const load_options& opts = {}, std::optional<dataset>* out = nullptr) {
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists.resize(reg.inputs.size());
    if (!list.empty()) {
        files.lists[0] = make_data_source("ind.csv", list);
    }
    diagnostics ds;
    auto d = load_results_csv(reg, files, opts, ds);
    CHECK(d.has_value() == !ds.has_errors());
    if (out != nullptr) {
        *out = std::move(d);
    }
    return describe(ds);
}

lines json(const ast::regulation& reg, const std::string& text, const load_options& opts = {}) {
    diagnostics ds;
    const auto d = load_results_json(reg, make_data_source("kq.json", text), opts, ds);
    CHECK(d.has_value() == !ds.has_errors());
    return describe(ds);
}

// A units file of units `Sở 1` ... `Sở n` (tasks 1).
std::string units_file(int n) {
    std::string s = "unit,tasks\n";
    for (int i = 1; i <= n; ++i) {
        s += fmt::format("Sở {},1\n", i);
    }
    return s;
}

// `rows[i]` rows for unit `Sở i+1`.
std::string list_file(const std::vector<int>& rows) {
    std::string s = "unit,name,target\n";
    for (std::size_t u = 0; u < rows.size(); ++u) {
        for (int r = 0; r < rows[u]; ++r) {
            s += fmt::format("Sở {},chỉ tiêu {},10\n", u + 1, r + 1);
        }
    }
    return s;
}

}  // namespace

TEST_CASE("W203: a unit with no rows in a list most units have rows in") {
    const auto reg = regulation();
    CHECK(csv(reg, units_file(3), list_file({2, 0, 1}))
          == lines{"units.csv:3:1: W203: unit `Sở 2` has no rows in ind.csv, so its list `ind` is "
                   "empty, while all 2 other units have 1 to 2 rows each; if its rows were left "
                   "out, add them (with the unit's name exactly as in the units file); if it "
                   "really has none, nothing needs to change"});
    // Some of the others have none either: how many do is said.
    CHECK(csv(reg, units_file(5), list_file({3, 0, 3, 0, 3})).size() == 2);
    CHECK(csv(reg, units_file(5), list_file({3, 0, 3, 0, 3}))[0].find(
              "while 3 of the 4 other units have 3 rows each")
          != std::string::npos);
    // Half of the units or fewer with rows: an empty list is the normal case.
    CHECK(csv(reg, units_file(4), list_file({2, 0, 1, 0})).empty());
    CHECK(csv(reg, units_file(3), list_file({2, 0, 0})).empty());
    CHECK(csv(reg, units_file(2), list_file({2, 0})).empty());  // one other unit is not "most"
    // No rows at all: the file has its header alone (W203 too, once, at the list file).
    CHECK(csv(reg, units_file(3), list_file({0, 0, 0}))
          == lines{"ind.csv:1:1: W203: ind.csv has a header and no rows: no unit has any element "
                   "of list `ind` (it is empty for all 3 units); if the rows were left out, add "
                   "them; if no unit really has any, nothing needs to change"});
    CHECK(csv(reg, units_file(3), list_file({1, 1, 1})).empty());

    // The load still succeeds: a warning, not an error.
    std::optional<dataset> d;
    csv(reg, units_file(3), list_file({2, 0, 1}), {}, &d);
    REQUIRE(d);
    CHECK(d->units.size() == 3);

    // At most 10 per list, then one that counts the rest.
    std::vector<int> rows(25, 0);
    for (std::size_t i = 0; i < 13; ++i) {
        rows[i] = 1;
    }
    const auto many = csv(reg, units_file(25), list_file(rows));
    REQUIRE(many.size() == 11);
    CHECK(many.back()
          == "units.csv:25:1: W203: 2 more units have no rows in ind.csv for `ind` (the first is "
             "here)");

    // Not while the results have errors: a unit whose rows name it wrongly gets E217 instead.
    const auto errors =
        csv(reg, units_file(3), "unit,name,target\nSở 1,a,1\nSở  2,b,1\nSở 3,c,1\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("E217") != std::string::npos);
}

TEST_CASE("W203 in JSON, an absent optional list is not an empty one") {
    CHECK(json(regulation(),
               R"([{"unit": "A", "tasks": 1, "ind": [{"name": "x", "target": 1}]},
 {"unit": "B", "tasks": 1, "ind": [{"name": "x", "target": 1}, {"name": "y", "target": 2}]},
 {"unit": "C", "tasks": 1, "ind": []}])")
          == lines{"kq.json:3:35: W203: unit `C` has an empty list `ind` in kq.json, while all 2 "
                   "other units have 1 to 2 elements each; if its elements were left out, add "
                   "them; if it really has none, nothing needs to change"});
    // Absent (null, or no key) for two units: among the three that have it, none is empty.
    CHECK(json(regulation(true),
               R"([{"unit": "A", "tasks": 1, "ind": [{"name": "x", "target": 1}]},
 {"unit": "B", "tasks": 1, "ind": [{"name": "x", "target": 1}]},
 {"unit": "C", "tasks": 1, "ind": [{"name": "x", "target": 1}]},
 {"unit": "D", "tasks": 1, "ind": null}, {"unit": "E", "tasks": 1}])")
              .empty());
}

TEST_CASE("E233: unit names that differ only in case, diacritics, spaces or punctuation") {
    const auto reg = regulation();
    const auto one = [&](const std::string& a, const std::string& b) {
        return csv(reg, fmt::format("unit,tasks\n{},1\nSở X,1\n{},1\n", a, b),
                   "unit,name,target\nSở X,a,1\n");
    };
    CHECK(one("Sở Kế hoạch và Đầu tư", "Sở Kế Hoạch và Đầu Tư")
          == lines{"units.csv:4:1: E233: units `Sở Kế Hoạch và Đầu Tư` and `Sở Kế hoạch và Đầu "
                   "tư` differ only in letter case: two units of a bloc are never named so alike; "
                   "if they are the same unit, keep one row; if they are different units, make "
                   "their names differ in a letter or a number\n"
                   "  note units.csv:2:1: `Sở Kế hoạch và Đầu tư` is here"});
    const auto how = [&](const std::string& a, const std::string& b) {
        const auto got = one(a, b);
        REQUIRE(got.size() == 1);
        const auto begin = got[0].find("differ only in ") + 15;
        return got[0].substr(begin, got[0].find(':', begin) - begin);
    };
    CHECK(how("Sở Y tế", "Sở Y te") == "diacritics");
    CHECK(how("Sở Y tế", "SỞ Y TE") == "letter case and diacritics");
    CHECK(how("Sở Giao thông - Vận tải", "Sở Giao thông – Vận tải")
          == "punctuation or spaces (a dash `–` for `-`, ...)");
    CHECK(how("Sở Giao thông - Vận tải", "Sở Giao thông-Vận tải")
          == "punctuation or spaces (a dash `–` for `-`, ...)");
    CHECK(how("Sở Y tế", "Sở Y\u00A0tế") == "spaces or invisible characters");
    CHECK(how("Sở Giao thông - Vận tải", "SỞ GIAO THÔNG-VẬN TẢI")
          == "letter case, diacritics, spaces or punctuation");
    // Another letter or number is another unit; the same name twice is E215 alone.
    CHECK(one("Trường THCS 1", "Trường THCS 2").empty());
    CHECK(one("Sở A", "Sở B").empty());
    const auto twice = one("Sở A", "Sở A");
    REQUIRE(twice.size() == 1);
    CHECK(twice[0].find("E215") != std::string::npos);

    // JSON: the same rule, the note at the first object's name.
    CHECK(json(reg, R"([{"unit": "Sở Y tế", "tasks": 1, "ind": []},
 {"unit": "Sở y tế", "tasks": 1, "ind": []}])")
          == lines{"kq.json:2:11: E233: units `Sở y tế` and `Sở Y tế` differ only in letter case: "
                   "two units of a bloc are never named so alike; if they are the same unit, keep "
                   "one row; if they are different units, make their names differ in a letter or "
                   "a number\n"
                   "  note kq.json:1:11: `Sở Y tế` is here"});
}

TEST_CASE("E217 suggests the unit a list row names with another dash") {
    using data_detail::name_words;
    CHECK(name_words("Sở Giao thông – Vận tải") == name_words("Sở Giao thông - Vận tải"));
    CHECK(name_words("Sở Giao thông—Vận tải") == name_words("sở giao thông - vận tải"));
    CHECK(name_words("Sở Giao thông-Vận tải")
          == std::vector<std::string>{"so", "giao", "thong", "van", "tai"});
    const std::vector<std::string> units{"Sở Giao thông - Vận tải", "Sở Y tế"};
    for (const auto* name : {"Sở Giao thông – Vận tải", "Sở Giao thông-Vận tải",
                             "Sở Giao thông − Vận tải", "Sở Giao thông ‐ Vận tải"}) {
        INFO(name);
        CHECK(data_detail::unknown_unit_hint(name, units, "units.csv")
              == "; did you mean `Sở Giao thông - Vận tải`?");
    }
}

TEST_CASE("E221 and E223 say how a grouped integer was read") {
    const auto reg = regulation();
    const std::string list = "unit,name,target\nSở 1,a,1\n";
    // A decimal comma file: `12,500` is 12.5, never 12500.
    CHECK(csv(reg, "unit;tasks\nSở 1;12,500\nSở 2;2\n", list)
          == lines{"units.csv:2:6: E221: field `tasks` is an integer, but `12,500` was read as "
                   "12.5 because a comma in a number is a decimal comma (thousands are never "
                   "separated with commas), and that is not a whole number; if it means 12500, "
                   "write 12500"});
    // `1.000` read as 1 is whole: W202, as for any number field.
    const auto whole = csv(reg, "unit;tasks\nSở 1;1.000\nSở 2;2.5\n", list);
    REQUIRE(whole.size() == 2);
    CHECK(whole[0].find("W202") != std::string::npos);
    // Only ambiguous cells, in a number field: the choice is the user's, as before.
    auto num = regulation();
    num.inputs[1].type.what = ast::type_ref::kind::number;
    const auto amb = csv(num, "unit;tasks\nSở 1;1.840\n", list);
    REQUIRE(amb.size() == 1);
    CHECK(amb[0].find("is ambiguous") != std::string::npos);
    CHECK(
        csv(reg, "unit;tasks\nSở 1;1.840\nSở 2;2.500\n", list)
        == lines{"units.csv:2:6: E223: field `tasks` is an integer, and `1.840` is a whole number "
                 "only as 1840, with '.' between thousands (with a decimal point it would be "
                 "1.84); no other number in this file shows which way it writes numbers (and 1 "
                 "more cell like it); if it means 1840, write 1840 or read the file with "
                 "--numbers comma"});
}

TEST_CASE("E214 points at a column or key that looks like the units' names") {
    const auto reg = regulation();
    // `đơn_vị` and `Đơn vị` name the units' column (data_friction_test.cpp); these do not.
    for (const auto* name : {"don_vi", "Tên đơn vị", "Unit", "units"}) {
        INFO(name);
        const auto got = csv(reg, fmt::format("{},tasks\nSở 1,1\n", name), "unit,name,target\n");
        REQUIRE(got.size() == 1);
        CHECK(got[0]
              == fmt::format("units.csv:1:1: E214: no `unit` column: column `{}` seems to hold the "
                             "units' names; name it `unit` (or `đơn_vị`) (the other columns are "
                             "named after the regulation's input fields)",
                             name));
    }
    // Anything else: unknown column, and E214 on the header.
    CHECK(csv(reg, "tỉnh,tasks\nSở 1,1\n", "unit,name,target\n").size() == 2);
    // With a `unit` column, `don_vi` is an unknown column like any other.
    const auto both = csv(reg, "unit,don_vi,tasks\nSở 1,x,1\n", "unit,name,target\n");
    REQUIRE(both.size() == 1);
    CHECK(both[0].find("E210: unknown column `don_vi`") != std::string::npos);
    CHECK(json(reg, R"([{"don_vi": "Sở 1", "tasks": 1, "ind": []}])")
          == lines{"kq.json:1:3: E214: this unit has no \"unit\" key: key `don_vi` seems to hold "
                   "its name; name it \"unit\" (or \"đơn_vị\")"});
    const auto named = json(reg, R"([{"don_vi": "x", "unit": "Sở 1", "tasks": 1, "ind": []}])");
    REQUIRE(named.size() == 1);
    CHECK(named[0].find("E210: unknown key `don_vi`") != std::string::npos);
}

TEST_CASE("ignored_fields: what only the other regulation of a comparison declares") {
    const auto reg = regulation();
    load_options opts;
    opts.ignored_fields = {"tin_bai", "ind.note"};
    const std::string units = "unit,tasks,tin_bai\nSở 1,1,6\n";
    const std::string list = "unit,name,note,target\nSở 1,a,ghi chú,3\n";
    std::optional<dataset> d;
    CHECK(csv(reg, units, list, opts, &d).empty());
    REQUIRE(d);
    REQUIRE(d->units.size() == 1);
    CHECK(std::get<number>(d->units[0].fields[1].v) == number(1));
    const auto& rows = *std::get<list_value>(d->units[0].fields[0].v);
    REQUIRE(rows.size() == 1);
    CHECK(std::get<number>(rows[0][1].v) == number(3));
    // Without the option both columns are unknown.
    const auto plain = csv(reg, units, list);
    REQUIRE(plain.size() == 2);
    CHECK(plain[0].find("E210: unknown column `note`") != std::string::npos);
    CHECK(plain[1].find("E210: unknown column `tin_bai`") != std::string::npos);
    // A field the regulation declares is read whatever the set says.
    load_options own;
    own.ignored_fields = {"tasks"};
    const auto bad = csv(reg, "unit,tasks\nSở 1,x\n", "unit,name,target\n", own);
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].find("E220") != std::string::npos);
    // JSON: keys of units and of list elements.
    CHECK(json(reg,
               R"([{"unit": "Sở 1", "tasks": 1, "tin_bai": [1, {"x": 2}],
                    "ind": [{"name": "a", "note": "n", "target": 1}]}])",
               opts)
              .empty());
    CHECK(json(reg, R"([{"unit": "Sở 1", "tasks": 1, "tin_bai": 6, "ind": []}])").size() == 1);
}

TEST_CASE("a results folder: ignored list files, look-alike and NFD list file names") {
    auto reg = regulation();
    temp_dir dir;
    dir.write("units.csv", "unit,tasks\nSở 1,1\n");
    dir.write("ind.csv", "unit,name,target\nSở 1,a,1\n");
    dir.write("tin_bai.csv", "unit,x\nSở 1,1\n");
    load_options opts;
    opts.ignored_fields = {"tin_bai"};
    diagnostics ds;
    CHECK(load_results(reg, dir.path.string(), opts, ds));
    CHECK(ds.empty());  // tin_bai.csv is the other regulation's list: not unused
    diagnostics plain;
    CHECK(load_results(reg, dir.path.string(), {}, plain));
    REQUIRE(plain.items().size() == 1);
    CHECK(plain.items()[0].code == "W201");

    // The list's file named in NFD (as a Mac may write it) is the list's file.
    reg.inputs[0].name = "chỉ_tiêu";
    temp_dir nfd;
    nfd.write("units.csv", "unit,tasks\nSở 1,1\n");
    nfd.write("chi\xCC\x89_tie\xCC\x82u.csv", "unit,name,target\nSở 1,a,1\n");
    diagnostics found;
    const auto d = load_results(reg, nfd.path.string(), {}, found);
    CHECK(found.empty());
    REQUIRE(d);
    CHECK(std::get<list_value>(d->units[0].fields[0].v)->size() == 1);

    // A name that differs in diacritics: E218 and W201 name each other.
    temp_dir misnamed;
    misnamed.write("units.csv", "unit,tasks\nSở 1,1\n");
    misnamed.write("chi_tieu.csv", "unit,name,target\nSở 1,a,1\n");
    diagnostics ms;
    CHECK(!load_results(reg, misnamed.path.string(), {}, ms));
    ms.sort();
    REQUIRE(ms.items().size() == 2);
    CHECK(ms.items()[0].code == "E218");
    CHECK(ms.items()[0].message.find("; chi_tieu.csv is in the folder: did you mean to name it "
                                     "chỉ_tiêu.csv? The file names differ only in letter case or "
                                     "diacritics")
          != std::string::npos);
    CHECK(ms.items()[1].code == "W201");
    CHECK(ms.items()[1].message.find("its name is close to chỉ_tiêu.csv, the file of list "
                                     "`chỉ_tiêu`, which is missing; rename it chỉ_tiêu.csv")
          != std::string::npos);
}

TEST_CASE("report --versus compares a change that adds an input field, W203 in the report") {
    const std::string dir = "tests/data/khoi3-2017/";
    temp_dir out;
    const auto html = (out.path / "r.html").string();
    const auto got = run({"report", dir + "du-thao-tin-bai.tdkt", "--data", dir + "tin-bai",
                          "--versus", dir + "regulation.tdkt", "--output", html});
    CHECK(got.substr(got.size() - 8) == "exit: 0\n");
    const auto page = read_file(html);
    CHECK(page.find("tin_bài") != std::string::npos);  // the change: input field added
    // And the other way round: the report's regulation skips the column only OLD declares.
    const auto back = run({"report", dir + "regulation.tdkt", "--data", dir + "tin-bai", "--versus",
                           dir + "du-thao-tin-bai.tdkt", "--output", html});
    CHECK(back.substr(back.size() - 8) == "exit: 0\n");
    // Data without the column cannot be read under the new regulation, which is named.
    const auto missing = run({"report", dir + "du-thao-tin-bai.tdkt", "--data", dir + "data",
                              "--versus", dir + "regulation.tdkt", "--output", html + "2"});
    CHECK(missing.find("read against the new regulation " + dir + "du-thao-tin-bai.tdkt")
          != std::string::npos);
    CHECK(missing.substr(missing.size() - 8) == "exit: 1\n");
    CHECK(!fs::exists(html + "2"));
    // W203 reaches the report's notice.
    const auto rows =
        run({"report", dir + "regulation.tdkt", "--data", dir + "missing-rows", "--output", html});
    CHECK(rows.substr(rows.size() - 8) == "exit: 0\n");
    CHECK(read_file(html).find("W203") != std::string::npos);
    const auto js = run({"explain", dir + "regulation.tdkt", "--data", dir + "missing-rows",
                         "--unit", "Sở Công thương", "--format", "json"});
    CHECK(js.find("\"code\": \"W203\"") != std::string::npos);
}
