// From trial 11: a list row pasted twice (the same unit, every cell the same) was scored as one
// more indicator, silently. It gets W204 at the copy with a note at the first; rows that differ
// in any cell are not reported; JSON elements likewise. And W202 about a `1.030` read as 1030 in
// the style of the other files names the option that confirms that reading (--numbers comma).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "data_describe.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/i18n.hpp"
#include "engine/data.hpp"

using namespace thidua;

namespace {

using lines = std::vector<std::string>;

using thidua::testing::field;

// `ind: list { name: text  target: number }`, `score: number`.
ast::regulation regulation() {
    using k = ast::type_ref::kind;
    ast::regulation reg;
    reg.file = std::make_shared<source_file>("test.tdkt", "regulation \"t\" {}\n");
    auto list = field("ind", k::list);
    list.type.fields.push_back(field("name", k::text));
    list.type.fields.push_back(field("target", k::number));
    reg.inputs.push_back(list);
    reg.inputs.push_back(field("score", k::number));
    return reg;
}

lines csv(const std::string& units, const std::string& list, const load_options& opts = {},
          std::optional<dataset>* out = nullptr) {
    const auto reg = regulation();
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists = {make_data_source("ind.csv", list), nullptr};
    diagnostics ds;
    auto d = load_results_csv(reg, files, opts, ds);
    CHECK(d.has_value() == !ds.has_errors());
    if (out != nullptr) {
        *out = std::move(d);
    }
    return testing::describe_sorted(ds);
}

lines json(const std::string& text) {
    diagnostics ds;
    auto d = load_results_json(regulation(), make_data_source("kq.json", text), {}, ds);
    CHECK(d.has_value() == !ds.has_errors());
    return testing::describe_sorted(ds);
}

const std::string units = "unit,score\nSở A,90\nSở B,80\n";

std::string row_warning(int line, int first, const std::string& unit,
                        const std::string& times = "twice") {
    return fmt::format(
        "ind.csv:{}:1: W204: this row repeats line {} exactly (unit `{}`, every cell the same), "
        "so list `ind` counts it {}; if it was copied by mistake, delete it; if the unit really "
        "has it {}, nothing needs to change\n  note ind.csv:{}:1: first written here",
        line, first, unit, times, times, first);
}

}  // namespace

TEST_CASE("repeats: a list row repeating an earlier one exactly is W204, and still counted",
          "[data][repeats]") {
    std::optional<dataset> d;
    const auto got =
        csv(units, "unit,name,target\nSở A,Thu,10\nSở A,Chi,20\nSở A,Chi,20\n", {}, &d);
    CHECK(got == lines{row_warning(4, 3, "Sở A")});
    // A warning, not a correction: the board decides; the row is scored as written.
    REQUIRE(d);
    CHECK(std::get<list_value>(d->units[0].fields[0].v)->size() == 3);

    // Quoting and spaces around cells are not content: `"Chi"` and ` Chi ` are the cell `Chi`.
    CHECK(csv(units, "unit,name,target\nSở A,Chi,20\n\"Sở A\", Chi ,\"20\"\n")
          == lines{row_warning(3, 2, "Sở A")});

    // A third copy: counted three times, pointing at the first.
    CHECK(csv(units, "unit,name,target\nSở A,Chi,20\nSở B,Chi,20\nSở A,Chi,20\nSở A,Chi,20\n")
          == lines{row_warning(4, 2, "Sở A"), row_warning(5, 2, "Sở A", "3 times")});
}

TEST_CASE("repeats: rows that differ in any cell are not reported", "[data][repeats]") {
    // Another unit, another name, the same number written differently (`20` and `20.0`).
    CHECK(csv(units, "unit,name,target\nSở A,Chi,20\nSở B,Chi,20\nSở A,chi,20\nSở A,Chi,20.0\n")
              .empty());
    // A column only the other regulation of a comparison reads still tells the rows apart.
    load_options opts;
    opts.ignored_fields = {"ind.note"};
    CHECK(
        csv(units, "unit,name,target,note\nSở A,Chi,20,quý 1\nSở A,Chi,20,quý 2\n", opts).empty());
    CHECK(csv(units, "unit,name,target,note\nSở A,Chi,20,quý 1\nSở A,Chi,20,quý 1\n", opts)
          == lines{row_warning(3, 2, "Sở A")});
    // Blank lines are skipped, not rows.
    CHECK(csv(units, "unit,name,target\nSở A,Chi,20\n\n\nSở B,Chi,20\n").empty());
}

TEST_CASE("repeats: at most 10 warnings per file, then one counts the rest", "[data][repeats]") {
    std::string list = "unit,name,target\n";
    for (int i = 0; i < 13; ++i) {
        list += fmt::format("Sở A,c{},1\nSở A,c{},1\n", i, i);
    }
    const auto got = csv(units, list);
    REQUIRE(got.size() == 11);
    CHECK(got[9] == row_warning(21, 20, "Sở A"));
    CHECK(got[10]
          == "ind.csv:23:1: W204: 3 more rows of this file repeat an earlier row exactly (the "
             "first is here)");
}

TEST_CASE("repeats: a JSON list element repeating one of the same unit", "[data][repeats]") {
    // The order of the keys and the spaces do not matter; each unit's list is its own.
    const std::string text = R"([
  {"unit": "Sở A", "score": 90, "ind": [
    {"name": "Chi", "target": 20},
    {"target": 20,   "name": "Chi"}
  ]},
  {"ind": [{"name": "Chi", "target": 20}, {"name": "Chi", "target": 20.0}], "unit": "Sở B",
   "score": 80}
])";
    CHECK(json(text)
          == lines{"kq.json:4:5: W204: this element repeats the one on line 3 exactly (every key "
                   "and value the same), so list `ind` of unit `Sở A` counts it twice; if it was "
                   "copied by mistake, delete it; if the unit really has it twice, nothing needs "
                   "to change\n  note kq.json:3:5: first written here"});
    // The unit's name after its list: still named in the message.
    CHECK(json(R"([{"ind": [{"name": "x", "target": 1}, {"name": "x", "target": 1}],
                    "unit": "Sở B", "score": 1}])")
              .at(0)
              .find("list `ind` of unit `Sở B` counts it twice")
          != std::string::npos);
}

TEST_CASE("repeats: in Vietnamese", "[data][repeats]") {
    const scoped_language vi(language::vi);
    CHECK(csv(units, "unit,name,target\nSở A,Chi,20\nSở A,Chi,20\n")
          == lines{"ind.csv:3:1: W204: dòng này lặp lại y hệt dòng 2 (đơn vị `Sở A`, mọi ô đều "
                   "giống nhau), nên danh sách `ind` tính dòng này hai lần; nếu dòng bị chép thừa "
                   "thì hãy xóa; nếu đơn vị thật sự có mục này hai lần thì không cần sửa\n"
                   "  note ind.csv:2:1: viết lần đầu ở đây"});
}

TEST_CASE("W202: a units file of `1.030` read as 1030 names --numbers comma", "[data][repeats]") {
    // units.csv has only whole numbers written with a dot between thousands; the list file
    // writes `92,5`: the units file takes its style, and W202 says how to confirm that reading
    // without editing an Excel export.
    const std::string dotted = "unit,score\nSở A,1.030\n";
    const std::string list = "unit;name;target\nSở A;a;92,5\n";
    CHECK(csv(dotted, list)
          == lines{"units.csv:2:6: W202: field `score` of unit `Sở A`: `1.030` was read as 1030 "
                   "because no number in this file shows how it writes decimals, and the other "
                   "files of these results write them with ',' (as `92,5` in ind.csv on line 2); "
                   "if it means 1.03, write 1,03; if it means 1030, --numbers comma reads it so "
                   "without warning"});
    // What the hint says holds: the same files with --numbers comma, read alike, no warning.
    load_options comma;
    comma.numbers = load_options::number_style::comma_decimal;
    std::optional<dataset> d;
    CHECK(csv(dotted, list, comma, &d).empty());
    REQUIRE(d);
    CHECK(std::get<number>(d->units[0].fields[1].v) == number(1030));

    const scoped_language vi(language::vi);
    const auto got = csv(dotted, list);
    REQUIRE(got.size() == 1);
    CHECK(got[0].find("nếu ý là 1030 thì tùy chọn --numbers comma đọc như vậy mà không cảnh báo")
          != std::string::npos);
}
