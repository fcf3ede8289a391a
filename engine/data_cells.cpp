// Reading one cell (a CSV cell or a JSON string/number) as a value of a schema type: numbers in
// either decimal style with the per-file decision, booleans, dates, enum members, text; and the
// small text helpers the messages use.

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "dsl/suggest.hpp"
#include "engine/data_detail.hpp"

namespace thidua::data_detail {

// ---------------------------------------------------------------------------------------------
// Small text helpers

namespace {

// The length of the space or invisible character that `s` starts (or, with `back`, ends) with,
// or 0: ASCII space and tab, and what copy-paste from Word or a web page brings along: the
// no-break spaces (U+00A0, U+2007, U+202F), the other Unicode spaces (U+2000-U+200A, U+205F,
// U+3000) and the zero-width characters (U+200B-U+200D, U+2060, U+FEFF).
std::size_t space_length(std::string_view s, bool back) {
    if (s.empty()) {
        return 0;
    }
    const char edge = back ? s.back() : s.front();
    if (edge == ' ' || edge == '\t') {
        return 1;
    }
    if (static_cast<unsigned char>(edge) < 0x80U) {
        return 0;  // plain ASCII: the usual case, decided at once
    }
    const auto code_at = [&](std::size_t len) -> std::uint32_t {
        if (s.size() < len) {
            return 0;
        }
        const auto t = back ? s.substr(s.size() - len) : s.substr(0, len);
        const auto b0 = static_cast<unsigned char>(t[0]);
        if (len == 2 && (b0 & 0xE0U) == 0xC0U) {
            return ((b0 & 0x1FU) << 6U) | (static_cast<unsigned char>(t[1]) & 0x3FU);
        }
        if (len == 3 && (b0 & 0xF0U) == 0xE0U) {
            return ((b0 & 0x0FU) << 12U) | ((static_cast<unsigned char>(t[1]) & 0x3FU) << 6U)
                   | (static_cast<unsigned char>(t[2]) & 0x3FU);
        }
        return 0;
    };
    if (code_at(2) == 0xA0U) {
        return 2;
    }
    return is_invisible_space(code_at(3)) ? 3 : 0;
}

}  // namespace

bool is_invisible_space(std::uint32_t cp) {
    return cp == 0xA0U || (cp >= 0x2000U && cp <= 0x200DU) || cp == 0x202FU || cp == 0x205FU
           || cp == 0x2060U || cp == 0x3000U || cp == 0xFEFFU;
}

std::string_view trim(std::string_view s) {
    while (const auto n = space_length(s, false)) {
        s.remove_prefix(n);
    }
    while (const auto n = space_length(s, true)) {
        s.remove_suffix(n);
    }
    return s;
}

std::string quote_cell(std::string_view text) {
    constexpr std::size_t max_chars = 40;
    if (utf8_width(text) <= max_chars) {
        return fmt::format("`{}`", text);
    }
    // Cut on a character boundary.
    std::size_t chars = 0;
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
            if (chars == max_chars) {
                break;
            }
            ++chars;
        }
    }
    return fmt::format("`{}...`", text.substr(0, i));
}

namespace {

std::uint32_t lower_code_point(std::uint32_t cp) {
    if (cp >= 'A' && cp <= 'Z') {
        return cp + 0x20U;
    }
    if (cp >= 0xC0U && cp <= 0xDEU && cp != 0xD7U) {  // À..Þ except ×
        return cp + 0x20U;
    }
    // Latin Extended-A pairs (Ă ă, Đ đ, Ĩ ĩ, Ũ ũ, ...): upper case at the even code point.
    if (((cp >= 0x100U && cp <= 0x137U) || (cp >= 0x14AU && cp <= 0x177U)) && cp % 2 == 0) {
        return cp + 1;
    }
    if (cp == 0x1A0U || cp == 0x1AFU) {  // Ơ, Ư
        return cp + 1;
    }
    // Latin Extended Additional (Ạ ạ ... Ỹ ỹ): the Vietnamese letters with two marks.
    if (cp >= 0x1E00U && cp <= 0x1EFFU && cp % 2 == 0) {
        return cp + 1;
    }
    return cp;
}

}  // namespace

std::string lower_vietnamese(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 1;
        std::uint32_t cp = c;
        if (c >= 0xF0U) {
            len = 4;
            cp = c & 0x07U;
        } else if (c >= 0xE0U) {
            len = 3;
            cp = c & 0x0FU;
        } else if (c >= 0xC0U) {
            len = 2;
            cp = c & 0x1FU;
        }
        if (len == 1 || i + len > s.size()) {
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 0x20U : c);
            ++i;
            continue;
        }
        for (std::size_t k = 1; k < len; ++k) {
            cp = (cp << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
        }
        append_utf8(out, lower_code_point(cp));
        i += len;
    }
    return out;
}

std::string type_name(const schema_field& f) {
    const auto& t = f.decl->type;
    std::string name;
    switch (t.what) {
        case ast::type_ref::kind::number:
            name = tr(msg::checker_type_number);
            break;
        case ast::type_ref::kind::integer:
            name = tr(msg::checker_type_integer);
            break;
        case ast::type_ref::kind::boolean:
            name = tr(msg::checker_type_bool);
            break;
        case ast::type_ref::kind::date:
            name = tr(msg::checker_type_date);
            break;
        case ast::type_ref::kind::text:
            name = tr(msg::checker_type_text);
            break;
        case ast::type_ref::kind::enumeration:
            name = t.enum_name;
            break;
        case ast::type_ref::kind::list:
            name = tr(msg::checker_type_list);
            break;
    }
    if (t.optional) {
        name += '?';
    }
    return name;
}

void note_optional_alternative(diagnostic* d, const schema_field& f) {
    if (d == nullptr || f.decl == nullptr || f.decl->type.what == ast::type_ref::kind::list) {
        return;  // a repeat of an earlier error, which has the note; a list is never optional
    }
    // The type as the regulation writes it (`số`, `xếp_loại`), with the `?` that would make it
    // optional.
    std::string type = type_name(f);
    if (f.regulation && f.decl->type.where.end <= f.regulation->text().size()
        && f.decl->type.where.begin < f.decl->type.where.end) {
        type = f.regulation->text().substr(f.decl->type.where.begin,
                                           f.decl->type.where.end - f.decl->type.where.begin);
    }
    d->notes.push_back({f.regulation,
                        {f.decl->name_span.begin, f.decl->type.where.end},
                        tr(msg::E212_optional_alternative, fmt::arg("field", f.decl->name),
                           fmt::arg("declaration", fmt::format("{}: {}?", f.decl->name, type)))});
}

// ---------------------------------------------------------------------------------------------
// Numbers

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// `-?\d+(\.\d+)?` -> canonical text.
std::optional<std::string> read_dot(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-') {
        ++i;
    }
    const auto int_begin = i;
    while (i < s.size() && is_digit(s[i])) {
        ++i;
    }
    if (i == int_begin) {
        return std::nullopt;
    }
    if (i < s.size() && s[i] == '.') {
        const auto frac_begin = ++i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
        }
        if (i == frac_begin) {
            return std::nullopt;
        }
    }
    if (i != s.size()) {
        return std::nullopt;
    }
    return std::string(s);
}

// `-?(\d+|[1-9]\d{0,2}(\.\d{3})+)(,\d+)?` -> canonical text (dots dropped, comma -> dot).
std::optional<std::string> read_comma(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-') {
        out += '-';
        ++i;
    }
    const auto int_begin = i;
    while (i < s.size() && is_digit(s[i])) {
        ++i;
    }
    const auto first_group = i - int_begin;
    if (first_group == 0) {
        return std::nullopt;
    }
    out.append(s.substr(int_begin, first_group));
    if (i < s.size() && s[i] == '.') {
        // Thousands groups: the first group has 1-3 digits and no leading zero.
        if (first_group > 3 || s[int_begin] == '0') {
            return std::nullopt;
        }
        while (i < s.size() && s[i] == '.') {
            ++i;
            std::size_t n = 0;
            while (i < s.size() && is_digit(s[i])) {
                out += s[i];
                ++i;
                ++n;
            }
            if (n != 3) {
                return std::nullopt;
            }
        }
    }
    if (i < s.size() && s[i] == ',') {
        out += '.';
        const auto frac_begin = ++i;
        while (i < s.size() && is_digit(s[i])) {
            out += s[i];
            ++i;
        }
        if (i == frac_begin) {
            return std::nullopt;
        }
    }
    if (i != s.size()) {
        return std::nullopt;
    }
    return out;
}

// "95" -> "0.95", "99.5" -> "0.995", "-120" -> "-1.2": a canonical decimal divided by 100.
std::string hundredth(std::string_view s) {
    const bool negative = !s.empty() && s.front() == '-';
    if (negative) {
        s.remove_prefix(1);
    }
    const auto point = s.find('.');
    std::string digits(s.substr(0, point));
    const std::string frac =
        point == std::string_view::npos ? "" : std::string(s.substr(point + 1));
    while (digits.size() < 3) {
        digits.insert(digits.begin(), '0');
    }
    std::string whole = digits.substr(0, digits.size() - 2);
    std::string decimals = digits.substr(digits.size() - 2) + frac;
    while (whole.size() > 1 && whole.front() == '0') {
        whole.erase(whole.begin());
    }
    while (!decimals.empty() && decimals.back() == '0') {
        decimals.pop_back();
    }
    std::string out = negative ? "-" : "";
    out += whole;
    if (!decimals.empty()) {
        out += '.' + decimals;
    }
    return out;
}

}  // namespace

number_forms read_number_forms(std::string_view text) {
    return number_forms{read_dot(text), read_comma(text)};
}

std::optional<std::string> json_number_to_decimal(std::string_view raw) {
    // raw is a valid JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
    std::string digits;
    bool negative = false;
    std::size_t i = 0;
    if (i < raw.size() && raw[i] == '-') {
        negative = true;
        ++i;
    }
    long long point = 0;  // position of the decimal point within `digits`
    while (i < raw.size() && is_digit(raw[i])) {
        digits += raw[i++];
    }
    point = static_cast<long long>(digits.size());
    if (i < raw.size() && raw[i] == '.') {
        ++i;
        while (i < raw.size() && is_digit(raw[i])) {
            digits += raw[i++];
        }
    }
    if (i < raw.size() && (raw[i] == 'e' || raw[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < raw.size() && (raw[i] == '+' || raw[i] == '-')) {
            exp_negative = raw[i] == '-';
            ++i;
        }
        long long exponent = 0;
        while (i < raw.size() && is_digit(raw[i])) {
            // Any exponent past a few hundred cannot be exact in 128 bits anyway; stop growing.
            if (exponent < 100000) {
                exponent = exponent * 10 + (raw[i] - '0');
            }
            ++i;
        }
        point += exp_negative ? -exponent : exponent;
    }
    // Strip leading zeros (keeping the point aligned) so `0.5e1` and `000` behave.
    std::size_t lead = 0;
    while (lead < digits.size() && digits[lead] == '0') {
        ++lead;
    }
    digits.erase(0, lead);
    point -= static_cast<long long>(lead);
    while (!digits.empty() && digits.back() == '0'
           && static_cast<long long>(digits.size()) > point) {
        digits.pop_back();
    }
    if (digits.empty()) {
        return std::string("0");
    }
    constexpr long long max_shift = 200;  // far beyond what 128-bit integers can hold
    if (point > max_shift || point < -max_shift) {
        return std::nullopt;
    }
    std::string out = negative ? "-" : "";
    const auto n = static_cast<long long>(digits.size());
    if (point <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-point), '0');
        out += digits;
    } else if (point >= n) {
        out += digits;
        out.append(static_cast<std::size_t>(point - n), '0');
    } else {
        out.append(digits, 0, static_cast<std::size_t>(point));
        out += '.';
        out.append(digits, static_cast<std::size_t>(point), std::string::npos);
    }
    return out;
}

bool store_number(reporter& rep, const schema_field& f, std::string_view shown,
                  const std::string& canonical, span where, value& dest) {
    const auto n = number::parse(canonical);
    if (!n) {
        rep.error("E222", where,
                  tr(msg::E222_too_many_digits, fmt::arg("field", f.display),
                     fmt::arg("value", quote_cell(shown))));
        return false;
    }
    if (f.decl->type.what == ast::type_ref::kind::integer && !n->is_integer()) {
        rep.error("E221", where,
                  tr(msg::E221_not_integer, fmt::arg("field", f.display),
                     fmt::arg("value", quote_cell(shown))));
        return false;
    }
    dest.v = *n;
    return true;
}

char grouped_separator(std::string_view text) {
    std::size_t i = text.empty() || text[0] != '-' ? 0 : 1;
    const auto begin = i;
    while (i < text.size() && is_digit(text[i])) {
        ++i;
    }
    const auto lead = i - begin;
    if (lead == 0 || lead > 3 || text[begin] == '0' || i + 4 != text.size()
        || (text[i] != '.' && text[i] != ',')) {
        return '\0';
    }
    for (std::size_t k = i + 1; k < text.size(); ++k) {
        if (!is_digit(text[k])) {
            return '\0';
        }
    }
    return text[i];
}

void number_reader::note_style(bool comma, std::string_view text, span where) {
    auto& plain = comma ? plain_comma_ : plain_dot_;
    if (!plain && grouped_separator(text) == '\0') {
        plain.emplace(std::string(text), where);
    }
    auto& mine = comma ? first_comma_ : first_dot_;
    const auto& other = comma ? first_dot_ : first_comma_;
    if (!mine) {
        mine.emplace(std::string(text), where);
    }
    if (other && !mixed_reported_) {
        mixed_reported_ = true;
        std::string message =
            tr(comma ? msg::E224_mixed_comma : msg::E224_mixed_point,
               fmt::arg("value", quote_cell(text)), fmt::arg("other", quote_cell(other->first)));
        // `1,200` among decimal points is most likely an English thousands separator.
        const std::string_view comma_cell = comma ? text : std::string_view(other->first);
        if (grouped_separator(comma_cell) == ',') {
            std::string whole(comma_cell);
            whole.erase(whole.find(','), 1);
            message += tr(msg::E224_grouped, fmt::arg("value", quote_cell(comma_cell)),
                          fmt::arg("whole", whole));
        }
        auto* d = rep_.error("E224", where, std::move(message));
        if (d != nullptr) {
            d->notes.push_back(
                {rep_.file(), other->second,
                 tr(msg::E224_other_here, fmt::arg("value", quote_cell(other->first)))});
        }
    }
}

namespace {

// What to write instead of a cell that is not a number but looks like one (after "is not a
// number"): a minus sign typed as `−` (U+2212) or a dash, digits of another script (`١٢٣`,
// fullwidth `１２３`), exponent notation (`1e309`, which no results file needs). "" otherwise.
std::string not_number_hint(std::string_view text) {
    std::string fixed;
    bool minus = false;
    bool digits = false;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c >= 0xF0U ? 4 : c >= 0xE0U ? 3 : c >= 0xC0U ? 2 : 1;
        len = std::min(len, text.size() - i);
        std::uint32_t cp = len == 1 ? c : c & (0x7FU >> len);
        for (std::size_t k = 1; k < len; ++k) {
            cp = (cp << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
        }
        // U+2212 minus, U+2012 figure dash, U+2013 en dash, U+FE63 small and U+FF0D fullwidth
        // hyphen-minus.
        if (cp == 0x2212U || cp == 0x2012U || cp == 0x2013U || cp == 0xFE63U || cp == 0xFF0DU) {
            fixed += '-';
            minus = true;
        } else if (const std::uint32_t zero = cp >= 0xFF10U && cp <= 0xFF19U   ? 0xFF10U
                                              : cp >= 0x0660U && cp <= 0x0669U ? 0x0660U
                                              : cp >= 0x06F0U && cp <= 0x06F9U ? 0x06F0U
                                              : cp >= 0x0966U && cp <= 0x096FU ? 0x0966U
                                                                               : 0U;
                   zero != 0) {
            fixed += static_cast<char>('0' + (cp - zero));  // fullwidth, Arabic-Indic, Devanagari
            digits = true;
        } else if (cp == 0xFF0EU || cp == 0xFF0CU) {
            fixed += cp == 0xFF0EU ? '.' : ',';  // fullwidth full stop and comma
            digits = true;
        } else {
            fixed.append(text.substr(i, len));
        }
        i += len;
    }
    if (minus || digits) {
        const auto forms = read_number_forms(fixed);
        if (forms.dot || forms.comma) {
            return tr(digits ? msg::E220_hint_digits : msg::E220_hint_minus,
                      fmt::arg("fixed", quote_cell(fixed)));
        }
    }
    // `1e309`, `2.5E-3`, `-1,5e+2`: a number, an `e`, a signed integer exponent.
    const auto e = fixed.find_first_of("eE");
    if (e != std::string::npos && e > 0) {
        std::string_view exponent = std::string_view(fixed).substr(e + 1);
        if (!exponent.empty() && (exponent.front() == '+' || exponent.front() == '-')) {
            exponent.remove_prefix(1);
        }
        const auto mantissa = read_number_forms(std::string_view(fixed).substr(0, e));
        if ((mantissa.dot || mantissa.comma) && !exponent.empty()
            && std::all_of(exponent.begin(), exponent.end(),
                           [](char ch) { return is_digit(ch); })) {
            return tr(msg::E220_hint_exponent);
        }
    }
    return {};
}

}  // namespace

void number_reader::read(const schema_field& f, std::string_view text, span where, const slot& dest,
                         builder& b) {
    auto forms = read_number_forms(text);
    using style = load_options::number_style;
    if (!forms.dot && !forms.comma && !text.empty() && text.back() == '%') {
        // `95%`, `92,7%`: a cell a spreadsheet formatted as a percentage. Which value the field
        // holds (95 or 0.95) is the regulation's to say, so the message offers both.
        const auto body = trim(text.substr(0, text.size() - 1));
        const auto body_forms = read_number_forms(body);
        const bool comma =
            style_ == style::comma_decimal || (style_ != style::dot_decimal && !body_forms.dot);
        const auto& canonical = comma ? body_forms.comma : body_forms.dot;
        if (canonical) {
            auto ratio = hundredth(*canonical);
            if (comma) {
                std::replace(ratio.begin(), ratio.end(), '.', ',');
            }
            const bool integer = f.decl->type.what == ast::type_ref::kind::integer;
            rep_.error("E220", where,
                       tr(integer ? msg::E220_percent_integer : msg::E220_percent,
                          fmt::arg("field", f.display), fmt::arg("type", type_name(f)),
                          fmt::arg("value", quote_cell(text)), fmt::arg("points", body),
                          fmt::arg("ratio", ratio)));
            return;
        }
    }
    if (!forms.dot && !forms.comma) {
        // `1 200`, `30 544,5`: thousands separated by spaces (also the no-break and thin spaces
        // some locales write). Not read, but the message says what to write.
        std::string joined;
        bool spaced = false;
        for (std::size_t i = 0; i < text.size();) {
            const auto rest = text.substr(i);
            const auto skip = static_cast<std::size_t>(trim(rest).data() - rest.data());
            if (skip > 0 && i > 0 && is_digit(text[i - 1]) && i + skip < text.size()
                && is_digit(text[i + skip])) {
                spaced = true;
                i += skip;
                continue;
            }
            joined += text[i++];
        }
        const auto fixed = read_number_forms(joined);
        if (spaced && (fixed.dot || fixed.comma) && grouped_separator(joined) == '\0') {
            rep_.error(
                "E220", where,
                tr(msg::E220_spaces, fmt::arg("field", f.display), fmt::arg("type", type_name(f)),
                   fmt::arg("value", quote_cell(text)), fmt::arg("fixed", joined)));
            return;
        }
        rep_.error("E220", where,
                   tr(msg::E220_not_number, fmt::arg("field", f.display),
                      fmt::arg("type", type_name(f)), fmt::arg("value", quote_cell(text)))
                       + not_number_hint(text));
        return;
    }
    if (style_ == style::dot_decimal) {
        if (!forms.dot) {
            rep_.error("E220", where,
                       tr(msg::E220_not_dot_number, fmt::arg("field", f.display),
                          fmt::arg("type", type_name(f)), fmt::arg("value", quote_cell(text))));
            return;
        }
        if (store(f, text, *forms.dot, where, dest, b, '.')) {
            note_grouped(f, text, where, dest);
        }
        return;
    }
    if (style_ == style::comma_decimal) {
        if (!forms.comma) {
            rep_.error("E220", where,
                       tr(msg::E220_not_comma_number, fmt::arg("field", f.display),
                          fmt::arg("type", type_name(f)), fmt::arg("value", quote_cell(text))));
            return;
        }
        if (store(f, text, *forms.comma, where, dest, b, ',')) {
            note_grouped(f, text, where, dest);
        }
        return;
    }
    if (forms.dot && forms.comma) {
        if (*forms.dot == *forms.comma) {  // plain digits: the same in both styles
            store(f, text, *forms.dot, where, dest, b);
            return;
        }
        pending_.push_back(
            {&f, std::string(text), where, dest, std::move(*forms.dot), std::move(*forms.comma)});
        return;
    }
    const bool comma = forms.comma.has_value();
    note_style(comma, text, where);
    if (store(f, text, comma ? *forms.comma : *forms.dot, where, dest, b, comma ? ',' : '.')) {
        note_grouped(f, text, where, dest);
    }
}

void number_reader::note_grouped(const schema_field& f, std::string_view text, span where,
                                 const slot& dest) {
    // Only a decimal reading is worth a warning: `1.200` read as 1200 in a decimal-comma file is
    // how Vietnamese files write thousands.
    const char sep = grouped_separator(text);
    // In auto mode a `.` group is pending (settled in finish()), so only `,` groups come here.
    const bool decimal = sep == (style_ == load_options::number_style::dot_decimal ? '.' : ',');
    if (sep != '\0' && decimal) {
        grouped_.push_back({&f, std::string(text), where, dest, sep});
    }
}

bool number_reader::store(const schema_field& f, std::string_view text,
                          const std::string& canonical, span where, const slot& dest, builder& b,
                          char decimal) {
    if (decimal != '\0' && f.decl->type.what == ast::type_ref::kind::integer
        && grouped_separator(text) == decimal) {
        // `1.840` for an integer, read as 1.84: E221 says why it was read so (at finish(), once
        // the file's style is settled) rather than only that 1.84 is not whole.
        const auto n = number::parse(canonical);
        if (n && !n->is_integer()) {
            not_whole_.push_back({&f, std::string(text), where, dest, decimal});
            return false;
        }
    }
    if (store_number(rep_, f, text, canonical, where, b.at(dest))) {
        b.origin_at(dest) = origin{rep_.file(), where};
        stored(f, text, where, dest, std::get<number>(b.at(dest).v), decimal);
        return true;
    }
    return false;
}

void number_reader::stored(const schema_field& f, std::string_view text, span where,
                           const slot& dest, const number& v, char decimal) {
    if (f.bounded()) {
        if (v < *f.low || (f.high && *f.high < v)) {
            out_of_range_.push_back({&f, std::string(text), where, dest, v, decimal});
        }
        return;  // the declared range decides; W205 is for fields without one
    }
    if (f.decl->type.what != ast::type_ref::kind::number) {
        return;  // an integer field cannot hold 82,125: `82.125` has one reading there
    }
    auto it = std::find_if(columns_.begin(), columns_.end(),
                           [&](const auto& c) { return c.first == &f; });
    if (it == columns_.end()) {
        columns_.emplace_back(&f, column{});
        it = columns_.end() - 1;
    }
    auto& c = it->second;
    const auto magnitude = v.abs();
    if (!(magnitude < number(1000))) {
        ++c.large;
    }
    // `82.125` read as 82125 with '.' between thousands, in a file that writes decimals with ','
    // (not one that only takes that style from the other files: W202 says so there). A decimal
    // typed with three decimals hardly ends in 0, while a thousands group often does (`45.000`,
    // `46.350`): those are never suspected.
    if (decimal == ',' && !borrowed_ && grouped_separator(text) == '.' && text.back() != '0'
        && !c.suspect) {
        c.suspect = out_of_range{&f, std::string(text), where, dest, v, decimal};
        return;
    }
    ++c.others;
    if (!c.largest || *c.largest < magnitude) {
        c.largest = magnitude;
        c.largest_text = std::string(text);
        c.largest_at = where;
    }
}

char number_reader::file_decimal() const {
    using style = load_options::number_style;
    if (style_ != style::auto_detect) {
        return style_ == style::comma_decimal ? ',' : '.';
    }
    if (first_comma_ && !first_dot_) {
        return ',';
    }
    return borrowed_ && !first_dot_ ? borrowed_->sep : '.';
}

void number_reader::finish_cells(builder& b) {
    report_out_of_range(b);
    warn_small_column(b);
}

void number_reader::report_out_of_range(builder& b) {
    std::stable_sort(
        out_of_range_.begin(), out_of_range_.end(),
        [](const out_of_range& x, const out_of_range& y) { return x.where.begin < y.where.begin; });
    for (const auto& o : out_of_range_) {
        const auto& unit = b.unit(o.dest.unit).name;
        if (unit.empty()) {
            continue;  // an object without a name: an error says so, its values are not used
        }
        const auto& f = *o.field;
        // `82.125` (read as 82125), `1e3` (read as 1000); not `76,25` or `0.50`.
        std::string plain = o.text;
        if (o.decimal == ',') {
            std::replace(plain.begin(), plain.end(), ',', '.');
        }
        const auto as_written = number::parse(plain);
        const std::string read =
            as_written && *as_written == o.value
                ? std::string()
                : tr(msg::E234_read_as, fmt::arg("read", o.value.exact_string()));
        std::string hint;
        const auto in_range = [&](const number& v) {
            return !(v < *f.low) && !(f.high && *f.high < v);
        };
        // `82.125` read as 82125 may mean 82,125; `1,200` read as 1.2 may mean 1200.
        if (const char sep = grouped_separator(o.text); sep != '\0' && o.decimal != '\0') {
            std::string other;
            std::string written;
            for (const char c : o.text) {
                if (c != sep) {
                    other += c;
                    written += c;
                } else if (sep != o.decimal) {
                    other += '.';
                    written += o.decimal;
                }
            }
            if (const auto v = number::parse(other); v && in_range(*v)) {
                hint = tr(msg::E234_if_means, fmt::arg("written", written));
            }
        }
        // `95` for a field whose range is written in percent: it holds a ratio, 0.95.
        const auto& range = *f.decl->range;
        if (hint.empty()
            && (range.low.value.percent || (range.high && range.high->value.percent))) {
            const auto ratio = o.value / number(100);
            if (in_range(ratio)) {
                std::string written = ratio.exact_string();
                if (file_decimal() == ',') {
                    std::replace(written.begin(), written.end(), '.', ',');
                }
                hint = tr(msg::E234_ratio, fmt::arg("value", o.text), fmt::arg("ratio", written));
            }
        }
        const bool below = o.value < *f.low;
        const auto bound_text = [](const ast::bound_lit& x) {
            return (x.negative ? "-" : "") + ast::number_text(x.value);
        };
        rep_.error("E234", o.where,
                   tr(below ? msg::E234_below : msg::E234_above, fmt::arg("field", f.display),
                      fmt::arg("unit", quote_cell(unit)), fmt::arg("value", quote_cell(o.text)),
                      fmt::arg("read", read),
                      fmt::arg("bound", below ? bound_text(range.low) : bound_text(*range.high)),
                      fmt::arg("range", f.range), fmt::arg("place", f.range_place),
                      fmt::arg("hint", hint)));
    }
    out_of_range_.clear();
}

void number_reader::warn_small_column(builder& b) {
    std::vector<const column*> suspects;
    for (const auto& [field, c] : columns_) {
        // Another value to compare with, the suspect the only value from 1000 up, and at least
        // w205_ratio times the largest of the others: `82.125` is then most likely 82,125.
        if (c.suspect && c.large == 1 && c.others > 0
            && !(c.suspect->value.abs() < *c.largest * number(w205_ratio))) {
            suspects.push_back(&c);
        }
    }
    std::stable_sort(suspects.begin(), suspects.end(), [](const column* x, const column* y) {
        return x->suspect->where.begin < y->suspect->where.begin;
    });
    std::size_t shown = 0;
    for (std::size_t i = 0; i < suspects.size(); ++i) {
        const auto& c = *suspects[i];
        const auto& g = *c.suspect;
        if (shown == max_grouped_warnings) {
            rep_.warning("W205", g.where, tr_n(msg::W205_more, suspects.size() - i));
            break;
        }
        const auto& unit = b.unit(g.dest.unit).name;
        if (unit.empty()) {
            continue;  // an object without a name: an error says so, its values are not used
        }
        std::string decimal = g.text;
        std::replace(decimal.begin(), decimal.end(), '.', ',');
        rep_.warning(
            "W205", g.where,
            tr(msg::W205_small_column, fmt::arg("field", g.field->display),
               fmt::arg("unit", quote_cell(unit)), fmt::arg("value", quote_cell(g.text)),
               fmt::arg("read", g.value.exact_string()), fmt::arg("reason", grouped_reason(',')),
               fmt::arg("largest", quote_cell(c.largest_text)),
               fmt::arg("line", rep_.file()->locate(c.largest_at.begin).line),
               fmt::arg("decimal", decimal)));
        ++shown;
    }
    columns_.clear();
}

char number_reader::settled() const {
    if (style_ != load_options::number_style::auto_detect || mixed()) {
        return '\0';
    }
    return first_comma_ ? ',' : first_dot_ ? '.' : '\0';
}

std::pair<std::string, span> number_reader::settling_example() const {
    // The first number that cannot be a grouped integer shows the style best (`92,5`, not
    // `12,500`).
    const auto& plain = first_comma_ ? plain_comma_ : plain_dot_;
    const auto& first = first_comma_ ? first_comma_ : first_dot_;
    return plain ? *plain : first ? *first : std::pair<std::string, span>{};
}

void number_reader::finish(builder& b, const std::optional<borrowed_style>& other_files) {
    if (first_dot_ && first_comma_) {
        return;  // E224 was reported; the values will not be used
    }
    if (pending_.empty()) {
        report_not_whole();
        warn_grouped(b);
        finish_cells(b);
        return;
    }
    if (!first_dot_ && !first_comma_ && other_files) {
        // Nothing in this file settles its style, but the other files of the results do: read
        // it so, and say so at each cell that the other style would read differently.
        borrowed_ = other_files;
        const bool comma = other_files->sep == ',';
        for (const auto& p : pending_) {
            if (!store(*p.field, p.text, comma ? p.comma : p.dot, p.where, p.dest, b,
                       comma ? ',' : '.')) {
                continue;
            }
            // An integer field has one whole reading only (1840 for `1.840`): nothing to warn.
            if (!comma || p.field->decl->type.what != ast::type_ref::kind::integer) {
                grouped_.push_back({p.field, p.text, p.where, p.dest, '.', comma});
            }
        }
        pending_.clear();
        report_not_whole();
        warn_grouped(b);
        finish_cells(b);
        return;
    }
    if (!first_dot_ && !first_comma_) {
        const auto& p = pending_.front();
        std::string others;
        if (pending_.size() > 1) {
            others = tr_n(msg::E223_more_cells, pending_.size() - 1);
        }
        // For an integer, `1.840` is whole only as 1840: the message says so plainly.
        const auto dot = number::parse(p.dot);
        const bool only_comma_whole =
            p.field->decl->type.what == ast::type_ref::kind::integer && dot && !dot->is_integer();
        // 1.84 rather than 1.840 for the decimal reading of `1.840`.
        std::string dot_shown = p.dot;
        while (only_comma_whole && dot_shown.back() == '0') {
            dot_shown.pop_back();
        }
        rep_.error(
            "E223", p.where,
            tr(only_comma_whole ? msg::E223_integer : msg::E223_ambiguous,
               fmt::arg("field", p.field->display), fmt::arg("value", quote_cell(p.text)),
               fmt::arg("comma", p.comma), fmt::arg("dot", dot_shown), fmt::arg("others", others)));
        report_not_whole();
        report_out_of_range(b);
        return;
    }
    const bool comma = first_comma_.has_value();
    for (const auto& p : pending_) {
        if (store(*p.field, p.text, comma ? p.comma : p.dot, p.where, p.dest, b, comma ? ',' : '.')
            && !comma && grouped_separator(p.text) == '.') {
            grouped_.push_back({p.field, p.text, p.where, p.dest, '.'});
        }
    }
    pending_.clear();
    report_not_whole();
    warn_grouped(b);
    finish_cells(b);
}

void number_reader::report_not_whole() {
    for (const auto& g : not_whole_) {
        std::string read = g.text;
        std::string whole = g.text;
        read[read.find(g.sep)] = '.';
        whole.erase(whole.find(g.sep), 1);
        while (read.back() == '0') {
            read.pop_back();
        }
        std::string hint;
        // Not for a file read with the other files' style: those write decimals with a point,
        // so --numbers comma would misread them.
        if (g.sep == '.' && !borrowed_) {
            // A Vietnamese file writes 1840 as 1.840: then its decimals need a comma.
            if (style_ == load_options::number_style::auto_detect && plain_dot_) {
                std::string comma_form = plain_dot_->first;
                comma_form[comma_form.find('.')] = ',';
                hint = tr(msg::E221_vietnamese_file,
                          fmt::arg("example", quote_cell(plain_dot_->first)),
                          fmt::arg("example_comma", quote_cell(comma_form)));
            } else {
                hint = tr(msg::E221_vietnamese_option);
            }
        }
        rep_.error("E221", g.where,
                   tr(msg::E221_grouped, fmt::arg("field", g.field->display),
                      fmt::arg("value", quote_cell(g.text)), fmt::arg("read", read),
                      fmt::arg("reason", grouped_reason(g.sep)), fmt::arg("whole", whole),
                      fmt::arg("hint", hint)));
    }
    not_whole_.clear();
}

std::string number_reader::grouped_reason(char sep) const {
    using style = load_options::number_style;
    if (style_ != style::auto_detect) {
        return tr(msg::W202_reason_option,
                  fmt::arg("option", style_ == style::dot_decimal ? "dot" : "comma"),
                  fmt::arg("sep", std::string(1, sep)));
    }
    if (borrowed_) {
        return tr(msg::W202_reason_dataset, fmt::arg("sep", std::string(1, borrowed_->sep)),
                  fmt::arg("example", quote_cell(borrowed_->example)),
                  fmt::arg("file", borrowed_->file), fmt::arg("line", borrowed_->line));
    }
    const auto& plain = sep == '.' ? plain_dot_ : plain_comma_;
    if (!plain) {
        // Only cells like this one: a comma in a number is always a decimal comma, since the
        // decimal-point style has no thousands separators.
        return tr(msg::W202_reason_comma);
    }
    return tr(msg::W202_reason_file, fmt::arg("sep", std::string(1, sep)),
              fmt::arg("example", quote_cell(plain->first)),
              fmt::arg("line", rep_.file()->locate(plain->second.begin).line));
}

void number_reader::warn_grouped(builder& b) {
    // Pending cells join the list late: put it back in file order.
    std::stable_sort(grouped_.begin(), grouped_.end(), [](const grouped& x, const grouped& y) {
        return x.where.begin < y.where.begin;
    });
    // A cell outside its field's declared range gets E234, which gives the other reading too.
    if (!out_of_range_.empty()) {
        std::set<std::uint32_t> refused;
        for (const auto& o : out_of_range_) {
            refused.insert(o.where.begin);
        }
        std::erase_if(grouped_,
                      [&](const grouped& g) { return refused.count(g.where.begin) != 0; });
    }
    std::size_t shown = 0;
    for (std::size_t i = 0; i < grouped_.size(); ++i) {
        const auto& g = grouped_[i];
        if (shown == max_grouped_warnings) {
            const std::size_t rest = grouped_.size() - i;
            rep_.warning("W202", g.where,
                         g.thousands ? tr_n(msg::W202_more_thousands, rest,
                                            fmt::arg("reason", grouped_reason(g.sep)))
                                           + tr(msg::W202_option_more, fmt::arg("option", "comma"))
                                     : tr_n(msg::W202_more, rest));
            break;
        }
        const auto& unit = b.unit(g.dest.unit).name;
        if (unit.empty()) {
            continue;  // an object without a name: an error says so, its values are not used
        }
        if (g.thousands) {
            // `2.400` read as 2400 with the style of the other files; as a decimal it is 2.4,
            // which a file in that style writes `2,4`.
            std::string whole;
            std::string decimal = g.text;
            whole.reserve(g.text.size());
            for (const char c : g.text) {
                if (c != g.sep) {
                    whole += c;
                }
            }
            while (decimal.back() == '0') {
                decimal.pop_back();
            }
            if (decimal.back() == g.sep) {
                decimal.pop_back();
            }
            std::string written = decimal;
            std::replace(written.begin(), written.end(), g.sep, ',');
            rep_.warning(
                "W202", g.where,
                tr(msg::W202_read_thousands, fmt::arg("field", g.field->display),
                   fmt::arg("unit", quote_cell(unit)), fmt::arg("value", quote_cell(g.text)),
                   fmt::arg("read", whole), fmt::arg("decimal", decimal),
                   fmt::arg("written", written), fmt::arg("reason", grouped_reason(g.sep)))
                    // A spreadsheet writes its cells as it shows them: naming the option that
                    // confirms the reading is the fix that needs no editing of the file.
                    + tr(msg::W202_option_one, fmt::arg("read", whole),
                         fmt::arg("option", "comma")));
            ++shown;
            continue;
        }
        // What it was read as, without the trailing zeros (`1.200` -> 1.2), and the integer.
        std::string read;
        std::string whole;
        for (const char c : g.text) {
            read += c == g.sep ? '.' : c;
            if (c != g.sep) {
                whole += c;
            }
        }
        while (read.back() == '0') {
            read.pop_back();
        }
        if (read.back() == '.') {
            read.pop_back();
        }
        rep_.warning("W202", g.where,
                     tr(msg::W202_read_decimal, fmt::arg("field", g.field->display),
                        fmt::arg("unit", quote_cell(unit)), fmt::arg("value", quote_cell(g.text)),
                        fmt::arg("read", read), fmt::arg("other", whole),
                        fmt::arg("reason", grouped_reason(g.sep))));
        ++shown;
    }
    grouped_.clear();
}

// ---------------------------------------------------------------------------------------------
// Booleans, dates, enums

namespace {

std::optional<bool> read_bool(std::string_view text) {
    const std::string t = lower_vietnamese(text);
    static constexpr std::array<std::string_view, 5> yes = {"true", "1", "yes", "có", "đúng"};
    static constexpr std::array<std::string_view, 5> no = {"false", "0", "no", "không", "sai"};
    if (std::find(yes.begin(), yes.end(), t) != yes.end()) {
        return true;
    }
    if (std::find(no.begin(), no.end(), t) != no.end()) {
        return false;
    }
    return std::nullopt;
}

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return days[static_cast<std::size_t>(m - 1)];
}

// Reads exactly `min..max` digits at `i`.
std::optional<int> digits_at(std::string_view s, std::size_t& i, std::size_t min, std::size_t max) {
    int v = 0;
    std::size_t n = 0;
    while (i < s.size() && is_digit(s[i]) && n < max) {
        v = v * 10 + (s[i] - '0');
        ++i;
        ++n;
    }
    if (n < min) {
        return std::nullopt;
    }
    return v;
}

struct ymd {
    int y, m, d;
};

std::optional<ymd> read_iso(std::string_view s) {
    std::size_t i = 0;
    const auto y = digits_at(s, i, 4, 4);
    if (!y || i >= s.size() || s[i++] != '-') {
        return std::nullopt;
    }
    const auto m = digits_at(s, i, 2, 2);
    if (!m || i >= s.size() || s[i++] != '-') {
        return std::nullopt;
    }
    const auto d = digits_at(s, i, 2, 2);
    if (!d || i != s.size()) {
        return std::nullopt;
    }
    return ymd{*y, *m, *d};
}

std::optional<ymd> read_dmy(std::string_view s) {
    std::size_t i = 0;
    const auto d = digits_at(s, i, 1, 2);
    if (!d || i >= s.size() || s[i++] != '/') {
        return std::nullopt;
    }
    const auto m = digits_at(s, i, 1, 2);
    if (!m || i >= s.size() || s[i++] != '/') {
        return std::nullopt;
    }
    const auto y = digits_at(s, i, 4, 4);
    if (!y || i != s.size()) {
        return std::nullopt;
    }
    return ymd{*y, *m, *d};
}

// `18/12/18`, `18.12.2018`, `18-12-2018`: day, month and year with a two-digit year or another
// separator. The date it most likely means, for the message; nullopt when it is not one.
std::optional<ymd> read_dmy_lookalike(std::string_view s, bool& two_digit_year) {
    std::size_t i = 0;
    const auto d = digits_at(s, i, 1, 2);
    if (!d || i >= s.size()) {
        return std::nullopt;
    }
    const char sep = s[i++];
    if (sep != '/' && sep != '.' && sep != '-') {
        return std::nullopt;
    }
    const auto m = digits_at(s, i, 1, 2);
    if (!m || i >= s.size() || s[i++] != sep) {
        return std::nullopt;
    }
    const auto year_begin = i;
    const auto y = digits_at(s, i, 2, 4);
    if (!y || i != s.size() || i - year_begin == 3) {
        return std::nullopt;
    }
    two_digit_year = i - year_begin == 2;
    const ymd got{two_digit_year ? 2000 + *y : *y, *m, *d};
    if ((sep == '/' && !two_digit_year) || got.m < 1 || got.m > 12 || got.d < 1
        || got.d > days_in_month(got.y, got.m)) {
        return std::nullopt;
    }
    return got;
}

void read_date(const schema_field& f, std::string_view text, span where, value& dest,
               const load_options& opts, reporter& rep, bool& ok) {
    using style = load_options::date_style;
    const auto iso = read_iso(text);
    const auto dmy = read_dmy(text);
    std::optional<ymd> got;
    if (iso && opts.dates != style::dmy) {
        got = iso;
    } else if (dmy && opts.dates != style::iso) {
        got = dmy;
    }
    if (!got) {
        std::string why;
        bool two_digit_year = false;
        std::optional<ymd> lookalike;
        if (iso) {
            why = tr(msg::E226_why_dmy);
        } else if (dmy) {
            why = tr(msg::E226_why_iso);
        } else if ((lookalike = read_dmy_lookalike(text, two_digit_year))) {
            const auto fixed =
                opts.dates == style::iso
                    ? fmt::format("{:04}-{:02}-{:02}", lookalike->y, lookalike->m, lookalike->d)
                    : fmt::format("{:02}/{:02}/{:04}", lookalike->d, lookalike->m, lookalike->y);
            why = tr(two_digit_year ? msg::E226_two_digit_year : msg::E226_write_fixed,
                     fmt::arg("fixed", fixed));
        } else if (opts.dates == style::iso) {
            why = tr(msg::E226_write_iso);
        } else if (opts.dates == style::dmy) {
            why = tr(msg::E226_write_dmy);
        } else {
            why = tr(msg::E226_write_either);
        }
        rep.error("E226", where,
                  tr(msg::E226_not_date, fmt::arg("field", f.display),
                     fmt::arg("type", tr(msg::checker_type_date)),
                     fmt::arg("value", quote_cell(text)), fmt::arg("why", why)));
        ok = false;
        return;
    }
    if (got->y < 1) {
        // `0000-12-18`: the pattern reads any four digits; the calendar starts at year 1.
        rep.error(
            "E226", where,
            tr(msg::E226_no_year_zero, fmt::arg("field", f.display),
               fmt::arg("type", tr(msg::checker_type_date)), fmt::arg("value", quote_cell(text))));
        ok = false;
        return;
    }
    if (got->m < 1 || got->m > 12) {
        rep.error(
            "E226", where,
            tr(msg::E226_no_month, fmt::arg("field", f.display),
               fmt::arg("type", tr(msg::checker_type_date)), fmt::arg("value", quote_cell(text)),
               fmt::arg("month", got->m),
               fmt::arg("hint", dmy && got->m > 12 ? tr(msg::E226_day_first) : std::string())));
        ok = false;
        return;
    }
    if (got->d < 1 || got->d > days_in_month(got->y, got->m)) {
        rep.error("E226", where,
                  tr(msg::E226_no_day, fmt::arg("field", f.display),
                     fmt::arg("type", tr(msg::checker_type_date)),
                     fmt::arg("value", quote_cell(text)), fmt::arg("month", got->m),
                     fmt::arg("year", got->y), fmt::arg("days", days_in_month(got->y, got->m))));
        ok = false;
        return;
    }
    dest.v = date{got->y, got->m, got->d};
}

// Lower case, without diacritics, spaces collapsed: `Xuất  sắc` and `xuat sac` are alike.
std::string fold(std::string_view text) {
    const std::string plain = lower_vietnamese(without_diacritics(text));
    std::string out;
    for (const char c : plain) {
        if (c != ' ' || (!out.empty() && out.back() != ' ')) {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

// The folded names and labels of an enumeration's members. A file with many bad cells asks for
// a suggestion once per cell: the members are folded (NFD through libunistring) once, and kept
// for the last enumeration asked about, recognised by its members' text.
struct folded_members {
    std::vector<std::string> raw;     // name, label of each member
    std::vector<std::string> folded;  // the same, folded
};

const folded_members& folded_of(const ast::enum_decl& e) {
    thread_local folded_members cache;
    bool same = cache.raw.size() == 2 * e.members.size();
    for (std::size_t i = 0; same && i < e.members.size(); ++i) {
        same = cache.raw[2 * i] == e.members[i].name && cache.raw[2 * i + 1] == e.members[i].label;
    }
    if (!same) {
        cache.raw.clear();
        cache.folded.clear();
        for (const auto& m : e.members) {
            for (const std::string* s : {&m.name, &m.label}) {
                cache.raw.push_back(*s);
                cache.folded.push_back(fold(*s));
            }
        }
    }
    return cache;
}

// The member a value not in the enum most likely means, only to suggest it (it is never
// accepted): its name or label up to letter case and diacritics (`XS`, `tốt`, `hoàn thành tốt`),
// the one label the value is a phrase of (`Xuất sắc` in `Hoàn thành xuất sắc`), or the name or
// label closest by spelling.
std::optional<std::size_t> closest_member(const ast::enum_decl& e, std::string_view text) {
    const std::string t = fold(text);
    if (t.empty()) {
        return std::nullopt;
    }
    const auto& members = e.members;
    const auto& folded = folded_of(e).folded;
    const auto name_of = [&](std::size_t i) -> const std::string& { return folded[2 * i]; };
    const auto label_of = [&](std::size_t i) -> const std::string& { return folded[2 * i + 1]; };
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (name_of(i) == t || (!members[i].label.empty() && label_of(i) == t)) {
            return i;
        }
    }
    std::optional<std::size_t> phrase;
    std::size_t phrases = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const std::string label = " " + label_of(i) + " ";
        if (!members[i].label.empty() && label.find(" " + t + " ") != std::string::npos) {
            phrase = i;
            ++phrases;
        }
    }
    if (phrases == 1) {
        return phrase;
    }
    std::vector<std::string> candidates;
    std::vector<std::size_t> owner;
    for (std::size_t i = 0; i < members.size(); ++i) {
        candidates.push_back(name_of(i));
        owner.push_back(i);
        if (!members[i].label.empty()) {
            candidates.push_back(label_of(i));
            owner.push_back(i);
        }
    }
    const std::string best = closest_name(t, candidates);
    for (std::size_t k = 0; k < candidates.size() && !best.empty(); ++k) {
        if (candidates[k] == best) {
            return owner[k];
        }
    }
    return std::nullopt;
}

void read_enum(const schema_field& f, std::string_view text, span where, value& dest, reporter& rep,
               bool& ok) {
    const auto& members = f.enumeration->members;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].name == text || (!members[i].label.empty() && members[i].label == text)) {
            dest.v = enum_value{static_cast<std::uint32_t>(i)};
            return;
        }
    }
    std::string allowed;
    for (const auto& m : members) {
        if (!allowed.empty()) {
            allowed += ", ";
        }
        allowed += m.name;
        if (!m.label.empty()) {
            allowed += fmt::format(" \"{}\"", m.label);
        }
    }
    const auto guess = closest_member(*f.enumeration, text);
    if (guess) {
        const auto& m = members[*guess];
        const std::string member = m.label.empty() ? fmt::format("`{}`", m.name)
                                                   : fmt::format("`{}` (\"{}\")", m.name, m.label);
        rep.error("E227", where,
                  tr(msg::E227_did_you_mean, fmt::arg("field", f.display),
                     fmt::arg("value", quote_cell(text)), fmt::arg("enum", f.enumeration->name),
                     fmt::arg("member", member), fmt::arg("allowed", allowed)));
    } else {
        rep.error("E227", where,
                  tr(msg::E227_not_member, fmt::arg("field", f.display),
                     fmt::arg("value", quote_cell(text)), fmt::arg("enum", f.enumeration->name),
                     fmt::arg("allowed", allowed)));
    }
    ok = false;
}

}  // namespace

void read_cell(const schema_field& f, std::string_view text, span where, const slot& dest,
               builder& b, number_reader& numbers, const load_options& opts, reporter& rep) {
    text = trim(text);
    if (text.empty()) {
        if (!f.decl->type.optional) {
            note_optional_alternative(
                rep.error("E212", where,
                          tr(msg::E212_missing_value, fmt::arg("field", f.display),
                             fmt::arg("type", type_name(f)))),
                f);
        } else {
            b.origin_at(dest) = origin{rep.file(), where};
        }
        return;
    }
    value& v = b.at(dest);
    bool ok = true;
    switch (f.decl->type.what) {
        case ast::type_ref::kind::number:
        case ast::type_ref::kind::integer:
            numbers.read(f, text, where, dest, b);
            return;  // the reader records the origin
        case ast::type_ref::kind::boolean:
            if (const auto bv = read_bool(text)) {
                v.v = *bv;
            } else {
                rep.error("E225", where,
                          tr(msg::E225_not_bool, fmt::arg("field", f.display),
                             fmt::arg("type", tr(msg::checker_type_bool)),
                             fmt::arg("value", quote_cell(text))));
                ok = false;
            }
            break;
        case ast::type_ref::kind::date:
            read_date(f, text, where, v, opts, rep, ok);
            break;
        case ast::type_ref::kind::text:
            v.v = std::string(text);
            break;
        case ast::type_ref::kind::enumeration:
            read_enum(f, text, where, v, rep, ok);
            break;
        case ast::type_ref::kind::list:
            ok = false;  // lists never come from one cell; the loaders handle them
            break;
    }
    if (ok) {
        b.origin_at(dest) = origin{rep.file(), where};
    }
}

}  // namespace thidua::data_detail
