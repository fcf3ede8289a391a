// The 64-bit fast paths of `number` (number.cpp): products and quotients of operands whose parts
// all lie within [-2^63, 2^63) (cross-cancelled with two 64-bit gcds, no overflow check), their
// comparisons by two 64 x 64-bit cross products, and the inline trivial gcds. Every result is
// checked against a reference written out below that shares nothing with number.cpp: the
// unreduced products in sign and 128-bit magnitude, reduced with Euclid's algorithm on the
// library's 128-bit remainder. The operands sit on the boundaries where a value leaves the fast
// path (parts of 2^63 - 1, 2^63, 2^64, negative -2^63 which fits while +2^63 does not), plus
// random ones of every size and the workload's decimals and ratios. A result beyond 128 bits must
// be the exact value held big: it is checked against GMP's rational of the operands.
#include <catch2/catch.hpp>
#include <compare>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/number.hpp"
#include "number_reference.hpp"

using namespace thidua;
using namespace thidua::number_reference;

namespace {

constexpr u128 max_mag = ~static_cast<u128>(0) >> 1;  // INT128_MAX

std::string text(const number& x) {
    return number_reference::text(x.numerator()) + "/" + number_reference::text(x.denominator());
}

// A rational with a 128-bit magnitude and a sign: the unreduced results before normalising.
struct wide_ratio {
    bool negative = false;
    u128 num = 0;
    u128 den = 1;
    bool terms_fit = true;  // for sums: both cross products are at most INT128_MAX
};

// The normalised number for r, or nullopt when its reduced parts do not fit a `number`.
std::optional<number> reduce(const wide_ratio& r) {
    if (r.num == 0) {
        return number();
    }
    const u128 g = euclid(r.num, r.den);
    const u128 n = r.num / g;
    const u128 d = r.den / g;
    if (n > max_mag || d > max_mag) {
        return std::nullopt;
    }
    // ratio() of already coprime parts only moves the sign: its own gcd is 1 here.
    const auto sn = static_cast<i128>(n);
    return number::ratio(r.negative ? -sn : sn, static_cast<i128>(d));
}

// x * y (or x / y) unreduced; false when a product does not fit 128 unsigned bits.
bool unreduced_product(const number& x, const number& y, bool divide, wide_ratio& out) {
    const u128 yn = divide ? static_cast<u128>(y.denominator()) : mag(y.numerator());
    const u128 yd = divide ? mag(y.numerator()) : static_cast<u128>(y.denominator());
    out.negative = (x.numerator() < 0) != (y.numerator() < 0);
    return !__builtin_mul_overflow(mag(x.numerator()), yn, &out.num)
           && !__builtin_mul_overflow(static_cast<u128>(x.denominator()), yd, &out.den);
}

// x + y unreduced: (xn yd + yn xd) / (xd yd).
bool unreduced_sum(const number& x, const number& y, wide_ratio& out) {
    u128 p1 = 0;
    u128 p2 = 0;
    if (__builtin_mul_overflow(mag(x.numerator()), static_cast<u128>(y.denominator()), &p1)
        || __builtin_mul_overflow(mag(y.numerator()), static_cast<u128>(x.denominator()), &p2)
        || __builtin_mul_overflow(static_cast<u128>(x.denominator()),
                                  static_cast<u128>(y.denominator()), &out.den)) {
        return false;
    }
    out.terms_fit = p1 <= max_mag && p2 <= max_mag;
    const bool n1 = x.numerator() < 0;
    const bool n2 = y.numerator() < 0;
    if (n1 == n2) {
        out.negative = n1;
        return !__builtin_add_overflow(p1, p2, &out.num);
    }
    out.negative = p1 >= p2 ? n1 : n2;
    out.num = p1 >= p2 ? p1 - p2 : p2 - p1;
    return true;
}

bool fits64(i128 v) {
    return v >= INT64_MIN && v <= INT64_MAX;
}

// Both operands on the 64-bit paths: every part within [-2^63, 2^63).
bool fast(const number& x, const number& y) {
    return fits64(x.numerator()) && fits64(x.denominator()) && fits64(y.numerator())
           && fits64(y.denominator());
}

void check_product(const number& x, const number& y, bool divide) {
    INFO(text(x) << (divide ? " / " : " * ") << text(y));
    if (divide && y.is_zero()) {
        CHECK_THROWS_AS(x / y, number_error);
        return;
    }
    number got;
    REQUIRE_NOTHROW(got = divide ? x / y : x * y);
    const mpq_class want =
        divide ? mpq_class(to_mpq(x) / to_mpq(y)) : mpq_class(to_mpq(x) * to_mpq(y));
    CHECK(same(got, want));
    wide_ratio r;
    if (!unreduced_product(x, y, divide, r)) {
        REQUIRE_FALSE(fast(x, y));  // 64-bit parts never get here
        return;
    }
    const std::optional<number> expected = reduce(r);
    if (!expected) {
        REQUIRE_FALSE(fast(x, y));
        CHECK(got.is_big());
        return;
    }
    CHECK(got.numerator() == expected->numerator());
    CHECK(got.denominator() == expected->denominator());
}

void check_sum(const number& x, const number& y) {
    INFO(text(x) << " + " << text(y));
    number got;
    REQUIRE_NOTHROW(got = x + y);
    CHECK(same(got, to_mpq(x) + to_mpq(y)));
    CHECK(x - (-y) == got);
    wide_ratio r;
    if (!unreduced_sum(x, y, r)) {
        REQUIRE_FALSE(fast(x, y));
        return;
    }
    const std::optional<number> expected = reduce(r);
    if (fast(x, y)) {
        // Parts below 2^63: every intermediate is below 2^127.
        CHECK((r.terms_fit && r.num <= max_mag && r.den <= max_mag));
    }
    if (!expected) {
        CHECK(got.is_big());
        return;
    }
    CHECK(got.numerator() == expected->numerator());
    CHECK(got.denominator() == expected->denominator());
}

void check_compare(const number& x, const number& y) {
    INFO(text(x) << " <=> " << text(y));
    const std::strong_ordering got = x <=> y;
    // Cross products in sign and magnitude; when they do not fit 128 bits, compare with the
    // sign of the difference instead (when that fits).
    u128 l = 0;
    u128 r = 0;
    if (!__builtin_mul_overflow(mag(x.numerator()), static_cast<u128>(y.denominator()), &l)
        && !__builtin_mul_overflow(mag(y.numerator()), static_cast<u128>(x.denominator()), &r)) {
        const int sx = x.sign();
        const int sy = y.sign();
        std::strong_ordering expected = sx <=> sy;
        if (sx == sy && sx != 0) {
            expected = sx > 0 ? l <=> r : r <=> l;
        }
        CHECK(got == expected);
    } else {
        REQUIRE_FALSE(fast(x, y));
        CHECK(got == (cmp(to_mpq(x), to_mpq(y)) <=> 0));
    }
    CHECK((x == y) == (got == std::strong_ordering::equal));
    CHECK((y <=> x) == (0 <=> got));
}

void check_all(const number& x, const number& y) {
    check_product(x, y, false);
    check_product(x, y, true);
    check_sum(x, y);
    check_compare(x, y);
}

constexpr i128 p63 = static_cast<i128>(1) << 63;
constexpr i128 p64 = static_cast<i128>(1) << 64;

}  // namespace

TEST_CASE("64-bit fast paths agree with the reference on boundary operands", "[number]") {
    // clang-format off
    const i128 nums[] = {0, 1, -1, 2, -3, 10, 12345, -98765, static_cast<i128>(3) << 40,
                         -(static_cast<i128>(1) << 62), (static_cast<i128>(1) << 31) - 1,
                         -(static_cast<i128>(1) << 32) - 1, (static_cast<i128>(1) << 62) + 1,
                         p63 - 1, -(p63 - 1), -p63, p63, p63 + 1, -p63 - 1, p64 - 1, p64,
                         -p64 + 1, (static_cast<i128>(1) << 100) + 1,
                         static_cast<i128>(max_mag), -static_cast<i128>(max_mag)};
    const i128 dens[] = {1, 2, 3, 4, 20, 100, static_cast<i128>(1) << 31,
                         (static_cast<i128>(1) << 32) - 1, static_cast<i128>(1) << 32,
                         static_cast<i128>(1) << 62, p63 - 1, p63,
                         p63 + 1, p64 + 1, (static_cast<i128>(1) << 120) - 1};
    // clang-format on
    std::vector<number> operands;
    for (const i128 n : nums) {
        for (const i128 d : dens) {
            operands.push_back(number::ratio(n, d));
        }
    }
    int fast_pairs = 0;
    for (const number& x : operands) {
        for (const number& y : operands) {
            check_all(x, y);
            fast_pairs += fast(x, y) ? 1 : 0;
        }
    }
    CHECK(fast_pairs > 10000);  // the boundary set really exercises the fast paths
}

TEST_CASE("64-bit fast paths: exact rows", "[number]") {
    struct row {
        number a;
        char op;
        number b;
        i128 rn;
        i128 rd;
    };
    const number m63 = number::ratio(-p63, 1);  // fits: the fast path's most negative part
    const number big = number::ratio(p63 - 1, 1);
    const row rows[] = {
        {number::ratio(61725, 100), '/', number::ratio(12325, 100), 2469, 493},  // 617.25 / 123.25
        {number::ratio(-3, 7), '*', number::ratio(14, 9), -2, 3},
        {m63, '*', m63, static_cast<i128>(1) << 126, 1},  // 2^126 exactly
        {m63, '/', number::ratio(1, p63 - 1), -(p63 * (p63 - 1)), 1},
        {number(1), '/', m63, -1, p63},  // den becomes 2^63
        {m63, '/', m63, 1, 1},
        {big, '*', number::ratio(1, p63 - 1), 1, 1},
        {number::ratio(p63 - 1, p63 - 2), '*', number::ratio(p63 - 2, p63 - 1), 1, 1},
        {number::ratio(3, 1), '*', number::ratio(7, 600), 7, 200},
        {number::ratio(10, 1), '*', number::ratio(-29, 1000), -29, 100},
        {number::ratio(0, 1), '/', number::ratio(-5, 3), 0, 1},
        {number::ratio(-5, 3), '*', number::ratio(0, 1), 0, 1},
    };
    for (const row& r : rows) {
        INFO(text(r.a) << ' ' << r.op << ' ' << text(r.b));
        const number got = r.op == '*' ? r.a * r.b : r.a / r.b;
        CHECK(got.numerator() == r.rn);
        CHECK(got.denominator() == r.rd);
    }
    // Comparisons at the boundary of the cross products.
    CHECK(m63 < big);
    CHECK(number::ratio(p63 - 1, p63 - 2) < number::ratio(p63 - 2, p63 - 3));  // 1 + 1/(n-1)
    CHECK(number::ratio(-(p63 - 1), p63 - 2) > number::ratio(-(p63 - 2), p63 - 3));
    CHECK(number::ratio(1, p63 - 1) > number::ratio(1, p63));
    CHECK(number::ratio(1, p63) > 0);
    CHECK(number::ratio(-1, p63 - 1) < 0);
    CHECK(number::ratio(12345, 20) == number::ratio(61725, 100));
    CHECK(number::ratio(3, 4) <= number::ratio(6, 8));
}

TEST_CASE("64-bit fast paths agree with the reference on random operands", "[number]") {
    std::mt19937_64 rng(424242);
    const auto draw = [&rng](int bits) {  // uniform below 2^bits, bits <= 64
        return bits == 64 ? static_cast<i128>(rng()) : static_cast<i128>(rng() >> (64 - bits));
    };
    const int sizes[] = {1, 3, 7, 12, 20, 23, 31, 32, 33, 45, 62, 63, 64};
    const auto operand = [&]() {
        const i128 n = draw(sizes[rng() % 13]) * ((rng() & 1) ? -1 : 1);
        const i128 d = 1 + draw(sizes[rng() % 13]);
        // A shared small factor now and then, so cancellations happen.
        const i128 k = (rng() % 3 == 0) ? static_cast<i128>(rng() % 12 + 2) : 1;
        const i128 kn = mag(n) <= max_mag / static_cast<u128>(k) ? n * k : n;
        const i128 kd = mag(d) <= max_mag / static_cast<u128>(k) ? d * k : d;
        return number::ratio(kn, kd);
    };
    for (int i = 0; i < 30000; ++i) {
        check_all(operand(), operand());
    }
}

TEST_CASE("64-bit fast paths on the workload's decimals and ratios", "[number]") {
    // Two-decimal inputs (denominators dividing 100), their quotients, 3 * min(ratio, 1),
    // (ratio - 1) * 10, and sums of those: the shapes the bench regulation computes.
    std::mt19937_64 rng(7);
    number sum;
    for (int i = 0; i < 20000; ++i) {
        const auto target = static_cast<std::int64_t>(50 + rng() % 451) * 100
                            + static_cast<std::int64_t>(rng() % 4) * 25;
        const auto actual = (target * static_cast<std::int64_t>(700 + rng() % 601) + 500) / 1000;
        const number t = number::ratio(target, 100);
        const number a = number::ratio(actual, 100);
        check_all(a, t);
        const number ratio = a / t;
        check_all(number(3), std::min(ratio, number(1)));
        check_all(ratio, number(1));
        check_all(ratio - 1, number(10));
        check_all(sum, number(3) * std::min(ratio, number(1)));
        sum = i % 10 == 0 ? number() : sum + number(3) * std::min(ratio, number(1));
    }
}

TEST_CASE("64-bit sums with an integer operand agree with the reference", "[number]") {
    // An integer operand takes the short path of the sum (no gcd: a*d + c over d); the other
    // operand's parts run up to the fast path's limits, with both signs, on either side.
    std::mt19937_64 rng(99);
    const auto part = [&rng]() {  // within [-2^63, 2^63), of every size
        return static_cast<i128>(static_cast<std::int64_t>(rng()) >> (rng() % 64));
    };
    const i128 edges[] = {0, 1, -1, p63 - 1, -p63, -(p63 - 1), (static_cast<i128>(1) << 32) - 1};
    for (int i = 0; i < 20000; ++i) {
        const number k = i < 7 * 7 ? number::ratio(edges[i % 7], 1) : number::ratio(part(), 1);
        const i128 d = i < 7 * 7 ? p63 - 1 - (i / 7) : 2 + (part() & (p63 - 3));  // > 1
        const i128 n = i < 7 * 7 ? edges[i / 7] : part();
        const number x = number::ratio(n, d);
        check_sum(k, x);
        check_sum(x, k);
        check_sum(-k, x);
        check_sum(x, -k);
    }
}
