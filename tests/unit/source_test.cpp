#include "dsl/source.hpp"

#include <catch2/catch.hpp>

#include "dsl/diagnostic.hpp"

using namespace thidua;

TEST_CASE("columns count characters, not bytes") {
    source_file f("x.tdkt", "a\nđiểm = x\r\nz");
    CHECK(f.locate(0).line == 1);
    const auto off = static_cast<std::uint32_t>(std::string("a\nđiểm = ").size());
    CHECK(f.locate(off).line == 2);
    CHECK(f.locate(off).column == 8);
    CHECK(f.line_text(2) == "điểm = x");
    CHECK(f.line_count() == 3);
}

TEST_CASE("invalid UTF-8 is found") {
    CHECK(find_invalid_utf8("Khối thi đua") == std::string_view::npos);
    CHECK(find_invalid_utf8("ab\xff") == 2);
    CHECK(find_invalid_utf8("\xc0\x80") == 0);      // overlong
    CHECK(find_invalid_utf8("\xed\xa0\x80") == 0);  // surrogate
    CHECK(find_invalid_utf8("a\xe1\xbb") == 1);     // truncated
}

TEST_CASE("carets line up under Vietnamese text") {
    auto f = std::make_shared<source_file>("q.tdkt", "tiêu chí = điểm + x\n");
    diagnostic d;
    d.code = "E999";
    d.file = f;
    const auto b = static_cast<std::uint32_t>(std::string("tiêu chí = ").size());
    d.where = {b, b + static_cast<std::uint32_t>(std::string("điểm").size())};
    d.message = "test";
    CHECK(render_text(d) ==
          "q.tdkt:1:12: error[E999]: test\n"
          "    1 | tiêu chí = điểm + x\n"
          "      |            ^^^^\n");
}
