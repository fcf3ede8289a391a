// What a bloc secretary met reading results exported from Excel on Windows (trial 10): a header
// typo reported twice (E210 and E211), an unknown unit with nothing to compare it with (E217), a
// list file whose only numbers are `2.400` in results that write `92,5` (E223), and a unit column
// that had to be called `unit` in an all-Vietnamese setup (E214).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "data_describe.hpp"
#include "dsl/diagnostic.hpp"
#include "engine/data.hpp"
#include "engine/data_detail.hpp"

using namespace thidua;

namespace {

using lines = std::vector<std::string>;

using thidua::testing::field;

// `ind: list { name: text  target: number  count: integer }`, `tasks_on_time: integer`,
// `score: number`, `note: text?`; then `extra` inputs.
ast::regulation regulation(std::vector<ast::field_decl> extra = {}) {
    using k = ast::type_ref::kind;
    ast::regulation reg;
    reg.file = std::make_shared<source_file>("test.tdkt", "regulation \"t\" {}\n");
    auto list = field("ind", k::list);
    list.type.fields.push_back(field("name", k::text));
    list.type.fields.push_back(field("target", k::number));
    list.type.fields.push_back(field("count", k::integer, true));
    reg.inputs.push_back(list);
    reg.inputs.push_back(field("tasks_on_time", k::integer, false, "Số nhiệm vụ đúng hạn"));
    reg.inputs.push_back(field("score", k::number));
    reg.inputs.push_back(field("note", k::text, true));
    for (auto& f : extra) {
        reg.inputs.push_back(std::move(f));
    }
    return reg;
}

lines describe(diagnostics& ds) {
    return thidua::testing::describe_sorted(ds);
}

// Loads units.csv and ind.csv (and, for a second list input, ind2.csv) and describes every
// diagnostic.
lines csv(const ast::regulation& reg, const std::string& units, const std::string& list,
          std::optional<dataset>* out = nullptr, const load_options& opts = {},
          const std::string& list2 = {}) {
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists.resize(reg.inputs.size());
    files.lists[0] = make_data_source("ind.csv", list);
    if (!list2.empty()) {
        files.lists[4] = make_data_source("ind2.csv", list2);
    }
    diagnostics ds;
    auto d = load_results_csv(reg, files, opts, ds);
    CHECK(d.has_value() == !ds.has_errors());
    if (out != nullptr) {
        *out = std::move(d);
    }
    return describe(ds);
}

lines json(const ast::regulation& reg, const std::string& text,
           std::optional<dataset>* out = nullptr) {
    diagnostics ds;
    auto d = load_results_json(reg, make_data_source("kq.json", text), {}, ds);
    CHECK(d.has_value() == !ds.has_errors());
    if (out != nullptr) {
        *out = std::move(d);
    }
    return describe(ds);
}

const std::string list_ok = "unit,name,target\nSở 1,a,10\n";

}  // namespace

TEST_CASE("friction: a required field's column misspelt is one error at that column") {
    const auto reg = regulation();
    // `tasks_on_tme`: the only column that can be `tasks_on_time`, which has none otherwise.
    CHECK(csv(reg, "unit,tasks_on_tme,score\nSở 1,1,2\n", list_ok)
          == lines{"units.csv:1:6: E210: unknown column `tasks_on_tme`: did you mean "
                   "`tasks_on_time`? The required field `tasks_on_time` (integer) has no column "
                   "otherwise; rename this one"});
    // Written as its label: the same, one error.
    CHECK(csv(reg, "unit,Số nhiệm vụ đúng hạn,score\nSở 1,1,2\n", list_ok)
          == lines{"units.csv:1:6: E210: unknown column `Số nhiệm vụ đúng hạn`: it is the label of "
                   "the required field `tasks_on_time` (integer), which has no column otherwise; "
                   "name this column `tasks_on_time`"});
    // In a list file too (`taget` for `target`).
    CHECK(csv(reg, "unit,tasks_on_time,score\nSở 1,1,2\n", "unit,name,taget\nSở 1,a,10\n")
          == lines{"ind.csv:1:11: E210: unknown column `taget`: did you mean `target`? The "
                   "required field `ind.target` (number) has no column otherwise; rename this "
                   "one"});
    // The field has its column: the look-alike is an unknown column, as before.
    const auto both = csv(reg, "unit,tasks_on_time,tasks_on_tme,score\nSở 1,1,1,2\n", list_ok);
    REQUIRE(both.size() == 1);
    CHECK(both[0].find("E210: unknown column `tasks_on_tme`: the regulation has no input field of "
                       "that name; did you mean `tasks_on_time`?")
          != std::string::npos);
    // Two look-alikes of one missing field: the first stands for it, the second is unknown.
    const auto two = csv(reg, "unit,tasks_on_tme,tasks_ontime,score\nSở 1,1,1,2\n", list_ok);
    REQUIRE(two.size() == 2);
    CHECK(two[0].find("units.csv:1:6: E210: unknown column `tasks_on_tme`: did you mean "
                      "`tasks_on_time`? The required field")
          == 0);
    CHECK(two[1].find("units.csv:1:19: E210: unknown column `tasks_ontime`: the regulation has "
                      "no input field of that name; did you mean `tasks_on_time`?")
          == 0);
    // An optional field misspelt is an unknown column (nothing else is reported for it).
    CHECK(csv(reg, "unit,tasks_on_time,score,nite\nSở 1,1,2,x\n", list_ok)
          == lines{"units.csv:1:26: E210: unknown column `nite`: the regulation has no input "
                   "field of that name; did you mean `note`? The columns are: unit, "
                   "tasks_on_time, score, note"});
    // A missing column that nothing looks like is still E211 on the header.
    CHECK(csv(reg, "unit,score\nSở 1,2\n", list_ok)
          == lines{"units.csv:1:1: E211: missing column `tasks_on_time` for the required field "
                   "`tasks_on_time` (integer)"});
}

TEST_CASE("friction: a required field's key misspelt is one error at that key (JSON)") {
    const auto reg = regulation();
    // In every object: one error, its repeats grouped; no E212 for the field.
    CHECK(json(reg,
               "[{\"unit\": \"Sở 1\", \"tasks_on_tme\": 1, \"score\": 2, \"ind\": []},\n"
               " {\"unit\": \"Sở 2\", \"tasks_on_tme\": 1, \"score\": 2, \"ind\": []}]")
          == lines{"kq.json:1:19: E210: unknown key `tasks_on_tme`: did you mean "
                   "\"tasks_on_time\"? The required field `tasks_on_time` (integer) has no key "
                   "otherwise; rename this one\n  note kq.json:2:19: the same error 1 more time "
                   "in this file, on line 2"});
    // In a list element, and as a label.
    CHECK(json(reg,
               "[{\"unit\": \"Sở 1\", \"Số nhiệm vụ đúng hạn\": 1, \"score\": 2, "
               "\"ind\": [{\"name\": \"a\", \"taget\": 1}]}]")
          == lines{"kq.json:1:19: E210: unknown key `Số nhiệm vụ đúng hạn`: it is the label of "
                   "the required field `tasks_on_time` (integer), which has no key otherwise; "
                   "name this key \"tasks_on_time\"",
                   "kq.json:1:80: E210: unknown key `taget`: did you mean \"target\"? The "
                   "required field `ind.target` (number) has no key otherwise; rename this one"});
    // A key present and a look-alike besides: unknown key, as before.
    const auto both = json(reg,
                           "[{\"unit\": \"Sở 1\", \"tasks_on_time\": 1, \"tasks_on_tme\": 1, "
                           "\"score\": 2, \"ind\": []}]");
    REQUIRE(both.size() == 1);
    CHECK(both[0].find("E210: unknown key `tasks_on_tme`: the regulation has no input field")
          != std::string::npos);
}

TEST_CASE("friction: an unknown unit suggests an abbreviated name, or lists the units") {
    const auto reg = regulation();
    const std::string units =
        "unit,tasks_on_time,score\nVăn phòng HĐND tỉnh,1,1\n"
        "Văn phòng UBND tỉnh,1,1\nSở Kế hoạch và Đầu tư,1,1\n"
        "\"Sở Văn hóa, Thể thao và Du lịch\",1,1\n";
    const auto unknown = [&](const std::string& name) {
        const auto got = csv(reg, units, "unit,name,target\n\"" + name + "\",a,1\n");
        REQUIRE(got.size() == 1);
        const std::string head = fmt::format(
            "ind.csv:2:1: E217: unit `{}` is not in units.csv; every row of `ind` must belong to a "
            "unit of the units file",
            name);
        REQUIRE(got[0].substr(0, head.size()) == head);
        return got[0].substr(head.size());
    };
    // Either name may be the abbreviated one; `&` and `và` are the same; case and diacritics of
    // the other words do not matter. A suggestion only: the rows are not read.
    CHECK(unknown("VP HĐND tỉnh")
          == "; did you mean `Văn phòng HĐND tỉnh` (`VP` for `Văn phòng`)? A unit's name is "
             "written the same in every file");
    CHECK(unknown("Văn phòng Hội đồng nhân dân tỉnh")
          == "; did you mean `Văn phòng HĐND tỉnh` (`HĐND` for `Hội đồng nhân dân`)? A unit's "
             "name is written the same in every file");
    CHECK(unknown("VP Ủy ban nhân dân Tỉnh")
          == "; did you mean `Văn phòng UBND tỉnh` (`VP` for `Văn phòng`, `UBND` for `Ủy ban "
             "nhân dân`)? A unit's name is written the same in every file");
    CHECK(unknown("Sở KH&ĐT")
          == "; did you mean `Sở Kế hoạch và Đầu tư` (`KH&ĐT` for `Kế hoạch và Đầu tư`)? A "
             "unit's name is written the same in every file");
    CHECK(unknown("Sở KH & ĐT")
          == "; did you mean `Sở Kế hoạch và Đầu tư` (`KH` for `Kế hoạch`, `ĐT` for `Đầu "
             "tư`)? A unit's name is written the same in every file");
    CHECK(unknown("Sở VHTTDL")
          == "; did you mean `Sở Văn hóa, Thể thao và Du lịch` (`VHTTDL` for `Văn hóa Thể thao "
             "và Du lịch`)? A unit's name is written the same in every file");
    // Not an abbreviation: lower case, a letter too many, another word. The names are listed.
    const std::string listed =
        "; the units of units.csv are `Văn phòng HĐND tỉnh`, `Văn phòng UBND tỉnh`, `Sở Kế "
        "hoạch và Đầu tư`, `Sở Văn hóa, Thể thao và Du lịch`";
    CHECK(unknown("vp hđnd tỉnh") == listed);
    CHECK(unknown("VPX HĐND tỉnh") == listed);
    CHECK(unknown("VP HĐND huyện") == listed);
    // An abbreviation stands for words of a name, not for a whole name with words left out.
    CHECK(unknown("VP") == listed);

    // Two units whose names abbreviate alike: no suggestion.
    const std::string twins = "unit,tasks_on_time,score\nSở Tài chính,1,1\nSở Thương cảng,1,1\n";
    const auto got = csv(reg, twins, "unit,name,target\nSở TC,a,1\n");
    REQUIRE(got.size() == 1);
    CHECK(got[0].find("; the units of units.csv are `Sở Tài chính`, `Sở Thương cảng`")
          != std::string::npos);

    // More than 20 units: counted, not listed.
    std::string many = "unit,tasks_on_time,score\n";
    for (int i = 1; i <= 21; ++i) {
        many += fmt::format("Trường THCS số {},1,1\n", i);
    }
    const auto counted = csv(reg, many, "unit,name,target\nTrường tiểu học,a,1\n");
    REQUIRE(counted.size() == 1);
    CHECK(counted[0].find("; units.csv has 21 units: copy the unit's name from there")
          != std::string::npos);
}

TEST_CASE("friction: a file whose numbers settle nothing takes the style of the other files") {
    const auto reg = regulation();
    std::optional<dataset> d;
    // units.csv writes `92,5`; ind.csv has only `2.400` and `1.500`: thousands, with a warning.
    // `1.840` in an integer field has one whole reading: no warning for it.
    const auto got = csv(reg, "unit;tasks_on_time;score\nSở 1;1;80\nSở 2;1;92,5\n",
                         "unit;name;target;count\nSở 1;a;2.400;1.840\nSở 2;b;1.500;3\n", &d);
    const auto reason_at = [](int line) {
        return fmt::format(
            "because no number in this file shows how it writes decimals, and the other files "
            "of these results write them with ',' (as `92,5` in units.csv on line {})",
            line);
    };
    const std::string reason = reason_at(3);
    CHECK(got
          == lines{"ind.csv:2:8: W202: field `ind.target` of unit `Sở 1`: `2.400` was read as "
                   "2400 "
                       + reason
                       + "; if it means 2.4, write 2,4; if it means 2400, --numbers comma reads it "
                         "so without warning",
                   "ind.csv:3:8: W202: field `ind.target` of unit `Sở 2`: `1.500` was read as "
                   "1500 "
                       + reason
                       + "; if it means 1.5, write 1,5; if it means 1500, --numbers comma reads it "
                         "so without warning"});
    REQUIRE(d);
    const auto& rows = *std::get<list_value>(d->units[0].fields[0].v);
    CHECK(std::get<number>(rows[0][1].v) == number(2400));
    CHECK(std::get<number>(rows[0][2].v) == number(1840));

    // The other way round: the units file is the undecided one, read with the list's '.'.
    d.reset();
    const auto dot =
        csv(reg, "unit,tasks_on_time,score\nSở 1,1,1.250\n", "unit,name,target\nSở 1,a,99.5\n", &d);
    CHECK(dot
          == lines{"units.csv:2:8: W202: field `score` of unit `Sở 1`: `1.250` was read as 1.25 "
                   "because no number in this file shows how it writes decimals, and the other "
                   "files of these results write them with '.' (as `99.5` in ind.csv on line 2); "
                   "if it means 1250, write 1250"});
    REQUIRE(d);
    CHECK(std::get<number>(d->units[0].fields[2].v) == *number::parse("1.25"));
    // An integer then has no whole reading: E221 says why, without --numbers comma (the other
    // files would not read so).
    CHECK(csv(reg, "unit,tasks_on_time,score\nSở 1,1.840,1\n", "unit,name,target\nSở 1,a,99.5\n")
          == lines{"units.csv:2:6: E221: field `tasks_on_time` is an integer, but `1.840` was read "
                   "as 1.84 because no number in this file shows how it writes decimals, and the "
                   "other files of these results write them with '.' (as `99.5` in ind.csv on "
                   "line 2), and that is not a whole number; if it means 1840, write 1840"});

    // Files that disagree (units.csv `92,5`, ind2.csv `99.5`): each file decides for itself, as
    // before, and ind.csv, which cannot, is E223.
    auto two_lists = regulation({field("ind2", ast::type_ref::kind::list)});
    two_lists.inputs.back().type.fields.push_back(field("x", ast::type_ref::kind::number));
    const auto disagree =
        csv(two_lists, "unit;tasks_on_time;score\nSở 1;1;92,5\n",
            "unit;name;target\nSở 1;a;2.400\n", nullptr, {}, "unit,x\nSở 1,99.5\n");
    REQUIRE(disagree.size() == 1);
    CHECK(disagree[0].find("ind.csv:2:8: E223: field `ind.target`: `2.400` is ambiguous") == 0);
    // Both others agree: ind.csv takes their style.
    const auto agree = csv(two_lists, "unit;tasks_on_time;score\nSở 1;1;92,5\n",
                           "unit;name;target\nSở 1;a;2.400\n", nullptr, {}, "unit;x\nSở 1;1,25\n");
    REQUIRE(agree.size() == 1);
    CHECK(agree[0].find("ind.csv:2:8: W202: field `ind.target` of unit `Sở 1`: `2.400` was read "
                        "as 2400")
          == 0);
    // No file settles anything: E223, as before.
    const auto none =
        csv(reg, "unit;tasks_on_time;score\nSở 1;1;80\n", "unit;name;target\nSở 1;a;2.400\n");
    REQUIRE(none.size() == 1);
    CHECK(none[0].find("E223") != std::string::npos);
    // --numbers decides everything itself: no warning about the thousands reading.
    load_options comma;
    comma.numbers = load_options::number_style::comma_decimal;
    CHECK(csv(reg, "unit;tasks_on_time;score\nSở 1;1;92,5\n", "unit;name;target\nSở 1;a;2.400\n",
              nullptr, comma)
              .empty());
    // At most 10 warnings in a file; one more counts the rest.
    std::string list = "unit;name;target\n";
    for (int i = 1; i <= 12; ++i) {
        list += fmt::format("Sở 1;c{};{}.500\n", i, i);
    }
    const auto capped = csv(reg, "unit;tasks_on_time;score\nSở 1;1;92,5\n", list);
    REQUIRE(capped.size() == 11);
    CHECK(capped[10]
          == "ind.csv:12:10: W202: 2 more number cells in this file could be decimals but were "
             "read as integers with '.' between thousands (the first is here), "
                 + reason_at(2)
                 + "; if they are integers, --numbers comma reads them so without warning");
}

TEST_CASE("friction: `đơn_vị` or `Đơn vị` may name the units' column") {
    const auto reg = regulation();
    for (const auto* name : {"đơn_vị", "Đơn vị", "đơn vị", "ĐƠN VỊ", "Đơn_vị"}) {
        INFO(name);
        std::optional<dataset> d;
        CHECK(csv(reg, fmt::format("{};tasks_on_time;score\nSở 1;1;92,5\n", name),
                  fmt::format("{};name;target\nSở 1;a;10\n", name), &d)
                  .empty());
        REQUIRE(d);
        REQUIRE(d->units.size() == 1);
        CHECK(d->units[0].name == "Sở 1");
        CHECK(std::get<list_value>(d->units[0].fields[0].v)->size() == 1);
        std::optional<dataset> j;
        CHECK(json(reg,
                   fmt::format("[{{\"{}\": \"Sở 1\", \"tasks_on_time\": 1, \"score\": 2, "
                               "\"ind\": []}}]",
                               name),
                   &j)
                  .empty());
        REQUIRE(j);
        CHECK(j->units[0].name == "Sở 1");
    }
    // Both: one too many.
    CHECK(csv(reg, "unit,Đơn vị,tasks_on_time,score\nSở 1,Sở 1,1,2\n", list_ok)
          == lines{"units.csv:1:6: E213: columns `unit` and `Đơn vị` both hold the units' names; "
                   "keep one\n  note units.csv:1:1: first one here"});
    CHECK(json(reg,
               "[{\"unit\": \"Sở 1\", \"đơn_vị\": \"Sở 1\", \"tasks_on_time\": 1, "
               "\"score\": 2, \"ind\": []}]")
          == lines{"kq.json:1:19: E213: keys `unit` and `đơn_vị` both hold the unit's name; keep "
                   "one\n  note kq.json:1:3: first one here"});
    // A unit with no name names the column as the header does.
    CHECK(csv(reg, "Đơn vị,tasks_on_time,score\n,1,2\n", "Đơn vị,name,target\n")
          == lines{"units.csv:2:1: E216: missing unit name in column `Đơn vị`"});
    const std::string unchecked =
        "\n  note ind.csv:2:1: 1 row of ind.csv names a unit that was not read from units.csv "
        "(this one); it is checked against units.csv once this error is fixed";
    // Without diacritics it is not the name: E214 says which names are.
    CHECK(csv(reg, "don_vi,tasks_on_time,score\nSở 1,1,2\n", list_ok)
          == lines{"units.csv:1:1: E214: no `unit` column: column `don_vi` seems to hold the "
                   "units' names; name it `unit` (or `đơn_vị`) (the other columns are named "
                   "after the regulation's input fields)"
                   + unchecked});

    // A regulation with an input field `đơn_vị`: that column is the field, and only `unit`
    // names the units, in every file (a list's field `đơn_vị` does the same).
    auto own = regulation({field("đơn_vị", ast::type_ref::kind::text)});
    std::optional<dataset> d;
    CHECK(csv(own, "unit,đơn_vị,tasks_on_time,score\nSở 1,Phòng A,1,2\n", list_ok, &d).empty());
    REQUIRE(d);
    CHECK(d->units[0].name == "Sở 1");
    CHECK(std::get<std::string>(d->units[0].fields[4].v) == "Phòng A");
    CHECK(csv(own, "đơn_vị,tasks_on_time,score\nPhòng A,1,2\n", list_ok)
          == lines{"units.csv:1:1: E214: no `unit` column: the header must have a column `unit` "
                   "holding each unit's name (usually the first column)"
                   + unchecked});
    CHECK(csv(own, "unit,đơn_vị,tasks_on_time,score\nSở 1,Phòng A,1,2\n",
              "Đơn vị,name,target\nSở 1,a,10\n")
          == lines{"ind.csv:1:1: E214: no `unit` column: column `Đơn vị` seems to hold the units' "
                   "names; name it `unit` (the other columns are named after the regulation's "
                   "input fields)"});
    CHECK(json(own, "[{\"đơn_vị\": \"Phòng A\", \"tasks_on_time\": 1, \"score\": 2, \"ind\": []}]")
          == lines{"kq.json:1:2: E214: this unit has no key \"unit\" holding its name"});
    auto in_list = regulation();
    in_list.inputs[0].type.fields.push_back(field("Đơn_vị", ast::type_ref::kind::text, true));
    CHECK(csv(in_list, "đơn_vị,tasks_on_time,score\nSở 1,1,2\n", list_ok).size() == 1);
    // The other regulation of a comparison declares `đơn_vị`: its column is skipped, as any
    // column only that regulation reads.
    load_options other;
    other.ignored_fields = {"đơn_vị"};
    std::optional<dataset> compared;
    CHECK(csv(reg, "unit,đơn_vị,tasks_on_time,score\nSở 1,Phòng A,1,2\n", list_ok, &compared, other)
              .empty());
    REQUIRE(compared);
    CHECK(compared->units[0].name == "Sở 1");
    diagnostics none;
    const auto schema = data_detail::resolve_schema(in_list, none);
    REQUIRE(schema);
    CHECK(!data_detail::vietnamese_unit_column(*schema));
    CHECK(data_detail::vietnamese_unit_column(*data_detail::resolve_schema(reg, none)));
}
