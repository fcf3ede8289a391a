// Keywords quoted in messages follow the language the file is written in (its first keyword),
// whatever the language of the sentences; and files saved as UTF-16 are recognised.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "cli_runner.hpp"
#include "dsl/i18n.hpp"
#include "dsl/parser.hpp"
#include "dsl/source.hpp"

using namespace thidua;
using keywords::lang;

namespace {

std::string first_message(const std::string& text, const std::string& path = "x.tdkt") {
    const auto r = parse(std::make_shared<source_file>(path, text));
    REQUIRE(!r.diags.items().empty());
    return r.diags.items().front().message;
}

}  // namespace

TEST_CASE("keywords: the language of a file is that of its first keyword") {
    CHECK(keywords::first_keyword_language("quy chế \"A\" {") == lang::vi);
    CHECK(keywords::first_keyword_language("regulation \"quy chế\" {") == lang::en);
    // Comments, strings and words that are no keyword are skipped.
    CHECK(keywords::first_keyword_language("# regulation\n\"regulation\" xyz sửa đổi \"a\"")
          == lang::vi);
    CHECK(keywords::first_keyword_language("\xEF\xBB\xBF"
                                           "bộ kiểm thử cho \"a.tdkt\"")
          == lang::vi);
    CHECK(keywords::first_keyword_language("tests for \"a.tdkt\"") == lang::en);
    // `tiêu_chí` is a name, not the keyword `tiêu chí`.
    CHECK(keywords::first_keyword_language("tiêu_chí x criterion") == lang::en);
    CHECK(!keywords::first_keyword_language("# only a comment\n"));
    CHECK(!keywords::first_keyword_language(""));
}

TEST_CASE("i18n: quoted keywords are respelt and the rest of the template is kept") {
    CHECK(requote_keywords("expected 'down' after 'unused slots pass'", lang::en, lang::vi)
          == "expected 'xuống' after 'suất chưa dùng chuyển'");
    CHECK(requote_keywords("sau 'suất chưa dùng chuyển' cần có 'xuống'", lang::vi, lang::en)
          == "sau 'unused slots pass' cần có 'down'");
    // Backquotes too; words outside quotes, apostrophes, arguments and strings are left alone.
    CHECK(requote_keywords("the file's `else` and 'tests for \"regulation.tdkt\"' or '{name}'",
                           lang::en, lang::vi)
          == "the file's `ngược lại` and 'bộ kiểm thử cho \"regulation.tdkt\"' or '{name}'");
    // The longest spelling wins: `else if`, `không xét khen thưởng`.
    CHECK(requote_keywords("each 'else if'", lang::en, lang::vi) == "each 'ngược lại nếu'");
    CHECK(requote_keywords("'không xét khen thưởng'", lang::vi, lang::en) == "'ineligible'");
    // Function names and the names bound in an aggregate are not keywords.
    CHECK(requote_keywords("`sum(i in list: value)`", lang::en, lang::vi)
          == "`sum(i trong list: value)`");
    // `số` spells both `number` and `of`: the English text of the message decides.
    CHECK(requote_keywords("cần có 'số thành viên'", lang::vi, lang::en, "needs 'of members'")
          == "cần có 'of members'");
    CHECK(requote_keywords("'số'", lang::vi, lang::en, "the type 'number'") == "'number'");
    CHECK(requote_keywords("same 'down'", lang::en, lang::en) == "same 'down'");
}

TEST_CASE("i18n: diagnostics quote keywords as the file writes them") {
    const std::string vi_file = "quy chế \"A\" {\n    thang điểm\n}\n";
    const std::string en_file = "regulation \"A\" {\n    scale\n}\n";
    {
        const scoped_language en(language::en);
        CHECK(first_message(vi_file) == "expected a number after 'thang điểm'");
        CHECK(first_message(en_file) == "expected a number after 'scale'");
    }
    {
        const scoped_language vi(language::vi);
        CHECK(first_message(vi_file) == "sau 'thang điểm' cần có một số");
        CHECK(first_message(en_file) == "sau 'scale' cần có một số");
    }
    // Outside a file's parsing, keyword_text() follows the language of the messages again.
    CHECK(!current_keyword_language());
    CHECK(keyword_text(keywords::kw::scale) == "scale");
    {
        const scoped_keyword_language vi(lang::vi);
        CHECK(keyword_text(keywords::kw::scale) == "thang điểm");
        // Messages about results files are never respelt: `unit` there is a column.
        CHECK(tr(msg::E216_no_name).find("`unit`") != std::string::npos);
    }
}

TEST_CASE("source: a file saved as UTF-16 is recognised with or without a byte order mark") {
    const std::string text = "quy chế \"Khối\" {}\n";
    auto utf16 = [&](bool little, bool bom) {
        std::string out = bom ? (little ? "\xFF\xFE" : "\xFE\xFF") : "";
        // The text is ASCII but for `ế` (U+1EBF) and `ố` (U+1ED1), written here by hand.
        for (std::size_t i = 0; i < text.size();) {
            std::uint32_t cp = static_cast<unsigned char>(text[i]);
            std::size_t len = 1;
            if (cp >= 0xE0U) {
                cp = ((cp & 0x0FU) << 12U)
                     | ((static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 6U)
                     | (static_cast<unsigned char>(text[i + 2]) & 0x3FU);
                len = 3;
            }
            const char hi = static_cast<char>(cp >> 8U);
            const char lo = static_cast<char>(cp & 0xFFU);
            out += little ? std::string{lo, hi} : std::string{hi, lo};
            i += len;
        }
        return out;
    };
    CHECK(detect_utf16(utf16(true, true)) == utf16_order::little);
    CHECK(detect_utf16(utf16(false, true)) == utf16_order::big);
    CHECK(detect_utf16(utf16(true, false)) == utf16_order::little);
    CHECK(detect_utf16(utf16(false, false)) == utf16_order::big);
    CHECK(utf16_first_line(utf16(true, true), utf16_order::little) == "quy chế \"Khối\" {}");
    CHECK(utf16_first_line(utf16(false, false), utf16_order::big) == "quy chế \"Khối\" {}");
    CHECK(!detect_utf16(text));
    CHECK(!detect_utf16(std::string("regulation\0x", 12)));  // one NUL: binary, not UTF-16
    const scoped_language en(language::en);
    const auto r = parse(std::make_shared<source_file>("u.tdkt", utf16(true, true)));
    REQUIRE(r.diags.items().size() == 1);
    CHECK(r.diags.items().front().code == "E002");
    CHECK(r.diags.items().front().message == "this file is UTF-16; save it as UTF-8");
}

TEST_CASE("explain: a table's else is quoted as the regulation writes it") {
    thidua::testing::temp_dir dir;
    // The same table in Vietnamese and in English keywords; x = 5 matches no band.
    dir.write("vi.tdkt", R"(quy chế "Thử" {
    thang điểm 10
    số liệu { x: số }
    nội dung I "Một" tối đa 10 {
        tiêu chí I.1 "Một" tối đa 10 {
            điểm = khi x { >= 8: 10  ngược lại: 0 }
        }
    }
}
)");
    dir.write("en.tdkt", R"(regulation "Thử" {
    scale 10
    input { x: number }
    section I "Một" max 10 {
        criterion I.1 "Một" max 10 { points = when x { >= 8: 10  else: 0 } }
    }
}
)");
    dir.write("units.csv", "unit,x\nA,5\n");
    const auto data = (dir.path / "units.csv").string();
    const auto vi = (dir.path / "vi.tdkt").string();
    const auto en = (dir.path / "en.tdkt").string();
    const std::string vi_vi =
        thidua::testing::run({"--lang", "vi", "explain", vi, "--data", data, "--unit", "A"});
    CHECK(vi_vi.find("x = 5: không khớp mức nào, áp dụng `ngược lại`") != std::string::npos);
    CHECK(vi_vi.find("`else`") == std::string::npos);
    const std::string vi_en =
        thidua::testing::run({"--lang", "en", "explain", vi, "--data", data, "--unit", "A"});
    CHECK(vi_en.find("x = 5: no band matches, `ngược lại` applies") != std::string::npos);
    const std::string en_vi =
        thidua::testing::run({"--lang", "vi", "explain", en, "--data", data, "--unit", "A"});
    CHECK(en_vi.find("x = 5: không khớp mức nào, áp dụng `else`") != std::string::npos);
}
