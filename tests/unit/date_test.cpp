#include <catch2/catch.hpp>
#include <string>

#include "engine/value.hpp"

using namespace thidua;

TEST_CASE("valid() knows real calendar days") {
    auto [y, m, d, ok] =
        GENERATE(
            table<int, int, int, bool>({
                {2000, 2, 29, true},   // divisible by 400
                {1900, 2, 29, false},  // century, not by 400
                {2100, 2, 29, false},  {2400, 2, 29, true},  {2024, 2, 29, true},
                {2023, 2, 29, false},  {2023, 2, 28, true},  {2023, 4, 30, true},
                {2023, 4, 31, false},  {2023, 6, 31, false}, {2023, 9, 31, false},
                {2023, 11, 31, false}, {2023, 1, 31, true},  {2023, 12, 31, true},
                {2023, 1, 32, false},  {2023, 13, 1, false}, {2023, 0, 1, false},
                {2023, 1, 0, false},   {2023, -1, 1, false}, {2023, 1, -1, false},
                {0, 2, 29, true},  // proleptic Gregorian: year 0 is divisible by 400
            }));
    INFO(y << '-' << m << '-' << d);
    CHECK(date::valid(y, m, d) == ok);
}

TEST_CASE("serial() counts days since 1970-01-01") {
    auto [y, m, d, serial] = GENERATE(table<int, int, int, std::int64_t>({
        {1970, 1, 1, 0},
        {1970, 1, 2, 1},
        {1969, 12, 31, -1},
        {2000, 1, 1, 10957},
        {2000, 2, 29, 11016},
        {2000, 3, 1, 11017},
        {1900, 3, 1, -25508},
        {2018, 12, 20, 17885},
        {2038, 1, 19, 24855},
        {1, 1, 1, -719162},
        {9999, 12, 31, 2932896},
    }));
    const date x{y, m, d};
    INFO(x.iso());
    CHECK(x.serial() == serial);
    CHECK(date::from_serial(serial) == x);
}

TEST_CASE("walking the calendar day by day agrees with serial() and valid()") {
    // An independent walk: next day by valid() alone, from 1599-12-31 to 2401-01-01.
    date x{1599, 12, 31};
    std::int64_t serial = x.serial();
    std::int64_t days = 0;
    while (x.year <= 2400) {
        date next{x.year, x.month, x.day + 1};
        if (!date::valid(next.year, next.month, next.day)) {
            next = {x.year, x.month + 1, 1};
        }
        if (!date::valid(next.year, next.month, next.day)) {
            next = {x.year + 1, 1, 1};
        }
        REQUIRE(next > x);
        ++serial;
        ++days;
        REQUIRE(next.serial() == serial);
        REQUIRE(date::from_serial(serial) == next);
        x = next;
    }
    // 1600-01-01 .. 2400-12-31 is 801 years, 195 of them leap, plus the first step from 1599.
    CHECK(days == 801 * 365 + 195 + 1);
}

TEST_CASE("iso() is zero-padded YYYY-MM-DD and parse_iso reads it back") {
    auto [y, m, d, text] = GENERATE(table<int, int, int, std::string>({
        {2018, 12, 20, "2018-12-20"},
        {2019, 1, 5, "2019-01-05"},
        {5, 1, 2, "0005-01-02"},
        {2000, 2, 29, "2000-02-29"},
    }));
    const date x{y, m, d};
    CHECK(x.iso() == text);
    const auto back = date::parse_iso(text);
    REQUIRE(back.has_value());
    CHECK(*back == x);
}

TEST_CASE("parse_iso rejects other shapes and impossible days") {
    auto text =
        GENERATE(as<std::string>{}, "", "2018-1-20", "2018/12/20", "18-12-20", "2018-12-20x",
                 " 2018-12-20", "2018-13-01", "2018-00-10", "2018-12-00", "2018-12-32",
                 "1900-02-29", "2023-04-31", "2018-12-2a", "+018-12-20", "20181220", "2018-12--1");
    INFO(text);
    CHECK_FALSE(date::parse_iso(text).has_value());
}

TEST_CASE("dates order by calendar") {
    CHECK(date{2018, 12, 20} < date{2018, 12, 25});
    CHECK(date{2018, 12, 31} < date{2019, 1, 1});
    CHECK(date{2018, 2, 1} > date{2018, 1, 31});
    CHECK(date{2018, 12, 20} == date{2018, 12, 20});
}
