#include "dsl/suggest.hpp"

#include <uninorm.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <tuple>
#include <utility>

#include "dsl/keywords.hpp"
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

namespace {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
}

// The text in Unicode normalisation form D (letters and their marks apart: "ở" becomes "o" +
// U+031B + U+0309); invalid UTF-8 unchanged.
std::string decomposed(std::string_view text) {
    std::string out_text(text);
    if (find_invalid_utf8(text) == std::string_view::npos) {
        std::size_t length = 0;
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): libunistring's API
        const auto* in = reinterpret_cast<const std::uint8_t*>(text.data());
        std::uint8_t* out = u8_normalize(UNINORM_NFD, in, text.size(), nullptr, &length);
        if (out != nullptr) {
            // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
            out_text.assign(reinterpret_cast<const char*>(out), length);
            std::free(out);  // NOLINT(cppcoreguidelines-no-malloc): allocated by libunistring
        }
    }
    return out_text;
}

// A key whose byte order is Vietnamese alphabetical order (see vietnamese_less).
std::string collation_key(std::string_view text) {
    // The alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with the Latin
    // letters Vietnamese does not use (f j w z) in their English places.
    static constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyz";
    std::string primary;
    std::string tones;
    std::string cases;
    const auto push = [](std::string& key, std::uint32_t weight) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            key += static_cast<char>((weight >> shift) & 0xFFU);
        }
    };
    const std::vector<std::uint32_t> cps = code_points(decomposed(text));
    for (std::size_t i = 0; i < cps.size(); ++i) {
        std::uint32_t cp = cps[i];
        const bool upper = (cp >= 'A' && cp <= 'Z') || cp == 0x110U;
        if (cp >= 'A' && cp <= 'Z') {
            cp += 'a' - 'A';
        }
        std::uint32_t weight = cp;  // not a letter: digits and spaces before letters, others after
        std::uint32_t tone = 0;
        if (cp == 0x111U || cp == 0x110U) {
            weight = 0x100U + 4 * 3 + 1;  // đ, right after d
        } else if (cp >= 'a' && cp <= 'z') {
            weight = 0x100U + 4 * static_cast<std::uint32_t>(letters.find(static_cast<char>(cp)));
            // The marks that make another letter (ă â ê ô ơ ư), then the tone: none, huyền,
            // hỏi, ngã, sắc, nặng, as in dictionaries.
            for (; i + 1 < cps.size() && cps[i + 1] >= 0x300U && cps[i + 1] <= 0x36FU; ++i) {
                switch (cps[i + 1]) {
                    case 0x306U:  // breve: ă
                        weight += 1;
                        break;
                    case 0x302U:  // circumflex: â ê ô
                        weight += 2;
                        break;
                    case 0x31BU:  // horn: ơ ư
                        weight += 3;
                        break;
                    case 0x300U:
                        tone = 1;
                        break;
                    case 0x309U:
                        tone = 2;
                        break;
                    case 0x303U:
                        tone = 3;
                        break;
                    case 0x301U:
                        tone = 4;
                        break;
                    case 0x323U:
                        tone = 5;
                        break;
                    default:
                        tone = 6 + (cps[i + 1] - 0x300U);
                        break;
                }
            }
        }
        push(primary, weight);
        tones += static_cast<char>(tone);
        cases += static_cast<char>(upper ? 1 : 0);
    }
    // Letters first, then tones, then case, then the bytes themselves: two different names never
    // get the same key, so the order is total.
    std::string key = primary;
    push(key, 0);
    key += tones;
    key += '\0';
    key += cases;
    key += '\0';
    key += text;
    return key;
}

}  // namespace

std::string vietnamese_sort_key(std::string_view text) {
    return collation_key(text);
}

bool vietnamese_less(std::string_view a, std::string_view b) {
    if (a == b) {
        return false;
    }
    return collation_key(a) < collation_key(b);
}

std::string without_diacritics(std::string_view text) {
    if (is_ascii(text)) {
        return std::string(text);
    }
    std::string result;
    result.reserve(text.size());
    for (const std::uint32_t cp : code_points(decomposed(text))) {
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

std::string keyword_without_diacritics(std::string_view words) {
    // The Vietnamese spellings with their diacritics removed, worked out once.
    static const std::vector<std::pair<std::string, std::string_view>> folded_keywords = [] {
        std::vector<std::pair<std::string, std::string_view>> v;
        for (const auto& k : keywords::table) {
            v.emplace_back(without_diacritics(k.vi), k.vi);
        }
        return v;
    }();
    for (const auto& k : keywords::table) {
        if (words == k.en || words == k.vi) {
            return {};  // a keyword as written (`trong` is `in`, though also `trống` unmarked)
        }
    }
    const std::string folded = without_diacritics(words);
    std::string_view best;
    std::size_t best_distance = 0;
    for (const auto& [plain, spelling] : folded_keywords) {
        if (plain != folded) {
            continue;
        }
        const std::size_t d = edit_distance(words, spelling);
        if (best.empty() || d < best_distance || (d == best_distance && spelling < best)) {
            best = spelling;
            best_distance = d;
        }
    }
    return std::string(best);
}

}  // namespace thidua
