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

/// The decimal mark of numbers written for people (tables, sentences, the board's documents).
/// Vietnamese writes `94,63` and uses `.` to group thousands (`1.725` is one thousand seven
/// hundred and twenty-five), so a point would be misread; English writes `94.63`. Numbers for
/// machines (JSON values, CSV cells, xlsx number cells) and numbers inside a formula written in
/// the regulation's syntax (`25 * min(1.65 / 1.5, 1)`) always keep the point.
enum class decimal_mark { point, comma };

/// Sets the decimal mark (the CLI's --decimal); nullopt, the default: the language's (comma in
/// Vietnamese, point in English).
void set_decimal_mark(std::optional<decimal_mark> mark);
[[nodiscard]] decimal_mark current_decimal_mark();
/// "point" or "comma" (as given to --decimal); nullopt for anything else.
[[nodiscard]] std::optional<decimal_mark> parse_decimal_mark(std::string_view text);

/// A number rendered with a decimal point (number::to_string, display, exact_string: "96.40",
/// "≈13.33", "+1.50", "40/3") written with current_decimal_mark(): "96,40" with the comma.
[[nodiscard]] std::string decimal(std::string rendered);
/// What separates two numbers in a list or an interval written for people: ", " with the
/// point, "; " with the comma (`[0; 2,5]`, as Vietnamese writes intervals).
[[nodiscard]] std::string_view number_separator();

/// Sets the decimal mark for a scope and restores the previous setting (tests).
class scoped_decimal_mark {
  public:
    explicit scoped_decimal_mark(std::optional<decimal_mark> mark);
    ~scoped_decimal_mark();
    scoped_decimal_mark(const scoped_decimal_mark&) = delete;
    scoped_decimal_mark& operator=(const scoped_decimal_mark&) = delete;

  private:
    std::optional<decimal_mark> previous_;
};

/// The language of the keywords quoted in messages: that of the file being parsed or checked
/// (keywords::first_keyword_language), so a message about a Vietnamese regulation quotes
/// `'xuống'` and one about an English regulation `'down'`, whatever the language of the
/// sentence. nullopt (outside a file's parsing and checking): the language of the messages.
/// Per thread, set for a scope by the library functions that report on one file.
[[nodiscard]] std::optional<keywords::lang> current_keyword_language();

/// Quotes keywords in `lang` for a scope (nullopt: in the language of the messages), then
/// restores the previous setting.
class scoped_keyword_language {
  public:
    explicit scoped_keyword_language(std::optional<keywords::lang> lang);
    ~scoped_keyword_language();
    scoped_keyword_language(const scoped_keyword_language&) = delete;
    scoped_keyword_language& operator=(const scoped_keyword_language&) = delete;

  private:
    std::optional<keywords::lang> previous_;
};

/// The language keywords are spelt in by messages made now: current_keyword_language(), else
/// that of the messages.
[[nodiscard]] keywords::lang message_keyword_language();

/// A message template with the keywords it quotes (between '...' or `...`) respelt from `from`
/// to `to`: `expected 'down' after 'unused slots pass'` becomes `expected 'xuống' after 'suất
/// chưa dùng chuyển'`. Inside a quote, a word or run of words that spells a keyword in `from` is
/// replaced (longest first); argument fields `{name}`, strings "...", function names `sum(` and
/// bound names `(i in xs: ...)` are kept. `hint` is the English text of the same message: a
/// Vietnamese spelling shared by two keywords (`số`: number, of) becomes the one the English
/// text quotes.
[[nodiscard]] std::string requote_keywords(std::string_view text, keywords::lang from,
                                           keywords::lang to, std::string_view hint = {});

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
/// The text of `id` in the current language with its quoted keywords in
/// message_keyword_language(); `one` as in message_text(). `storage` keeps a respelt text.
[[nodiscard]] std::string_view message_template(msg id, bool one, std::string& storage);

/// Formats a template with named arguments. A template whose arguments do not match (a
/// programming error) gives the template itself followed by the formatting error rather than
/// an exception, so a message can never crash a run.
[[nodiscard]] std::string format_message(std::string_view text, fmt::format_args args);

/// The message `id` in the current language, with named arguments: fmt::arg("unit", name), or
/// "unit"_a = name with `using namespace fmt::literals`.
template <typename... Args>
[[nodiscard]] std::string tr(msg id, const Args&... args) {
    std::string storage;
    return format_message(message_template(id, false, storage), fmt::make_format_args(args...));
}

/// Like tr() for an entry with English plural forms; `n` is passed as the argument `{n}`.
template <typename... Args>
[[nodiscard]] std::string tr_n(msg id, std::uint64_t n, const Args&... args) {
    const auto count = fmt::arg("n", n);
    std::string storage;
    return format_message(message_template(id, n == 1, storage),
                          fmt::make_format_args(count, args...));
}

/// A keyword of the regulation language spelt in message_keyword_language() (`points` /
/// `điểm`), for messages and explanations that quote the language's own words.
[[nodiscard]] inline std::string_view keyword_text(keywords::kw k) {
    return keywords::spell(k, message_keyword_language());
}

}  // namespace thidua
