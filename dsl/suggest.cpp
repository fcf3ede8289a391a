#include "dsl/suggest.hpp"

#include <uninorm.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <tuple>

#include "dsl/source.hpp"

namespace thidua {

namespace {

// The code points of UTF-8 text; a byte that does not start a valid sequence is one "character".
std::vector<std::uint32_t> code_points(std::string_view s) {
    std::vector<std::uint32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80U) {
            out.push_back(c);
            ++i;
            continue;
        }
        std::size_t n = 1;
        std::uint32_t cp = c;
        if (c >= 0xF0U && c < 0xF8U) {
            n = 4;
            cp = c & 0x07U;
        } else if (c >= 0xE0U) {
            n = c < 0xF0U ? 3 : 1;
            cp = c & 0x0FU;
        } else if (c >= 0xC0U) {
            n = 2;
            cp = c & 0x1FU;
        }
        if (n > 1 && i + n <= s.size()) {
            bool ok = true;
            for (std::size_t k = 1; k < n; ++k) {
                const auto b = static_cast<unsigned char>(s[i + k]);
                ok = ok && (b & 0xC0U) == 0x80U;
                cp = (cp << 6U) | (b & 0x3FU);
            }
            if (ok) {
                out.push_back(cp);
                i += n;
                continue;
            }
        }
        out.push_back(0xDC00U + c);  // a lone byte, kept distinct from any real character
        ++i;
    }
    return out;
}

std::size_t distance(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    return distance(code_points(a), code_points(b));
}

std::string without_diacritics(std::string_view text) {
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
    if (ascii) {
        return std::string(text);
    }
    std::string decomposed(text);
    if (find_invalid_utf8(text) == std::string_view::npos) {
        std::size_t length = 0;
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): libunistring's API
        const auto* in = reinterpret_cast<const std::uint8_t*>(text.data());
        std::uint8_t* out = u8_normalize(UNINORM_NFD, in, text.size(), nullptr, &length);
        if (out != nullptr) {
            // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
            decomposed.assign(reinterpret_cast<const char*>(out), length);
            std::free(out);  // NOLINT(cppcoreguidelines-no-malloc): allocated by libunistring
        }
    }
    std::string result;
    result.reserve(decomposed.size());
    for (const std::uint32_t cp : code_points(decomposed)) {
        if ((cp >= 0x300U && cp <= 0x36FU) || (cp >= 0x1DC0U && cp <= 0x1DFFU)) {
            continue;  // a combining mark
        }
        if (cp == 0x111U || cp == 0x110U) {
            result += cp == 0x111U ? 'd' : 'D';
        } else if (cp >= 0xDC80U && cp <= 0xDCFFU) {
            result += static_cast<char>(cp - 0xDC00U);  // a lone byte, as it was
        } else {
            append_utf8(result, cp);
        }
    }
    return result;
}

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
    const auto folded = code_points(without_diacritics(name));
    const auto exact = code_points(name);
    const std::string* best = nullptr;
    std::tuple<std::size_t, std::size_t> best_key{3, 0};
    for (const auto& c : candidates) {
        if (c == name) {
            continue;
        }
        const auto other = code_points(without_diacritics(c));
        const std::size_t d = distance(folded, other);
        // Two edits in a name of four characters or fewer make another word (`name`, `note`).
        if (d > (std::min(folded.size(), other.size()) <= 4 ? 1U : 2U)) {
            continue;
        }
        const std::tuple<std::size_t, std::size_t> key{d, distance(exact, code_points(c))};
        if (best == nullptr || key < best_key || (key == best_key && c < *best)) {
            best = &c;
            best_key = key;
        }
    }
    return best == nullptr ? std::string() : *best;
}

}  // namespace thidua
