// Declared ranges of input fields (`chỉ_số: number in 0..100`): parsed, printed back by `fmt` in
// both keyword languages, checked (E166-E168), and enforced by the results loaders (E234). And
// W205: a cell like `82.125` read as 82125 in a decimal-comma file, in a field whose other
// values are all below 1000 (a decimal comma typed as a point).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "data_describe.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/ast_util.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/formatter.hpp"
#include "dsl/i18n.hpp"
#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/data.hpp"

using namespace thidua;

namespace {

parse_result parse_text(const std::string& text) {
    return parse(std::make_shared<source_file>("t.tdkt", text));
}

// A regulation with `inputs` (the text inside `input { }`) and one criterion using `uses`.
std::string regulation_with(const std::string& inputs, const std::string& uses) {
    return "regulation \"t\" {\n  scale 10\n  enum rating { xs  tot }\n  input {\n" + inputs
           + "\n  }\n  section I \"s\" max 10 {\n    criterion I.1 \"c\" max 10 { points = " + uses
           + " }\n  }\n}\n";
}

struct checked {
    parse_result parsed;
    diagnostics diags;
    std::unique_ptr<checked_regulation> reg;
};

checked check_text(const std::string& text) {
    checked c;
    c.parsed = parse_text(text);
    INFO(render_text(c.parsed.diags));
    REQUIRE(c.parsed.regulation);
    REQUIRE(!c.parsed.diags.has_errors());
    c.reg = check(*c.parsed.regulation, c.diags);
    return c;
}

std::vector<std::string> error_codes(const diagnostics& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds.items()) {
        if (d.level == severity::error) {
            out.push_back(d.code);
        }
    }
    return out;
}

// Loads `units` (a CSV or JSON text, by `name`) against the regulation `text`, with the list
// file `list_text` for the list input `list` when given. The diagnostics as sorted lines.
struct loaded {
    checked reg;
    diagnostics diags;
    std::optional<dataset> data;
    std::vector<std::string> lines;

    [[nodiscard]] std::size_t count(const std::string& code) const {
        std::size_t n = 0;
        for (const auto& d : diags.items()) {
            n += d.code == code ? 1U : 0U;
        }
        return n;
    }
};

loaded load(const std::string& regulation, const std::string& name, const std::string& units,
            const std::string& list = {}, const std::string& list_text = {},
            load_options opts = {}) {
    loaded l;
    l.reg = check_text(regulation);
    REQUIRE(l.reg.reg);
    const auto& ast = *l.reg.parsed.regulation;
    const auto file = make_data_source(name, units);
    if (name.size() > 5 && name.substr(name.size() - 5) == ".json") {
        l.data = load_results_json(ast, file, opts, l.diags);
    } else {
        csv_files files;
        files.units = file;
        files.lists.resize(ast.inputs.size());
        for (std::size_t i = 0; i < ast.inputs.size(); ++i) {
            if (ast.inputs[i].name == list) {
                files.lists[i] = make_data_source(list + ".csv", list_text);
            }
        }
        l.data = load_results_csv(ast, files, opts, l.diags);
    }
    l.lines = testing::describe_sorted(l.diags);
    return l;
}

const std::string scored = "chỉ_số_cchc: number in 0..100\n  trễ: integer in 0..\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Language

TEST_CASE("bounds: a field's range is parsed, with an open upper bound, percent and sign",
          "[bounds][parser]") {
    const auto r = parse_text(regulation_with(
        "a: number in 0..100 \"Chỉ số\"\n b: integer in 0..\n c: number? trong 0%..100%\n"
        " d: number in -5 .. 5.5\n e: list { x: number in 1..2 } \"L\"\n f: number \"plain\"",
        "a"));
    INFO(render_text(r.diags));
    REQUIRE(r.regulation);
    REQUIRE(!r.diags.has_errors());
    const auto& in = r.regulation->inputs;
    REQUIRE(in.size() == 6);
    REQUIRE(in[0].range);
    CHECK(ast::range_text(*in[0].range) == "0..100");
    CHECK(in[0].label == "Chỉ số");
    REQUIRE(in[1].range);
    CHECK(!in[1].range->high);
    CHECK(ast::range_text(*in[1].range) == "0..");
    REQUIRE(in[2].range);
    CHECK(in[2].type.optional);
    CHECK(in[2].range->low.value.percent);
    CHECK(ast::range_text(*in[2].range) == "0%..100%");
    REQUIRE(in[3].range);
    CHECK(in[3].range->low.negative);
    CHECK(ast::range_text(*in[3].range) == "-5..5.5");
    REQUIRE(in[4].type.fields.size() == 1);
    REQUIRE(in[4].type.fields[0].range);
    CHECK(in[4].label == "L");
    CHECK(!in[5].range);
    CHECK(in[5].label == "plain");
    CHECK(dump_ast(*r.regulation).find("(field a number (in 0..100) \"Chỉ số\")")
          != std::string::npos);
}

TEST_CASE("bounds: a range that is not one is a syntax error (E035)", "[bounds][parser]") {
    for (const char* bad :
         {"a: number in\n b: number", "a: number in 0 to 100", "a: number in ..100"}) {
        const auto r = parse_text(regulation_with(bad, "1"));
        INFO(bad << "\n" << render_text(r.diags));
        CHECK(error_codes(r.diags) == std::vector<std::string>{"E035"});
    }
    // Three dots: `0..` then a stray `.100` where a field should be.
    CHECK(parse_text(regulation_with("a: number in 0...100", "1")).diags.has_errors());
}

TEST_CASE("bounds: fmt prints a range back, in either keyword language", "[bounds][fmt]") {
    const auto r =
        parse_text(regulation_with("a: number in 0 ..100 \"Chỉ số\"\n b: integer? trong 0.. \n"
                                   " c: list { x: number in -1..1% }",
                                   "a"));
    REQUIRE(r.regulation);
    REQUIRE(!r.diags.has_errors());
    format_options en;
    en.language = keywords::lang::en;
    const auto english = format_regulation(*r.regulation, r.comments, en);
    CHECK(english.find("a: number in 0..100 \"Chỉ số\"\n") != std::string::npos);
    CHECK(english.find("b: integer? in 0..\n") != std::string::npos);
    CHECK(english.find("x: number in -1..1%\n") != std::string::npos);
    format_options vi;
    vi.language = keywords::lang::vi;
    const auto vietnamese = format_regulation(*r.regulation, r.comments, vi);
    CHECK(vietnamese.find("a: số trong 0..100 \"Chỉ số\"\n") != std::string::npos);
    CHECK(vietnamese.find("b: số nguyên? trong 0..\n") != std::string::npos);
    // A fixed point, and the same regulation read back.
    const auto again = parse_text(vietnamese);
    REQUIRE(again.regulation);
    CHECK(format_regulation(*again.regulation, again.comments, vi) == vietnamese);
    CHECK(dump_ast(*again.regulation) == dump_ast(*r.regulation));
}

TEST_CASE(
    "bounds: the checker refuses ranges on other types, empty ranges, fractions for an "
    "integer",
    "[bounds][checker]") {
    const auto codes_of = [](const std::string& inputs, const std::string& uses) {
        auto c = check_text(regulation_with(inputs, uses));
        INFO(render_text(c.diags));
        return error_codes(c.diags);
    };
    using codes = std::vector<std::string>;
    CHECK(codes_of("a: number in 0..100", "a").empty());
    CHECK(codes_of("a: integer in 0..", "a").empty());
    CHECK(codes_of("a: integer in -3..3", "a").empty());
    CHECK(codes_of("a: number in 5..5", "a").empty());       // a single value is a range
    CHECK(codes_of("a: integer in 0%..100%", "a").empty());  // 0..1
    CHECK(codes_of("a: bool in 0..1", "if a then 1 else 0") == codes{"E166"});
    CHECK(codes_of("a: rating in 0..1", "match a { xs: 1  tot: 0 }") == codes{"E166"});
    CHECK(codes_of("a: text? in 0..", "if a is present then 1 else 0") == codes{"E166"});
    CHECK(codes_of("a: date in 0..1", "1") == codes{"E166"});
    CHECK(codes_of("a: list { x: number } in 0..1", "count(a)") == codes{"E166"});
    CHECK(codes_of("a: number in 100..0", "a") == codes{"E167"});
    CHECK(codes_of("a: number in 1%..-1", "a") == codes{"E167"});
    CHECK(codes_of("a: integer in 0..2.5", "a") == codes{"E168"});
    CHECK(codes_of("a: integer in 0.5..", "a") == codes{"E168"});
    CHECK(codes_of("a: number in 0..1" + std::string(60, '0'), "a") == codes{"E103"});
    auto c = check_text(regulation_with("a: number in 100..0", "a"));
    REQUIRE(c.diags.items().size() >= 1);
    CHECK(render_text(c.diags).find("the range `100..0` of `a` is empty") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Results: E234

TEST_CASE("bounds: a value outside its range is E234 at the cell, every one reported",
          "[bounds][data]") {
    const auto reg = regulation_with(scored + "  tỷ_lệ: number? in 0%..100%\n"
                                              "  chỉ_tiêu: list { kh: number in 1.. }",
                                     "chỉ_số_cchc + trễ + count(chỉ_tiêu)");
    const auto l = load(reg, "units.csv",
                        "unit;chỉ_số_cchc;trễ;tỷ_lệ\nSở A;86;0;\nSở B;82.125;1;95\n"
                        "Sở C;76,25;-2;0,5\nSở D;100;0;100%\n",
                        "chỉ_tiêu", "unit;kh\nSở A;3\nSở B;0,5\nSở B;2\n");
    CHECK(!l.data);
    REQUIRE(l.count("E234") == 4);
    CHECK(l.lines[0]
          == "chỉ_tiêu.csv:3:6: E234: field `chỉ_tiêu.kh` of unit `Sở B`: `0,5` is below 1, the "
             "lowest value the regulation allows for it (`1..`, t.tdkt:8)");
    CHECK(l.lines[1]
          == "units.csv:3:6: E234: field `chỉ_số_cchc` of unit `Sở B`: `82.125` (read as 82125) "
             "is above 100, the highest value the regulation allows for it (`0..100`, t.tdkt:5); "
             "if it means 82,125, write 82,125");
    CHECK(l.lines[2]
          == "units.csv:3:15: E234: field `tỷ_lệ` of unit `Sở B`: `95` is above 100%, the "
             "highest value the regulation allows for it (`0%..100%`, t.tdkt:7); the range is "
             "written in percent, so the field holds a ratio (100% is 1): if it means 95%, write "
             "0,95");
    CHECK(l.lines[3]
          == "units.csv:4:12: E234: field `trễ` of unit `Sở C`: `-2` is below 0, the lowest "
             "value the regulation allows for it (`0..`, t.tdkt:6)");
    // 100% in a cell is E220 as before (not a range question); 100 is inside 0..100.
    CHECK(l.count("E220") == 1);
}

TEST_CASE("bounds: the bounds are included, absent values are not checked, JSON too",
          "[bounds][data]") {
    const auto reg = regulation_with("a: number in -1..1\n  b: integer? in 0..", "a");
    auto ok = load(reg, "units.csv", "unit,a,b\nSở A,-1,\nSở B,1,0\nSở C,0.5,7\n");
    CHECK(ok.data);
    CHECK(ok.lines.empty());
    auto json = load(reg, "kq.json",
                     R"([{"unit": "Sở A", "a": 1.5, "b": null},
                         {"unit": "Sở B", "a": "-1,5", "b": -1},
                         {"unit": "Sở C", "a": -1e0, "b": 0}])");
    CHECK(!json.data);
    REQUIRE(json.lines.size() == 3);
    CHECK(json.lines[0].rfind("kq.json:1:24: E234: field `a` of unit `Sở A`: `1.5` is above 1", 0)
          == 0);
    CHECK(json.lines[1].rfind("kq.json:2:48: E234: field `a` of unit `Sở B`: `-1,5` is below -1", 0)
          == 0);
    CHECK(json.lines[2].rfind("kq.json:2:61: E234: field `b` of unit `Sở B`: `-1` is below 0", 0)
          == 0);
}

TEST_CASE("bounds: a grouped cell outside the range gets E234 and not W202", "[bounds][data]") {
    // `1.200` read as 1.2 in a decimal-point file: W202 without a range; with one, E234 says
    // what it was read as and offers 1200, which the range allows.
    const auto free =
        load(regulation_with("a: number", "a"), "u.csv", "unit,a\nSở A,99.5\nSở B,1.200\n");
    CHECK(free.count("W202") == 1);
    const auto ranged = load(regulation_with("a: number in 100..2000", "a"), "u.csv",
                             "unit,a\nSở A,199.5\nSở B,1.200\n");
    CHECK(ranged.count("W202") == 0);
    REQUIRE(ranged.count("E234") == 1);
    CHECK(ranged.lines[0]
          == "u.csv:3:6: E234: field `a` of unit `Sở B`: `1.200` is below 100, the lowest value "
             "the regulation allows for it (`100..2000`, t.tdkt:5); if it means 1200, write 1200");
}

// ---------------------------------------------------------------------------------------------
// Results: W205

namespace {

const std::string plain_reg = regulation_with(
    "chỉ_số_cchc: number\n  trễ: integer\n  l: list { x: number }", "chỉ_số_cchc + trễ + count(l)");

load_options comma() {
    load_options o;
    o.numbers = load_options::number_style::comma_decimal;
    return o;
}

}  // namespace

TEST_CASE("bounds: W205 for `82.125` read as 82125 among values below 1000", "[bounds][w205]") {
    const std::string units = "unit;chỉ_số_cchc;trễ\nSở A;86;0\nSở B;82.125;1\nSở C;76,25;2\n";
    const auto l = load(plain_reg, "units.csv", units, "l", "unit;x\nSở A;1\n");
    CHECK(l.data);
    REQUIRE(l.lines.size() == 1);
    CHECK(l.lines[0]
          == "units.csv:3:6: W205: field `chỉ_số_cchc` of unit `Sở B`: `82.125` was read as "
             "82125, with '.' between thousands, because this file writes decimals with ',' (as "
             "`76,25` on line 4); but every other value of this field in this file is below 1000 "
             "(the largest is `86`, on line 2): if it means 82,125, write 82,125");
    // The same with --numbers comma, which says why instead.
    const auto o = load(plain_reg, "units.csv", units, "l", "unit;x\nSở A;1\n", comma());
    REQUIRE(o.lines.size() == 1);
    CHECK(o.lines[0].find("because --numbers comma makes ',' the decimal separator")
          != std::string::npos);
    // In Vietnamese.
    {
        const scoped_language vi(language::vi);
        const auto v = load(plain_reg, "units.csv", units, "l", "unit;x\nSở A;1\n");
        REQUIRE(v.lines.size() == 1);
        CHECK(v.lines[0].find("nhưng mọi giá trị khác của trường này trong tệp đều nhỏ hơn 1000")
              != std::string::npos);
    }
}

TEST_CASE("bounds: W205 only where the column says the cell is out of place", "[bounds][w205]") {
    const auto warnings = [](const std::string& units, const std::string& list = "unit;x\n",
                             load_options o = comma()) {
        auto l = load(plain_reg, "units.csv", units, "l", list, o);
        INFO(testing::describe_sorted(l.diags).size());
        return l.count("W205");
    };
    // One unit only: nothing to compare with.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;82.125;0\n") == 0);
    // Two units: the other is below 1000.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;82.125;0\nSở B;80;0\n") == 1);
    // Every unit grouped, or two values from 1000 up: thousands, as the file writes them.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;82.125;0\nSở B;80.125;0\n") == 0);
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;82.125;0\nSở B;80;0\nSở C;1200;0\n") == 0);
    // A group ending in 0 is how thousands are written (`45.000`, `46.350`), not a decimal.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;82.120;0\nSở B;80;0\n") == 0);
    // Not ten times the largest other value: 1234 among values up to 950 may be right.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;1.234;0\nSở B;950;0\n") == 0);
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;1.234;0\nSở B;95;0\n") == 1);
    // An integer field: `1.235` has one whole reading.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;82;1.235\nSở B;80;2\n") == 0);
    // A negative value counts by its size.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;-82.125;0\nSở B;-80;0\n") == 1);
    // A list field: the other rows of the list file.
    CHECK(warnings("unit;chỉ_số_cchc;trễ\nSở A;1;0\nSở B;2;0\n",
                   "unit;x\nSở A;3,5\nSở A;12.345\nSở B;40\n")
          == 1);
    // A decimal-point file: `82,125` is a decimal comma there, never 82125 (E224 among `1.5`;
    // with --numbers dot, E220).
    {
        load_options dot;
        dot.numbers = load_options::number_style::dot_decimal;
        auto mixed =
            load(plain_reg, "units.csv", "unit,chỉ_số_cchc,trễ\nSở A,\"82,125\",0\nSở B,80.5,0\n",
                 "l", "unit,x\n");
        CHECK(mixed.count("E224") == 1);
        CHECK(mixed.count("W205") == 0);
        auto strict =
            load(plain_reg, "units.csv", "unit,chỉ_số_cchc,trễ\nSở A,\"82,125\",0\nSở B,80.5,0\n",
                 "l", "unit,x\n", dot);
        CHECK(strict.count("E220") == 1);
    }
    // A field with a declared range: E234 decides, no W205.
    {
        auto l = load(regulation_with("a: number in 0..100\n  b: number", "a + b"), "u.csv",
                      "unit;a;b\nSở A;82.125;82.125\nSở B;80;80\n", "", "", comma());
        CHECK(l.count("E234") == 1);
        CHECK(l.count("W205") == 1);
        CHECK(l.lines[0].find("field `a`") != std::string::npos);
        CHECK(l.lines[1].find("W205: field `b`") != std::string::npos);
    }
    // A file that only borrows the comma from the other files: W202 says it, not W205.
    {
        auto l = load(plain_reg, "units.csv", "unit;chỉ_số_cchc;trễ\nSở A;82.125;0\nSở B;80;0\n",
                      "l", "unit;x\nSở A;2,5\n", load_options{});
        CHECK(l.count("W202") == 1);
        CHECK(l.count("W205") == 0);
    }
    // JSON: numbers written as strings take part, native numbers are the others.
    {
        auto l = load(plain_reg, "kq.json",
                      R"([{"unit": "Sở A", "chỉ_số_cchc": "82.125", "trễ": 0, "l": []},
                          {"unit": "Sở B", "chỉ_số_cchc": 80.5, "trễ": 0, "l": []}])",
                      "", "", comma());
        CHECK(l.count("W205") == 1);
    }
}
