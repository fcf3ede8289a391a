// `--strict`: the results' warnings (W201 a file not used, W202 a cell that may be a grouped
// integer, W203 a unit with no rows) stop every command that reads results, as errors in the data
// would: printed as usual, then one line saying how many and that --strict made them fatal, exit 1
// (`test`: that file's tests are not run, exit 2), and no output: nothing on stdout, no file, an
// existing file left as it was. Without --strict nothing changes. `check --strict` makes every
// warning fatal; the regulation's own warnings (W1xx) never stop `score --strict`.
//
// Also: the results' diagnostics come units file first (its errors cause the list files'), then
// the other files by name.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/parser.hpp"
#include "engine/data.hpp"

using thidua::testing::files_in;
using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

const std::string regulation = "tests/golden/score/vi-data-errors.tdkt";
const std::string grouped = "tests/data/strict/grouped";          // W202
const std::string no_rows = "tests/data/strict/no-rows";          // W203
const std::string unused_file = "tests/data/strict/unused-file";  // W201
const std::string both = "tests/data/warnings";                   // W201 and W202
const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string khoi5_data = "rules/khoi5-2018/data";

bool contains(const std::string& out, const std::string& what) {
    return out.find(what) != std::string::npos;
}

bool ends_with(const std::string& out, const std::string& tail) {
    return out.size() >= tail.size()
           && out.compare(out.size() - tail.size(), tail.size(), tail) == 0;
}

// `run` gives stdout, then stderr: output that starts with a warning had nothing on stdout.
bool starts_with(const std::string& out, const std::string& head) {
    return out.rfind(head, 0) == 0;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

}  // namespace

TEST_CASE("strict: each results warning stops score, with its count, exit 1", "[strict]") {
    struct warned {
        std::string data;
        std::string code;
        std::string first;  // how the output starts: the warning, nothing on stdout before it
        std::string count;
    };
    const std::vector<warned> cases = {
        {grouped, "W202", grouped + "/indicators.csv:2:20: warning[W202]", "1 warning"},
        {no_rows, "W203", no_rows + "/units.csv:4:1: warning[W203]", "1 warning"},
        {unused_file, "W201", "warning[W201]: " + unused_file + "/ghi-chu.csv", "1 warning"},
        {both, "W201", "warning[W201]: " + both + "/ghi-chu.csv", "2 warnings"},
    };
    for (const auto& c : cases) {
        SECTION(c.data) {
            for (const std::string format : {"text", "json", "csv"}) {
                INFO(format);
                const auto strict =
                    run({"score", regulation, "--data", c.data, "--format", format, "--strict"});
                CHECK(starts_with(strict, c.first));
                CHECK(ends_with(strict, c.data + ": " + c.count
                                            + " in the results, fatal with --strict; nothing was "
                                              "scored\nexit: 1\n"));
                // Without --strict: scored, the same warning on stderr, exit 0.
                const auto plain = run({"score", regulation, "--data", c.data, "--format", format});
                CHECK(ends_with(plain, "exit: 0\n"));
                CHECK(contains(plain, "warning[" + c.code + "]"));
                CHECK(!contains(plain, "--strict"));
            }
        }
    }
}

TEST_CASE("strict: no output file is written, an existing one is left as it was", "[strict]") {
    const temp_dir dir;
    const auto out = (dir.path / "out").string();
    // Every command that reads results and writes a file: score (each format), explain (and
    // --versus), report (and --versus), diff.
    const std::vector<std::vector<std::string>> commands = {
        {"score", regulation, "--data", grouped},
        {"score", regulation, "--data", grouped, "--format", "json"},
        {"score", regulation, "--data", grouped, "--format", "csv"},
        {"score", regulation, "--data", grouped, "--format", "xlsx"},
        {"explain", regulation, "--data", grouped, "--unit", "Sở A"},
        {"explain", regulation, "--data", grouped, "--unit", "Sở A", "--versus", "Sở B"},
        {"explain", regulation, "--data", grouped, "--unit", "Sở A", "--format", "json"},
        {"report", regulation, "--data", grouped},
        {"report", regulation, "--data", grouped, "--versus", regulation},
        {"diff", regulation, regulation, "--data", grouped},
    };
    for (const auto& args : commands) {
        INFO(args[0] << " " << args[args.size() - 1]);
        std::filesystem::remove(out);
        const auto strict = run(with(args, {"--strict", "--output", out}));
        CHECK(ends_with(strict, "exit: 1\n"));
        CHECK(contains(strict, "1 warning in the results, fatal with --strict"));
        CHECK(files_in(dir.path).empty());  // no file, no temporary left behind

        // A file from an earlier run stays what it was.
        dir.write("out", "earlier report\n");
        CHECK(ends_with(run(with(args, {"--strict", "--output", out})), "exit: 1\n"));
        CHECK(read_file(out) == "earlier report\n");
        CHECK(files_in(dir.path) == std::vector<std::string>{"out"});

        // Without --strict the file is written (the warning still printed), exit 0.
        const auto plain = run(with(args, {"--output", out}));
        CHECK(ends_with(plain, "exit: 0\n"));
        CHECK(contains(plain, "warning[W202]"));
        CHECK(read_file(out) != "earlier report\n");
        CHECK(!read_file(out).empty());
    }
}

TEST_CASE("strict: clean results give the same output as without it", "[strict]") {
    for (const std::string format : {"text", "json", "csv"}) {
        const std::vector<std::string> args = {"score",    khoi5,      "--data",
                                               khoi5_data, "--format", format};
        const auto plain = run(args);
        CHECK(ends_with(plain, "exit: 0\n"));
        CHECK(run(with(args, {"--strict"})) == plain);
    }
    const std::vector<std::string> explain = {"explain",  khoi5,    "--data",
                                              khoi5_data, "--unit", "Sở Tư pháp"};
    CHECK(run(with(explain, {"--strict"})) == run(explain));
    const std::vector<std::string> diff = {"diff", khoi5, "rules/khoi5-2018/draft-2019.tdkt",
                                           "--data", khoi5_data};
    CHECK(run(with(diff, {"--strict"})) == run(diff));
}

TEST_CASE("strict: errors in the results are reported as without it", "[strict]") {
    // The data has errors and a W201: the errors decide (their line, exit 1), not --strict.
    const std::vector<std::string> args = {"score", regulation, "--data",
                                           "tests/golden/score/vi-data-errors-data"};
    const auto plain = run(args);
    CHECK(ends_with(plain, "10 errors in the results; nothing was scored\nexit: 1\n"));
    CHECK(run(with(args, {"--strict"})) == plain);
}

TEST_CASE("strict: the regulation's own warnings do not stop scoring", "[strict]") {
    // W170 (an input no rule uses) is the regulation's: `check --strict` is where it is fatal.
    const std::vector<std::string> args = {"score", "tests/data/regulation.tdkt", "--data",
                                           "tests/data/good/sketch"};
    const auto plain = run(args);
    REQUIRE(contains(plain, "warning[W170]"));
    CHECK(ends_with(plain, "exit: 0\n"));
    CHECK(run(with(args, {"--strict"})) == plain);
    CHECK(ends_with(run({"check", "tests/data/regulation.tdkt"}), "exit: 0\n"));
    const auto checked = run({"check", "tests/data/regulation.tdkt", "--strict"});
    CHECK(ends_with(checked, "thidua: 1 warning, fatal with --strict\nexit: 1\n"));
}

TEST_CASE("strict: diff stops at the first dataset with a warning", "[strict]") {
    // The first dataset is clean, the second is not: nothing is compared, nothing printed.
    const temp_dir clean;
    clean.write("units.csv",
                read_file(std::string(THIDUA_SOURCE_DIR) + "/" + no_rows + "/units.csv"));
    clean.write("indicators.csv",
                "unit,name,target,actual\nSở A,Thu,1000,1150\n"
                "Sở B,Thu,1000,950\nSở C,Thu,1000,900\n");
    const std::vector<std::string> args = {"diff",   regulation,          regulation,
                                           "--data", clean.path.string(), grouped};
    const auto plain = run(args);
    CHECK(ends_with(plain, "exit: 0\n"));
    CHECK(contains(plain, "warning[W202]"));
    const auto strict = run(with(args, {"--strict"}));
    CHECK(starts_with(strict, grouped + "/indicators.csv:2:20: warning[W202]"));
    CHECK(ends_with(strict, grouped
                                + ": 1 warning in the results, fatal with --strict; nothing "
                                  "was compared\nexit: 1\n"));
    // The warning is printed once, though both regulations read the data.
    const auto first = strict.find("warning[W202]");
    CHECK(strict.find("warning[W202]", first + 1) == std::string::npos);
}

TEST_CASE("strict: the message in Vietnamese", "[strict]") {
    const std::string vi =
        "tests/data/strict/no-rows: 1 cảnh báo trong số liệu kết quả, coi là lỗi vì có --strict; "
        "chưa chấm điểm đơn vị nào\nexit: 1\n";
    const auto by_option =
        run({"--lang", "vi", "score", regulation, "--data", no_rows, "--strict"});
    CHECK(contains(by_option, "cảnh báo[W203]"));
    CHECK(ends_with(by_option, vi));
    CHECK(run({"score", regulation, "--data", no_rows, "--strict"}, {"LANG=vi_VN.UTF-8"})
          == by_option);
    CHECK(ends_with(
        run({"diff", regulation, regulation, "--data", no_rows, "--strict"}, {"LANG=vi_VN.UTF-8"}),
        "tests/data/strict/no-rows: 1 cảnh báo trong số liệu kết quả, coi là lỗi vì "
        "có --strict; chưa so sánh được\nexit: 1\n"));
    CHECK(ends_with(run({"--lang", "vi", "check", "tests/data/regulation.tdkt", "--strict"}),
                    "thidua: 1 cảnh báo, coi là lỗi vì có --strict\nexit: 1\n"));
}

TEST_CASE("strict: test does not run the tests of a file whose data has warnings", "[strict]") {
    const std::string file = "tests/golden/test/strict-data.test.tdkt";
    const auto plain = run({"test", file});
    CHECK(starts_with(plain, "PASS " + file));
    CHECK(ends_with(plain, "exit: 0\n"));
    const temp_dir dir;
    const auto out = (dir.path / "junit.xml").string();
    const auto strict = run({"test", file, "--strict", "--format", "junit", "--output", out});
    CHECK(contains(strict, "warning[W202]"));
    CHECK(ends_with(strict, file
                                + ": 1 warning in the tests' results, fatal with --strict; they "
                                  "were not run\nexit: 2\n"));
    // As for a file whose data has errors: the report of the tests that ran (none here).
    CHECK(contains(read_file(out), "tests=\"0\""));
    // A test file whose data has no warning runs as without --strict.
    const std::string clean = "tests/golden/test/small-passing.test.tdkt";
    const auto passing = run({"test", clean});
    CHECK(starts_with(passing, "PASS " + clean));
    CHECK(ends_with(passing, "exit: 0\n"));
    CHECK(run({"test", clean, "--strict"}) == passing);
    // `check` reads a test file's data too: with --strict, its warnings are fatal there as well.
    CHECK(ends_with(run({"check", file}), "exit: 0\n"));
    CHECK(ends_with(run({"check", file, "--strict"}),
                    "thidua: 1 warning, fatal with --strict\nexit: 1\n"));
}

TEST_CASE("results diagnostics: the units file first, then the list files", "[strict]") {
    // indicators.csv sorts before units.csv, but the duplicate row in units.csv (E215) is why
    // the list's row of `Sở B` names an unknown unit (E217): the cause is printed first.
    const auto out = run({"score", regulation, "--data", "tests/data/broken/units-error-first"});
    const auto cause = out.find("units-error-first/units.csv:3:1: error[E215]");
    const auto effect = out.find("units-error-first/indicators.csv:3:1: error[E217]");
    REQUIRE(cause != std::string::npos);
    REQUIRE(effect != std::string::npos);
    CHECK(cause < effect);

    // load_results() itself gives that order: W203 (at a row of units.csv) before W202 (in
    // indicators.csv), though the loader finds W202 first; W201 (no position) before both.
    using namespace thidua;
    std::string error;
    const auto file = source_file::load(std::string(THIDUA_SOURCE_DIR) + "/" + regulation, error);
    REQUIRE(file);
    const auto parsed = parse(file);
    REQUIRE(parsed.regulation);
    const temp_dir dir;
    dir.write("units.csv",
              "unit,tasks,party,dossier_date,violation,self_score\n"
              "Sở A,30,xs,2018-12-20,false,95\nSở B,25,tot,2018-12-20,false,80\n"
              "Sở C,20,ht,2018-12-20,false,60\n");
    dir.write(
        "indicators.csv",
        "unit,name,target,actual\nSở A,Thu,1.200,1150\nSở A,Chi,100,104.5\nSở B,Thu,1000,950\n");
    dir.write("ghi-chu.csv", "unit,note\n");
    diagnostics diags;
    const auto data = load_results(*parsed.regulation, dir.path.string(), {}, diags);
    REQUIRE(data);
    std::vector<std::string> order;
    for (const auto& d : diags.items()) {
        order.push_back(d.code
                        + (d.file ? " " + std::filesystem::path(d.file->path()).filename().string()
                                  : std::string()));
    }
    CHECK(order == std::vector<std::string>{"W201", "W203 units.csv", "W202 indicators.csv"});
}
