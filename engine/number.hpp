// Exact numbers for the scoring path.
//
// A `number` is an exact rational (numerator / denominator, always normalised: gcd 1, positive
// denominator). Arithmetic never rounds and never goes through binary floating point:
// 0.1 + 0.2 == 0.3, 40 / 3 * 3 == 40, 1.65 / 1.5 >= 1.1 all hold. Division by zero throws
// number_error{division_by_zero}. Rounding happens only through round(), with an explicit step
// and mode (the regulation's declared rounding).
//
// Two representations, one value set:
// - small: numerator and denominator in checked 128-bit integers, the numerator never INT128_MIN
//   (|numerator| <= INT128_MAX), so negation and abs() cannot overflow. Nearly every value is
//   small, and every fast path below works on this form only.
// - big: a value whose numerator or denominator needs more than 127 bits (a sum of many ratios
//   with unrelated denominators reaches that) is held in arbitrary precision (GMP, in
//   number_big.cpp). num_ holds its sign (+1 or -1) and den_ the negated address of its
//   magnitude, which is interned: one object per distinct magnitude, immutable and kept for the
//   rest of the process. So a value has exactly one representation (a value that fits is always
//   small), and equality, sign(), negation and abs() work on both forms unchanged, while the
//   fast paths' tests (den_ == 1, small_parts) reject a big value by themselves.
// A result whose numerator or denominator would need more than max_bits bits throws
// number_error{overflow}: exactness is never given up, and a runaway computation is stopped.
//
// Speed: the cases the scoring path meets most (integers, and operands whose parts fit in 64
// bits) are handled inline here or by 64-bit paths in number.cpp; full 128-bit gcd and checked
// 128-bit products are used only when the operands are large.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace thidua {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

class number_error : public std::runtime_error {
  public:
    enum class kind { overflow, division_by_zero };
    /// `operation` is the computation that failed, in numbers (`12 / 0`, `1e30 * 1e30`), without
    /// words, so messages in either language can quote it; `what()` is the English sentence.
    number_error(kind k, const std::string& what, std::string operation = {})
        : std::runtime_error(what), kind_(k), operation_(std::move(operation)) {}
    [[nodiscard]] kind which() const { return kind_; }
    [[nodiscard]] const std::string& operation() const { return operation_; }

  private:
    kind kind_;
    std::string operation_;
};

enum class rounding_mode { half_up, half_even, down, up };

class number {
  public:
    constexpr number() = default;
    constexpr number(std::int64_t integer) : num_(integer) {}  // NOLINT: implicit by design

    /// Parses a decimal literal: optional '-', digits, optional '.' and digits ("12", "0.25",
    /// "-3.5"). Returns nullopt when malformed or when the value does not fit (e.g. 1,000 digits).
    /// Leading zeros ("007") and "-0" are accepted; "+1", "1.", ".5", "1e3", " 1" are not.
    static std::optional<number> parse(std::string_view text);
    /// num / den, normalised. Throws number_error on den == 0 or overflow.
    static number ratio(i128 num, i128 den);

    /// The largest number of bits a big value's numerator or denominator may have (about 4,900
    /// decimal digits). Reaching it throws number_error{overflow}.
    static constexpr unsigned max_bits = 16384;
    /// max_bits in decimal digits, for messages (16384 x log10(2), rounded down).
    static constexpr unsigned max_digits = max_bits * 30103U / 100000U;

    /// True when the value is held in arbitrary precision (it does not fit in 128 bits); then
    /// numerator() and denominator() must not be called.
    [[nodiscard]] bool is_big() const { return den_ < 0; }
    /// The two words a number is made of, for compact storage (a trace): a small value's
    /// numerator and denominator, or a big value's sign and the (negative) handle of its interned
    /// magnitude, which stays valid for the process. from_raw(raw()) is the same number; from_raw
    /// of any other pair is undefined.
    [[nodiscard]] std::pair<i128, i128> raw() const { return {num_, den_}; }
    static number from_raw(i128 num, i128 den) { return {num, den}; }
    /// The parts of a value that is not big (see is_big()).
    [[nodiscard]] i128 numerator() const { return num_; }
    [[nodiscard]] i128 denominator() const { return den_; }
    [[nodiscard]] bool is_integer() const { return den_ == 1 || (den_ < 0 && big_is_integer()); }
    [[nodiscard]] bool is_zero() const { return num_ == 0; }
    [[nodiscard]] int sign() const { return num_ < 0 ? -1 : (num_ > 0 ? 1 : 0); }

    // The integer-only cases are inline: a checked 128-bit add or multiply and nothing else.
    friend number operator+(const number& a, const number& b) {
        i128 r = 0;
        if (a.den_ == 1 && b.den_ == 1 && !__builtin_add_overflow(a.num_, b.num_, &r)
            && r != min_i128) {
            return number(r, 1);
        }
        return add(a, b, '+');
    }
    friend number operator-(const number& a, const number& b) {
        i128 r = 0;
        if (a.den_ == 1 && b.den_ == 1 && !__builtin_sub_overflow(a.num_, b.num_, &r)
            && r != min_i128) {
            return number(r, 1);
        }
        return add(a, -b, '-');
    }
    friend number operator*(const number& a, const number& b) {
        i128 r = 0;
        if (a.den_ == 1 && b.den_ == 1 && !__builtin_mul_overflow(a.num_, b.num_, &r)
            && r != min_i128) {
            return number(r, 1);
        }
        return multiply(a, b);
    }
    friend number operator/(const number& a, const number& b);  // throws on b == 0
    number operator-() const { return number(-num_, den_); }    // safe: num_ != INT128_MIN
    number& operator+=(const number& b) { return *this = *this + b; }
    number& operator-=(const number& b) { return *this = *this - b; }
    number& operator*=(const number& b) { return *this = *this * b; }
    number& operator/=(const number& b) { return *this = *this / b; }

    /// Exact: a big value is never equal to a small one, and equal big values share their
    /// interned magnitude.
    friend bool operator==(const number& a, const number& b) = default;
    /// Never throws: equal denominators compare numerators, small operands cross-multiply in
    /// 128 bits, and large ones fall back to comparing continued fractions.
    [[gnu::always_inline]] friend std::strong_ordering operator<=>(const number& a,
                                                                   const number& b) {
        if (a.den_ == b.den_) {
            return a.num_ <=> b.num_;
        }
        if (small_parts(a, b)) {
            // 64 x 64-bit cross products (one multiply instruction each) are exact in 128 bits.
            return static_cast<i128>(static_cast<std::int64_t>(a.num_))
                       * static_cast<std::int64_t>(b.den_)
                   <=> static_cast<i128>(static_cast<std::int64_t>(b.num_))
                           * static_cast<std::int64_t>(a.den_);
        }
        return compare(a, b);
    }

    [[nodiscard]] number floor() const;
    [[nodiscard]] number ceil() const;
    [[nodiscard]] number abs() const { return num_ < 0 ? -*this : *this; }
    /// Rounds to a multiple of `step` with the given mode. Every mode is symmetric around zero
    /// (it works on the magnitude and puts the sign back): round(-x) == -round(x).
    ///   half_up   ties away from zero (by hand): 2.345 -> 2.35, -2.345 -> -2.35
    ///   half_even ties to the even multiple:     2.345 -> 2.34, 2.355 -> 2.36, -2.345 -> -2.34
    ///   down      toward zero (truncate):        2.349 -> 2.34, -2.349 -> -2.34
    ///   up        away from zero:                2.341 -> 2.35, -2.341 -> -2.35
    /// (steps of 0.01 shown). Use floor()/ceil() for rounding toward -inf/+inf. Only |step|
    /// matters (the multiples of -s are those of s); step == 0 throws division_by_zero, and a
    /// result that does not fit throws overflow.
    [[nodiscard]] number round(const number& step, rounding_mode mode) const;

    /// Exact decimal text when the value has a finite decimal expansion ("0.3", "96.4", "-2");
    /// otherwise the fraction "40/3" ("-40/3").
    [[nodiscard]] std::string exact_string() const;
    /// Text with exactly `places` decimals, rounded half up (away from zero) for display only
    /// ("96.40", "13.33", "-0.50"). A value that shows as zero has no sign ("0.00").
    [[nodiscard]] std::string to_string(unsigned places) const;
    /// Text with as many decimals as needed up to `max_places` (trailing zeros dropped, at least
    /// `min_places`; min above max counts as max), prefixed with "≈" when the value was not
    /// exact at that precision ("96.4", "≈13.33").
    [[nodiscard]] std::string display(unsigned min_places, unsigned max_places) const;
    /// Two values shown side by side with `places` decimals, or, when they differ but look alike
    /// there, with as many more (up to twelve) as it takes to tell them apart: ("36.00",
    /// "35.50"), ("≈35.9964", "≈35.9958"), (difference vs 0) ("≈0.00003", "0.00"). A comparison
    /// must not read as equal when it is not. With `same_decimals`, both keep the decimals the
    /// extra ones reached ("93.920" and "93.919", not "≈93.92" and "≈93.919").
    [[nodiscard]] static std::pair<std::string, std::string> display_apart(
        const number& a, const number& b, unsigned places, bool same_decimals = false);
    /// Nearest double, for spreadsheets and charts only (never on the scoring path).
    [[nodiscard]] double to_double() const;
    /// exact_string(), shortened when it is long: a big value's digits are cut in the middle
    /// ("123456…789012 (4,931 digits)"), for messages.
    [[nodiscard]] std::string brief_string() const;

  private:
    static constexpr i128 min_i128 = static_cast<i128>(static_cast<u128>(1) << 127);

    // Both operands' parts are within [-2^63, 2^63) (denominators are positive): every product
    // of two parts is at most 2^126 in magnitude. Tested on 64-bit halves: a numerator fits when
    // its high half is the sign of its low half, a denominator when its high half and the top
    // bit of its low half are zero.
    static constexpr bool small_parts(const number& a, const number& b) {
        const auto high = [](i128 v) {
            return static_cast<std::uint64_t>(static_cast<u128>(v) >> 64);
        };
        const auto sign_of_low = [](i128 v) {
            return static_cast<std::uint64_t>(static_cast<std::int64_t>(v) >> 63);
        };
        return ((high(a.num_) ^ sign_of_low(a.num_)) | (high(b.num_) ^ sign_of_low(b.num_))
                | high(a.den_) | high(b.den_)
                | ((static_cast<std::uint64_t>(a.den_) | static_cast<std::uint64_t>(b.den_)) >> 63))
               == 0;
    }

    // Already normalised parts; callers guarantee the invariants.
    constexpr number(i128 num, i128 den) : num_(num), den_(den) {}

    // The general (non-integer or overflowing) cases, in number.cpp. `op` names the operator
    // for the overflow message; for '-' the second operand arrives negated.
    static number add(const number& a, const number& b, char op);
    static number add_wide(const number& a, const number& b, char op);
    // a/ub + c/ud for parts within [-2^63, 2^63) and ub, ud > 1 (add handles an integer
    // operand itself, with a light frame); out of line because it calls the gcd.
    static number add64(std::int64_t a, std::uint64_t ub, std::int64_t c, std::uint64_t ud);
    static number multiply(const number& a, const number& b);
    // negative * (an / ad) * (bn / bd) for parts of at most 2^63 (an, bn > 0): the products of
    // the cancelled parts are at most 2^126, so nothing can overflow.
    static number product64(bool negative, std::uint64_t an, std::uint64_t ad, std::uint64_t bn,
                            std::uint64_t bd);
    static std::strong_ordering compare(const number& a, const number& b);
    // The slow paths, out of line so that the fast paths' callers keep a light frame (no
    // saved registers or spills for code that rarely runs).
    static std::strong_ordering compare_wide(const number& a, const number& b);
    static number multiply_wide(const number& a, const number& b);
    static number divide_wide(const number& a, const number& b);
    // negative * (an / ad) * (bn / bd) for magnitudes with positive denominators; big when the
    // product does not fit.
    static number multiply_parts(bool negative, u128 an, u128 ad, u128 bn, u128 bd);
    // Whether rounding |x| to a multiple of a step goes one step further than the whole steps
    // in it: `exact` when nothing remains, `rem_to_rest` the remainder against the rest of the
    // step (equal: exactly half), `whole_odd` the parity of the whole steps (for half_even).
    static bool rounds_away(rounding_mode mode, bool exact, std::strong_ordering rem_to_rest,
                            bool whole_odd);
    // Renders |value| with `places` decimals, half up; `exact` says whether nothing was cut.
    std::string render(unsigned places, bool& exact) const;

    // The arbitrary-precision paths (number_big.cpp), taken when an operand is big or a 128-bit
    // result would not fit. Each throws number_error{overflow} past max_bits.
    friend struct big_access;
    static number big_add(const number& a, const number& b, char op);  // b already negated for '-'
    static number big_multiply(const number& a, const number& b, char op);  // '*' or '/'
    static number big_product(bool negative, u128 an, u128 ad, u128 bn, u128 bd);
    static std::strong_ordering big_compare(const number& a, const number& b);
    [[nodiscard]] bool big_is_integer() const;
    [[nodiscard]] number big_floor(bool ceiling) const;
    [[nodiscard]] number big_round(const number& step, rounding_mode mode) const;
    [[nodiscard]] std::string big_render(unsigned places, bool& exact) const;
    [[nodiscard]] std::string big_exact_string() const;
    [[nodiscard]] double big_to_double() const;

    i128 num_ = 0;
    i128 den_ = 1;
};

}  // namespace thidua
