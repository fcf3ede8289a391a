// `first place by KEYS ties MODE` with its `ties` on a line of its own: the first place's when the
// ranking has another `ties` (reading it as the ranking's would be 'ties' given twice), the
// ranking's when it is the only one (docs/language.md §8).
#include <catch2/catch.hpp>
#include <string>

#include "dsl/parser.hpp"

using namespace thidua;

namespace {

parse_result parse_ranking(const std::string& ranking) {
    const std::string text =
        "regulation \"t\" {\n  scale 10\n  input {\n    x: number\n  }\n"
        "  section I \"s\" max 10 {\n    criterion I.1 \"c\" max 10 {\n      points = x\n    }\n"
        "  }\n  ranking {\n"
        + ranking + "  }\n}\n";
    return parse(std::make_shared<source_file>("t.tdkt", text));
}

const ast::ranking_decl& ranking_of(const parse_result& r) {
    INFO(render_text(r.diags));
    REQUIRE(r.diags.empty());
    REQUIRE(r.regulation);
    REQUIRE(r.regulation->ranking);
    return *r.regulation->ranking;
}

}  // namespace

TEST_CASE("first place's ties on its own line after the ranking's ties", "[parser][ranking]") {
    auto r = parse_ranking(
        "    by total desc\n    ties shared\n    first place by x desc,\n"
        "        bonus desc\n        ties unresolved\n");
    const auto& k = ranking_of(r);
    CHECK(k.ties == ast::tie_mode::shared);
    REQUIRE(k.first_place_ties);
    CHECK(*k.first_place_ties == ast::tie_mode::unresolved);
    CHECK(k.first_place_keys.size() == 2);
}

TEST_CASE("first place's ties on its own line before the ranking's ties", "[parser][ranking]") {
    auto r = parse_ranking(
        "    by total desc\n    first place by x desc\n    # first place only\n"
        "    ties unresolved\n    ties shared\n");
    const auto& k = ranking_of(r);
    CHECK(k.ties == ast::tie_mode::shared);
    REQUIRE(k.first_place_ties);
    CHECK(*k.first_place_ties == ast::tie_mode::unresolved);
}

TEST_CASE("first place's ties in Vietnamese on its own line", "[parser][ranking]") {
    auto r = parse_ranking(
        "    theo tổng điểm giảm dần\n    đồng điểm biểu quyết\n"
        "    vị trí thứ nhất theo x giảm dần\n    đồng điểm cùng hạng\n");
    const auto& k = ranking_of(r);
    CHECK(k.ties == ast::tie_mode::unresolved);
    REQUIRE(k.first_place_ties);
    CHECK(*k.first_place_ties == ast::tie_mode::shared);
}

TEST_CASE("the only ties of a ranking stays the ranking's", "[parser][ranking]") {
    auto r = parse_ranking("    by total desc\n    first place by x desc\n    ties shared\n");
    const auto& k = ranking_of(r);
    CHECK(k.ties == ast::tie_mode::shared);
    CHECK_FALSE(k.first_place_ties);
}

TEST_CASE("ties on the first place's line and the ranking's are unchanged", "[parser][ranking]") {
    auto r = parse_ranking(
        "    by total desc\n    first place by x desc ties shared\n"
        "    ties unresolved\n");
    const auto& k = ranking_of(r);
    CHECK(k.ties == ast::tie_mode::unresolved);
    REQUIRE(k.first_place_ties);
    CHECK(*k.first_place_ties == ast::tie_mode::shared);
}

TEST_CASE("a ranking's ties given twice is still E039", "[parser][ranking]") {
    // First place has its ties on its line: both others are the ranking's.
    auto a = parse_ranking(
        "    by total desc\n    first place by x desc ties shared\n"
        "    ties unresolved\n    ties shared\n");
    REQUIRE(a.diags.items().size() == 1);
    CHECK(a.diags.items()[0].code == "E039");
    // Not directly after the first-place clause.
    auto b = parse_ranking(
        "    first place by x desc\n    by total desc\n    ties unresolved\n"
        "    ties shared\n");
    REQUIRE(b.diags.items().size() == 1);
    CHECK(b.diags.items()[0].code == "E039");
    // Three: the one after first place is its own, the other two are the ranking's twice.
    auto c = parse_ranking(
        "    by total desc\n    ties shared\n    first place by x desc\n"
        "    ties unresolved\n    ties shared\n");
    REQUIRE(c.diags.items().size() == 1);
    CHECK(c.diags.items()[0].code == "E039");
}
