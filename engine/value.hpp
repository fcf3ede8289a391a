// Runtime values: what units submit and what expressions compute.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/number.hpp"

namespace thidua {

/// A calendar date (proleptic Gregorian).
struct date {
    int year = 1970;
    int month = 1;
    int day = 1;

    /// Days since 1970-01-01 (negative before). Meaningful only for a valid date.
    [[nodiscard]] std::int64_t serial() const;
    /// The date `days` after 1970-01-01 (inverse of serial(); years must fit in an int).
    [[nodiscard]] static date from_serial(std::int64_t days);
    /// True for a real calendar day: month 1-12, day within the month, 29 February only in leap
    /// years (divisible by 4, except centuries not divisible by 400: 1900 no, 2000 yes).
    [[nodiscard]] static bool valid(int y, int m, int d);
    /// Parses exactly "YYYY-MM-DD" (four-digit year, zero-padded) of a valid day; else nullopt.
    [[nodiscard]] static std::optional<date> parse_iso(std::string_view text);
    [[nodiscard]] std::string iso() const;  // "2018-12-20", zero-padded
    friend bool operator==(const date&, const date&) = default;
    friend auto operator<=>(const date&, const date&) = default;
};

/// A member of an enum, by its index in the declaration (0 = first = highest when ordered).
struct enum_value {
    std::uint32_t index = 0;
    friend bool operator==(const enum_value&, const enum_value&) = default;
};

struct value;
/// One element of a list input: field values in the order the schema declares them.
using record = std::vector<value>;
using list_value = std::shared_ptr<const std::vector<record>>;

/// monostate = absent (an optional field with no value), distinct from false and 0.
struct value {
    std::variant<std::monostate, bool, number, std::string, date, enum_value, list_value> v;

    [[nodiscard]] bool absent() const { return std::holds_alternative<std::monostate>(v); }
};

}  // namespace thidua
