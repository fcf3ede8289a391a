// CSV results: a units file (one row per unit) and one long-form file per list input.
//
// The reader follows RFC 4180 plus what Excel writes: comma, semicolon or tab separators (taken
// from the header line), quoted cells with "" escapes and embedded newlines, CRLF or LF, a UTF-8
// byte order mark. It streams one row at a time and reuses its cell buffers, so a large file
// costs time linear in its size and memory for the values only.

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>
#include <unordered_map>

#include "dsl/i18n.hpp"
#include "dsl/suggest.hpp"
#include "engine/data.hpp"
#include "engine/data_detail.hpp"

namespace thidua {

using namespace data_detail;

namespace {

struct cell {
    std::string text;  // unquoted and trimmed
    span where;        // the trimmed text, or the whole quoted cell
};

class csv_reader {
  public:
    csv_reader(std::string_view text, std::size_t start, char sep, reporter& rep)
        : t_(text), sep_(sep), rep_(rep), pos_(start) {}

    /// Reads the next row into cells[0, count). Returns false at the end of the input. A row cut
    /// short by an unterminated quote sets broken() (reported at once); the caller drops it.
    /// Misplaced quotes (E207) wait for report_quotes() or are dropped by the next call: in a row
    /// written with another separator they are consequences, not errors of their own.
    bool next(std::vector<cell>& cells, std::size_t& count, span& row) {
        quote_errors_.clear();
        if (pos_ >= t_.size()) {
            return false;
        }
        count = 0;
        row.begin = offset(pos_);
        for (;;) {
            if (count == cells.size()) {
                cells.emplace_back();
            }
            cell& c = cells[count++];
            c.text.clear();
            if (pos_ < t_.size() && t_[pos_] == '"') {
                if (!read_quoted(c)) {
                    row.end = offset(t_.size());
                    return true;
                }
            } else {
                read_plain(c);
            }
            if (pos_ >= t_.size()) {
                row.end = offset(pos_);
                return true;
            }
            const char ch = t_[pos_];
            if (ch == sep_) {
                ++pos_;
                continue;
            }
            // A line end: "\r\n", "\n", or a lone "\r" right before the end of the input.
            row.end = offset(pos_);
            pos_ += ch == '\r' && pos_ + 1 < t_.size() ? std::size_t{2} : std::size_t{1};
            return true;
        }
    }

    [[nodiscard]] bool broken() const { return broken_; }

    /// Reports the misplaced quotes of the row just read.
    void report_quotes() {
        for (const auto& [where, what] : quote_errors_) {
            rep_.error("E207", where, tr(what));
        }
        quote_errors_.clear();
    }

  private:
    static std::uint32_t offset(std::size_t p) { return static_cast<std::uint32_t>(p); }

    [[nodiscard]] bool at_line_end(std::size_t p) const {
        return t_[p] == '\n' || (t_[p] == '\r' && (p + 1 == t_.size() || t_[p + 1] == '\n'));
    }

    bool read_quoted(cell& c) {
        const auto begin = pos_++;
        for (;;) {
            const auto q = t_.find('"', pos_);
            if (q == std::string_view::npos) {
                rep_.error("E204", {offset(begin), offset(begin + 1)}, tr(msg::E204_unterminated));
                pos_ = t_.size();
                broken_ = true;
                return false;
            }
            c.text.append(t_.substr(pos_, q - pos_));
            pos_ = q + 1;
            if (pos_ < t_.size() && t_[pos_] == '"') {
                c.text += '"';
                ++pos_;
                continue;
            }
            break;
        }
        c.where = {offset(begin), offset(pos_)};
        if (pos_ < t_.size() && t_[pos_] != sep_ && !at_line_end(pos_)) {
            // Keep reading to the end of the cell so the next cells stay aligned.
            const auto junk = pos_;
            while (pos_ < t_.size() && t_[pos_] != sep_ && !at_line_end(pos_)) {
                ++pos_;
            }
            quote_errors_.emplace_back(span{offset(junk), offset(pos_)}, msg::E207_after_quote);
            c.where.end = offset(pos_);
        }
        const auto trimmed = trim(c.text);
        if (trimmed.size() != c.text.size()) {
            c.text = std::string(trimmed);
        }
        return true;
    }

    void read_plain(cell& c) {
        const auto begin = pos_;
        std::size_t quote = std::string_view::npos;
        while (pos_ < t_.size() && t_[pos_] != sep_ && !at_line_end(pos_)) {
            if (t_[pos_] == '"' && quote == std::string_view::npos) {
                quote = pos_;
            }
            ++pos_;
        }
        if (quote != std::string_view::npos) {
            quote_errors_.emplace_back(span{offset(quote), offset(quote + 1)},
                                       msg::E207_stray_quote);
        }
        const auto raw = t_.substr(begin, pos_ - begin);
        const auto trimmed = trim(raw);
        // An all-blank cell points at its start, not past its spaces.
        const auto lead = trimmed.empty() ? std::size_t{0}
                                          : static_cast<std::size_t>(trimmed.data() - raw.data());
        c.text.assign(trimmed);
        c.where = {offset(begin + lead), offset(begin + lead + trimmed.size())};
    }

    std::string_view t_;
    char sep_;
    reporter& rep_;
    std::size_t pos_ = 0;
    bool broken_ = false;
    std::vector<std::pair<span, msg>> quote_errors_;
};

// How many of each separator a line holds.
struct separator_counts {
    std::size_t commas = 0;
    std::size_t semicolons = 0;
    std::size_t tabs = 0;
    [[nodiscard]] int kinds() const {
        return (commas > 0 ? 1 : 0) + (semicolons > 0 ? 1 : 0) + (tabs > 0 ? 1 : 0);
    }
};

// The first `c` outside quotes in `line`.
std::size_t find_unquoted(std::string_view line, char c) {
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && line[i] == c) {
            return i;
        }
    }
    return 0;
}

// Counts the separators in `t` up to the first line end; outside quotes only when `quotes`.
// Returns where the line ends.
std::size_t count_separators(std::string_view t, bool quotes, separator_counts& n) {
    bool quoted = false;
    std::size_t end = 0;
    for (; end < t.size(); ++end) {
        const char c = t[end];
        if (c == '"' && quotes) {
            quoted = !quoted;
        } else if (quoted) {
            continue;
        } else if (c == '\n') {
            break;
        } else if (c == ',') {
            ++n.commas;
        } else if (c == ';') {
            ++n.semicolons;
        } else if (c == '\t') {
            ++n.tabs;
        }
    }
    return end;
}

// "16 commas", "1 comma and 2 semicolons": the separators of `n` except `except`.
std::string describe_separators(const separator_counts& n, char except = '\0') {
    std::string found;
    const auto add = [&](char c, std::size_t count, msg what) {
        if (count > 0 && c != except) {
            const std::string text = tr_n(what, count);
            found = found.empty()
                        ? text
                        : tr(msg::list_and, fmt::arg("first", found), fmt::arg("second", text));
        }
    };
    add(',', n.commas, msg::E205_commas);
    add(';', n.semicolons, msg::E205_semicolons);
    add('\t', n.tabs, msg::E205_tabs);
    return found;
}

// "commas (,)": the separator a file uses, for messages.
std::string separator_name(char c) {
    switch (c) {
        case ',':
            return tr(msg::E205_sep_comma);
        case ';':
            return tr(msg::E205_sep_semicolon);
        case '\t':
            return tr(msg::E205_sep_tab);
        default:
            return tr(msg::E205_sep_other, fmt::arg("sep", std::string(1, c)));
    }
}

// The separator is whichever of , ; TAB appears (outside quotes) in the header line.
std::optional<char> detect_separator(std::string_view t, std::size_t start, reporter& rep) {
    separator_counts n;
    const std::size_t end = start + count_separators(t.substr(start), true, n);
    if (n.kinds() > 1) {
        auto line_end = static_cast<std::uint32_t>(end);
        if (line_end > 0 && t[line_end - 1] == '\r') {
            --line_end;
        }
        rep.error("E205", {static_cast<std::uint32_t>(start), line_end},
                  tr(msg::E205_separator, fmt::arg("found", describe_separators(n))));
        return std::nullopt;
    }
    if (n.semicolons > 0) {
        return ';';
    }
    if (n.tabs > 0) {
        return '\t';
    }
    return ',';  // commas, or a single column where the separator does not matter
}

bool all_empty(const std::vector<cell>& cells, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        if (!cells[i].text.empty() || cells[i].where.end > cells[i].where.begin) {
            return false;
        }
    }
    return true;
}

struct column {
    enum class kind { unit, field, ignored, unnamed };
    kind what = kind::ignored;
    std::uint32_t field = 0;
};

std::string field_list(const std::vector<schema_field>& fields, bool scalars_only) {
    std::string out = "unit";
    for (const auto& f : fields) {
        if (scalars_only && f.decl->type.what == ast::type_ref::kind::list) {
            continue;
        }
        out += ", ";
        out += f.decl->name;
    }
    return out;
}

std::string file_name(const source_ptr& f) {
    const auto& p = f->path();
    const auto slash = p.find_last_of("/\\");
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

// The names the units' column may have, for messages: "`unit`" or "`unit` or `đơn_vị`".
std::string unit_column_names(bool vietnamese) {
    return vietnamese ? tr(msg::E214_unit_names_vi) : std::string("`unit`");
}

// Maps header cells to fields. Returns nullopt when there is no `unit` column (rows cannot be
// attributed to units, so they are not read). `vietnamese`: `đơn_vị` may name the units' column
// (see vietnamese_unit_column()).
std::optional<std::vector<column>> read_header(const std::vector<cell>& cells, std::size_t count,
                                               span row, const std::vector<schema_field>& fields,
                                               bool units_file, const std::string& list_hint,
                                               const std::set<std::string>& ignored,
                                               bool vietnamese, reporter& rep) {
    std::vector<column> cols(count);
    std::vector<bool> seen(fields.size(), false);
    std::optional<std::size_t> unit_col;
    // Without a `unit` column, a column that looks like the units' names (`don_vi`, `Tên đơn vị`,
    // `Unit`) is the one E214 points at, rather than an unknown column of its own.
    std::optional<std::size_t> unit_like;
    bool has_unit = false;
    for (std::size_t i = 0; i < count; ++i) {
        has_unit = has_unit || is_unit_column(cells[i].text, vietnamese);
    }
    for (std::size_t i = 0; i < count && !has_unit && !unit_like; ++i) {
        const auto& name = cells[i].text;
        if (looks_like_unit_column(name)
            && std::none_of(fields.begin(), fields.end(),
                            [&](const schema_field& f) { return f.decl->name == name; })) {
            unit_like = i;
        }
    }
    // Unknown columns are reported once every column is matched: one that looks like a required
    // field with no column of its own is that field misspelt, and gets one error, not an unknown
    // column and a missing one.
    std::vector<std::size_t> unknown;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& c = cells[i];
        const std::string& name = c.text;
        if (name.empty()) {
            cols[i].what = column::kind::unnamed;
            continue;
        }
        if (unit_like && i == *unit_like) {
            continue;
        }
        // A field of that name (`đơn_vị` declared by the regulation) is matched below.
        if (is_unit_column(name, vietnamese)) {
            if (unit_col) {
                const bool same = name == cells[*unit_col].text;
                if (auto* d =
                        rep.error("E213", c.where,
                                  same ? tr(msg::E213_duplicate_column, fmt::arg("column", name))
                                       : tr(msg::E213_two_unit_columns,
                                            fmt::arg("first", quote_cell(cells[*unit_col].text)),
                                            fmt::arg("second", quote_cell(name))))) {
                    d->notes.push_back(
                        {rep.file(), cells[*unit_col].where, tr(msg::E213_first_here)});
                }
                continue;
            }
            unit_col = i;
            cols[i].what = column::kind::unit;
            continue;
        }
        const auto it = std::find_if(fields.begin(), fields.end(),
                                     [&](const schema_field& f) { return f.decl->name == name; });
        if (it == fields.end()) {
            if (ignored.contains(units_file ? name : list_hint + "." + name)) {
                continue;  // a field only the other regulation of a comparison declares
            }
            unknown.push_back(i);
            continue;
        }
        const auto fi = static_cast<std::uint32_t>(it - fields.begin());
        if (units_file && it->decl->type.what == ast::type_ref::kind::list) {
            rep.error("E210", c.where, tr(msg::E210_list_column, fmt::arg("column", name)));
            continue;
        }
        if (seen[fi]) {
            if (auto* d = rep.error("E213", c.where,
                                    tr(msg::E213_duplicate_column, fmt::arg("column", name)))) {
                for (std::size_t k = 0; k < i; ++k) {
                    if (cols[k].what == column::kind::field && cols[k].field == fi) {
                        d->notes.push_back({rep.file(), cells[k].where, tr(msg::E213_first_here)});
                    }
                }
            }
            continue;
        }
        seen[fi] = true;
        cols[i].what = column::kind::field;
        cols[i].field = fi;
    }
    // Required fields that an unknown column stands for (misspelt, or written as the label).
    std::vector<bool> claimed(fields.size(), false);
    for (const auto i : unknown) {
        const auto& c = cells[i];
        const std::string& name = c.text;
        bool by_label = false;
        const auto guess = guess_field(name, fields, units_file, by_label);
        if (guess && !seen[*guess] && !claimed[*guess] && !fields[*guess].decl->type.optional) {
            // The only column for a required field: without it the field is missing (E211).
            claimed[*guess] = true;
            const auto& f = fields[*guess];
            rep.error("E210", c.where,
                      tr(by_label ? msg::E210_label_of_missing : msg::E210_misspelt_missing,
                         fmt::arg("column", quote_cell(name)), fmt::arg("name", f.decl->name),
                         fmt::arg("field", f.display), fmt::arg("type", type_name(f))));
            continue;
        }
        std::string hint;
        if (guess && by_label) {
            hint = tr(msg::E210_hint_label, fmt::arg("label", name),
                      fmt::arg("field", fields[*guess].decl->name));
        } else if (guess) {
            hint = tr(msg::E210_hint_closest, fmt::arg("field", fields[*guess].decl->name),
                      fmt::arg("columns", field_list(fields, units_file)));
        } else {
            hint = tr(msg::E210_hint_columns, fmt::arg("columns", field_list(fields, units_file)));
        }
        rep.error("E210", c.where,
                  tr(units_file ? msg::E210_unknown_column : msg::E210_unknown_list_column,
                     fmt::arg("column", quote_cell(name)), fmt::arg("list", list_hint),
                     fmt::arg("hint", hint)));
    }
    if (!unit_col) {
        if (unit_like) {
            rep.error("E214", cells[*unit_like].where,
                      tr(msg::E214_unit_like_column,
                         fmt::arg("column", quote_cell(cells[*unit_like].text)),
                         fmt::arg("names", unit_column_names(vietnamese))));
        } else {
            rep.error(
                "E214", row,
                tr(msg::E214_no_unit_column, fmt::arg("names", unit_column_names(vietnamese))));
        }
        return std::nullopt;
    }
    for (std::size_t fi = 0; fi < fields.size(); ++fi) {
        const auto& f = fields[fi];
        if (seen[fi] || claimed[fi] || f.decl->type.optional
            || (units_file && f.decl->type.what == ast::type_ref::kind::list)) {
            continue;
        }
        rep.error("E211", row,
                  tr(msg::E211_missing_column, fmt::arg("column", f.decl->name),
                     fmt::arg("field", f.display), fmt::arg("type", type_name(f))));
    }
    return cols;
}

class csv_loader {
  public:
    csv_loader(builder& b, const load_options& opts, diagnostics& diags)
        : b_(b),
          opts_(opts),
          diags_(diags),
          vietnamese_(vietnamese_unit_column(b.schema(), opts.ignored_fields)) {}

    // Reads the units file, reporting into `sink` (kept apart so that the error that stopped it
    // can later get a note about the list rows it left unchecked; see units_diagnostics()).
    void load_units(const source_ptr& file, diagnostics& sink) {
        auto& f = *files_.emplace_back(std::make_unique<open_file>(sink, file, opts_.numbers));
        units_name_ = file_name(file);
        read_file(file, f.rep, nullptr, 0, f.numbers, f.repeats);
        check_look_alike_units(b_, b_.size(), f.rep);
        units_read_ = b_.size();
    }

    // Reads a list file. Its rows are matched to the units read before (E217) only when the
    // units file was read completely: otherwise a row naming an unknown unit most likely names
    // one of the units that could not be read, and reporting each such row would bury the error
    // in the units file under dozens of consequences. Those rows are counted instead, and their
    // values are still checked.
    void load_list(const source_ptr& file, std::uint32_t field) {
        auto& f = *files_.emplace_back(std::make_unique<open_file>(diags_, file, opts_.numbers));
        unchecked_rows_ = 0;
        read_file(file, f.rep, &b_.schema()[field], field, f.numbers, f.repeats);
        if (unchecked_rows_ > 0) {
            unchecked_.push_back(
                {file, first_unchecked_,
                 tr_n(msg::E217_unchecked, unchecked_rows_, fmt::arg("list_file", file_name(file)),
                      fmt::arg("units_file", units_name_))});
        }
    }

    // Once every file is read: stores the number cells whose style waited for the whole file
    // (a file whose numbers do not settle it takes the style of the other files, when they all
    // agree), and reports what waited for that.
    void finish() {
        std::optional<number_reader::borrowed_style> others;
        bool disagree = false;
        for (const auto& f : files_) {
            const char sep = f->numbers.settled();
            disagree =
                disagree || f->numbers.mixed() || (others && sep != '\0' && sep != others->sep);
            if (sep != '\0' && !others) {
                const auto [text, where] = f->numbers.settling_example();
                others = number_reader::borrowed_style{sep, text, file_name(f->rep.file()),
                                                       f->rep.file()->locate(where.begin).line};
            }
        }
        if (disagree) {
            others.reset();  // each file keeps its own decision (E223 when it has none)
        }
        for (auto& f : files_) {
            f->numbers.finish(b_, f->numbers.undecided() ? others : std::nullopt);
            f->repeats.finish(b_);
            f->rep.flush();
        }
        files_.clear();
    }

    // The diagnostics of the units file for `diags`: the first error that kept it from being
    // read as a complete table of units gets one note per list file whose rows were not matched.
    void units_diagnostics(const diagnostics& sink, diagnostics& diags) const {
        std::optional<std::size_t> anchor = anchor_;
        for (std::size_t i = 0; !anchor && i < sink.items().size(); ++i) {
            if (sink.items()[i].level == severity::error) {
                anchor = i;  // the budget was spent before the structural error: the first one
            }
        }
        for (std::size_t i = 0; i < sink.items().size(); ++i) {
            diagnostic d = sink.items()[i];
            if (anchor && i == *anchor) {
                d.notes.insert(d.notes.end(), unchecked_.begin(), unchecked_.end());
            }
            diags.add(std::move(d));
        }
    }

  private:
    // The units file cannot be read as a complete table of units (called right after the error
    // that says why). A list file's own structural errors need nothing more: they are its own.
    void structural(reporter& rep, const schema_field* list) {
        if (list != nullptr) {
            return;
        }
        units_complete_ = false;
        if (!anchor_ && rep.last_reported() && !rep.sink().items().empty()) {
            anchor_ = rep.sink().items().size() - 1;
        }
    }

    // A header of one column holding separators: a `sep=` line naming another separator, or a
    // header line quoted as a whole (some exports do that). Reported once, as the cause, rather
    // than as an unknown column and a missing `unit` column.
    static bool one_column_header(std::string_view text, const cell& c, char sep,
                                  std::optional<span> sep_line, reporter& rep) {
        separator_counts n;
        count_separators(c.text, false, n);
        if (n.kinds() == 0) {
            return false;
        }
        const bool quoted = c.where.end > c.where.begin && text[c.where.begin] == '"';
        if (quoted) {
            rep.error("E205", c.where,
                      tr(msg::E205_header_quoted, fmt::arg("found", describe_separators(n))));
            return true;
        }
        if (!sep_line) {
            return false;  // cannot happen: the separator would have been taken from the header
        }
        if (auto* d =
                rep.error("E205", c.where,
                          tr(msg::E205_header_sep_line, fmt::arg("expected", separator_name(sep)),
                             fmt::arg("found", describe_separators(n, sep))))) {
            d->notes.push_back({rep.file(), *sep_line, tr(msg::E205_sep_line_here)});
        }
        return true;
    }

    // A file being read: its error budget and its numbers, kept until finish().
    struct open_file {
        open_file(diagnostics& sink, source_ptr file, load_options::number_style style)
            : rep(sink, std::move(file)), numbers(style, rep), repeats(rep, true) {}
        reporter rep;
        number_reader numbers;
        repeat_finder repeats;  // of a list file
    };

    void read_file(const source_ptr& file, reporter& rep, const schema_field* list,
                   std::uint32_t list_field, number_reader& numbers, repeat_finder& repeats) {
        if (!check_text(rep)) {
            structural(rep, list);
            return;
        }
        const std::string_view text = file->text();
        // make_data_source() strips a byte order mark; a source made otherwise may still have one.
        std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
        // Excel understands (and some exports write) a first line `sep=;` naming the separator.
        std::optional<char> sep;
        std::optional<span> sep_line;
        const auto first = text.substr(start);
        if (first.substr(0, 4) == "sep=" && first.size() > 4 && first[4] != '\n'
            && first[4] != '\r') {
            const auto rest = first.substr(5, 2);
            if (rest.empty() || rest[0] == '\n' || rest.substr(0, 2) == "\r\n") {
                sep = first[4];
                sep_line =
                    span{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(start + 5)};
                start += rest.empty() ? std::size_t{5}
                                      : (rest[0] == '\n' ? std::size_t{6} : std::size_t{7});
            }
        }
        if (!sep) {
            sep = detect_separator(text, start, rep);
        }
        if (!sep) {
            structural(rep, list);
            return;
        }
        csv_reader reader(text, start, *sep, rep);
        std::vector<cell> cells;
        std::size_t count = 0;
        span row;
        if (!reader.next(cells, count, row)) {
            // Only a `sep=` line: no header, so no units.
            if (list == nullptr) {
                rep.error("E201", {0, 0}, tr(msg::E201_no_units));
                structural(rep, list);
            }
            return;
        }
        if (reader.broken()) {
            structural(rep, list);
            reader.report_quotes();
            return;
        }
        if (count == 1 && one_column_header(text, cells[0], *sep, sep_line, rep)) {
            structural(rep, list);
            return;
        }
        reader.report_quotes();
        const auto& fields = list != nullptr ? list->fields : b_.schema();
        const auto cols = read_header(cells, count, row, fields, list == nullptr,
                                      list != nullptr ? list->display : std::string(),
                                      opts_.ignored_fields, vietnamese_, rep);
        if (!cols) {
            structural(rep, list);
            return;
        }
        const std::size_t width = count;
        // The header's cells, to recognise a row that repeats it (two exports pasted together).
        std::vector<std::string> header_names;
        header_names.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            header_names.push_back(cells[i].text);
        }
        std::size_t unit_col = 0;
        for (std::size_t i = 0; i < cols->size(); ++i) {
            if ((*cols)[i].what == column::kind::unit) {
                unit_col = i;
            }
        }
        if (list != nullptr) {
            // The file exists: every unit has the list, empty unless rows follow.
            for (std::size_t u = 0; u < b_.size(); ++u) {
                b_.start_list(u, list_field, origin{file, row});
            }
        }
        if (list == nullptr) {
            // One unit per line at most: reserving keeps a 100 MB file free of rehashing.
            b_.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
        }
        std::size_t rows = 0;
        // Rows written with another separator than the header: the first one and how many.
        std::size_t other_sep_rows = 0;
        span other_sep_at;
        std::string other_sep_found;
        while (reader.next(cells, count, row)) {
            if (reader.broken()) {
                structural(rep, list);  // the rows after the open quote are lost
                reader.report_quotes();
                break;
            }
            if (all_empty(cells, count)) {
                continue;  // blank lines, and the `;;;` rows Excel writes for formatted cells
            }
            ++rows;
            if (count == 1 && width > 1) {
                // One cell where the header has several: if the row holds another separator,
                // it was written with that one (a header typed by hand over an export, a `sep=`
                // line that does not match). Its one cell is the whole line, not a unit name.
                const auto line = text.substr(row.begin, row.end - row.begin);
                separator_counts n;
                count_separators(line, true, n);
                if (n.kinds() > 0) {
                    if (other_sep_rows++ == 0) {
                        const char most = n.commas >= n.semicolons && n.commas >= n.tabs ? ','
                                          : n.semicolons >= n.tabs                       ? ';'
                                                                                         : '\t';
                        const auto at = row.begin + find_unquoted(line, most);
                        other_sep_at = {static_cast<std::uint32_t>(at),
                                        static_cast<std::uint32_t>(at + 1)};
                        other_sep_found = describe_separators(n);
                    }
                    continue;
                }
            }
            if (count == width && width > 1 && repeats_header(cells, header_names)) {
                // Read as values, it would give an error per cell (`tasks` is not a number, ...).
                reader.report_quotes();
                rep.error("E232", row, tr(msg::E232_header_again));
                continue;
            }
            reader.report_quotes();
            const bool complete = count == width;
            if (!complete) {
                report_width(rep, cells, count, width, row, *sep);
            }
            if (unit_col >= count) {
                continue;
            }
            const auto& name_cell = cells[unit_col];
            if (name_cell.text.empty()) {
                // `đơn_vị`, `Đơn vị`: the message names the column as the header does.
                rep.error("E216", name_cell.where,
                          header_names[unit_col] == "unit"
                              ? tr(msg::E216_no_name)
                              : tr(msg::E216_no_name_in,
                                   fmt::arg("column", quote_cell(header_names[unit_col]))));
                continue;
            }
            if (const auto problem = unit_name_problem(name_cell.text)) {
                rep.error("E231", name_cell.where, *problem);
                continue;
            }
            if (list == nullptr) {
                read_unit_row(file, rep, cells, *cols, complete, row, numbers);
            } else {
                read_list_row(file, rep, cells, count, *cols, complete, row, numbers, *list,
                              list_field, unit_col, repeats);
            }
        }
        if (other_sep_rows > 0) {
            const std::string more =
                other_sep_rows > 1 ? tr_n(msg::E205_more_rows, other_sep_rows - 1) : std::string();
            rep.error("E205", other_sep_at,
                      tr(msg::E205_row_separator, fmt::arg("expected", separator_name(*sep)),
                         fmt::arg("found", other_sep_found), fmt::arg("more", more)));
            structural(rep, list);
        }
        if (list == nullptr && rows == 0 && units_complete_) {
            // A header without rows is valid CSV but never what a board meant to score.
            rep.error("E201", {0, 0}, tr(msg::E201_no_units));
            structural(rep, list);
        }
    }

    static bool repeats_header(const std::vector<cell>& cells,
                               const std::vector<std::string>& names) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (cells[i].text != names[i]) {
                return false;
            }
        }
        return true;
    }

    static void report_width(reporter& rep, const std::vector<cell>& cells, std::size_t count,
                             std::size_t width, span row, char sep) {
        if (count > width) {
            // `104,5` in a comma-separated file is two cells: the usual cause of one cell too
            // many in an export from a Vietnamese spreadsheet.
            std::string message = tr_n(msg::E206_row_width, count, fmt::arg("columns", width));
            if (sep == ',') {
                message += tr(msg::E206_decimal_comma);
            }
            rep.error("E206", {cells[width].where.begin, row.end}, std::move(message));
        } else {
            rep.error("E206", {row.end, row.end},
                      tr_n(msg::E206_row_width, count, fmt::arg("columns", width)));
        }
    }

    void read_unit_row(const source_ptr& file, reporter& rep, const std::vector<cell>& cells,
                       const std::vector<column>& cols, bool complete, span row,
                       number_reader& numbers) {
        std::size_t unit_col = 0;
        while (cols[unit_col].what != column::kind::unit) {
            ++unit_col;
        }
        const auto& name_cell = cells[unit_col];
        const auto idx = b_.add_unit(file, row);
        if (const auto earlier = b_.set_name(idx, name_cell.text, name_cell.where)) {
            if (auto* d = rep.error(
                    "E215", name_cell.where,
                    tr(msg::E215_duplicate_unit, fmt::arg("unit", quote_cell(name_cell.text))))) {
                const auto& first = b_.unit(*earlier);
                d->notes.push_back({first.file, first.name_span, tr(msg::E215_first_row)});
            }
        }
        if (!complete) {
            return;
        }
        for (std::size_t i = 0; i < cols.size(); ++i) {
            if (cols[i].what == column::kind::field) {
                const auto& f = b_.schema()[cols[i].field];
                read_cell(f, cells[i].text, cells[i].where, slot{idx, cols[i].field}, b_, numbers,
                          opts_, rep);
            } else if (cols[i].what == column::kind::unnamed && !cells[i].text.empty()) {
                rep.error("E230", cells[i].where, tr(msg::E230_unnamed_column));
            }
        }
    }

    void read_list_row(const source_ptr& file, reporter& rep, const std::vector<cell>& cells,
                       std::size_t count, const std::vector<column>& cols, bool complete, span row,
                       number_reader& numbers, const schema_field& list, std::uint32_t field,
                       std::size_t unit_col, repeat_finder& repeats) {
        const auto& name_cell = cells[unit_col];
        auto unit = b_.find(name_cell.text);
        if (!units_complete_ && (!unit || *unit >= units_read_)) {
            // Not matched (see load_list). The row goes to a placeholder unit so that its values
            // are still checked; the units file reported an error, so nothing is returned.
            if (unchecked_rows_++ == 0) {
                first_unchecked_ = name_cell.where;
            }
            if (!unit) {
                unit = b_.add_unit(file, row);
                b_.set_name(*unit, name_cell.text, name_cell.where);
                b_.start_list(*unit, field, origin{file, row});
            }
        } else if (!unit) {
            rep.error("E217", name_cell.where,
                      tr(msg::E217_unknown_unit, fmt::arg("unit", quote_cell(name_cell.text)),
                         fmt::arg("units_file", units_name_), fmt::arg("list", list.display),
                         fmt::arg("hint", unit_hint(rep, name_cell.text))),
                      msg::E217_more_rows);
            return;
        }
        if (!complete) {
            return;
        }
        const auto r = b_.add_record(*unit, field, origin{file, row});
        for (std::size_t i = 0; i < cols.size(); ++i) {
            if (cols[i].what == column::kind::field) {
                const auto& f = list.fields[cols[i].field];
                read_cell(f, cells[i].text, cells[i].where, slot{*unit, field, r, cols[i].field},
                          b_, numbers, opts_, rep);
            } else if (cols[i].what == column::kind::unnamed && !cells[i].text.empty()) {
                rep.error("E230", cells[i].where, tr(msg::E230_unnamed_column));
            }
        }
        if (!units_complete_) {
            return;  // nothing is scored: the rows are not even matched to units yet
        }
        // Every cell as read (unquoted, trimmed), those of ignored columns included: a row that
        // differs from another only in a note is not a repeat.
        row_key_.clear();
        for (std::size_t i = 0; i < count; ++i) {
            append_key_part(row_key_, cells[i].text);
        }
        repeats.add(*unit, list, row_key_, row);
    }

    // What E217 adds for a name that is not in the units file (closest name, invisible
    // characters), once per name. Not computed past the error budget, nor against a units file
    // so large that comparing with every name would be slow (a bloc has tens of units).
    const std::string& unit_hint(const reporter& rep, const std::string& name) {
        static const std::string none;
        constexpr std::size_t max_units_compared = 5000;
        if (!rep.budget_left() || units_read_ > max_units_compared) {
            return none;
        }
        auto [it, inserted] = unit_hints_.try_emplace(name);
        if (inserted) {
            if (unit_names_.empty()) {
                for (std::size_t i = 0; i < units_read_; ++i) {
                    unit_names_.push_back(b_.unit(i).name);
                }
            }
            it->second = unknown_unit_hint(name, unit_names_, units_name_);
        }
        return it->second;
    }

    builder& b_;
    const load_options& opts_;
    diagnostics& diags_;
    bool vietnamese_;                                // `đơn_vị` may name the units' column
    std::vector<std::unique_ptr<open_file>> files_;  // read, not finished
    std::unordered_map<std::string, std::string> unit_hints_;
    std::vector<std::string> unit_names_;  // of the units file, for unit_hint()
    std::string row_key_;                  // a list row's cells, for repeat_finder
    std::string units_name_;
    bool units_complete_ = true;
    std::optional<std::size_t> anchor_;  // in the units file's sink: why it is not complete
    std::size_t units_read_ = 0;         // units of the units file; later ones are placeholders
    std::size_t unchecked_rows_ = 0;     // of the list being read
    span first_unchecked_;
    std::vector<diagnostic_note> unchecked_;
};

}  // namespace

std::optional<dataset> load_results_csv(const ast::regulation& reg, const csv_files& files,
                                        const load_options& opts, diagnostics& diags) {
    const auto errors_before = diags.error_count();
    const auto schema = resolve_schema(reg, diags);
    if (!schema || !files.units) {
        return std::nullopt;
    }
    builder b(*schema);
    csv_loader loader(b, opts, diags);
    std::vector<source_ptr> read{files.units};
    diagnostics unit_diags;
    loader.load_units(files.units, unit_diags);
    for (std::uint32_t i = 0; i < schema->size(); ++i) {
        const auto& f = (*schema)[i];
        if (f.decl->type.what != ast::type_ref::kind::list) {
            continue;
        }
        const source_ptr list = i < files.lists.size() ? files.lists[i] : nullptr;
        if (!list) {
            if (!f.decl->type.optional) {
                const std::string hint =
                    i < files.missing_hint.size() && !files.missing_hint[i].empty()
                        ? files.missing_hint[i]
                        : f.decl->name + ".csv";
                std::string message =
                    tr(msg::E218_missing_file, fmt::arg("file", hint), fmt::arg("list", f.display),
                       fmt::arg("columns", field_list(f.fields, false)));
                if (i < files.lookalike.size() && !files.lookalike[i].empty()) {
                    const auto slash = hint.find_last_of("/\\");
                    const std::string expected =
                        slash == std::string::npos ? hint : hint.substr(slash + 1);
                    const auto fold = [](const std::string& n) {
                        return lower_vietnamese(without_diacritics(n));
                    };
                    message +=
                        tr(fold(files.lookalike[i]) == fold(expected) ? msg::E218_lookalike_fold
                                                                      : msg::E218_lookalike,
                           fmt::arg("found", files.lookalike[i]), fmt::arg("expected", expected));
                }
                auto& d = diags.error("E218", nullptr, {}, std::move(message));
                d.notes.push_back({reg.file, f.decl->name_span, tr(msg::E218_declared_here)});
            }
            continue;
        }
        read.push_back(list);
        loader.load_list(list, i);
    }
    loader.finish();
    loader.units_diagnostics(unit_diags, diags);
    if (diags.error_count() > errors_before) {
        return std::nullopt;
    }
    auto data = b.finish(std::move(read));
    warn_empty_lists(data, *schema, true, diags);
    return data;
}

}  // namespace thidua
