// The formatter (dsl/formatter.hpp), the Vietnamese keywords (dsl/keywords.hpp) and the reading of
// decomposed Unicode (dsl/source.hpp).
#include "dsl/formatter.hpp"

#include <uninorm.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/keywords.hpp"
#include "dsl/parser.hpp"

using namespace thidua;
namespace fs = std::filesystem;
using keywords::kw;
using keywords::lang;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

parse_result parse_text(const std::string& text, const std::string& name = "t.tdkt") {
    return parse(std::make_shared<source_file>(name, text));
}

std::string dump(const std::string& text) {
    const auto r = parse_text(text);
    REQUIRE(r.regulation);
    INFO(render_text(r.diags));
    REQUIRE(!r.diags.has_errors());
    return dump_ast(*r.regulation);
}

std::string format_text(const std::string& text, std::optional<lang> l = std::nullopt) {
    const auto r = parse_text(text);
    REQUIRE(r.regulation);
    INFO(render_text(r.diags));
    REQUIRE(!r.diags.has_errors());
    format_options o;
    o.language = l;
    return format_regulation(*r.regulation, r.comments, o);
}

std::string to_nfd(const std::string& text) {
    std::size_t length = 0;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    const auto* in = reinterpret_cast<const std::uint8_t*>(text.data());
    std::uint8_t* out = u8_normalize(UNINORM_NFD, in, text.size(), nullptr, &length);
    REQUIRE(out != nullptr);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    std::string result(reinterpret_cast<const char*>(out), length);
    std::free(out);  // NOLINT(cppcoreguidelines-no-malloc)
    return result;
}

std::vector<std::string> comment_texts(const std::string& raw) {
    const std::string text = normalize_nfc(raw);  // what the spans point into
    const auto r = parse_text(text);
    std::vector<std::string> out;
    for (const span c : r.comments) {
        std::string s = text.substr(c.begin, c.end - c.begin);
        while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
            s.pop_back();
        }
        out.push_back(s);
    }
    return out;
}

// Every regulation in rules/ and every .tdkt of the golden corpus that parses without errors.
std::vector<fs::path> corpus() {
    std::vector<fs::path> files;
    const fs::path root(THIDUA_SOURCE_DIR);
    for (const char* dir : {"rules", "tests/golden"}) {
        for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
            if (e.is_regular_file() && e.path().extension() == ".tdkt") {
                const auto r = parse_text(read(e.path()), e.path().string());
                if (r.regulation && !r.diags.has_errors()) {
                    files.push_back(e.path());
                }
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Every `*.test.tdkt` file in rules/ and the golden corpus that parses without errors.
std::vector<fs::path> test_corpus() {
    std::vector<fs::path> files;
    const fs::path root(THIDUA_SOURCE_DIR);
    for (const char* dir : {"rules", "tests/golden"}) {
        for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
            const std::string name = e.path().filename().string();
            if (e.is_regular_file() && name.size() > 10
                && name.compare(name.size() - 10, 10, ".test.tdkt") == 0) {
                const auto r =
                    parse_tests(std::make_shared<source_file>(e.path().string(), read(e.path())));
                if (r.tests && !r.diags.has_errors()) {
                    files.push_back(e.path());
                }
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

test_parse_result parse_test_text(const std::string& text) {
    return parse_tests(std::make_shared<source_file>("t.test.tdkt", text));
}

std::string dump_test_file(const std::string& text) {
    const auto r = parse_test_text(text);
    INFO(render_text(r.diags));
    REQUIRE(r.tests);
    REQUIRE(!r.diags.has_errors());
    return dump_tests(*r.tests);
}

std::string format_test_file(const std::string& text, std::optional<lang> l = std::nullopt) {
    const auto r = parse_test_text(text);
    INFO(render_text(r.diags));
    REQUIRE(r.tests);
    REQUIRE(!r.diags.has_errors());
    format_options o;
    o.language = l;
    return format_tests(*r.tests, r.comments, o);
}

std::vector<std::string> test_comment_texts(const std::string& raw) {
    const std::string text = normalize_nfc(raw);
    const auto r = parse_test_text(text);
    std::vector<std::string> out;
    for (const span c : r.comments) {
        std::string s = text.substr(c.begin, c.end - c.begin);
        while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
            s.pop_back();
        }
        out.push_back(s);
    }
    return out;
}

const char* const sample = R"(# Đầu tệp
regulation "Mẫu" {
    scale 100
    input {
        điểm_tb: number "Điểm trung bình"
        số_lần: integer
        xếp: bool
    }
    section I "Nội dung I" max 100 {
        criterion I.1 "Tiêu chí 1" max 100 {
            let điểm = điểm_tb * 2
            points = if xếp and số_lần > 0 then điểm else điểm - 1
        }
    }
}
)";

}  // namespace

TEST_CASE("the keyword table lists every keyword once, in order") {
    REQUIRE(keywords::keyword_count == static_cast<std::size_t>(kw::eligible) + 1);
    std::set<std::string_view> english;
    std::set<std::string_view> vietnamese;
    for (std::size_t i = 0; i < keywords::keyword_count; ++i) {
        const auto& s = keywords::table[i];
        CHECK(static_cast<std::size_t>(s.id) == i);
        CHECK(english.insert(s.en).second);
        // `số` is both `number` (a type) and `of` (in `30% số thành viên`): never in one place.
        if (s.id != kw::of) {
            CHECK(vietnamese.insert(s.vi).second);
        }
        // Spellings are NFC, so they match text read from any editor (sources are read in NFC).
        CHECK(normalize_nfc(std::string(s.vi)) == s.vi);
        CHECK(keywords::match_keyword(s.id, s.en) == s.en.size());
        CHECK(keywords::match_keyword(s.id, s.vi) == s.vi.size());
        CHECK(keywords::keyword_language(s.id, s.vi) == lang::vi);
    }
}

TEST_CASE("Vietnamese keywords: spaces, longest match, names left alone") {
    using keywords::match_keyword;
    CHECK(match_keyword(kw::criterion, "tiêu  \t chí I.1") == std::string("tiêu  \t chí").size());
    CHECK(match_keyword(kw::criterion, "tiêu\nchí") == 0);  // a keyword stays on one line
    CHECK(match_keyword(kw::number, "số nguyên") == 0);
    CHECK(match_keyword(kw::integer, "số nguyên") > 0);
    CHECK(match_keyword(kw::points, "điểm thưởng") == 0);
    CHECK(match_keyword(kw::points, "điểm = 1") > 0);
    CHECK(match_keyword(kw::points, "điểm_tb") == 0);
    CHECK(match_keyword(kw::rounded, "làm tròn điểm") == 0);
    CHECK(match_keyword(kw::rounded, "làm tròn xuống") > 0);
    CHECK(match_keyword(kw::and_, "vàng") == 0);

    // Common Vietnamese identifiers stay names next to Vietnamese keywords.
    const std::string text = std::string(sample);
    const auto r = parse_text(text);
    INFO(render_text(r.diags));
    REQUIRE(r.regulation);
    CHECK(!r.diags.has_errors());
    CHECK(r.regulation->inputs.size() == 3);
    CHECK(r.regulation->inputs[0].name == "điểm_tb");
}

TEST_CASE("English and Vietnamese keywords mean the same, mixed freely") {
    const std::string en = R"(regulation "R" {
    rounding total 0.5 half_even
    enum rating ordered { xs "Xuất sắc", tot }
    input { a: rating  n: integer?  d: date  t: text  l: list { v: number } }
    section I "S" max 10 combine rescaled {
        criterion I.1 "C" max 10 cite "Mục 1" applies when n is present {
            let x = sum(i in l where i.v > 0: i.v)
            points = when x { >= 5: 10  else: match a { xs: 1  else: 0 } }
        }
    }
    bonus "B" max 1 { item "I" max 1 { points = 1 } }
    deduction "D" { item "J" { points = if not (n is absent) then 0 else 1 } }
    exclude "E" when d > 2018-12-25
    ineligible "F" when t == "x" or false
    ranking { by total desc, section I asc  ties shared  first place by bonus desc ties unresolved }
    award flag "A" { candidates rank 1..2  require "R" total >= 1 and true  limit 30% of members rounded nearest  unused slots pass down }
    award merit "M" { candidates all  limit 1  unused slots are lost }
    awards limit 50% of members rounded up
    self_score from n tolerance 2
}
)";
    const std::string vi = R"(quy chế "R" {
    làm tròn điểm tổng điểm 0.5 nửa chẵn
    danh mục rating có thứ tự { xs "Xuất sắc", tot }
    số liệu { a: rating  n: số nguyên?  d: ngày  t: văn bản  l: danh sách { v: số } }
    nội dung I "S" tối đa 10 cách tính quy đổi {
        tiêu chí I.1 "C" tối đa 10 căn cứ "Mục 1" áp dụng khi n là có giá trị {
            đặt x = sum(i trong l mà i.v > 0: i.v)
            điểm = khi x { >= 5: 10  ngược lại: tùy theo a { xs: 1  ngược lại: 0 } }
        }
    }
    điểm thưởng "B" tối đa 1 { mục "I" tối đa 1 { điểm = 1 } }
    điểm trừ "D" { mục "J" { điểm = nếu không (n là trống) thì 0 ngược lại 1 } }
    không xếp hạng "E" khi d > 2018-12-25
    không xét khen thưởng "F" khi t == "x" hoặc sai
    xếp hạng { theo tổng điểm giảm dần, nội dung I tăng dần  đồng điểm cùng hạng  vị trí thứ nhất theo điểm thưởng giảm dần đồng điểm biểu quyết }
    khen thưởng flag "A" { xét hạng 1..2  điều kiện "R" tổng điểm >= 1 và đúng  giới hạn 30% số thành viên làm tròn gần nhất  suất chưa dùng chuyển xuống }
    khen thưởng merit "M" { xét tất cả  giới hạn 1  suất chưa dùng bị hủy }
    số khen thưởng giới hạn 50% số thành viên làm tròn lên
    tự chấm từ n chênh lệch 2
}
)";
    CHECK(dump(en) == dump(vi));
    // Mixed: English declarations, Vietnamese expressions and the other way round.
    CHECK(dump(format_text(vi, lang::en)) == dump(en));
    CHECK(format_text(vi, lang::en) == format_text(en, lang::en));
    CHECK(format_text(en, lang::vi) == format_text(vi, lang::vi));
    CHECK(format_text(vi) == format_text(en, lang::vi));  // the default: the file's language
}

TEST_CASE("a regulation reads the same in NFC and NFD") {
    const fs::path root(THIDUA_SOURCE_DIR);
    for (const auto& p :
         {root / "rules/khoi5-2018/regulation.tdkt", root / "rules/khoi3-2018/regulation.tdkt",
          root / "rules/tiengiang-tnmt-2022/regulation.tdkt"}) {
        const std::string nfc = read(p);
        const std::string nfd = to_nfd(nfc);
        REQUIRE(nfd != nfc);
        CHECK(dump(nfd) == dump(nfc));
    }
    // A name written NFD in one place and NFC in another is one name; keywords too.
    const std::string part = "points = if xếp and số_lần";
    std::string mixed = sample;
    mixed.replace(mixed.find(part), part.size(), to_nfd(part));
    REQUIRE(mixed != sample);
    CHECK(dump(mixed) == dump(sample));
}

TEST_CASE("diagnostics in an NFD file point where they do in its NFC twin") {
    const std::string nfc = "quy chế \"Mẫu\" {\n    thang điểm 100\n    tiêu chí I.1\n}\n";
    const auto a = parse_text(nfc);
    const auto b = parse_text(to_nfd(nfc));
    REQUIRE(a.diags.has_errors());
    CHECK(render_text(a.diags) == render_text(b.diags));
    CHECK(render_text(b.diags).find("t.tdkt:3:5:") != std::string::npos);
}

TEST_CASE("fmt keeps the meaning and the comments, and is a fixed point") {
    const auto files = corpus();
    REQUIRE(files.size() > 50);
    for (const auto& p : files) {
        const std::string text = read(p);
        const std::string original = dump(text);
        const auto comments = comment_texts(text);
        DYNAMIC_SECTION(p.string()) {
            for (const std::optional<lang> l :
                 {std::optional<lang>(), std::optional(lang::en), std::optional(lang::vi)}) {
                const std::string once = format_text(text, l);
                INFO(once);
                CHECK(dump(once) == original);
                CHECK(format_text(once, l) == once);
                // Clauses written in the canonical order take their comments along, so only
                // the multiset is kept: none dropped, none duplicated.
                CHECK(sorted(comment_texts(once)) == sorted(comments));
                CHECK(format_text(to_nfd(text), l) == once);
            }
            CHECK(format_text(format_text(text, lang::vi), lang::en)
                  == format_text(text, lang::en));
        }
    }
}

TEST_CASE("fmt writes parentheses only where precedence needs them") {
    const auto expr_of = [](const std::string& e) {
        const std::string text =
            "regulation \"R\" {\n    input {\n        a: number\n        b: "
            "number\n        c: bool\n    }\n    section I \"S\" max 1 {\n  "
            "      criterion I.1 \"C\" max 1 {\n            points = "
            + e + "\n        }\n    }\n}\n";
        const std::string out = format_text(text);
        const auto at = out.find("points = ") + 9;
        return out.substr(at, out.find('\n', at) - at);
    };
    CHECK(expr_of("((a + b)) * 2") == "(a + b) * 2");
    CHECK(expr_of("(a * b) + 2") == "a * b + 2");
    CHECK(expr_of("a - (b - 1)") == "a - (b - 1)");
    CHECK(expr_of("(a - b) - 1") == "a - b - 1");
    CHECK(expr_of("-(a * b)") == "-(a * b)");
    CHECK(expr_of("(-a) * b") == "-a * b");
    CHECK(expr_of("if (c) then (a) else (b + 1)") == "if c then a else b + 1");
    CHECK(expr_of("(if c then a else b) + 1") == "(if c then a else b) + 1");
    CHECK(expr_of("1 + (if c then a else b)") == "1 + if c then a else b");
    CHECK(expr_of("2 * (if c then a else b) + 1") == "2 * (if c then a else b) + 1");
    CHECK(expr_of("if not (c and a > b) then 1 else 0") == "if not (c and a > b) then 1 else 0");
    CHECK(expr_of("if (not c) and (a > b) then 1 else 0") == "if not c and a > b then 1 else 0");
    CHECK(expr_of("if (c or c) and c then 1 else 0") == "if (c or c) and c then 1 else 0");
}

TEST_CASE("fmt breaks a long statement before each else, after aggregates, and between keys") {
    // The first `points` passes 100 columns: an `else if` chain stays at one level, and the
    // `when` of the last else is laid out for that line. The second breaks after the `:` of an
    // aggregate inside arithmetic. A short `when` stays on one line. Ranking keys break between
    // keys, and a key holding a `when` keeps its layout (this once failed the meaning check).
    const std::string text = R"tdkt(regulation "R" {
    input {
        inspection_plan: integer?
        inspections_done: integer
        very_long_count_of_dossiers_received: integer
        d: list { level: integer  self_detected: bool }
        short: number
    }
    section I "S" max 100 {
        criterion I.1 "Thanh tra" max 50 {
            points = if inspection_plan is absent then 20 else if inspection_plan == 0 then 50 else when inspections_done / inspection_plan { >= 100%: 50  >= 95%: 40  else: 30 }
        }
        criterion I.2 "Kỷ luật" max 20 {
            points = 20 - sum(x in d where not x.self_detected: if x.level >= 2 then 20 else 10) - short
        }
        criterion I.3 "Ngắn" max 10 {
            points = when short { >= 9: 10  >= 5: 5  else: 0 }
        }
    }
    ranking {
        by total desc, section I desc, very_long_count_of_dossiers_received desc, count(x in d where x.level >= 1) asc
        ties shared
        first place by short desc, when short { >= 1: 1  else: 0 } desc ties unresolved
    }
}
)tdkt";
    const std::string expected = R"tdkt(regulation "R" {
    input {
        inspection_plan: integer?
        inspections_done: integer
        very_long_count_of_dossiers_received: integer
        d: list {
            level: integer
            self_detected: bool
        }
        short: number
    }
    section I "S" max 100 {
        criterion I.1 "Thanh tra" max 50 {
            points = if inspection_plan is absent then 20
                else if inspection_plan == 0 then 50
                else when inspections_done / inspection_plan {
                    >= 100%: 50
                    >= 95%: 40
                    else: 30
                }
        }
        criterion I.2 "Kỷ luật" max 20 {
            points = 20 - sum(x in d where not x.self_detected:
                if x.level >= 2 then 20 else 10) - short
        }
        criterion I.3 "Ngắn" max 10 {
            points = when short { >= 9: 10  >= 5: 5  else: 0 }
        }
    }
    ranking {
        by total desc, section I desc, very_long_count_of_dossiers_received desc,
            count(x in d where x.level >= 1) asc
        ties shared
        first place by short desc, when short { >= 1: 1  else: 0 } desc ties unresolved
    }
}
)tdkt";
    const std::string once = format_text(text);
    CHECK(once == expected);
    CHECK(format_text(once) == once);
    CHECK(dump(once) == dump(text));
}

TEST_CASE("thidua fmt rewrites a file in place, once") {
    const fs::path dir = fs::temp_directory_path() / "thidua_fmt_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path file = dir / "messy.tdkt";
    const fs::path source = fs::path(THIDUA_SOURCE_DIR) / "tests/golden/fmt/messy.tdkt";
    fs::copy_file(source, file);
    const std::string before = read(file);

    // --check and --stdout write nothing.
    // The path on stdout (for scripts), then on stderr what to do about it.
    CHECK(thidua::testing::run({"fmt", "--check", file.string()})
          == file.string()
                 + "\n1 file is not in the canonical layout; `thidua fmt FILE` rewrites it "
                   "(`--stdout` shows the result without writing)\nexit: 1\n");
    CHECK(thidua::testing::run({"--lang", "vi", "fmt", "--check", file.string(), file.string()})
          == file.string() + "\n" + file.string()
                 + "\n2 tệp chưa theo cách trình bày chuẩn; `thidua fmt TỆP...` viết lại chúng "
                   "(`--stdout` in kết quả ra mà không ghi tệp)\nexit: 1\n");
    CHECK(read(file) == before);
    const std::string printed = thidua::testing::run({"fmt", "--stdout", file.string()});
    CHECK(read(file) == before);

    CHECK(thidua::testing::run({"fmt", file.string()})
          == "formatted " + file.string() + "\nexit: 0\n");
    const std::string after = read(file);
    CHECK(after != before);
    CHECK(printed == after + "exit: 0\n");
    CHECK(dump(after) == dump(before));
    // Formatted: nothing to do, nothing written.
    const auto written = fs::last_write_time(file);
    CHECK(thidua::testing::run({"fmt", file.string()}) == "exit: 0\n");
    CHECK(fs::last_write_time(file) == written);
    CHECK(thidua::testing::run({"fmt", "--check", file.string()}) == "exit: 0\n");
    // No temporary file is left behind.
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
    fs::remove_all(dir);
}

TEST_CASE("thidua fmt: unreadable files and bad options") {
    CHECK(thidua::testing::run({"fmt", "no/such/file.tdkt"}).find("exit: 2") != std::string::npos);
    CHECK(thidua::testing::run({"fmt", "rules"}).find("is a directory") != std::string::npos);
    CHECK(thidua::testing::run({"fmt", "--lang", "fr", "rules/khoi3-2018/regulation.tdkt"})
              .find("exit: 2")
          != std::string::npos);
}

TEST_CASE("fmt writes amendments in either language, a file keeps its language") {
    const std::string en = R"(amends "base.tdkt"
regulation "R" {
    remove rounding criterion
    add criterion I.3 "C" max 5 in section I after I.1 { points = 5 }
    replace bonus "B" max 4
    remove item "I" in deduction "D"
}
)";
    const std::string vi = format_text(en, lang::vi);
    CHECK(vi.rfind("sửa đổi \"base.tdkt\"\n", 0) == 0);
    CHECK(vi.find("    bãi bỏ làm tròn điểm tiêu chí\n") != std::string::npos);
    CHECK(vi.find("    bổ sung tiêu chí I.3 \"C\" tối đa 5 trong nội dung I sau I.1 {\n")
          != std::string::npos);
    CHECK(vi.find("    thay thế điểm thưởng \"B\" tối đa 4\n") != std::string::npos);
    CHECK(vi.find("    bãi bỏ mục \"I\" trong điểm trừ \"D\"\n") != std::string::npos);
    CHECK(format_text(vi) == vi);  // `sửa đổi` first: the file stays Vietnamese
    CHECK(format_text(vi, lang::en) == format_text(en));
    // The rounding target is a key of the merge: the same whichever language names it.
    const auto r = parse_text(vi);
    REQUIRE(r.regulation);
    REQUIRE(r.regulation->amendments.size() == 4);
    CHECK(r.regulation->amendments[0].key == "criterion");
}

TEST_CASE("fmt lays out test files, keeps their meaning and comments, and is a fixed point") {
    const auto files = test_corpus();
    REQUIRE(files.size() >= 3);
    for (const auto& p : files) {
        const std::string text = read(p);
        const std::string original = dump_test_file(text);
        const auto comments = test_comment_texts(text);
        DYNAMIC_SECTION(p.string()) {
            for (const std::optional<lang> l :
                 {std::optional<lang>(), std::optional(lang::en), std::optional(lang::vi)}) {
                const std::string once = format_test_file(text, l);
                INFO(once);
                CHECK(dump_test_file(once) == original);
                CHECK(format_test_file(once, l) == once);
                CHECK(test_comment_texts(once) == comments);
                CHECK(format_test_file(to_nfd(text), l) == once);
            }
            CHECK(format_test_file(format_test_file(text, lang::vi), lang::en)
                  == format_test_file(text, lang::en));
        }
    }
}

TEST_CASE("test keywords in English and Vietnamese mean the same") {
    const std::string en = R"(tests for "r.tdkt"
test "T" {
    data "data/"
    unit "A" { n = -3  p = 95%  ok = true  d = 2018-12-20  t = "x"  r = xs
               l = [ { v = 1, w = false }, {} ]  e = [] }
    expect "A" total == 96.4 within 0.01
    expect "A" criterion I.1 == 20
    expect "A" section II == 3
    expect "A" bonus == 1
    expect "A" deduction == 0
    expect "A" rank == 3..4
    expect "A" award flag
    expect "A" award merit pending
    expect "A" no award
    expect "A" excluded
    expect "A" not ineligible
    expect tie "A", "B"
    expect conflict merit "A", "B"
}
)";
    const std::string vi = R"(bộ kiểm thử cho "r.tdkt"
kiểm thử "T" {
    dữ liệu "data/"
    đơn vị "A" { n = -3  p = 95%  ok = đúng  d = 2018-12-20  t = "x"  r = xs
                 l = [ { v = 1, w = sai }, {} ]  e = [] }
    kỳ vọng "A" tổng điểm == 96.4 sai số 0.01
    kỳ vọng "A" tiêu chí I.1 == 20
    kỳ vọng "A" nội dung II == 3
    kỳ vọng "A" điểm thưởng == 1
    kỳ vọng "A" điểm trừ == 0
    kỳ vọng "A" hạng == 3..4
    kỳ vọng "A" khen thưởng flag
    kỳ vọng "A" khen thưởng merit chờ biểu quyết
    kỳ vọng "A" không được khen thưởng
    kỳ vọng "A" bị loại
    kỳ vọng "A" không không xét khen thưởng
    kỳ vọng đồng hạng "A", "B"
    kỳ vọng xung đột merit "A", "B"
}
)";
    CHECK(dump_test_file(en) == dump_test_file(vi));
    CHECK(format_test_file(vi, lang::en) == format_test_file(en));
    CHECK(format_test_file(en, lang::vi) == format_test_file(vi));
    // The canonical layout: one field per line, a list one row per line.
    const std::string once = format_test_file(en);
    CHECK(once.find("    unit \"A\" {\n        n = -3\n        p = 95%\n") != std::string::npos);
    CHECK(once.find("        l = [\n            { v = 1, w = false }\n            {}\n        ]\n"
                    "        e = []\n")
          != std::string::npos);
    // `không được` (no) is one keyword; `không` alone is still `not`.
    CHECK(keywords::match_keyword(kw::not_, "không được khen thưởng") == 0);
    CHECK(keywords::match_keyword(kw::no, "không được khen thưởng") > 0);
    CHECK(keywords::match_keyword(kw::not_, "không bị loại") > 0);
}

TEST_CASE("fmt lays out the tests after a regulation") {
    const std::string text = std::string(sample) + R"(
# the tests
test "T" { unit "A" { điểm_tb = 1  số_lần = 2  xếp = true }  # inline
  expect "A" total == 1 }
)";
    const std::string once = format_text(text, lang::vi);
    CHECK(once.find(R"(}

# the tests
kiểm thử "T" {
    đơn vị "A" { điểm_tb = 1  số_lần = 2  xếp = đúng }  # inline
    kỳ vọng "A" tổng điểm == 1
}
)") != std::string::npos);
    CHECK(dump(once) == dump(text));
}

namespace {

// The clauses of clause_comments_*: a comment `# @WORD` is written after the clause holding
// keyword WORD (on its last line), `# ^WORD` on the line before the clause starting with it.
const std::pair<const char*, kw> clause_tags[] = {
    {"section", kw::section},
    {"criterion", kw::criterion},
    {"item", kw::item},
    {"max", kw::max},
    {"cite", kw::cite},
    {"combine", kw::combine},
    {"applies", kw::applies},
    {"exclude", kw::exclude},
    {"when", kw::when},
    {"by", kw::by},
    {"ties", kw::ties},
    {"first", kw::first},
    {"candidates", kw::candidates},
    {"require", kw::require},
    {"limit", kw::limit},
    {"unused", kw::unused},
    {"after", kw::after},
    {"in", kw::in},
    {"award", kw::award},
    {"total", kw::total},
};

const char* const clause_comments_en = R"(regulation "R" {
    input {
        a: number
        b: number?
    }
    section I "S" max 60  # @section
        # ^combine
        combine rescaled  # @combine
        cite "Mục I"  # @cite
    {
        criterion I.1 "C" max 40  # @criterion
            applies when b is present  # @applies
            # ^cite
            cite "Mục I.1"  # @cite
        {
            points = a
        }
        criterion I.2 "D" max 20 applies when a > 1 { points = 1 }
    }
    bonus "B" max 5 {
        item "I" cite "x"  # @cite
            max 2  # @max
        { points = 1 }
    }
    exclude "E"  # @exclude
        when b is absent  # @when
    ranking {
        # ^ties
        ties shared  # @ties
        by total desc  # @by
        first place by a desc ties unresolved  # @first
    }
    award bk "B" {  # @award
        limit 2  # @limit
        # ^require
        require "R"  # @require
            total >= 5  # @total
        unused slots pass down  # @unused
        # ^candidates
        candidates rank 1..3  # @candidates
    }
    award gk "G" {
        limit 30% of members  # @limit
    }
}
)";

const char* const clause_comments_vi = R"(sửa đổi "base.tdkt"
quy chế "R" {
    bổ sung tiêu chí I.3 "Ba" tối đa 10  # @criterion
        sau I.1  # @after
        trong nội dung I  # @in
        áp dụng khi c là có giá trị  # @applies
        căn cứ "Mục I.3"  # @cite
    {
        điểm = 1
    }
    thay thế xếp hạng {
        đồng điểm cùng hạng  # @ties
        # ^by
        theo tổng điểm giảm dần  # @by
    }
    bổ sung khen thưởng good "Giấy khen" {
        giới hạn 2  # @limit
        suất chưa dùng chuyển xuống  # @unused
        điều kiện "R" tổng điểm >= 5  # @require
        # ^candidates
        xét tất cả  # @candidates
    }
}
)";

// Checks every tagged comment of `out` against the line it is on (or the line after it).
// Together with the golden files (tests/golden/fmt/comments*.tdkt, which show where exactly),
// this fails when a comment lands on another clause's line or on a line of its own.
void check_clause_comments(const std::string& out, lang l) {
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    auto code_of = [](const std::string& line) {
        const auto first = line.find_first_not_of(' ');
        const auto comment = line.find('#');
        return first == std::string::npos || first == comment
                   ? std::string()
                   : line.substr(
                       first, comment == std::string::npos ? std::string::npos : comment - first);
    };
    auto spelled = [&](const std::string& tag) -> std::string {
        for (const auto& [name, word] : clause_tags) {
            if (tag == name) {
                return std::string(keywords::spell(word, l));
            }
        }
        FAIL("unknown tag " << tag);
        return {};
    };
    std::size_t checked = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto at = lines[i].find("# ");
        if (at == std::string::npos || at + 2 >= lines[i].size()) {
            continue;
        }
        const char kind = lines[i][at + 2];
        if (kind != '@' && kind != '^') {
            continue;
        }
        const std::string tag = lines[i].substr(at + 3);
        std::string code = code_of(lines[i]);
        if (kind == '^') {
            // Own line: the next line of code starts the clause.
            CHECK(code.empty());
            std::size_t j = i + 1;
            while (j < lines.size() && code_of(lines[j]).empty()) {
                ++j;
            }
            code = j < lines.size() ? code_of(lines[j]) : std::string();
        }
        INFO(out << "\nline " << i + 1 << ": " << lines[i]);
        if (kind == '^') {
            CHECK(code.rfind(spelled(tag), 0) == 0);
        } else {
            CHECK(code.find(spelled(tag)) != std::string::npos);
        }
        ++checked;
    }
    CHECK(checked > 10);
}

}  // namespace

TEST_CASE("fmt keeps each comment with its clause when it reorders or adds clauses") {
    for (const char* text : {clause_comments_en, clause_comments_vi}) {
        const auto comments = comment_texts(text);
        for (const lang l : {lang::en, lang::vi}) {
            const std::string once = format_text(text, l);
            INFO(once);
            check_clause_comments(once, l);
            CHECK(sorted(comment_texts(once)) == sorted(comments));
            CHECK(dump(once) == dump(text));
            CHECK(format_text(once, l) == once);
        }
    }
    // Layouts found by random clause orders: each must be a fixed point keeping every comment
    // with its clause.
    for (const char* text : {
             // the ranking's `ties` on the line of the first place's keys, after its own `ties`
             R"(regulation "R" {
    input { a: number }
    ranking {
        first place by a desc ties unresolved  by total desc  ties shared  # @ties
    }
})",
             // two comments inside a head's first piece, one more after its '{'
             R"(regulation "R" {
    input { a: number }
    section I "S"  # @section
        max 10  # @max
    {  # after the brace
        criterion I.1 "C" max 10 { points = a }
    }
})",
         }) {
        const std::string once = format_text(text);
        INFO(once);
        CHECK(format_text(once) == once);
        CHECK(sorted(comment_texts(once)) == sorted(comment_texts(text)));
        CHECK(dump(once) == dump(text));
    }
    CHECK(format_text(R"(regulation "R" {
    input { a: number }
    ranking {
        first place by a desc ties unresolved  by total desc  ties shared  # on ties
    }
})")
              .find("        ties shared  # on ties\n")
          != std::string::npos);
    // A default the layout leaves out is kept when it has a comment, so the comment stays on it.
    const std::string defaults = R"(regulation "R" {
    section I "S" max 10 combine sum  # on combine sum
    {
        criterion I.1 "C" max 10 { points = 1 }
    }
    award gk "G" {
        unused slots are lost  # on unused slots
        candidates all
    }
    award x "X" { candidates all  unused slots are lost }
})";
    const std::string once = format_text(defaults);
    CHECK(once.find("    section I \"S\" max 10 combine sum {  # on combine sum\n")
          != std::string::npos);
    CHECK(once.find("        candidates all\n        unused slots are lost  # on unused slots\n")
          != std::string::npos);
    CHECK(once.find("    award x \"X\" {\n        candidates all\n    }\n") != std::string::npos);
    CHECK(format_text(once) == once);
}
