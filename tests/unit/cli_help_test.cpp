// `thidua --help` and CLI11's usage errors in the language of messages (docs/i18n.md): every
// description in Vietnamese with `--lang vi` or a Vietnamese locale, English as CLI11 always wrote
// it, columns aligned by characters, and every usage error in both languages with exit code 2.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.hpp"

using thidua::testing::run;

namespace {

const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string data5 = "rules/khoi5-2018/data";

const std::vector<std::string> subcommands = {"check", "score", "explain", "report",
                                              "fmt",   "diff",  "test"};

// The help of `thidua` (subcommand "") or of a subcommand; `--lang` goes before the subcommand,
// since fmt has a --lang of its own (the keywords' language).
std::string help(const std::string& lang, const std::string& subcommand) {
    std::vector<std::string> args = {"--lang", lang};
    if (!subcommand.empty()) {
        args.push_back(subcommand);
    }
    args.emplace_back("--help");
    return run(args);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const auto end = text.find('\n', begin);
        lines.push_back(text.substr(begin, end - begin));
        begin = end == std::string::npos ? text.size() : end + 1;
    }
    return lines;
}

// Characters (code points) of UTF-8 text: the columns a terminal shows.
std::size_t width(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) {
        n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
    }
    return n;
}

bool has_non_ascii(const std::string& text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80U) {
            return true;
        }
    }
    return false;
}

// The entries of a help text: an option, argument or subcommand (the first word of its line:
// `--data`, `-h,--help`, `regulation`, `check`) and its description, which starts at column 30,
// on the same line or, after a long name, on the next.
std::vector<std::pair<std::string, std::string>> entries(const std::string& text) {
    constexpr std::size_t column = 30;
    std::vector<std::pair<std::string, std::string>> out;
    const auto lines = lines_of(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (line.size() < 3 || line.compare(0, 2, "  ") != 0 || line[2] == ' ') {
            continue;
        }
        const std::string name = line.substr(2, line.find(' ', 2) - 2);
        std::string description;
        if (i + 1 < lines.size()
            && lines[i + 1].compare(0, column, std::string(column, ' ')) == 0) {
            description = lines[++i].substr(column);
        } else {
            // The description starts at the 31st character, after spaces.
            std::size_t at = 0;
            std::size_t chars = 0;
            while (at < line.size() && chars < column) {
                chars += (static_cast<unsigned char>(line[at]) & 0xC0U) != 0x80U ? 1U : 0U;
                ++at;
                while (at < line.size()
                       && (static_cast<unsigned char>(line[at]) & 0xC0U) == 0x80U) {
                    ++at;
                }
            }
            INFO(line);
            CHECK(line[at - 1] == ' ');
            description = line.substr(at);
        }
        out.emplace_back(name, description);
    }
    return out;
}

}  // namespace

TEST_CASE("help in Vietnamese leaves no description in English, for thidua and every command") {
    std::vector<std::string> commands = {""};
    commands.insert(commands.end(), subcommands.begin(), subcommands.end());
    for (const auto& command : commands) {
        INFO("thidua " << command << " --help");
        const std::string en = help("en", command);
        const std::string vi = help("vi", command);
        REQUIRE(en.substr(en.size() - 8) == "exit: 0\n");
        REQUIRE(vi.substr(vi.size() - 8) == "exit: 0\n");
        const auto en_entries = entries(en);
        const auto vi_entries = entries(vi);
        // The same options, arguments and subcommands, in the same order.
        REQUIRE(en_entries.size() == vi_entries.size());
        REQUIRE(en_entries.size() >= 3);
        for (std::size_t i = 0; i < en_entries.size(); ++i) {
            INFO(en_entries[i].first << ": " << en_entries[i].second << " / "
                                     << vi_entries[i].second);
            CHECK(vi_entries[i].first == en_entries[i].first);
            CHECK(!en_entries[i].second.empty());
            // Translated: not the English, and written with Vietnamese letters.
            CHECK(vi_entries[i].second != en_entries[i].second);
            CHECK(has_non_ascii(vi_entries[i].second));
        }
        // The description of the command itself, its first line.
        const auto en_first = lines_of(en).front();
        const auto vi_first = lines_of(vi).front();
        CHECK(vi_first != en_first);
        CHECK(has_non_ascii(vi_first));
        // CLI11's own words.
        CHECK(en.find("Usage: ") != std::string::npos);
        CHECK(en.find("\nOptions:\n") != std::string::npos);
        CHECK(vi.find("Cách dùng: ") != std::string::npos);
        CHECK(vi.find("\nTùy chọn:\n") != std::string::npos);
        CHECK(vi.find("[TÙY_CHỌN]") != std::string::npos);
        for (const char* word : {"Usage", "Options", "OPTIONS", "Positionals", "Subcommands",
                                 "SUBCOMMAND", "REQUIRED", "TEXT", "Excludes", "Print this"}) {
            INFO(word);
            CHECK(vi.find(word) == std::string::npos);
        }
    }
    // The groups of the commands that have them.
    CHECK(help("vi", "").find("\nLệnh:\n  check ") != std::string::npos);
    CHECK(help("vi", "").find("[TÙY_CHỌN] LỆNH\n") != std::string::npos);
    CHECK(help("vi", "score").find("\nTham số:\n  regulation VĂN_BẢN BẮT_BUỘC ")
          != std::string::npos);
    CHECK(help("vi", "explain").find("--versus VĂN_BẢN Không dùng cùng: --criterion\n")
          != std::string::npos);
}

TEST_CASE("help in Vietnamese: descriptions line up by characters, not bytes") {
    // `VĂN_BẢN` is 7 characters and 10 bytes: padded by bytes (as CLI11 pads), its description
    // would start three columns early.
    const std::string vi = help("vi", "score");
    CHECK(vi.find("  --data VĂN_BẢN BẮT_BUỘC     Số liệu kết quả: một thư mục (units.csv + <tên "
                  "danh sách>.csv), một tệp .csv hoặc một tệp .json\n")
          != std::string::npos);
    CHECK(vi.find("  -o,--output VĂN_BẢN         Ghi vào tệp này") != std::string::npos);
    for (const auto& line : lines_of(vi)) {
        const auto two_spaces = line.find("  ", 2);
        if (line.compare(0, 3, "  -") == 0 && two_spaces != std::string::npos) {
            INFO(line);
            const auto description = line.find_first_not_of(' ', two_spaces);
            CHECK(width(line.substr(0, description)) == 30);
        }
    }
}

TEST_CASE("help in English is CLI11's, unchanged") {
    const std::string usage = std::string("Usage: ") + THIDUA_BINARY;
    CHECK(help("en", "score")
          == "Score every unit, rank them and assign awards\n" + usage
                 + " score [OPTIONS] regulation\n"
                   "\n"
                   "Positionals:\n"
                   "  regulation TEXT REQUIRED    The regulation (.tdkt)\n"
                   "\n"
                   "Options:\n"
                   "  -h,--help                   Print this help message and exit\n"
                   "  --data TEXT REQUIRED        Results: a directory (units.csv + <list>.csv), "
                   "a .csv file or a .json file\n"
                   "  --numbers TEXT:{auto,dot,comma}\n"
                   "                              How decimals are written in CSV: auto, dot "
                   "(1234.5) or comma (1.234,5)\n"
                   "  --dates TEXT:{auto,iso,dmy} How dates are written: auto, iso or dmy "
                   "(dd/mm/yyyy)\n"
                   "  --strict                    Treat the results' warnings (W201-W204) as "
                   "errors: print them, write nothing, exit 1\n"
                   "  --format TEXT:{text,json,csv,xlsx}\n"
                   "                              Output format: text, json, csv or xlsx (xlsx "
                   "needs --output)\n"
                   "  -o,--output TEXT            Write to this file (atomically) instead of "
                   "stdout\n"
                   "  --csv-numbers TEXT:{comma,dot}\n"
                   "                              With --format csv: comma writes decimal commas "
                   "and ';' between cells, as Vietnamese-locale Excel opens CSV (default: dot, "
                   "with ',' between cells)\n"
                   "\n"
                   "exit: 0\n");
    const std::string top = help("en", "");
    CHECK(top.rfind("thidua: scoring regulations for emulation blocs (khối thi đua)\n" + usage
                        + " [OPTIONS] SUBCOMMAND\n",
                    0)
          == 0);
    CHECK(top.find("  --version                   Display program version information and exit\n"
                   "  -v,--verbose                Developer logging on stderr\n"
                   "  --lang TEXT:{vi,en}         Language of messages: vi or en (default: from "
                   "LC_ALL, LC_MESSAGES, LANG)\n"
                   "  --decimal TEXT:{comma,point}\n"
                   "                              Decimal mark of numbers in tables, sentences "
                   "and the board's documents: comma (94,63) or point (94.63) (default: comma in "
                   "Vietnamese, point in English; JSON, CSV cells and formulas always use the "
                   "point)\n"
                   "\n"
                   "Subcommands:\n"
                   "  check                       Parse and check regulation and test files "
                   "(.tdkt)\n")
          != std::string::npos);
    CHECK(help("en", "explain").find("  --versus TEXT Excludes: --criterion\n")
          != std::string::npos);
    // English is the default under LANG=C, and what --lang en gives on a Vietnamese machine.
    CHECK(run({"score", "--help"}) == help("en", "score"));
    CHECK(run({"--lang", "en", "score", "--help"}, {"LANG=vi_VN.UTF-8"}) == help("en", "score"));
}

TEST_CASE("the help's language comes from --lang, else from the locale") {
    const std::string vi = help("vi", "score");
    CHECK(run({"score", "--help"}, {"LANG=vi_VN.UTF-8"}) == vi);
    CHECK(run({"score", "--help"}, {"LC_ALL=vi_VN.UTF-8", "LANG=C"}) == vi);
    CHECK(run({"score", "--help"}, {"LC_ALL=C", "LANG=vi_VN.UTF-8"}) == help("en", "score"));
    CHECK(run({"--help"}, {"LANG=vi_VN.UTF-8"}) == help("vi", ""));
    // --lang=vi is the same option, before or after the subcommand; --help may come first.
    CHECK(run({"--lang=vi", "score", "--help"}) == vi);
    CHECK(run({"score", "--help", "--lang", "vi"}) == vi);
    CHECK(run({"score", "--lang=vi", "--help"}) == vi);
    // fmt's own --lang is the language of the keywords it writes, not of messages.
    CHECK(run({"fmt", "--lang", "vi", "--help"}) == help("en", "fmt"));
    CHECK(run({"fmt", "--lang", "en", "--help"}, {"LANG=vi_VN.UTF-8"}) == help("vi", "fmt"));
    // An invalid --lang does not choose: the locale does, and the parse reports it (before the
    // help, as CLI11 checks the top level's options when it meets the subcommand).
    CHECK(run({"--lang", "xx", "score", "--help"}, {"LANG=vi_VN.UTF-8"})
          == "thidua score: --lang: không nhận giá trị `xx`, chỉ nhận một trong {vi,en}\n"
             "Chạy `thidua score --help` để xem các tùy chọn.\nexit: 2\n");
}

TEST_CASE("CLI11's usage errors in both languages, exit 2") {
    struct usage_case {
        std::vector<std::string> args;
        std::string en;
        std::string vi;
    };
    const std::string run_help = "Run with --help for more information.\n";
    const std::string run_help_vi = "Hãy chạy với --help để xem hướng dẫn.\n";
    // With a command, the errors name it and point to its help (trial 13).
    const auto help_en = [](const std::string& command) {
        return "Run `thidua " + command + " --help` for its options.\n";
    };
    const auto help_vi = [](const std::string& command) {
        return "Chạy `thidua " + command + " --help` để xem các tùy chọn.\n";
    };
    const std::string run_help_score = help_en("score");
    const std::string run_help_vi_score = help_vi("score");
    const std::string run_help_check = help_en("check");
    const std::string run_help_vi_check = help_vi("check");
    const std::string run_help_explain = help_en("explain");
    const std::string run_help_vi_explain = help_vi("explain");
    const std::vector<usage_case> cases = {
        // No subcommand.
        {{},
         "thidua: A subcommand is required\n" + run_help,
         "thidua: Cần cho biết lệnh cần chạy\n" + run_help_vi},
        // A value not in the option's set; a close one is suggested.
        {{"score", khoi5, "--data", data5, "--format", "pdf"},
         "thidua score: --format: pdf not in {text,json,csv,xlsx}\n" + run_help_score,
         "thidua score: --format: không nhận giá trị `pdf`, chỉ nhận một trong "
         "{text,json,csv,xlsx}\n"
             + run_help_vi_score},
        {{"score", khoi5, "--data", data5, "--format", "jsn"},
         "thidua score: --format: jsn not in {text,json,csv,xlsx}; did you mean json?\n"
             + run_help_score,
         "thidua score: --format: không nhận giá trị `jsn`, chỉ nhận một trong "
         "{text,json,csv,xlsx}; có phải ý "
         "bạn là json?\n"
             + run_help_vi_score},
        {{"check", "--format", "JSON", "x.tdkt"},
         "thidua check: --format: JSON not in {text,json}; did you mean json?\n" + run_help_check,
         "thidua check: --format: không nhận giá trị `JSON`, chỉ nhận một trong {text,json}; có "
         "phải ý bạn là "
         "json?\n"
             + run_help_vi_check},
        {{"score", khoi5, "--data", data5, "--dates", "ymd"},
         "thidua score: --dates: ymd not in {auto,iso,dmy}\n" + run_help_score,
         "thidua score: --dates: không nhận giá trị `ymd`, chỉ nhận một trong {auto,iso,dmy}\n"
             + run_help_vi_score},
        // A bad --lang: the locale's language says so; `vn` (the country) suggests `vi`.
        {{"score", khoi5, "--data", data5, "--lang", "vn"},
         "thidua score: --lang: vn not in {vi,en}; did you mean vi?\n" + run_help_score,
         "thidua score: --lang: không nhận giá trị `vn`, chỉ nhận một trong {vi,en}; có phải ý bạn "
         "là vi?\n"
             + run_help_vi_score},
        {{"--lang=fr", "score", khoi5, "--data", data5},
         "thidua score: --lang: fr not in {vi,en}\n" + run_help_score,
         "thidua score: --lang: không nhận giá trị `fr`, chỉ nhận một trong {vi,en}\n"
             + run_help_vi_score},
        // An option last, without its value.
        {{"score", khoi5, "--data"},
         "thidua score: --data: 1 required TEXT missing\n" + run_help_score,
         "thidua score: --data: thiếu giá trị (cần 1 giá trị VĂN_BẢN)\n" + run_help_vi_score},
        {{"score", khoi5, "--data", data5, "--format"},
         "thidua score: --format: 1 required TEXT:{text,json,csv,xlsx} missing\n" + run_help_score,
         "thidua score: --format: thiếu giá trị (cần 1 giá trị VĂN_BẢN:{text,json,csv,xlsx})\n"
             + run_help_vi_score},
        // An option given twice.
        {{"score", khoi5, "--data", data5, "--data", data5},
         "thidua score: --data: At Most 1 required but received 2\n" + run_help_score,
         "thidua score: --data: chỉ nhận tối đa 1 giá trị nhưng đã được cho 2 giá trị\n"
             + run_help_vi_score},
        // Options that exclude each other.
        {{"explain", khoi5, "--data", data5, "--unit", "Sở Tư pháp", "--versus", "Sở Nội vụ",
          "--criterion", "I.1"},
         "thidua explain: --versus excludes --criterion\n" + run_help_explain,
         "thidua explain: --versus không dùng được cùng với --criterion\n" + run_help_vi_explain},
        // A flag given a value it cannot read.
        {{"score", khoi5, "--data", data5, "--strict=maybe"},
         "thidua score: Could not convert: --strict = maybe\n" + run_help_score,
         "thidua score: --strict: không đọc được giá trị `maybe`\n" + run_help_vi_score},
        // A mistyped option: its value becomes the regulation and the regulation is left over.
        {{"score", "--fromat", "json", khoi5, "--data", data5},
         "thidua score: unexpected argument(s): " + khoi5
             + " --fromat\n"
               "`--fromat` is not an option of `thidua score`; did you mean `--format`?\n"
               "Run `thidua score --help` for its options.\n",
         "thidua score: thừa tham số: " + khoi5
             + " --fromat\n"
               "`thidua score` không có tùy chọn `--fromat`; có phải ý bạn là `--format`?\n"
               "Chạy `thidua score --help` để xem các tùy chọn.\n"},
        // An option of the top level, mistyped after the subcommand (fallthrough).
        {{"check", "--verbos=1", "x.tdkt"},
         "thidua check: unexpected argument(s): --verbos=1\n"
         "`--verbos` is not an option of `thidua check`; did you mean `--verbose`?\n"
         "Run `thidua check --help` for its options.\n",
         "thidua check: thừa tham số: --verbos=1\n"
         "`thidua check` không có tùy chọn `--verbos`; có phải ý bạn là `--verbose`?\n"
         "Chạy `thidua check --help` để xem các tùy chọn.\n"},
        // Nothing close: no suggestion.
        {{"score", khoi5, "--data", data5, "--xyz"},
         "thidua score: unexpected argument(s): --xyz\nRun `thidua score --help` for its "
         "options.\n",
         "thidua score: thừa tham số: --xyz\nChạy `thidua score --help` để xem các tùy "
         "chọn.\n"},
        // Missing option, missing argument (docs/cli.md).
        {{"explain", khoi5, "--data", data5},
         "thidua explain: --unit is required\nRun `thidua explain --help` for its options.\n",
         "thidua explain: thiếu --unit\nChạy `thidua explain --help` để xem các tùy chọn.\n"},
        {{"diff", "a.tdkt"},
         "thidua diff: the argument `new` is missing\nRun `thidua diff --help` for its "
         "options.\n",
         "thidua diff: thiếu tham số `new`\nChạy `thidua diff --help` để xem các tùy chọn.\n"},
    };
    for (const auto& c : cases) {
        std::string shown;
        for (const auto& a : c.args) {
            shown += " " + a;
        }
        INFO("thidua" << shown);
        // English: under LANG=C, and with --lang en on a Vietnamese machine (unless the case is
        // about --lang itself).
        CHECK(run(c.args) == c.en + "exit: 2\n");
        // Vietnamese: from the locale, and from --lang vi before the arguments.
        CHECK(run(c.args, {"LANG=vi_VN.UTF-8"}) == c.vi + "exit: 2\n");
        if (shown.find("--lang") == std::string::npos) {
            std::vector<std::string> with_vi = {"--lang", "vi"};
            with_vi.insert(with_vi.end(), c.args.begin(), c.args.end());
            CHECK(run(with_vi) == c.vi + "exit: 2\n");
            std::vector<std::string> with_en = {"--lang=en"};
            with_en.insert(with_en.end(), c.args.begin(), c.args.end());
            CHECK(run(with_en, {"LANG=vi_VN.UTF-8"}) == c.en + "exit: 2\n");
        }
    }
}
