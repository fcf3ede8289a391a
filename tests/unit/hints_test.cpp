// Hints for the slips of Vietnamese users: a number written with a decimal comma (`1,5`) in every
// place the grammar takes a number, and a keyword typed without its diacritics (`va` for `và`) or
// with a wrong one (`vá`), in the parser and in the checker's unknown-name path. The goldens
// tests/golden/check/decimal-comma-*.tdkt and keyword-unmarked-*.tdkt show a few as users see
// them; this sweeps the places.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dsl/parser.hpp"
#include "dsl/suggest.hpp"
#include "engine/checker.hpp"

using namespace thidua;

namespace {

parse_result parse_text(const std::string& text) {
    return parse(std::make_shared<source_file>("t.tdkt", text));
}

// An English regulation with `criterion` as the only criterion's header and body, and `top`
// after the section.
std::string regulation(const std::string& criterion, const std::string& top = "",
                       const std::string& tests = "") {
    return "regulation \"t\" {\n"
           "    scale 10\n"
           "    input {\n"
           "        p: number \"P\"\n"
           "        c: bool \"C\"\n"
           "    }\n"
           "    section I \"s\" max 10 {\n"
           "        "
           + criterion
           + "\n"
             "    }\n"
           + top + "\n}\n" + tests;
}

std::string simple(const std::string& points) {
    return regulation("criterion I.1 \"c\" max 10 { " + points + " }");
}

// The same in Vietnamese keywords.
std::string vi_simple(const std::string& points) {
    return "quy chế \"t\" {\n"
           "    thang điểm 10\n"
           "    số liệu {\n"
           "        a: số \"A\"\n"
           "        b: số \"B\"\n"
           "        c: đúng sai \"C\"\n"
           "        d: ngày? \"D\"\n"
           "    }\n"
           "    nội dung I \"s\" tối đa 10 {\n"
           "        tiêu chí I.1 \"c\" tối đa 10 {\n"
           "            "
           + points
           + "\n"
             "        }\n"
             "    }\n"
             "}\n";
}

// The first diagnostic of a parse that must fail.
diagnostic first_error(const std::string& text) {
    auto r = parse_text(text);
    REQUIRE(!r.diags.items().empty());
    return r.diags.items().front();
}

std::string at(const std::string& text, const span& where) {
    return text.substr(where.begin, where.end - where.begin);
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

TEST_CASE("a decimal comma gets the hint at the comma, wherever a number is written", "[hints]") {
    struct place {
        std::string text;
        std::string hint;  // the end of the message
    };
    const std::string decimal = "decimals are written with a dot, not a comma: write ";
    const std::vector<place> places = {
        // `when` bands: the bound, the points, the else's points.
        {simple("points = when p { >= 1,5: 10  else: 0 }"), decimal + "1.5"},
        {simple("points = when p { >= 95,5%: 10  else: 0 }"), decimal + "95.5%"},
        {simple("points = when p { >= 1: 2,5  else: 0 }"), decimal + "2.5"},
        {simple("points = when p { >= 1: 2  else: 0,5 }"), decimal + "0.5"},
        // `match` arms.
        {regulation("criterion I.1 \"c\" max 10 { points = match r { xs: 7,5  else: 0 } }",
                    "    enum rating { xs, ht }"),
         decimal + "7.5"},
        // Maxima, the scale, lets, points, conditions, percentages.
        {regulation("criterion I.1 \"c\" max 2,5 { points = 0 }"), decimal + "2.5"},
        {simple("let w = 1,5  points = w"), decimal + "1.5"},
        {simple("points = -1,5 + p"), decimal + "1.5"},
        {simple("points = (1,5 * p)"), decimal + "1.5"},
        {simple("points = if p >= 9,5 then 10 else 0"), decimal + "9.5"},
        {regulation("criterion I.1 \"c\" max 10 applies when p > 0,5 { points = 0 }"),
         decimal + "0.5"},
    };
    // Bonus caps and item maxima, rounding steps, quotas, tolerances, requirements, knock-outs.
    const std::vector<place> top = {
        {"    bonus \"b\" max 1,5 { item \"i\" { points = 0 } }", decimal + "1.5"},
        {"    bonus \"b\" max 2 { item \"i\" max 0,5 { points = 0 } }", decimal + "0.5"},
        {"    rounding criterion 0,01 half_up", decimal + "0.01"},
        {"    rounding criterion 0,125 half_up", decimal + "0.125"},
        {"    award f \"F\" { candidates all  limit 1,5 }", decimal + "1.5"},
        {"    award f \"F\" { candidates all  limit 30,5% of members rounded down }",
         decimal + "30.5%"},
        {"    awards limit 50,5% of members rounded down", decimal + "50.5%"},
        {"    self_score from p tolerance 0,5", decimal + "0.5"},
        {"    award f \"F\" { candidates all  require \"r\" total >= 9,5 }", decimal + "9.5"},
        {"    exclude \"x\" when p < 0,5", decimal + "0.5"},
        {"    award f \"F\" { candidates rank 1,3 }",
         "a range of ranks is written with two dots: 1..3"},
        {"    deduction \"d\" max 1,000 { item \"i\" { points = 0 } }",
         "write 1000 (no thousands separator), or 1.000 for a decimal"},
    };
    const std::string test_head = "test \"t\" {\n    unit \"A\" { p = 1.5  c = true }\n    ";
    const std::vector<place> tests = {
        {"test \"t\" {\n    unit \"A\" { p = 1,5  c = true }\n}\n", decimal + "1.5"},
        {test_head + "expect \"A\" total == 1,5\n}\n", decimal + "1.5"},
        {test_head + "expect \"A\" criterion I.1 == -1,5\n}\n", decimal + "1.5"},
        {test_head + "expect \"A\" total == 1.5 within 0,01\n}\n", decimal + "0.01"},
        {test_head + "expect \"A\" rank == 1,2\n}\n",
         "a range of ranks is written with two dots: 1..2"},
    };
    std::vector<place> all = places;
    for (const auto& t : top) {
        all.push_back({regulation("criterion I.1 \"c\" max 10 { points = p }", t.text), t.hint});
    }
    for (const auto& t : tests) {
        all.push_back(
            {regulation("criterion I.1 \"c\" max 10 { points = p }", "", t.text), t.hint});
    }
    all.push_back(
        {"amends \"base.tdkt\"\nregulation \"a\" {\n    replace section I \"s\" max 62,5\n}\n",
         decimal + "62.5"});
    for (const auto& [text, hint] : all) {
        INFO(text);
        const diagnostic d = first_error(text);
        CHECK(d.code.front() == 'E');
        CHECK(ends_with(d.message, hint));
        CHECK(at(text, d.where) == ",");  // the caret is at the comma
    }
}

TEST_CASE("a comma in a band list or a call that is not a decimal gets no hint", "[hints]") {
    // A comma between bands (`2, >= 1: 1`) and a space after a call's comma are what they look
    // like; `min(0,5)` is valid and warned about (W009), not an error.
    auto ok = parse_text(simple("points = when p { >= 2: 2, >= 1: 1, else: 0 } + max(1, 2)"));
    CHECK(ok.diags.empty());
    // A syntax error after a comma followed by a space is not a decimal.
    const diagnostic d = first_error(simple("points = when p { >= 1: 2, 5 }"));
    CHECK(d.code == "E029");
    CHECK(d.message.find("decimals") == std::string::npos);
}

TEST_CASE("a Vietnamese keyword without its diacritics is found", "[hints][suggest]") {
    CHECK(keyword_without_diacritics("va") == "và");
    CHECK(keyword_without_diacritics("vá") == "và");  // a wrong diacritic
    CHECK(keyword_without_diacritics("hoac") == "hoặc");
    CHECK(keyword_without_diacritics("hoăc") == "hoặc");
    CHECK(keyword_without_diacritics("khong") == "không");
    CHECK(keyword_without_diacritics("neu") == "nếu");
    CHECK(keyword_without_diacritics("thi") == "thì");
    CHECK(keyword_without_diacritics("nguoc lai") == "ngược lại");
    CHECK(keyword_without_diacritics("ngươc lại") == "ngược lại");
    CHECK(keyword_without_diacritics("dung") == "đúng");
    CHECK(keyword_without_diacritics("tong diem") == "tổng điểm");
    CHECK(keyword_without_diacritics("khong xet khen thuong") == "không xét khen thưởng");
    // Keywords as written are not suggested, even those that are another keyword unmarked
    // (`trong` is `in`, and also `trống` without its diacritics).
    CHECK(keyword_without_diacritics("và").empty());
    CHECK(keyword_without_diacritics("khi").empty());
    CHECK(keyword_without_diacritics("sai").empty());
    CHECK(keyword_without_diacritics("trong").empty());
    CHECK(keyword_without_diacritics("and").empty());
    // Not a keyword: more than diacritics differ.
    CHECK(keyword_without_diacritics("vas").empty());
    CHECK(keyword_without_diacritics("nguoc").empty());
    CHECK(keyword_without_diacritics("").empty());
}

TEST_CASE("the parser suggests a keyword typed without diacritics", "[hints]") {
    struct slip {
        std::string points;
        std::string word;     // where the caret is (every word of the keyword)
        std::string keyword;  // what is suggested
    };
    const std::vector<slip> slips = {
        {"điểm = nếu a > 1 va b < 2 thì 10 ngược lại 0", "va", "và"},
        {"điểm = nếu a > 1 vá b < 2 thì 10 ngược lại 0", "vá", "và"},
        {"điểm = nếu a > 1 hoac b < 2 thì 10 ngược lại 0", "hoac", "hoặc"},
        {"điểm = nếu c hoăc a > 1 thì 10 ngược lại 0", "hoăc", "hoặc"},
        // `khong` and `neu` are read as names: the parse fails at the word after them.
        {"điểm = nếu khong c thì 10 ngược lại 0", "khong", "không"},
        {"điểm = neu a > 1 thì 10 ngược lại 0", "neu", "nếu"},
        {"điểm = nếu a > 1 thì 10 ngược lại neu a > 0 thì 5 ngược lại 0", "neu", "nếu"},
        {"điểm = nếu a > 1 thi 10 ngược lại 0", "thi", "thì"},
        {"điểm = nếu a > 1 thì 10 nguoc lai 0", "nguoc lai", "ngược lại"},
        {"điểm = nếu d la trống thì 10 ngược lại 0", "la", "là"},
        {"điểm = a + tong diem", "tong diem", "tổng điểm"},
        {"điểm = tuy theo c { đúng: 1  sai: 0 }", "tuy theo", "tùy theo"},
        {"dat x = 1\n            điểm = x", "dat", "đặt"},
    };
    for (const auto& [points, word, keyword] : slips) {
        const std::string text = vi_simple(points);
        INFO(points);
        const diagnostic d = first_error(text);
        CHECK(ends_with(d.message, "did you mean `" + keyword + "`?"));
        CHECK(at(text, d.where) == word);
    }
    // In an English regulation too: the spelling the user evidently meant.
    const diagnostic d = first_error(simple("points = if p > 1 va c then 10 else 0"));
    CHECK(ends_with(d.message, "did you mean `và`?"));
}

TEST_CASE("a name before an error is not taken for a keyword unless it takes an operand",
          "[hints]") {
    // `la` right before the error could be a field named so; only `nếu` and `không` are
    // looked for before the place the parse failed.
    const diagnostic d = first_error(vi_simple("điểm = a + la 3"));
    CHECK(d.message.find("did you mean") == std::string::npos);
}

TEST_CASE("the checker suggests a keyword for an unknown name typed without diacritics",
          "[hints]") {
    const auto check_text = [](const std::string& text) {
        auto parsed = parse_text(text);
        REQUIRE(parsed.diags.empty());
        REQUIRE(parsed.regulation);
        diagnostics diags;
        auto reg = check(*parsed.regulation, diags);
        REQUIRE(!diags.items().empty());
        return diags.items().front();
    };
    const diagnostic dung = check_text(vi_simple("điểm = nếu c == dung thì 10 ngược lại 0"));
    CHECK(dung.code == "E101");
    CHECK(ends_with(dung.message, "did you mean `đúng`?"));
    const diagnostic khong = check_text(vi_simple("điểm = nếu c thì 10 ngược lại khong"));
    CHECK(ends_with(khong.message, "did you mean `không`?"));
    // A declared name one edit away is not: the word is the keyword, letter for letter.
    std::string near = vi_simple("điểm = nếu c == dung thì 10 ngược lại 0");
    near.replace(near.find("a: số"), 1, "dunga");
    CHECK(ends_with(check_text(near).message, "did you mean `đúng`?"));
    // A declared name that differs only by its diacritics is the better guess.
    std::string declared = vi_simple("điểm = nếu dung > 1 thì 10 ngược lại 0");
    declared.replace(declared.find("a: số"), 1, "dũng");
    const diagnostic field = check_text(declared);
    CHECK(ends_with(field.message, "did you mean `dũng`?"));
}
