// The arbitrary-precision side of `number` (see number.hpp): values whose numerator or
// denominator needs more than 127 bits, computed with GMP's rationals.
//
// A big value is its sign (num_ = +1 or -1) and its magnitude, a positive mpq_class interned in
// one table for the process: one object per distinct magnitude, never changed and never freed,
// found through den_ = -(its address). Interning is what keeps `==` on the two parts exact, and
// it keeps the memory to one copy of each distinct big magnitude. The table is only reached when
// a value leaves 128 bits, so the small fast paths pay nothing for it.
#include <gmpxx.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/number.hpp"

namespace thidua {

namespace {

using u64 = std::uint64_t;

mpz_class from_u128(u128 v) {
    const u64 words[2] = {static_cast<u64>(v), static_cast<u64>(v >> 64)};
    mpz_class z;
    mpz_import(z.get_mpz_t(), 2, -1, sizeof(u64), 0, 0, static_cast<const void*>(words));
    return z;
}

mpz_class from_i128(i128 v) {
    mpz_class z =
        from_u128(v < 0 ? static_cast<u128>(0) - static_cast<u128>(v) : static_cast<u128>(v));
    if (v < 0) {
        z = -z;
    }
    return z;
}

// |z| for |z| < 2^128.
u128 to_u128(const mpz_class& z) {
    u64 words[2] = {0, 0};
    std::size_t count = 0;
    mpz_export(static_cast<void*>(words), &count, -1, sizeof(u64), 0, 0, z.get_mpz_t());
    return (static_cast<u128>(words[1]) << 64) | words[0];
}

mpq_class absolute(const mpq_class& v) {
    return abs(v);  // gmpxx's (inside number's members, number::abs would hide it)
}

std::size_t bits(const mpz_class& z) {
    return mpz_sizeinbase(z.get_mpz_t(), 2);
}

// Interned magnitudes, keyed by their text in base 32. Allocated once and never destroyed: a
// number held by a static object may be read during exit.
const mpq_class* intern(mpq_class magnitude) {
    static auto* const table = new std::unordered_map<std::string, mpq_class>();
    static auto* const guard = new std::mutex();
    std::string key = magnitude.get_str(32);
    const std::lock_guard<std::mutex> lock(*guard);
    return &table->try_emplace(std::move(key), std::move(magnitude)).first->second;
}

// "123456789012…345678901234" for a long run of digits (messages quote operands, and a big
// operand can have thousands of digits); shorter text unchanged.
std::string shorten(const std::string& text) {
    constexpr std::size_t keep = 12;
    if (text.size() <= 3 * keep) {
        return text;
    }
    return text.substr(0, keep) + "\u2026" + text.substr(text.size() - keep);
}

}  // namespace

struct big_access {
    static const mpq_class& magnitude(const number& x) {
        return *reinterpret_cast<const mpq_class*>(
            static_cast<std::uintptr_t>(static_cast<u128>(0) - static_cast<u128>(x.den_)));
    }

    static mpq_class value(const number& x) {
        if (!x.is_big()) {
            return {from_i128(x.num_), from_i128(x.den_)};  // already normalised
        }
        return x.num_ < 0 ? mpq_class(-magnitude(x)) : magnitude(x);
    }

    // The number for a canonical rational; `operation` words the computation if it is too large.
    template <class Operation>
    static number make(const mpq_class& v, Operation&& operation) {
        const mpz_class& n = v.get_num();
        const mpz_class& d = v.get_den();
        if (bits(n) <= 127 && bits(d) <= 127) {
            const auto m = static_cast<i128>(to_u128(n));
            return {sgn(n) < 0 ? -m : m, static_cast<i128>(to_u128(d))};
        }
        if (bits(n) > number::max_bits || bits(d) > number::max_bits) {
            std::string text = operation();
            throw number_error(number_error::kind::overflow,
                               "overflow: " + text + " needs more than "
                                   + std::to_string(number::max_bits) + " bits to be held exactly",
                               text);
        }
        const mpq_class* m = intern(absolute(v));
        return {sgn(n) < 0 ? -1 : 1,
                static_cast<i128>(static_cast<u128>(0)
                                  - static_cast<u128>(reinterpret_cast<std::uintptr_t>(m)))};
    }

    static std::string binary(const number& a, char op, const number& b) {
        std::string text = a.brief_string();
        text += ' ';
        text += op;
        text += ' ';
        text += b.brief_string();
        return text;
    }
};

number number::big_add(const number& a, const number& b, char op) {
    return big_access::make(big_access::value(a) + big_access::value(b),
                            [&] { return big_access::binary(a, op, op == '-' ? -b : b); });
}

number number::big_multiply(const number& a, const number& b, char op) {
    const mpq_class x = big_access::value(a);
    const mpq_class y = big_access::value(b);
    return big_access::make(op == '/' ? mpq_class(x / y) : mpq_class(x * y),
                            [&] { return big_access::binary(a, op, b); });
}

number number::big_product(bool negative, u128 an, u128 ad, u128 bn, u128 bd) {
    mpq_class r(from_u128(an) * from_u128(bn), from_u128(ad) * from_u128(bd));
    r.canonicalize();
    if (negative) {
        r = -r;
    }
    // Four parts below 2^128 give at most 256 bits: never past max_bits.
    return big_access::make(r, [] { return std::string("(product)"); });
}

std::strong_ordering number::big_compare(const number& a, const number& b) {
    const int c = cmp(big_access::value(a), big_access::value(b));
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

bool number::big_is_integer() const {
    return big_access::magnitude(*this).get_den() == 1;
}

number number::big_floor(bool ceiling) const {
    const mpq_class v = big_access::value(*this);
    mpz_class q;
    if (ceiling) {
        mpz_cdiv_q(q.get_mpz_t(), v.get_num_mpz_t(), v.get_den_mpz_t());
    } else {
        mpz_fdiv_q(q.get_mpz_t(), v.get_num_mpz_t(), v.get_den_mpz_t());
    }
    // An integer part has no more bits than the value's numerator: never past max_bits.
    return big_access::make(mpq_class(q), [] { return std::string("(integer part)"); });
}

number number::big_round(const number& step, rounding_mode mode) const {
    // The same rule as round(): |x| / |step| split into whole steps and a remainder, the
    // remainder compared with half a step, the sign put back at the end.
    const mpq_class s = absolute(big_access::value(step));
    const mpq_class q = absolute(big_access::value(*this)) / s;
    mpz_class whole;
    mpz_class rem;
    mpz_tdiv_qr(whole.get_mpz_t(), rem.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
    const mpz_class rest = q.get_den() - rem;
    const int order = cmp(rem, rest);
    if (rounds_away(mode, rem == 0, order <=> 0, mpz_odd_p(whole.get_mpz_t()) != 0)) {
        whole += 1;
    }
    mpq_class r = mpq_class(whole) * s;
    if (sign() < 0) {
        r = -r;
    }
    return big_access::make(
        r, [&] { return "round(" + brief_string() + ", " + step.abs().brief_string() + ")"; });
}

std::string number::big_render(unsigned places, bool& exact) const {
    const mpq_class& m = big_access::magnitude(*this);
    mpz_class scale;
    mpz_ui_pow_ui(scale.get_mpz_t(), 10, places);
    const mpz_class scaled = m.get_num() * scale;
    mpz_class whole;
    mpz_class rem;
    mpz_tdiv_qr(whole.get_mpz_t(), rem.get_mpz_t(), scaled.get_mpz_t(), m.get_den_mpz_t());
    exact = rem == 0;
    if (2 * rem >= m.get_den()) {  // half up on the magnitude, as render() does
        whole += 1;
    }
    std::string digits = whole.get_str(10);
    if (digits.size() <= places) {
        digits.insert(0, places + 1 - digits.size(), '0');
    }
    std::string out;
    if (num_ < 0 && whole != 0) {
        out += '-';
    }
    out.append(digits, 0, digits.size() - places);
    if (places > 0) {
        out += '.';
        out.append(digits, digits.size() - places, places);
    }
    return out;
}

std::string number::big_exact_string() const {
    const mpq_class& m = big_access::magnitude(*this);
    mpz_class rest = m.get_den();
    const auto twos = static_cast<unsigned>(mpz_scan1(rest.get_mpz_t(), 0));
    rest >>= twos;
    const mpz_class five = 5;
    const auto fives =
        static_cast<unsigned>(mpz_remove(rest.get_mpz_t(), rest.get_mpz_t(), five.get_mpz_t()));
    if (rest == 1) {
        bool exact = true;
        return big_render(std::max(twos, fives), exact);
    }
    std::string out = num_ < 0 ? "-" : "";
    out += m.get_num().get_str(10);
    out += '/';
    out += m.get_den().get_str(10);
    return out;
}

double number::big_to_double() const {
    const double d = big_access::magnitude(*this).get_d();
    return num_ < 0 ? -d : d;
}

std::string number::brief_string() const {
    if (!is_big()) {
        return exact_string();
    }
    const mpq_class& m = big_access::magnitude(*this);
    std::string out = num_ < 0 ? "-" : "";
    out += shorten(m.get_num().get_str(10));
    if (m.get_den() != 1) {
        out += '/';
        out += shorten(m.get_den().get_str(10));
    }
    return out;
}

}  // namespace thidua
