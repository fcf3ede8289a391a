// Loading the results that units submit (CSV or JSON), validated against a regulation's inputs.
//
// The loader reads every file completely, reports every problem it finds as a diagnostic with a
// `file:line:column` position (codes E200-E299, documented in docs/data.md), and returns nothing
// when any error was reported: nothing is ever scored from invalid data. Numbers are read
// exactly (no binary floating point), Vietnamese conventions (decimal comma, dd/mm/yyyy,
// có/không) are understood, and the whole load is linear in the size of the input.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "engine/value.hpp"

namespace thidua {

struct load_options {
    /// How decimal numbers are written. auto_detect decides per file from all its numeric cells
    /// (`1,5` can only be a decimal comma, `1.5` only a decimal point) and reports an error when
    /// the file does not settle it (only cells like `1.234`).
    enum class number_style { auto_detect, dot_decimal, comma_decimal };
    /// How dates are written. auto_detect accepts both ISO `2018-12-20` and `20/12/2018`
    /// (day first, the Vietnamese convention; month-first dates are never accepted).
    enum class date_style { auto_detect, iso, dmy };

    number_style numbers = number_style::auto_detect;
    date_style dates = date_style::auto_detect;
    /// Input fields whose columns (or JSON keys) are skipped without error, by name: `tin_bai` for
    /// an input, `indicators.note` for a field of a list input; a list input named here also has
    /// its file left unread and not reported unused (W201). `thidua diff OLD NEW` and `report
    /// --versus` read one dataset under two regulations: each ignores what only the other
    /// declares. Fields the regulation itself declares are never ignored.
    std::set<std::string> ignored_fields{};
};

/// "auto", "dot", "comma" (the values of `--numbers`); nullopt for anything else.
std::optional<load_options::number_style> parse_number_style(std::string_view text);
/// "auto", "iso", "dmy" (the values of `--dates`); nullopt for anything else.
std::optional<load_options::date_style> parse_date_style(std::string_view text);

/// Where a value was read: a cell of a CSV file or a value in a JSON file. For an absent value
/// whose column or key is missing altogether, the span is the unit's row or object.
struct origin {
    source_ptr file;
    span where;
};

/// Where one element of a list input was read: the row (or JSON object) and each of its fields
/// in the list's field order.
struct record_origin {
    origin row;
    std::vector<origin> fields;
};

/// One unit's submitted results.
struct unit_data {
    std::string name;
    source_ptr file;  // the file the unit's name was read from
    span name_span;
    /// One value per regulation input, in the order of `ast::regulation::inputs`. Absent
    /// (monostate) only for optional inputs; list inputs hold a list_value (possibly empty).
    std::vector<value> fields;
    /// Where each of `fields` was read, same order (for explanations and later diagnostics).
    std::vector<origin> field_origins;
    /// For each list input (same index as `fields`), where each record was read; empty for
    /// scalar inputs and for absent lists. Indexed as `fields` but only as long as it needs:
    /// past the last list input with a record it ends (check the size before indexing).
    std::vector<std::vector<record_origin>> list_origins;
};

struct dataset {
    std::vector<unit_data> units;   // in the order of the units file
    std::vector<source_ptr> files;  // every file read, in the order read
};

/// Loads results from PATH:
///  - a directory: `units.csv` plus `<list>.csv` for each list input;
///  - a `.csv` file: the units file, with `<stem>.<list>.csv` beside it for each list input;
///  - a `.json` file: an array of unit objects.
/// Reports every problem to `diags`; returns nullopt when any error was reported. The diagnostics
/// are appended in the order to print them: those with no position, then the units file's (whose
/// errors cause list files' errors), then each other file's by name; each file's by position
/// (order_by_cause()). `units_file`, when given, receives the path of the units file read (empty
/// for JSON results, and when no units file was found).
std::optional<dataset> load_results(const ast::regulation& reg, const std::string& path,
                                    const load_options& opts, diagnostics& diags,
                                    std::string* units_file = nullptr);

/// Sorts diagnostics into the order to print them, for results read with load_results() (alone or
/// among others, as a test file's diagnostics with those of the `data` its tests read): as
/// diagnostics::sort(), except that each of `units_files` comes first among the files of its
/// folder, since its errors cause those of its list files (E217 after the units.csv row that lost
/// the unit). Sorting the result again with diagnostics::sort() undoes that.
void order_by_cause(diagnostics& diags, const std::vector<std::string>& units_files);

/// The CSV files of one submission, already in memory (tests, fuzzing, other front ends).
struct csv_files {
    source_ptr units;
    /// One entry per input of the regulation (same index); only list inputs are looked at.
    /// A null entry means the list's file does not exist. `missing_hint` names it in the
    /// diagnostic ("indicators.csv").
    std::vector<source_ptr> lists;
    std::vector<std::string> missing_hint;
    /// For a missing list file: a file of the folder whose name is close to the expected one
    /// (`chi_tieu.csv` for `chỉ_tiêu.csv`), which E218 then names; "" (or no entry) when none.
    std::vector<std::string> lookalike{};
};

/// Both report results with no unit (a header alone, `[]`) as E201, as load_results() does. The
/// CSV loader matches list rows to units (E217) only when the units file was read whole;
/// otherwise its first error gets a note counting the list rows left unmatched.
std::optional<dataset> load_results_csv(const ast::regulation& reg, const csv_files& files,
                                        const load_options& opts, diagnostics& diags);
std::optional<dataset> load_results_json(const ast::regulation& reg, const source_ptr& file,
                                         const load_options& opts, diagnostics& diags);

/// A results file in memory: strips a UTF-8 byte order mark so that columns count from the first
/// real character.
source_ptr make_data_source(std::string path, std::string text);
/// Reads a results file (as make_data_source). Returns null and sets `error` when unreadable;
/// `*too_large`, when given, tells a file of 4 GiB or more (refused from its size, unread).
source_ptr read_data_file(const std::string& path, std::string& error, bool* too_large = nullptr);

/// At most this many errors are reported per file; then E299 says the rest were not reported.
inline constexpr std::size_t max_errors_per_file = 200;
/// Maximum nesting depth of arrays and objects in a JSON results file (E209 beyond it).
inline constexpr unsigned max_json_depth = 64;

}  // namespace thidua
