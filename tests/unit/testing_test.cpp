// Tests written in the language: parsing, checking, running, coverage and JUnit output
// (docs/testing.md). The golden files in tests/golden/test/ show the same as the user sees it.
//
// dsl/grammar.hpp comes first: its `raise<>` must not meet ::raise from <signal.h> (which
// cli_runner.hpp pulls in through <spawn.h>).
// clang-format off
#include "dsl/grammar.hpp"
#include <tao/pegtl/contrib/analyze.hpp>
// clang-format on

#include "engine/testing.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "cli_runner.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/coverage.hpp"
#include "engine/test_checker.hpp"

using namespace thidua;  // NOLINT(google-build-using-namespace)
namespace fs = std::filesystem;

namespace {

const char* const regulation_text = R"(regulation "r" {
    scale 100
    enum rating ordered { xs  tot  ht }
    input {
        ty_le: number
        so_lan: integer
        xep_loai: rating
        ngay: date?
        chi_tieu: list { ma: text  dat: bool }
    }
    section I "s" max 100 {
        criterion I.1 "a" max 60 { points = when ty_le { >= 100%: 60  >= 90%: 40  else: 0 } }
        criterion I.2 "b" max 40 { points = match xep_loai { xs: 40  tot: 30  else: 10 } }
    }
    exclude "không nộp" when ngay is absent
    ranking {
        by total desc
        ties unresolved
    }
    award flag "Cờ" {
        candidates rank 1
        require "từ 90" total >= 90
        limit 1
    }
}
)";

// A parsed and checked regulation, kept alive with its source.
struct fixture {
    source_ptr source = std::make_shared<source_file>("mem/reg.tdkt", regulation_text);
    parse_result parsed = parse(source);
    diagnostics diags;
    std::unique_ptr<checked_regulation> checked;
    fixture() {
        REQUIRE(parsed.regulation);
        REQUIRE(!parsed.diags.has_errors());
        checked = check(*parsed.regulation, diags);
        REQUIRE(checked);
    }
};

struct test_source {
    source_ptr source;
    test_parse_result parsed;
    explicit test_source(const std::string& text)
        : source(
            std::make_shared<source_file>("mem/x.test.tdkt", "tests for \"reg.tdkt\"\n" + text)),
          parsed(parse_tests(source)) {}
};

std::string messages(const diagnostics& d) {
    std::string out;
    for (const auto& x : d.items()) {
        out += x.code + " " + x.message + "\n";
    }
    return out;
}

const std::string two_units = R"(
    unit "A" { ty_le = 100%  so_lan = 2  xep_loai = xs  ngay = 2020-01-01  chi_tieu = [ { ma = "x", dat = true } ] }
    unit "B" { ty_le = 0.95  so_lan = 0  xep_loai = ht  ngay = 2020-01-02  chi_tieu = [] }
)";

}  // namespace

TEST_CASE("the test grammar has no rule that could loop", "[testing]") {
    CHECK(tao::pegtl::analyze<grammar::test_file_grammar>() == 0);
    CHECK(tao::pegtl::analyze<grammar::grammar>() == 0);
}

TEST_CASE("a test file parses into the test AST", "[testing]") {
    test_source t(R"(
test "t" {
    data "d/"
    unit "Sở A" { ty_le = -2.5  xep_loai = xs, ngay = 2020-02-29  chi_tieu = [ { ma = "x" dat = true }, {} ] }
    expect "Sở A" criterion I.1 == 40.5 within 0.01
    expect "Sở A" rank == 2..3
    expect "Sở A" award flag pending
    expect "Sở A" not ineligible
    expect conflict flag "Sở A", "Sở B"
}
)");
    INFO(render_text(t.parsed.diags));
    REQUIRE(t.parsed.tests);
    const auto& f = *t.parsed.tests;
    CHECK(f.regulation_path == "reg.tdkt");
    REQUIRE(f.tests.size() == 1);
    const auto& test = f.tests[0];
    CHECK(test.data == std::optional<std::string>("d/"));
    REQUIRE(test.units.size() == 1);
    const auto& fields = test.units[0].fields;
    REQUIRE(fields.size() == 4);
    CHECK(fields[0].value.number.text == "-2.5");
    CHECK(fields[1].value.what == ast::test_value::kind::member);
    CHECK(fields[2].value.date.day == 29);
    CHECK(fields[3].value.rows.size() == 2);
    CHECK(fields[3].value.rows[1].empty());
    REQUIRE(test.expectations.size() == 5);
    CHECK(test.expectations[0].target.id == "I.1");
    CHECK(test.expectations[0].within.has_value());
    CHECK(test.expectations[1].rank_to == 3);
    CHECK(test.expectations[2].what == ast::expectation::kind::award_pending);
    CHECK(test.expectations[3].negated);
    CHECK(test.expectations[4].units.size() == 2);
    CHECK(dump_tests(f) == R"((tests for "reg.tdkt"
  (test "t"
    (data "d/")
    (unit "Sở A" (ty_le -2.5) (xep_loai xs) (ngay 2020-02-29) (chi_tieu [(row (ma "x") (dat true)) (row)]))
    (expect "Sở A" criterion I.1 == 40.5 (within 0.01))
    (expect "Sở A" rank == 2..3)
    (expect "Sở A" award flag pending)
    (expect "Sở A" not ineligible)
    (expect conflict flag "Sở A" "Sở B")
  )
)
)");
}

TEST_CASE("tests may follow the regulation in its own file", "[testing]") {
    auto src = std::make_shared<source_file>(
        "mem/r.tdkt", std::string(regulation_text) + "test \"a\" { data \"d\" expect \"X\" total == 1 }\n"
                                                     "test \"b\" { data \"d\" expect \"X\" excluded }\n");
    auto parsed = parse(src);
    INFO(render_text(parsed.diags));
    REQUIRE(parsed.regulation);
    CHECK(parsed.regulation->tests.size() == 2);
    CHECK(dump_ast(*parsed.regulation).find("(test \"b\"") != std::string::npos);
}

TEST_CASE("a test file without its header or with trailing text is an error", "[testing]") {
    for (const char* text : {"test \"t\" { }", "tests \"x\"", "tests for \"r\" junk"}) {
        auto src = std::make_shared<source_file>("mem/x.test.tdkt", text);
        auto parsed = parse_tests(src);
        CHECK(parsed.diags.has_errors());
        CHECK(parsed.diags.items().front().code == "E069");
    }
}

TEST_CASE("inline values are typed by the input schema", "[testing]") {
    fixture fx;
    test_source t(R"(test "t" {)" + two_units + R"(
    expect "A" total == 100
})");
    REQUIRE(t.parsed.tests);
    diagnostics d;
    auto prepared = prepare_tests(*fx.checked, t.parsed.tests->tests, t.source, d);
    INFO(messages(d));
    REQUIRE(!d.has_errors());
    REQUIRE(prepared.size() == 1);
    const auto& units = prepared[0].units;
    REQUIRE(units.size() == 2);
    CHECK(std::get<number>(units[0].fields[0].v) == number(1));  // 100%
    CHECK(std::get<number>(units[1].fields[0].v) == number::ratio(95, 100));
    CHECK(std::get<enum_value>(units[1].fields[2].v).index == 2);
    CHECK(std::get<date>(units[0].fields[3].v) == date{2020, 1, 1});
    CHECK(std::get<list_value>(units[0].fields[4].v)->size() == 1);
    CHECK(std::get<list_value>(units[1].fields[4].v)->empty());
}

TEST_CASE("wrong names and values are diagnosed with suggestions", "[testing]") {
    fixture fx;
    test_source t(R"(test "t" {
    unit "A" { ty_l = 1  so_lan = 1.5  xep_loai = totx  ngay = "2020"  chi_tieu = [ { ma = "x" } ] }
    expect "B" total == 1
    expect "A" criterion I.9 == 1
    expect "A" award cờ
})");
    REQUIRE(t.parsed.tests);
    diagnostics d;
    prepare_tests(*fx.checked, t.parsed.tests->tests, t.source, d);
    const std::string m = messages(d);
    CHECK_THAT(m,
               Catch::Contains("E400 the regulation has no input `ty_l`; did you mean `ty_le`?"));
    CHECK_THAT(m, Catch::Contains("E401 `so_lan` is an integer; 1.5 is not a whole number"));
    CHECK_THAT(m, Catch::Contains("E402 `totx` is not a member of `rating` (xs, tot, ht); did you "
                                  "mean `tot`?"));
    CHECK_THAT(m, Catch::Contains("E401 `ngay` is a date (YYYY-MM-DD); got a string"));
    CHECK_THAT(m, Catch::Contains("E403 this row of `chi_tieu` has no `dat`"));
    CHECK_THAT(m, Catch::Contains("E403 unit \"A\" has no value for 1 required input: ty_le"));
    CHECK_THAT(m, Catch::Contains("E410 no unit named \"B\" in this test; did you mean \"A\"?"));
    CHECK_THAT(m,
               Catch::Contains("E411 no criterion `I.9` in the regulation; did you mean `I.1`?"));
    CHECK_THAT(m, Catch::Contains("E412 no award `cờ`"));
}

TEST_CASE("a member written in quotes, as a results file would, names the member", "[testing]") {
    fixture fx;
    test_source t(R"(test "t" {
    unit "A" { ty_le = 1  so_lan = 1  xep_loai = "tot"  ngay = 2020-01-01  chi_tieu = [] }
    expect "A" total == 1
})");
    REQUIRE(t.parsed.tests);
    diagnostics d;
    prepare_tests(*fx.checked, t.parsed.tests->tests, t.source, d);
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].code == "E401");
    REQUIRE(d.items()[0].notes.size() == 1);
    CHECK(d.items()[0].notes[0].message == "a member is written without quotes: `xep_loai = tot`");
}

TEST_CASE("expectations pass and fail exactly", "[testing]") {
    fixture fx;
    // A: 60 + 40 = 100, rank 1, flag. B: 95 % → 40, ht → else 10: 50.
    test_source t(R"(test "passes" {)" + two_units + R"(
    expect "A" total == 100
    expect "B" criterion I.1 == 40
    expect "B" criterion I.2 == 10
    expect "A" award flag
    expect "B" no award
    expect "B" rank == 2
    expect "B" total == 50.004 within 0.005
    expect "A" not excluded
}
test "fails" {)" + two_units
                  + R"(
    expect "A" total == 100.000001
    expect "B" total == 50.01 within 0.005
    expect "B" award flag
    expect tie "A", "B"
    expect "A" excluded
})");
    REQUIRE(t.parsed.tests);
    diagnostics d;
    auto prepared = prepare_tests(*fx.checked, t.parsed.tests->tests, t.source, d);
    INFO(messages(d));
    REQUIRE(!d.has_errors());
    rule_coverage cov(*fx.checked);
    const auto pass = run_test(*fx.checked, prepared[0], &cov);
    for (const auto& f : pass.failures) {
        INFO(f.expectation << " -> " << f.actual);
        CHECK(false);
    }
    CHECK(pass.passed());
    const auto fail = run_test(*fx.checked, prepared[1], &cov);
    REQUIRE(fail.failures.size() == 5);
    CHECK(fail.failures[0].actual == "100");
    CHECK(fail.failures[0].position == "mem/x.test.tdkt:19");
    CHECK(fail.failures[0].expectation == "expect \"A\" total == 100.000001");
    CHECK_THAT(fail.failures[0].explanation, Catch::Contains("A: 100.00 points, rank 1 of 2"));
    CHECK(fail.failures[1].actual == "50 (off by 0.01, more than 0.005)");
    CHECK_THAT(fail.failures[2].actual, Catch::StartsWith("no award; award flag: not given"));
    CHECK(fail.failures[3].actual == "no unresolved tie");
    CHECK_THAT(fail.failures[3].explanation, Catch::Contains("ranks ahead"));
    CHECK(fail.failures[4].actual == "not excluded");

    const std::string text = render_test_text({pass, fail});
    CHECK_THAT(text,
               Catch::StartsWith("PASS mem/x.test.tdkt:2 \"passes\"\nFAIL mem/x.test.tdkt:15"));
    CHECK_THAT(text, Catch::EndsWith("\n1 passed, 1 failed\n"));
}

TEST_CASE("coverage counts bands, arms, knock-outs, requirements and awards", "[testing]") {
    fixture fx;
    rule_coverage cov(*fx.checked);
    // 2 criteria + 3 bands + 3 arms (else included) + 2 knock-out outcomes + 2 requirement
    // outcomes + 2 award outcomes.
    REQUIRE(cov.points().size() == 14);
    CHECK(cov.hit_count() == 0);
    CHECK(cov.at_least(number(0)));
    CHECK(!cov.at_least(number::ratio(1, 100)));

    test_source t(R"(test "t" {)" + two_units + R"(
    expect "A" total == 100
})");
    diagnostics d;
    auto prepared = prepare_tests(*fx.checked, t.parsed.tests->tests, t.source, d);
    REQUIRE(!d.has_errors());
    run_test(*fx.checked, prepared[0], &cov);
    // Hit: both criteria, bands >= 100% and >= 90%, arms xs and else, the exclusion not applying,
    // the requirement holding and failing, the flag given and refused.
    CHECK(cov.hit_count() == 11);
    const std::string report = cov.report_text();
    CHECK_THAT(report,
               Catch::StartsWith("coverage of mem/reg.tdkt: 11 of 14 points exercised (78.6%)"));
    CHECK_THAT(report, Catch::Contains("mem/reg.tdkt:12: criterion I.1: `else` of the bands never "
                                       "chosen"));
    CHECK_THAT(report, Catch::Contains("criterion I.2: arm `tot` never chosen"));
    CHECK_THAT(report, Catch::Contains("exclude \"không nộp\" never seen to apply"));
    // 11 / 14 = 78.57…%: exactly compared, not rounded.
    CHECK(cov.at_least(number::parse("78.57").value()));
    CHECK(!cov.at_least(number::parse("78.58").value()));
}

TEST_CASE("JUnit XML is escaped and holds one failure per failed test", "[testing]") {
    CHECK(xml_escape("a<b>&\"c'\x01\td") == "a&lt;b&gt;&amp;&quot;c&apos;\xEF\xBF\xBD\td");
    test_outcome ok;
    ok.file = "f.test.tdkt";
    ok.line = 3;
    ok.title = "Sở \"A\" <ok>";
    test_outcome bad = ok;
    bad.line = 9;
    bad.failures.push_back({"f.test.tdkt:10", "expect \"A\" total == 1", "2", "why", ""});
    bad.failures.push_back(
        {"f.test.tdkt:11", "expect \"A\" rank == 1", "rank 2", "", "f.test.tdkt:10"});
    test_outcome broken = ok;
    broken.file = "g.test.tdkt";
    broken.error = "E301 & more";
    const std::string xml = render_test_junit({ok, bad, broken});
    CHECK_THAT(xml, Catch::Contains("<testsuites name=\"thidua test\" tests=\"3\" failures=\"1\" "
                                    "errors=\"1\">"));
    CHECK_THAT(xml, Catch::Contains("name=\"Sở &quot;A&quot; &lt;ok&gt;\""));
    CHECK_THAT(xml, Catch::Contains("explanation: as at f.test.tdkt:10 above"));
    CHECK_THAT(render_test_text({bad}),
               Catch::Contains("  f.test.tdkt:11: expect \"A\" rank == 1\n    actual: rank 2\n"
                               "    explanation: as at f.test.tdkt:10 above\n"));
    CHECK_THAT(xml,
               Catch::Contains("<failure message=\"expect &quot;A&quot; total == 1 (actual: 2) "
                               "and 1 more\""));
    CHECK_THAT(xml, Catch::Contains("<error message=\"the bloc could not be scored\">E301 &amp; "
                                    "more</error>"));
    CHECK(xml.find("<failure", xml.find("<failure") + 1) == std::string::npos);
    CHECK_THAT(xml, Catch::Contains("<testsuite name=\"g.test.tdkt\" tests=\"1\" failures=\"0\" "
                                    "errors=\"1\">"));
}

TEST_CASE("thidua test exit codes and the JUnit file", "[testing][cli]") {
    using thidua::testing::run;
    CHECK_THAT(run({"test", "rules/khoi5-2018"}), Catch::EndsWith("8 passed, 0 failed\nexit: 0\n"));
    CHECK_THAT(run({"test", "tests/golden/test/small.tdkt"}),
               Catch::EndsWith("1 passed, 1 failed\nexit: 1\n"));
    CHECK_THAT(run({"test", "tests/golden/test/bad-value.test.tdkt"}),
               Catch::EndsWith("exit: 2\n"));
    CHECK_THAT(run({"test", "no/such/dir"}), Catch::EndsWith("exit: 2\n"));
    // A regulation without test blocks, named: the test file beside it that names it runs, once
    // even when it is named too; a regulation with no tests anywhere says so.
    CHECK_THAT(run({"test", "rules/khoi3-2018/regulation.tdkt"}),
               Catch::EndsWith("6 passed, 0 failed\nexit: 0\n"));
    CHECK_THAT(
        run({"test", "rules/khoi3-2018/regulation.tdkt", "rules/khoi3-2018/regulation.test.tdkt"}),
        Catch::EndsWith("6 passed, 0 failed\nexit: 0\n"));
    CHECK_THAT(run({"test", "bench/bench-v1.tdkt"}),
               Catch::Contains("bench/bench-v1.tdkt: no tests in this regulation")
                   && Catch::EndsWith("exit: 2\n"));
    {
        // In a folder, a regulation with no tests that does not check fails the run, and the
        // message does not speak of tests it never had; one that does not parse may have had
        // some.
        thidua::testing::temp_dir d;
        const fs::path golden = fs::path(THIDUA_SOURCE_DIR) / "tests/golden/test";
        fs::copy_file(golden / "small-passing.test.tdkt", d.path / "a.test.tdkt");
        fs::copy_file(golden / "small.tdkt", d.path / "small.tdkt");
        d.write("broken.tdkt",
                "regulation \"x\" {\n    scale 100\n    section A \"A\" max 10 {\n"
                "        criterion a \"a\" max 10 { points = nosuch }\n    }\n}\n");
        d.write("unparsed.tdkt", "regulation \"x\" {\n");
        const auto out = run({"test", d.path.string()});
        CHECK_THAT(out, Catch::Contains("broken.tdkt: 2 errors; the regulation has no tests of its "
                                        "own, but a regulation with errors fails the run"));
        CHECK_THAT(out, Catch::Contains("unparsed.tdkt: 1 error; its tests were not run"));
        CHECK_THAT(out, Catch::EndsWith("exit: 2\n"));
    }
    CHECK_THAT(run({"test", "rules", "--min-coverage", "101"}),
               Catch::Contains("--min-coverage takes a percentage from 0 to 100"));
    CHECK_THAT(run({"test", "tests/golden/test/small-passing.test.tdkt", "--min-coverage", "86"}),
               Catch::EndsWith("exit: 0\n"));
    CHECK_THAT(run({"test", "tests/golden/test/small-passing.test.tdkt", "--min-coverage", "87"}),
               Catch::EndsWith("exit: 1\n"));
    // With a decimal comma, as Vietnamese output writes the coverage (docs/i18n.md).
    CHECK_THAT(run({"test", "tests/golden/test/small-passing.test.tdkt", "--min-coverage", "86,5"}),
               Catch::EndsWith("exit: 0\n"));
    CHECK_THAT(run({"test", "tests/golden/test/small-passing.test.tdkt", "--min-coverage", "86,9"}),
               Catch::EndsWith("exit: 1\n"));
    CHECK_THAT(run({"test", "rules", "--min-coverage", "8,5,5"}),
               Catch::Contains("--min-coverage takes a percentage from 0 to 100"));

    const auto dir = fs::temp_directory_path() / "thidua-junit-test";
    fs::create_directories(dir);
    const auto xml = (dir / "report.xml").string();
    const std::string out =
        run({"test", "tests/golden/test/small.tdkt", "--format", "junit", "--output", xml});
    // The text report still goes to stdout; the XML to the file, byte for byte what stdout gets
    // without --output.
    CHECK_THAT(out, Catch::EndsWith("1 passed, 1 failed\nexit: 1\n"));
    const std::string stdout_xml =
        run({"test", "tests/golden/test/small.tdkt", "--format", "junit"});
    CHECK(thidua::testing::read_file(xml) + "exit: 1\n" == stdout_xml);
    // An output file that cannot be written is a usage error and leaves nothing behind.
    CHECK_THAT(run({"test", "tests/golden/test/small.tdkt", "--format", "junit", "--output",
                    (dir / "missing" / "r.xml").string()}),
               Catch::EndsWith("exit: 2\n"));
    CHECK(!fs::exists(dir / "missing"));
    fs::remove_all(dir);
}

TEST_CASE("a test file cut at any byte is reported and never crashes the parser", "[testing]") {
    const std::string text = thidua::testing::read_file(
        fs::path(THIDUA_SOURCE_DIR) / "tests/golden/test/small-passing.test.tdkt");
    REQUIRE(text.size() > 100);
    for (std::size_t n = 0; n < text.size(); ++n) {
        auto src = std::make_shared<source_file>("cut.test.tdkt", text.substr(0, n));
        const auto parsed = parse_tests(src);
        // Either the prefix is a complete test file (it ends between tests) or it is reported.
        CHECK((parsed.tests != nullptr) != parsed.diags.has_errors());
    }
}

TEST_CASE("coverage counts the bands and arms of ranking keys", "[testing]") {
    const auto source = std::make_shared<source_file>("mem/keys.tdkt", R"(regulation "K" {
    scale 10
    enum rating {
        xs "Xuất sắc"
        ht "Hoàn thành"
    }
    input {
        diem: number
        muc: rating
    }
    section I "S" max 10 {
        criterion I.1 "C" max 10 {
            points = diem
        }
    }
    ranking {
        by total desc, when diem { >= 5: 1  else: 0 } desc
        ties shared
        first place by match muc { xs: 1  ht: 0 } desc ties unresolved
    }
}
)");
    const auto parsed = parse(source);
    REQUIRE(parsed.regulation);
    diagnostics diags;
    const auto checked = check(*parsed.regulation, diags);
    REQUIRE(checked);
    auto run = [&](const std::string& units) {
        const test_source t(R"(test "t" {)" + units + R"(
    expect "A" rank == 1
})");
        diagnostics d;
        auto prepared = prepare_tests(*checked, t.parsed.tests->tests, t.source, d);
        INFO(messages(d));
        REQUIRE(!d.has_errors());
        rule_coverage cov(*checked);
        // 1 criterion + 2 bands (else included) + 2 arms.
        REQUIRE(cov.points().size() == 5);
        CHECK(run_test(*checked, prepared[0], &cov).passed());
        return cov;
    };
    const auto one = run(R"(
    unit "A" { diem = 6  muc = xs })");
    CHECK(one.hit_count() == 3);
    CHECK_THAT(
        one.report_text(),
        Catch::Contains("mem/keys.tdkt:17: ranking key 2: `else` of the bands never chosen"));
    CHECK_THAT(one.report_text(), Catch::Contains("ranking key 3: arm `ht` never chosen"));
    const auto both = run(R"(
    unit "A" { diem = 6  muc = xs }
    unit "B" { diem = 4  muc = ht })");
    CHECK(both.hit_count() == 5);
}
