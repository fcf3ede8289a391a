// Loading results files: good files in every supported shape, and broken files with the exact
// diagnostics (code, line, column, message) they must produce.

#include "engine/data.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/parser.hpp"
#include "engine/data_detail.hpp"

using namespace thidua;

namespace {

ast::type_ref type(ast::type_ref::kind k, bool optional = false, std::string enum_name = {}) {
    ast::type_ref t;
    t.what = k;
    t.optional = optional;
    t.enum_name = std::move(enum_name);
    return t;
}

ast::field_decl field(std::string name, ast::type_ref t, std::string label = {}) {
    ast::field_decl f;
    f.name = std::move(name);
    f.type = std::move(t);
    f.label = std::move(label);
    return f;
}

// The schema of the sample regulation in docs/language-sketch.md (a subset). `list` adds the
// `indicators` list input (required unless `optional_list`).
ast::regulation make_regulation(bool list, bool optional_list = false) {
    using k = ast::type_ref::kind;
    ast::regulation reg;
    reg.file = std::make_shared<source_file>("test.tdkt", "regulation \"t\" {}\n");
    ast::enum_decl rating;
    rating.name = "rating";
    rating.ordered = true;
    rating.members = {{"xs", "Hoàn thành xuất sắc", {}},
                      {"tot", "Hoàn thành tốt", {}},
                      {"ht", "Hoàn thành", {}},
                      {"kht", "Không hoàn thành", {}}};
    reg.enums.push_back(rating);
    if (list) {
        auto t = type(k::list, optional_list);
        t.fields.push_back(field("name", type(k::text)));
        t.fields.push_back(field("target", type(k::number)));
        t.fields.push_back(field("actual", type(k::number)));
        t.fields.push_back(field("evidence", type(k::boolean), "Có tài liệu minh chứng"));
        reg.inputs.push_back(field("indicators", t));
    }
    reg.inputs.push_back(field("tasks_assigned", type(k::integer)));
    reg.inputs.push_back(field("tasks_on_time", type(k::integer)));
    reg.inputs.push_back(
        field("party", type(k::enumeration, false, "rating"), "Xếp loại tổ chức Đảng"));
    reg.inputs.push_back(field("dossier_date", type(k::date, true)));
    reg.inputs.push_back(field("serious_violation", type(k::boolean)));
    reg.inputs.push_back(field("self_score", type(k::number)));
    reg.inputs.push_back(field("note", type(k::text, true)));
    return reg;
}

std::string data_path(const std::string& rel) {
    return std::string(THIDUA_SOURCE_DIR) + "/tests/data/" + rel;
}

std::string base_name(const std::string& p) {
    const auto slash = p.find_last_of('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

// "file:line:column: CODE: message" per diagnostic (file names without directories), with notes
// as "  note file:line:column: message".
std::vector<std::string> describe(const diagnostics& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds.items()) {
        std::string s;
        if (d.file) {
            const auto loc = d.file->locate(d.where.begin);
            s = fmt::format("{}:{}:{}: ", base_name(d.file->path()), loc.line, loc.column);
        }
        s += fmt::format("{}: {}", d.code, d.message);
        for (const auto& n : d.notes) {
            s += "\n  note ";
            if (n.file) {
                const auto loc = n.file->locate(n.where.begin);
                s += fmt::format("{}:{}:{}: ", base_name(n.file->path()), loc.line, loc.column);
            }
            s += n.message;
        }
        out.push_back(std::move(s));
    }
    return out;
}

// E212's note at the field's declaration (the AST here has no positions: 1:1).
std::string optional_note(const std::string& name, const std::string& type) {
    return "\n  note test.tdkt:1:1: `" + name
           + "` is declared required here; if a unit may have no value, it can be declared "
             "optional instead, `"
           + name + ": " + type + "?` (its rules then say what an empty value scores)";
}

std::vector<std::string> errors_of(const ast::regulation& reg, const std::string& rel,
                                   const load_options& opts = {}) {
    diagnostics ds;
    const auto result = load_results(reg, data_path(rel), opts, ds);
    CHECK(result.has_value() == !ds.has_errors());
    ds.sort();
    // Replace the absolute directory in file-less messages so expectations stay portable.
    auto out = describe(ds);
    const std::string root = data_path("");
    for (auto& s : out) {
        for (auto at = s.find(root); at != std::string::npos; at = s.find(root)) {
            s.replace(at, root.size(), "");
        }
    }
    return out;
}

using lines = std::vector<std::string>;

number num(const char* text) {
    return *number::parse(text);
}

const value& field_of(const dataset& d, std::size_t unit, const ast::regulation& reg,
                      const std::string& name) {
    for (std::size_t i = 0; i < reg.inputs.size(); ++i) {
        if (reg.inputs[i].name == name) {
            return d.units.at(unit).fields.at(i);
        }
    }
    FAIL("no field " << name);
    throw std::logic_error("unreachable");
}

const std::vector<record>& list_of(const dataset& d, std::size_t unit, const ast::regulation& reg) {
    const auto& v = field_of(d, unit, reg, "indicators");
    REQUIRE(std::holds_alternative<list_value>(v.v));
    return *std::get<list_value>(v.v);
}

std::optional<dataset> load_ok(const ast::regulation& reg, const std::string& rel,
                               const load_options& opts = {}) {
    diagnostics ds;
    auto d = load_results(reg, data_path(rel), opts, ds);
    INFO(render_text(ds));
    CHECK(ds.error_count() == 0);
    REQUIRE(d.has_value());
    return d;
}

std::optional<dataset> load_text(const ast::regulation& reg, const std::string& name,
                                 std::string text, diagnostics& ds, const load_options& opts = {}) {
    const auto f = make_data_source(name, std::move(text));
    if (name.size() > 5 && name.substr(name.size() - 5) == ".json") {
        return load_results_json(reg, f, opts, ds);
    }
    csv_files files;
    files.units = f;
    files.lists.resize(reg.inputs.size());
    return load_results_csv(reg, files, opts, ds);
}

std::vector<std::string> text_errors(const ast::regulation& reg, const std::string& name,
                                     std::string text, const load_options& opts = {}) {
    diagnostics ds;
    const auto d = load_text(reg, name, std::move(text), ds, opts);
    CHECK(d.has_value() == !ds.has_errors());
    ds.sort();
    return describe(ds);
}

}  // namespace

TEST_CASE("data: comma CSV with quotes, embedded newlines, Vietnamese text and absent values") {
    const auto reg = make_regulation(false);
    const auto d = load_ok(reg, "good/comma.csv");
    REQUIRE(d->units.size() == 3);
    CHECK(d->units[0].name == "Sở Tài chính");
    CHECK(d->units[1].name == "Sở Kế hoạch và Đầu tư");
    CHECK(d->units[2].name == "Sở Tư pháp");
    CHECK(std::get<number>(field_of(*d, 0, reg, "tasks_assigned").v) == number(12));
    CHECK(std::get<number>(field_of(*d, 0, reg, "self_score").v) == num("96.5"));
    CHECK(std::get<number>(field_of(*d, 1, reg, "self_score").v) == num("88.25"));
    // 0.1 is exactly one tenth: no binary floating point on the way.
    CHECK(std::get<number>(field_of(*d, 2, reg, "self_score").v) == number::ratio(1, 10));
    CHECK(std::get<number>(field_of(*d, 2, reg, "tasks_assigned").v) == number(8));  // " 8 "
    CHECK(std::get<enum_value>(field_of(*d, 0, reg, "party").v).index == 0);
    CHECK(std::get<enum_value>(field_of(*d, 1, reg, "party").v).index == 1);  // by label
    CHECK(std::get<date>(field_of(*d, 0, reg, "dossier_date").v) == date{2018, 12, 20});
    CHECK(field_of(*d, 1, reg, "dossier_date").absent());
    CHECK(std::get<bool>(field_of(*d, 1, reg, "serious_violation").v) == false);
    CHECK(std::get<bool>(field_of(*d, 2, reg, "serious_violation").v) == false);
    CHECK(std::get<std::string>(field_of(*d, 0, reg, "note").v) == "Ghi chú, có dấu phẩy");
    CHECK(std::get<std::string>(field_of(*d, 1, reg, "note").v)
          == "Dòng 1\nDòng 2 có \"trích dẫn\"");
    // A leading '=' is plain text on input, never a formula.
    CHECK(std::get<std::string>(field_of(*d, 2, reg, "note").v) == "=SUM(A1:A3)");
    // Origins point at the cells.
    const auto& u = d->units[1];
    const auto loc = u.file->locate(u.name_span.begin);
    CHECK(loc.line == 3);
    CHECK(loc.column == 1);
    const auto& o = u.field_origins[5];  // self_score
    CHECK(o.file->slice(o.where) == "88.25");
    CHECK(o.file->locate(o.where.begin).column == 49);
    REQUIRE(d->files.size() == 1);
}

TEST_CASE("data: semicolon CSV from Excel: BOM, CRLF, decimal comma, dd/mm/yyyy, lists") {
    const auto reg = make_regulation(true);
    const auto d = load_ok(reg, "good/vn");
    REQUIRE(d->units.size() == 2);  // the `;;;;` row is ignored
    CHECK(d->units[0].name == "Sở Tài chính");
    // The BOM is not part of the first line: the header's first cell is at column 1.
    CHECK(d->units[0].file->locate(d->units[0].name_span.begin).column == 1);
    CHECK(std::get<number>(field_of(*d, 0, reg, "self_score").v) == num("1234.5"));
    // `1.200` alone would be ambiguous; the file's other cells (`1.234,5`) settle it.
    CHECK(std::get<number>(field_of(*d, 0, reg, "tasks_assigned").v) == number(1200));
    CHECK(std::get<number>(field_of(*d, 0, reg, "tasks_on_time").v) == number(1150));
    CHECK(std::get<number>(field_of(*d, 1, reg, "self_score").v) == num("95.25"));
    CHECK(std::get<enum_value>(field_of(*d, 0, reg, "party").v).index == 0);
    CHECK(std::get<date>(field_of(*d, 0, reg, "dossier_date").v) == date{2018, 12, 20});
    CHECK(std::get<date>(field_of(*d, 1, reg, "dossier_date").v) == date{2018, 4, 3});
    CHECK(std::get<bool>(field_of(*d, 0, reg, "serious_violation").v) == false);  // Không
    CHECK(std::get<bool>(field_of(*d, 1, reg, "serious_violation").v) == true);   // CÓ
    CHECK(field_of(*d, 0, reg, "note").absent());
    CHECK(std::get<std::string>(field_of(*d, 1, reg, "note").v) == "Đạt");
    const auto& l0 = list_of(*d, 0, reg);
    REQUIRE(l0.size() == 2);
    CHECK(std::get<std::string>(l0[0][0].v) == "Thu ngân sách");
    CHECK(std::get<number>(l0[0][1].v) == num("1000.5"));
    CHECK(std::get<number>(l0[0][2].v) == number(1100));
    CHECK(std::get<bool>(l0[0][3].v) == true);
    CHECK(std::get<std::string>(l0[1][0].v) == "Giải ngân; vốn \"đầu tư\"");
    CHECK(std::get<number>(l0[1][2].v) == num("95.5"));
    CHECK(std::get<bool>(l0[1][3].v) == false);
    CHECK(list_of(*d, 1, reg).empty());  // no rows: an empty list, not absent
    const auto& ro = d->units[0].list_origins[0];
    REQUIRE(ro.size() == 2);
    CHECK(ro[1].fields[2].file->slice(ro[1].fields[2].where) == "95,5");
    CHECK(ro[1].fields[2].file->locate(ro[1].fields[2].where.begin).line == 3);
    CHECK(d->files.size() == 2);
}

TEST_CASE("data: JSON with lists, exact numbers, numbers as strings and escapes") {
    const auto reg = make_regulation(true);
    const auto d = load_ok(reg, "good/results.json");
    REQUIRE(d->units.size() == 2);
    CHECK(std::get<number>(field_of(*d, 0, reg, "self_score").v) == num("96.5"));
    CHECK(std::get<enum_value>(field_of(*d, 0, reg, "party").v).index == 0);
    CHECK(std::get<std::string>(field_of(*d, 0, reg, "note").v) == "Ghi chú \"x\"");
    const auto& l0 = list_of(*d, 0, reg);
    REQUIRE(l0.size() == 2);
    CHECK(std::get<number>(l0[0][1].v) == number(1000));  // 1e3
    CHECK(std::get<number>(l0[0][2].v) == num("1100.5"));
    CHECK(std::get<number>(l0[1][2].v) == number::ratio(1, 10));
    CHECK(std::get<bool>(l0[1][3].v) == false);
    CHECK(field_of(*d, 1, reg, "dossier_date").absent());
    CHECK(field_of(*d, 1, reg, "note").absent());
    CHECK(std::get<bool>(field_of(*d, 1, reg, "serious_violation").v) == true);
    CHECK(std::get<number>(field_of(*d, 1, reg, "self_score").v) == num("88.25"));
    CHECK(list_of(*d, 1, reg).empty());
    const auto& o = d->units[1].field_origins[6];  // self_score
    CHECK(o.file->slice(o.where) == "\"88,25\"");
    CHECK(o.file->locate(o.where.begin).line == 9);
}

TEST_CASE("data: broken files give exact diagnostics") {
    const auto flat = make_regulation(false);
    const auto full = make_regulation(true);
    struct broken_case {
        const char* file;
        bool list;
        lines expected;
    };
    const std::vector<broken_case> cases = {
        {"empty.csv", false, {"empty.csv:1:1: E201: the file is empty"}},
        {"blank_lines.csv", false, {"blank_lines.csv:1:1: E201: the file is empty"}},
        {"binary.csv",
         false,
         {"binary.csv:2:22: E203: NUL byte at byte offset 110: this is a binary file, not a text "
          "results file"}},
        {"latin1.csv",
         false,
         {"latin1.csv:2:2: E202: invalid UTF-8 at byte offset 88 (byte 0xF4); save the file as "
          "UTF-8 (in Excel: \"CSV UTF-8\")"}},
        {"utf16.csv",
         false,
         {"utf16.csv:1:1: E202: the file is UTF-16, not UTF-8; save it as UTF-8 (in Excel: "
          "\"CSV UTF-8\")"}},
        {"separator.csv",
         false,
         {"separator.csv:1:1: E205: cannot tell which separator this file uses: the header line "
          "has 1 comma and 1 semicolon; separate the columns with one of them and quote any "
          "column name that contains another"}},
        {"unterminated_quote.csv",
         false,
         {"unterminated_quote.csv:2:23: E204: unterminated quoted cell: the quote opened here is "
          "never closed"}},
        {"text_after_quote.csv",
         false,
         {"text_after_quote.csv:2:7: E207: text after the closing quote of a quoted cell; a "
          "quote inside a cell is written as two quotes \"\""}},
        {"quote_in_cell.csv",
         false,
         {"quote_in_cell.csv:2:4: E207: a quote inside a cell that does not start with a quote; "
          "enclose the whole cell in quotes and write the quote as \"\""}},
        {"unknown_column.csv",
         false,
         // The label of a required field with no column: one error at it, no E211 besides.
         {"unknown_column.csv:1:35: E210: unknown column `Xếp loại tổ chức Đảng`: it is the "
          "label of the required field `party` (rating), which has no column otherwise; name "
          "this column `party`",
          "unknown_column.csv:1:99: E210: unknown column `notes`: the regulation has no input "
          "field of that name; did you mean `note`? The columns are: unit, tasks_assigned, "
          "tasks_on_time, party, dossier_date, serious_violation, self_score, note"}},
        {"missing_column.csv",
         false,
         {"missing_column.csv:1:1: E211: missing column `tasks_on_time` for the required field "
          "`tasks_on_time` (integer)",
          "missing_column.csv:1:1: E211: missing column `self_score` for the required field "
          "`self_score` (number)"}},
        {"missing_value.csv",
         false,
         {"missing_value.csv:2:8: E212: missing value for required field `tasks_on_time` "
          "(integer)"
              + optional_note("tasks_on_time", "integer"),
          "missing_value.csv:3:10: E212: missing value for required field `party` (rating)"
              + optional_note("party", "rating"),
          "missing_value.csv:3:14: E212: missing value for required field `serious_violation` "
          "(bool)"
              + optional_note("serious_violation", "bool")}},
        {"duplicate_column.csv",
         false,
         {"duplicate_column.csv:1:70: E213: duplicate column `party`\n"
          "  note duplicate_column.csv:1:35: first one here"}},
        {"no_unit_column.csv",
         false,
         {"no_unit_column.csv:1:1: E214: no `unit` column: column `name` seems to hold the units' "
          "names; name it `unit` (or `đơn_vị`) (the other columns are named after the "
          "regulation's input fields)"}},
        {"duplicate_unit.csv",
         false,
         {"duplicate_unit.csv:4:2: E215: duplicate unit `Sở Tài chính`\n"
          "  note duplicate_unit.csv:2:1: first row of this unit"}},
        {"empty_unit_name.csv",
         false,
         {"empty_unit_name.csv:3:1: E216: missing unit name in column `unit`"}},
        // The same name in decomposed Unicode (NFD) is the same unit: read in NFC, the second row
        // repeats the first.
        {"nfd_unit_name.csv",
         false,
         {"nfd_unit_name.csv:3:1: E215: duplicate unit `Sở Tài chính`\n"
          "  note nfd_unit_name.csv:2:1: first row of this unit"}},
        {"newline_unit_name.csv",
         false,
         {"newline_unit_name.csv:2:1: E231: a unit name cannot contain a line break or a control "
          "character"}},
        {"cell_count.csv",
         false,
         {"cell_count.csv:2:24: E206: this row has 10 cells but the header has 8 columns; in a "
          "file separated by commas, a comma inside a cell (a name, or a number with a decimal "
          "comma such as 104,5) splits it in two: quote the cell (\"104,5\"), or separate the "
          "columns with semicolons",
          "cell_count.csv:3:12: E206: this row has 4 cells but the header has 8 columns"}},
        {"not_a_number.csv",
         false,
         {"not_a_number.csv:2:6: E220: field `tasks_assigned` (integer): `mười` is not a number",
          "not_a_number.csv:2:23: E220: field `self_score` (number): `90%` is not a number: a "
          "results file has no percent sign; write 90 if the field holds percentage points, or "
          "0.9 if it holds a ratio (as `90%` means in a regulation)"}},
        {"not_whole.csv",
         false,
         {"not_whole.csv:2:6: E221: field `tasks_assigned` is an integer, but `2.5` is not a "
          "whole number"}},
        {"too_large.csv",
         false,
         {"too_large.csv:2:20: E222: field `self_score`: "
          "`1234567890123456789012345678901234567890...` has too many digits to be held exactly",
          "too_large.csv:3:20: E222: field `self_score`: "
          "`0.00000000000000000000000000000000000000...` has too many digits to be held "
          "exactly"}},
        {"ambiguous_number.csv",
         false,
         {"ambiguous_number.csv:2:19: E223: field `self_score`: `1.234` is ambiguous: it reads "
          "as 1234 with a thousands separator or as 1.234 with a decimal point, and no other "
          "number in this file settles which (and 1 more cell like it); choose with --numbers "
          "comma or --numbers dot"}},
        {"mixed_styles.csv",
         false,
         {"mixed_styles.csv:3:19: E224: `96.25` is written with a decimal point, but this file "
          "also has `95,5` with a decimal comma; write every number in one style\n"
          "  note mixed_styles.csv:2:19: `95,5` is here"}},
        {"bad_bool.csv",
         false,
         {"bad_bool.csv:2:14: E225: field `serious_violation` (bool): `x` is not a yes/no value; "
          "write true or false (also accepted: 1/0, yes/no, có/không, đúng/sai)",
          "bad_bool.csv:3:14: E225: field `serious_violation` (bool): `đúng rồi` is not a yes/no "
          "value; write true or false (also accepted: 1/0, yes/no, có/không, đúng/sai)"}},
        {"bad_date.csv",
         false,
         {"bad_date.csv:2:13: E226: field `dossier_date` (date): `2018-02-30` is not a real "
          "date: 02/2018 has 28 days",
          "bad_date.csv:3:13: E226: field `dossier_date` (date): `12/25/2018` is not a real "
          "date: there is no month 25 (dates are day first: dd/mm/yyyy)",
          "bad_date.csv:4:13: E226: field `dossier_date` (date): `hôm qua` is not a date; write "
          "it as yyyy-mm-dd or dd/mm/yyyy, e.g. 2018-12-20 or 20/12/2018"}},
        {"bad_enum.csv",
         false,
         {"bad_enum.csv:2:10: E227: field `party`: `xuất sắc` is not a value of enum `rating`; "
          "did you mean `xs` (\"Hoàn thành xuất sắc\")? Write a member's name or label exactly "
          "(letter case and diacritics count); allowed: xs \"Hoàn thành xuất sắc\", tot \"Hoàn "
          "thành tốt\", ht \"Hoàn thành\", kht \"Không hoàn thành\"",
          "bad_enum.csv:3:10: E227: field `party`: `XS` is not a value of enum `rating`; did you "
          "mean `xs` (\"Hoàn thành xuất sắc\")? Write a member's name or label exactly (letter "
          "case and diacritics count); allowed: xs \"Hoàn thành xuất sắc\", tot \"Hoàn thành "
          "tốt\", ht \"Hoàn thành\", kht \"Không hoàn thành\""}},
        {"unnamed_column.csv",
         false,
         {"unnamed_column.csv:3:23: E230: a value in a column that has no name in the header"}},
        {"list_column.csv",
         true,
         {"E218: missing file broken/list_column.indicators.csv for the required list input "
          "`indicators`: it needs the columns unit, name, target, actual, evidence (one row per "
          "element; a unit with no rows has an empty list)\n"
          "  note test.tdkt:1:1: the list is declared here",
          "list_column.csv:1:88: E210: column `indicators` is a list input; its elements go in "
          "a file of their own, one row per element (indicators.csv in a results directory, "
          "<stem>.indicators.csv beside a units file <stem>.csv)"}},
        {"list_unknown_unit",
         true,
         {"indicators.csv:3:1: E217: unit `Sở C` is not in units.csv; every row of `indicators` "
          "must belong to a unit of the units file; the units of units.csv are `Sở A`, `Sở B`",
          "indicators.csv:4:14: E212: missing value for required field `indicators.actual` "
          "(number)"
              + optional_note("actual", "number")}},
        // An unknown unit is reported once, at its first row, however many rows name it.
        {"list_unknown_unit_rows",
         true,
         {"indicators.csv:3:1: E217: unit `Sở Tài chinh` is not in units.csv; every row of "
          "`indicators` must belong to a unit of the units file; did you mean `Sở Tài chính`?\n"
          "  note indicators.csv:4:1: 12 rows of this file name this unit; the others are on "
          "lines 4, 5, 6, 7, 8, 10, 11, 12 and 3 more",
          "indicators.csv:16:1: E217: unit `Sở Y tế` is not in units.csv; every row of "
          "`indicators` must belong to a unit of the units file; the units of units.csv are `Sở "
          "A`, `Sở Tài chính`, `Sở B`\n"
          "  note indicators.csv:18:1: 2 rows of this file name this unit; the other one is on "
          "line 18"}},
        // The same bad value down a column is one error with its other lines; another value in
        // the same column (`giỏi`) is an error of its own.
        {"repeated_values.csv",
         false,
         {"repeated_values.csv:2:10: E227: field `party`: `XS` is not a value of enum `rating`; "
          "did you mean `xs` (\"Hoàn thành xuất sắc\")? Write a member's name or label exactly "
          "(letter case and diacritics count); allowed: xs \"Hoàn thành xuất sắc\", tot \"Hoàn "
          "thành tốt\", ht \"Hoàn thành\", kht \"Không hoàn thành\"\n"
          "  note repeated_values.csv:3:10: the same error 2 more times in this file, on lines "
          "3, 5",
          "repeated_values.csv:2:14: E225: field `serious_violation` (bool): `x` is not a yes/no "
          "value; write true or false (also accepted: 1/0, yes/no, có/không, đúng/sai)\n"
          "  note repeated_values.csv:4:16: the same error 1 more time in this file, on line 4",
          "repeated_values.csv:4:10: E227: field `party`: `giỏi` is not a value of enum "
          "`rating`; allowed: xs \"Hoàn thành xuất sắc\", tot \"Hoàn thành tốt\", ht \"Hoàn "
          "thành\", kht \"Không hoàn thành\"",
          "repeated_values.csv:5:8: E212: missing value for required field `tasks_on_time` "
          "(integer)"
              + optional_note("tasks_on_time", "integer")
              + "\n  note repeated_values.csv:6:8: the same error 1 more time in this file, on "
                "line 6"}},
        {"missing_list",
         true,
         {"E218: missing file broken/missing_list/indicators.csv for the required list input "
          "`indicators`: it needs the columns unit, name, target, actual, evidence (one row per "
          "element; a unit with no rows has an empty list); indicator.csv is in the folder: did "
          "you mean to name it indicators.csv?\n"
          "  note test.tdkt:1:1: the list is declared here",
          "W201: broken/missing_list/indicator.csv: file not used: its name is close to "
          "indicators.csv, the file of list `indicators`, which is missing; rename it "
          "indicators.csv"}},
        {"syntax.json",
         false,
         {"syntax.json:2:39: E208: JSON syntax error: a comma after the last element, which "
          "JSON does not allow; remove it"}},
        {"deep.json",
         false,
         {"deep.json:1:2: E229: expected an object for a unit ({\"unit\": ...})",
          "deep.json:1:66: E209: JSON nesting is deeper than 64 levels"}},
        {"not_array.json",
         false,
         {"not_array.json:1:1: E229: expected an array of units, e.g. [{\"unit\": \"Sở Tài "
          "chính\", ...}, ...]; found a single object"}},
        {"wrong_type.json",
         false,
         {"wrong_type.json:2:60: E228: field `tasks_on_time` (integer): expected a number, found "
          "an array",
          "wrong_type.json:2:74: E228: field `party` (rating): expected a string (a member of "
          "the enum), found a number",
          "wrong_type.json:3:18: E228: field `self_score` (number): expected a number, found "
          "true/false",
          "wrong_type.json:3:32: E228: field `note` (text?): expected a string, found a number"}},
        {"keys.json",
         false,
         {"keys.json:3:22: E213: duplicate key \"self_score\"",
          "keys.json:3:40: E210: unknown key `score`: the regulation has no input field of that "
          "name; the keys are: unit, tasks_assigned, tasks_on_time, party, dossier_date, "
          "serious_violation, self_score, note",
          "keys.json:4:3: E214: this unit has no key \"unit\" (or \"đơn_vị\") holding its name",
          "keys.json:5:3: E212: missing key \"tasks_assigned\" for the required field "
          "`tasks_assigned` (integer)",
          "keys.json:5:37: E212: missing value for required field `tasks_on_time` (integer)"
              + optional_note("tasks_on_time", "integer"),
          "keys.json:5:100: E222: field `self_score`: `1e999` has too many digits to be held "
          "exactly",
          "keys.json:6:3: E229: expected an object for a unit ({\"unit\": ...})"}},
        {"bad_string.json",
         false,
         {"bad_string.json:1:16: E208: JSON syntax error: invalid escape in a string (valid: "
          "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"}},
        {"json_list.json",
         true,
         {"json_list.json:5:6: E212: missing key \"actual\" for the required field "
          "`indicators.actual` (number)",
          "json_list.json:5:57: E210: unknown key `extra`: list `indicators` has no field of "
          "that name; its fields are: name, target, actual, evidence",
          "json_list.json:6:6: E228: field `indicators`: expected an object for each element, "
          "found a number",
          "json_list.json:9:36: E228: field `indicators` (list): expected an array of objects, "
          "found an object"}},
    };
    for (const auto& c : cases) {
        SECTION(c.file) {
            CHECK(errors_of(c.list ? full : flat, std::string("broken/") + c.file) == c.expected);
        }
    }
}

TEST_CASE("data: --numbers and --dates settle what auto-detection cannot") {
    const auto flat = make_regulation(false);
    const std::string header =
        "unit;tasks_assigned;tasks_on_time;party;serious_violation;self_score\n";
    const std::string body = header + "Sở A;1.500;1;xs;không;1.234\n";
    load_options comma;
    comma.numbers = load_options::number_style::comma_decimal;
    {
        diagnostics ds;
        const auto d = load_text(flat, "a.csv", body, ds, comma);
        REQUIRE(d);
        CHECK(std::get<number>(d->units[0].fields[0].v) == number(1500));
        CHECK(std::get<number>(d->units[0].fields[5].v) == number(1234));
    }
    load_options dot;
    dot.numbers = load_options::number_style::dot_decimal;
    // `1.234` read with a decimal point is worth a warning (W202); `1.500` is an error already.
    CHECK(text_errors(flat, "a.csv", body, dot)
          == lines{"a.csv:2:6: E221: field `tasks_assigned` is an integer, but `1.500` was read "
                   "as 1.5 because --numbers dot makes '.' the decimal separator, and that is not "
                   "a whole number; if it means 1500, write 1500; if this file writes numbers "
                   "the Vietnamese way, with '.' between thousands, read it with --numbers comma",
                   "a.csv:2:23: W202: field `self_score` of unit `Sở A`: `1.234` was read as "
                   "1.234 because --numbers dot makes '.' the decimal separator; if it means "
                   "1234, write 1234"});
    CHECK(text_errors(flat, "a.csv", header + "Sở A;1;1;xs;không;95,5\n", dot)
          == lines{"a.csv:2:19: E220: field `self_score` (number): `95,5` is not a number with a "
                   "decimal point (numbers are read with --numbers dot)"});
    CHECK(text_errors(flat, "a.csv", header + "Sở A;1;1;xs;không;95.5\n", comma)
          == lines{"a.csv:2:19: E220: field `self_score` (number): `95.5` is not a number with a "
                   "decimal comma (numbers are read with --numbers comma)"});
    {
        diagnostics ds;
        const auto d = load_text(flat, "a.csv", header + "Sở A;1;1;xs;không;1.234\n", ds, dot);
        REQUIRE(d);
        CHECK(std::get<number>(d->units[0].fields[5].v) == num("1.234"));
    }
    // Thousands groups must be well formed in comma style.
    CHECK(text_errors(flat, "a.csv", header + "Sở A;1;1;xs;không;1.23,5\n", comma)
          == lines{"a.csv:2:19: E220: field `self_score` (number): `1.23,5` is not a number"});

    const std::string dates =
        "unit,tasks_assigned,tasks_on_time,party,serious_violation,"
        "self_score,dossier_date\nSở A,1,1,xs,no,1,";
    load_options iso;
    iso.dates = load_options::date_style::iso;
    CHECK(text_errors(flat, "d.csv", dates + "20/12/2018\n", iso)
          == lines{"d.csv:2:18: E226: field `dossier_date` (date): `20/12/2018` is not a date "
                   "(dates are read as ISO yyyy-mm-dd: --dates iso)"});
    load_options dmy;
    dmy.dates = load_options::date_style::dmy;
    CHECK(text_errors(flat, "d.csv", dates + "2018-12-20\n", dmy)
          == lines{"d.csv:2:18: E226: field `dossier_date` (date): `2018-12-20` is not a date "
                   "(dates are read as dd/mm/yyyy: --dates dmy)"});
    // A two-digit year, or dots or dashes between day, month and year: the date meant is named.
    CHECK(text_errors(flat, "d.csv", dates + "18/12/18\n")
          == lines{"d.csv:2:18: E226: field `dossier_date` (date): `18/12/18` is not a date; the "
                   "year has two digits: if it means 18/12/2018, write 18/12/2018"});
    CHECK(text_errors(flat, "d.csv", dates + "8.2.2019\n")
          == lines{"d.csv:2:18: E226: field `dossier_date` (date): `8.2.2019` is not a date; if "
                   "it means 08/02/2019, write 08/02/2019"});
    CHECK(text_errors(flat, "d.csv", dates + "18-12-2018\n", iso)
          == lines{"d.csv:2:18: E226: field `dossier_date` (date): `18-12-2018` is not a date; if "
                   "it means 2018-12-18, write 2018-12-18"});
    // Not a real date in any reading: the general advice.
    CHECK(text_errors(flat, "d.csv", dates + "31.02.2018\n")
          == lines{"d.csv:2:18: E226: field `dossier_date` (date): `31.02.2018` is not a date; "
                   "write it as yyyy-mm-dd or dd/mm/yyyy, e.g. 2018-12-20 or 20/12/2018"});
    CHECK(text_errors(flat, "d.csv", dates + "18/12/218\n")
          == lines{"d.csv:2:18: E226: field `dossier_date` (date): `18/12/218` is not a date; "
                   "write it as yyyy-mm-dd or dd/mm/yyyy, e.g. 2018-12-20 or 20/12/2018"});
    CHECK(text_errors(flat, "d.csv", dates + "29/02/2020\n", dmy).empty());  // leap year
    CHECK(text_errors(flat, "d.csv", dates + "29/02/2100\n").size() == 1);   // not a leap year

    CHECK(parse_number_style("comma") == load_options::number_style::comma_decimal);
    CHECK(parse_number_style("dot") == load_options::number_style::dot_decimal);
    CHECK(parse_number_style("auto") == load_options::number_style::auto_detect);
    CHECK_FALSE(parse_number_style("Comma"));
    CHECK(parse_date_style("dmy") == load_options::date_style::dmy);
    CHECK_FALSE(parse_date_style("mdy"));
}

TEST_CASE("data: booleans and enum labels are read as documented") {
    const auto flat = make_regulation(false);
    const std::string header =
        "unit,tasks_assigned,tasks_on_time,party,serious_violation,self_score\n";
    std::string text = header;
    const std::vector<std::pair<std::string, bool>> bools = {
        {"true", true},   {"TRUE", true},   {"1", true},      {"Yes", true},     {"có", true},
        {"CÓ", true},     {"Đúng", true},   {"false", false}, {"0", false},      {"no", false},
        {"không", false}, {"KHÔNG", false}, {"Sai", false},   {" False ", false}};
    for (std::size_t i = 0; i < bools.size(); ++i) {
        text += fmt::format("u{},1,1,Hoàn thành,{},1\n", i, bools[i].first);
    }
    diagnostics ds;
    const auto d = load_text(flat, "b.csv", text, ds);
    INFO(render_text(ds));
    REQUIRE(d);
    for (std::size_t i = 0; i < bools.size(); ++i) {
        INFO(bools[i].first);
        CHECK(std::get<bool>(d->units[i].fields[4].v) == bools[i].second);
        CHECK(std::get<enum_value>(d->units[i].fields[2].v).index == 2);
    }
}

TEST_CASE("data: list files beside a units file, optional lists") {
    const auto full = make_regulation(true);
    // <stem>.<list>.csv beside <stem>.csv
    const auto d = load_ok(full, "good/beside/results.csv");
    REQUIRE(d->units.size() == 2);
    CHECK(list_of(*d, 0, full).size() == 1);
    CHECK(list_of(*d, 1, full).empty());

    const auto optional = make_regulation(true, true);
    const std::string units =
        "unit,tasks_assigned,tasks_on_time,party,serious_violation,"
        "self_score\nSở A,1,1,xs,no,1\n";
    diagnostics ds;
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists.resize(optional.inputs.size());
    auto r = load_results_csv(optional, files, {}, ds);
    REQUIRE(r);
    CHECK(r->units[0].fields[0].absent());  // no file: the optional list is absent
    files.lists[0] = make_data_source("indicators.csv", "unit,name,target,actual,evidence\n");
    r = load_results_csv(optional, files, {}, ds);
    REQUIRE(r);
    REQUIRE(std::holds_alternative<list_value>(r->units[0].fields[0].v));  // present, empty
    CHECK(std::get<list_value>(r->units[0].fields[0].v)->empty());
    // Not an error; the file with its header alone is a warning (W203), as for any list.
    REQUIRE(ds.items().size() == 1);
    CHECK(ds.items()[0].code == "W203");
    CHECK_FALSE(ds.has_errors());
}

TEST_CASE("data: schemas that cannot be loaded and paths that do not work") {
    auto reg = make_regulation(false);
    reg.inputs.push_back(field("unit", type(ast::type_ref::kind::text)));
    reg.inputs[0].name_span = {0, 4};
    reg.inputs.back().name_span = {11, 14};
    CHECK(
        text_errors(reg, "x.csv", "unit\nA\n")
        == lines{"test.tdkt:1:12: E219: input field `unit` cannot be loaded: `unit` is the column "
                 "(or key) that holds each unit's name; rename the field"});

    auto nested = make_regulation(true);
    auto inner = type(ast::type_ref::kind::list);
    inner.fields.push_back(field("x", type(ast::type_ref::kind::number)));
    nested.inputs[0].type.fields.push_back(field("sub", inner));
    CHECK(
        text_errors(nested, "x.json", "[]")
        == lines{"test.tdkt:1:1: E219: input field `indicators.sub` is a list inside a list, which "
                 "results files cannot hold"});

    auto unknown_enum = make_regulation(false);
    unknown_enum.inputs[2].type.enum_name = "grade";
    CHECK(text_errors(unknown_enum, "x.json", "[]")
          == lines{"test.tdkt:1:1: E219: input field `party` has type `grade`, which is not a "
                   "declared enum; results cannot be loaded"});

    const auto flat = make_regulation(false);
    CHECK(errors_of(flat, "nowhere/units.csv")
          == lines{"E200: results path `nowhere/units.csv` does not exist"});
    CHECK(errors_of(flat, "broken/notes.txt")
          == lines{"E200: results path `broken/notes.txt` is neither a directory, a .csv file nor "
                   "a .json file"});
    CHECK(errors_of(flat, "broken")
          == lines{"E200: results directory `broken` has no units.csv (one row per unit, first "
                   "column `unit`)"});
}

TEST_CASE("data: results with no unit are E201 in both forms, from the loaders themselves") {
    const auto flat = make_regulation(false);
    const std::string e201 =
        "E201: the results hold no unit (no row after the header, or an empty list): nothing to "
        "score";
    CHECK(text_errors(flat, "e.json", " [ ] ") == lines{"e.json:1:1: " + e201});
    CHECK(text_errors(flat, "e.csv",
                      "unit,tasks_assigned,tasks_on_time,party,serious_violation,self_score\r\n")
          == lines{"e.csv:1:1: " + e201});
    // Blank lines and Excel's `;;;` rows are no rows; a `sep=` line alone is no header.
    CHECK(text_errors(flat, "e.csv",
                      "unit;tasks_assigned;tasks_on_time;party;serious_violation;self_score\n"
                      "\n;;;;;\n")
          == lines{"e.csv:1:1: " + e201});
    CHECK(text_errors(flat, "e.csv", "sep=;\n") == lines{"e.csv:1:1: " + e201});
    // Rows that are all wrong explain themselves: no E201 on top of them.
    CHECK(text_errors(flat, "e.csv",
                      "unit,tasks_assigned,tasks_on_time,party,serious_violation,self_score\n"
                      ",1,1,xs,no,1\n")
          == lines{"e.csv:2:1: E216: missing unit name in column `unit`"});
    CHECK(text_errors(flat, "e.json", "[1]")
          == lines{"e.json:1:2: E229: expected an object for a unit ({\"unit\": ...})"});
}

TEST_CASE("data: error count per file is capped") {
    const auto flat = make_regulation(false);
    std::string text = "unit,tasks_assigned,tasks_on_time,party,serious_violation,self_score\n";
    // Distinct bad values: each is an error of its own (identical ones are grouped, see below).
    for (int i = 0; i < 500; ++i) {
        text += fmt::format("u{0},x{0},1,xs,no,1\n", i);
    }
    const auto errs = text_errors(flat, "many.csv", text);
    REQUIRE(errs.size() == max_errors_per_file + 1);
    CHECK(errs.back()
          == "many.csv:202:6: E299: too many errors in this file; only the first 200 are reported");
}

TEST_CASE("data: JSON edge cases") {
    const auto flat = make_regulation(false);
    const std::string unit =
        R"({"unit": "A", "tasks_assigned": 1, "tasks_on_time": 1, "party": "xs", )"
        R"("serious_violation": false, )";
    {
        diagnostics ds;
        const auto d = load_text(
            flat, "j.json",
            "[" + unit + R"("self_score": -0.125e2, "note": "S\u1edf \ud83d\ude00"}])", ds);
        INFO(render_text(ds));
        REQUIRE(d);
        CHECK(std::get<number>(d->units[0].fields[5].v) == num("-12.5"));
        CHECK(std::get<std::string>(d->units[0].fields[6].v) == "Sở 😀");
    }
    CHECK(text_errors(flat, "j.json", "[" + unit + R"("self_score": 01}])")
          == lines{"j.json:1:115: E208: JSON syntax error: invalid number"});
    CHECK(text_errors(flat, "j.json", "[" + unit + R"("self_score": 1)")
          == lines{"j.json:1:115: E208: JSON syntax error: unexpected end of file; expected ',' or "
                   "'}' after an object member"});
    CHECK(
        text_errors(flat, "j.json", "[" + unit + R"("self_score": 1, "note": "\ud83d"}])")
        == lines{"j.json:1:126: E208: JSON syntax error: a \\u escape of a high surrogate must be "
                 "followed by a low surrogate"});
    CHECK(text_errors(flat, "j.json", "[" + unit + "\"self_score\": 1, \"note\": \"a\tb\"}]")
          == lines{"j.json:1:127: E208: JSON syntax error: control character inside a string "
                   "(write it as an escape, e.g. \\n)"});
    CHECK(text_errors(flat, "j.json", "[" + unit + R"("self_score": 1}] x)")
          == lines{"j.json:1:118: E208: JSON syntax error: unexpected text after the end of the "
                   "array of units"});
    CHECK(text_errors(flat, "j.json", "[" + unit + R"("self_score": 2.5, "tasks_on_time": 1}])")
              .size()
          == 1);  // duplicate key
    CHECK(text_errors(flat, "j.json", "[" + unit + R"("self_score": 1, "unit": "B"}])")
          == lines{"j.json:1:117: E213: duplicate key \"unit\""});
    // Integers may be written 3.0 or 3e0: the value is whole.
    const std::string whole =
        R"([{"unit": "A", "tasks_assigned": 3.0, "tasks_on_time": 3e0, "party": "xs", )"
        R"("serious_violation": false, "self_score": 1}])";
    CHECK(text_errors(flat, "j.json", whole).empty());
    // Very deep nesting is refused, never a stack overflow.
    const std::string deep = "[" + std::string(100000, '[') + std::string(100000, ']') + "]";
    const auto errs = text_errors(flat, "deep.json", deep);
    REQUIRE(errs.size() == 2);
    CHECK(errs[1] == "deep.json:1:66: E209: JSON nesting is deeper than 64 levels");
}

TEST_CASE("data: number text helpers") {
    using data_detail::json_number_to_decimal;
    using data_detail::read_number_forms;
    const auto f = read_number_forms("1.234");
    CHECK(f.dot == "1.234");
    CHECK(f.comma == "1234");
    CHECK(read_number_forms("1.234.567,89").comma == "1234567.89");
    CHECK_FALSE(read_number_forms("1.234.567,89").dot);
    CHECK_FALSE(read_number_forms("0.500").comma);  // a thousands group never starts with 0
    CHECK_FALSE(read_number_forms("1234.567").comma);
    CHECK(read_number_forms("-12,5").comma == "-12.5");
    CHECK_FALSE(read_number_forms("+1").dot);
    CHECK_FALSE(read_number_forms("1e3").dot);
    CHECK_FALSE(read_number_forms(".5").dot);
    CHECK_FALSE(read_number_forms("5.").dot);
    CHECK_FALSE(read_number_forms("1 234").comma);
    CHECK(json_number_to_decimal("0") == "0");
    CHECK(json_number_to_decimal("-0.0") == "0");
    CHECK(json_number_to_decimal("1e3") == "1000");
    CHECK(json_number_to_decimal("1.25E-3") == "0.00125");
    CHECK(json_number_to_decimal("-123.4500") == "-123.45");
    CHECK(json_number_to_decimal("0.5e1") == "5");
    CHECK(json_number_to_decimal("12345e-2") == "123.45");
    CHECK_FALSE(json_number_to_decimal("1e999"));
    CHECK(data_detail::lower_vietnamese("KHÔNG ĐÚNG Ở ỨNG") == "không đúng ở ứng");
}

TEST_CASE("data: 100,000 units load from CSV and JSON") {
    // Size only: load speed is measured by benchmarks, never asserted on time in tests.
    const auto full = make_regulation(true);
    constexpr int n = 100000;
    std::string units = "unit;tasks_assigned;tasks_on_time;party;serious_violation;self_score\n";
    std::string list = "unit;name;target;actual;evidence\n";
    std::string json = "[";
    for (int i = 0; i < n; ++i) {
        units += fmt::format("Đơn vị {};{};{};tot;không;{},{}\n", i, i, i / 2, i % 100, i % 7);
        list += fmt::format("Đơn vị {};\"Chỉ tiêu; {}\";100;{},5;có\n", i, i, i % 120);
        json += fmt::format(
            R"({}{{"unit": "Đơn vị {}", "tasks_assigned": {}, "tasks_on_time": {}, "party": "tot", )"
            R"("serious_violation": false, "self_score": {}.{}, "indicators": [)"
            R"({{"name": "x", "target": 100, "actual": "{}.5", "evidence": true}}]}})",
            i == 0 ? "" : ",", i, i, i / 2, i % 100, i % 7, i % 120);
    }
    json += "]";
    diagnostics ds;
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists = {make_data_source("indicators.csv", list)};
    files.lists.resize(full.inputs.size());
    const auto d = load_results_csv(full, files, {}, ds);
    INFO(render_text(ds));
    REQUIRE(d);
    CHECK(d->units.size() == n);
    CHECK(std::get<number>(list_of(*d, n - 1, full)[0][2].v) == num("39.5"));
    const auto j = load_results_json(full, make_data_source("r.json", json), {}, ds);
    REQUIRE(j);
    CHECK(j->units.size() == n);
    CHECK(std::get<number>(j->units[n - 1].fields[6].v) == num("99.4"));
}

TEST_CASE("data: mangled files never crash the loader") {
    // Deterministic mutations of good files: each must load or fail with diagnostics, nothing
    // else (no exception, no crash; run under the sanitizers in CI).
    const auto full = make_regulation(true);
    std::vector<std::pair<std::string, std::string>> seeds;
    for (const char* rel :
         {"good/comma.csv", "good/results.json", "good/vn/units.csv", "good/vn/indicators.csv"}) {
        std::string err;
        const auto f = read_data_file(data_path(rel), err);
        REQUIRE(f);
        seeds.emplace_back(rel, f->text());
    }
    std::uint32_t state = 12345;
    const auto next = [&state] {
        state = state * 1103515245U + 12345U;
        return state >> 8U;
    };
    const std::string alphabet = "\"',;\n\r{}[]:0.-e\\ xé\xff";
    int loaded = 0;
    for (int round = 0; round < 3000; ++round) {
        const auto& seed = seeds[next() % seeds.size()];
        std::string text = seed.second;
        const auto edits = 1 + next() % 4;
        for (std::uint32_t e = 0; e < edits && !text.empty(); ++e) {
            const auto at = next() % text.size();
            switch (next() % 3) {
                case 0:
                    text.erase(at, 1 + next() % 8);
                    break;
                case 1:
                    text.insert(at, 1, alphabet[next() % alphabet.size()]);
                    break;
                default:
                    text[at] = alphabet[next() % alphabet.size()];
            }
        }
        diagnostics ds;
        const bool json = seed.first.find(".json") != std::string::npos;
        const auto f = make_data_source(json ? "m.json" : "m.csv", text);
        std::optional<dataset> d;
        if (json) {
            d = load_results_json(full, f, {}, ds);
        } else {
            csv_files files;
            files.units = f;
            files.lists = {make_data_source("i.csv", seeds[3].second)};
            files.lists.resize(full.inputs.size());
            d = load_results_csv(full, files, {}, ds);
        }
        CHECK(d.has_value() == !ds.has_errors());
        for (const auto& diag : ds.items()) {
            render_text(diag);  // every position must render
        }
        loaded += d ? 1 : 0;
    }
    CHECK(loaded < 3000);
}

TEST_CASE("data: results for a parsed regulation (.tdkt)") {
    std::string error;
    const auto file = source_file::load(data_path("regulation.tdkt"), error);
    REQUIRE(file);
    auto parsed = parse(file);
    INFO(render_text(parsed.diags));
    REQUIRE(parsed.regulation);
    const auto& reg = *parsed.regulation;
    REQUIRE(reg.inputs.size() == 10);

    const auto d = load_ok(reg, "good/sketch");
    REQUIRE(d->units.size() == 2);
    CHECK(std::get<enum_value>(field_of(*d, 1, reg, "party").v).index == 1);
    CHECK(field_of(*d, 1, reg, "dossier_date").absent());
    CHECK(std::get<date>(field_of(*d, 0, reg, "dossier_date").v) == date{2018, 12, 18});
    const auto& l = list_of(*d, 0, reg);
    REQUIRE(l.size() == 2);
    CHECK(std::get<number>(l[0][1].v) == number(30544));
    CHECK(std::get<number>(l[1][2].v) == num("104.5"));
    CHECK(std::get<std::string>(l[1][0].v) == "Giải ngân vốn đầu tư công, dự án");
    CHECK(list_of(*d, 1, reg).size() == 1);

    // A missing list file points back at the list's declaration in the regulation.
    CHECK(errors_of(reg, "broken/sketch_missing_list")
          == lines{"E218: missing file broken/sketch_missing_list/indicators.csv for the required "
                   "list input `indicators`: it needs the columns unit, name, target, actual, "
                   "evidence (one row per element; a unit with no rows has an empty list)\n"
                   "  note regulation.tdkt:9:5: the list is declared here"});
}

TEST_CASE("data: a first line sep= with a semicolon names the separator") {
    const auto flat = make_regulation(false);
    diagnostics ds;
    const auto d = load_text(flat, "s.csv",
                             "sep=;\r\nunit;tasks_assigned;tasks_on_time;party;serious_violation;"
                             "self_score\r\nSở A, B;1;2;xs;no;9,5\r\n",
                             ds);
    INFO(render_text(ds));
    REQUIRE(d);
    CHECK(d->units[0].name == "Sở A, B");
    CHECK(std::get<number>(d->units[0].fields[5].v) == num("9.5"));
    CHECK(d->units[0].file->locate(d->units[0].name_span.begin).line == 3);
}

TEST_CASE("data: a byte order mark is skipped even in a source made by hand") {
    const auto flat = make_regulation(false);
    const std::string bom = "\xEF\xBB\xBF";
    diagnostics ds;
    csv_files files;
    files.units = std::make_shared<source_file>(
        "bom.csv", bom + "unit;tasks_assigned;tasks_on_time;party;serious_violation;self_score\n"
                         "A;1;1;xs;no;1\n");
    files.lists.resize(flat.inputs.size());
    CHECK(load_results_csv(flat, files, {}, ds));
    const auto json = std::make_shared<source_file>(
        "bom.json", bom
                        + R"([{"unit": "A", "tasks_assigned": 1, "tasks_on_time": 1, )"
                          R"("party": "xs", "serious_violation": false, "self_score": 1}])");
    CHECK(load_results_json(flat, json, {}, ds));
    CHECK(ds.empty());
}

namespace {

// Diagnostics of a units file with an `indicators` list file, both in memory.
std::vector<std::string> with_list_errors(const std::string& units, const std::string& list) {
    const auto full = make_regulation(true);
    diagnostics ds;
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists.resize(full.inputs.size());
    files.lists[0] = make_data_source("indicators.csv", list);
    const auto d = load_results_csv(full, files, {}, ds);
    CHECK(d.has_value() == !ds.has_errors());
    ds.sort();
    return describe(ds);
}

}  // namespace

TEST_CASE("data: a units file that cannot be read whole is reported once, not per list row") {
    const std::string header =
        "unit,tasks_assigned,tasks_on_time,party,serious_violation,self_score\n";
    const std::string list =
        "unit,name,target,actual,evidence\n"
        "Sở A,Thu,100,90,có\n"
        "Sở B,Chi,100,90,có\n"
        "Sở B,Chi,100,90,có\n"
        "Sở C,Chi,100,90,có\n";
    const std::string e201 =
        "units.csv:1:1: E201: the results hold no unit (no row after the header, or an empty "
        "list): nothing to score";
    const auto unchecked = [](int n, int line, int column = 1) {
        return fmt::format(
            "\n  note indicators.csv:{}:{}: {} row{} of indicators.csv name{} "
            "{} not read from units.csv ({}); {} checked against units.csv once "
            "this error is fixed",
            line, column, n, n == 1 ? "" : "s", n == 1 ? "s" : "",
            n == 1 ? "a unit that was" : "units that were",
            n == 1 ? "this one" : "the first is here", n == 1 ? "it is" : "they are");
    };
    SECTION("a header alone") {
        CHECK(with_list_errors(header, list) == lines{e201 + unchecked(4, 2)});
    }
    SECTION("a header alone, and a list with errors of its own: those are still reported") {
        CHECK(with_list_errors(header,
                               "unit,name,target,actual,evidence\n"
                               "Sở A,Thu,mười,90,có\n"
                               "\"Sở B,Chi,100,90,có\n")
              == lines{"indicators.csv:2:10: E220: field `indicators.target` (number): `mười` is "
                       "not a number",
                       "indicators.csv:3:1: E204: unterminated quoted cell: the quote opened here "
                       "is never closed",
                       e201 + unchecked(1, 2)});
    }
    SECTION("an unterminated quote: rows of the units read before it are still matched") {
        CHECK(with_list_errors(header + "Sở A,1,1,xs,no,1\n\"Sở B,1,1,xs,no,1\nSở C,1,1,xs,no,1\n",
                               list + "Sở A,Thêm,1,x,có\n")
              == lines{"indicators.csv:6:13: E220: field `indicators.actual` (number): `x` is not "
                       "a number",
                       "units.csv:3:1: E204: unterminated quoted cell: the quote opened here is "
                       "never closed"
                           + unchecked(3, 3)});
    }
    SECTION("a header read as one column: a sep= line naming another separator") {
        CHECK(with_list_errors("sep=;\n" + header + "Sở A,1,1,xs,no,1\n", list)
              == lines{"units.csv:2:1: E205: the header is read as a single column: the `sep=` "
                       "line sets the separator to semicolons (;), but the header has none and "
                       "has 5 commas; correct the `sep=` line or remove it\n"
                       "  note units.csv:1:1: the separator is set here"
                       + unchecked(4, 2)});
    }
    SECTION("a header read as one column: the whole line in quotes") {
        CHECK(with_list_errors("\"unit;tasks_assigned;tasks_on_time;party;serious_violation;"
                               "self_score\"\nSở A;1;1;xs;no;1\n",
                               list)
              == lines{"units.csv:1:1: E205: the header is read as a single column: the whole "
                       "line is enclosed in quotes, which makes it one column name even though it "
                       "has 5 semicolons; remove the quotes around the line"
                       + unchecked(4, 2)});
    }
    SECTION("rows written with another separator than the header; their quotes are no errors") {
        CHECK(with_list_errors("unit;tasks_assigned;tasks_on_time;party;serious_violation;"
                               "self_score\n"
                               "\"Sở, A\",1,1,xs,no,1\nSở B,1,1,xs,no,1\nSở C;1;1;xs;no;1\n",
                               list)
              == lines{"units.csv:2:8: E205: this row is read as a single cell: the columns are "
                       "separated by semicolons (;), but this row has none and has 5 commas; "
                       "write every row with the separator of the header (1 more row like it)"
                       + unchecked(3, 2)});
    }
    SECTION("a units file read whole: every row of an unknown unit is its own error") {
        CHECK(with_list_errors(header + "Sở A,1,1,xs,no,1\nSở B,1,1,xs,no,1\n", list)
              == lines{"indicators.csv:4:1: W204: this row repeats line 3 exactly (unit `Sở B`, "
                       "every cell the same), so list `indicators` counts it twice; if it was "
                       "copied by mistake, delete it; if the unit really has it twice, nothing "
                       "needs to change\n  note indicators.csv:3:1: first written here",
                       "indicators.csv:5:1: E217: unit `Sở C` is not in units.csv; every row of "
                       "`indicators` must belong to a unit of the units file; the units of "
                       "units.csv are `Sở A`, `Sở B`"});
    }
    SECTION("a list written with another separator than its header") {
        CHECK(with_list_errors(header + "Sở A,1,1,xs,no,1\n",
                               "unit;name;target;actual;evidence\n"
                               "Sở A,\"Thu, chi\",100,90,có\nSở A;Thu;1;1;có\n")
              == lines{"indicators.csv:2:5: E205: this row is read as a single cell: the columns "
                       "are separated by semicolons (;), but this row has none and has 4 commas; "
                       "write every row with the separator of the header"});
    }
}

TEST_CASE("data: a JSON string left open at the end of its line says a quote is missing") {
    const auto flat = make_regulation(false);
    CHECK(text_errors(flat, "j.json", "[{\"unit\": \"Sở A,\n \"tasks_assigned\": 1}]")
          == lines{"j.json:1:17: E208: JSON syntax error: the string is not closed on its line: a "
                   "closing quote is missing (a line break inside a value is written \\n)"});
    // Other control characters keep their own message.
    CHECK(text_errors(flat, "j.json", "[{\"unit\": \"Sở\tA\"}]")
          == lines{"j.json:1:14: E208: JSON syntax error: control character inside a string "
                   "(write it as an escape, e.g. \\n)"});
}

TEST_CASE("data: a cell that may be a grouped integer but is read as a decimal is a warning") {
    const auto flat = make_regulation(false);
    const std::string header =
        "unit;tasks_assigned;tasks_on_time;party;serious_violation;self_score\n";
    // Decimal points: `1.200` follows the file (1.2), with a warning naming the other reading.
    {
        diagnostics ds;
        const auto d = load_text(flat, "a.csv",
                                 header + "Sở A;1;1;xs;không;104.5\nSở B;1;1;xs;không;1.200\n", ds);
        REQUIRE(d);  // a warning does not stop scoring
        CHECK(std::get<number>(d->units[1].fields[5].v) == num("1.2"));
        CHECK(describe(ds)
              == lines{"a.csv:3:19: W202: field `self_score` of unit `Sở B`: `1.200` was read as "
                       "1.2 because this file writes decimals with '.' (as `104.5` on line 2); if "
                       "it means 1200, write 1200"});
    }
    // Decimal commas: `12,500` is 12.5 with a warning; `1.200` is 1200, how such files write
    // thousands, and `0,500` or `1234,5` cannot be grouped integers: no warning.
    {
        diagnostics ds;
        const auto d = load_text(flat, "b.csv",
                                 header + "Sở A;1.200;1;xs;không;95,5\nSở B;1;1;xs;không;12,500\n"
                                          "Sở C;1;1;xs;không;0,500\nSở D;1;1;xs;không;1234,5\n",
                                 ds);
        REQUIRE(d);
        CHECK(std::get<number>(d->units[0].fields[0].v) == number(1200));
        CHECK(std::get<number>(d->units[1].fields[5].v) == num("12.5"));
        CHECK(describe(ds)
              == lines{"b.csv:3:19: W202: field `self_score` of unit `Sở B`: `12,500` was read as "
                       "12.5 because this file writes decimals with ',' (as `95,5` on line 2); if "
                       "it means 12500, write 12500"});
    }
    // Nothing else settles it: a comma in a number is never a thousands separator.
    CHECK(text_errors(flat, "c.csv", header + "Sở A;1;1;xs;không;-12,500\n")
          == lines{"c.csv:2:19: W202: field `self_score` of unit `Sở A`: `-12,500` was read as "
                   "-12.5 because a comma in a number is a decimal comma (thousands are never "
                   "separated with commas); if it means -12500, write -12500"});
    // --numbers comma: the option is the reason.
    load_options comma;
    comma.numbers = load_options::number_style::comma_decimal;
    CHECK(text_errors(flat, "c.csv", header + "Sở A;1;1;xs;không;12,000\n", comma)
          == lines{"c.csv:2:19: W202: field `self_score` of unit `Sở A`: `12,000` was read as 12 "
                   "because --numbers comma makes ',' the decimal separator; if it means 12000, "
                   "write 12000"});
    // `1,200` among decimal points is an error (E224) that says what to write.
    CHECK(text_errors(flat, "d.csv", header + "Sở A;1;1;xs;không;95.5\nSở B;1;1;xs;không;1,200\n")
          == lines{"d.csv:3:19: E224: `1,200` is written with a decimal comma, but this file also "
                   "has `95.5` with a decimal point; write every number in one style; if `1,200` "
                   "means 1200, write 1200 (a file that writes decimals with a point has no "
                   "thousands separators)\n  note d.csv:2:19: `95.5` is here"});
    // Many such cells: ten warnings, then one that counts the rest.
    {
        std::string text = header + "Sở 0;1;1;xs;không;0.5\n";
        for (int i = 1; i <= 13; ++i) {
            text += fmt::format("Sở {};1;1;xs;không;{}.250\n", i, i);
        }
        const auto out = text_errors(flat, "e.csv", text);
        REQUIRE(out.size() == 11);
        CHECK(out[9].rfind("e.csv:12:20: W202: field `self_score` of unit `Sở 10`: `10.250`", 0)
              == 0);
        CHECK(out[10]
              == "e.csv:13:20: W202: 3 more number cells in this file could be integers with a "
                 "thousands separator but were read as decimals (the first is here); write "
                 "integers without separators");
    }
    // A number written as a JSON string takes part; a JSON number never looks grouped.
    CHECK(text_errors(flat, "f.json",
                      R"([{"unit": "Sở A", "tasks_assigned": 1, "tasks_on_time": 1, "party": "xs",
 "serious_violation": false, "self_score": "1.500"},
{"unit": "Sở B", "tasks_assigned": 1, "tasks_on_time": 1, "party": "xs",
 "serious_violation": false, "self_score": "2.25"}])")
          == lines{"f.json:2:44: W202: field `self_score` of unit `Sở A`: `1.500` was read as 1.5 "
                   "because this file writes decimals with '.' (as `2.25` on line 4); if it means "
                   "1500, write 1500"});
    // Thousands separated by spaces (ASCII, no-break, narrow no-break) are not read, but the
    // error says what to write.
    CHECK(
        text_errors(flat, "s.csv",
                    header + "Sở A;1 200;1;xs;không;30\u00A0544,5\nSở B;1;1;xs;không;2\u202F000\n")
        == lines{"s.csv:2:6: E220: field `tasks_assigned` (integer): `1 200` is not a number: "
                 "numbers are written without spaces; write 1200",
                 "s.csv:2:23: E220: field `self_score` (number): `30\u00A0544,5` is not a "
                 "number: numbers are written without spaces; write 30544,5",
                 "s.csv:3:19: E220: field `self_score` (number): `2\u202F000` is not a number: "
                 "numbers are written without spaces; write 2000"});
    CHECK(text_errors(flat, "s.csv", header + "Sở A;1;1;xs;không;12 a\n")
          == lines{"s.csv:2:19: E220: field `self_score` (number): `12 a` is not a number"});
    // A cell formatted as a percentage: both readings are offered, in the cell's style; an
    // integer field has only one.
    CHECK(text_errors(flat, "p.csv", header + "Sở A;1;1;xs;không;92,7 %\nSở B;1;1;xs;không;95%\n")
          == lines{"p.csv:2:19: E220: field `self_score` (number): `92,7 %` is not a number: a "
                   "results file has no percent sign; write 92,7 if the field holds percentage "
                   "points, or 0,927 if it holds a ratio (as `92,7 %` means in a regulation)",
                   "p.csv:3:19: E220: field `self_score` (number): `95%` is not a number: a "
                   "results file has no percent sign; write 95 if the field holds percentage "
                   "points, or 0.95 if it holds a ratio (as `95%` means in a regulation)"});
    load_options dot;
    dot.numbers = load_options::number_style::dot_decimal;
    CHECK(text_errors(flat, "p.csv", header + "Sở A;1;1;xs;không;-0.5%\n", dot)
          == lines{"p.csv:2:19: E220: field `self_score` (number): `-0.5%` is not a number: a "
                   "results file has no percent sign; write -0.5 if the field holds percentage "
                   "points, or -0.005 if it holds a ratio (as `-0.5%` means in a regulation)"});
    CHECK(text_errors(flat, "p.csv", header + "Sở A;1;1;xs;không;1.250%\n", comma)
          == lines{"p.csv:2:19: E220: field `self_score` (number): `1.250%` is not a number: a "
                   "results file has no percent sign; write 1.250 if the field holds percentage "
                   "points, or 12,5 if it holds a ratio (as `1.250%` means in a regulation)"});
    CHECK(text_errors(flat, "p.csv", header + "Sở A;80%;1;xs;không;1\n")
          == lines{"p.csv:2:6: E220: field `tasks_assigned` (integer): `80%` is not a number: a "
                   "results file has no percent sign; write 80"});
    CHECK(text_errors(flat, "p.csv", header + "Sở A;1;1;xs;không;%\n")
          == lines{"p.csv:2:19: E220: field `self_score` (number): `%` is not a number"});
    CHECK(data_detail::grouped_separator("1.200") == '.');
    CHECK(data_detail::grouped_separator("-999,000") == ',');
    CHECK(data_detail::grouped_separator("0.200") == '\0');
    CHECK(data_detail::grouped_separator("1234.500") == '\0');
    CHECK(data_detail::grouped_separator("1.2000") == '\0');
    CHECK(data_detail::grouped_separator("1.234.567") == '\0');
    CHECK(data_detail::grouped_separator("1.23") == '\0');
}

TEST_CASE("data: Unicode spaces around names are trimmed, unknown units get a hint") {
    const std::string header =
        "unit,tasks_assigned,tasks_on_time,party,serious_violation,self_score\n";
    const std::string list_header = "unit,name,target,actual,evidence\n";
    const auto row = [](const std::string& unit) { return unit + ",Thu,100,90,có\n"; };
    // U+00A0, U+2007, U+202F, U+3000 and zero-width U+200B, U+FEFF around a name, in either
    // file, are trimmed as ASCII spaces are; a name saved decomposed (NFD) is the same name.
    const std::string nbsp = "\u00A0";
    const std::string units = header + "Sở Y tế" + nbsp + ",1,1,xs,no,1\n"
                              + "\u200B\u2007Sở Nội vụ\u202F\uFEFF,1,1,xs,no,1\n"
                              + "So\u031B\u0309 Tu\u031B pha\u0301p,1,1,xs,no,1\n";
    CHECK(with_list_errors(
              units, list_header + row("Sở Y tế") + row("\u3000Sở Nội vụ") + row("Sở Tư pháp"))
              .empty());
    {
        diagnostics ds;
        const auto d = load_text(make_regulation(false), "u.csv", units, ds);
        REQUIRE(d);
        CHECK(d->units[0].name == "Sở Y tế");
        CHECK(d->units[1].name == "Sở Nội vụ");
        CHECK(d->units[2].name == "Sở Tư pháp");
    }
    CHECK(data_detail::trim("\u00A0 12 \u202F") == "12");
    CHECK(data_detail::trim("\u00A0") == "");
    CHECK(data_detail::trim("a\u00A0b") == "a\u00A0b");  // inside: kept (and diagnosed below)

    const std::string known = header + "Sở Y tế,1,1,xs,no,1\nSở Tài chính,1,1,xs,no,1\n"
                              + "Sở A,1,1,xs,no,1\nTrường THCS 1,1,1,xs,no,1\n"
                              + "Phòng Tài chính - Kế hoạch,1,1,xs,no,1\n";
    const std::string e217 =
        " is not in units.csv; every row of `indicators` must belong to a unit of the units file";
    CHECK(with_list_errors(known, list_header + row("Sở Y" + nbsp + "tế") + row("Sở  Tài chính")
                                      + row("Sở\u200B A"))
          == lines{"indicators.csv:2:1: E217: unit `Sở Y" + nbsp + "tế`" + e217
                       + "; units.csv has `Sở Y tế`, which differs from it only in spaces or "
                         "invisible characters (U+00A0, often pasted from Word or a web page): "
                         "retype the name in both files",
                   "indicators.csv:3:1: E217: unit `Sở  Tài chính`" + e217
                       + "; units.csv has `Sở Tài chính`, which differs from it only in spaces or "
                         "invisible characters (a doubled space, often pasted from Word or a web "
                         "page): retype the name in both files",
                   "indicators.csv:4:1: E217: unit `Sở\u200B A`" + e217
                       + "; units.csv has `Sở A`, which differs from it only in spaces or "
                         "invisible characters (U+200B, often pasted from Word or a web page): "
                         "retype the name in both files"});
    // Diacritics, letter case, punctuation, one typo in a long word: did you mean. Another
    // letter or number of a short code is another unit: no suggestion, but the units file's names.
    const std::string all_units =
        "; the units of units.csv are `Sở Y tế`, `Sở Tài chính`, `Sở A`, `Trường THCS 1`, "
        "`Phòng Tài chính - Kế hoạch`";
    CHECK(with_list_errors(known, list_header + row("so tai chinh") + row("Sở Tài chinh")
                                      + row("Phòng Tài chính Kế hoạch") + row("Sở Tài chíh")
                                      + row("Sở C") + row("Trường THCS 2"))
          == lines{"indicators.csv:2:1: E217: unit `so tai chinh`" + e217
                       + "; did you mean `Sở Tài chính`?",
                   "indicators.csv:3:1: E217: unit `Sở Tài chinh`" + e217
                       + "; did you mean `Sở Tài chính`?",
                   "indicators.csv:4:1: E217: unit `Phòng Tài chính Kế hoạch`" + e217
                       + "; did you mean `Phòng Tài chính - Kế hoạch`?",
                   "indicators.csv:5:1: E217: unit `Sở Tài chíh`" + e217
                       + "; did you mean `Sở Tài chính`?",
                   "indicators.csv:6:1: E217: unit `Sở C`" + e217 + all_units,
                   "indicators.csv:7:1: E217: unit `Trường THCS 2`" + e217 + all_units});
}

TEST_CASE("data: an enum value that is not a member suggests the member it most likely means") {
    const auto flat = make_regulation(false);
    const std::string header =
        "unit;tasks_assigned;tasks_on_time;party;serious_violation;self_score\n";
    const auto suggested = [&](const std::string& value) -> std::string {
        const auto out = text_errors(flat, "e.csv", header + "Sở A;1;1;" + value + ";không;1\n");
        REQUIRE(out.size() == 1);
        const auto at = out[0].find("did you mean ");
        if (at == std::string::npos) {
            return "";
        }
        return out[0].substr(at + 13, out[0].find('?', at) - at - 13);
    };
    CHECK(suggested("XS") == "`xs` (\"Hoàn thành xuất sắc\")");
    CHECK(suggested("tốt") == "`tot` (\"Hoàn thành tốt\")");
    CHECK(suggested("HOÀN THÀNH TỐT") == "`tot` (\"Hoàn thành tốt\")");
    CHECK(suggested("Xuất sắc") == "`xs` (\"Hoàn thành xuất sắc\")");  // a phrase of one label
    CHECK(suggested("Hoàn thanh") == "`ht` (\"Hoàn thành\")");
    CHECK(suggested("totx") == "`tot` (\"Hoàn thành tốt\")");
    CHECK(suggested("giỏi") == "");
    CHECK(suggested("thành") == "");  // in every label: nothing to suggest
}

TEST_CASE("data: UTF-16 without a byte order mark is recognised, in CSV and JSON") {
    const auto flat = make_regulation(false);
    const auto utf16 = [](std::string_view ascii, bool big_endian) {
        std::string out;
        for (const char c : ascii) {
            out += big_endian ? std::string{'\0', c} : std::string{c, '\0'};
        }
        return out;
    };
    const std::string message =
        "E202: the file is UTF-16 without a byte order mark (every other byte is NUL: Notepad's "
        "\"Unicode\"), not UTF-8; save it as UTF-8 (in Excel: \"CSV UTF-8\"; in Notepad: Save "
        "As, Encoding UTF-8)";
    CHECK(text_errors(flat, "u.csv", utf16("unit,tasks_assigned\nA,1\n", false))
          == lines{"u.csv:1:1: " + message});
    // JSON is not saved from Excel: no word of "CSV UTF-8" (trial 13).
    CHECK(text_errors(flat, "u.json", utf16("[{\"unit\": \"A\"}]", true))
          == lines{"u.json:1:1: E202: the file is UTF-16 without a byte order mark (every other "
                   "byte is NUL: Notepad's \"Unicode\"), not UTF-8; save it as UTF-8 (in "
                   "Notepad: Save As, Encoding UTF-8)"});
    // A NUL in an otherwise UTF-8 file is still a binary file.
    CHECK(text_errors(flat, "b.csv", std::string("unit,tasks_assigned\nA,1\0\n", 24))
              .at(0)
              .find("E203")
          != std::string::npos);
}

TEST_CASE("data: a slash after a file's name reads the file, a path through a file says so") {
    const auto flat = make_regulation(false);
    const auto d = load_ok(flat, "good/comma.csv/");
    CHECK(d->units.size() == 3);
    CHECK(errors_of(flat, "good/comma.csv/units.csv")
          == lines{"E200: results path `good/comma.csv/units.csv` does not exist: `good/comma.csv` "
                   "is a file, not a folder"});
    CHECK(errors_of(flat, "good/nowhere.csv/")
          == lines{"E200: results path `good/nowhere.csv/` does not exist"});
    // `dir/units.csv` is the units file of dir/: its lists are dir/L.csv, as for `dir/`.
    const auto full = make_regulation(true);
    const auto v = load_ok(full, "good/vn/units.csv");
    CHECK(v->units.size() == load_ok(full, "good/vn")->units.size());
    CHECK(v->files.size() == 2);
}

TEST_CASE("data: a repeated error is grouped with its other places") {
    const auto flat = make_regulation(false);
    const std::string unit = R"(", "tasks_assigned": 1, "tasks_on_time": 1, )"
                             R"("party": "xs", "serious_violation": false, "self_score": "x"})";
    std::string text = "[";
    for (int i = 0; i < 3; ++i) {
        text += (i > 0 ? ", {\"unit\": \"" : "{\"unit\": \"") + std::to_string(i) + unit;
    }
    text += "]";
    CHECK(text_errors(flat, "one.json", text)
          == lines{"one.json:1:114: E220: field `self_score` (number): `x` is not a number\n"
                   "  note one.json:1:232: the same error 2 more times in this file, on lines "
                   "1:232, 1:350"});
    // Past the listed places the rest are counted; the budget counts the error once.
    std::string csv = "unit,tasks_assigned,tasks_on_time,party,serious_violation,self_score\n";
    for (int i = 0; i < 300; ++i) {
        csv += fmt::format("u{},1,1,xs,no,-\n", i);
    }
    CHECK(text_errors(flat, "many.csv", csv)
          == lines{"many.csv:2:14: E220: field `self_score` (number): `-` is not a number\n"
                   "  note many.csv:3:14: the same error 299 more times in this file, on lines 3, "
                   "4, 5, 6, 7, 8, 9, 10 and 291 more"});
}
