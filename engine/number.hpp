// Exact numbers for the scoring path.
//
// A `number` is an exact rational (numerator / denominator, always normalised: gcd 1, positive
// denominator) held in checked 128-bit integers. Arithmetic never rounds and never goes through
// binary floating point: 0.1 + 0.2 == 0.3, 40 / 3 * 3 == 40, 1.65 / 1.5 >= 1.1 all hold. An
// intermediate result that does not fit throws number_error{overflow}; division by zero throws
// number_error{division_by_zero}. Rounding happens only through round(), with an explicit step
// and mode (the regulation's declared rounding).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace thidua {

__extension__ typedef __int128 i128;

class number_error : public std::runtime_error {
  public:
    enum class kind { overflow, division_by_zero };
    number_error(kind k, const std::string& what) : std::runtime_error(what), kind_(k) {}
    [[nodiscard]] kind which() const { return kind_; }

  private:
    kind kind_;
};

enum class rounding_mode { half_up, half_even, down, up };

class number {
  public:
    constexpr number() = default;
    constexpr number(std::int64_t integer) : num_(integer) {}  // NOLINT: implicit by design

    /// Parses a decimal literal: optional '-', digits, optional '.' and digits ("12", "0.25",
    /// "-3.5"). Returns nullopt when malformed or when the value does not fit (e.g. 1,000 digits).
    static std::optional<number> parse(std::string_view text);
    /// num / den, normalised. Throws number_error on den == 0 or overflow.
    static number ratio(i128 num, i128 den);

    [[nodiscard]] i128 numerator() const { return num_; }
    [[nodiscard]] i128 denominator() const { return den_; }
    [[nodiscard]] bool is_integer() const { return den_ == 1; }
    [[nodiscard]] bool is_zero() const { return num_ == 0; }
    [[nodiscard]] int sign() const { return num_ < 0 ? -1 : (num_ > 0 ? 1 : 0); }

    friend number operator+(const number& a, const number& b);
    friend number operator-(const number& a, const number& b);
    friend number operator*(const number& a, const number& b);
    friend number operator/(const number& a, const number& b);  // throws on b == 0
    number operator-() const;
    number& operator+=(const number& b) { return *this = *this + b; }
    number& operator-=(const number& b) { return *this = *this - b; }

    friend bool operator==(const number& a, const number& b) = default;
    friend std::strong_ordering operator<=>(const number& a, const number& b);

    [[nodiscard]] number floor() const;
    [[nodiscard]] number ceil() const;
    [[nodiscard]] number abs() const;
    /// Rounds to a multiple of `step` (> 0) with the given mode: half_up rounds ties away from
    /// zero, half_even to the even multiple, down toward zero, up away from zero.
    [[nodiscard]] number round(const number& step, rounding_mode mode) const;

    /// Exact decimal text when the value has a finite decimal expansion ("0.3", "96.4", "-2");
    /// otherwise the fraction "40/3".
    [[nodiscard]] std::string exact_string() const;
    /// Text with exactly `places` decimals, rounded half up for display only ("96.40", "13.33").
    [[nodiscard]] std::string to_string(unsigned places) const;
    /// Text with as many decimals as needed up to `max_places` (trailing zeros dropped, at least
    /// `min_places`), prefixed with "≈" when the value was not exact at that precision.
    [[nodiscard]] std::string display(unsigned min_places, unsigned max_places) const;
    /// Nearest double, for spreadsheets and charts only (never on the scoring path).
    [[nodiscard]] double to_double() const;

  private:
    i128 num_ = 0;
    i128 den_ = 1;
};

}  // namespace thidua
