#include "dsl/i18n.hpp"

#include <array>
#include <atomic>
#include <cstdlib>

namespace thidua {

namespace {

std::atomic<language> current{language::en};

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

}  // namespace

void set_language(language lang) {
    current.store(lang, std::memory_order_relaxed);
}

language current_language() {
    return current.load(std::memory_order_relaxed);
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
