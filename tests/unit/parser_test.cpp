#include "dsl/parser.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <tao/pegtl/contrib/analyze.hpp>

#include "dsl/ast_dump.hpp"
#include "dsl/grammar.hpp"

using namespace thidua;

namespace {

parse_result parse_text(const std::string& text) {
    return parse(std::make_shared<source_file>("t.tdkt", text));
}

// A regulation whose only criterion has the given points formula.
std::string with_points(const std::string& formula, const std::string& before = "") {
    return "regulation \"t\" {\n  section I \"s\" max 10 {\n    criterion I.1 \"c\" max 10 {\n"
           + before + "      points = " + formula + "\n    }\n  }\n}\n";
}

// The dump of the points formula of the only criterion.
std::string points_of(const std::string& formula) {
    auto r = parse_text(with_points(formula));
    INFO(formula);
    REQUIRE(r.diags.empty());
    REQUIRE(r.regulation);
    return dump_expr(r.regulation->sections.at(0).criteria.at(0).body.points.get());
}

std::string first_error(const std::string& text) {
    auto r = parse_text(text);
    REQUIRE(!r.diags.items().empty());
    return r.diags.items().front().code;
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("the grammar has no left recursion or infinite loops") {
    CHECK(tao::pegtl::analyze<grammar::grammar>() == 0);
}

TEST_CASE("the sketch example parses to the expected AST") {
    const std::string dir = std::string(THIDUA_SOURCE_DIR) + "/tests/golden/check/";
    auto r = parse(std::make_shared<source_file>("x", read(dir + "valid-sketch.tdkt")));
    CHECK(r.diags.empty());
    REQUIRE(r.regulation);
    // The golden holds the reviewed dump, followed by the summary and exit lines.
    const std::string golden = read(dir + "valid-sketch.out");
    const std::string dump = dump_ast(*r.regulation);
    CHECK(golden.substr(0, dump.size()) == dump);
    CHECK(r.regulation->sections.size() == 3);
    CHECK(r.regulation->awards.size() == 2);
    CHECK(r.regulation->awards[1].rank_from == 2u);
    CHECK(r.regulation->awards[1].rank_to == 3u);
}

TEST_CASE("operator precedence and associativity") {
    CHECK(points_of("1 + 2 * 3") == "(+ 1 (* 2 3))");
    CHECK(points_of("(1 + 2) * 3") == "(* (+ 1 2) 3)");
    CHECK(points_of("10 - 2 - 3") == "(- (- 10 2) 3)");
    CHECK(points_of("8 / 4 / 2") == "(/ (/ 8 4) 2)");
    CHECK(points_of("-a * b") == "(* (neg a) b)");
    CHECK(points_of("- - a") == "(neg (neg a))");
    CHECK(points_of("-i.x") == "(neg (. i x))");
    CHECK(points_of("if a or b and c then 1 else 0") == "(if (or a (and b c)) 1 0)");
    CHECK(points_of("if not a == b then 1 else 0") == "(if (not (== a b)) 1 0)");
    CHECK(points_of("if a + 1 >= b * 2 then 1 else 0") == "(if (>= (+ a 1) (* b 2)) 1 0)");
    CHECK(points_of("if x is absent or y is present then 1 else 0")
          == "(if (or (absent x) (present y)) 1 0)");
    CHECK(points_of("if a and b and c then 1 else 0") == "(if (and (and a b) c) 1 0)");
    CHECK(points_of("a.b.c") == "(. (. a b) c)");
}

TEST_CASE("every expression construct") {
    CHECK(points_of("95%") == "95%");
    CHECK(points_of("0.250") == "0.250");  // the text is kept exactly
    CHECK(points_of("true") == "true");
    CHECK(points_of("\"a\\\"b\\\\c\\nd\\te\"") == "\"a\\\"b\\\\c\\nd\\te\"");
    CHECK(points_of("2020-02-29") == "2020-02-29");
    CHECK(points_of("total + bonus - deduction") == "(- (+ (total) (bonus)) (deduction))");
    CHECK(points_of("section I.2 + criterion a4.2") == "(+ (section I.2) (criterion a4.2))");
    CHECK(points_of("min(a, b, 3)") == "(call min a b 3)");
    CHECK(points_of("f()") == "(call f)");
    CHECK(points_of("count(xs)") == "(count xs)");
    CHECK(points_of("count(x in xs where x.ok)") == "(count x xs (where (. x ok)))");
    CHECK(points_of("sum(x in xs: x.v)") == "(sum x xs (. x v))");
    CHECK(points_of("any(x in xs where x.a: x.b)") == "(any x xs (where (. x a)) (. x b))");
    CHECK(points_of("when p { >= 1: 2, < 0: -1 == 0: 0 else: 5 }")
          == "(when p (>= 1 2) (< 0 (neg 1)) (== 0 0) (else 5))");
    CHECK(points_of("when p { > 1: when q { <= 2: 3 } }") == "(when p (> 1 (when q (<= 2 3))))");
    CHECK(points_of("match r { xs: 1, tot: 2\n ht: 3 else: 0 }")
          == "(match r (xs 1) (tot 2) (ht 3) (else 0))");
    CHECK(points_of("if a then b else c") == "(if a b c)");
}

TEST_CASE("Vietnamese names and labels round-trip byte for byte") {
    const std::string label = "Thực hiện nhiệm vụ chính trị – “năm” 2018";
    auto r = parse_text("regulation \"Quy định\" {\n  section I \"" + label
                        + "\" max 10 {\n    criterion I.1 \"Tiêu chí\" max 10 {\n"
                          "      let điểm_thưởng = số_bài * 2\n      points = điểm_thưởng\n"
                          "    }\n  }\n}\n");
    REQUIRE(r.diags.empty());
    REQUIRE(r.regulation);
    CHECK(r.regulation->title == "Quy định");
    CHECK(r.regulation->sections[0].label == label);
    const auto& c = r.regulation->sections[0].criteria[0];
    CHECK(c.body.lets[0].name == "điểm_thưởng");
    CHECK(dump_expr(c.body.lets[0].value.get()) == "(* số_bài 2)");
}

TEST_CASE("CRLF line ends and a UTF-8 byte order mark are accepted") {
    std::string text = with_points("1 + 2");
    std::string crlf;
    for (const char ch : text) {
        if (ch == '\n') {
            crlf += '\r';
        }
        crlf += ch;
    }
    auto r = parse_text("\xEF\xBB\xBF" + crlf);
    CHECK(r.diags.empty());
    REQUIRE(r.regulation);
    // Positions still count bytes from the start of the file (BOM included).
    const auto& points = *r.regulation->sections[0].criteria[0].body.points;
    const auto loc = r.regulation->file->locate(points.where.begin);
    CHECK(loc.line == 4);
    CHECK(loc.column == 16);
}

TEST_CASE("spans and expression ids") {
    const std::string text = with_points("a + b * 2");
    auto r = parse_text(text);
    REQUIRE(r.regulation);
    const auto& e = *r.regulation->sections[0].criteria[0].body.points;
    CHECK(r.regulation->file->slice(e.where) == "a + b * 2");
    const auto& b = std::get<ast::binary>(e.kind);
    CHECK(r.regulation->file->slice(b.op_span) == "+");
    CHECK(r.regulation->file->slice(b.rhs->where) == "b * 2");
    // Ids in source order: + (1), a (2), * (3), b (4), 2 (5).
    CHECK(e.id == 1);
    CHECK(b.lhs->id == 2);
    CHECK(b.rhs->id == 3);
    CHECK(std::get<ast::binary>(b.rhs->kind).lhs->id == 4);
    CHECK(std::get<ast::binary>(b.rhs->kind).rhs->id == 5);
    CHECK(r.regulation->expr_count == 5);
    const auto& crit = r.regulation->sections[0].criteria[0];
    CHECK(r.regulation->file->slice(crit.id_span) == "I.1");
    CHECK(r.regulation->file->slice(crit.max.where) == "10");
}

TEST_CASE("ids are unique and dense across a regulation") {
    auto r = parse_text(with_points("x", "      let x = (1 + 2) * f(3)\n"));
    REQUIRE(r.regulation);
    CHECK(r.regulation->expr_count == 7);
    const auto& c = r.regulation->sections[0].criteria[0];
    CHECK(c.body.lets[0].value->id == 1);
    CHECK(c.body.points->id == 7);
}

TEST_CASE("syntax errors get their codes") {
    CHECK(first_error("") == "E001");
    CHECK(first_error(std::string("regulation \"a\" {\0}", 18)) == "E002");
    CHECK(first_error("regulation \"\xff\" {}") == "E003");
    CHECK(first_error(with_points("1 ~ 2")) == "E004");
    CHECK(first_error(with_points(std::string(100, '(') + "1" + std::string(100, ')'))) == "E005");
    CHECK(first_error(with_points("\"abc")) == "E006");
    CHECK(first_error(with_points("2018-02-30")) == "E009");
    CHECK(first_error("scale 100") == "E010");
    CHECK(first_error(with_points("when p { => 3: 1 }")) == "E029");
    CHECK(first_error(with_points("a < b < c")) == "E033");
}

TEST_CASE("several errors are reported, in source order") {
    auto r = parse_text(
        "regulation \"t\" {\n"
        "  section I \"s\" max 10 {\n"
        "    criterion I.1 \"a\" max 5 { points = 1 + }\n"
        "    criterion I.2 \"b\" max 5 { points = }\n"
        "    criterion I.3 \"c\" max 5 { points = 3 }\n"
        "  }\n"
        "  scale\n"
        "  section II \"t\" max 10 { }\n"
        "}\n");
    REQUIRE(r.diags.error_count() == 3);
    CHECK(r.diags.items()[0].where.begin < r.diags.items()[1].where.begin);
    CHECK(r.diags.items()[1].where.begin < r.diags.items()[2].where.begin);
    CHECK(r.diags.items()[2].code == "E024");
    // The parse went on: the valid parts are in the (partial) AST.
    REQUIRE(r.regulation);
    REQUIRE(r.regulation->sections.size() == 2);
    REQUIRE(r.regulation->sections[0].criteria.size() == 1);
    CHECK(r.regulation->sections[0].criteria[0].id == "I.3");
    CHECK(r.regulation->sections[1].id == "II");
}

TEST_CASE("a large regulation parses in linear time") {
    std::string text = "regulation \"big\" {\n  section I \"s\" max 100 {\n";
    for (int i = 0; i < 5000; ++i) {
        text += "    criterion I." + std::to_string(i)
                + " \"c\" max 1 { points = when p { >= 100%: 1  >= 50%: 0.5  else: 0 } }\n";
    }
    text += "  }\n}\n";
    auto r = parse_text(text);
    CHECK(r.diags.empty());
    REQUIRE(r.regulation);
    CHECK(r.regulation->sections[0].criteria.size() == 5000);
}
