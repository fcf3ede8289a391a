// The gcd inside `number` (a branch-free binary gcd, with a remainder step for lopsided operands)
// decides every normalised result. Checked here against Euclid's algorithm written out below, on
// boundary operands and on random ones of every size: ratio(n, d) must come back as n/g over d/g
// with g the independent gcd, and the parts of every sum, product and quotient must be coprime.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "engine/number.hpp"
#include "number_reference.hpp"

using namespace thidua;
using namespace thidua::number_reference;

namespace {

// ratio(n, d) against the independent reduction.
void check_ratio(i128 n, i128 d) {
    INFO(text(n) << " / " << text(d));
    const number r = number::ratio(n, d);
    if (n == 0) {
        CHECK(r.numerator() == 0);
        CHECK(r.denominator() == 1);
        return;
    }
    const u128 g = euclid(mag(n), mag(d));
    const auto en = static_cast<i128>(mag(n) / g);
    const auto ed = static_cast<i128>(mag(d) / g);
    const bool negative = (n < 0) != (d < 0);
    CHECK(r.numerator() == (negative ? -en : en));
    CHECK(r.denominator() == ed);
}

void check_normalised(const number& x) {
    INFO(x.exact_string());
    CHECK(x.denominator() > 0);
    CHECK(euclid(mag(x.numerator()), mag(x.denominator())) == 1);
}

constexpr std::int64_t i64_max = INT64_MAX;

}  // namespace

TEST_CASE("normalisation agrees with Euclid on boundary operands", "[number]") {
    const u128 two64 = static_cast<u128>(1) << 64;
    // clang-format off
    const std::pair<i128, i128> rows[] = {
        {1, 1}, {0, 7}, {7, 7}, {-7, 7}, {6, 4}, {4, 6}, {1, i64_max}, {i64_max, 1},
        {i64_max, i64_max}, {i64_max - 1, i64_max}, {i64_max, 3}, {3, i64_max},  // lopsided
        {i64_max - 1, 2}, {2, i64_max - 1},
        {static_cast<i128>(1) << 62, static_cast<i128>(1) << 40},   // powers of two only
        {static_cast<i128>(3) << 60, static_cast<i128>(3) << 20},   // shared odd factor and 2s
        {static_cast<i128>(255) << 8, 255},                          // exactly the remainder threshold
        {static_cast<i128>(257) << 8, 257}, {(static_cast<i128>(1) << 16) + 1, 255},
        {1000000007LL * 998244353LL, 998244353LL * 3}, {2147483647LL * 2147483647LL, 2147483647LL},
        {-(static_cast<i128>(1) << 63), 6}, {6, -(static_cast<i128>(1) << 63)},
        {static_cast<i128>(two64 - 1), static_cast<i128>(two64 - 3)},  // over 64 bits (gcd128)
        {static_cast<i128>(two64) * 6, static_cast<i128>(two64) * 4},
        {static_cast<i128>(two64 + 1) * 12345, static_cast<i128>(two64 + 1) * 54321},
    };
    // clang-format on
    for (const auto& [n, d] : rows) {
        check_ratio(n, d);
    }
}

TEST_CASE("normalisation agrees with Euclid on random operands", "[number]") {
    std::mt19937_64 rng(777);
    const int sizes[] = {1, 3, 8, 9, 16, 17, 31, 32, 33, 48, 62, 63, 64, 80, 100};
    const auto draw = [&rng](int bits) {
        const u128 v = (static_cast<u128>(rng()) << 64) | rng();
        return static_cast<i128>(v >> (128 - bits));
    };
    for (int i = 0; i < 40000; ++i) {
        const int nb = sizes[rng() % std::size(sizes)];
        const int db = sizes[rng() % std::size(sizes)];
        // A shared factor (often a power of two times an odd number) half of the time.
        const i128 common = (rng() & 1) ? (1 + draw(10)) << (rng() % 8) : 1;
        i128 n = draw(nb);
        i128 d = 1 + draw(db);
        if (nb + 18 < 126 && db + 18 < 126) {
            n *= common;
            d *= common;
        }
        if (rng() & 1) {
            n = -n;
        }
        check_ratio(n, d);
    }
}

TEST_CASE("sums, products and quotients of decimals stay normalised", "[number]") {
    // The shapes of the scoring path: cents over cents, their quotients and sums of them.
    std::mt19937_64 rng(2026);
    number sum;
    for (int i = 0; i < 20000; ++i) {
        const auto t = number::ratio(static_cast<i128>(5000 + rng() % 45076), 100);
        const auto a = number::ratio(static_cast<i128>(rng() % 65000), 100);
        const number q = a / t;
        check_normalised(q);
        check_normalised(number(3) * q);
        check_normalised((q - number(1)) * number(10));
        sum = (i % 6 == 0) ? q : sum + q;
        check_normalised(sum);
        // q * t == a exactly.
        CHECK(q * t == a);
    }
}

TEST_CASE("a power of two against any operand agrees with Euclid", "[number]") {
    // gcd(2^k, b) is taken without a loop, as the lowest set bit of 2^k | b: every k from 0 to
    // 63 (2^63 is the largest denominator on the 64-bit paths) against operands with fewer, as
    // many and more trailing zeros, odd ones, equal ones, and 2^k on either side.
    std::mt19937_64 rng(4096);
    for (int k = 0; k < 64; ++k) {
        const i128 p = static_cast<i128>(1) << k;
        for (int z = 0; z < 64; ++z) {
            // Odd and below 2^(63 - z) (for z = 63 that is 1: a 64-bit shift would be undefined).
            const i128 odd = z < 63 ? static_cast<i128>((rng() >> (z + 1)) | 1) : 1;
            const i128 b = odd << z;  // exactly z zeros
            check_ratio(b, p);
            check_ratio(p, b);
            check_ratio(-b, p);
            check_ratio(static_cast<i128>(1) << z, p);  // two powers of two
        }
        check_ratio(p, p);
        check_ratio(p, 3 * p);
        check_ratio(3, p);
        check_ratio(p, (static_cast<i128>(1) << 64) - 1);  // odd, over 64 bits (gcd128)
    }
    // The same through sums, products and quotients (the 64-bit paths call the gcd directly).
    for (int i = 0; i < 20000; ++i) {
        const auto k1 = static_cast<int>(rng() % 63);
        const auto k2 = static_cast<int>(rng() % 63);
        // Parts below 2^62: products of two parts stay below 2^124, so nothing overflows.
        const i128 n1 = static_cast<i128>(rng() >> (2 + rng() % 62)) - (1LL << 30);
        const i128 n2 = static_cast<i128>(rng() >> (2 + rng() % 62)) | 1;
        const number x = number::ratio(n1, static_cast<i128>(1) << k1);
        const number y = number::ratio(n2, static_cast<i128>(1) << k2);
        check_normalised(x + y);
        check_normalised(x - y);
        check_normalised(x * y);
        if (!x.is_zero()) {
            check_normalised(y / x);
        }
    }
}

TEST_CASE("the gcd of small operands agrees with Euclid exhaustively", "[number]") {
    // Every pair below 600 (the loop, the power-of-two case and the remainder step for
    // operands 2^8 apart all meet here), and each of them scaled past 2^32.
    int wrong = 0;
    for (i128 n = 1; n < 600; ++n) {
        for (i128 d = 1; d < 600; ++d) {
            const number r = number::ratio(n, d);
            const u128 g = euclid(static_cast<u128>(n), static_cast<u128>(d));
            if (r.numerator() != static_cast<i128>(static_cast<u128>(n) / g)
                || r.denominator() != static_cast<i128>(static_cast<u128>(d) / g)) {
                if (wrong++ < 5) {
                    check_ratio(n, d);  // reports the first few pairs
                }
            }
        }
        check_ratio(n << 33, 600 - n);
        check_ratio((static_cast<i128>(1) << 32) + n, n);
        check_ratio(n, (static_cast<i128>(1) << 63) - n);
    }
    CHECK(wrong == 0);
}
