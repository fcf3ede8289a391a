// `thidua fmt` never moves a comment away from what it annotates: a comment is inserted at every
// line of the shipped regulations, amendments and test files (rules/) and of a corpus of layouts
// written for this test (tests/golden/fmt/comments*.tdkt), on a line of its own and at the end
// of the line, one at a time; the formatted text must hold it exactly once, next to the same
// token (an own-line comment before the token that followed it, an end-of-line comment on the line
// of the token that preceded it), and formatting it again must change nothing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/formatter.hpp"
#include "dsl/parser.hpp"

using namespace thidua;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool is_test_file(const fs::path& p) {
    const std::string name = p.filename().string();
    return name.size() > 10 && name.compare(name.size() - 10, 10, ".test.tdkt") == 0;
}

// The formatted text, or nullopt when the text does not parse without errors.
std::optional<std::string> format_any(const std::string& text, bool tests) {
    const auto file = std::make_shared<source_file>(tests ? "t.test.tdkt" : "t.tdkt", text);
    if (tests) {
        const auto r = parse_tests(file);
        if (!r.tests || r.diags.has_errors()) {
            return std::nullopt;
        }
        return format_tests(*r.tests, r.comments);
    }
    const auto r = parse(file);
    if (!r.regulation || r.diags.has_errors()) {
        return std::nullopt;
    }
    return format_regulation(*r.regulation, r.comments);
}

struct token {
    std::size_t begin = 0;
    std::size_t end = 0;
};

bool word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80U || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z');
}

// The tokens of `text` (a word, a string or one other byte but ',', '(' and ')') and its
// comments, in order.
void lex(std::string_view text, std::vector<token>& tokens, std::vector<token>& comments) {
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const std::size_t from = i;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
            continue;
        }
        if (c == '#') {
            i = std::min(text.find('\n', i), text.size());
            comments.push_back({from, i});
            continue;
        }
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i) {
                if (text[i] == '\\') {
                    ++i;
                }
            }
            ++i;
        } else if (word_byte(c)) {
            while (i < text.size() && word_byte(text[i])) {
                ++i;
            }
        } else {
            ++i;
            // Separators and parentheses the layout may drop: `a, b` in an enum, `((x))`.
            if (c == ',' || c == '(' || c == ')') {
                continue;
            }
        }
        tokens.push_back({from, std::min(i, text.size())});
    }
}

struct placed {
    int count = 0;                  // comments ending with the marker
    std::string before;             // the token before it
    std::string after;              // the token after it
    std::string after2;             // the one after that
    std::vector<std::string> line;  // the tokens before it on its line
    bool own_line = false;
};

placed find_marker(std::string_view text, std::string_view marker) {
    std::vector<token> tokens;
    std::vector<token> comments;
    lex(text, tokens, comments);
    placed out;
    for (const token c : comments) {
        std::string_view body = text.substr(c.begin, c.end - c.begin);
        while (!body.empty() && (body.back() == ' ' || body.back() == '\r')) {
            body.remove_suffix(1);
        }
        if (body.size() < marker.size() || body.substr(body.size() - marker.size()) != marker) {
            continue;
        }
        ++out.count;
        const std::size_t line_start =
            text.rfind('\n', c.begin) == std::string_view::npos ? 0 : text.rfind('\n', c.begin) + 1;
        out.own_line = text.substr(line_start, c.begin - line_start).find_first_not_of(" \t")
                       == std::string_view::npos;
        for (const token t : tokens) {
            const std::string s(text.substr(t.begin, t.end - t.begin));
            if (t.end <= c.begin) {
                out.before = s;
                if (t.begin >= line_start) {
                    out.line.push_back(s);
                }
            } else if (t.begin >= c.end && out.after2.empty()) {
                (out.after.empty() ? out.after : out.after2) = s;
            }
        }
    }
    return out;
}

// What is wrong with the place `marker`'s comment took in `out`, formatted from `in`; empty: none.
std::string misplaced(const std::string& in, const std::string& out, const std::string& marker,
                      bool own) {
    const placed was = find_marker(in, marker);
    const placed is = find_marker(out, marker);
    if (is.count != 1) {
        return "written " + std::to_string(is.count) + " times";
    }
    if (own) {
        // A comment before a '{' on a line of its own goes before the block's first line (the
        // brace ends the head's line).
        if (was.after == "{") {
            return {};
        }
        if (!is.own_line) {
            return "no longer on a line of its own";
        }
        // A line break after an operator (`and`, `+`) comes before it in the layout: the
        // comment between the operator and its right operand goes before both.
        if (is.after != was.after && !(is.after == was.before && is.after2 == was.after)) {
            return "before '" + is.after + "', was before '" + was.after + "'";
        }
        return {};
    }
    // After code: on the line of the token it followed (the layout may add words to that line,
    // `rounded down`, a joined clause, the head's '{').
    // A line holds one comment: a second goes on a line of its own, after the same token.
    if (std::find(is.line.begin(), is.line.end(), was.before) == is.line.end()
        && !(is.own_line && is.before == was.before)) {
        return "after '" + is.before + "', was after '" + was.before + "'";
    }
    return {};
}

std::vector<fs::path> probed_files() {
    std::vector<fs::path> files;
    const fs::path root(THIDUA_SOURCE_DIR);
    for (const auto& e : fs::recursive_directory_iterator(root / "rules")) {
        if (e.is_regular_file() && e.path().extension() == ".tdkt") {
            files.push_back(e.path());
        }
    }
    for (const auto& e : fs::directory_iterator(root / "tests/golden/fmt")) {
        const std::string name = e.path().filename().string();
        if (name.rfind("comments", 0) == 0 && e.path().extension() == ".tdkt") {
            files.push_back(e.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("fmt keeps a comment inserted at any line next to what it annotates", "[fmt]") {
    // Lines `stride` apart are probed in one go (a comment that far from another cannot be taken
    // for its neighbour), so the whole corpus takes 2 * stride formats per file.
    constexpr std::size_t stride = 16;
    const auto files = probed_files();
    REQUIRE(files.size() >= 8);
    std::size_t probed = 0;
    for (const auto& p : files) {
        const bool tests = is_test_file(p);
        const std::string text = read_file(p);
        REQUIRE(format_any(text, tests));
        std::vector<std::string> lines;
        for (std::size_t at = 0; at <= text.size();) {
            const std::size_t nl = std::min(text.find('\n', at), text.size());
            lines.push_back(text.substr(at, nl - at));
            at = nl + 1;
        }
        for (std::size_t first = 0; first < stride; ++first) {
            for (const bool own : {true, false}) {
                std::string in;
                std::vector<std::pair<std::size_t, std::string>> markers;  // (line, marker)
                for (std::size_t j = 0; j < lines.size(); ++j) {
                    const std::string& l = lines[j];
                    const std::size_t code = l.find_first_not_of(" \t\r");
                    // At the end of a line: after code, not after a comment (or a '#' in a
                    // string).
                    const bool here =
                        j % stride == first
                        && (own || (code != std::string::npos && l.find('#') == std::string::npos));
                    const std::string marker = "@probe " + std::to_string(j + 1);
                    if (here && own) {
                        in += l.substr(0, code == std::string::npos ? 0 : code);
                        in += "# " + marker + "\n";
                    }
                    in += l;
                    if (here && !own) {
                        in += "  # " + marker;
                    }
                    if (here) {
                        markers.emplace_back(j + 1, marker);
                    }
                    if (j + 1 < lines.size()) {
                        in += "\n";
                    }
                }
                const auto out = format_any(in, tests);
                INFO(p.filename().string()
                     << (own ? ": comments on lines of their own" : ": comments at line ends"));
                REQUIRE(out);
                INFO(*out);
                for (const auto& [line, marker] : markers) {
                    INFO("inserted at line " << line);
                    CHECK(misplaced(in, *out, marker, own) == std::string());
                    ++probed;
                }
                CHECK(format_any(*out, tests) == out);
            }
        }
    }
    CHECK(probed > 2000);
}
