// What the scoring subcommands share: loading a checked regulation and its results, printing
// diagnostics, and writing output (stdout or an atomically written file).
#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dsl/parser.hpp"
#include "engine/checker.hpp"
#include "engine/data.hpp"
#include "engine/scoring.hpp"

namespace thidua::cli {

struct loaded_regulation {
    source_ptr source;
    parse_result parsed;
    std::unique_ptr<checked_regulation> checked;
};

/// True for a `*.test.tdkt` file: tests that name their regulation (docs/testing.md).
bool is_test_file(const std::string& path);

/// Reads, parses and checks a regulation. Prints diagnostics (warnings too) to stderr. On failure
/// returns nullopt and sets `exit_code` (1: errors in the file, 2: unreadable).
std::optional<loaded_regulation> load_regulation(const std::string& path, int& exit_code);

/// Options of the commands that read results.
struct data_options {
    std::string path;
    std::string numbers = "auto";
    std::string dates = "auto";
    /// In a comparison (`diff`, `report --versus`): the fields only the other regulation declares
    /// (skipped, see load_options::ignored_fields), and which regulation the data is read against
    /// ("old" or "new", and its path), named when the results cannot be read.
    std::set<std::string> ignored_fields{};
    std::string role{};
    std::string regulation{};
    /// --strict: the results' warnings (W201-W204) stop the command as errors would (exit 1).
    bool strict = false;
};

/// The input fields `a` declares and `b` does not, as load_options::ignored_fields names them
/// (`tin_bai`, `indicators.note`): what `b` must skip when it reads data made for `a`.
std::set<std::string> fields_only_in(const ast::regulation& a, const ast::regulation& b);

/// Makes `--help` speak the language of messages (docs/i18n.md): CLI11's own words (Usage, Options,
/// REQUIRED, TEXT, ...) from the catalogue, the help flag's description, and columns aligned by
/// characters rather than bytes. Call on the top-level app before adding anything: the
/// subcommands inherit its formatter, help flag and group heading. English output is CLI11's.
void localize_help(CLI::App& app);

/// An option's type as `app`'s help shows it (`TEXT:{vi,en}`, `VĂN_BẢN:{vi,en}`).
std::string help_type_name(const CLI::App& app, const std::string& type);

/// Adds --data, --numbers, --dates, --strict to a subcommand.
void add_data_options(CLI::App& app, data_options& opts);
/// Accepts `alias` as another spelling of `value` (`--numbers point` is `--numbers dot`,
/// `--decimal dot` is `--decimal point`): the two options name the same mark differently.
CLI::Validator spelling(std::string alias, std::string value);

/// Adds --strict (the results' warnings are fatal) to a subcommand.
void add_strict_option(CLI::App& app, bool& strict);

/// Loads and validates results; prints diagnostics (in the loader's order: the units file first);
/// nullopt with `exit_code` on failure, and with `opts.strict`, also when there were warnings.
/// `warnings`, when given, also receives the loader's warnings (W201-W204), as printed. `printed`,
/// when given, holds the warnings printed by earlier loads of the same data (a comparison reads
/// it under two regulations): those are not printed again.
std::optional<dataset> load_data(const loaded_regulation& reg, const data_options& opts,
                                 int& exit_code, diagnostics* warnings = nullptr,
                                 std::set<std::string>* printed = nullptr);

/// Adds `diags`' warnings to a `printed` set of load_data(): they will not be printed again.
void remember_warnings(const diagnostics& diags, std::set<std::string>& printed);

/// A regulation, its results and the scored bloc.
struct scored {
    loaded_regulation reg;
    dataset data;
    bloc_outcome bloc;
    diagnostics data_warnings;  // the results' warnings (W201, W202), for JSON and the report
};

/// Loads the regulation and the results, validates and scores them (with traces when `trace`,
/// which explanations need); prints diagnostics. nullptr with `exit_code` set on any error.
/// With `versus` (report --versus OLD): the data is read as the new regulation's of a comparison
/// with OLD, skipping the fields only OLD declares.
std::unique_ptr<scored> load_and_score(const std::string& path, const data_options& dopts,
                                       bool trace, int& exit_code,
                                       const loaded_regulation* versus = nullptr);

/// SHA-256 of the results: of the one file, or of each file's name and hash in read order.
std::string data_sha256(const dataset& data);

/// "1 error", "3 errors".
std::string count_errors(std::size_t n);

/// Writes `content` to `output` (engine/io.hpp write_output_file: atomically for a regular file,
/// through a symbolic link to its target, directly to a device or FIFO), or to stdout when
/// `output` is empty or `-`. `inputs` are the files the command read: an output that is one of
/// them (the same file, however named: by device and inode, links followed) is refused with
/// both paths named and nothing written. Returns an exit code.
int emit(const std::string& output, const std::string& content,
         const std::vector<std::string>& inputs = {});

/// The input whose file `output` is (compared by device and inode, links followed), if any.
std::optional<std::string> output_is_input(const std::string& output,
                                           const std::vector<std::string>& inputs);

/// Appends the paths of the files a source was read from (every part of an amendment merged
/// with its base).
void add_source_paths(const source_ptr& source, std::vector<std::string>& paths);
/// The files of a dataset and of a loaded regulation.
void add_input_paths(const dataset& data, std::vector<std::string>& paths);

// ---- standard output and standard error -------------------------------------------------------
// fmt::print throws std::system_error when a write fails (`>/dev/full`, a closed descriptor); the
// commands print through these instead, which never throw.

/// Writes to standard output. A failure is remembered: finish_output() reports it.
void print_out(std::string_view text);
/// Writes a message to standard error; a failure is ignored (there is nowhere left to say it),
/// and the exit code stays the run's.
void print_err(std::string_view text);
template <typename... Args>
void print_err(fmt::format_string<Args...> format, Args&&... args) {
    print_err(std::string_view(fmt::format(format, std::forward<Args>(args)...)));
}

/// At the start of main: the standard descriptors (0, 1, 2) that are closed are opened on
/// /dev/null, so that no file the run opens becomes one of them; standard output's is opened
/// read-only, so that writing to it still fails (EBADF) and is reported.
void guard_standard_streams();
/// At the end of main: flushes standard output; when anything written to it was lost, prints
/// `thidua: cannot write to standard output: REASON` and returns exit_usage, else `code`.
int finish_output(int code);

}  // namespace thidua::cli
