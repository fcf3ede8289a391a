#include "engine/number.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace thidua {
namespace {

using u64 = std::uint64_t;

constexpr i128 max_i128 = static_cast<i128>(~static_cast<u128>(0) >> 1);
constexpr u128 max_mag = static_cast<u128>(max_i128);  // the largest allowed |numerator|

bool fits64(i128 v) {
    return static_cast<i128>(static_cast<std::int64_t>(v)) == v;
}
bool fits_u64(u128 v) {
    return (v >> 64) == 0;
}

// |v| for v within [-2^63, 2^63).
u64 magnitude64(i128 v) {
    const auto s = static_cast<std::int64_t>(v);
    return s < 0 ? static_cast<u64>(0) - static_cast<u64>(s) : static_cast<u64>(s);
}

u128 magnitude(i128 v) {
    return v < 0 ? static_cast<u128>(0) - static_cast<u128>(v) : static_cast<u128>(v);
}

// Binary gcd: shifts and subtractions only, no division, which is what makes the common
// small-denominator case cheap. The loop body has no unpredictable branch: the trailing zeros of
// the difference are counted while the minimum and |difference| are formed (ctz(x) == ctz(-x)),
// which shortens the dependency chain of each step (D. Lemire's variant of Stein's algorithm).
u64 gcd64_loop(u64 a, u64 b);

// The trivial cases are inline at every caller: integers and unit fractions are common operands,
// and a call for gcd(x, 1) costs more than the answer.
inline u64 gcd64(u64 a, u64 b) {
    if (a == 1 || b == 1) {
        return 1;
    }
    if (a == 0) {
        return b;
    }
    if (b == 0) {
        return a;
    }
    return gcd64_loop(a, b);
}

// gcd64 for a, b > 0.
inline u64 gcd_positive(u64 a, u64 b) {
    return a == 1 || b == 1 ? 1 : gcd64_loop(a, b);
}

// gcd64 for a, b > 0 (loops for a, b >= 2).
[[gnu::noinline]] u64 gcd64_loop(u64 a, u64 b) {
    // The binary loop takes about one step per bit of the larger operand. When the operands are
    // of very different sizes (a sum's wide denominator against one term's, a small integer
    // factor against a denominator), one remainder brings the larger down to the smaller's size
    // for the price of one division.
    if (a > b) {
        std::swap(a, b);
    }
    if ((a & (a - 1)) == 0) {
        // a = 2^k (a decimal's or a quarter's denominator 2, 4, 8, ...): gcd(2^k, b) is
        // 2^min(k, ctz(b)), the lowest set bit of a | b. No loop and no division.
        const u64 both = a | b;
        return both & (static_cast<u64>(0) - both);
    }
    if ((b >> 8) > a) {
        b %= a;
        if (b == 0) {
            return a;
        }
    }
    const int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    int bz = __builtin_ctzll(b);
    if ((b >> 63) == 0) {
        // Both below 2^63 (a <= b): the difference is a signed 64-bit value, and its absolute
        // value (negate, conditional move) is one step shorter than the mask below.
        auto sa = static_cast<std::int64_t>(a);
        auto sb = static_cast<std::int64_t>(b);
        for (;;) {
            sb >>= bz;
            const std::int64_t diff = sb - sa;
            if (diff == 0) {
                break;
            }
            bz = __builtin_ctzll(static_cast<u64>(diff));
            sa = std::min(sa, sb);
            sb = diff < 0 ? -diff : diff;
        }
        return static_cast<u64>(sa) << shift;
    }
    for (;;) {
        b >>= bz;
        const u64 diff = b - a;
        if (diff == 0) {
            break;
        }
        bz = __builtin_ctzll(diff);
        // Which operand is smaller is a coin toss at every step, so the selection is done with
        // a mask: written with `?:`, g++ 12 made it a branch, mispredicted about half the time
        // and costlier than the rest of the step.
        const u64 mask = static_cast<u64>(0) - static_cast<u64>(b < a);  // all ones when b < a
        const u64 low = a ^ ((a ^ b) & mask);                            // min(a, b)
        b = (diff ^ mask) - mask;  // |b - a| (diff, or its negation a - b), even
        a = low;
    }
    return a << shift;
}

// a / d and a % d for a 64-bit divisor: two 128-by-64-bit hardware divisions (high part, then
// remainder:low part), where the generic u128 operators are library calls that also handle
// 128-bit divisors.
u128 divmod64(u128 a, u64 d, u64& rem) {
#if defined(__x86_64__)
    const auto hi = static_cast<u64>(a >> 64);
    const auto lo = static_cast<u64>(a);
    const u64 q_hi = hi / d;
    u64 r = hi % d;  // < d, so the quotient of (r:lo) / d fits in 64 bits: divq cannot fault
    u64 q_lo = 0;
    __asm__("divq %4" : "=a"(q_lo), "=d"(r) : "a"(lo), "d"(r), "rm"(d));
    rem = r;
    return (static_cast<u128>(q_hi) << 64) | q_lo;
#else
    rem = static_cast<u64>(a % d);
    return a / d;
#endif
}

// Euclid's remainder steps shrink large operands quickly; once both fit in 64 bits the binary
// gcd finishes without any more 128-bit divisions.
u128 gcd128(u128 a, u128 b) {
    if (a == 1 || b == 1) {
        return 1;
    }
    while (b != 0 && (!fits_u64(a) || !fits_u64(b))) {
        u128 r = 0;
        if (fits_u64(b)) {
            u64 r64 = 0;
            (void)divmod64(a, static_cast<u64>(b), r64);
            r = r64;
        } else {
            r = a % b;
        }
        a = b;
        b = r;
    }
    if (b == 0) {
        return a;
    }
    return gcd64(static_cast<u64>(a), static_cast<u64>(b));
}

// Division and remainder that stay in 64-bit instructions when they can.
u128 udiv(u128 a, u128 b) {
    if (fits_u64(b)) {
        if (fits_u64(a)) {
            return static_cast<u64>(a) / static_cast<u64>(b);
        }
        u64 r = 0;
        return divmod64(a, static_cast<u64>(b), r);
    }
    return a / b;
}
u128 umod(u128 a, u128 b) {
    if (fits_u64(b)) {
        if (fits_u64(a)) {
            return static_cast<u64>(a) % static_cast<u64>(b);
        }
        u64 r = 0;
        (void)divmod64(a, static_cast<u64>(b), r);
        return r;
    }
    return a % b;
}
i128 sdiv(i128 a, i128 b) {
    if (fits64(a) && fits64(b)) {
        return static_cast<std::int64_t>(a) / static_cast<std::int64_t>(b);
    }
    return a / b;
}

// gcd(m, g) for a small g, by one remainder step only when m is wide.
u64 gcd_with(u128 m, u64 g) {
    return gcd64(static_cast<u64>(fits_u64(m) ? m : umod(m, g)), g);
}

// t / g for 0 < g < 2^63 that divides t.
i128 div_by(i128 t, u64 g) {
    if (fits64(t)) {
        return static_cast<std::int64_t>(t) / static_cast<std::int64_t>(g);
    }
    const auto q = static_cast<i128>(udiv(magnitude(t), g));  // |t| <= INT128_MAX: no wrap
    return t < 0 ? -q : q;
}

std::string u128_to_string(u128 v) {
    char buf[40];
    char* p = buf + sizeof buf;
    do {
        *--p = static_cast<char>('0' + static_cast<int>(v % 10));
        v /= 10;
    } while (v != 0);
    return {p, buf + sizeof buf};
}

// Appends v in decimal. (Built by appending: `"-" + string` trips a false -Wrestrict in g++ 12.)
void append_integer(std::string& out, i128 v) {
    if (v < 0) {
        out += '-';
    }
    out += u128_to_string(magnitude(v));
}

// Next decimal digit of rem / den (rem < den), leaving the new remainder in rem.
unsigned next_digit(u128& rem, u128 den) {
    if ((den >> 123) == 0) {  // rem * 10 < 2^127: plain arithmetic
        const u128 t = rem * 10;
        const auto digit = static_cast<unsigned>(udiv(t, den));
        rem = t - digit * den;
        return digit;
    }
    // rem * 10 could exceed 128 bits: add rem ten times modulo den, counting the wraps.
    // Each partial sum is below 2 * den < 2^128.
    unsigned digit = 0;
    u128 acc = 0;
    for (int i = 0; i < 10; ++i) {
        acc += rem;
        if (acc >= den) {
            acc -= den;
            ++digit;
        }
    }
    rem = acc;
    return digit;
}

[[noreturn]] void fail_division(const number& a, const number& b) {
    std::string operation = a.brief_string();
    operation += " / ";
    operation += b.brief_string();
    throw number_error(number_error::kind::division_by_zero, "division by zero: " + operation,
                       operation);
}

// Compares a/b with c/d for positive values by their continued fractions: equal integer parts
// reduce the question to comparing the reciprocals of the fractional parts, the other way round.
// No products, so nothing can overflow; it terminates like Euclid's algorithm.
std::strong_ordering compare_fractions(u128 a, u128 b, u128 c, u128 d) {
    bool flipped = false;
    for (;;) {
        const u128 q1 = udiv(a, b);
        const u128 q2 = udiv(c, d);
        std::strong_ordering order = std::strong_ordering::equal;
        if (q1 != q2) {
            order = q1 < q2 ? std::strong_ordering::less : std::strong_ordering::greater;
        } else {
            const u128 r1 = a - q1 * b;
            const u128 r2 = c - q2 * d;
            if (r1 != 0 && r2 != 0) {
                // r1/b < r2/d  <=>  b/r1 > d/r2
                a = b;
                b = r1;
                c = d;
                d = r2;
                flipped = !flipped;
                continue;
            }
            if (r1 != r2) {
                order = r1 == 0 ? std::strong_ordering::less : std::strong_ordering::greater;
            }
        }
        return flipped ? 0 <=> order : order;
    }
}

}  // namespace

std::optional<number> number::parse(std::string_view text) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    const bool negative = i < n && text[i] == '-';
    if (negative) {
        ++i;
    }
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    const std::size_t int_begin = i;
    while (i < n && is_digit(text[i])) {
        ++i;
    }
    const std::size_t int_end = i;
    if (int_end == int_begin) {
        return std::nullopt;
    }
    std::size_t frac_begin = i;
    std::size_t frac_end = i;
    if (i < n && text[i] == '.') {
        frac_begin = ++i;
        while (i < n && is_digit(text[i])) {
            ++i;
        }
        frac_end = i;
        if (frac_end == frac_begin) {
            return std::nullopt;
        }
    }
    if (i != n) {
        return std::nullopt;
    }
    // Trailing zeros of the fraction carry no value; dropping them keeps "1.5000…0" parseable.
    while (frac_end > frac_begin && text[frac_end - 1] == '0') {
        --frac_end;
    }
    const std::size_t places = frac_end - frac_begin;
    if (places > 38) {  // 10^39 > INT128_MAX: the denominator could not be held
        return std::nullopt;
    }
    u128 mag = 0;
    const auto push = [&mag](char c) {
        const auto digit = static_cast<unsigned>(c - '0');
        if (mag > (max_mag - digit) / 10) {
            return false;
        }
        mag = mag * 10 + digit;
        return true;
    };
    for (std::size_t k = int_begin; k < int_end; ++k) {
        if (!push(text[k])) {
            return std::nullopt;
        }
    }
    u128 den = 1;
    for (std::size_t k = frac_begin; k < frac_end; ++k) {
        if (!push(text[k])) {
            return std::nullopt;
        }
        den *= 10;
    }
    if (mag == 0) {
        return number();
    }
    const u128 g = fits_u64(mag) && fits_u64(den)
                       ? gcd64(static_cast<u64>(mag), static_cast<u64>(den))
                       : gcd128(mag, den);
    const auto num = static_cast<i128>(udiv(mag, g));
    return number(negative ? -num : num, static_cast<i128>(udiv(den, g)));
}

number number::ratio(i128 num, i128 den) {
    if (den == 0) {
        std::string operation;
        append_integer(operation, num);
        operation += " / 0";
        throw number_error(number_error::kind::division_by_zero, "division by zero: " + operation,
                           operation);
    }
    if (num == 0) {
        return number();
    }
    const bool negative = (num < 0) != (den < 0);
    u128 n = magnitude(num);
    u128 d = magnitude(den);
    const u128 g = gcd128(n, d);
    n = udiv(n, g);
    d = udiv(d, g);
    if (n > max_mag || d > max_mag) {  // 2^127 (INT128_MIN / -1): one bit more than a small part
        return big_product(negative, n, d, 1, 1);
    }
    const auto sn = static_cast<i128>(n);
    return number(negative ? -sn : sn, static_cast<i128>(d));
}

// a/b + c/d by Knuth's method (TAOCP 4.5.1): with g = gcd(b, d), t = a(d/g) + c(b/g), the result
// is (t/g2) / ((b/g)(d/g2)) with g2 = gcd(t, g), already normalised. Using the lcm keeps the
// intermediates small; with g == 1 no gcd of the result is needed at all.
number number::add(const number& x, const number& y, char op) {
    if (!small_parts(x, y)) {
        return add_wide(x, y, op);
    }
    // Every part is within [-2^63, 2^63): each product below is one 64 x 64-bit multiply, under
    // 2^126 in magnitude, and each sum under 2^127, so no overflow check is needed. An integer
    // operand (a running sum's 0, `ratio - 1`, whole points) needs no gcd and no division; it is
    // handled here, in a frame light enough for its few instructions, and the rest goes to add64.
    const auto a = static_cast<std::int64_t>(x.num_);
    const auto c = static_cast<std::int64_t>(y.num_);
    const auto ub = static_cast<u64>(x.den_);
    const auto ud = static_cast<u64>(y.den_);
    if (ub == 1) {
        return number(static_cast<i128>(a) * static_cast<std::int64_t>(ud) + c, ud);
    }
    if (ud == 1) {
        return number(a + static_cast<i128>(c) * static_cast<std::int64_t>(ub), ub);
    }
    return add64(a, ub, c, ud);
}

// a/ub + c/ud for parts within [-2^63, 2^63) and ub, ud > 1. Divisions are the slow
// instructions here, so the common shapes (equal denominators, coprime denominators) avoid
// them, and no division by a gcd of 1 is made.
[[gnu::noinline]] number number::add64(std::int64_t a, std::uint64_t ub, std::int64_t c,
                                       std::uint64_t ud) {
    const auto times = [](std::int64_t v, u64 den) {  // den < 2^63
        return static_cast<i128>(v) * static_cast<std::int64_t>(den);
    };
    const auto den_times = [](u64 d1, u64 d2) {
        return static_cast<i128>(static_cast<u128>(d1) * d2);
    };
    if (ub == ud) {
        const i128 t = static_cast<i128>(a) + c;
        const u64 g = gcd_with(magnitude(t), ub);
        return g == 1 ? number(t, ub) : number(div_by(t, g), ub / g);
    }
    const u64 g = gcd_positive(ub, ud);
    if (g == 1) {
        return number(times(a, ud) + times(c, ub), den_times(ub, ud));
    }
    const u64 bg = ub / g;
    const u64 dg = ud / g;
    const i128 t = times(a, dg) + times(c, bg);
    if (t == 0) {
        return number();
    }
    const u64 g2 = gcd_with(magnitude(t), g);
    if (g2 == 1) {
        return number(t, den_times(bg, ud));
    }
    return number(div_by(t, g2), den_times(bg, ud / g2));
}

[[gnu::noinline]] number number::add_wide(const number& x, const number& y, char op) {
    if (x.is_big() || y.is_big()) {
        return big_add(x, y, op);
    }
    const i128 a = x.num_;
    const i128 b = x.den_;
    const i128 c = y.num_;
    const i128 d = y.den_;
    // The same method with every step checked. With coprime denominators (g == 1) the result
    // needs no gcd and no division at all; otherwise the divisions are by g or g2, which are
    // below 2^64 whenever one denominator is, and so take the 64-bit divisor paths.
    const auto g = static_cast<i128>(gcd128(static_cast<u128>(b), static_cast<u128>(d)));
    const i128 bg =
        g == 1 ? b : static_cast<i128>(udiv(static_cast<u128>(b), static_cast<u128>(g)));
    const i128 dg =
        g == 1 ? d : static_cast<i128>(udiv(static_cast<u128>(d), static_cast<u128>(g)));
    i128 p1 = 0;
    i128 p2 = 0;
    i128 t = 0;
    if (__builtin_mul_overflow(a, dg, &p1) || __builtin_mul_overflow(c, bg, &p2)
        || __builtin_add_overflow(p1, p2, &t) || t == min_i128) {
        return big_add(x, y, op);
    }
    if (t == 0) {
        return number();
    }
    const auto g2 =
        g == 1 ? i128{1} : static_cast<i128>(gcd128(magnitude(t), static_cast<u128>(g)));
    const i128 dg2 =
        g2 == 1 ? d : static_cast<i128>(udiv(static_cast<u128>(d), static_cast<u128>(g2)));
    i128 den = 0;
    if (__builtin_mul_overflow(bg, dg2, &den)) {
        return big_add(x, y, op);
    }
    if (g2 == 1) {
        return number(t, den);
    }
    const auto q = static_cast<i128>(udiv(magnitude(t), static_cast<u128>(g2)));
    return number(t < 0 ? -q : q, den);
}

// (an/ad) * (bn/bd) = ((an/g1)(bn/g2)) / ((ad/g2)(bd/g1)) with g1 = gcd(an, bd), g2 = gcd(bn,
// ad): cancelling before multiplying leaves a normalised result, so an overflow here means the
// exact product really does not fit in 128 bits, and it is made big.
number number::multiply_parts(bool negative, u128 an, u128 ad, u128 bn, u128 bd) {
    if (an == 0 || bn == 0) {
        return number();
    }
    u128 n = 0;
    u128 d = 0;
    if (fits_u64(an) && fits_u64(ad) && fits_u64(bn) && fits_u64(bd)) {
        auto an1 = static_cast<u64>(an);
        auto ad1 = static_cast<u64>(ad);
        auto bn1 = static_cast<u64>(bn);
        auto bd1 = static_cast<u64>(bd);
        if (const u64 g1 = gcd64(an1, bd1); g1 != 1) {
            an1 /= g1;
            bd1 /= g1;
        }
        if (const u64 g2 = gcd64(bn1, ad1); g2 != 1) {
            bn1 /= g2;
            ad1 /= g2;
        }
        // 64 x 64 bit products always fit in 128 unsigned bits.
        n = static_cast<u128>(an1) * bn1;
        d = static_cast<u128>(ad1) * bd1;
    } else {
        const u128 g1 = gcd128(an, bd);
        const u128 g2 = gcd128(bn, ad);
        const auto cut = [](u128 v, u128 g) { return g == 1 ? v : udiv(v, g); };
        if (__builtin_mul_overflow(cut(an, g1), cut(bn, g2), &n)
            || __builtin_mul_overflow(cut(ad, g2), cut(bd, g1), &d)) {
            return big_product(negative, an, ad, bn, bd);
        }
    }
    if (n > max_mag || d > max_mag) {
        return big_product(negative, an, ad, bn, bd);
    }
    const auto sn = static_cast<i128>(n);
    return number(negative ? -sn : sn, static_cast<i128>(d));
}

[[gnu::always_inline]] inline number number::product64(bool negative, u64 an, u64 ad, u64 bn,
                                                       u64 bd) {
    if (const u64 g1 = gcd_positive(an, bd); g1 != 1) {
        an /= g1;
        bd /= g1;
    }
    if (const u64 g2 = gcd_positive(bn, ad); g2 != 1) {
        bn /= g2;
        ad /= g2;
    }
    const auto n = static_cast<i128>(static_cast<u128>(an) * bn);  // <= 2^126
    return number(negative ? -n : n, static_cast<i128>(static_cast<u128>(ad) * bd));
}

number number::multiply(const number& a, const number& b) {
    if (small_parts(a, b)) {
        if (a.num_ == 0 || b.num_ == 0) {
            return number();
        }
        return product64((a.num_ < 0) != (b.num_ < 0), magnitude64(a.num_),
                         static_cast<u64>(a.den_), magnitude64(b.num_), static_cast<u64>(b.den_));
    }
    return multiply_wide(a, b);
}

[[gnu::noinline]] number number::multiply_wide(const number& a, const number& b) {
    if (a.is_big() || b.is_big()) {
        return big_multiply(a, b, '*');
    }
    return multiply_parts((a.num_ < 0) != (b.num_ < 0), magnitude(a.num_),
                          static_cast<u128>(a.den_), magnitude(b.num_), static_cast<u128>(b.den_));
}

number operator/(const number& a, const number& b) {
    if (b.num_ == 0) {
        fail_division(a, b);
    }
    if (number::small_parts(a, b)) {
        if (a.num_ == 0) {
            return number();
        }
        // |b.num_| <= 2^63 becomes a denominator: still a part of at most 2^63.
        return number::product64((a.num_ < 0) != (b.num_ < 0), magnitude64(a.num_),
                                 static_cast<u64>(a.den_), static_cast<u64>(b.den_),
                                 magnitude64(b.num_));
    }
    if (b.den_ == 1 && (b.num_ == 1 || b.num_ == -1)) {
        return b.num_ == 1 ? a : -a;
    }
    return number::divide_wide(a, b);
}

[[gnu::noinline]] number number::divide_wide(const number& a, const number& b) {
    if (a.is_big() || b.is_big()) {
        return big_multiply(a, b, '/');
    }
    return multiply_parts((a.num_ < 0) != (b.num_ < 0), magnitude(a.num_),
                          static_cast<u128>(a.den_), static_cast<u128>(b.den_), magnitude(b.num_));
}

std::strong_ordering number::compare(const number& x, const number& y) {
    if (small_parts(x, y)) {
        // 64 x 64-bit cross products (one multiply instruction each) are exact in 128 bits.
        return static_cast<i128>(static_cast<std::int64_t>(x.num_))
                   * static_cast<std::int64_t>(y.den_)
               <=> static_cast<i128>(static_cast<std::int64_t>(y.num_))
                       * static_cast<std::int64_t>(x.den_);
    }
    return compare_wide(x, y);
}

[[gnu::noinline]] std::strong_ordering number::compare_wide(const number& x, const number& y) {
    const int sx = x.sign();
    const int sy = y.sign();
    if (sx != sy) {
        return sx <=> sy;
    }
    if (sx == 0) {
        return std::strong_ordering::equal;
    }
    if (x.is_big() || y.is_big()) {
        return big_compare(x, y);
    }
    i128 l = 0;
    i128 r = 0;
    if (!__builtin_mul_overflow(x.num_, y.den_, &l)
        && !__builtin_mul_overflow(y.num_, x.den_, &r)) {
        return l <=> r;
    }
    const auto order = compare_fractions(magnitude(x.num_), static_cast<u128>(x.den_),
                                         magnitude(y.num_), static_cast<u128>(y.den_));
    return sx > 0 ? order : 0 <=> order;
}

number number::floor() const {
    if (den_ == 1) {
        return *this;
    }
    if (is_big()) {
        return big_floor(false);
    }
    // Truncating division, then one step down for negative values (never exact here, since the
    // denominator is > 1 and coprime to the numerator).
    const i128 q = sdiv(num_, den_);
    return number(num_ < 0 ? q - 1 : q, 1);
}

number number::ceil() const {
    if (den_ == 1) {
        return *this;
    }
    if (is_big()) {
        return big_floor(true);
    }
    const i128 q = sdiv(num_, den_);
    return number(num_ > 0 ? q + 1 : q, 1);
}

bool number::rounds_away(rounding_mode mode, bool exact, std::strong_ordering rem_to_rest,
                         bool whole_odd) {
    switch (mode) {
        case rounding_mode::down:
            return false;
        case rounding_mode::up:
            return !exact;
        case rounding_mode::half_up:
            return rem_to_rest >= 0;
        case rounding_mode::half_even:
            return rem_to_rest > 0 || (rem_to_rest == 0 && whole_odd);
    }
    return false;
}

number number::round(const number& step, rounding_mode mode) const {
    if (step.is_zero()) {
        fail_division(*this, step);
    }
    if (is_big() || step.is_big()) {
        return big_round(step, mode);
    }
    const u128 a = magnitude(num_);
    const auto b = static_cast<u128>(den_);
    const u128 p = magnitude(step.num_);
    const auto q = static_cast<u128>(step.den_);
    const bool narrow = fits_u64(a) && fits_u64(b) && fits_u64(p) && fits_u64(q);
    // |x| / |step| = (a q) / (b p). Rounding needs only the integer part and whether the
    // remainder is below, at or above half the divisor, none of which needs the fraction reduced;
    // with 64-bit parts the products fit as they are. Otherwise take the reduced quotient (which
    // itself reports an overflow when it does not fit).
    u128 n = 0;
    u128 d = 0;
    if (narrow) {
        n = a * q;
        d = b * p;
    } else {
        const number quotient = *this / step;
        if (quotient.is_big()) {
            return big_round(step, mode);
        }
        n = magnitude(quotient.num_);
        d = static_cast<u128>(quotient.den_);
    }
    const u128 whole = udiv(n, d);
    const u128 rem = n - whole * d;
    const u128 rest = d - rem;  // compare rem with d / 2 as rem vs d - rem: no doubling overflow
    const bool bump = rounds_away(mode, rem == 0, rem <=> rest, (whole & 1) != 0);
    const u128 steps = whole + (bump ? 1 : 0);
    if (steps == 0) {
        return number();
    }
    const bool negative = num_ < 0;
    // steps * p / q, normalised: p / q already is, so only steps and q can share factors.
    if (narrow && fits_u64(steps)) {
        auto s = static_cast<u64>(steps);
        auto den = static_cast<u64>(q);
        if (const u64 g = gcd64(s, den); g != 1) {
            s /= g;
            den /= g;
        }
        const u128 mag = static_cast<u128>(s) * static_cast<u64>(p);
        if (mag > max_mag) {
            return big_product(negative, s, den, p, 1);
        }
        const auto sn = static_cast<i128>(mag);
        return number(negative ? -sn : sn, static_cast<i128>(den));
    }
    return multiply_parts(negative, steps, 1, p, q);
}

std::string number::render(unsigned places, bool& exact) const {
    if (is_big()) {
        return big_render(places, exact);
    }
    const u128 m = magnitude(num_);
    const auto d = static_cast<u128>(den_);
    u128 whole = udiv(m, d);
    u128 rem = m - whole * d;
    std::string frac(places, '0');
    for (unsigned i = 0; i < places; ++i) {
        frac[i] = static_cast<char>('0' + next_digit(rem, d));
    }
    exact = rem == 0;
    // Half up: the cut-off part is at least one half. 2 * rem < 2 * d <= 2^128 - 2.
    if (2 * rem >= d) {
        std::size_t i = frac.size();
        while (i > 0 && frac[i - 1] == '9') {
            frac[--i] = '0';
        }
        if (i > 0) {
            ++frac[i - 1];
        } else {
            ++whole;  // whole < 2^127, so this cannot wrap
        }
    }
    std::string out;
    const bool shows_zero =
        whole == 0 && std::all_of(frac.begin(), frac.end(), [](char c) { return c == '0'; });
    if (num_ < 0 && !shows_zero) {
        out += '-';
    }
    out += u128_to_string(whole);
    if (places > 0) {
        out += '.';
        out += frac;
    }
    return out;
}

std::string number::exact_string() const {
    // A finite decimal expansion exists exactly when the denominator is 2^i * 5^j; it then has
    // max(i, j) places.
    if (is_big()) {
        return big_exact_string();
    }
    u128 d = static_cast<u128>(den_);
    unsigned twos = 0;
    unsigned fives = 0;
    while ((d & 1) == 0) {
        d >>= 1;
        ++twos;
    }
    while (umod(d, 5) == 0) {
        d = udiv(d, 5);
        ++fives;
    }
    if (d != 1) {
        std::string out;
        append_integer(out, num_);
        out += '/';
        append_integer(out, den_);
        return out;
    }
    bool exact = true;
    return render(std::max(twos, fives), exact);
}

std::string number::to_string(unsigned places) const {
    bool exact = true;
    return render(places, exact);
}

std::string number::display(unsigned min_places, unsigned max_places) const {
    bool exact = true;
    std::string text = render(max_places, exact);
    min_places = std::min(min_places, max_places);
    if (max_places > 0) {
        std::size_t keep = text.size();
        const std::size_t shortest = text.size() - (max_places - min_places);
        while (keep > shortest && text[keep - 1] == '0') {
            --keep;
        }
        if (text[keep - 1] == '.') {
            --keep;
        }
        text.resize(keep);
    }
    return exact ? text : "\u2248" + text;
}

std::pair<std::string, std::string> number::display_apart(const number& a, const number& b,
                                                          unsigned places, bool same_decimals) {
    std::pair<std::string, std::string> out{a.to_string(places), b.to_string(places)};
    // Alike when the digits are: "≈0.00" and "0.00" are not told apart by the mark alone.
    const auto digits = [](const std::string& t) {
        const std::string mark = "\u2248";
        return t.compare(0, mark.size(), mark) == 0 ? t.substr(mark.size()) : t;
    };
    for (unsigned p = places + 1;
         a != b && digits(out.first) == digits(out.second) && p <= places + 12; ++p) {
        const unsigned shortest = same_decimals ? p : places;
        out = {a.display(shortest, p), b.display(shortest, p)};
    }
    return out;
}

double number::to_double() const {
    if (is_big()) {
        return big_to_double();
    }
    return static_cast<double>(num_) / static_cast<double>(den_);
}

}  // namespace thidua
