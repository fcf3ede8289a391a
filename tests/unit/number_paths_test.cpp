// The wide and lopsided paths of `number`'s arithmetic (number.cpp): 128-bit parts against 64-bit
// ones, gcds of operands of very different sizes, coprime denominators (no gcd of the result),
// 128-by-64-bit divisions, and the boundaries where a result leaves 128 bits. Expected values were
// computed with Python's fractions.Fraction (exact), not with this code.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "engine/number.hpp"

using namespace thidua;

namespace Catch {
template <>
struct StringMaker<number> {
    static std::string convert(const number& n) { return n.exact_string(); }
};
}  // namespace Catch

namespace {

i128 big(const std::string& text) {
    const bool negative = !text.empty() && text[0] == '-';
    i128 v = 0;
    for (std::size_t i = negative ? 1 : 0; i < text.size(); ++i) {
        v = v * 10 + (text[i] - '0');
    }
    return negative ? -v : v;
}

struct paths_row {
    const char* an;
    const char* ad;
    char op;
    const char* bn;
    const char* bd;
    const char* rn;  // "big" when the exact result does not fit in 128 bits: rd is its exact text
    const char* rd;
    const char* what;
};

// clang-format off
const paths_row paths_rows[] = {
    {"1", "3", '*', "7", "50000", "7", "150000", "small factor against a wide-apart denominator"},
    {"3", "1", '*', "49999", "50075", "149997", "50075", "integer factor, coprime"},
    {"3", "1", '*', "100", "150003", "100", "50001", "integer factor that cancels"},
    {"10", "1", '*', "-4321", "98765", "-8642", "19753", "negative operand, lopsided gcd"},
    {"123456789012345", "1", '*', "1", "3", "41152263004115", "1", "lopsided the other way"},
    {"1", "18446744073709551617", '+', "1", "3", "18446744073709551620", "55340232221128654851", "wide + narrow, coprime denominators"},
    {"1", "55340232221128654851", '+', "1", "6", "18446744073709551619", "110680464442257309702", "wide + narrow, shared factor 3"},
    {"5", "110680464442257309702", '+', "1", "6", "9223372036854775811", "55340232221128654851", "shared factor, and the sum cancels again"},
    {"-5", "110680464442257309702", '+', "1", "6", "3074457345618258602", "18446744073709551617", "negative wide operand"},
    {"1", "110680464442257309702", '-', "1", "110680464442257309702", "0", "1", "difference of equal wide values is 0"},
    {"-7", "110680464442257309702", '-', "5", "110680464442257309702", "-2", "18446744073709551617", "negative difference, equal wide denominators"},
    {"1267650600228229401496703205377", "1298074214633706907132624082305027", '+', "1", "2", "1300609515834163365935617488715781", "2596148429267413814265248164610054", "both parts wide"},
    {"170141183460469231731687303715884105727", "1", '+', "-1", "1", "170141183460469231731687303715884105726", "1", "largest numerator minus one"},
    {"170141183460469231731687303715884105727", "2", '+', "1", "2", "85070591730234615865843651857942052864", "1", "the sum 2^126 fits, but its numerator 2^127 before cancelling does not: exact by way of the big path, and small again"},
    {"170141183460469231731687303715884105727", "3", '+', "1", "3", "big", "170141183460469231731687303715884105728/3", "sum just over INT128_MAX"},
    {"-170141183460469231731687303715884105727", "3", '-', "1", "3", "big", "-170141183460469231731687303715884105728/3", "difference just under -INT128_MAX"},
    {"1", "9223372036854775809", '+', "1", "9223372036854775807", "18446744073709551616", "85070591730234615865843651857942052863", "product of coprime denominators near 2^126"},
    {"1", "18446744073709551617", '+', "1", "18446744073709551615", "big", "36893488147419103232/340282366920938463463374607431768211455", "product of coprime denominators over 2^127"},
    {"1180591620717411303427", "36893488147419103233", '*', "36893488147419103233", "1180591620717411303427", "1", "1", "wide product that cancels to 1"},
    {"1180591620717411303427", "7", '*', "5", "18446744073709551617", "5902958103587056517135", "129127208515966861319", "wide times narrow"},
    {"1267650600228229401496703205376", "3", '/', "1099511627776", "9", "3458764513820540928", "1", "wide quotient by a 64-bit divisor"},
    {"85070591730234615865843651857942052864", "1", '/', "3", "1", "85070591730234615865843651857942052864", "3", "2^126 divided by 3"},
    {"-85070591730234615865843651857942052865", "5", '/', "-7", "3", "51042355038140769519506191114765231719", "7", "negative wide over negative"},
    {"1267650600228229401496703205383", "1237940039285380274899124225", '-', "1", "1237940039285380274899124225", "1267650600228229401496703205382", "1237940039285380274899124225", "equal wide denominators"},
    {"1", "1237940039285380274899124224", '+', "1", "137438953472", "9007199254740993", "1237940039285380274899124224", "power-of-two denominators, one divides the other"},
    {"55340232221128654851", "1", '/', "18446744073709551617", "1", "3", "1", "wide integers dividing exactly"},
    {"1329227995784915872903807060280344576", "1", '*', "128", "1", "big", "170141183460469231731687303715884105728", "integer product at 2^127"},
    {"1329227995784915872903807060280344576", "3", '*', "64", "1", "85070591730234615865843651857942052864", "3", "product 2^126 / 3 fits"},
    {"170141183460469231731687303715884105727", "18446744073709551619", '+', "18446744073709551615", "18446744073709551619", "big", "170141183460469231750134047789593657342/18446744073709551619", "wide equal denominators, sum over INT128_MAX"},
};
// clang-format on

struct round_row {
    const char* xn;
    const char* xd;
    const char* sn;
    const char* sd;
    rounding_mode mode;
    const char* rn;
    const char* rd;
};

// clang-format off
const round_row round_rows[] = {
    {"299500000000000000000", "100000000000000000000001", "1", "100", rounding_mode::half_up, "0", "1"},
    {"299500000000000000000", "100000000000000000000001", "1", "100", rounding_mode::half_even, "0", "1"},
    {"299500000000000000000", "100000000000000000000001", "1", "100", rounding_mode::down, "0", "1"},
    {"299500000000000000000", "100000000000000000000001", "1", "100", rounding_mode::up, "1", "100"},
    {"1267650600228229401496703205377", "2535301200456458802993406410752", "1", "100", rounding_mode::half_up, "1", "2"},
    {"1267650600228229401496703205377", "2535301200456458802993406410752", "1", "100", rounding_mode::up, "51", "100"},
    {"-1267650600228229401496703205377", "2535301200456458802993406410752", "1", "100", rounding_mode::half_even, "-1", "2"},
    {"-1267650600228229401496703205377", "2535301200456458802993406410752", "1", "100", rounding_mode::up, "-51", "100"},
    {"46116860184273879043", "18446744073709551617", "1", "1", rounding_mode::half_up, "3", "1"},
    {"46116860184273879043", "18446744073709551617", "1", "1", rounding_mode::down, "2", "1"},
    // 2^100 + 1/2 and 2^100 + 3/2: ties with a wide numerator.
    {"2535301200456458802993406410753", "2", "1", "1", rounding_mode::half_up, "1267650600228229401496703205377", "1"},
    {"2535301200456458802993406410753", "2", "1", "1", rounding_mode::half_even, "1267650600228229401496703205376", "1"},
    {"2535301200456458802993406410753", "2", "1", "1", rounding_mode::down, "1267650600228229401496703205376", "1"},
    {"2535301200456458802993406410753", "2", "1", "1", rounding_mode::up, "1267650600228229401496703205377", "1"},
    {"2535301200456458802993406410755", "2", "1", "1", rounding_mode::half_even, "1267650600228229401496703205378", "1"},
    {"-2535301200456458802993406410755", "2", "1", "1", rounding_mode::half_even, "-1267650600228229401496703205378", "1"},
    {"-2535301200456458802993406410755", "2", "1", "1", rounding_mode::down, "-1267650600228229401496703205377", "1"},
    {"1329227995784915872903807060280344577", "3", "1", "100", rounding_mode::half_up, "44307599859497195763460235342678152567", "100"},
    {"1329227995784915872903807060280344577", "3", "1", "100", rounding_mode::down, "22153799929748597881730117671339076283", "50"},
};
// clang-format on

number make(const char* n, const char* d) {
    return number::ratio(big(n), big(d));
}

}  // namespace

TEST_CASE("wide and lopsided operands: exact results on both sides of 128 bits", "[number]") {
    for (const auto& row : paths_rows) {
        INFO(row.what << ": " << row.an << "/" << row.ad << " " << row.op << " " << row.bn << "/"
                      << row.bd);
        const number a = make(row.an, row.ad);
        const number b = make(row.bn, row.bd);
        const auto compute = [&] {
            switch (row.op) {
                case '+':
                    return a + b;
                case '-':
                    return a - b;
                case '*':
                    return a * b;
                default:
                    return a / b;
            }
        };
        if (std::string(row.rn) == "big") {
            number r;
            CHECK_NOTHROW(r = compute());
            CHECK(r.is_big());
            CHECK(r.exact_string() == row.rd);
        } else {
            number r;
            CHECK_NOTHROW(r = compute());
            CHECK(r.numerator() == big(row.rn));
            CHECK(r.denominator() == big(row.rd));
        }
    }
}

TEST_CASE("rounding of wide values in every mode", "[number]") {
    for (const auto& row : round_rows) {
        const number x = make(row.xn, row.xd);
        const number step = make(row.sn, row.sd);
        INFO(x.exact_string() << " to " << step.exact_string() << ", mode "
                              << static_cast<int>(row.mode));
        number r;
        CHECK_NOTHROW(r = x.round(step, row.mode));
        CHECK(r.numerator() == big(row.rn));
        CHECK(r.denominator() == big(row.rd));
    }
}

TEST_CASE("results match the unreduced products, normalised independently", "[number]") {
    // a/b + c/d == ratio(a d + c b, b d) and a/b * c/d == ratio(a c, b d) whenever the unreduced
    // parts fit; ratio() normalises with its own gcd, so this checks the cancellation shortcuts
    // of + and * (lopsided gcds, coprime denominators, wide-by-narrow divisions).
    std::mt19937_64 rng(20261121);
    const auto draw = [&rng](int bits) {
        const u128 v = (static_cast<u128>(rng()) << 64) | rng();
        return static_cast<i128>(v >> (128 - bits));
    };
    const int sizes[] = {2, 5, 12, 17, 31, 40, 63, 64, 70, 90};
    int compared = 0;
    for (int i = 0; i < 20000; ++i) {
        const int nb1 = sizes[rng() % 10];
        const int db1 = sizes[rng() % 10];
        const int nb2 = sizes[rng() % 10];
        const int db2 = sizes[rng() % 10];
        // Shared factors on purpose, so gcds other than 1 are common.
        const i128 common = 1 + draw(6);
        const i128 an = (draw(nb1) - draw(nb1)) * ((rng() & 1) ? common : 1);
        const i128 ad = (1 + draw(db1)) * ((rng() & 1) ? common : 1);
        const i128 bn = (draw(nb2) - draw(nb2)) * ((rng() & 1) ? common : 1);
        const i128 bd = (1 + draw(db2)) * ((rng() & 1) ? common : 1);
        const number a = number::ratio(an, ad);
        const number b = number::ratio(bn, bd);
        const i128 x = a.numerator(), y = a.denominator(), z = b.numerator(), w = b.denominator();
        i128 p1 = 0, p2 = 0, t = 0, den = 0, prod = 0;
        if (!__builtin_mul_overflow(x, w, &p1) && !__builtin_mul_overflow(z, y, &p2)
            && !__builtin_add_overflow(p1, p2, &t) && !__builtin_mul_overflow(y, w, &den)) {
            const number expected = number::ratio(t, den);
            number got;
            CHECK_NOTHROW(got = a + b);
            CHECK(got == expected);
            ++compared;
        }
        if (!__builtin_mul_overflow(x, z, &prod) && !__builtin_mul_overflow(y, w, &den)) {
            const number expected = number::ratio(prod, den);
            number got;
            CHECK_NOTHROW(got = a * b);
            CHECK(got == expected);
            if (!b.is_zero() && !__builtin_mul_overflow(x, w, &p1)
                && !__builtin_mul_overflow(y, z, &p2)) {
                CHECK(a / b == number::ratio(p1, p2));
            }
            ++compared;
        }
    }
    CHECK(compared > 20000);
}
