// Internals shared by the CSV and JSON loaders (not part of the public interface): reading one
// cell's text as a value of a schema type and the per-file number-style decision (data_cells.cpp),
// the per-file error budget and the builder that collects units (data.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dsl/i18n.hpp"
#include "engine/data.hpp"

namespace thidua::data_detail {

/// Reports errors about one file and stops reporting (with one E299) past max_errors_per_file,
/// so a binary or badly broken file cannot flood the output or take quadratic time.
///
/// An error about a row or a cell that repeats an earlier one of the same file word for word
/// (the same unknown unit on ten rows of a list file, the same bad value down a column, the same
/// missing key in every JSON object) is reported once, at its first place, with a note at the
/// second listing where else it occurs; it does not count against the budget again. Errors
/// about the file as a whole (E201-E205, E208, E209, E214) are never grouped: the CSV loader
/// finds them as the last diagnostic of its sink. Grouped errors reach the sink at flush().
class reporter {
  public:
    reporter(diagnostics& diags, source_ptr file) : diags_(diags), file_(std::move(file)) {}
    reporter(const reporter&) = delete;
    reporter& operator=(const reporter&) = delete;
    ~reporter() = default;

    /// Returns null when the budget is spent or the error repeats an earlier one (the caller
    /// then skips its notes). `repeat_note` words the note of a repeated error (its {n}: how
    /// many more times, {total}, {lines}); the default says "the same error ... more times".
    diagnostic* error(const char* code, span where, std::string message,
                      std::optional<msg> repeat_note = std::nullopt);
    /// Moves the errors held for grouping into the sink, each with its note about the repeats.
    /// Called once the file has been read; error() must not be called after it.
    void flush();
    /// Warnings do not count against the budget (callers keep their own number small).
    diagnostic& warning(const char* code, span where, std::string message);
    [[nodiscard]] bool failed() const { return count_ > 0; }
    /// Whether the next error() will be recorded (worth building an expensive message for).
    [[nodiscard]] bool budget_left() const { return count_ < max_errors_per_file; }
    /// Whether the last error() was recorded (false once the budget is spent).
    [[nodiscard]] bool last_reported() const { return count_ > 0 && count_ <= max_errors_per_file; }
    [[nodiscard]] const source_ptr& file() const { return file_; }
    [[nodiscard]] diagnostics& sink() { return diags_; }

    /// At most this many other places of a repeated error are listed by line; the rest are
    /// counted.
    static constexpr std::size_t max_listed_repeats = 8;

  private:
    struct group {
        diagnostic d;
        std::optional<msg> note;
        std::size_t repeats = 0;
        std::vector<span> places;  // the first max_listed_repeats repeats
    };

    diagnostics& diags_;
    source_ptr file_;
    std::size_t count_ = 0;
    std::deque<group> groups_;  // a deque: error() hands out pointers into it
    std::unordered_map<std::string, std::size_t> group_index_;  // code + message -> groups_
};

/// One input field as the loaders see it.
struct schema_field {
    const ast::field_decl* decl = nullptr;
    source_ptr regulation;                        // the source decl's spans point into
    std::string display;                          // "party", "indicators.target"
    const ast::enum_decl* enumeration = nullptr;  // for enum fields
    std::vector<schema_field> fields;             // for list fields
    // The declared range (`in 0..100`) of a number or integer field, both bounds included.
    std::optional<number> low;
    std::optional<number> high;
    std::string range;        // as written: "0..100", "0%..100%", "0.."
    std::string range_place;  // where it is declared: "quy-che.tdkt:27"
    [[nodiscard]] bool bounded() const { return low.has_value(); }
};

/// The regulation's inputs, resolved once. Returns nullopt (with E219 diagnostics pointing into
/// the regulation) when the schema cannot be loaded at all: a nested list, a field named `unit`,
/// an enum type that is not declared (normally caught by the checker first).
std::optional<std::vector<schema_field>> resolve_schema(const ast::regulation& reg,
                                                        diagnostics& diags);

/// Where a converted value goes: a unit's field, or field `sub` of record `record` of a list.
struct slot {
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    std::size_t unit = 0;
    std::uint32_t field = 0;
    std::uint32_t record = none;
    std::uint32_t sub = 0;
};

/// Collects units as they are read; list records are kept mutable until finish().
class builder {
  public:
    explicit builder(const std::vector<schema_field>& schema) : schema_(schema) {}

    [[nodiscard]] const std::vector<schema_field>& schema() const { return schema_; }
    /// Room for about `n` units (avoids rehashing the name index while a big file loads).
    void reserve(std::size_t n);
    /// Adds a unit with no name yet and every field absent; `row` is its row or object.
    std::size_t add_unit(const source_ptr& file, span row);
    /// Names a unit. Returns the index of an earlier unit of the same name (a duplicate).
    std::optional<std::size_t> set_name(std::size_t unit, std::string name, span name_span);
    [[nodiscard]] std::optional<std::size_t> find(const std::string& name) const;
    [[nodiscard]] const unit_data& unit(std::size_t i) const { return units_[i]; }
    [[nodiscard]] std::size_t size() const { return units_.size(); }

    /// Makes list field `field` of `unit` an empty list (present). Idempotent.
    void start_list(std::size_t unit, std::uint32_t field, origin where);
    /// Appends an all-absent record to a list started with start_list; returns its index.
    std::uint32_t add_record(std::size_t unit, std::uint32_t field, origin row);

    value& at(const slot& s);
    origin& origin_at(const slot& s);

    dataset finish(std::vector<source_ptr> files);

  private:
    const std::vector<schema_field>& schema_;
    std::vector<unit_data> units_;
    std::vector<std::vector<std::shared_ptr<std::vector<record>>>> lists_;  // [unit][field]
    std::unordered_map<std::string, std::size_t> index_;
};

/// Decides, for one file, whether numbers use a decimal point or a decimal comma, and converts
/// number cells. Cells that read differently in the two styles (`1.234`) wait until finish().
/// A cell that looks like a thousands-grouped integer (`1.200`, `12,500`) but is read as a
/// decimal gets a warning (W202) at finish(): the file's style decides, but never silently.
/// A file whose numbers do not settle its style may take the style of the other files of its
/// results (`other_files` of finish()); its cells like `1.234` then get a warning too.
class number_reader {
  public:
    number_reader(load_options::number_style style, reporter& rep) : style_(style), rep_(rep) {}

    /// The style the other files of the results settle, for a file whose own numbers do not:
    /// the decimal separator, and the number that shows it (`92,5` in units.csv, line 3).
    struct borrowed_style {
        char sep = ',';
        std::string example;
        std::string file;
        std::size_t line = 0;
    };

    /// Converts `text` (trimmed, non-empty) for field `f`, storing into `dest` now or at finish().
    void read(const schema_field& f, std::string_view text, span where, const slot& dest,
              builder& b);
    /// A number `v` stored into `dest` from `text` at `where`, read with `decimal` as its decimal
    /// separator ('\0': none, or a native JSON number). Checks the field's declared range (E234
    /// at finish()) and gathers what W205 compares: cells like `82.125` read as 82125 in a
    /// column of values below 1000.
    void stored(const schema_field& f, std::string_view text, span where, const slot& dest,
                const number& v, char decimal);
    /// Settles the style of pending cells and stores them (or reports E223, unless
    /// `other_files` says how the other files of the results write decimals), then warns about
    /// the cells read as decimals that may have been meant as grouped integers, and about those
    /// read with the other files' style (W202).
    void finish(builder& b, const std::optional<borrowed_style>& other_files = std::nullopt);

    /// The decimal separator this file's own numbers settle in auto-detection ('.' or ','), or
    /// '\0' when they settle none, or both (E224).
    [[nodiscard]] char settled() const;
    /// Whether the file has numbers in both styles (E224).
    [[nodiscard]] bool mixed() const { return first_dot_ && first_comma_; }
    /// The number that settles the style (for settled()), as written and where.
    [[nodiscard]] std::pair<std::string, span> settling_example() const;
    /// Whether finish() without `others` reports E223: cells like `1.234` and nothing that
    /// settles which style they are in.
    [[nodiscard]] bool undecided() const {
        return style_ == load_options::number_style::auto_detect && !first_dot_ && !first_comma_
               && !pending_.empty();
    }

    /// At most this many W202 warnings per file; the rest are counted in one more warning.
    /// The same holds for W205.
    static constexpr std::size_t max_grouped_warnings = 10;
    /// W205 only when the cell's value is at least this many times the largest of the others.
    static constexpr int w205_ratio = 10;

  private:
    struct pending {
        const schema_field* field;
        std::string text;
        span where;
        slot dest;
        std::string dot;
        std::string comma;
    };
    // A cell read as a decimal although it looks like a grouped integer, or (`thousands`) read
    // as a grouped integer with the style of the other files although it may be a decimal.
    struct grouped {
        const schema_field* field;
        std::string text;
        span where;
        slot dest;
        char sep;  // the separator in the cell, read as the decimal separator
        bool thousands = false;
    };
    using example = std::optional<std::pair<std::string, span>>;
    // `decimal`: the separator the cell was read with ('\0' when it has none).
    bool store(const schema_field& f, std::string_view text, const std::string& canonical,
               span where, const slot& dest, builder& b, char decimal = '\0');
    void report_not_whole();
    void note_style(bool comma, std::string_view text, span where);
    void note_grouped(const schema_field& f, std::string_view text, span where, const slot& dest);
    void warn_grouped(builder& b);
    [[nodiscard]] std::string grouped_reason(char sep) const;
    // E234 for the cells outside their field's declared range, then W205 (after the style of
    // every cell is settled).
    void report_out_of_range(builder& b);
    void warn_small_column(builder& b);
    void finish_cells(builder& b);
    // The decimal separator this file is read with ('.' when nothing says).
    [[nodiscard]] char file_decimal() const;

    load_options::number_style style_;
    reporter& rep_;
    std::optional<borrowed_style> borrowed_;  // set by finish() when the file takes others' style
    example first_dot_;
    example first_comma_;
    // The first cell of each style that cannot be a grouped integer: what settles the style.
    example plain_dot_;
    example plain_comma_;
    bool mixed_reported_ = false;
    std::vector<pending> pending_;
    std::vector<grouped> grouped_;
    // Integer cells like `1.840` read as a decimal that is not whole: E221 at finish().
    std::vector<grouped> not_whole_;
    // A cell outside its field's declared range (E234), with the separator it was read with.
    struct out_of_range {
        const schema_field* field;
        std::string text;
        span where;
        slot dest;
        number value;
        char decimal;
    };
    std::vector<out_of_range> out_of_range_;
    // Per number field without a declared range, for W205: the first cell like `82.125` read
    // as 82125 with '.' between thousands, how many values are 1000 or more, and the others.
    struct column {
        std::optional<out_of_range> suspect;
        std::size_t large = 0;
        std::size_t others = 0;
        std::optional<number> largest;  // of the others, in absolute value
        std::string largest_text;
        span largest_at;
    };
    std::vector<std::pair<const schema_field*, column>> columns_;  // few fields: a vector
};

/// When `text` could be an integer written with one thousands separator (1-3 digits not
/// starting with 0, then `.` or `,`, then exactly 3 digits, as `1.200`, `-12,500`): that
/// separator. '\0' otherwise.
char grouped_separator(std::string_view text);

/// The two readings of a number cell: canonical decimal text ("-1234.5") when the cell is valid
/// with a decimal point, and when it is valid with a decimal comma and dot thousands separators.
struct number_forms {
    std::optional<std::string> dot;
    std::optional<std::string> comma;
};
number_forms read_number_forms(std::string_view text);

/// Converts a JSON number token (`-12.5e3`) to canonical decimal text, exactly; nullopt when the
/// exponent is absurdly large.
std::optional<std::string> json_number_to_decimal(std::string_view raw);

/// Stores an exact number (from canonical text) into `dest` after the integer check.
/// Reports E222 / E221 and returns false on failure.
bool store_number(reporter& rep, const schema_field& f, std::string_view shown,
                  const std::string& canonical, span where, value& dest);

/// Reads a scalar cell (trimmed; empty means absent) of field `f` into `dest`; numbers go
/// through `numbers`. Reports E212 for a missing required value and E220-E227 for bad ones.
void read_cell(const schema_field& f, std::string_view text, span where, const slot& dest,
               builder& b, number_reader& numbers, const load_options& opts, reporter& rep);

/// Checks a whole file before parsing: not empty (E201), no NUL byte (E203), valid UTF-8 (E202).
/// Returns false (after one diagnostic) when the file cannot be read further.
bool check_text(reporter& rep);

/// Helpers for messages.
std::string type_name(const schema_field& f);
/// E212 (a required value missing): a note at the field's declaration in the regulation saying
/// the alternative to filling it in, declaring it optional (`tự_chấm: số?`).
void note_optional_alternative(diagnostic* d, const schema_field& f);
std::string quote_cell(std::string_view text);  // `text`, shortened when very long
/// Without the spaces around it: ASCII space and tab, and the Unicode spaces and zero-width
/// characters of is_invisible_space() (a no-break space pasted from Word is no part of a name).
std::string_view trim(std::string_view s);
/// U+00A0, U+2000-U+200D, U+202F, U+205F, U+2060, U+3000, U+FEFF: spaces other than the ASCII
/// space, and characters that show nothing.
bool is_invisible_space(std::uint32_t code_point);
/// How a unit name that is not in the units file differs from the closest one there: "; units.csv
/// has `X`, which differs only in ..." or "; did you mean `X`?"; "" when no name is close.
std::string unknown_unit_hint(std::string_view name, const std::vector<std::string>& units,
                              const std::string& units_file);
/// Lower-cases ASCII and the Vietnamese letters (Latin-1, Latin Extended-A/Additional).
std::string lower_vietnamese(std::string_view s);
/// The words of a unit name for comparing names: lower case, without diacritics, split at spaces,
/// invisible characters and punctuation, so `Sở Giao thông – Vận tải`, `Sở Giao thông-Vận tải`
/// and `SỞ GIAO THÔNG - VẬN TẢI` have the same words.
std::vector<std::string> name_words(std::string_view name);
/// Whether `name` is the Vietnamese name of the units' column (or key): `đơn_vị`, `Đơn vị`,
/// `ĐƠN VỊ` (`đơn vị` in any letter case, its words joined by `_` or a space; with diacritics).
bool is_vietnamese_unit_name(std::string_view name);
/// Whether the Vietnamese name may name the units' column in results for `schema`: not when an
/// input field, or a field of a list input, is itself named so (then `đơn_vị` is that field),
/// nor when `ignored` (load_options::ignored_fields) names such a field: the other regulation of
/// a comparison declares it, and its column is skipped.
bool vietnamese_unit_column(const std::vector<schema_field>& schema,
                            const std::set<std::string>& ignored = {});
/// Whether a column (or key) named `name` holds the units' names: `unit`, or (when `vietnamese`,
/// see vietnamese_unit_column()) `đơn_vị` as is_vietnamese_unit_name() reads it.
bool is_unit_column(std::string_view name, bool vietnamese);
/// The field an unknown column (or key) `name` most likely is: the field it is the label of, or
/// else the field whose name closest_name() suggests (list inputs left out when `scalars_only`).
/// `by_label` says which. nullopt when none is close.
std::optional<std::size_t> guess_field(std::string_view name,
                                       const std::vector<schema_field>& fields, bool scalars_only,
                                       bool& by_label);
/// Whether a column (or JSON key) named `name` most likely holds the units' names: `Unit`,
/// `units`, `đơn_vị`, `Tên đơn vị`, `don vi`, `cơ quan`... (for E214's hint).
bool looks_like_unit_column(std::string_view name);
/// Reports E233 for two units among the first `count` of `b` (those of one units file) whose
/// names differ only in letter case, diacritics, spaces or punctuation, with a note at the first.
void check_look_alike_units(const builder& b, std::size_t count, reporter& rep);
/// Finds the list rows (CSV) or list elements (JSON) of one file that repeat an earlier one of
/// the same unit and list exactly, and warns about each (W204) at finish(), with a note at the
/// first: a row pasted twice is scored twice and nothing else shows it. Rows that differ in any
/// cell, even one the regulation does not read, are not reported. At most max_warnings per
/// file, then one more warning counts the rest. Keeps every row's text once (linear memory).
class repeat_finder {
  public:
    repeat_finder(reporter& rep, bool csv) : rep_(rep), csv_(csv) {}

    /// A row or element of list `list` of unit `unit` (an index into the builder) at `where`;
    /// `content` is what it holds as written: CSV, every cell (the unit's included); JSON, each
    /// key with its value's text, in key order. Each part is prefixed with its length.
    void add(std::size_t unit, const schema_field& list, const std::string& content, span where);
    /// Reports the repeats (by then the builder knows every unit's name).
    void finish(const builder& b);

    static constexpr std::size_t max_warnings = 10;

  private:
    struct first_seen {
        span where;
        std::size_t times = 1;
    };
    struct repeat {
        std::size_t unit;
        const schema_field* list;
        span where;
        span first;
        std::size_t times;  // the count of this content so far, this row included
    };

    reporter& rep_;
    bool csv_;
    std::unordered_map<std::string, first_seen> seen_;
    std::vector<repeat> repeats_;
};

/// Appends `text` to `key` prefixed with its length, so that parts joined cannot run together.
void append_key_part(std::string& key, std::string_view text);

/// Warns (W203) about each unit whose list is empty when most units have rows in it; called on a
/// dataset that loaded without errors. `csv` words the message for a list file.
void warn_empty_lists(const dataset& d, const std::vector<schema_field>& schema, bool csv,
                      diagnostics& diags);
/// Why a unit name cannot be used (a line break or control character), or nullopt. Names are
/// compared in Unicode NFC: a decomposed twin of a name is the same unit.
std::optional<std::string> unit_name_problem(std::string_view name);

}  // namespace thidua::data_detail
