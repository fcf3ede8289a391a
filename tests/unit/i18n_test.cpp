// The message catalogue and the choice of language: every entry has both languages with the same
// arguments (also checked at compile time; here it is checked again on the table the program
// really uses), plural forms, locale detection, and a Vietnamese diagnostic end to end.
#include "dsl/i18n.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "dsl/diagnostic.hpp"

using namespace thidua;

namespace {

// The argument names of a template ({name} or {name:spec}); "{{" and "}}" are literal braces.
std::set<std::string> arguments_of(std::string_view t) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '{') {
            ++i;
            continue;
        }
        if (t[i] == '{') {
            const auto end = t.find_first_of(":}", i);
            names.insert(std::string(t.substr(i + 1, end - i - 1)));
            i = t.find('}', i);
        }
    }
    return names;
}

}  // namespace

TEST_CASE("i18n: every catalogue entry has English and Vietnamese with the same arguments") {
    std::size_t count = 0;
    const message_entry* entries = message_catalogue(count);
    REQUIRE(count > 200);
    std::set<std::string_view> keys;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& e = entries[i];
        INFO(e.key);
        CHECK(keys.insert(e.key).second);
        CHECK(!e.en.empty());
        CHECK(!e.vi.empty());
        CHECK(arguments_of(e.en) == arguments_of(e.vi));
        for (const auto& a : arguments_of(e.en)) {
            CHECK(!a.empty());  // named arguments only: translations reorder them
        }
        if (!e.en_one.empty()) {
            auto one = arguments_of(e.en_one);
            auto other = arguments_of(e.en);
            one.erase("n");
            other.erase("n");
            CHECK(one == other);
        }
        // No entry may be left untranslated by copying the English, except where the text is
        // the same in both (literals such as "null").
        if (e.en == e.vi) {
            CHECK((e.key == "json_kind_bool" || e.key == "json_kind_null"));
        }
        // Vietnamese is written with its diacritics: a text of several words with none is a
        // sign of a transliteration.
        const std::string_view vi = e.vi;
        const bool ascii_only = std::all_of(
            vi.begin(), vi.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
        if (ascii_only) {
            CHECK(std::count(vi.begin(), vi.end(), ' ') < 3);
        }
    }
}

TEST_CASE("i18n: messages format in the current language, with English plurals") {
    {
        const scoped_language en(language::en);
        CHECK(tr_n(msg::cli_count_errors, 1) == "1 error");
        CHECK(tr_n(msg::cli_count_errors, 2) == "2 errors");
        CHECK(tr_n(msg::cli_count_errors, 0) == "0 errors");
        CHECK(tr(msg::E215_duplicate_unit, fmt::arg("unit", "`Sở A`")) == "duplicate unit `Sở A`");
        CHECK(tr_n(msg::E206_row_width, 1, fmt::arg("columns", 3))
              == "this row has 1 cell but the header has 3 columns");
    }
    {
        const scoped_language vi(language::vi);
        CHECK(tr_n(msg::cli_count_errors, 1) == "1 lỗi");
        CHECK(tr_n(msg::cli_count_errors, 2) == "2 lỗi");
        CHECK(tr(msg::E215_duplicate_unit, fmt::arg("unit", "`Sở A`")) == "đơn vị `Sở A` bị trùng");
        // Vietnamese puts the arguments in its own order.
        CHECK(tr(msg::E224_other_here, fmt::arg("value", "`1.5`")) == "`1.5` ở đây");
    }
    CHECK(current_language() == language::en);  // scoped_language restored it
}

TEST_CASE("i18n: a template whose arguments are missing never throws") {
    const scoped_language en(language::en);
    const std::string s = tr(msg::E215_duplicate_unit);
    CHECK(s.find("duplicate unit {unit}") == 0);
    CHECK(s.find("message error") != std::string::npos);
}

TEST_CASE("i18n: --lang values") {
    CHECK(parse_language("vi") == language::vi);
    CHECK(parse_language("en") == language::en);
    CHECK_FALSE(parse_language("VI").has_value());
    CHECK_FALSE(parse_language("vi_VN").has_value());
    CHECK_FALSE(parse_language("").has_value());
}

TEST_CASE("i18n: the language of the locale (LC_ALL, then LC_MESSAGES, then LANG)") {
    // Unset or empty everywhere: English.
    CHECK(language_from_locale(nullptr, nullptr, nullptr) == language::en);
    CHECK(language_from_locale("", "", "") == language::en);
    // Vietnamese spellings.
    CHECK(language_from_locale(nullptr, nullptr, "vi") == language::vi);
    CHECK(language_from_locale(nullptr, nullptr, "vi_VN") == language::vi);
    CHECK(language_from_locale(nullptr, nullptr, "vi_VN.UTF-8") == language::vi);
    CHECK(language_from_locale(nullptr, nullptr, "vi_VN.utf8") == language::vi);
    CHECK(language_from_locale(nullptr, nullptr, "vi.UTF-8") == language::vi);
    CHECK(language_from_locale(nullptr, nullptr, "vi_VN@euro") == language::vi);
    // Anything else: English.
    CHECK(language_from_locale(nullptr, nullptr, "C") == language::en);
    CHECK(language_from_locale(nullptr, nullptr, "POSIX") == language::en);
    CHECK(language_from_locale(nullptr, nullptr, "C.UTF-8") == language::en);
    CHECK(language_from_locale(nullptr, nullptr, "en_US.UTF-8") == language::en);
    CHECK(language_from_locale(nullptr, nullptr, "fr_FR.UTF-8") == language::en);
    CHECK(language_from_locale(nullptr, nullptr, "video") == language::en);
    // Precedence: the first one set decides, even when it is not Vietnamese.
    CHECK(language_from_locale("C", nullptr, "vi_VN.UTF-8") == language::en);
    CHECK(language_from_locale("vi_VN.UTF-8", "en_US.UTF-8", "C") == language::vi);
    CHECK(language_from_locale(nullptr, "vi_VN.UTF-8", "en_US.UTF-8") == language::vi);
    CHECK(language_from_locale(nullptr, "C", "vi_VN.UTF-8") == language::en);
    CHECK(language_from_locale("", "vi_VN.UTF-8", "C") == language::vi);  // empty = unset
    CHECK(language_from_locale("", "", "vi_VN.UTF-8") == language::vi);
}

TEST_CASE("i18n: diagnostics render severities in the current language, JSON stays neutral") {
    auto file = std::make_shared<const source_file>("units.csv", "unit\nSở A\nSở A\n");
    diagnostics ds;
    auto& d = ds.error("E215", file, {12, 16}, "x");
    d.notes.push_back({file, {5, 9}, "y"});
    ds.warning("W201", nullptr, {}, "z");
    {
        const scoped_language vi(language::vi);
        const std::string text = render_text(ds);
        CHECK(text.find("units.csv:3:1: lỗi[E215]: x\n") != std::string::npos);
        CHECK(text.find("units.csv:2:1: ghi chú: y\n") != std::string::npos);
        CHECK(text.find("cảnh báo[W201]: z\n") != std::string::npos);
        const std::string json = render_json(ds);
        CHECK(json.find("\"severity\": \"error\"") != std::string::npos);
        CHECK(json.find("\"severity\": \"warning\"") != std::string::npos);
    }
    const std::string text = render_text(ds);
    CHECK(text.find("units.csv:3:1: error[E215]: x\n") != std::string::npos);
    CHECK(text.find("units.csv:2:1: note: y\n") != std::string::npos);
}

TEST_CASE("i18n: the decimal mark of numbers written for people", "[i18n][decimal]") {
    const scoped_language en(language::en);
    {
        const scoped_decimal_mark follow(std::nullopt);
        CHECK(current_decimal_mark() == decimal_mark::point);
        CHECK(decimal("94.63") == "94.63");
        CHECK(number_separator() == ", ");
        const scoped_language vi(language::vi);
        // Vietnamese: a comma, whatever sign, mark or percent surrounds the number.
        CHECK(current_decimal_mark() == decimal_mark::comma);
        CHECK(decimal("94.63") == "94,63");
        CHECK(decimal("≈-0.004") == "≈-0,004");
        CHECK(decimal("+1.50") == "+1,50");
        CHECK(decimal("≈90.9091%") == "≈90,9091%");
        CHECK(number_separator() == "; ");
        // Integers and fractions have no point to change.
        CHECK(decimal("1027") == "1027");
        CHECK(decimal("40/3") == "40/3");
    }
    {
        // --decimal overrides the language either way.
        const scoped_decimal_mark comma(decimal_mark::comma);
        CHECK(decimal("0.5") == "0,5");
        const scoped_language vi(language::vi);
        const scoped_decimal_mark point(decimal_mark::point);
        CHECK(decimal("0.5") == "0.5");
        CHECK(number_separator() == ", ");
    }
    CHECK(parse_decimal_mark("comma") == decimal_mark::comma);
    CHECK(parse_decimal_mark("point") == decimal_mark::point);
    CHECK_FALSE(parse_decimal_mark("dot"));
    CHECK_FALSE(parse_decimal_mark(","));
}
