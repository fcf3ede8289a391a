// Helpers for the number tests that share no code with engine/number.cpp: Euclid's algorithm with
// the library's 128-bit remainder, magnitudes, and decimal text of 128-bit integers.
#pragma once

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

}  // namespace thidua::number_reference
