// Golden tests: every tests/golden/<kind>/**/<name>.tdkt is run through the built `thidua` binary
// and its output compared with <name>.out.
//
// Arguments come from <name>.args when it exists (one line, whitespace-separated, "quotes" keep
// spaces in a word, `{file}` is the
// repo-relative path of the .tdkt); the default is `check {file}` (`test {file}` under
// tests/golden/test/). An .args file with no .tdkt
// beside it is a case of its own. The expected output is stdout,
// then stderr, then a last line `exit: N`. Run with UPDATE_GOLDEN=1 to rewrite the .out files
// (then review them with `git diff`).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;
using thidua::testing::read_file;
using thidua::testing::run;

// Splits on whitespace; "double quotes" keep a word with spaces together (unit names).
std::vector<std::string> split_words(const std::string& line) {
    std::vector<std::string> words;
    std::string w;
    bool quoted = false;
    bool have = false;
    for (const char c : line) {
        if (c == '"') {
            quoted = !quoted;
            have = true;
        } else if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            if (have) {
                words.push_back(w);
            }
            w.clear();
            have = false;
        } else {
            w += c;
            have = true;
        }
    }
    if (have) {
        words.push_back(w);
    }
    return words;
}

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

// A line-by-line diff good enough to see what changed: common prefix and suffix are skipped,
// the differing middle is shown as -expected / +actual.
std::string diff(const std::string& expected, const std::string& actual) {
    const auto a = lines_of(expected);
    const auto b = lines_of(actual);
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
        ++prefix;
    }
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
           && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
        ++suffix;
    }
    std::ostringstream out;
    out << "@@ line " << prefix + 1 << " @@\n";
    for (std::size_t i = prefix > 2 ? prefix - 2 : 0; i < prefix; ++i) {
        out << "  " << a[i] << "\n";
    }
    for (std::size_t i = prefix; i < a.size() - suffix; ++i) {
        out << "- " << a[i] << "\n";
    }
    for (std::size_t i = prefix; i < b.size() - suffix; ++i) {
        out << "+ " << b[i] << "\n";
    }
    return out.str();
}

std::vector<fs::path> golden_inputs() {
    std::vector<fs::path> files;
    const fs::path root = fs::path(THIDUA_SOURCE_DIR) / "tests" / "golden";
    if (!fs::exists(root)) {
        return files;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        // A case is a .tdkt file, or an .args file alone (a command over files kept elsewhere,
        // e.g. the example regulations in rules/).
        const auto& p = entry.path();
        if (p.extension() == ".tdkt"
            || (p.extension() == ".args" && !fs::exists(fs::path(p).replace_extension(".tdkt")))) {
            files.push_back(p);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("golden files") {
    const auto inputs = golden_inputs();
    REQUIRE(!inputs.empty());
    const char* update_env = std::getenv("UPDATE_GOLDEN");
    const bool update = update_env != nullptr && std::string(update_env) == "1";
    for (const auto& input : inputs) {
        const std::string rel = fs::relative(input, THIDUA_SOURCE_DIR).generic_string();
        DYNAMIC_SECTION(rel) {
            fs::path args_file = input;
            args_file.replace_extension(".args");
            std::vector<std::string> args = {"check", "{file}"};
            if (rel.rfind("tests/golden/test/", 0) == 0) {
                args = {"test", "{file}"};  // test goldens: `thidua test` is the default
            }
            if (fs::exists(args_file)) {
                args = split_words(read_file(args_file));
            }
            for (auto& a : args) {
                const auto at = a.find("{file}");
                if (at != std::string::npos) {
                    a.replace(at, 6, rel);
                }
            }
            // `fmt` cases (--check, --stdout, files with errors) must leave their inputs as they
            // were: remember them.
            std::vector<std::pair<fs::path, std::string>> inputs_before;
            if (!args.empty() && args[0] == "fmt") {
                for (const auto& a : args) {
                    const fs::path p = fs::path(THIDUA_SOURCE_DIR) / a;
                    if (a.rfind("--", 0) != 0 && fs::is_regular_file(p)) {
                        inputs_before.emplace_back(p, read_file(p));
                    }
                }
            }
            const std::string actual = run(args);
            for (const auto& [p, text] : inputs_before) {
                INFO(rel << ": `fmt` changed its input " << p.string());
                CHECK(read_file(p) == text);
            }
            fs::path out_file = input;
            out_file.replace_extension(".out");
            if (update) {
                std::ofstream(out_file, std::ios::binary) << actual;
                continue;
            }
            REQUIRE(fs::exists(out_file));
            const std::string expected = read_file(out_file);
            INFO(rel << ": output differs (rerun with UPDATE_GOLDEN=1 to accept)\n"
                     << diff(expected, actual));
            CHECK(expected == actual);
        }
    }
}
