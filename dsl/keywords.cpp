#include "dsl/keywords.hpp"

#include <array>
#include <vector>

namespace thidua::keywords {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

// The length of `words` (one space between words) at the start of `text`, where any run of
// spaces or tabs may separate the words; 0 when it is not there. The end is not checked.
std::size_t match_words(std::string_view words, std::string_view text) {
    std::size_t at = 0;
    std::size_t w = 0;
    while (w < words.size()) {
        if (words[w] == ' ') {
            if (at >= text.size() || !is_blank(text[at])) {
                return 0;
            }
            while (at < text.size() && is_blank(text[at])) {
                ++at;
            }
            ++w;
            continue;
        }
        if (at >= text.size() || text[at] != words[w]) {
            return 0;
        }
        ++at;
        ++w;
    }
    return at;
}

// The whole spelling, followed by no identifier character.
std::size_t match_spelling(std::string_view words, std::string_view text) {
    const std::size_t n = match_words(words, text);
    if (n == 0 || starts_with_ident_char(text.substr(n))) {
        return 0;
    }
    return n;
}

// For every spelling (keyword * 2 + language), the longer spellings that begin with its words.
using extension_table = std::array<std::vector<std::string_view>, keyword_count * 2>;

const extension_table& extensions() {
    static const extension_table table_of_extensions = [] {
        extension_table t;
        for (std::size_t i = 0; i < keyword_count * 2; ++i) {
            const std::string_view s = i % 2 == 0 ? table[i / 2].en : table[i / 2].vi;
            for (std::size_t j = 0; j < keyword_count * 2; ++j) {
                const std::string_view longer = j % 2 == 0 ? table[j / 2].en : table[j / 2].vi;
                if (longer.size() > s.size() + 1 && longer.substr(0, s.size()) == s
                    && longer[s.size()] == ' ') {
                    t[i].push_back(longer);
                }
            }
        }
        return t;
    }();
    return table_of_extensions;
}

std::size_t match_one(std::size_t index, std::string_view words, std::string_view text) {
    const std::size_t n = match_spelling(words, text);
    if (n == 0) {
        return 0;
    }
    for (const std::string_view longer : extensions()[index]) {
        if (match_spelling(longer, text) != 0) {
            return 0;
        }
    }
    return n;
}

}  // namespace

bool starts_with_ident_char(std::string_view text) {
    if (text.empty()) {
        return false;
    }
    const auto c = static_cast<unsigned char>(text[0]);
    if (c < 0x80U) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
               || c == '_';
    }
    std::size_t len = c < 0xE0U ? 2 : c < 0xF0U ? 3 : 4;
    if (len > text.size()) {
        return false;
    }
    std::uint32_t cp = c & (0xFFU >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6U) | (static_cast<unsigned char>(text[k]) & 0x3FU);
    }
    // The same ranges as grammar.hpp's utf8_letter.
    return (cp >= 0xC0 && cp <= 0xD6) || (cp >= 0xD8 && cp <= 0xF6) || (cp >= 0xF8 && cp <= 0x24F)
           || (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

std::size_t match_keyword(kw k, std::string_view text) {
    const auto i = static_cast<std::size_t>(k);
    if (const std::size_t n = match_one(i * 2, table[i].en, text); n != 0) {
        return n;
    }
    return match_one(i * 2 + 1, table[i].vi, text);
}

std::optional<lang> keyword_language(kw k, std::string_view text) {
    const auto i = static_cast<std::size_t>(k);
    if (match_one(i * 2, table[i].en, text) != 0) {
        return lang::en;
    }
    if (match_one(i * 2 + 1, table[i].vi, text) != 0) {
        return lang::vi;
    }
    return std::nullopt;
}

std::size_t sequence_length(unsigned char c) {
    if (c >= 0xF0U && c < 0xF8U) {
        return 4;
    }
    if (c >= 0xE0U) {
        return c < 0xF0U ? 3 : 1;
    }
    return c >= 0xC0U ? 2 : 1;
}

std::optional<lang> first_keyword_language(std::string_view text) {
    // A regulation's first keyword is its first word; the words before a keyword only matter in
    // a broken file, so the scan gives up after a few (it runs on every parsed file).
    constexpr int max_words = 64;
    int words = 0;
    std::size_t i = 0;
    while (i < text.size() && words < max_words) {
        const char c = text[i];
        if (c == '#') {
            const std::size_t eol = text.find('\n', i);
            i = eol == std::string_view::npos ? text.size() : eol + 1;
        } else if (c == '"') {
            // A string, to its closing quote or the end of the line (an unterminated one).
            ++i;
            while (i < text.size() && text[i] != '"' && text[i] != '\n') {
                i += text[i] == '\\' ? std::size_t{2} : std::size_t{1};
            }
            ++i;
        } else if (starts_with_ident_char(text.substr(i))) {
            const std::string_view rest = text.substr(i);
            for (const spelling& s : table) {
                if (const auto l = keyword_language(s.id, rest)) {
                    return l;
                }
            }
            ++words;
            while (i < text.size() && starts_with_ident_char(text.substr(i))) {
                i += sequence_length(static_cast<unsigned char>(text[i]));
            }
        } else {
            i += sequence_length(static_cast<unsigned char>(c));
        }
    }
    return std::nullopt;
}

}  // namespace thidua::keywords
