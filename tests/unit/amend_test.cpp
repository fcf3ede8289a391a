// Tests of amendments (engine/amend.*) and of `thidua diff` (engine/diff.*): the merge, where the
// merged rules point, the chain and its errors, the rule comparison, the attribution of outcome
// differences, and the diff command's output file. The goldens under tests/golden/amend/ and
// tests/golden/diff/ show the same as the user sees it.
#include "engine/amend.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/ast_util.hpp"
#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/data.hpp"
#include "engine/diff.hpp"
#include "engine/explain.hpp"
#include "engine/scoring.hpp"

using namespace thidua;
namespace fs = std::filesystem;

using thidua::testing::temp_dir;

namespace {

const std::string base_text = R"(regulation "Cơ sở" {
    scale 100
    input {
        a: number
        late: integer
    }
    section I "Nhiệm vụ" max 60 {
        criterion I.1 "A" max 40 { points = when a { >= 100: 40  >= 90: 30  else: 0 } }
        criterion I.2 "B" max 20 { points = 20 - 5 * late }
    }
    section II "Thi đua" max 40 {
        criterion II.1 "C" max 40 { points = 40 }
    }
    bonus "Thưởng" max 5 {
        item "Tin" max 2 { points = 1 }
    }
    ranking { by total desc  ties shared }
    award flag "Cờ" { candidates rank 1  require "Từ 90" total >= 90  limit 1 }
}
)";

parse_result parse_as(const std::string& path, const std::string& text) {
    auto parsed = parse(std::make_shared<source_file>(path, text));
    INFO(render_text(parsed.diags));
    REQUIRE(!parsed.diags.has_errors());
    REQUIRE(parsed.regulation);
    return parsed;
}

// The merge of base_text and an amendment body, with its diagnostics.
struct merged {
    diagnostics diags;
    std::unique_ptr<ast::regulation> reg;
};

merged merge_with(const std::string& statements) {
    merged m;
    auto base = parse_as("base.tdkt", base_text);
    auto amendment = parse_as(
        "amend.tdkt", "amends \"base.tdkt\"\nregulation \"Sửa đổi\" {\n" + statements + "\n}\n");
    m.reg = merge_amendment(std::move(base.regulation), std::move(amendment.regulation), m.diags);
    return m;
}

std::vector<std::string> codes(const diagnostics& ds) {
    std::vector<std::string> v;
    for (const auto& d : ds.items()) {
        v.push_back(d.code);
    }
    return v;
}

const ast::criterion* find_criterion(const ast::regulation& r, const std::string& id) {
    for (const auto& s : r.sections) {
        for (const auto& c : s.criteria) {
            if (c.id == id) {
                return &c;
            }
        }
    }
    return nullptr;
}

// Every expression id of a regulation.
void collect_ids(const ast::expr* e, std::vector<ast::node_id>& out) {
    if (!e) {
        return;
    }
    out.push_back(e->id);
    std::visit(overloaded{
                   [&](const ast::binary& b) {
                       collect_ids(b.lhs.get(), out);
                       collect_ids(b.rhs.get(), out);
                   },
                   [&](const ast::when_expr& w) {
                       collect_ids(w.subject.get(), out);
                       for (const auto& b : w.bands) {
                           collect_ids(b.bound.get(), out);
                           collect_ids(b.value.get(), out);
                       }
                       collect_ids(w.else_value.get(), out);
                   },
                   [](const auto&) {},
               },
               e->kind);
}

// A temporary directory, removed at the end.
}  // namespace

TEST_CASE("merge: replace, add and remove, each at its place", "[amend]") {
    auto m = merge_with(R"(
        replace criterion I.1 "A" max 40 { points = when a { >= 100: 40  >= 95: 30  else: 0 } }
        add criterion I.3 "D" max 10 in section I after I.1 { points = 10 }
        remove criterion I.2
        replace section I "Nhiệm vụ mới" max 50
        replace scale 90
        add award merit "Bằng khen" after flag { candidates rank 2  limit 1 }
        replace bonus "Thưởng" max 3
    )");
    INFO(render_text(m.diags));
    REQUIRE(m.reg);
    const auto& r = *m.reg;
    CHECK(r.title == "Sửa đổi");
    REQUIRE(r.sections.size() == 2);
    CHECK(r.sections[0].label == "Nhiệm vụ mới");
    REQUIRE(r.sections[0].criteria.size() == 2);  // the header replaced, the criteria kept
    CHECK(r.sections[0].criteria[0].id == "I.1");
    CHECK(r.sections[0].criteria[1].id == "I.3");
    CHECK(find_criterion(r, "I.2") == nullptr);
    REQUIRE(r.awards.size() == 2);
    CHECK(r.awards[1].id == "merit");
    REQUIRE(r.groups.size() == 1);
    CHECK(r.groups[0].max->text == "3");
    CHECK(r.groups[0].items.size() == 1);  // kept by the header-only replace
    CHECK(!r.amends);
    CHECK(r.amendments.empty());

    diagnostics diags;
    auto checked = check(r, diags);
    INFO(render_text(diags));
    CHECK(checked);
}

TEST_CASE("merge: every rule points into the file it now comes from", "[amend]") {
    auto m = merge_with(R"(replace criterion I.1 "A" max 40 { points = a })");
    REQUIRE(m.reg);
    const auto& r = *m.reg;
    const auto* replaced = find_criterion(r, "I.1");
    const auto* kept = find_criterion(r, "I.2");
    REQUIRE(replaced);
    REQUIRE(kept);
    CHECK(r.file->origin(replaced->where.begin).first->path() == "amend.tdkt");
    CHECK(r.file->origin(kept->where.begin).first->path() == "base.tdkt");
    CHECK(rule_position(r, replaced->where) == "amend.tdkt:3");
    CHECK(rule_position(r, kept->where) == "base.tdkt:9");
    CHECK(format_position(*r.file, kept->id_span) == "base.tdkt:9:19");
    // The text under a span is the same in the combined source as in the file it came from.
    CHECK(r.file->slice(replaced->body.points->where) == "a");
    CHECK(r.file->slice(kept->body.points->where) == "20 - 5 * late");
}

TEST_CASE("merge: expression ids stay unique and within expr_count", "[amend]") {
    auto m = merge_with(R"(
        replace criterion I.1 "A" max 40 { points = when a { >= 100: 40  else: 1 } }
        add criterion I.3 "D" max 10 in section I { points = 10 - late }
        replace section I "Nhiệm vụ" max 70
    )");
    REQUIRE(m.reg);
    std::vector<ast::node_id> ids;
    for (const auto& s : m.reg->sections) {
        for (const auto& c : s.criteria) {
            collect_ids(c.body.points.get(), ids);
        }
    }
    std::set<ast::node_id> unique(ids.begin(), ids.end());
    CHECK(unique.size() == ids.size());
    CHECK(*unique.rbegin() <= m.reg->expr_count);
    CHECK(*unique.begin() >= 1);
}

TEST_CASE("merge: what does not exist, what exists already, misplaced additions", "[amend]") {
    CHECK(codes(merge_with("replace criterion I.9 \"x\" max 1 { points = 0 }").diags)
          == std::vector<std::string>{"E182"});
    CHECK(codes(merge_with("remove award merit").diags) == std::vector<std::string>{"E182"});
    CHECK(codes(merge_with("add criterion I.1 \"x\" max 1 in section I { points = 0 }").diags)
          == std::vector<std::string>{"E183"});
    CHECK(codes(merge_with("add ranking { by total desc }").diags)
          == std::vector<std::string>{"E183"});
    CHECK(codes(merge_with("add criterion I.9 \"x\" max 1 { points = 0 }").diags)
          == std::vector<std::string>{"E184"});
    CHECK(codes(merge_with("add section III \"x\" max 1").diags)
          == std::vector<std::string>{"E185"});
    // A failed merge gives no regulation at all: nothing is scored from half a change.
    CHECK(merge_with("remove criterion I.9").reg == nullptr);
    // Statements apply in order: what was added can be replaced, what was removed re-added.
    CHECK(merge_with(R"(
        add criterion I.3 "x" max 1 in section I { points = 0 }
        replace criterion I.3 "y" max 1 { points = 1 }
        remove criterion I.2
        add criterion I.2 "B" max 20 in section I { points = 20 }
    )")
              .reg);
}

TEST_CASE("amendment chains are read from files, relative to the amending file", "[amend]") {
    temp_dir dir;
    fs::create_directories(dir.path / "drafts");
    dir.write("base.tdkt", base_text);
    dir.write("drafts/first.tdkt",
              "amends \"../base.tdkt\"\nregulation \"Lần 1\" {\n"
              "    replace criterion I.2 \"B\" max 20 { points = 20 - 4 * late }\n}\n");
    dir.write("drafts/second.tdkt",
              "amends \"first.tdkt\"\nregulation \"Lần 2\" {\n"
              "    replace award flag \"Cờ\" { candidates rank 1  limit 1 }\n}\n");
    std::string err;
    auto src = source_file::load((dir.path / "drafts/second.tdkt").string(), err);
    REQUIRE(src);
    auto parsed = parse(src);
    apply_amendments(parsed);
    INFO(render_text(parsed.diags));
    REQUIRE(parsed.regulation);
    const auto& r = *parsed.regulation;
    CHECK(r.title == "Lần 2");
    const auto* i2 = find_criterion(r, "I.2");
    REQUIRE(i2);
    CHECK(fs::path(r.file->origin(i2->where.begin).first->path()).filename() == "first.tdkt");
    CHECK(fs::path(r.file->origin(find_criterion(r, "I.1")->where.begin).first->path()).filename()
          == "base.tdkt");
    CHECK(fs::path(r.file->origin(r.awards[0].where.begin).first->path()).filename()
          == "second.tdkt");
    diagnostics diags;
    CHECK(check(r, diags));

    SECTION("a cycle is an error, not an endless loop") {
        dir.write("drafts/first.tdkt", "amends \"second.tdkt\"\nregulation \"x\" {\n}\n");
        auto again = parse(source_file::load((dir.path / "drafts/second.tdkt").string(), err));
        apply_amendments(again);
        CHECK(!again.regulation);
        CHECK(std::any_of(again.diags.items().begin(), again.diags.items().end(),
                          [](const diagnostic& d) { return d.code == "E181"; }));
    }
    SECTION("a missing base is an error at the path") {
        dir.write("drafts/first.tdkt", "amends \"nowhere.tdkt\"\nregulation \"x\" {\n}\n");
        auto again = parse(source_file::load((dir.path / "drafts/first.tdkt").string(), err));
        apply_amendments(again);
        CHECK(!again.regulation);
        REQUIRE(again.diags.items().size() == 1);
        CHECK(again.diags.items()[0].code == "E180");
        CHECK(format_position(*again.diags.items()[0].file, again.diags.items()[0].where)
                  .find("first.tdkt:1:8")
              != std::string::npos);
    }
}

// ---------------------------------------------------------------------------------------------
// diff

namespace {

struct scored_reg {
    parse_result parsed;
    std::unique_ptr<checked_regulation> checked;
    std::optional<dataset> data;
    std::optional<bloc_outcome> bloc;
};

std::unique_ptr<scored_reg> score_text(const std::string& path, const std::string& text,
                                       const std::string& units) {
    auto s = std::make_unique<scored_reg>();
    s->parsed = parse(std::make_shared<source_file>(path, text));
    apply_amendments(s->parsed);
    REQUIRE(s->parsed.regulation);
    diagnostics diags;
    s->checked = check(*s->parsed.regulation, diags);
    INFO(render_text(diags));
    REQUIRE(s->checked);
    csv_files files;
    files.units = make_data_source("units.csv", units);
    files.lists.resize(s->parsed.regulation->inputs.size());
    files.missing_hint.resize(s->parsed.regulation->inputs.size());
    s->data = load_results_csv(*s->parsed.regulation, files, {}, diags);
    INFO(render_text(diags));
    REQUIRE(s->data);
    s->bloc = score_bloc(*s->checked, s->data->units, false, diags);
    REQUIRE(s->bloc);
    return s;
}

const std::string units = "unit,a,late\nAn,100,0\nBình,92,1\nChi,80,3\n";

}  // namespace

TEST_CASE("diff: rule changes in the regulation's own terms", "[diff]") {
    auto old_reg = score_text("base.tdkt", base_text, units);
    std::string changed = base_text;
    changed.replace(changed.find(">= 90: 30"), 9, ">= 95: 30");
    const std::string require = "require \"Từ 90\" total >= 90";
    changed.replace(changed.find(require), require.size(),
                    require + "  require \"Không trễ\" late == 0");
    auto new_reg = score_text("new.tdkt", changed, units);
    const auto changes = compare_regulations(*old_reg->checked, *new_reg->checked);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].subject == "criterion I.1");
    CHECK(changes[0].aspect == "band");
    CHECK(changes[0].description == "band threshold `>= 90: 30` → `>= 95: 30`");
    CHECK(changes[0].old_position == "base.tdkt:8");
    CHECK(changes[0].new_position == "new.tdkt:8");
    CHECK(changes[1].subject == "award flag");
    CHECK(changes[1].aspect == "requirement");
    CHECK(changes[1].part == "Không trễ");
    CHECK(!changes[1].old_position);

    const auto d = compare_outcomes(changes, *old_reg->bloc, *new_reg->bloc, "units.csv");
    REQUIRE(d.units.size() == 3);
    // Bình (92%) falls from the 30-point band to 0: attributed to the band change.
    CHECK(d.units[1].name == "Bình");
    REQUIRE(d.units[1].points.size() == 1);
    CHECK(d.units[1].points[0].subject == "criterion I.1");
    CHECK(d.units[1].points[0].old_points == number(30));
    CHECK(d.units[1].points[0].new_points == number(0));
    CHECK(d.units[1].points[0].causes == std::vector<std::size_t>{0});
    // An holds the flag in both (late == 0): the requirement changes nothing here.
    CHECK(!d.units[0].award_changed);
    CHECK(d.no_effect == std::vector<std::size_t>{1});
    CHECK(d.score_changed == 1);
    CHECK(d.award_changed == 0);
}

TEST_CASE("diff: identical regulations have no changes and no differences", "[diff]") {
    auto a = score_text("a.tdkt", base_text, units);
    auto b = score_text("b.tdkt", base_text, units);
    const auto changes = compare_regulations(*a->checked, *b->checked);
    CHECK(changes.empty());
    const auto d = compare_outcomes(changes, *a->bloc, *b->bloc, "units.csv");
    CHECK(d.score_changed == 0);
    CHECK(d.rank_changed == 0);
    CHECK(d.award_changed == 0);
    for (const auto& u : d.units) {
        CHECK(u.points.empty());
    }
}

TEST_CASE("diff: an award lost is attributed to the requirement that now fails", "[diff]") {
    const std::string strict_units = "unit,a,late\nAn,100,1\nBình,92,0\n";
    auto old_reg = score_text("base.tdkt", base_text, strict_units);
    std::string changed = base_text;
    const std::string require = "require \"Từ 90\" total >= 90";
    changed.replace(changed.find(require), require.size(),
                    require + "  require \"Không trễ\" late == 0");
    auto new_reg = score_text("new.tdkt", changed, strict_units);
    const auto changes = compare_regulations(*old_reg->checked, *new_reg->checked);
    REQUIRE(changes.size() == 1);
    const auto d = compare_outcomes(changes, *old_reg->bloc, *new_reg->bloc, "units.csv");
    CHECK(d.units[0].award_changed);
    CHECK(d.units[0].old_side.award == "flag");
    CHECK(d.units[0].new_side.award.empty());
    CHECK(d.units[0].award_causes == std::vector<std::size_t>{0});
    CHECK(d.units[0].award_reason.find("\"Không trễ\" does not hold") != std::string::npos);
    REQUIRE(d.awards.size() == 1);
    CHECK(d.awards[0].losses == std::vector<std::string>{"An"});
    CHECK(d.awards[0].gains.empty());
    CHECK(d.no_effect.empty());
}

TEST_CASE("diff --output writes the report atomically and deterministically", "[diff][cli]") {
    temp_dir dir;
    const std::string out = (dir.path / "diff.json").string();
    const std::vector<std::string> args = {"diff",
                                           "rules/khoi5-2018/regulation.tdkt",
                                           "rules/khoi5-2018/draft-2019.tdkt",
                                           "--data",
                                           "rules/khoi5-2018/data",
                                           "--format",
                                           "json"};
    const std::string stdout_run = thidua::testing::run(args);
    auto with_output = args;
    with_output.push_back("--output");
    with_output.push_back(out);
    CHECK(thidua::testing::run(with_output) == "exit: 0\n");
    CHECK(thidua::testing::read_file(out) + "exit: 0\n" == stdout_run);
    CHECK(thidua::testing::run(args) == stdout_run);
    // A second dataset that cannot be read: exit 2, and the old file is left as it was.
    auto failing = with_output;
    failing.push_back("--data");
    failing.push_back("tests/golden/diff/no-such-data");
    const std::string before = thidua::testing::read_file(out);
    CHECK(thidua::testing::run(failing).find("exit: 2") != std::string::npos);
    CHECK(thidua::testing::read_file(out) == before);
}

TEST_CASE("parser: an amendment's statements and their dump", "[amend][parser]") {
    const auto parsed = parse_as("t.tdkt", R"(amends "../base.tdkt"
regulation "Sửa đổi" {
    replace criterion I.2 "B" max 20 { points = b }
    add item "X" max 1 in bonus "Thưởng" { points = 1 }
    replace section I "Nhiệm vụ" max 65
    add award merit "Bằng khen" after flag { candidates rank 2  limit 1 }
    remove rounding criterion
    remove item "Tin" in deduction "Trừ"
}
)");
    const auto& r = *parsed.regulation;
    REQUIRE(r.amends == "../base.tdkt");
    REQUIRE(r.amendments.size() == 6);
    CHECK(r.amendments[2].header_only);
    CHECK(r.amendments[3].places.size() == 1);
    CHECK(r.amendments[4].key == "criterion");
    CHECK(r.file->slice(r.amendments[0].key_span) == "I.2");
    CHECK(dump_ast(r) == R"((regulation "Sửa đổi"
  (amends "../base.tdkt")
  (replace criterion "I.2"
    (criterion I.2 "B" (max 20)
      (points b)
      )
    )
  (add item "X" (in bonus "Thưởng")
    (item "X" (max 1)
      (points 1)
      )
    )
  (replace section "I" (header only)
    (section I "Nhiệm vụ" (max 65)
      )
    )
  (add award "merit" (after "flag")
    (award merit "Bằng khen"
      (candidates rank 2)
      (limit 1 rounded down)
      (unused slots are lost)
      )
    )
  (remove rounding "criterion"
    )
  (remove item "Tin" (in deduction "Trừ")
    )
  )
)");
}
