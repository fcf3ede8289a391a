// `thidua check FILE... [--format text|json] [--dump-ast]`: parse and statically check
// regulations and report their diagnostics.
//
// Text diagnostics and the per-file summary line go to stderr; `--format json` writes one JSON
// document for all files to stdout (the summary lines still go to stderr); `--dump-ast` writes
// the AST of each file that parsed to stdout.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "dsl/ast_dump.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/i18n.hpp"
#include "dsl/parser.hpp"
#include "engine/checker.hpp"

namespace thidua::cli {

namespace {

struct check_options {
    std::vector<std::string> files;
    std::string format = "text";
    bool dump_ast = false;
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

int run_check(const check_options& opt) {
    const bool json = opt.format == "json";
    diagnostics all;  // for --format json: one document for every file
    bool errors = false;
    bool unreadable = false;
    for (const auto& path : opt.files) {
        std::string error;
        const std::shared_ptr<source_file> file = source_file::load(path, error);
        if (!file) {
            fmt::print(stderr, "{}: {}: {}\n", path,
                       message_text(msg::severity_error, current_language()), error);
            unreadable = true;
            continue;
        }
        const auto started = std::chrono::steady_clock::now();
        parse_result parsed = parse(file);
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
        if (json) {
            all.append(parsed.diags);
        } else {
            fmt::print(stderr, "{}", render_text(parsed.diags));
        }
        fmt::print(stderr, "{}\n", summary(path, parsed.diags));
        if (opt.dump_ast && parsed.regulation) {
            fmt::print("{}", dump_ast(*parsed.regulation));
        }
    }
    if (json) {
        fmt::print("{}", render_json(all));
    }
    if (unreadable) {
        return exit_usage;
    }
    return errors ? exit_errors : exit_ok;
}

}  // namespace

command add_check(CLI::App& parent) {
    auto opt = std::make_shared<check_options>();
    CLI::App* app = parent.add_subcommand("check", "Parse and check regulation files (.tdkt)");
    app->add_option("files", opt->files, "Regulation files")->required();
    app->add_option("--format", opt->format, "Diagnostics format")
        ->check(CLI::IsMember({"text", "json"}));
    app->add_flag("--dump-ast", opt->dump_ast, "Print the AST of each file (S-expressions)");
    return {app, [opt] { return run_check(*opt); }};
}

}  // namespace thidua::cli
