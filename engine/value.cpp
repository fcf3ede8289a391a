#include "engine/value.hpp"

#include <fmt/format.h>

namespace thidua {
namespace {

bool is_leap(std::int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(std::int64_t y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

}  // namespace

// Howard Hinnant's days_from_civil: counts in 400-year eras starting on 1 March, so the leap day
// is the last day of its "year" and the month lengths follow a simple linear formula.
std::int64_t date::serial() const {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;                          // [0, 399]
    const std::int64_t mp = (month + 9) % 12;                        // March = 0
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;           // [0, 365]
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
    return era * 146097 + doe - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

date date::from_serial(std::int64_t days) {
    // civil_from_days, the inverse of serial().
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
    const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

bool date::valid(int y, int m, int d) {
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<date> date::parse_iso(std::string_view text) {
    // Exactly YYYY-MM-DD: the form regulations and submitted data use.
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    int parts[3] = {0, 0, 0};
    const std::size_t begins[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (int k = 0; k < 3; ++k) {
        for (std::size_t i = begins[k]; i < begins[k] + lengths[k]; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return std::nullopt;
            }
            parts[k] = parts[k] * 10 + (text[i] - '0');
        }
    }
    if (!valid(parts[0], parts[1], parts[2])) {
        return std::nullopt;
    }
    return date{parts[0], parts[1], parts[2]};
}

std::string date::iso() const {
    return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

}  // namespace thidua
