// Helpers for the number tests that share no code with engine/number.cpp: Euclid's algorithm with
// the library's 128-bit remainder, magnitudes, and decimal text of 128-bit integers; and, for
// values beyond 128 bits, GMP rationals with their own rendering of exact_string()'s format.
#pragma once

#include <gmpxx.h>

#include <algorithm>
#include <string>

#include "engine/number.hpp"

namespace thidua::number_reference {

// Plain Euclid on magnitudes, with the library's 128-bit remainder: independent of number.cpp.
inline u128 euclid(u128 a, u128 b) {
    while (b != 0) {
        const u128 r = a % b;
        a = b;
        b = r;
    }
    return a;
}

inline u128 mag(i128 v) {
    return v < 0 ? static_cast<u128>(0) - static_cast<u128>(v) : static_cast<u128>(v);
}

inline std::string text(i128 v) {
    std::string s;
    u128 m = mag(v);
    do {
        s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
        m /= 10;
    } while (m != 0);
    return v < 0 ? "-" + s : s;
}

// The exact rational of a value that is not big, built from its parts' decimal text.
inline mpq_class to_mpq(const number& x) {
    mpq_class q(mpz_class(text(x.numerator())), mpz_class(text(x.denominator())));
    q.canonicalize();
    return q;
}

// exact_string()'s format, written independently: a finite decimal when the denominator is
// 2^i 5^j (with max(i, j) places), otherwise "n/d".
inline std::string exact_text(const mpq_class& q) {
    mpz_class d = q.get_den();
    unsigned twos = 0;
    unsigned fives = 0;
    while (d % 2 == 0) {
        d /= 2;
        ++twos;
    }
    while (d % 5 == 0) {
        d /= 5;
        ++fives;
    }
    if (d != 1) {
        return q.get_num().get_str() + "/" + q.get_den().get_str();
    }
    const unsigned places = std::max(twos, fives);
    mpz_class scale = 1;
    for (unsigned i = 0; i < places; ++i) {
        scale *= 10;
    }
    const mpz_class scaled = q.get_num() * scale / q.get_den();  // exact
    std::string digits = mpz_class(abs(scaled)).get_str();
    if (digits.size() <= places) {
        digits.insert(0, places + 1 - digits.size(), '0');
    }
    std::string out = scaled < 0 ? "-" : "";
    out += digits.substr(0, digits.size() - places);
    if (places > 0) {
        out += "." + digits.substr(digits.size() - places);
    }
    return out;
}

// Whether a part needs more than 127 bits: then the value must be big, otherwise small.
inline bool beyond_128(const mpq_class& q) {
    return mpz_sizeinbase(q.get_num_mpz_t(), 2) > 127 || mpz_sizeinbase(q.get_den_mpz_t(), 2) > 127;
}

// `got` is exactly `want`, in the one representation `want` calls for.
inline bool same(const number& got, const mpq_class& want) {
    if (beyond_128(want)) {
        return got.is_big() && got.exact_string() == exact_text(want);
    }
    return !got.is_big() && to_mpq(got) == want;
}

}  // namespace thidua::number_reference
