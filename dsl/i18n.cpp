#include "dsl/i18n.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>

namespace thidua {

namespace {

std::atomic<language> current{language::en};
// Per thread: a scope sets it around the work on one file.
thread_local std::optional<keywords::lang> keyword_lang;

// ---------------------------------------------------------------------------------------------
// The compile-time check: both texts of an entry take the same named arguments.

// Finds the next replacement field from `pos`: its name in `name`, `pos` moved past it. Returns
// 0 at the end, 1 for a field, -1 for a malformed template (an unbalanced brace, or a field with
// no name: automatic `{}` and positional `{0}` fields are not allowed, since a translation must
// be free to reorder its arguments).
constexpr int next_field(std::string_view t, std::size_t& pos, std::string_view& name) {
    while (pos < t.size()) {
        const char c = t[pos];
        if (c == '}') {
            if (pos + 1 < t.size() && t[pos + 1] == '}') {
                pos += 2;
                continue;
            }
            return -1;
        }
        if (c != '{') {
            ++pos;
            continue;
        }
        if (pos + 1 < t.size() && t[pos + 1] == '{') {
            pos += 2;
            continue;
        }
        const std::size_t begin = pos + 1;
        std::size_t end = begin;
        while (end < t.size() && t[end] != '}' && t[end] != ':') {
            const char n = t[end];
            const bool ident = (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '_'
                               || (end > begin && n >= '0' && n <= '9');
            if (!ident) {
                return -1;
            }
            ++end;
        }
        if (end == begin || end >= t.size()) {
            return -1;
        }
        name = t.substr(begin, end - begin);
        const auto close = t.find('}', end);
        if (close == std::string_view::npos) {
            return -1;
        }
        pos = close + 1;
        return 1;
    }
    return 0;
}

// Whether every argument of `a` appears in `b` (`n` excepted when `skip_n`); false when either
// template is malformed.
constexpr bool fields_within(std::string_view a, std::string_view b, bool skip_n) {
    std::size_t pos = 0;
    std::string_view name;
    for (;;) {
        const int r = next_field(a, pos, name);
        if (r < 0) {
            return false;
        }
        if (r == 0) {
            return true;
        }
        if (skip_n && name == "n") {
            continue;
        }
        bool found = false;
        std::size_t pb = 0;
        std::string_view nb;
        for (;;) {
            const int rb = next_field(b, pb, nb);
            if (rb < 0) {
                return false;
            }
            if (rb == 0) {
                break;
            }
            found = found || nb == name;
        }
        if (!found) {
            return false;
        }
    }
}

constexpr bool same_fields(std::string_view a, std::string_view b, bool skip_n = false) {
    return fields_within(a, b, skip_n) && fields_within(b, a, skip_n);
}

#define THIDUA_MSG(key, en, vi)                                                                 \
    static_assert(std::string_view(en).size() > 0 && std::string_view(vi).size() > 0,           \
                  "message " #key ": the English or the Vietnamese text is empty");             \
    static_assert(same_fields(en, vi), "message " #key                                          \
                                       ": the English and Vietnamese texts must take the same " \
                                       "named arguments ({name}), and only named ones");
#define THIDUA_MSG_N(key, en_one, en_other, vi)                                           \
    static_assert(std::string_view(en_one).size() > 0 && std::string_view(vi).size() > 0, \
                  "message " #key ": a text is empty");                                   \
    static_assert(same_fields(en_other, vi),                                              \
                  "message " #key                                                         \
                  ": the English and Vietnamese texts must take the same "                \
                  "named arguments");                                                     \
    static_assert(same_fields(en_one, en_other, true),                                    \
                  "message " #key ": both English forms must take the same arguments");
#include "dsl/messages.def"
#undef THIDUA_MSG
#undef THIDUA_MSG_N

constexpr std::array catalogue = {
#define THIDUA_MSG(key, en, vi) message_entry{#key, en, {}, vi},
#define THIDUA_MSG_N(key, en_one, en_other, vi) message_entry{#key, en_other, en_one, vi},
#include "dsl/messages.def"
#undef THIDUA_MSG
#undef THIDUA_MSG_N
};

bool is_vietnamese(std::string_view locale) {
    if (locale.substr(0, 2) != "vi") {
        return false;
    }
    return locale.size() == 2 || locale[2] == '_' || locale[2] == '.' || locale[2] == '@'
           || locale[2] == '-';
}

// ---------------------------------------------------------------------------------------------
// Respelling the keywords a message quotes.

bool ident_at(std::string_view text, std::size_t at) {
    return at < text.size() && keywords::starts_with_ident_char(text.substr(at));
}

// Whether the code point that ends just before `at` is an identifier character (an apostrophe
// after a letter, as in "file's", opens no quote).
bool ident_before(std::string_view text, std::size_t at) {
    if (at == 0) {
        return false;
    }
    std::size_t start = at - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0U) == 0x80U) {
        --start;
    }
    return ident_at(text, start);
}

// Calls `on_quote(begin, end)` for the inside of every quote of `text`, `on_text(begin, end)`
// for the text between them (the quote characters included), in order.
template <typename Quote, typename Text>
void each_quote(std::string_view text, Quote on_quote, Text on_text) {
    std::size_t done = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        std::size_t close = std::string_view::npos;
        if (c == '`') {
            close = text.find('`', i + 1);
        } else if (c == '\'' && !ident_before(text, i)) {
            for (std::size_t k = text.find('\'', i + 1); k != std::string_view::npos;
                 k = text.find('\'', k + 1)) {
                if (!ident_at(text, k + 1)) {
                    close = k;
                    break;
                }
            }
        }
        if (close == std::string_view::npos) {
            ++i;
            continue;
        }
        on_text(done, i + 1);
        on_quote(i + 1, close);
        done = close;
        i = close + 1;
    }
    on_text(done, text.size());
}

// Whether `hint` quotes `word` as a whole word.
bool quotes_word(std::string_view hint, std::string_view word) {
    bool found = false;
    each_quote(
        hint,
        [&](std::size_t begin, std::size_t end) {
            const std::string_view inside = hint.substr(begin, end - begin);
            for (std::size_t at = inside.find(word); at != std::string_view::npos && !found;
                 at = inside.find(word, at + 1)) {
                found = !ident_before(inside, at) && !ident_at(inside, at + word.size());
            }
        },
        [](std::size_t, std::size_t) {});
    return found;
}

struct keyword_found {
    keywords::kw id;
    std::size_t length;
};

// The longest keyword spelt in `from` at the start of `text`, as a whole word.
std::optional<keyword_found> keyword_at(std::string_view text, keywords::lang from,
                                        std::string_view hint) {
    std::optional<keyword_found> best;
    for (const auto& k : keywords::table) {
        const std::string_view spelling = from == keywords::lang::en ? k.en : k.vi;
        if (text.substr(0, spelling.size()) != spelling || ident_at(text, spelling.size())) {
            continue;
        }
        if (!best || spelling.size() > best->length) {
            best = keyword_found{k.id, spelling.size()};
        } else if (spelling.size() == best->length
                   && !quotes_word(hint, keywords::spell(best->id, keywords::lang::en))
                   && quotes_word(hint, k.en)) {
            best->id = k.id;  // two keywords, one spelling (`số`): the one the English quotes
        }
    }
    return best;
}

// The inside of one quote, its keywords respelt.
void respell(std::string_view q, keywords::lang from, keywords::lang to, std::string_view hint,
             std::string& out) {
    int depth = 0;
    std::size_t j = 0;
    while (j < q.size()) {
        const char c = q[j];
        std::size_t next = j + 1;
        if (c == '{' && j + 1 < q.size() && q[j + 1] == '{') {
            next = j + 2;  // a literal brace
        } else if (c == '"' || c == '{') {
            const auto close = q.find(c == '"' ? '"' : '}', j + 1);  // a string, an argument
            next = close == std::string_view::npos ? q.size() : close + 1;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && depth > 0) {
            --depth;
        } else if (ident_at(q, j)) {
            next = j;
            while (ident_at(q, next)) {
                next += keywords::sequence_length(static_cast<unsigned char>(q[next]));
            }
            if (const auto k = keyword_at(q.substr(j), from, hint)) {
                const std::size_t after = j + k->length;
                const char follows = after < q.size() ? q[after] : '\0';
                // `sum(` is a function; in `(i in list: ...)`, `list` names the list.
                if (follows != '(' && !(depth > 0 && follows == ':')) {
                    out += keywords::spell(k->id, to);
                    j = after;
                    continue;
                }
            }
        } else {
            next = j + keywords::sequence_length(static_cast<unsigned char>(c));
        }
        next = std::min(next, q.size());
        out.append(q.substr(j, next - j));
        j = next;
    }
}

// Whether a message is about a regulation or test file and quotes its keywords: those of the
// parser, the checker, amendments and tests (codes E0xx, E1xx, W1xx, E4xx), the checker's and
// amendments' words, the coverage points and a test's "not applicable". Others quote words that
// only look like keywords (the results' column `unit`, the option `--unit`).
bool quotes_file_keywords(msg id) {
    const std::string_view key = message_info(id).key;
    for (const std::string_view prefix :
         {"E0", "E1", "W1", "E4", "checker_", "amend_", "coverage_", "test_not_applicable"}) {
        if (key.substr(0, prefix.size()) == prefix) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<keywords::lang> current_keyword_language() {
    return keyword_lang;
}

scoped_keyword_language::scoped_keyword_language(std::optional<keywords::lang> lang)
    : previous_(keyword_lang) {
    keyword_lang = lang;
}

scoped_keyword_language::~scoped_keyword_language() {
    keyword_lang = previous_;
}

keywords::lang message_keyword_language() {
    if (keyword_lang) {
        return *keyword_lang;
    }
    return current_language() == language::vi ? keywords::lang::vi : keywords::lang::en;
}

std::string requote_keywords(std::string_view text, keywords::lang from, keywords::lang to,
                             std::string_view hint) {
    std::string out;
    out.reserve(text.size() + 16);
    if (from == to) {
        out = text;
        return out;
    }
    each_quote(
        text,
        [&](std::size_t begin, std::size_t end) {
            respell(text.substr(begin, end - begin), from, to, hint, out);
        },
        [&](std::size_t begin, std::size_t end) { out.append(text.substr(begin, end - begin)); });
    return out;
}

std::string_view message_template(msg id, bool one, std::string& storage) {
    const language lang = current_language();
    const std::string_view text = message_text(id, lang, one);
    const auto from = lang == language::vi ? keywords::lang::vi : keywords::lang::en;
    if (!keyword_lang || *keyword_lang == from || text.find_first_of("'`") == std::string_view::npos
        || !quotes_file_keywords(id)) {
        return text;
    }
    storage = requote_keywords(text, from, *keyword_lang, message_info(id).en);
    return storage;
}

void set_language(language lang) {
    current.store(lang, std::memory_order_relaxed);
}

language current_language() {
    return current.load(std::memory_order_relaxed);
}

namespace {
// 0: follow the language, 1: point, 2: comma (set once by the CLI, like the language).
std::atomic<int> mark_setting{0};

std::optional<decimal_mark> decimal_mark_setting() {
    switch (mark_setting.load(std::memory_order_relaxed)) {
        case 1:
            return decimal_mark::point;
        case 2:
            return decimal_mark::comma;
        default:
            return std::nullopt;
    }
}
}  // namespace

void set_decimal_mark(std::optional<decimal_mark> mark) {
    mark_setting.store(!mark ? 0 : *mark == decimal_mark::point ? 1 : 2, std::memory_order_relaxed);
}

decimal_mark current_decimal_mark() {
    if (const auto m = decimal_mark_setting()) {
        return *m;
    }
    return current_language() == language::vi ? decimal_mark::comma : decimal_mark::point;
}

std::optional<decimal_mark> parse_decimal_mark(std::string_view text) {
    if (text == "point") {
        return decimal_mark::point;
    }
    if (text == "comma") {
        return decimal_mark::comma;
    }
    return std::nullopt;
}

std::string decimal(std::string rendered) {
    if (current_decimal_mark() == decimal_mark::comma) {
        // A rendered number has at most one point, its decimal point.
        if (const auto at = rendered.find('.'); at != std::string::npos) {
            rendered[at] = ',';
        }
    }
    return rendered;
}

std::string_view number_separator() {
    return current_decimal_mark() == decimal_mark::comma ? "; " : ", ";
}

scoped_decimal_mark::scoped_decimal_mark(std::optional<decimal_mark> mark)
    : previous_(decimal_mark_setting()) {
    set_decimal_mark(mark);
}

scoped_decimal_mark::~scoped_decimal_mark() {
    set_decimal_mark(previous_);
}

std::optional<language> parse_language(std::string_view text) {
    if (text == "en") {
        return language::en;
    }
    if (text == "vi") {
        return language::vi;
    }
    return std::nullopt;
}

language language_from_locale(const char* lc_all, const char* lc_messages, const char* lang) {
    for (const char* v : {lc_all, lc_messages, lang}) {
        if (v != nullptr && *v != '\0') {
            return is_vietnamese(v) ? language::vi : language::en;
        }
    }
    return language::en;
}

language language_from_environment() {
    return language_from_locale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"),
                                std::getenv("LANG"));
}

const message_entry* message_catalogue(std::size_t& count) {
    count = catalogue.size();
    return catalogue.data();
}

const message_entry& message_info(msg id) {
    return catalogue[static_cast<std::size_t>(id)];
}

std::string_view message_text(msg id, language lang, bool one) {
    const auto& e = message_info(id);
    if (lang == language::vi) {
        return e.vi;
    }
    return one && !e.en_one.empty() ? e.en_one : e.en;
}

std::string format_message(std::string_view text, fmt::format_args args) {
    try {
        return fmt::vformat(text, args);
    } catch (const fmt::format_error& e) {
        return fmt::format("{} [message error: {}]", text, e.what());
    }
}

}  // namespace thidua
