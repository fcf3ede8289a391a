// `thidua fmt FILE... [--check] [--lang vi|en] [--stdout]`: rewrite regulations, amendments and
// test files (`*.test.tdkt`, docs/testing.md) in the canonical layout (dsl/formatter.hpp).
//
// A file is rewritten only when its text changes, atomically (engine/io.hpp). A file with syntax
// errors is never rewritten: its diagnostics are printed and the exit code is 1. Before anything
// is written, the formatted text is parsed again and its AST compared with the original's, so a
// formatter bug can never change a regulation's meaning on disk (it is reported instead).
// `-` as a file reads standard input and writes the result to standard output.
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/formatter.hpp"
#include "dsl/i18n.hpp"
#include "dsl/parser.hpp"
#include "engine/io.hpp"

namespace thidua::cli {

namespace {

struct fmt_options {
    std::vector<std::string> files;
    bool check = false;
    bool to_stdout = false;
    std::string lang;  // "", "vi" or "en"
};

enum class outcome { unchanged, changed, failed, unreadable };

// The text formatted, or nullopt after printing why not: syntax errors, or (a formatter bug)
// a text that would not parse to the same AST.
std::optional<std::string> format_text(const source_ptr& file, const format_options& options) {
    const auto report_errors = [&](const diagnostics& diags) {
        print_err("{}", render_text(diags));
        print_err("{}: {}; not formatted\n", file->path(),
                  diags.error_count() == 1 ? std::string("1 error")
                                           : fmt::format("{} errors", diags.error_count()));
    };
    std::string formatted;
    bool same = false;
    if (is_test_file(file->path())) {
        const test_parse_result parsed = parse_tests(file);
        if (!parsed.tests || parsed.diags.has_errors()) {
            report_errors(parsed.diags);
            return std::nullopt;
        }
        formatted = format_tests(*parsed.tests, parsed.comments, options);
        // The safety net: the output must parse to the same AST.
        const auto again =
            parse_tests(std::make_shared<const source_file>(file->path(), formatted));
        same = again.tests && !again.diags.has_errors()
               && dump_tests(*again.tests) == dump_tests(*parsed.tests);
    } else {
        const parse_result parsed = parse(file);
        if (!parsed.regulation || parsed.diags.has_errors()) {
            report_errors(parsed.diags);
            return std::nullopt;
        }
        formatted = format_regulation(*parsed.regulation, parsed.comments, options);
        const auto again = parse(std::make_shared<const source_file>(file->path(), formatted));
        same = again.regulation && !again.diags.has_errors()
               && dump_ast(*again.regulation) == dump_ast(*parsed.regulation);
    }
    if (!same) {
        print_err(
            "{}: internal error: the formatted text would not mean the same; the file is "
            "left as it is (please report this with the file)\n",
            file->path());
        return std::nullopt;
    }
    return formatted;
}

outcome format_one(const fmt_options& opt, const std::string& path) {
    const bool from_stdin = path == "-";
    std::string error;
    std::optional<std::string> raw;
    if (from_stdin) {
        // Within the size a regulation may have (dsl/source.hpp): `fmt - < /dev/zero` ends.
        std::string in;
        std::array<char, 65536> buffer{};
        std::size_t n = 0;
        while ((n = std::fread(buffer.data(), 1, buffer.size(), stdin)) > 0) {
            in.append(buffer.data(), n);
            if (in.size() > max_regulation_size) {
                print_err("thidua: <stdin>: {}\n",
                          too_large_message(in.size(), max_regulation_size));
                return outcome::unreadable;
            }
        }
        raw = std::move(in);
    } else {
        raw = read_text_file(path, error);
    }
    if (!raw) {
        print_err("thidua: {}: {}\n", path, error);
        return outcome::unreadable;
    }
    const auto file = std::make_shared<const source_file>(from_stdin ? "<stdin>" : path, *raw);
    format_options options;
    if (opt.lang == "vi") {
        options.language = keywords::lang::vi;
    } else if (opt.lang == "en") {
        options.language = keywords::lang::en;
    }
    const std::optional<std::string> result = format_text(file, options);
    if (!result) {
        return outcome::failed;
    }
    const std::string& formatted = *result;

    const bool changed = formatted != *raw;
    if (opt.check) {
        if (changed) {
            print_out(file->path() + "\n");
        }
        return changed ? outcome::changed : outcome::unchanged;
    }
    if (from_stdin || opt.to_stdout) {
        print_out(formatted);
        return changed ? outcome::changed : outcome::unchanged;
    }
    if (!changed) {
        return outcome::unchanged;
    }
    // Through a symbolic link to its target; the file keeps its mode (engine/io.hpp).
    if (const std::string problem = write_output_file(path, formatted); !problem.empty()) {
        print_err("thidua: {}\n", problem);
        return outcome::unreadable;
    }
    print_err("{}\n", tr(msg::cli_fmt_formatted, fmt::arg("path", path)));
    return outcome::changed;
}

int run_fmt(const fmt_options& opt) {
    bool failed = false;
    bool unreadable = false;
    bool unformatted = false;
    std::uint64_t unformatted_count = 0;
    for (const auto& path : opt.files) {
        switch (format_one(opt, path)) {
            case outcome::failed:
                failed = true;
                break;
            case outcome::unreadable:
                unreadable = true;
                break;
            case outcome::changed:
                unformatted = true;
                ++unformatted_count;
                break;
            case outcome::unchanged:
                break;
        }
    }
    if (opt.check && unformatted_count > 0) {
        // The paths went to stdout (for scripts); what to do about them, to stderr.
        print_err("{}\n", tr_n(msg::cli_fmt_check_summary, unformatted_count));
    }
    if (unreadable) {
        return exit_usage;
    }
    return failed || (opt.check && unformatted) ? exit_errors : exit_ok;
}

}  // namespace

command add_fmt(CLI::App& parent) {
    auto opt = std::make_shared<fmt_options>();
    CLI::App* app = parent.add_subcommand("fmt", tr(msg::cli_help_fmt));
    app->add_option("files", opt->files, tr(msg::cli_help_fmt_files))->required();
    app->add_flag("--check", opt->check, tr(msg::cli_help_fmt_check));
    app->add_flag("--stdout", opt->to_stdout, tr(msg::cli_help_fmt_stdout));
    app->add_option("--lang", opt->lang, tr(msg::cli_help_fmt_lang))
        ->check(CLI::IsMember({"vi", "en"}));
    return {app, [opt] { return run_fmt(*opt); }};
}

}  // namespace thidua::cli
