#include "engine/number.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "number_reference.hpp"

using namespace thidua;

namespace Catch {
template <>
struct StringMaker<number> {
    static std::string convert(const number& n) { return n.exact_string(); }
};
}  // namespace Catch

namespace {

const i128 max128 = static_cast<i128>(~static_cast<u128>(0) >> 1);
const i128 min128 = -max128 - 1;
const std::string max128_text = "170141183460469231731687303715884105727";

// "12.5", or a fraction "40/3" / "-40/3", so tables can name any rational.
number num(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) {
        const auto n = number::parse(text);
        INFO("literal: " << text);
        REQUIRE(n.has_value());
        return *n;
    }
    return num(text.substr(0, slash)) / num(text.substr(slash + 1));
}

number apply(const number& a, char op, const number& b) {
    switch (op) {
        case '+':
            return a + b;
        case '-':
            return a - b;
        case '*':
            return a * b;
        case '/':
            return a / b;
        default:
            break;
    }
    FAIL("unknown operator " << op);
    return {};
}

}  // namespace

TEST_CASE("parse accepts plain decimal literals") {
    auto [text, exact] = GENERATE(table<std::string, std::string>({
        {"0", "0"},
        {"-0", "0"},
        {"-0.000", "0"},
        {"12", "12"},
        {"007", "7"},
        {"0.25", "0.25"},
        {"-3.5", "-3.5"},
        {"96.40", "96.4"},
        {"37.40", "37.4"},
        {"1.5000000000000000000000000000000000000000000000000", "1.5"},
        {"0.00000000000000000000000000000000000001", "0.00000000000000000000000000000000000001"},
        {max128_text, max128_text},
        {"-" + max128_text, "-" + max128_text},
        {"17014118346046923173168730371588410572.7", "17014118346046923173168730371588410572.7"},
    }));
    INFO(text);
    const auto n = number::parse(text);
    REQUIRE(n.has_value());
    CHECK(n->exact_string() == exact);
}

TEST_CASE("parse rejects anything else, and values that do not fit") {
    auto text = GENERATE(
        as<std::string>{}, "", "-", "+1", "1.", ".5", "-.5", "1e3", "1E3", " 1", "1 ", "1,5", "--1",
        "1.2.3", "0x10", "1_000", "\xd9\xa1", "٣", "NaN", "inf", "1-",
        // INT128_MAX + 1 and INT128_MIN (the numerator never holds INT128_MIN)
        "170141183460469231731687303715884105728", "-170141183460469231731687303715884105728",
        // 39 significant decimals: the denominator 10^39 does not fit
        "0.000000000000000000000000000000000000001", "1701411834604692317316873037158841057.271");
    INFO(text);
    CHECK_FALSE(number::parse(text).has_value());
}

TEST_CASE("parse rejects a 1,000-digit literal") {
    CHECK_FALSE(number::parse(std::string(1000, '9')).has_value());
    CHECK_FALSE(number::parse("-" + std::string(1000, '7')).has_value());
    CHECK_FALSE(number::parse("0." + std::string(1000, '3')).has_value());
    CHECK_FALSE(number::parse(std::string(1000, '1') + "." + std::string(1000, '1')).has_value());
    CHECK_FALSE(number::parse(std::string(100000, '5')).has_value());
    // Leading zeros carry no value, so this one does fit.
    CHECK(number::parse(std::string(1000, '0') + "1.25") == num("1.25"));
}

TEST_CASE("values are normalised: gcd 1, positive denominator") {
    auto [n, d, want_n, want_d] = GENERATE(table<int, int, int, int>({
        {6, 4, 3, 2},
        {-6, 4, -3, 2},
        {6, -4, -3, 2},
        {-6, -4, 3, 2},
        {0, -5, 0, 1},
        {0, 7, 0, 1},
        {10, 5, 2, 1},
        {3870, 4000, 387, 400},
        {30544, 29946, 664, 651},
    }));
    const number r = number::ratio(n, d);
    CHECK(r.numerator() == want_n);
    CHECK(r.denominator() == want_d);
    CHECK(r.is_integer() == (want_d == 1));
    CHECK(num("0.50") == number::ratio(1, 2));
    CHECK(num("2.0") == number(2));
    CHECK((num("0.1") * 10).is_integer());
}

TEST_CASE("ratio handles the extremes of 128 bits") {
    CHECK(number::ratio(min128, min128) == number(1));
    CHECK(number::ratio(min128, 2) == -number::ratio(max128 / 2 + 1, 1));
    CHECK(number::ratio(max128, -max128) == number(-1));
    CHECK(number::ratio(2, min128) == number::ratio(-1, max128 / 2 + 1));
    // -2^127 and -1/2^127: one bit more than a small part holds, so big, and exact.
    const number low = number::ratio(min128, 1);
    CHECK(low.is_big());
    CHECK(low.exact_string() == "-170141183460469231731687303715884105728");
    CHECK(low + 1 == -num(max128_text));
    CHECK_FALSE((low + 1).is_big());
    const number tiny = number::ratio(1, min128);
    CHECK(tiny.is_big());
    CHECK(tiny.exact_string()
          == number_reference::exact_text(
              mpq_class(-1, mpz_class("170141183460469231731687303715884105728"))));
    CHECK(tiny * low == number(1));
}

TEST_CASE("arithmetic is exact") {
    auto [a, op, b, result] = GENERATE(table<std::string, char, std::string, std::string>({
        {"0.1", '+', "0.2", "0.3"},
        {"1", '+', "2", "3"},
        {"-1.25", '+', "1.25", "0"},
        {"0.5", '+', "0.25", "0.75"},
        {"1/3", '+', "1/6", "0.5"},
        {"40/3", '+', "40/3", "80/3"},
        {"40/3", '+', "1", "43/3"},
        {"37.40", '+', "2.6", "40"},
        {"3870/4000", '+', "0.0325", "1"},
        {"5", '-', "7.5", "-2.5"},
        {"0.3", '-', "0.1", "0.2"},
        {"-1.5", '-', "-1.5", "0"},
        {"1/6", '-', "1/3", "-1/6"},
        {"0.1", '*', "0.2", "0.02"},
        {"-2.5", '*', "4", "-10"},
        {"-2.5", '*', "-0.4", "1"},
        {"0", '*', "-5", "0"},
        {"40/3", '*', "3", "40"},
        {"40/3", '*', "0.75", "10"},
        {"-7/6", '*', "3/14", "-0.25"},
        {"10", '/', "3", "10/3"},
        {"10", '/', "-4", "-2.5"},
        {"-10", '/', "-4", "2.5"},
        {"0", '/', "-4", "0"},
        {"7", '/', "1", "7"},
        {"7", '/', "-1", "-7"},
        {"3870", '/', "4000", "0.9675"},
        {"30544", '/', "29946", "664/651"},
        {"1.65", '/', "1.5", "1.1"},
        {"1.5", '/', "0.5", "3"},
        {"40/3", '/', "40/3", "1"},
        {"-1/3", '/', "2/9", "-1.5"},
        // Operands past 64 bits take the checked 128-bit paths (values checked in Python).
        {"1000000000000000000000000000007/1180591620717411303424", '+',
         "-10000000000000000000000003/221360928884514619392",
         "2999839999999999999999999999973/3541774862152233910272"},
        {"1000000000000000000000000000007/1180591620717411303424", '-',
         "-10000000000000000000000003/221360928884514619392",
         "3000160000000000000000000000069/3541774862152233910272"},
        {"1000000000000000000000000000007/1180591620717411303424", '/',
         "-10000000000000000000000003/221360928884514619392",
         "-3000000000000000000000000000021/160000000000000000000000048"},
        {"1267650600228229401496703205376/3", '*', "9/1237940039285380274899124224", "3072"},
        {max128_text, '-', max128_text, "0"},
        {max128_text, '+', "-" + max128_text, "0"},
        {"-" + max128_text, '+', "1", "-170141183460469231731687303715884105726"},
        {max128_text + "/2", '*', "2", max128_text},
        {"1/" + max128_text, '*', max128_text, "1"},
    }));
    INFO(a << ' ' << op << ' ' << b);
    CHECK(apply(num(a), op, num(b)) == num(result));
    CHECK(apply(num(a), op, num(b)).exact_string() == num(result).exact_string());
}

TEST_CASE("the regulation cases that binary floating point gets wrong") {
    // domain.md section 3, practical note 1.
    CHECK(num("1.65") / num("1.5") >= num("1.1"));
    CHECK(num("1.65") / num("1.5") == num("1.1"));
    CHECK((num("92.7") / 90 - 1) * 100 == 3);
    CHECK(((num("92.7") / 90 - 1) * 100).floor() == 3);
    CHECK(num("0.1") + num("0.2") == num("0.3"));
    CHECK(number(40) / 3 * 3 == 40);
    const number r = number(30544) / 29946;
    CHECK(r.exact_string() == "664/651");
    CHECK(r * 29946 == 30544);
    number sum;
    for (int i = 0; i < 10; ++i) {
        sum += num("0.1");
    }
    CHECK(sum == 1);
}

TEST_CASE("compound assignment") {
    number x = 10;
    x += num("0.5");
    x -= 3;
    x *= 4;
    x /= 6;
    CHECK(x == 5);
}

TEST_CASE("sign handling") {
    CHECK(-num("2.5") == num("-2.5"));
    CHECK(-number() == number());
    CHECK((-number()).sign() == 0);
    CHECK(num("-0").sign() == 0);
    CHECK(num("-0.001").sign() == -1);
    CHECK(num("40/3").sign() == 1);
    CHECK(num("-40/3").abs() == num("40/3"));
    CHECK(num("40/3").abs() == num("40/3"));
    CHECK(num("-" + max128_text).abs() == num(max128_text));
    CHECK(-num("-" + max128_text) == num(max128_text));
    CHECK(num("-1/3").numerator() == -1);
    CHECK(num("-1/3").denominator() == 3);
    CHECK(num("1/-3") == num("-1/3"));
}

TEST_CASE("results beyond 128 bits are exact, never wrap") {
    auto [a, op, b] = GENERATE(table<std::string, char, std::string>({
        {max128_text, '+', "1"},
        {"-" + max128_text, '-', "1"},  // would be INT128_MIN
        {"-" + max128_text, '-', "2"},
        {max128_text, '*', "2"},
        {max128_text, '*', max128_text},
        {max128_text, '*', "-1.5"},
        {"2", '/', "1/" + max128_text},
        {"1/" + max128_text, '/', "3"},
        {"1/" + max128_text, '+', "1/3"},
        {max128_text + "/3", '+', max128_text + "/7"},
        {"1/" + max128_text, '-', "1/170141183460469231731687303715884105725"},
        {"18446744073709551616", '*', "18446744073709551616"},  // 2^64 * 2^64
        {"-18446744073709551616", '*', "9223372036854775808"},  // -(2^127)
        {max128_text, '/', "0.5"},
    }));
    INFO(a << ' ' << op << ' ' << b);
    const mpq_class x = number_reference::to_mpq(num(a));
    const mpq_class y = number_reference::to_mpq(num(b));
    const mpq_class want = op == '+'   ? mpq_class(x + y)
                           : op == '-' ? mpq_class(x - y)
                           : op == '*' ? mpq_class(x * y)
                                       : mpq_class(x / y);
    number r;
    REQUIRE_NOTHROW(r = apply(num(a), op, num(b)));
    CHECK(r.is_big());
    CHECK(r.exact_string() == number_reference::exact_text(want));
    CHECK(number_reference::same(r, want));
    // The way back, through big operands, lands on the small value again.
    const number back = op == '+'   ? r - num(b)
                        : op == '-' ? r + num(b)
                        : op == '*' ? r / num(b)
                                    : r * num(b);
    CHECK_FALSE(back.is_big());
    CHECK(back == num(a));
    // Comparisons across the two representations.
    CHECK(r != num(a));
    CHECK(r.sign() == sgn(want));
    CHECK((r < num(max128_text)) == (want < number_reference::to_mpq(num(max128_text))));
}

TEST_CASE("big values: comparisons, integer parts, rounding and text") {
    // 2^130 + 1/3 and friends, built by arithmetic (there is no other way to make one).
    const number two64 = num("18446744073709551616");
    const number huge = two64 * two64 * 4;  // 2^130
    REQUIRE(huge.is_big());
    CHECK(huge.is_integer());
    CHECK(huge.exact_string() == "1361129467683753853853498429727072845824");
    const number x = huge + num("1/3");
    CHECK(x.is_big());
    CHECK_FALSE(x.is_integer());
    CHECK(x.exact_string() == "4083388403051261561560495289181218537473/3");
    CHECK(x.floor() == huge);
    CHECK(x.ceil() == huge + 1);
    CHECK((-x).floor() == -huge - 1);
    CHECK((-x).ceil() == -huge);
    CHECK(x > huge);
    CHECK(-x < -huge);
    CHECK(x > num(max128_text));
    CHECK(-x < -num(max128_text));
    CHECK(x == huge + num("1/3"));  // equal big values are the same interned magnitude
    CHECK(x.sign() == 1);
    CHECK((-x).sign() == -1);
    CHECK((-x).abs() == x);
    CHECK(x - x == 0);
    CHECK((x - huge) == num("1/3"));
    CHECK_FALSE((x - huge).is_big());
    CHECK(x.to_string(2) == "1361129467683753853853498429727072845824.33");
    CHECK((-x).to_string(0) == "-1361129467683753853853498429727072845824");
    CHECK(x.display(0, 3) == "\u22481361129467683753853853498429727072845824.333");
    CHECK((huge + num("0.5")).display(0, 3) == "1361129467683753853853498429727072845824.5");
    CHECK((huge + num("0.5")).exact_string() == "1361129467683753853853498429727072845824.5");
    CHECK(x.round(num("0.01"), rounding_mode::half_up) == huge + num("0.33"));
    CHECK((-x).round(num("0.5"), rounding_mode::up) == -huge - num("0.5"));
    CHECK((huge + num("0.5")).round(1, rounding_mode::half_even) == huge);
    CHECK((huge + num("1.5")).round(1, rounding_mode::half_even) == huge + 2);
    CHECK((huge + num("0.5")).round(1, rounding_mode::down) == huge);
    CHECK(x.to_double() == Approx(1.361129467683754e39));
    // A tiny step makes the quotient big even for a small value.
    CHECK(num("10").round(num("0.00000000000000000000000000000000000001"), rounding_mode::half_up)
          == 10);
    // Messages shorten a big operand's digits.
    const number long_one = huge * huge * huge;  // 2^390, 118 digits
    CHECK(long_one.brief_string() == "252172839656\u2026191379636224");
}

TEST_CASE("a value past number::max_bits throws overflow, naming the operation") {
    number x = 1;
    int steps = 0;
    try {
        for (; steps < 20000; ++steps) {
            x *= 3;
        }
        FAIL("no overflow");
    } catch (const number_error& e) {
        CHECK(e.which() == number_error::kind::overflow);
        const std::string what = e.what();
        CHECK(what.find(" * 3 needs more than 16384 bits to be held exactly") != std::string::npos);
        CHECK(e.operation().find("\u2026") != std::string::npos);  // shortened
        CHECK(e.operation().size() < 60);
    }
    CHECK(steps == 10337);  // 3^10337 has 16,384 bits; the next product would need 16,386
    CHECK(x.is_big());
    // A fraction whose denominator grows: the same limit.
    number sum = 0;
    std::uint64_t p = 3;
    CHECK_THROWS_AS(
        [&] {
            for (int i = 0; i < 100000; ++i, p += 2) {
                sum += number::ratio(1, static_cast<i128>(p));
            }
        }(),
        number_error);
}

TEST_CASE("repeated multiplication goes on past 128 bits, exactly") {
    number x = 1;
    for (int steps = 0; steps < 100; ++steps) {
        CHECK(x.is_big() == (steps >= 39));  // 10^38 < 2^127 - 1 < 10^39
        x *= 10;
    }
    CHECK(x.exact_string() == "1" + std::string(100, '0'));
    for (int steps = 0; steps < 100; ++steps) {
        x /= 10;
    }
    CHECK(x == 1);
    CHECK_FALSE(x.is_big());
}

TEST_CASE("division by zero throws division_by_zero") {
    auto [a, b] = GENERATE(table<std::string, std::string>({
        {"1", "0"},
        {"0", "0"},
        {"-40/3", "0"},
        {"0.5", "-0"},
    }));
    try {
        const number r = num(a) / num(b);
        FAIL("no error; got " << r.exact_string());
    } catch (const number_error& e) {
        CHECK(e.which() == number_error::kind::division_by_zero);
    }
    CHECK_THROWS_WITH(number(1) / number(0), "division by zero: 1 / 0");
    CHECK_THROWS_WITH(number::ratio(-7, 0), "division by zero: -7 / 0");
    CHECK_THROWS_AS(num("2.5").round(number(0), rounding_mode::half_up), number_error);
}

TEST_CASE("comparison across denominators") {
    auto [a, b, expected] = GENERATE(table<std::string, std::string, int>({
        {"0.1", "0.2", -1},
        {"0.50", "0.5", 0},
        {"1/3", "0.333", 1},
        {"1/3", "0.334", -1},
        {"-1/3", "-0.333", -1},
        {"-0.5", "0.25", -1},
        {"0", "-0.0001", 1},
        {"0", "0", 0},
        {"40/3", "13.33", 1},
        {"40/3", "13.34", -1},
        {"1.65/1.5", "1.1", 0},
        {"3870/4000", "0.9675", 0},
        {"30544/29946", "1.02", -1},  // 1.019969...
        {"30544/29946", "1.0199", 1},
        {"2/3", "3/5", 1},
        {"-2/3", "-3/5", -1},
        {"7", "13/2", 1},
        // The cross products of these overflow 128 bits: compared by continued fractions.
        // M/(M-1) = 1 + 1/(M-1) < (M-1)/(M-2) = 1 + 1/(M-2)
        {max128_text + "/170141183460469231731687303715884105726",
         "170141183460469231731687303715884105726/170141183460469231731687303715884105725", -1},
        {"-" + max128_text + "/170141183460469231731687303715884105726",
         "-170141183460469231731687303715884105726/170141183460469231731687303715884105725", 1},
        {max128_text + "/3", "170141183460469231731687303715884105725/3", 1},
        {max128_text + "/7", "170141183460469231731687303715884105725/5", -1},
        {"1/" + max128_text, "1/170141183460469231731687303715884105725", -1},
        {"2/" + max128_text, "1/170141183460469231731687303715884105725", 1},
        {max128_text + "/2", "85070591730234615865843651857942052863", 1},
        {"85070591730234615865843651857942052863/" + max128_text,
         "85070591730234615865843651857942052861/170141183460469231731687303715884105723", 1},
        {"170141183460469231731687303715884105717/170141183460469231731687303715884105716",
         "170141183460469231731687303715884105715/170141183460469231731687303715884105714", -1},
        {"127605887595351923798765477786913079297/" + max128_text,
         "127605887595351923798765477786913079291/170141183460469231731687303715884105719", -1},
        {max128_text + "/18446744073709551619",
         "170141183460469231731687303715884105725/18446744073709551617", -1},
    }));
    INFO(a << " vs " << b);
    const number x = num(a);
    const number y = num(b);
    std::strong_ordering order = std::strong_ordering::equal;
    CHECK_NOTHROW(order = x <=> y);
    const int got = order < 0 ? -1 : (order > 0 ? 1 : 0);
    CHECK(got == expected);
    CHECK((x < y) == (expected < 0));
    CHECK((x > y) == (expected > 0));
    CHECK((x == y) == (expected == 0));
    CHECK((x != y) == (expected != 0));
    CHECK((x <= y) == (expected <= 0));
    CHECK((x >= y) == (expected >= 0));
    // Antisymmetry.
    const auto back = y <=> x;
    CHECK((back < 0) == (expected > 0));
}

TEST_CASE("floor and ceil") {
    auto [x, fl, ce] = GENERATE(table<std::string, std::string, std::string>({
        {"2.5", "2", "3"},
        {"-2.5", "-3", "-2"},
        {"-2", "-2", "-2"},
        {"2", "2", "2"},
        {"0", "0", "0"},
        {"40/3", "13", "14"},
        {"-40/3", "-14", "-13"},
        {"0.1", "0", "1"},
        {"-0.1", "-1", "0"},
        {"-0.999", "-1", "0"},
        {max128_text + "/2", "85070591730234615865843651857942052863",
         "85070591730234615865843651857942052864"},
        {"-" + max128_text + "/2", "-85070591730234615865843651857942052864",
         "-85070591730234615865843651857942052863"},
    }));
    INFO(x);
    CHECK(num(x).floor() == num(fl));
    CHECK(num(x).ceil() == num(ce));
    CHECK(num(x).floor().is_integer());
    CHECK(num(x).ceil().sign() >= (num(x).sign() > 0 ? 1 : -1));
}

TEST_CASE("round to a step in every mode") {
    using rm = rounding_mode;
    auto [x, step, mode, expected] =
        GENERATE(table<std::string, std::string, rounding_mode, std::string>({
            // Exactly half a cent, just below, just above.
            {"2.345", "0.01", rm::half_up, "2.35"},
            {"2.345", "0.01", rm::half_even, "2.34"},
            {"2.345", "0.01", rm::down, "2.34"},
            {"2.345", "0.01", rm::up, "2.35"},
            {"2.3449999", "0.01", rm::half_up, "2.34"},
            {"2.3449999", "0.01", rm::half_even, "2.34"},
            {"2.3449999", "0.01", rm::down, "2.34"},
            {"2.3449999", "0.01", rm::up, "2.35"},
            {"2.3450001", "0.01", rm::half_up, "2.35"},
            {"2.3450001", "0.01", rm::half_even, "2.35"},
            {"2.3450001", "0.01", rm::down, "2.34"},
            {"2.3450001", "0.01", rm::up, "2.35"},
            {"2.355", "0.01", rm::half_even, "2.36"},
            {"2.34", "0.01", rm::half_up, "2.34"},
            {"2.34", "0.01", rm::half_even, "2.34"},
            {"2.34", "0.01", rm::down, "2.34"},
            {"2.34", "0.01", rm::up, "2.34"},
            // Negatives: every mode is symmetric around zero.
            {"-2.345", "0.01", rm::half_up, "-2.35"},
            {"-2.345", "0.01", rm::half_even, "-2.34"},
            {"-2.345", "0.01", rm::down, "-2.34"},
            {"-2.345", "0.01", rm::up, "-2.35"},
            {"-2.3449999", "0.01", rm::half_up, "-2.34"},
            {"-2.3449999", "0.01", rm::up, "-2.35"},
            {"-2.3450001", "0.01", rm::half_up, "-2.35"},
            {"-2.3450001", "0.01", rm::half_even, "-2.35"},
            {"-2.3450001", "0.01", rm::down, "-2.34"},
            {"-2.355", "0.01", rm::half_even, "-2.36"},
            {"0.004", "0.01", rm::half_up, "0"},
            {"0.005", "0.01", rm::half_up, "0.01"},
            {"-0.005", "0.01", rm::half_up, "-0.01"},
            {"-0.005", "0.01", rm::half_even, "0"},
            {"-0.001", "0.01", rm::up, "-0.01"},
            {"-0.009", "0.01", rm::down, "0"},
            // Step 0.1
            {"0.05", "0.1", rm::half_up, "0.1"},
            {"0.05", "0.1", rm::half_even, "0"},
            {"0.05", "0.1", rm::down, "0"},
            {"0.05", "0.1", rm::up, "0.1"},
            {"0.15", "0.1", rm::half_even, "0.2"},
            {"0.25", "0.1", rm::half_even, "0.2"},
            {"0.2499", "0.1", rm::half_up, "0.2"},
            {"0.2501", "0.1", rm::half_even, "0.3"},
            {"-0.05", "0.1", rm::half_up, "-0.1"},
            {"-0.05", "0.1", rm::half_even, "0"},
            {"96.45", "0.1", rm::half_up, "96.5"},
            // Step 0.25
            {"0.125", "0.25", rm::half_up, "0.25"},
            {"0.125", "0.25", rm::half_even, "0"},
            {"0.375", "0.25", rm::half_even, "0.5"},
            {"0.3", "0.25", rm::half_up, "0.25"},
            {"0.38", "0.25", rm::half_up, "0.5"},
            {"0.01", "0.25", rm::up, "0.25"},
            {"0.49", "0.25", rm::down, "0.25"},
            {"-0.125", "0.25", rm::half_up, "-0.25"},
            {"-0.375", "0.25", rm::half_even, "-0.5"},
            {"-0.49", "0.25", rm::down, "-0.25"},
            // Step 0.5
            {"1.25", "0.5", rm::half_up, "1.5"},
            {"1.25", "0.5", rm::half_even, "1"},
            {"1.75", "0.5", rm::half_even, "2"},
            {"1.2499", "0.5", rm::half_up, "1"},
            {"1.2501", "0.5", rm::half_even, "1.5"},
            {"1.01", "0.5", rm::up, "1.5"},
            {"1.49", "0.5", rm::down, "1"},
            {"-1.25", "0.5", rm::half_up, "-1.5"},
            {"-1.25", "0.5", rm::half_even, "-1"},
            {"-1.75", "0.5", rm::half_even, "-2"},
            // Step 1
            {"2.5", "1", rm::half_up, "3"},
            {"2.5", "1", rm::half_even, "2"},
            {"2.5", "1", rm::down, "2"},
            {"2.5", "1", rm::up, "3"},
            {"3.5", "1", rm::half_even, "4"},
            {"0.5", "1", rm::half_even, "0"},
            {"2.4999", "1", rm::half_up, "2"},
            {"2.5001", "1", rm::half_even, "3"},
            {"-2.5", "1", rm::half_up, "-3"},
            {"-2.5", "1", rm::half_even, "-2"},
            {"-2.5", "1", rm::down, "-2"},
            {"-2.5", "1", rm::up, "-3"},
            {"-0.5", "1", rm::half_even, "0"},
            {"7", "1", rm::up, "7"},
            {"-7", "1", rm::down, "-7"},
            // Steps above 1 and non-decimal values and steps.
            {"12.5", "5", rm::half_up, "15"},
            {"12.5", "5", rm::half_even, "10"},
            {"40/3", "0.01", rm::half_up, "13.33"},
            {"20/3", "0.01", rm::half_up, "6.67"},
            {"20/3", "0.01", rm::down, "6.66"},
            {"-20/3", "0.01", rm::half_up, "-6.67"},
            {"-20/3", "0.01", rm::down, "-6.66"},
            {"30544/29946", "0.0001", rm::half_up, "1.02"},
            {"0.5", "1/3", rm::half_up, "2/3"},
            {"0.5", "1/3", rm::half_even, "2/3"},
            {"0.5", "1/3", rm::down, "1/3"},
            {"1/6", "1/3", rm::half_even, "0"},
            // Only |step| matters.
            {"2.345", "-0.01", rm::half_up, "2.35"},
            {"-2.345", "-0.01", rm::down, "-2.34"},
        }));
    INFO(x << " to " << step << " mode " << static_cast<int>(mode));
    const number v = num(x);
    const number r = v.round(num(step), mode);
    CHECK(r == num(expected));
    // The result is a multiple of the step.
    CHECK((r / num(step)).is_integer());
    // Symmetry around zero.
    CHECK((-v).round(num(step), mode) == -r);
}

TEST_CASE("round past 128 bits is exact instead of wrapping") {
    const number big = num(max128_text);
    const number up = big.round(number(2), rounding_mode::up);
    CHECK(up.is_big());
    CHECK(up == big + 1);
    CHECK(up.exact_string() == "170141183460469231731687303715884105728");
    CHECK(big.round(number(2), rounding_mode::down) == big - 1);
    CHECK(big.round(number(1), rounding_mode::up) == big);
}

TEST_CASE("to_string shows exactly the asked decimals, half up") {
    auto [x, places, text] = GENERATE(table<std::string, unsigned, std::string>({
        {"96.4", 2, "96.40"},
        {"-0.5", 2, "-0.50"},
        {"40/3", 2, "13.33"},
        {"0", 0, "0"},
        {"0", 2, "0.00"},
        {"20/3", 2, "6.67"},
        {"-20/3", 2, "-6.67"},
        {"2.345", 2, "2.35"},
        {"-2.345", 2, "-2.35"},
        {"2.3449", 2, "2.34"},
        {"2.5", 0, "3"},
        {"-2.5", 0, "-3"},
        {"0.4", 0, "0"},
        {"-0.4", 0, "0"},
        {"-0.001", 2, "0.00"},
        {"-0.005", 2, "-0.01"},
        {"9.999", 2, "10.00"},
        {"-99.995", 2, "-100.00"},
        {"0.125", 5, "0.12500"},
        {"1/3", 10, "0.3333333333"},
        {"2/3", 0, "1"},
        {"37.40", 1, "37.4"},
        {max128_text, 0, max128_text},
        {"-" + max128_text, 1, "-" + max128_text + ".0"},
        // Denominators near 2^127 take the careful digit path.
        {"1/" + max128_text, 40, "0.0000000000000000000000000000000000000059"},
        {"170141183460469231731687303715884105726/" + max128_text, 5, "1.00000"},
        {"170141183460469231731687303715884105726/" + max128_text, 39,
         "0.999999999999999999999999999999999999994"},
    }));
    INFO(x << " with " << places << " places");
    CHECK(num(x).to_string(places) == text);
}

TEST_CASE("exact_string is a finite decimal or a fraction") {
    auto [x, text] = GENERATE(table<std::string, std::string>({
        {"0.3", "0.3"},
        {"96.40", "96.4"},
        {"-2", "-2"},
        {"0.125", "0.125"},
        {"0", "0"},
        {"40/3", "40/3"},
        {"-40/3", "-40/3"},
        {"1/1024", "0.0009765625"},
        {"-1/80", "-0.0125"},
        {"1/6", "1/6"},
        {"30544/29946", "664/651"},
        {"1/85070591730234615865843651857942052864",
         "0.000000000000000000000000000000000000011754943508222875079687365372222456778186655567"
         "720875215087517062784172594547271728515625"},
    }));
    INFO(x);
    CHECK(num(x).exact_string() == text);
    // Whatever exact_string prints reads back as the same value (parse takes up to 38 places).
    if (text.size() < 40) {
        CHECK(num(text) == num(x));
    }
}

TEST_CASE("display trims zeros and marks inexact values") {
    auto [x, min_places, max_places, text] =
        GENERATE(table<std::string, unsigned, unsigned, std::string>({
            {"96.4", 0, 2, "96.4"},
            {"96.4", 2, 2, "96.40"},
            {"96", 0, 2, "96"},
            {"96", 1, 3, "96.0"},
            {"40/3", 0, 2, "\u224813.33"},
            {"-40/3", 0, 2, "\u2248-13.33"},
            {"2/3", 0, 2, "\u22480.67"},
            {"0.125", 0, 2, "\u22480.13"},
            {"0.125", 0, 3, "0.125"},
            {"0.125", 0, 5, "0.125"},
            {"-0.5", 0, 2, "-0.5"},
            {"-0.001", 0, 2, "\u22480"},
            {"0.1", 3, 1, "0.1"},
            {"5", 0, 0, "5"},
            {"2.5", 0, 0, "\u22483"},
            {"0.10", 0, 2, "0.1"},
            {"9.999", 0, 2, "\u224810"},
            {"0", 0, 2, "0"},
        }));
    INFO(x << " [" << min_places << ", " << max_places << "]");
    CHECK(num(x).display(min_places, max_places) == text);
}

TEST_CASE("to_double is the nearest double") {
    CHECK(num("0.1").to_double() == 0.1);
    CHECK(num("-2.5").to_double() == -2.5);
    CHECK(num("40/3").to_double() == Approx(13.333333333333334));
    CHECK(num(max128_text).to_double() == Approx(1.7014118346046923e38));
}

TEST_CASE("fast and general paths agree (randomised, fixed seed)") {
    std::mt19937_64 rng(20181220);
    // Small parts stay on the 64-bit paths; wide ones reach the checked 128-bit paths.
    auto [num_bits, den_bits] =
        GENERATE(table<int, int>({{20, 10}, {40, 20}, {62, 62}, {80, 20}, {100, 12}}));
    INFO(num_bits << "-bit numerators, " << den_bits << "-bit denominators");
    const auto draw = [&rng](int bits) {
        u128 v = (static_cast<u128>(rng()) << 64) | rng();
        v >>= 128 - bits;
        return static_cast<i128>(v);
    };
    // Each identity is checked when its intermediates fit; an overflow must be reported as such.
    int checked = 0;
    const auto attempt = [&checked](auto&& identity) {
        try {
            identity();
            ++checked;
        } catch (const number_error& e) {
            CHECK(e.which() == number_error::kind::overflow);
        }
    };
    for (int i = 0; i < 2000; ++i) {
        const i128 an = draw(num_bits) - draw(num_bits);
        const i128 bn = draw(num_bits) - draw(num_bits);
        const number a = number::ratio(an, draw(den_bits) + 1);
        const number b = number::ratio(bn, draw(den_bits) + 1);
        // Catch's CHECK would swallow the exception, so compute first and check after.
        attempt([&] {
            const number s = a + b;
            const number back_a = s - b;
            const number back_b = s - a;
            CHECK(back_a == a);
            CHECK(back_b == b);
        });
        attempt([&] {
            const number d = (a - b) + b;
            CHECK(d == a);
        });
        attempt([&] {
            const int sign = (a - b).sign();
            CHECK((a <=> b) == (sign <=> 0));
        });
        attempt([&] {
            const number q = b.is_zero() ? a : (a * b) / b;
            CHECK(q == a);
        });
        attempt([&] {
            const number q = b.is_zero() ? a : (a / b) * b;
            CHECK(q == a);
        });
        attempt([&] {
            const number p = a * b;
            const number p2 = b * a;
            CHECK(p == p2);
        });
        CHECK(a.floor() <= a);
        CHECK(a.ceil() >= a);
        CHECK(a.ceil() - a.floor() == (a.is_integer() ? 0 : 1));
    }
    CHECK(checked > 2000);
}

namespace {

// x * y as a 256-bit (high, low) pair, from four 64 x 64 bit products: a reference for the
// comparison of values whose cross products do not fit in 128 bits.
std::pair<u128, u128> mul256(u128 x, u128 y) {
    const u128 mask = ~static_cast<std::uint64_t>(0);
    const u128 x0 = x & mask, x1 = x >> 64, y0 = y & mask, y1 = y >> 64;
    const u128 p00 = x0 * y0, p01 = x0 * y1, p10 = x1 * y0, p11 = x1 * y1;
    const u128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
    const u128 low = (mid << 64) | (p00 & mask);
    const u128 high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return {high, low};
}

}  // namespace

TEST_CASE("comparison of wide values never throws and matches 256-bit cross products") {
    std::mt19937_64 rng(7);
    const auto draw = [&rng](int bits) {
        u128 v = (static_cast<u128>(rng()) << 64) | rng();
        return static_cast<i128>(v >> (128 - bits)) + 1;
    };
    for (int i = 0; i < 5000; ++i) {
        const i128 n1 = draw(126);
        const i128 d1 = draw(126);
        // Half of the pairs are near neighbours, so the continued fractions run deep.
        const bool near = i % 2 == 0;
        const i128 n2 = near ? n1 + draw(8) - 128 : draw(126);
        const i128 d2 = near ? d1 + draw(8) - 128 : draw(126);
        if (n2 <= 0 || d2 <= 0) {
            continue;
        }
        const number a = number::ratio(n1, d1);
        const number b = number::ratio(n2, d2);
        const auto l = mul256(static_cast<u128>(a.numerator()), static_cast<u128>(b.denominator()));
        const auto r = mul256(static_cast<u128>(b.numerator()), static_cast<u128>(a.denominator()));
        const auto expected = l <=> r;
        std::strong_ordering got = std::strong_ordering::equal;
        CHECK_NOTHROW(got = a <=> b);
        CHECK(got == expected);
        CHECK((-a <=> -b) == (0 <=> expected));
        CHECK((b <=> a) == (0 <=> expected));
    }
}

TEST_CASE("display_apart adds the decimals that tell two values apart") {
    using P = std::pair<std::string, std::string>;
    CHECK(number::display_apart(num("36"), num("35.5"), 2) == P{"36.00", "35.50"});
    CHECK(number::display_apart(num("1/3"), num("1/3"), 2) == P{"0.33", "0.33"});  // equal
    CHECK(number::display_apart(num("98.575625"), num("98.5756"), 2)
          == P{"\u224898.57563", "98.5756"});  // apart at five decimals
    CHECK(number::display_apart(num("0.000025"), 0, 2) == P{"\u22480.00003", "0.00"});
    CHECK(number::display_apart(num("1/30000"), 0, 2) == P{"\u22480.00003", "0.00"});
    CHECK(number::display_apart(num("-1/30000"), 0, 2) == P{"\u2248-0.00003", "0.00"});
    // Twelve more decimals at most: beyond that, alike it stays.
    CHECK(number::display_apart(num("1/10") + num("1/1000000000000000000"), num("1/10"), 2)
          == P{"\u22480.10", "0.10"});
}
