// JSON results: an array of unit objects, read by a small recursive-descent parser that is driven
// by the regulation's schema.
//
// Why not a JSON library: numbers must stay exact (we keep the raw digits, never a double), every
// value needs its line:column for diagnostics, and nesting must be bounded so that a hostile file
// cannot overflow the stack. Values are converted as they are parsed; no document tree is built,
// so memory stays proportional to the units, not to the text.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "dsl/i18n.hpp"
#include "engine/data.hpp"
#include "engine/data_detail.hpp"

namespace thidua {

using namespace data_detail;

namespace {

// Thrown after a syntax error has been reported: the rest of the file cannot be read reliably.
struct json_abort {};

class json_loader {
  public:
    json_loader(builder& b, const load_options& opts, reporter& rep, number_reader& numbers,
                repeat_finder& repeats)
        : b_(b),
          opts_(opts),
          rep_(rep),
          numbers_(numbers),
          repeats_(repeats),
          t_(rep.file()->text()),
          vietnamese_(vietnamese_unit_column(b.schema(), opts.ignored_fields)) {}

    void load() {
        if (t_.substr(0, 3) == "\xEF\xBB\xBF") {
            pos_ = 3;  // a byte order mark left in by a source not made by make_data_source()
        }
        skip_ws();
        if (peek() != '[') {
            if (peek() == '{') {
                rep_.error("E229", here(), tr(msg::E229_single_object));
            } else {
                syntax(msg::E208_expected_array);
            }
            return;
        }
        ++pos_;
        for_each_element(1, [&] {
            if (peek() == '{') {
                read_unit();
            } else {
                rep_.error("E229", here(), tr(msg::E229_unit_object));
                skip_value(1);
            }
        });
        skip_ws();
        if (pos_ < t_.size()) {
            syntax(msg::E208_trailing);
        }
    }

  private:
    // ---- lexical helpers

    [[nodiscard]] char peek() const { return pos_ < t_.size() ? t_[pos_] : '\0'; }
    [[nodiscard]] static std::uint32_t off(std::size_t p) { return static_cast<std::uint32_t>(p); }
    [[nodiscard]] span here() const {
        return pos_ < t_.size() ? span{off(pos_), off(pos_ + 1)} : span{off(pos_), off(pos_)};
    }

    void skip_ws() {
        while (pos_ < t_.size()
               && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r')) {
            ++pos_;
        }
    }

    [[noreturn]] void syntax(msg what) {
        if (pos_ >= t_.size()) {
            rep_.error("E208", here(), tr(msg::E208_syntax_eof, fmt::arg("what", tr(what))));
        } else {
            rep_.error("E208", here(), tr(msg::E208_syntax, fmt::arg("what", tr(what))));
        }
        throw json_abort{};
    }

    // A syntax error at the character at `at` (a comma that should not be there).
    [[noreturn]] void syntax_at(std::size_t at, msg what) {
        rep_.error("E208", {off(at), off(at + 1)},
                   tr(msg::E208_syntax, fmt::arg("what", tr(what))));
        throw json_abort{};
    }

    void expect(char c, msg what) {
        skip_ws();
        if (peek() != c) {
            syntax(what);
        }
        ++pos_;
    }

    void enter(unsigned depth) {
        if (depth > max_json_depth) {
            rep_.error("E209", here(), tr(msg::E209_too_deep, fmt::arg("max", max_json_depth)));
            throw json_abort{};
        }
    }

    // Calls `element` for each element of an array whose '[' was consumed; each call starts at
    // the element (whitespace skipped) and must consume it.
    template <typename F>
    void for_each_element(unsigned depth, F&& element) {
        enter(depth);
        skip_ws();
        if (peek() == ']') {
            ++pos_;
            return;
        }
        for (;;) {
            skip_ws();
            element();
            skip_ws();
            if (peek() == ',') {
                const auto comma = pos_++;
                skip_ws();
                if (peek() == ']') {
                    syntax_at(comma, msg::E208_trailing_comma);
                }
                continue;
            }
            if (peek() == ']') {
                ++pos_;
                return;
            }
            syntax(msg::E208_array_comma);
        }
    }

    // Calls `member(key, key_span)` for each member of an object whose '{' was consumed; each call
    // starts at the value (whitespace skipped) and must consume it.
    template <typename F>
    void for_each_member(unsigned depth, F&& member) {
        enter(depth);
        skip_ws();
        if (peek() == '}') {
            ++pos_;
            return;
        }
        std::string key;
        for (;;) {
            skip_ws();
            if (peek() != '"') {
                syntax(peek() == '\'' ? msg::E208_single_quote : msg::E208_key);
            }
            const auto key_begin = pos_;
            read_string(key);
            const span key_span{off(key_begin), off(pos_)};
            expect(':', msg::E208_colon);
            skip_ws();
            const auto value_begin = pos_;
            member(key, key_span);
            const auto value_end = pos_;
            skip_ws();
            if (peek() == ',') {
                const auto comma = pos_++;
                skip_ws();
                if (peek() == '}') {
                    syntax_at(comma, msg::E208_trailing_comma);
                }
                // `"self_score": 104,5`: a decimal comma, read as a number then a stray `5`.
                const char first = value_begin < t_.size() ? t_[value_begin] : '\0';
                if (comma == value_end && (first == '-' || (first >= '0' && first <= '9'))
                    && peek() >= '0' && peek() <= '9') {
                    syntax_at(comma, msg::E208_decimal_comma);
                }
                continue;
            }
            if (peek() == '}') {
                ++pos_;
                return;
            }
            syntax(msg::E208_object_comma);
        }
    }

    static int hex_value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    std::uint32_t read_hex4() {
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const int h = pos_ < t_.size() ? hex_value(t_[pos_]) : -1;
            if (h < 0) {
                syntax(msg::E208_hex);
            }
            v = v * 16 + static_cast<std::uint32_t>(h);
            ++pos_;
        }
        return v;
    }

    // At '"'. The file is known to be valid UTF-8, so bytes are copied through.
    void read_string(std::string& out) {
        out.clear();
        ++pos_;
        for (;;) {
            const auto run = pos_;
            while (pos_ < t_.size() && t_[pos_] != '"' && t_[pos_] != '\\'
                   && static_cast<unsigned char>(t_[pos_]) >= 0x20U) {
                ++pos_;
            }
            out.append(t_.substr(run, pos_ - run));
            if (pos_ >= t_.size()) {
                syntax(msg::E208_unterminated);
            }
            const char c = t_[pos_];
            if (c == '"') {
                ++pos_;
                return;
            }
            if (c == '\n' || c == '\r') {
                syntax(msg::E208_line_break);  // most often a quote forgotten, not a newline meant
            }
            if (c != '\\') {
                syntax(msg::E208_control);
            }
            ++pos_;
            const char e = peek();
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    out += e;
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    const auto esc = pos_ - 1;
                    ++pos_;
                    std::uint32_t cp = read_hex4();
                    if (cp >= 0xD800U && cp <= 0xDBFFU) {
                        if (t_.substr(pos_, 2) != "\\u") {
                            pos_ = esc;
                            syntax(msg::E208_high_surrogate);
                        }
                        pos_ += 2;
                        const std::uint32_t lo = read_hex4();
                        if (lo < 0xDC00U || lo > 0xDFFFU) {
                            pos_ = esc;
                            syntax(msg::E208_high_surrogate);
                        }
                        cp = 0x10000U + ((cp - 0xD800U) << 10U) + (lo - 0xDC00U);
                    } else if (cp >= 0xDC00U && cp <= 0xDFFFU) {
                        pos_ = esc;
                        syntax(msg::E208_low_surrogate);
                    } else if (cp == 0) {
                        pos_ = esc;
                        syntax(msg::E208_nul);
                    }
                    append_utf8(out, cp);
                    continue;
                }
                default:
                    syntax(msg::E208_escape);
            }
            ++pos_;
        }
    }

    // At '-' or a digit. Returns the raw token.
    std::string_view read_number_token() {
        const auto begin = pos_;
        const auto digits = [&] {
            const auto d = pos_;
            while (pos_ < t_.size() && t_[pos_] >= '0' && t_[pos_] <= '9') {
                ++pos_;
            }
            return pos_ - d;
        };
        if (peek() == '-') {
            ++pos_;
        }
        if (peek() == '0') {
            ++pos_;
        } else if (digits() == 0) {
            syntax(msg::E208_number);
        }
        if (peek() == '.') {
            ++pos_;
            if (digits() == 0) {
                syntax(msg::E208_number_fraction);
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') {
                ++pos_;
            }
            if (digits() == 0) {
                syntax(msg::E208_number_exponent);
            }
        }
        if (std::isalnum(static_cast<unsigned char>(peek())) != 0 || peek() == '.') {
            syntax(msg::E208_number);
        }
        return t_.substr(begin, pos_ - begin);
    }

    void read_literal(std::string_view word) {
        if (t_.substr(pos_, word.size()) != word) {
            syntax(msg::E208_value);
        }
        pos_ += word.size();
    }

    // Skips any value (for unknown keys and values of the wrong type), depth-limited.
    void skip_value(unsigned depth) {
        skip_ws();
        std::string scratch;
        switch (peek()) {
            case '{':
                ++pos_;
                for_each_member(depth + 1,
                                [&](const std::string&, span) { skip_value(depth + 1); });
                return;
            case '[':
                ++pos_;
                for_each_element(depth + 1, [&] { skip_value(depth + 1); });
                return;
            case '"':
                read_string(scratch);
                return;
            case 't':
                read_literal("true");
                return;
            case 'f':
                read_literal("false");
                return;
            case 'n':
                read_literal("null");
                return;
            default:
                if (peek() == '-' || (peek() >= '0' && peek() <= '9')) {
                    read_number_token();
                    return;
                }
                syntax(msg::E208_value);
        }
    }

    // ---- schema-driven reading

    static std::string kind_of(char c) {
        switch (c) {
            case '{':
                return tr(msg::json_kind_object);
            case '[':
                return tr(msg::json_kind_array);
            case '"':
                return tr(msg::json_kind_string);
            case 't':
            case 'f':
                return tr(msg::json_kind_bool);
            case 'n':
                return tr(msg::json_kind_null);
            default:
                return tr(msg::json_kind_number);
        }
    }

    static std::string expected_of(const schema_field& f) {
        switch (f.decl->type.what) {
            case ast::type_ref::kind::number:
            case ast::type_ref::kind::integer:
                return tr(msg::json_kind_number);
            case ast::type_ref::kind::boolean:
                return tr(msg::json_expect_bool);
            case ast::type_ref::kind::date:
                return tr(msg::json_expect_date);
            case ast::type_ref::kind::text:
                return tr(msg::json_kind_string);
            case ast::type_ref::kind::enumeration:
                return tr(msg::json_expect_enum);
            case ast::type_ref::kind::list:
                return tr(msg::json_expect_objects);
        }
        return tr(msg::json_expect_value);
    }

    void wrong_type(const schema_field& f, unsigned depth) {
        const auto begin = pos_;
        const char c = peek();
        skip_value(depth);
        rep_.error(
            "E228", {off(begin), off(pos_)},
            tr(msg::E228_wrong_type, fmt::arg("field", f.display), fmt::arg("type", type_name(f)),
               fmt::arg("expected", expected_of(f)), fmt::arg("found", kind_of(c))));
    }

    void missing(const schema_field& f, span where) {
        note_optional_alternative(
            rep_.error("E212", where,
                       tr(msg::E212_missing_value, fmt::arg("field", f.display),
                          fmt::arg("type", type_name(f)))),
            f);
    }

    void missing_key(const schema_field& f, span object) {
        // No note about declaring it optional: a key left out is as likely misspelt, or the
        // object is not a unit's.
        rep_.error("E212", object,
                   tr(msg::E212_missing_key, fmt::arg("key", f.decl->name),
                      fmt::arg("field", f.display), fmt::arg("type", type_name(f))));
    }

    // A value for field `f` (the value starts here).
    void read_field(const schema_field& f, const slot& dest, unsigned depth) {
        const auto begin = pos_;
        const char c = peek();
        if (c == 'n') {
            read_literal("null");
            const span where{off(begin), off(pos_)};
            if (!f.decl->type.optional) {
                missing(f, where);
            } else {
                b_.origin_at(dest) = origin{rep_.file(), where};
            }
            return;
        }
        const auto kind = f.decl->type.what;
        if (kind == ast::type_ref::kind::list) {
            if (c != '[') {
                wrong_type(f, depth);
                return;
            }
            ++pos_;
            b_.start_list(dest.unit, dest.field, origin{rep_.file(), {off(begin), off(begin + 1)}});
            for_each_element(depth + 1, [&] {
                if (peek() != '{') {
                    const auto eb = pos_;
                    const char ec = peek();
                    skip_value(depth + 1);
                    rep_.error("E228", {off(eb), off(pos_)},
                               tr(msg::E228_element, fmt::arg("field", f.display),
                                  fmt::arg("found", kind_of(ec))));
                    return;
                }
                const auto ob = pos_;
                const auto r = b_.add_record(dest.unit, dest.field,
                                             origin{rep_.file(), {off(ob), off(ob + 1)}});
                ++pos_;
                read_record(f, dest.unit, dest.field, r, {off(ob), off(ob + 1)}, depth + 2);
            });
            return;
        }
        if (c == '"') {
            read_string(scratch_);
            read_cell(f, scratch_, {off(begin), off(pos_)}, dest, b_, numbers_, opts_, rep_);
            return;
        }
        const bool numeric =
            kind == ast::type_ref::kind::number || kind == ast::type_ref::kind::integer;
        if (numeric && (c == '-' || (c >= '0' && c <= '9'))) {
            const auto raw = read_number_token();
            const span where{off(begin), off(pos_)};
            const auto canonical = json_number_to_decimal(raw);
            if (!canonical) {
                rep_.error("E222", where,
                           tr(msg::E222_too_many_digits, fmt::arg("field", f.display),
                              fmt::arg("value", quote_cell(raw))));
                return;
            }
            if (store_number(rep_, f, raw, *canonical, where, b_.at(dest))) {
                b_.origin_at(dest) = origin{rep_.file(), where};
                numbers_.stored(f, raw, where, dest, std::get<number>(b_.at(dest).v), '\0');
            }
            return;
        }
        if (kind == ast::type_ref::kind::boolean && (c == 't' || c == 'f')) {
            read_literal(c == 't' ? "true" : "false");
            b_.at(dest).v = c == 't';
            b_.origin_at(dest) = origin{rep_.file(), {off(begin), off(pos_)}};
            return;
        }
        wrong_type(f, depth);
    }

    // An element of list `list` (after its '{').
    void read_record(const schema_field& list, std::size_t unit, std::uint32_t field,
                     std::uint32_t r, span open, unsigned depth) {
        std::vector<bool> seen(list.fields.size(), false);
        std::vector<std::pair<std::string, span>> unknown;
        // Each key with its value as written, for repeat_finder.
        std::vector<std::pair<std::string, std::string_view>> members;
        const auto read_member = [&](const std::string& key, span key_span) {
            const auto it =
                std::find_if(list.fields.begin(), list.fields.end(),
                             [&](const schema_field& f) { return f.decl->name == key; });
            if (it == list.fields.end()
                && opts_.ignored_fields.contains(list.display + "." + key)) {
                skip_value(depth);  // a field only the other regulation of a comparison declares
                return;
            }
            if (it == list.fields.end()) {
                unknown.emplace_back(key, key_span);
                skip_value(depth);
                return;
            }
            const auto fi = static_cast<std::uint32_t>(it - list.fields.begin());
            if (seen[fi]) {
                rep_.error("E213", key_span, tr(msg::E213_duplicate_key, fmt::arg("key", key)));
                skip_value(depth);
                return;
            }
            seen[fi] = true;
            read_field(*it, slot{unit, field, r, fi}, depth);
        };
        for_each_member(depth, [&](const std::string& key, span key_span) {
            const auto value_begin = pos_;
            read_member(key, key_span);
            members.emplace_back(key, t_.substr(value_begin, pos_ - value_begin));
        });
        // An element reads the same whatever the order of its keys.
        std::sort(members.begin(), members.end());
        std::string content;
        for (const auto& [key, value] : members) {
            append_key_part(content, key);
            append_key_part(content, value);
        }
        repeats_.add(unit, list, content, open);
        std::vector<bool> claimed(list.fields.size(), false);
        for (const auto& [key, key_span] : unknown) {
            unknown_key(key, key_span, &list, seen, claimed);
        }
        for (std::size_t i = 0; i < list.fields.size(); ++i) {
            if (!seen[i] && !claimed[i] && !list.fields[i].decl->type.optional) {
                missing_key(list.fields[i], open);
            }
        }
    }

    // A unit object (at its '{').
    void read_unit() {
        const auto ob = pos_;
        const span open{off(ob), off(ob + 1)};
        const auto idx = b_.add_unit(rep_.file(), open);
        ++pos_;
        const auto& schema = b_.schema();
        std::vector<bool> seen(schema.size(), false);
        bool named = false;
        // A key that looks like the unit's name (`don_vi`): E214 points at it when there is no
        // "unit" key; otherwise it is an unknown key as any other.
        std::optional<std::pair<std::string, span>> unit_like;
        std::vector<std::pair<std::string, span>> unknown;
        // The key that named the unit: "unit", or "đơn_vị" (see vietnamese_unit_column()).
        std::pair<std::string, span> name_key;
        for_each_member(2, [&](const std::string& key, span key_span) {
            if (is_unit_column(key, vietnamese_)) {
                if (named) {
                    const bool same = key == name_key.first;
                    if (auto* d =
                            rep_.error("E213", key_span,
                                       same ? tr(msg::E213_duplicate_key, fmt::arg("key", key))
                                            : tr(msg::E213_two_unit_keys,
                                                 fmt::arg("first", quote_cell(name_key.first)),
                                                 fmt::arg("second", quote_cell(key))));
                        d != nullptr && !same) {
                        d->notes.push_back(
                            {rep_.file(), name_key.second, tr(msg::E213_first_here)});
                    }
                    skip_value(2);
                    return;
                }
                named = true;
                name_key = {key, key_span};
                read_name(idx);
                return;
            }
            const auto it = std::find_if(schema.begin(), schema.end(), [&](const schema_field& f) {
                return f.decl->name == key;
            });
            if (it == schema.end() && opts_.ignored_fields.contains(key)) {
                skip_value(2);  // a field only the other regulation of a comparison declares
                return;
            }
            if (it == schema.end()) {
                if (!unit_like && looks_like_unit_column(key)) {
                    unit_like.emplace(key, key_span);
                } else {
                    unknown.emplace_back(key, key_span);
                }
                skip_value(2);
                return;
            }
            const auto fi = static_cast<std::uint32_t>(it - schema.begin());
            if (seen[fi]) {
                rep_.error("E213", key_span, tr(msg::E213_duplicate_key, fmt::arg("key", key)));
                skip_value(2);
                return;
            }
            seen[fi] = true;
            read_field(*it, slot{idx, fi}, 2);
        });
        const std::string key_names =
            vietnamese_ ? tr(msg::E214_key_names_vi) : std::string("\"unit\"");
        if (!named && unit_like) {
            rep_.error("E214", unit_like->second,
                       tr(msg::E214_unit_like_key, fmt::arg("key", quote_cell(unit_like->first)),
                          fmt::arg("names", key_names)));
        } else if (!named) {
            rep_.error("E214", open, tr(msg::E214_no_unit_key, fmt::arg("names", key_names)));
        } else if (unit_like) {
            unknown.push_back(*unit_like);
        }
        std::vector<bool> claimed(schema.size(), false);
        for (const auto& [key, key_span] : unknown) {
            unknown_key(key, key_span, nullptr, seen, claimed);
        }
        for (std::size_t i = 0; i < schema.size(); ++i) {
            if (!seen[i] && !claimed[i] && !schema[i].decl->type.optional) {
                missing_key(schema[i], open);
            }
        }
    }

    // An unknown key of a unit object (`list` null) or of an element of `list`. One that looks
    // like a required field with no key in this object (`seen`) is that field misspelt, or
    // written as its label: one error says so, and the field is `claimed` (no E212 for it).
    void unknown_key(const std::string& key, span key_span, const schema_field* list,
                     const std::vector<bool>& seen, std::vector<bool>& claimed) {
        const auto& fields = list != nullptr ? list->fields : b_.schema();
        bool by_label = false;
        const auto guess = guess_field(key, fields, false, by_label);
        if (guess && !seen[*guess] && !claimed[*guess] && !fields[*guess].decl->type.optional) {
            claimed[*guess] = true;
            const auto& f = fields[*guess];
            rep_.error(
                "E210", key_span,
                tr(by_label ? msg::E210_label_of_missing_key : msg::E210_misspelt_missing_key,
                   fmt::arg("key", quote_cell(key)), fmt::arg("name", f.decl->name),
                   fmt::arg("field", f.display), fmt::arg("type", type_name(f))));
            return;
        }
        if (list != nullptr) {
            rep_.error(
                "E210", key_span,
                tr(msg::E210_unknown_list_key, fmt::arg("key", quote_cell(key)),
                   fmt::arg("list", list->display), fmt::arg("fields", names(list->fields))));
            return;
        }
        rep_.error("E210", key_span,
                   tr(msg::E210_unknown_key, fmt::arg("key", quote_cell(key)),
                      fmt::arg("fields", names(b_.schema()))));
    }

    void read_name(std::size_t idx) {
        const auto begin = pos_;
        if (peek() != '"') {
            const char c = peek();
            skip_value(2);
            rep_.error("E228", {off(begin), off(pos_)},
                       tr(msg::E228_unit_name, fmt::arg("found", kind_of(c))));
            return;
        }
        read_string(scratch_);
        const span where{off(begin), off(pos_)};
        // A name written with \u escapes may be decomposed (NFD): compare names in NFC.
        const std::string name = normalize_nfc(std::string(trim(scratch_)));
        if (name.empty()) {
            rep_.error("E216", where, tr(msg::E216_empty_name));
            return;
        }
        if (const auto problem = unit_name_problem(name)) {
            rep_.error("E231", where, *problem);
            return;
        }
        if (const auto earlier = b_.set_name(idx, std::string(name), where)) {
            if (auto* d =
                    rep_.error("E215", where,
                               tr(msg::E215_duplicate_unit, fmt::arg("unit", quote_cell(name))))) {
                const auto& first = b_.unit(*earlier);
                d->notes.push_back({first.file, first.name_span, tr(msg::E215_first_occurrence)});
            }
        }
    }

    static std::string names(const std::vector<schema_field>& fields) {
        std::string out;
        for (const auto& f : fields) {
            if (!out.empty()) {
                out += ", ";
            }
            out += f.decl->name;
        }
        return out;
    }

    builder& b_;
    const load_options& opts_;
    reporter& rep_;
    number_reader& numbers_;
    repeat_finder& repeats_;
    std::string_view t_;
    bool vietnamese_;  // "đơn_vị" may name a unit's key
    std::size_t pos_ = 0;
    std::string scratch_;
};

}  // namespace

std::optional<dataset> load_results_json(const ast::regulation& reg, const source_ptr& file,
                                         const load_options& opts, diagnostics& diags) {
    const auto errors_before = diags.error_count();
    const auto schema = resolve_schema(reg, diags);
    if (!schema || !file) {
        return std::nullopt;
    }
    builder b(*schema);
    reporter rep(diags, file);
    if (check_text(rep)) {
        number_reader numbers(opts.numbers, rep);
        repeat_finder repeats(rep, false);
        json_loader loader(b, opts, rep, numbers, repeats);
        try {
            loader.load();
            numbers.finish(b);
            repeats.finish(b);
        } catch (const json_abort&) {
            // Reported already; nothing after a syntax error can be trusted.
        }
        // `[]` is valid JSON but never what a board meant to score (as a CSV header alone).
        if (!rep.failed() && b.size() == 0) {
            rep.error("E201", {0, 0}, tr(msg::E201_no_units));
        }
        check_look_alike_units(b, b.size(), rep);
    }
    rep.flush();
    if (diags.error_count() > errors_before) {
        return std::nullopt;
    }
    auto data = b.finish({file});
    warn_empty_lists(data, *schema, false, diags);
    return data;
}

}  // namespace thidua
