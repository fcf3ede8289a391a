// "Did you mean": distances in characters, and names that differ only by diacritics.
#include "dsl/suggest.hpp"

#include <catch2/catch.hpp>

using thidua::closest_name;
using thidua::edit_distance;
using thidua::without_diacritics;

TEST_CASE("edit distance counts characters, not bytes") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "abc") == 0);
    CHECK(edit_distance("tasks_ontime", "tasks_on_time") == 1);
    CHECK(edit_distance("hồ_sơ_tre", "hồ_sơ_trễ") == 1);  // ễ is 3 bytes, 1 character
    CHECK(edit_distance("đ", "d") == 1);
    CHECK(edit_distance("\xff", "a") == 1);  // an invalid byte is one character
}

TEST_CASE("diacritics are removed, precomposed or decomposed") {
    CHECK(without_diacritics("hồ_sơ_trễ") == "ho_so_tre");
    CHECK(without_diacritics("Đảng") == "Dang");
    CHECK(without_diacritics("ho\xcc\x82\xcc\x80_so") == "ho_so");  // NFD ồ
    CHECK(without_diacritics("plain") == "plain");
    CHECK(without_diacritics("a\xff") == "a\xff");
}

TEST_CASE("the closest name: diacritics first, then edits") {
    const std::vector<std::string> names = {"hồ_sơ_trễ", "hồ_sơ_đúng_hạn", "tasks_on_time", "đảng"};
    CHECK(closest_name("ho_so_tre", names) == "hồ_sơ_trễ");
    CHECK(closest_name("hồ_sơ_tre", names) == "hồ_sơ_trễ");
    CHECK(closest_name("hồ_sơ_trễs", names) == "hồ_sơ_trễ");
    CHECK(closest_name("dang", names) == "đảng");
    CHECK(closest_name("tasks_ontime", names) == "tasks_on_time");
    CHECK(closest_name("completely_else", names).empty());
    CHECK(closest_name("hồ_sơ_trễ", names).empty());  // never the name itself
    // Equally close without diacritics: the one closer with them wins, then the smaller.
    CHECK(closest_name("tiến_độ", {"tien_do", "tiến_đo"}) == "tiến_đo");
    CHECK(closest_name("ab", {"ac", "ad"}) == "ac");
}

TEST_CASE("vietnamese_less is Vietnamese alphabetical order, total", "[suggest][collate]") {
    // In order: đ after d, ă and â after a, tones after the letters (none, huyền, hỏi, ngã,
    // sắc, nặng), lower case before upper, digits and spaces before letters.
    const std::vector<std::string> sorted = {
        "Sở 2", "Sở An", "Sở Ánh", "Sở Ăn", "Sở Ân", "Sở Bắc", "Sở D",    "Sở Đ",    "Sở E",
        "Sở Ê", "Sở O",  "Sở Ô",   "Sở Ơ",  "Sở U",  "Sở Ư",   "sở y tế", "Sở Y tế", "Sở Ytế",
        "ta",   "tà",    "tả",     "tã",    "tá",    "tạ",     "Tạ",
    };
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        for (std::size_t j = 0; j < sorted.size(); ++j) {
            INFO(sorted[i] << " vs " << sorted[j]);
            CHECK(thidua::vietnamese_less(sorted[i], sorted[j]) == (i < j));
            // The keys a large bloc's ranking sorts by give the same order.
            CHECK((thidua::vietnamese_sort_key(sorted[i]) < thidua::vietnamese_sort_key(sorted[j]))
                  == (i < j));
        }
    }
    // Decomposed input sorts as its composed form would, and equal text is never less.
    CHECK(thidua::vietnamese_less("Sở A\xcc\x81nh", "Sở Ă"));
    CHECK_FALSE(thidua::vietnamese_less("Sở An", "Sở An"));
}
