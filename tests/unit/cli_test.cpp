// End-to-end properties of the command line that golden files cannot show: output files are
// written atomically (never partially), output is byte-identical across runs, and every results
// format gives the same outcome.
#include <catch2/catch.hpp>
#include <filesystem>

#include "cli_runner.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
namespace fs = std::filesystem;

using thidua::testing::files_in;
using thidua::testing::temp_dir;

namespace {

const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";

}  // namespace

TEST_CASE("score --output writes the same bytes as stdout, and nothing else") {
    temp_dir dir;
    const auto out = (dir.path / "ranking.json").string();
    const std::string expected =
        run({"score", khoi5, "--data", "rules/khoi5-2018/data", "--format", "json"});
    REQUIRE(run({"score", khoi5, "--data", "rules/khoi5-2018/data", "--format", "json", "--output",
                 out})
            == "exit: 0\n");
    CHECK(read_file(out) + "exit: 0\n" == expected);
    CHECK(files_in(dir.path) == std::vector<std::string>{"ranking.json"});
}

TEST_CASE("an error never leaves a partial or stale output file") {
    temp_dir dir;
    const auto out = (dir.path / "ranking.csv").string();
    // Bad results: the loader reports and nothing is written.
    const auto bad =
        run({"score", khoi5, "--data", "tests/data/broken/bad_date.csv", "--output", out});
    CHECK(bad.find("exit: 1") != std::string::npos);
    CHECK(files_in(dir.path).empty());
    // A good run, then a failing one: the earlier file is left exactly as it was.
    REQUIRE(
        run({"score", khoi5, "--data", "rules/khoi5-2018/data", "--format", "csv", "--output", out})
        == "exit: 0\n");
    const std::string before = read_file(out);
    run({"score", "no-such-regulation.tdkt", "--data", "rules/khoi5-2018/data", "--output", out});
    CHECK(read_file(out) == before);
    CHECK(files_in(dir.path) == std::vector<std::string>{"ranking.csv"});
}

TEST_CASE("output is byte-identical across runs") {
    for (const char* format : {"text", "json", "csv"}) {
        const std::vector<std::string> args = {
            "score",    "rules/tiengiang-tnmt-2022/regulation.tdkt",
            "--data",   "rules/tiengiang-tnmt-2022/data",
            "--format", format};
        CHECK(run(args) == run(args));
    }
    const std::vector<std::string> explain = {
        "explain", khoi5, "--data", "rules/khoi5-2018/data", "--unit", "Văn phòng HĐND tỉnh"};
    CHECK(run(explain) == run(explain));
}

TEST_CASE("CSV, Vietnamese Excel CSV and JSON results give the same outcome") {
    const auto csv = run({"score", khoi5, "--data", "rules/khoi5-2018/data"});
    const auto json = run({"score", khoi5, "--data", "rules/khoi5-2018/data-json/results.json"});
    CHECK(csv == json);
    const std::string tg = "rules/tiengiang-tnmt-2022/regulation.tdkt";
    CHECK(run({"score", tg, "--data", "rules/tiengiang-tnmt-2022/data"})
          == run({"score", tg, "--data", "rules/tiengiang-tnmt-2022/data-vn"}));
}

TEST_CASE("usage errors exit 2, input errors exit 1") {
    CHECK(run({"score", khoi5}).find("exit: 2") != std::string::npos);  // --data missing
    CHECK(
        run({"score", khoi5, "--data", "rules/khoi5-2018/data", "--format", "pdf"}).find("exit: 2")
        != std::string::npos);
    CHECK(run({"frobnicate"}).find("exit: 2") != std::string::npos);
    CHECK(
        run({"explain", khoi5, "--data", "rules/khoi5-2018/data", "--unit", "Sở X"}).find("exit: 2")
        != std::string::npos);
    CHECK(run({"check", "tests/golden/check/missing-closing-brace-long-file.tdkt"}).find("exit: 1")
          != std::string::npos);
}

TEST_CASE("a missing option or an extra argument is named with its command, in --lang") {
    // The results directory given without --data: the hint names it.
    CHECK(run({"score", khoi5, "rules/khoi5-2018/data"})
          == "thidua score: --data is required\n"
             "did you mean `--data rules/khoi5-2018/data`?\n"
             "Run `thidua score --help` for its options.\nexit: 2\n");
    CHECK(run({"score", khoi5, "--lang", "vi"})
          == "thidua score: thiếu --data\nChạy `thidua score --help` để xem các tùy chọn.\n"
             "exit: 2\n");
    CHECK(run({"explain", "--lang", "vi"})
          == "thidua explain: thiếu tham số `regulation`\n"
             "Chạy `thidua explain --help` để xem các tùy chọn.\nexit: 2\n");
    CHECK(run({"score", khoi5, "--data", "rules/khoi5-2018/data", "thêm"})
          == "thidua score: unexpected argument(s): thêm\n"
             "Run `thidua score --help` for its options.\nexit: 2\n");
}

TEST_CASE("the language comes from --lang, else from the locale") {
    const std::vector<std::string> args = {"check", "tests/golden/check/bad-escape.tdkt"};
    const std::string english = run(args);
    REQUIRE(english.find("error[E004]") != std::string::npos);
    REQUIRE(english.find(": 1 error\n") != std::string::npos);
    const std::string vietnamese =
        run({"--lang", "vi", "check", "tests/golden/check/bad-escape.tdkt"});
    REQUIRE(vietnamese.find("lỗi[E004]") != std::string::npos);
    REQUIRE(vietnamese.find(": 1 lỗi\n") != std::string::npos);

    // The locale: LC_ALL, then LC_MESSAGES, then LANG; Vietnamese only for vi / vi_*.
    CHECK(run(args, {"LANG=vi_VN.UTF-8"}) == vietnamese);
    CHECK(run(args, {"LANG=vi"}) == vietnamese);
    CHECK(run(args, {"LC_MESSAGES=vi_VN.UTF-8", "LANG=en_US.UTF-8"}) == vietnamese);
    CHECK(run(args, {"LC_ALL=vi_VN.UTF-8", "LANG=C"}) == vietnamese);
    CHECK(run(args, {"LC_ALL=C", "LANG=vi_VN.UTF-8"}) == english);
    CHECK(run(args, {"LANG=en_US.UTF-8"}) == english);
    CHECK(run(args, {"LANG=C"}) == english);
    // --lang wins over the locale, before or after the subcommand.
    CHECK(run({"--lang", "en", "check", "tests/golden/check/bad-escape.tdkt"}, {"LANG=vi_VN.UTF-8"})
          == english);
    CHECK(
        run({"check", "tests/golden/check/bad-escape.tdkt", "--lang", "en"}, {"LC_ALL=vi_VN.UTF-8"})
        == english);
    CHECK(run({"check", "--lang", "vi", "tests/golden/check/bad-escape.tdkt"}) == vietnamese);
    // Anything but vi or en is a usage error.
    const std::string bad = run({"--lang", "fr", "check", "tests/golden/check/bad-escape.tdkt"});
    CHECK(bad.find("--lang") != std::string::npos);
    CHECK(bad.find("did you mean") == std::string::npos);
    CHECK(bad.substr(bad.size() - 8) == "exit: 2\n");
    // `vn` is the country: the language `vi` is suggested.
    const std::string vn = run({"--lang", "vn", "check", "tests/golden/check/bad-escape.tdkt"});
    CHECK(vn.find("--lang: vn not in {vi,en}; did you mean vi?") != std::string::npos);
    CHECK(vn.substr(vn.size() - 8) == "exit: 2\n");
}

TEST_CASE("Vietnamese output is deterministic and changes no number") {
    const std::vector<std::string> args = {
        "--lang", "vi", "score", khoi5, "--data", "rules/khoi5-2018/data", "--format", "json"};
    const auto vi = run(args);
    CHECK(vi == run(args));
    // JSON keys and numbers are the same in both languages; only text values differ.
    const auto en = run({"score", khoi5, "--data", "rules/khoi5-2018/data", "--format", "json"});
    CHECK(vi.find("\"total\": \"104.50\"") != std::string::npos);
    CHECK(en.find("\"total\": \"104.50\"") != std::string::npos);
    CHECK(vi != en);
}
