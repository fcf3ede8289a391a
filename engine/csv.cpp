// CSV results: a units file (one row per unit) and one long-form file per list input.
//
// The reader follows RFC 4180 plus what Excel writes: comma, semicolon or tab separators (taken
// from the header line), quoted cells with "" escapes and embedded newlines, CRLF or LF, a UTF-8
// byte order mark. It streams one row at a time and reuses its cell buffers, so a large file
// costs time linear in its size and memory for the values only.

#include <fmt/format.h>

#include <algorithm>

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
    /// short by an unterminated quote sets broken(); the caller drops it.
    bool next(std::vector<cell>& cells, std::size_t& count, span& row) {
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
            rep_.error("E207", {offset(junk), offset(pos_)}, tr(msg::E207_after_quote));
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
            rep_.error("E207", {offset(quote), offset(quote + 1)}, tr(msg::E207_stray_quote));
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
};

// The separator is whichever of , ; TAB appears (outside quotes) in the header line.
std::optional<char> detect_separator(std::string_view t, std::size_t start, reporter& rep) {
    std::size_t commas = 0;
    std::size_t semicolons = 0;
    std::size_t tabs = 0;
    bool quoted = false;
    std::size_t end = start;
    for (; end < t.size(); ++end) {
        const char c = t[end];
        if (c == '"') {
            quoted = !quoted;
        } else if (quoted) {
            continue;
        } else if (c == '\n') {
            break;
        } else if (c == ',') {
            ++commas;
        } else if (c == ';') {
            ++semicolons;
        } else if (c == '\t') {
            ++tabs;
        }
    }
    const int kinds = (commas > 0 ? 1 : 0) + (semicolons > 0 ? 1 : 0) + (tabs > 0 ? 1 : 0);
    if (kinds > 1) {
        std::string found;
        const auto add = [&](std::size_t n, msg what) {
            if (n > 0) {
                const std::string count = tr_n(what, n);
                found = found.empty() ? count
                                      : tr(msg::list_and, fmt::arg("first", found),
                                           fmt::arg("second", count));
            }
        };
        add(commas, msg::E205_commas);
        add(semicolons, msg::E205_semicolons);
        add(tabs, msg::E205_tabs);
        auto line_end = static_cast<std::uint32_t>(end);
        if (line_end > 0 && t[line_end - 1] == '\r') {
            --line_end;
        }
        rep.error("E205", {static_cast<std::uint32_t>(start), line_end},
                  tr(msg::E205_separator, fmt::arg("found", found)));
        return std::nullopt;
    }
    if (semicolons > 0) {
        return ';';
    }
    if (tabs > 0) {
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

// Maps header cells to fields. Returns nullopt when there is no `unit` column (rows cannot be
// attributed to units, so they are not read).
std::optional<std::vector<column>> read_header(const std::vector<cell>& cells, std::size_t count,
                                               span row, const std::vector<schema_field>& fields,
                                               bool units_file, const std::string& list_hint,
                                               reporter& rep) {
    std::vector<column> cols(count);
    std::vector<bool> seen(fields.size(), false);
    std::optional<std::size_t> unit_col;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& c = cells[i];
        const std::string& name = c.text;
        if (name.empty()) {
            cols[i].what = column::kind::unnamed;
            continue;
        }
        if (name == "unit") {
            if (unit_col) {
                if (auto* d =
                        rep.error("E213", c.where,
                                  tr(msg::E213_duplicate_column, fmt::arg("column", "unit")))) {
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
            std::string hint;
            for (const auto& f : fields) {
                if (!f.decl->label.empty() && f.decl->label == name) {
                    hint = tr(msg::E210_hint_label, fmt::arg("label", name),
                              fmt::arg("field", f.decl->name));
                }
            }
            if (hint.empty()) {
                std::vector<std::string> names;
                for (const auto& f : fields) {
                    if (!units_file || f.decl->type.what != ast::type_ref::kind::list) {
                        names.push_back(f.decl->name);
                    }
                }
                // A column typed without its diacritics (`ho_so_tre`) is the usual slip.
                const std::string best = closest_name(name, names);
                hint = best.empty() ? tr(msg::E210_hint_columns,
                                         fmt::arg("columns", field_list(fields, units_file)))
                                    : tr(msg::E210_hint_closest, fmt::arg("field", best),
                                         fmt::arg("columns", field_list(fields, units_file)));
            }
            rep.error("E210", c.where,
                      tr(units_file ? msg::E210_unknown_column : msg::E210_unknown_list_column,
                         fmt::arg("column", quote_cell(name)), fmt::arg("list", list_hint),
                         fmt::arg("hint", hint)));
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
    if (!unit_col) {
        rep.error("E214", row, tr(msg::E214_no_unit_column));
        return std::nullopt;
    }
    for (std::size_t fi = 0; fi < fields.size(); ++fi) {
        const auto& f = fields[fi];
        if (seen[fi] || f.decl->type.optional
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
        : b_(b), opts_(opts), diags_(diags) {}

    // Reads the units file. Returns false when its rows could not be read at all.
    bool load_units(const source_ptr& file) {
        reporter rep(diags_, file);
        return read_file(file, rep, nullptr, 0);
    }

    void load_list(const source_ptr& file, std::uint32_t field, const std::string& units_name) {
        reporter rep(diags_, file);
        units_name_ = units_name;
        read_file(file, rep, &b_.schema()[field], field);
    }

  private:
    bool read_file(const source_ptr& file, reporter& rep, const schema_field* list,
                   std::uint32_t list_field) {
        if (!check_text(rep)) {
            return false;
        }
        const std::string_view text = file->text();
        // make_data_source() strips a byte order mark; a source made otherwise may still have one.
        std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
        // Excel understands (and some exports write) a first line `sep=;` naming the separator.
        std::optional<char> sep;
        const auto first = text.substr(start);
        if (first.substr(0, 4) == "sep=" && first.size() > 4 && first[4] != '\n'
            && first[4] != '\r') {
            const auto rest = first.substr(5, 2);
            if (rest.empty() || rest[0] == '\n' || rest.substr(0, 2) == "\r\n") {
                sep = first[4];
                start += rest.empty() ? std::size_t{5}
                                      : (rest[0] == '\n' ? std::size_t{6} : std::size_t{7});
            }
        }
        if (!sep) {
            sep = detect_separator(text, start, rep);
        }
        if (!sep) {
            return false;
        }
        csv_reader reader(text, start, *sep, rep);
        std::vector<cell> cells;
        std::size_t count = 0;
        span row;
        if (!reader.next(cells, count, row) || reader.broken()) {
            return false;
        }
        const auto& fields = list != nullptr ? list->fields : b_.schema();
        const auto cols = read_header(cells, count, row, fields, list == nullptr,
                                      list != nullptr ? list->display : std::string(), rep);
        if (!cols) {
            return false;
        }
        const std::size_t width = count;
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
        number_reader numbers(opts_.numbers, rep);
        while (reader.next(cells, count, row)) {
            if (reader.broken()) {
                break;
            }
            if (all_empty(cells, count)) {
                continue;  // blank lines, and the `;;;` rows Excel writes for formatted cells
            }
            const bool complete = count == width;
            if (!complete) {
                report_width(rep, cells, count, width, row);
            }
            if (unit_col >= count) {
                continue;
            }
            const auto& name_cell = cells[unit_col];
            if (name_cell.text.empty()) {
                rep.error("E216", name_cell.where, tr(msg::E216_no_name));
                continue;
            }
            if (const auto problem = unit_name_problem(name_cell.text)) {
                rep.error("E231", name_cell.where, *problem);
                continue;
            }
            if (list == nullptr) {
                read_unit_row(file, rep, cells, *cols, complete, row, numbers);
            } else {
                read_list_row(file, rep, cells, *cols, complete, row, numbers, *list, list_field,
                              unit_col);
            }
        }
        numbers.finish(b_);
        return true;
    }

    static void report_width(reporter& rep, const std::vector<cell>& cells, std::size_t count,
                             std::size_t width, span row) {
        if (count > width) {
            rep.error("E206", {cells[width].where.begin, row.end},
                      tr_n(msg::E206_row_width, count, fmt::arg("columns", width)));
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
                       const std::vector<column>& cols, bool complete, span row,
                       number_reader& numbers, const schema_field& list, std::uint32_t field,
                       std::size_t unit_col) {
        const auto& name_cell = cells[unit_col];
        const auto unit = b_.find(name_cell.text);
        if (!unit) {
            rep.error("E217", name_cell.where,
                      tr(msg::E217_unknown_unit, fmt::arg("unit", quote_cell(name_cell.text)),
                         fmt::arg("units_file", units_name_), fmt::arg("list", list.display)));
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
    }

    builder& b_;
    const load_options& opts_;
    diagnostics& diags_;
    std::string units_name_;
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
    const bool units_ok = loader.load_units(files.units);
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
                auto& d = diags.error(
                    "E218", nullptr, {},
                    tr(msg::E218_missing_file, fmt::arg("file", hint), fmt::arg("list", f.display),
                       fmt::arg("columns", field_list(f.fields, false))));
                d.notes.push_back({reg.file, f.decl->name_span, tr(msg::E218_declared_here)});
            }
            continue;
        }
        read.push_back(list);
        // Rows of a list can only be attributed once the units are known.
        if (units_ok) {
            loader.load_list(list, i, file_name(files.units));
        }
    }
    if (diags.error_count() > errors_before) {
        return std::nullopt;
    }
    return b.finish(std::move(read));
}

}  // namespace thidua
