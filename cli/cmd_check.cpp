// `thidua check FILE... [--format text|json] [--dump-ast]`: parse and statically check
// regulations and report their diagnostics.
//
// A test file (`*.test.tdkt`, docs/testing.md) is checked as `thidua test` checks it before
// running it: parsed, the regulation it names read and checked (an amendment merged with its
// base), and every test resolved against that regulation (engine/test_checker.hpp), its data
// loaded; nothing is scored.
//
// Text diagnostics and the per-file summary line go to stderr; `--format json` writes one JSON
// document for all files to stdout (the summary lines still go to stderr); `--dump-ast` writes
// the AST of each file that parsed to stdout.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/i18n.hpp"
#include "dsl/parser.hpp"
#include "engine/amend.hpp"
#include "engine/checker.hpp"
#include "engine/test_checker.hpp"

namespace thidua::cli {

namespace {

struct check_options {
    std::vector<std::string> files;
    std::string format = "text";
    bool dump_ast = false;
    bool strict = false;  // every warning is fatal (exit 1)
};

std::string summary(const std::string& path, const diagnostics& ds) {
    const std::size_t errors = ds.error_count();
    const std::size_t warnings = ds.warning_count();
    if (errors == 0 && warnings == 0) {
        return tr(msg::check_ok, fmt::arg("path", path));
    }
    if (warnings == 0) {
        return fmt::format("{}: {}", path, tr_n(msg::cli_count_errors, errors));
    }
    if (errors == 0) {
        return fmt::format("{}: {}", path, tr_n(msg::cli_count_warnings, warnings));
    }
    return fmt::format("{}: {}, {}", path, tr_n(msg::cli_count_errors, errors),
                       tr_n(msg::cli_count_warnings, warnings));
}

// The diagnostics of a test file: its syntax, the regulation it names (E420 when it cannot be
// read; its errors and E421 when it has some), then its tests against that regulation.
diagnostics check_test_file(const source_ptr& file, const check_options& opt) {
    test_parse_result parsed = parse_tests(file);
    diagnostics diags = std::move(parsed.diags);
    if (!parsed.tests || diags.has_errors()) {
        return diags;
    }
    if (opt.dump_ast) {
        print_out(dump_tests(*parsed.tests));
    }
    const ast::test_file& tf = *parsed.tests;
    const std::string reg_path =
        (std::filesystem::path(file->path()).parent_path() / tf.regulation_path)
            .lexically_normal()
            .generic_string();
    std::string error;
    const std::shared_ptr<source_file> reg_file = source_file::load(reg_path, error);
    if (!reg_file) {
        diags.error("E420", file, tf.regulation_span,
                    tr(msg::test_cli_bad_regulation_read, fmt::arg("path", reg_path),
                       fmt::arg("error", error)));
        return diags;
    }
    parse_result reg = parse(reg_file);
    apply_amendments(reg);  // an amendment is tested as the regulation it makes
    std::unique_ptr<checked_regulation> checked;
    if (reg.regulation && !reg.diags.has_errors()) {
        checked = check(*reg.regulation, reg.diags);
    }
    if (!checked) {
        // The regulation's own errors (they name its file), then why the tests stop here.
        for (const auto& d : reg.diags.items()) {
            if (d.level == severity::error) {
                diags.add(d);
            }
        }
        diags.error("E421", file, tf.regulation_span,
                    tr(msg::test_cli_regulation_errors, fmt::arg("path", reg_path)));
        return diags;
    }
    (void)prepare_tests(*checked, tf.tests, file, diags);
    return diags;
}

int run_check(const check_options& opt) {
    const bool json = opt.format == "json";
    diagnostics all;  // for --format json: one document for every file
    bool errors = false;
    bool unreadable = false;
    std::size_t warnings = 0;  // for --strict
    for (const auto& path : opt.files) {
        std::string error;
        const std::shared_ptr<source_file> file = source_file::load(path, error);
        if (!file) {
            print_err("{}: {}: {}\n", path, message_text(msg::severity_error, current_language()),
                      error);
            if (json) {
                // The document says it too: a program reading only stdout must not see a clean
                // run (docs/diagnostics.md, E000).
                diagnostic d;
                d.code = "E000";
                d.path = path;
                d.message = error;
                all.add(std::move(d));
            }
            unreadable = true;
            continue;
        }
        if (is_test_file(path)) {
            diagnostics diags = check_test_file(file, opt);
            diags.sort();
            errors = errors || diags.has_errors();
            warnings += diags.warning_count();
            if (json) {
                all.append(diags);
            } else {
                print_err("{}", render_text(diags));
            }
            print_err("{}\n", summary(path, diags));
            continue;
        }
        const auto started = std::chrono::steady_clock::now();
        parse_result parsed = parse(file);
        apply_amendments(parsed);  // an amendment is checked as the regulation it makes
        spdlog::debug("parsed {} ({} bytes) in {} ms", path, file->text().size(),
                      std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count());

        // The checker runs only on a complete, error-free parse: a broken tree would only add
        // follow-on errors.
        if (parsed.regulation && !parsed.diags.has_errors()) {
            (void)check(*parsed.regulation, parsed.diags);
        }

        parsed.diags.sort();
        errors = errors || parsed.diags.has_errors();
        warnings += parsed.diags.warning_count();
        if (json) {
            all.append(parsed.diags);
        } else {
            print_err("{}", render_text(parsed.diags));
        }
        print_err("{}\n", summary(path, parsed.diags));
        if (opt.dump_ast && parsed.regulation) {
            print_out(dump_ast(*parsed.regulation));
        }
    }
    if (json) {
        print_out(render_json(all));
    }
    if (unreadable) {
        return exit_usage;
    }
    if (!errors && opt.strict && warnings > 0) {
        print_err("thidua: {}\n",
                  tr(msg::check_strict_failed,
                     fmt::arg("warnings", tr_n(msg::cli_count_warnings, warnings))));
        return exit_errors;
    }
    return errors ? exit_errors : exit_ok;
}

}  // namespace

command add_check(CLI::App& parent) {
    auto opt = std::make_shared<check_options>();
    CLI::App* app = parent.add_subcommand("check", tr(msg::cli_help_check));
    app->add_option("files", opt->files, tr(msg::cli_help_check_files))->required();
    app->add_option("--format", opt->format, tr(msg::cli_help_check_format))
        ->check(CLI::IsMember({"text", "json"}));
    app->add_flag("--dump-ast", opt->dump_ast, tr(msg::cli_help_check_dump_ast));
    app->add_flag("--strict", opt->strict, tr(msg::cli_help_check_strict));
    return {app, [opt] { return run_check(*opt); }};
}

}  // namespace thidua::cli
