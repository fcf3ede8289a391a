// Results loading: the pieces shared by both formats (the error budget, the whole-file checks,
// the schema, the unit builder) and load_results(), which finds the files. Reading single cells
// is in data_cells.cpp, the formats in csv.cpp and json_data.cpp.

#include "engine/data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "dsl/suggest.hpp"
#include "engine/data_detail.hpp"

namespace thidua {

std::optional<load_options::number_style> parse_number_style(std::string_view text) {
    if (text == "auto") {
        return load_options::number_style::auto_detect;
    }
    if (text == "dot") {
        return load_options::number_style::dot_decimal;
    }
    if (text == "comma") {
        return load_options::number_style::comma_decimal;
    }
    return std::nullopt;
}

std::optional<load_options::date_style> parse_date_style(std::string_view text) {
    if (text == "auto") {
        return load_options::date_style::auto_detect;
    }
    if (text == "iso") {
        return load_options::date_style::iso;
    }
    if (text == "dmy") {
        return load_options::date_style::dmy;
    }
    return std::nullopt;
}

namespace data_detail {

// ---------------------------------------------------------------------------------------------
// Errors

namespace {

// Errors about a file as a whole: at most one of each per file, and the CSV loader takes the
// last diagnostic of its sink as the one that stopped it (see csv_loader::structural).
bool whole_file_error(std::string_view code) {
    static constexpr std::string_view codes[] = {"E201", "E202", "E203", "E204", "E205",
                                                 "E208", "E209", "E214", "E299"};
    return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

}  // namespace

diagnostic* reporter::error(const char* code, span where, std::string message,
                            std::optional<msg> repeat_note) {
    std::string key;
    if (!whole_file_error(code)) {
        key = std::string(code) + '\n' + message;
        const auto it = group_index_.find(key);
        if (it != group_index_.end()) {
            auto& g = groups_[it->second];
            if (g.places.size() < max_listed_repeats) {
                g.places.push_back(where);
            }
            ++g.repeats;
            return nullptr;
        }
    }
    ++count_;
    if (count_ > max_errors_per_file + 1) {
        return nullptr;
    }
    if (count_ == max_errors_per_file + 1) {
        diags_.error("E299", file_, where,
                     tr(msg::E299_too_many, fmt::arg("max", max_errors_per_file)));
        return nullptr;
    }
    if (key.empty()) {
        return &diags_.error(code, file_, where, std::move(message));
    }
    group_index_.emplace(std::move(key), groups_.size());
    auto& g = groups_.emplace_back();
    g.d.code = code;
    g.d.file = file_;
    g.d.where = where;
    g.d.message = std::move(message);
    g.note = repeat_note;
    return &g.d;
}

void reporter::flush() {
    for (auto& g : groups_) {
        if (g.repeats > 0) {
            // Lines, or line:column when two listed places share a line (a one-line JSON file).
            std::vector<location> at;
            at.reserve(g.places.size());
            for (const auto& p : g.places) {
                at.push_back(file_->locate(p.begin));
            }
            // Places come in file order, so two on one line are neighbours.
            bool shared_line = at.front().line == file_->locate(g.d.where.begin).line;
            for (std::size_t i = 1; i < at.size(); ++i) {
                shared_line = shared_line || at[i].line == at[i - 1].line;
            }
            std::string lines;
            for (const auto& l : at) {
                if (!lines.empty()) {
                    lines += ", ";
                }
                lines +=
                    shared_line ? fmt::format("{}:{}", l.line, l.column) : std::to_string(l.line);
            }
            if (g.repeats > g.places.size()) {
                lines = tr(msg::data_repeated_more, fmt::arg("places", lines),
                           fmt::arg("more", g.repeats - g.places.size()));
            }
            g.d.notes.push_back({file_, g.places.front(),
                                 tr_n(g.note.value_or(msg::data_repeated), g.repeats,
                                      fmt::arg("total", g.repeats + 1), fmt::arg("lines", lines))});
        }
        diags_.add(std::move(g.d));
    }
    groups_.clear();
    group_index_.clear();
}

diagnostic& reporter::warning(const char* code, span where, std::string message) {
    return diags_.warning(code, file_, where, std::move(message));
}

namespace {

std::string lower_ascii(std::string s) {
    for (auto& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

// UTF-16 without a byte order mark: in the first bytes, (nearly) every high byte of a code unit
// is NUL, as for text that is mostly ASCII (a CSV header, JSON punctuation), and the low bytes
// are not.
bool looks_utf16(std::string_view text) {
    const std::size_t units = std::min<std::size_t>(text.size(), 512) / 2;
    if (units == 0) {
        return false;
    }
    std::size_t nul_even = 0;
    std::size_t nul_odd = 0;
    for (std::size_t i = 0; i < units; ++i) {
        if (text[2 * i] == '\0') {
            ++nul_even;
        }
        if (text[2 * i + 1] == '\0') {
            ++nul_odd;
        }
    }
    const auto mostly = [&](std::size_t n) { return n * 2 >= units; };
    const auto rarely = [&](std::size_t n) { return n * 10 <= units; };
    return (mostly(nul_odd) && rarely(nul_even)) || (mostly(nul_even) && rarely(nul_odd));
}

}  // namespace

bool check_text(reporter& rep) {
    const std::string& text = rep.file()->text();
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    // Excel's "CSV UTF-8" is the advice for a CSV file only.
    const bool json =
        lower_ascii(std::filesystem::path(rep.file()->path()).extension().string()) == ".json";
    // An error at a byte of a file that may be one huge line (a binary file): shown with an
    // excerpt of its line, not the whole line.
    const auto at_byte = [&](const char* code, std::size_t offset, std::string message) {
        const auto at = static_cast<std::uint32_t>(offset);
        if (diagnostic* d = rep.error(code, {at, at + 1}, std::move(message))) {
            d->file = excerpt_source(*rep.file(), at, d->where);
        }
    };
    if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
        rep.error("E201", {}, tr(msg::E201_too_large));
        return false;
    }
    if (detect_utf32(text)) {
        rep.error("E202", {0, 0}, tr(json ? msg::E202_utf32_json : msg::E202_utf32));
        return false;
    }
    if (text.size() >= 2
        && ((byte(0) == 0xFFU && byte(1) == 0xFEU) || (byte(0) == 0xFEU && byte(1) == 0xFFU))) {
        rep.error("E202", {0, 2}, tr(json ? msg::E202_utf16_json : msg::E202_utf16));
        return false;
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        rep.error("E201", {0, 0}, tr(msg::E201_empty));
        return false;
    }
    const auto nul = text.find('\0');
    if (nul != std::string::npos && looks_utf16(text)) {
        // Notepad's "Unicode" without a byte order mark: every other byte of ASCII text is NUL.
        rep.error("E202", {0, 2}, tr(json ? msg::E202_utf16_no_bom_json : msg::E202_utf16_no_bom));
        return false;
    }
    // The first NUL ends the search for bad UTF-8: a binary file is said to be one at once.
    const auto bad = find_invalid_utf8(std::string_view(text).substr(0, nul));
    if (nul != std::string::npos && bad == std::string::npos) {
        at_byte("E203", nul, tr(msg::E203_nul, fmt::arg("offset", nul)));
        return false;
    }
    if (bad != std::string::npos) {
        at_byte("E202", bad,
                tr(json ? msg::E202_invalid_utf8_json : msg::E202_invalid_utf8,
                   fmt::arg("offset", bad), fmt::arg("byte", byte(bad))));
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Schema

namespace {

bool resolve_fields(const ast::regulation& reg, const std::vector<ast::field_decl>& decls,
                    const std::string& prefix, bool nested, std::vector<schema_field>& out,
                    diagnostics& diags) {
    bool ok = true;
    for (const auto& d : decls) {
        schema_field f;
        f.decl = &d;
        f.regulation = reg.file;
        f.display = prefix + d.name;
        if (!nested && d.name == "unit") {
            diags.error("E219", reg.file, d.name_span, tr(msg::E219_field_unit));
            ok = false;
        }
        if (d.type.what == ast::type_ref::kind::enumeration) {
            for (const auto& e : reg.enums) {
                if (e.name == d.type.enum_name) {
                    f.enumeration = &e;
                }
            }
            if (f.enumeration == nullptr) {
                diags.error("E219", reg.file, d.type.where,
                            tr(msg::E219_unknown_enum, fmt::arg("field", f.display),
                               fmt::arg("type", d.type.enum_name)));
                ok = false;
            }
        }
        if (d.range
            && (d.type.what == ast::type_ref::kind::number
                || d.type.what == ast::type_ref::kind::integer)) {
            // The checker has refused a bound that cannot be read (E103); such a range is
            // simply not applied here.
            const auto bound = [](const ast::bound_lit& b) -> std::optional<number> {
                auto v = number::parse(b.value.text);
                if (v && b.value.percent) {
                    *v = *v / number(100);
                }
                if (v && b.negative) {
                    *v = -*v;
                }
                return v;
            };
            f.low = bound(d.range->low);
            if (d.range->high) {
                f.high = bound(*d.range->high);
                if (!f.high) {
                    f.low.reset();
                }
            }
            f.range = ast::range_text(*d.range);
            if (reg.file) {
                const auto [part, offset] = reg.file->origin(d.range->where.begin);
                f.range_place = fmt::format("{}:{}", part->path(), part->locate(offset).line);
            }
        }
        if (d.type.what == ast::type_ref::kind::list) {
            if (nested) {
                diags.error("E219", reg.file, d.type.where,
                            tr(msg::E219_nested_list, fmt::arg("field", f.display)));
                ok = false;
            } else {
                ok = resolve_fields(reg, d.type.fields, f.display + ".", true, f.fields, diags)
                     && ok;
            }
        }
        out.push_back(std::move(f));
    }
    return ok;
}

}  // namespace

std::optional<std::vector<schema_field>> resolve_schema(const ast::regulation& reg,
                                                        diagnostics& diags) {
    std::vector<schema_field> out;
    if (!resolve_fields(reg, reg.inputs, "", false, out, diags)) {
        return std::nullopt;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Builder

void builder::reserve(std::size_t n) {
    units_.reserve(n);
    lists_.reserve(n);
    index_.reserve(n);
}

std::size_t builder::add_unit(const source_ptr& file, span row) {
    unit_data u;
    u.file = file;
    u.name_span = row;
    u.fields.resize(schema_.size());
    u.field_origins.assign(schema_.size(), origin{file, row});
    units_.push_back(std::move(u));
    lists_.emplace_back(schema_.size());
    return units_.size() - 1;
}

std::optional<std::size_t> builder::set_name(std::size_t unit, std::string name, span name_span) {
    auto& u = units_[unit];
    u.name_span = name_span;
    const auto [it, inserted] = index_.emplace(name, unit);
    u.name = std::move(name);
    if (!inserted) {
        return it->second;
    }
    return std::nullopt;
}

std::optional<std::size_t> builder::find(const std::string& name) const {
    const auto it = index_.find(name);
    if (it == index_.end()) {
        return std::nullopt;
    }
    return it->second;
}

void builder::start_list(std::size_t unit, std::uint32_t field, origin where) {
    auto& l = lists_[unit][field];
    if (!l) {
        l = std::make_shared<std::vector<record>>();
        units_[unit].fields[field].v = list_value(l);
        units_[unit].field_origins[field] = std::move(where);
    }
}

std::uint32_t builder::add_record(std::size_t unit, std::uint32_t field, origin row) {
    auto& l = *lists_[unit][field];
    const auto n = schema_[field].fields.size();
    l.emplace_back(n);
    auto& origins = units_[unit].list_origins;
    if (origins.size() <= field) {
        origins.resize(field + 1);  // up to the list: a unit's vector is not one per input
    }
    origins[field].push_back(record_origin{row, std::vector<origin>(n, row)});
    return static_cast<std::uint32_t>(l.size() - 1);
}

value& builder::at(const slot& s) {
    if (s.record == slot::none) {
        return units_[s.unit].fields[s.field];
    }
    return (*lists_[s.unit][s.field])[s.record][s.sub];
}

origin& builder::origin_at(const slot& s) {
    if (s.record == slot::none) {
        return units_[s.unit].field_origins[s.field];
    }
    return units_[s.unit].list_origins[s.field][s.record].fields[s.sub];
}

dataset builder::finish(std::vector<source_ptr> files) {
    dataset d;
    d.units = std::move(units_);
    d.files = std::move(files);
    lists_.clear();
    index_.clear();
    return d;
}

std::optional<std::string> unit_name_problem(std::string_view name) {
    // Decomposed Unicode (NFD) is no problem: sources are read in NFC (dsl/source.hpp), and names
    // from JSON escapes are normalised by the reader, so the same name is always the same unit.
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20U || c == 0x7FU) {
            return tr(msg::E231_control);
        }
    }
    return std::nullopt;
}

namespace {

// `name` with the Unicode spaces (and tabs) as one ASCII space each, runs of spaces as one, and
// the characters that show nothing (zero-width ones, the soft hyphen) removed; the code points
// that were not plain spaces go to `found`.
std::string invisible_key(std::string_view name, std::vector<std::uint32_t>& found) {
    std::string out;
    std::size_t i = 0;
    while (i < name.size()) {
        const auto c = static_cast<unsigned char>(name[i]);
        std::size_t len = c < 0x80U ? 1 : c < 0xE0U ? 2 : c < 0xF0U ? 3 : 4;
        len = std::min(len, name.size() - i);
        std::uint32_t cp = c;
        if (len == 2) {
            cp = ((c & 0x1FU) << 6U) | (static_cast<unsigned char>(name[i + 1]) & 0x3FU);
        } else if (len == 3) {
            cp = ((c & 0x0FU) << 12U) | ((static_cast<unsigned char>(name[i + 1]) & 0x3FU) << 6U)
                 | (static_cast<unsigned char>(name[i + 2]) & 0x3FU);
        }
        const bool zero_width =
            (cp >= 0x200BU && cp <= 0x200DU) || cp == 0x2060U || cp == 0xFEFFU || cp == 0xADU;
        if (zero_width || is_invisible_space(cp) || cp == '\t') {
            if (std::find(found.begin(), found.end(), cp) == found.end()) {
                found.push_back(cp);
            }
        }
        if (zero_width) {
            // nothing
        } else if (cp == ' ' || cp == '\t' || is_invisible_space(cp)) {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        } else {
            out.append(name.substr(i, len));
        }
        i += len;
    }
    if (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

bool one_typo_apart(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    std::size_t differing = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == b[i]) {
            continue;
        }
        const auto has_digit = [](const std::string& w) {
            return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
        };
        if (++differing > 1 || utf8_width(a[i]) < 4 || utf8_width(b[i]) < 4 || has_digit(a[i])
            || has_digit(b[i]) || edit_distance(a[i], b[i]) > 1) {
            return false;
        }
    }
    return differing == 1;
}

}  // namespace

namespace {

// Reads the code point at `i` and moves past it (a byte that starts no valid sequence is read on
// its own).
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80U ? 1 : c < 0xE0U ? 2 : c < 0xF0U ? 3 : 4;
    if (len > s.size() - i) {
        len = 1;
    }
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1FU) : len == 3 ? (c & 0x0FU) : (c & 0x07U);
    for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
    }
    i += len;
    return cp;
}

// Characters that show nothing: a name is the same name without them.
bool zero_width(std::uint32_t cp) {
    return (cp >= 0x200BU && cp <= 0x200DU) || cp == 0x2060U || cp == 0xFEFFU || cp == 0xADU;
}

// Characters between the words of a name: spaces (also the Unicode ones) and punctuation: ASCII's,
// Latin-1's, the dashes and quotes of General Punctuation (`–` U+2013 for `-`), the minus sign,
// CJK punctuation.
bool separates_words(std::uint32_t cp) {
    if (cp < 0x80U) {
        return std::isalnum(static_cast<int>(cp)) == 0;
    }
    if (cp >= 0xA0U && cp <= 0xBFU) {
        // Latin-1 punctuation, except the superscripts, fractions and ordinal indicators.
        return cp != 0xAAU && cp != 0xB2U && cp != 0xB3U && cp != 0xB5U && cp != 0xB9U
               && cp != 0xBAU && (cp < 0xBCU || cp > 0xBEU);
    }
    return cp == 0xD7U || cp == 0xF7U || (cp >= 0x2000U && cp <= 0x206FU) || cp == 0x2212U
           || (cp >= 0x3000U && cp <= 0x303FU);
}

// The words of `name` as written (case and diacritics kept), split as name_words() splits them;
// with `keep_ampersand`, `&` is part of a word (`KH&ĐT`) or a word of its own.
std::vector<std::string> split_words(std::string_view name, bool keep_ampersand = false) {
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i < name.size();) {
        const auto begin = i;
        const auto cp = next_code_point(name, i);
        if (zero_width(cp)) {
            continue;
        }
        if (separates_words(cp) && !(keep_ampersand && cp == '&')) {
            if (!word.empty()) {
                out.push_back(std::move(word));
                word.clear();
            }
            continue;
        }
        word.append(name.substr(begin, i - begin));
    }
    if (!word.empty()) {
        out.push_back(std::move(word));
    }
    return out;
}

// How two names with the same name_words() differ, for E233: the one kind of difference when one
// explains it, else all of them.
msg look_alike_kind(std::string_view a, std::string_view b) {
    std::vector<std::uint32_t> ignored;
    const std::string sa = invisible_key(a, ignored);
    const std::string sb = invisible_key(b, ignored);
    if (sa == sb) {
        return msg::E233_spaces;
    }
    if (lower_vietnamese(sa) == lower_vietnamese(sb)) {
        return msg::E233_case;
    }
    if (without_diacritics(sa) == without_diacritics(sb)) {
        return msg::E233_diacritics;
    }
    if (lower_vietnamese(without_diacritics(sa)) == lower_vietnamese(without_diacritics(sb))) {
        return msg::E233_case_diacritics;
    }
    if (split_words(a) == split_words(b)) {
        return msg::E233_punctuation;
    }
    return msg::E233_any;
}

}  // namespace

std::vector<std::string> name_words(std::string_view name) {
    return split_words(lower_vietnamese(without_diacritics(name)));
}

void check_look_alike_units(const builder& b, std::size_t count, reporter& rep) {
    std::unordered_map<std::string, std::size_t> seen;
    seen.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto& u = b.unit(i);
        if (u.name.empty()) {
            continue;
        }
        std::string key;
        for (const auto& w : name_words(u.name)) {
            key += w;
            key += '\x1F';
        }
        const auto [it, inserted] = seen.emplace(std::move(key), i);
        if (inserted) {
            continue;
        }
        const auto& first = b.unit(it->second);
        if (first.name == u.name) {
            continue;  // the same name twice: E215
        }
        if (auto* d = rep.error("E233", u.name_span,
                                tr(msg::E233_look_alike, fmt::arg("unit", quote_cell(u.name)),
                                   fmt::arg("other", quote_cell(first.name)),
                                   fmt::arg("how", tr(look_alike_kind(u.name, first.name)))))) {
            d->notes.push_back(
                {first.file, first.name_span,
                 tr(msg::E233_other_here, fmt::arg("unit", quote_cell(first.name)))});
        }
    }
}

namespace {

// A word of a unit name for matching abbreviations: as written, folded (lower case, without
// diacritics; `&` alone reads as `và`), and whether it is an abbreviation: two capital letters or
// more and nothing else but `&` (`VP`, `HĐND`, `UBND`, `KH&ĐT`).
struct name_word {
    std::string text;
    std::string folded;
    bool abbreviation = false;
};

std::vector<name_word> abbreviation_words(std::string_view name) {
    std::vector<name_word> out;
    for (auto& w : split_words(name, true)) {
        name_word nw;
        const std::string plain = without_diacritics(w);
        std::size_t capitals = 0;
        bool only_capitals = true;
        for (const char c : plain) {
            if (c >= 'A' && c <= 'Z') {
                ++capitals;
            } else if (c != '&') {
                only_capitals = false;
            }
        }
        nw.abbreviation = only_capitals && capitals >= 2;
        nw.folded = lower_vietnamese(plain);
        if (nw.folded == "&") {
            nw.folded = "va";
        } else if (nw.abbreviation) {
            nw.folded.erase(std::remove(nw.folded.begin(), nw.folded.end(), '&'), nw.folded.end());
        }
        nw.text = std::move(w);
        out.push_back(std::move(nw));
    }
    return out;
}

// Where the words from `w` on can end so that their initials spell `letters` from `p` on. `và`
// may be left out between two letters (`KH&ĐT` for `Kế hoạch và Đầu tư`, `VHTT` for `Văn hóa và
// Thể thao`).
void spelt_ends(std::string_view letters, std::size_t p, const std::vector<name_word>& words,
                std::size_t w, std::vector<std::size_t>& ends) {
    if (p == letters.size()) {
        ends.push_back(w);
        return;
    }
    if (w == words.size()) {
        return;
    }
    if (p > 0 && words[w].folded == "va") {
        spelt_ends(letters, p, words, w + 1, ends);
    }
    if (!words[w].abbreviation && !words[w].folded.empty() && words[w].folded[0] == letters[p]) {
        spelt_ends(letters, p + 1, words, w + 1, ends);
    }
}

// Whether the names `a` (from word i) and `b` (from word j) are the same words up to letter case,
// diacritics and abbreviations of either (`VP` for `Văn phòng`). `pairs` gets each abbreviation
// used and what it stands for; `failed` remembers the positions that do not match.
bool same_with_abbreviations(const std::vector<name_word>& a, std::size_t i,
                             const std::vector<name_word>& b, std::size_t j,
                             std::vector<std::pair<std::string, std::string>>& pairs,
                             std::vector<char>& failed) {
    if (i == a.size() && j == b.size()) {
        return true;
    }
    auto& memo = failed[i * (b.size() + 1) + j];
    if (memo != 0) {
        return false;
    }
    if (i < a.size() && j < b.size() && a[i].folded == b[j].folded
        && same_with_abbreviations(a, i + 1, b, j + 1, pairs, failed)) {
        return true;
    }
    // An abbreviation on either side, and the words of the other that it stands for.
    for (int side = 0; side < 2; ++side) {
        const auto& shorter = side == 0 ? a : b;
        const auto& longer = side == 0 ? b : a;
        const std::size_t s = side == 0 ? i : j;
        const std::size_t l = side == 0 ? j : i;
        if (s == shorter.size() || l == longer.size() || !shorter[s].abbreviation) {
            continue;
        }
        std::vector<std::size_t> ends;
        spelt_ends(shorter[s].folded, 0, longer, l, ends);
        for (const auto end : ends) {
            const bool rest = side == 0 ? same_with_abbreviations(a, i + 1, b, end, pairs, failed)
                                        : same_with_abbreviations(a, end, b, j + 1, pairs, failed);
            if (rest) {
                std::string spelt;
                for (std::size_t k = l; k < end; ++k) {
                    spelt += (spelt.empty() ? "" : " ") + longer[k].text;
                }
                pairs.emplace_back(shorter[s].text, std::move(spelt));
                return true;
            }
        }
    }
    memo = 1;
    return false;
}

// The abbreviations by which `name` and `unit` differ (`VP` for `Văn phòng`), in the order of
// the names; nullopt when they differ otherwise, or use no abbreviation.
std::optional<std::vector<std::pair<std::string, std::string>>> abbreviated(std::string_view name,
                                                                            std::string_view unit) {
    const auto a = abbreviation_words(name);
    const auto b = abbreviation_words(unit);
    const bool any =
        std::any_of(a.begin(), a.end(), [](const auto& w) { return w.abbreviation; })
        || std::any_of(b.begin(), b.end(), [](const auto& w) { return w.abbreviation; });
    if (!any || a.size() * b.size() > 10000) {
        return std::nullopt;
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    std::vector<char> failed((a.size() + 1) * (b.size() + 1), 0);
    if (!same_with_abbreviations(a, 0, b, 0, pairs, failed) || pairs.empty()) {
        return std::nullopt;
    }
    std::reverse(pairs.begin(), pairs.end());  // recorded from the end of the names
    return pairs;
}

}  // namespace

std::string unknown_unit_hint(std::string_view name, const std::vector<std::string>& units,
                              const std::string& units_file) {
    std::vector<std::uint32_t> found;
    const std::string key = invisible_key(name, found);
    for (const auto& u : units) {
        std::vector<std::uint32_t> theirs = found;
        if (invisible_key(u, theirs) != key) {
            continue;
        }
        std::sort(theirs.begin(), theirs.end());
        std::string chars;
        for (const auto cp : theirs) {
            chars += fmt::format("{}U+{:04X}", chars.empty() ? "" : ", ", cp);
        }
        if (chars.empty()) {
            chars = tr(msg::E217_doubled_space);
        }
        return tr(msg::E217_invisible, fmt::arg("units_file", units_file),
                  fmt::arg("unit", quote_cell(u)), fmt::arg("chars", chars));
    }
    // Names of units in one bloc often differ by one letter or number only (`Sở A`, `Sở C`;
    // `Trường THCS 1`, `Trường THCS 2`), so the general closest_name() would suggest another unit.
    // A unit is suggested when its words are the same up to letter case, diacritics and
    // punctuation, or else when exactly one word of four letters or more differs by one typo.
    const auto words = name_words(name);
    std::optional<std::size_t> same;
    std::optional<std::size_t> close;
    std::size_t close_count = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const auto theirs = name_words(units[i]);
        if (theirs == words) {
            if (!same) {
                same = i;
            }
        } else if (one_typo_apart(words, theirs)) {
            close = i;
            ++close_count;
        }
    }
    if (!same && close_count == 1) {
        same = close;
    }
    if (same) {
        return tr(msg::E217_did_you_mean, fmt::arg("unit", quote_cell(units[*same])));
    }
    // The same words, but abbreviated in one of the names (`VP HĐND tỉnh` for `Văn phòng HĐND
    // tỉnh`, `Sở KH&ĐT` for `Sở Kế hoạch và Đầu tư`): suggested when one unit only is so.
    std::optional<std::size_t> short_form;
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t short_count = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (auto p = abbreviated(name, units[i])) {
            short_form = i;
            pairs = std::move(*p);
            ++short_count;
        }
    }
    if (short_count == 1) {
        std::string how;
        for (const auto& [abbreviation, spelt] : pairs) {
            how += (how.empty() ? "" : ", ")
                   + tr(msg::E217_abbreviation_pair, fmt::arg("short", quote_cell(abbreviation)),
                        fmt::arg("long", quote_cell(spelt)));
        }
        return tr(msg::E217_did_you_mean_abbreviation,
                  fmt::arg("unit", quote_cell(units[*short_form])), fmt::arg("how", how));
    }
    // Nothing close: the names to choose from, so that the units file need not be opened (a
    // bloc has a few tens of units; a longer list is counted).
    // A name given twice (E215) is listed once.
    std::vector<std::string_view> distinct;
    std::unordered_set<std::string_view> seen;
    for (const auto& u : units) {
        if (!u.empty() && seen.insert(u).second) {
            distinct.push_back(u);
        }
    }
    constexpr std::size_t max_listed_units = 20;
    if (distinct.size() > max_listed_units) {
        return tr(msg::E217_units_count, fmt::arg("units_file", units_file),
                  fmt::arg("n", distinct.size()));
    }
    if (distinct.empty()) {
        return {};
    }
    std::string listed;
    for (const auto& u : distinct) {
        listed += (listed.empty() ? "" : ", ") + quote_cell(u);
    }
    return tr_n(msg::E217_units_list, distinct.size(), fmt::arg("units_file", units_file),
                fmt::arg("units", listed));
}

// A column name that most likely holds the units' names: `unit` misspelt or in another case
// (`Unit`, `units`), or the Vietnamese words for it (`đơn_vị`, `Tên đơn vị`, `don vi`, `cơ quan`).
bool looks_like_unit_column(std::string_view name) {
    std::string key;
    for (const char c : lower_vietnamese(without_diacritics(name))) {
        const bool sep = c == '_' || c == '-' || c == ' ' || c == '.';
        if (!sep) {
            key += c;
        } else if (!key.empty() && key.back() != ' ') {
            key += ' ';
        }
    }
    while (!key.empty() && key.back() == ' ') {
        key.pop_back();
    }
    static constexpr std::string_view names[] = {"unit",   "units",      "unit name",      "name",
                                                 "don vi", "ten don vi", "don vi thi dua", "dv",
                                                 "ten dv", "co quan",    "ten co quan",    "ten"};
    return std::find(std::begin(names), std::end(names), key) != std::end(names)
           || !closest_name(key, {"unit", "units"}).empty();
}

bool is_vietnamese_unit_name(std::string_view name) {
    // `Đơn vị`, the header a Vietnamese spreadsheet has, and `đơn_vị`, written as a field name.
    // Diacritics count, as in every other column's name: `don_vi` gets E214's hint instead.
    std::string key = lower_vietnamese(normalize_nfc(std::string(name)));
    std::replace(key.begin(), key.end(), '_', ' ');
    return key == "đơn vị";
}

bool vietnamese_unit_column(const std::vector<schema_field>& schema,
                            const std::set<std::string>& ignored) {
    for (const auto& f : schema) {
        if (is_vietnamese_unit_name(f.decl->name) || !vietnamese_unit_column(f.fields)) {
            return false;
        }
    }
    // `đơn_vị`, `indicators.đơn_vị`: a field of the other regulation of a comparison.
    return std::none_of(ignored.begin(), ignored.end(), [](const std::string& name) {
        const auto dot = name.rfind('.');
        return is_vietnamese_unit_name(dot == std::string::npos ? name : name.substr(dot + 1));
    });
}

bool is_unit_column(std::string_view name, bool vietnamese) {
    return name == "unit" || (vietnamese && is_vietnamese_unit_name(name));
}

std::optional<std::size_t> guess_field(std::string_view name,
                                       const std::vector<schema_field>& fields, bool scalars_only,
                                       bool& by_label) {
    by_label = false;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!fields[i].decl->label.empty() && fields[i].decl->label == name) {
            by_label = true;
            return i;
        }
    }
    std::vector<std::string> names;
    for (const auto& f : fields) {
        if (!scalars_only || f.decl->type.what != ast::type_ref::kind::list) {
            names.push_back(f.decl->name);
        }
    }
    // A column typed without its diacritics (`ho_so_tre`) is the usual slip.
    const std::string best = closest_name(name, names);
    for (std::size_t i = 0; i < fields.size() && !best.empty(); ++i) {
        if (fields[i].decl->name == best) {
            return i;
        }
    }
    return std::nullopt;
}

void append_key_part(std::string& key, std::string_view text) {
    key += std::to_string(text.size());
    key += ':';
    key += text;
}

void repeat_finder::add(std::size_t unit, const schema_field& list, const std::string& content,
                        span where) {
    // Keyed by unit and list as well: in JSON the unit is not among the element's keys.
    std::string key;
    key.reserve(content.size() + list.display.size() + 24);
    append_key_part(key, std::to_string(unit));
    append_key_part(key, list.display);
    key += content;
    auto [it, inserted] = seen_.try_emplace(std::move(key), first_seen{where});
    if (!inserted) {
        ++it->second.times;
        repeats_.push_back({unit, &list, where, it->second.where, it->second.times});
    }
}

void repeat_finder::finish(const builder& b) {
    std::size_t shown = 0;
    for (std::size_t i = 0; i < repeats_.size(); ++i) {
        const auto& r = repeats_[i];
        const auto& unit = b.unit(r.unit).name;
        if (unit.empty()) {
            continue;  // an object without a name: an error says so, its values are not used
        }
        if (shown == max_warnings) {
            rep_.warning(
                "W204", r.where,
                tr_n(csv_ ? msg::W204_more_rows : msg::W204_more_elements, repeats_.size() - i));
            break;
        }
        const auto line = rep_.file()->locate(r.first.begin).line;
        const std::string times =
            r.times == 2 ? tr(msg::W204_twice) : tr(msg::W204_times, fmt::arg("n", r.times));
        auto& d = rep_.warning("W204", r.where,
                               tr(csv_ ? msg::W204_row : msg::W204_element, fmt::arg("line", line),
                                  fmt::arg("unit", quote_cell(unit)),
                                  fmt::arg("list", r.list->display), fmt::arg("times", times)));
        d.notes.push_back({rep_.file(), r.first, tr(msg::W204_first)});
        ++shown;
    }
    repeats_.clear();
    seen_.clear();
}

void warn_empty_lists(const dataset& d, const std::vector<schema_field>& schema, bool csv,
                      diagnostics& diags) {
    // A bloc where most units have rows in a list and one has none: its rows were most likely
    // left out (deleted with a filter, saved from the wrong sheet), and its score quietly drops.
    // A list that is empty for most units is normal (violations, commendations): no warning.
    constexpr std::size_t max_warnings = 10;
    for (std::size_t fi = 0; fi < schema.size(); ++fi) {
        if (schema[fi].decl->type.what != ast::type_ref::kind::list) {
            continue;
        }
        std::size_t present = 0;
        std::size_t with_rows = 0;
        std::size_t min_rows = std::numeric_limits<std::size_t>::max();
        std::size_t max_rows = 0;
        std::vector<const unit_data*> empty;
        for (const auto& u : d.units) {
            const auto* l = std::get_if<list_value>(&u.fields[fi].v);
            if (l == nullptr || *l == nullptr) {
                continue;  // absent (an optional list): not the same as empty
            }
            ++present;
            const std::size_t n = (*l)->size();
            if (n == 0) {
                empty.push_back(&u);
                continue;
            }
            ++with_rows;
            min_rows = std::min(min_rows, n);
            max_rows = std::max(max_rows, n);
        }
        if (csv && present > 0 && with_rows == 0) {
            // The list's file has its header and no row at all (saved from an empty sheet, rows
            // deleted): every unit's list is empty, and no unit stands out to be warned about.
            const auto& where = empty.front()->field_origins[fi];
            const std::string list_file =
                where.file ? std::filesystem::path(where.file->path()).filename().string()
                           : std::string();
            diags.warning("W203", where.file, where.where,
                          tr_n(msg::W203_header_only, present, fmt::arg("list_file", list_file),
                               fmt::arg("list", schema[fi].display)));
            continue;
        }
        if (empty.empty() || with_rows < 2 || with_rows * 2 <= present) {
            continue;
        }
        const std::string rows =
            min_rows == max_rows
                ? tr_n(csv ? msg::W203_rows_same : msg::W203_elements_same, min_rows)
                : tr(csv ? msg::W203_rows_range : msg::W203_elements_range,
                     fmt::arg("min", min_rows), fmt::arg("max", max_rows));
        const std::size_t others = present - 1;
        const std::string who = with_rows == others
                                    ? tr_n(msg::W203_others_all, others, fmt::arg("rows", rows))
                                    : tr(msg::W203_others_some, fmt::arg("with", with_rows),
                                         fmt::arg("others", others), fmt::arg("rows", rows));
        for (std::size_t k = 0; k < empty.size(); ++k) {
            const auto& u = *empty[k];
            const auto& where = u.field_origins[fi];
            const std::string list_file =
                where.file ? std::filesystem::path(where.file->path()).filename().string()
                           : std::string();
            // CSV: at the unit's name in the units file; JSON: at its `[]`.
            const source_ptr& file = csv ? u.file : where.file;
            const span at = csv ? u.name_span : where.where;
            if (k == max_warnings) {
                diags.warning(
                    "W203", file, at,
                    tr_n(csv ? msg::W203_more_rows : msg::W203_more_elements, empty.size() - k,
                         fmt::arg("list", schema[fi].display), fmt::arg("list_file", list_file)));
                break;
            }
            diags.warning(
                "W203", file, at,
                tr(csv ? msg::W203_no_rows : msg::W203_empty_json,
                   fmt::arg("unit", quote_cell(u.name)), fmt::arg("list", schema[fi].display),
                   fmt::arg("list_file", list_file), fmt::arg("others", who)));
        }
    }
}

}  // namespace data_detail

// ---------------------------------------------------------------------------------------------
// Files

source_ptr make_data_source(std::string path, std::string text) {
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        text.erase(0, 3);
    }
    return std::make_shared<const source_file>(std::move(path), std::move(text));
}

source_ptr read_data_file(const std::string& path, std::string& error, bool* too_large) {
    auto text = read_text_file(path, error, max_results_size, too_large);
    if (!text) {
        return nullptr;
    }
    return make_data_source(path, std::move(*text));
}

namespace {

namespace fs = std::filesystem;
using data_detail::lower_ascii;

source_ptr read_or_report(const fs::path& p, diagnostics& diags) {
    std::string error;
    bool too_large = false;
    auto f = read_data_file(p.string(), error, &too_large);
    if (!f) {
        // A file of 4 GiB or more is refused from its size, before it is read (E201 as documented).
        diags.error(too_large ? "E201" : "E200", nullptr, {},
                    fmt::format("{}: {}", p.string(), too_large ? tr(msg::E201_too_large) : error));
    }
    return f;
}

}  // namespace

namespace {

std::optional<dataset> load_results_from(const ast::regulation& reg, const std::string& path,
                                         const load_options& opts, diagnostics& diags,
                                         std::string& units_file) {
    std::error_code ec;
    if (path == "-") {
        diags.error("E200", nullptr, {},
                    fmt::format("{}: {}", path, tr(msg::file_stdin_not_supported)));
        return std::nullopt;
    }
    fs::path p(path);
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) {
        // A symbolic link loop, or one to a missing file: said as reading it says it.
        if (fs::is_symlink(fs::symlink_status(p, ec))) {
            (void)read_or_report(p, diags);
            return std::nullopt;
        }
        // `kq/units.csv/` (a slash after a file's name, as if it were a folder): the file is
        // meant, so it is read. Any other path through a file says which part is a file.
        std::string trimmed = path;
        while (trimmed.size() > 1 && (trimmed.back() == '/' || trimmed.back() == '\\')) {
            trimmed.pop_back();
        }
        if (trimmed != path && fs::is_regular_file(trimmed, ec)) {
            p = trimmed;
            status = fs::status(p, ec);
        } else {
            for (fs::path part = fs::path(trimmed).parent_path(); !part.empty();
                 part = part.parent_path()) {
                if (fs::is_regular_file(part, ec)) {
                    diags.error("E200", nullptr, {},
                                tr(msg::E200_file_not_folder, fmt::arg("path", path),
                                   fmt::arg("file", part.string())));
                    return std::nullopt;
                }
                if (part == part.parent_path()) {
                    break;
                }
            }
            diags.error("E200", nullptr, {}, tr(msg::E200_no_path, fmt::arg("path", path)));
            return std::nullopt;
        }
    }
    const bool is_dir = fs::is_directory(status);
    const std::string ext = lower_ascii(p.extension().string());
    if (!is_dir && ext == ".json") {
        auto f = read_or_report(p, diags);
        if (!f) {
            return std::nullopt;
        }
        return load_results_json(reg, f, opts, diags);
    }
    if (!is_dir && ext != ".csv") {
        diags.error("E200", nullptr, {}, tr(msg::E200_bad_kind, fmt::arg("path", path)));
        return std::nullopt;
    }
    // CSV: find the units file and one file per list input.
    const fs::path dir = is_dir ? p : p.parent_path();
    const fs::path units_path = is_dir ? p / "units.csv" : p;
    const std::string stem = is_dir ? std::string() : p.stem().string() + ".";
    // Anything named units.csv is read (a FIFO, a directory or a broken link is refused then).
    const auto present = [&](const fs::path& f) { return fs::exists(fs::symlink_status(f, ec)); };
    if (is_dir && !present(units_path)) {
        diags.error("E200", nullptr, {}, tr(msg::E200_no_units, fmt::arg("path", path)));
        return std::nullopt;
    }
    csv_files files;
    files.units = read_or_report(units_path, diags);
    if (!files.units) {
        return std::nullopt;
    }
    units_file = files.units->path();
    // The folder's results files, to find a list file whose name is the expected one in another
    // Unicode form (NFD, as a Mac writes names) or one that differs from it only slightly.
    std::vector<fs::path> candidates;
    for (const auto& entry : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec)) {
        const auto e = lower_ascii(entry.path().extension().string());
        if ((e == ".csv" || e == ".json") && entry.is_regular_file(ec)) {
            candidates.push_back(entry.path());
        }
    }
    std::sort(candidates.begin(), candidates.end());
    std::vector<fs::path> used{units_path};
    // A file not used whose name looks like a list's file: that list (for W201's message).
    std::vector<std::pair<fs::path, std::size_t>> misnamed;
    for (std::size_t i = 0; i < reg.inputs.size(); ++i) {
        const auto& in = reg.inputs[i];
        source_ptr list;
        std::string name;
        std::string lookalike;
        if (in.type.what == ast::type_ref::kind::list && !opts.ignored_fields.contains(in.name)) {
            fs::path lp = dir / (stem + in.name + ".csv");
            // `kq/units.csv` names the units file of the folder kq/: its lists are `kq/L.csv`
            // as for `kq/`, unless `kq/units.L.csv` exists.
            if (!is_dir && stem == "units." && !fs::exists(lp, ec)) {
                lp = dir / (in.name + ".csv");
            }
            name = lp.string();
            const std::string expected = lp.filename().string();
            if (!present(lp)) {
                for (const auto& c : candidates) {
                    if (normalize_nfc(c.filename().string()) == expected) {
                        lp = c;  // the same name, decomposed: the same file to a user
                        break;
                    }
                }
            }
            if (present(lp)) {
                list = read_or_report(lp, diags);
                if (!list) {
                    return std::nullopt;
                }
                used.push_back(lp);
            } else {
                const auto fold = [](const std::string& n) {
                    return data_detail::lower_vietnamese(without_diacritics(n));
                };
                for (const auto& c : candidates) {
                    const std::string found = c.filename().string();
                    if (c != units_path
                        && (fold(found) == fold(expected)
                            || !closest_name(found, {expected}).empty())) {
                        lookalike = found;
                        misnamed.emplace_back(c, i);
                        break;
                    }
                }
            }
        }
        files.lists.push_back(std::move(list));
        files.missing_hint.push_back(std::move(name));
        files.lookalike.push_back(std::move(lookalike));
    }
    if (is_dir) {
        // A file that is not used is most likely a misnamed list file: say so.
        for (const auto& c : candidates) {
            if (std::find(used.begin(), used.end(), c) != used.end()) {
                continue;
            }
            // The file of a list only the other regulation of a comparison reads.
            const auto stem_name = normalize_nfc(c.stem().string());
            if (lower_ascii(c.extension().string()) == ".csv"
                && opts.ignored_fields.contains(stem_name)) {
                continue;
            }
            const auto it = std::find_if(misnamed.begin(), misnamed.end(),
                                         [&](const auto& m) { return m.first == c; });
            if (it == misnamed.end()) {
                diags.warning("W201", nullptr, {},
                              tr(msg::W201_unused, fmt::arg("file", c.string())));
                continue;
            }
            const auto& in = reg.inputs[it->second];
            diags.warning(
                "W201", nullptr, {},
                tr(msg::W201_misnamed, fmt::arg("file", c.string()), fmt::arg("list", in.name),
                   fmt::arg("expected",
                            fs::path(files.missing_hint[it->second]).filename().string())));
        }
    }
    return load_results_csv(reg, files, opts, diags);
}

}  // namespace

std::optional<dataset> load_results(const ast::regulation& reg, const std::string& path,
                                    const load_options& opts, diagnostics& diags,
                                    std::string* units_file) {
    // Results with no unit (a header alone, `[]`) are reported by each loader (E201), where the
    // CSV loader can say which list rows were left unmatched because of it.
    diagnostics found;
    std::string units;  // empty for JSON: one file
    auto data = load_results_from(reg, path, opts, found, units);
    order_by_cause(found, units.empty() ? std::vector<std::string>{} : std::vector{units});
    diags.append(found);
    if (units_file != nullptr) {
        *units_file = units;
    }
    return data;
}

// A units file's errors come before those of its list files, which they often cause (a unit
// lost to a bad or duplicate row in units.csv makes the list rows naming it unknown units, E217),
// and a list file's name nearly always sorts before `units.csv`. So each units file is put first
// among the files of its folder (the list files of one results are all in its folder); all else
// stays in the order of diagnostics::sort(), which is applied first.
void order_by_cause(diagnostics& diags, const std::vector<std::string>& units_files) {
    diags.sort();
    const auto& items = diags.items();
    std::vector<std::string> keys;
    keys.reserve(items.size());
    for (const auto& d : items) {
        if (!d.file) {
            keys.emplace_back();  // first, as diagnostics::sort() puts them
            continue;
        }
        const std::string& path = d.file->origin(d.where.begin).first->path();
        if (std::find(units_files.begin(), units_files.end(), path) == units_files.end()) {
            keys.push_back(path);
            continue;
        }
        // `kq/units.csv` -> "kq/" and a NUL: before every other path in kq/, after kq/'s
        // neighbours that sort before it (`kq.csv`), as the folder's own files do.
        const auto slash = path.find_last_of("/\\");
        keys.push_back(slash == std::string::npos ? std::string() : path.substr(0, slash + 1));
        keys.back() += '\0';
    }
    std::vector<std::size_t> order(items.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    diagnostics ordered;
    for (const auto i : order) {
        ordered.add(items[i]);
    }
    diags = std::move(ordered);
}

}  // namespace thidua
