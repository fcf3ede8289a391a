// Messages in English and Vietnamese from one catalogue (dsl/messages.def).
//
// Every user-facing sentence is an entry of the catalogue: a key (the diagnostic code and a short
// name, e.g. E206_row_short, or a named key such as score_header_rank), its English text and its
// Vietnamese text. Arguments are named (`{unit}`, `{points}`), so a translation may put them in
// another order; both texts of an entry must use the same names, which is checked when this
// library compiles (static_assert in i18n.cpp). English plurals are a second English text chosen
// by a count `{n}` (tr_n); Vietnamese has one form.
//
// The language is process state, set once by the command line (--lang, else the locale) before
// any work starts; the library only reads it, so its output is deterministic for a given
// language. It defaults to English, which is what the unit tests and goldens pin.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/keywords.hpp"

namespace thidua {

enum class language { en, vi };

/// Sets the language of every message made from now on (the CLI calls it once, at start-up).
void set_language(language lang);
[[nodiscard]] language current_language();

/// "en" or "vi" (as given to --lang); nullopt for anything else.
[[nodiscard]] std::optional<language> parse_language(std::string_view text);
/// The language of a POSIX locale setting: the first non-empty of LC_ALL, LC_MESSAGES, LANG
/// decides; Vietnamese when it is `vi` or starts with `vi_`, `vi.` or `vi@` (vi_VN.UTF-8),
/// English otherwise (C, POSIX, en_US.UTF-8, fr_FR, all unset). Null pointers count as unset.
[[nodiscard]] language language_from_locale(const char* lc_all, const char* lc_messages,
                                            const char* lang);
/// language_from_locale() of this process's environment variables.
[[nodiscard]] language language_from_environment();

/// Sets the language for a scope and restores the previous one (tests).
class scoped_language {
  public:
    explicit scoped_language(language lang) : previous_(current_language()) { set_language(lang); }
    ~scoped_language() { set_language(previous_); }
    scoped_language(const scoped_language&) = delete;
    scoped_language& operator=(const scoped_language&) = delete;

  private:
    language previous_;
};

/// The keys of the catalogue, in catalogue order.
enum class msg : std::uint16_t {
#define THIDUA_MSG(key, en, vi) key,
#define THIDUA_MSG_N(key, en_one, en_other, vi) key,
#include "dsl/messages.def"
#undef THIDUA_MSG
#undef THIDUA_MSG_N
};

/// One entry of the catalogue. `en_one` is empty unless English has a singular form.
struct message_entry {
    std::string_view key;
    std::string_view en;
    std::string_view en_one;
    std::string_view vi;
};

/// Every entry, indexed by msg.
[[nodiscard]] const message_entry* message_catalogue(std::size_t& count);
[[nodiscard]] const message_entry& message_info(msg id);
/// The text of `id` in `lang`; `one` picks the English singular when the entry has one.
[[nodiscard]] std::string_view message_text(msg id, language lang, bool one = false);

/// Formats a template with named arguments. A template whose arguments do not match (a
/// programming error) gives the template itself followed by the formatting error rather than
/// an exception, so a message can never crash a run.
[[nodiscard]] std::string format_message(std::string_view text, fmt::format_args args);

/// The message `id` in the current language, with named arguments: fmt::arg("unit", name), or
/// "unit"_a = name with `using namespace fmt::literals`.
template <typename... Args>
[[nodiscard]] std::string tr(msg id, const Args&... args) {
    return format_message(message_text(id, current_language()), fmt::make_format_args(args...));
}

/// Like tr() for an entry with English plural forms; `n` is passed as the argument `{n}`.
template <typename... Args>
[[nodiscard]] std::string tr_n(msg id, std::uint64_t n, const Args&... args) {
    const auto count = fmt::arg("n", n);
    return format_message(message_text(id, current_language(), n == 1),
                          fmt::make_format_args(count, args...));
}

/// A keyword of the regulation language spelt in the current language (`points` / `điểm`), for
/// messages and explanations that quote the language's own words.
[[nodiscard]] inline std::string_view keyword_text(keywords::kw k) {
    return keywords::spell(
        k, current_language() == language::vi ? keywords::lang::vi : keywords::lang::en);
}

}  // namespace thidua
