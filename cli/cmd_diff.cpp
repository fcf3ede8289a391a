// `thidua diff OLD NEW --data PATH... [--format text|json] [--output FILE]`: what a change of
// regulation changes, in the regulation and in the outcome on each dataset (engine/diff.hpp).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <set>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/i18n.hpp"
#include "engine/diff.hpp"
#include "engine/explain.hpp"

namespace thidua::cli {

namespace {

struct diff_args {
    std::string old_regulation;
    std::string new_regulation;
    std::vector<std::string> data;
    std::string numbers = "auto";
    std::string dates = "auto";
    std::string format = "text";
    std::string output;
    bool strict = false;
};

// Loads one dataset for one regulation (each reads it against its own inputs) and scores it.
std::optional<bloc_outcome> score_on(const loaded_regulation& reg, const std::string& regulation,
                                     const data_options& opts, std::vector<dataset>& keep,
                                     std::set<std::string>& printed, int& exit_code) {
    auto data = load_data(reg, opts, exit_code, nullptr, &printed);
    if (!data) {
        return std::nullopt;
    }
    keep.push_back(std::move(*data));
    diagnostics diags;
    // With traces: the values a moved threshold compares are read from them (a unit whose value
    // now falls on the other side is named).
    auto bloc = score_bloc(*reg.checked, keep.back().units, true, diags);
    diags.sort();
    if (!diags.empty()) {
        print_err("{}", render_text(diags));
    }
    if (!bloc) {
        print_err("{}\n", tr(msg::diff_cli_scoring_failed, fmt::arg("path", regulation),
                             fmt::arg("errors", count_errors(diags.error_count())),
                             fmt::arg("data", opts.path)));
        exit_code = exit_errors;
    }
    return bloc;
}

int run_diff(const diff_args& args) {
    int code = exit_ok;
    auto old_reg = load_regulation(args.old_regulation, code);
    if (!old_reg) {
        return code;
    }
    auto new_reg = load_regulation(args.new_regulation, code);
    if (!new_reg) {
        return code;
    }
    regulation_diff d;
    d.old_path = args.old_regulation;
    d.new_path = args.new_regulation;
    d.old_title = old_reg->checked->ast->title;
    d.new_title = new_reg->checked->ast->title;
    d.places =
        std::max(display_places(*old_reg->checked->ast), display_places(*new_reg->checked->ast));
    d.changes = compare_regulations(*old_reg->checked, *new_reg->checked);
    // Units point into their dataset: keep every dataset alive until the report is written.
    std::vector<dataset> keep;
    keep.reserve(args.data.size() * 2);
    // Data made for one regulation has the columns of the fields the other adds or removes: each
    // skips what only the other declares (the change itself is reported among the changes).
    const auto only_new = fields_only_in(*new_reg->parsed.regulation, *old_reg->parsed.regulation);
    const auto only_old = fields_only_in(*old_reg->parsed.regulation, *new_reg->parsed.regulation);
    for (const auto& path : args.data) {
        const data_options old_opts{path,  args.numbers,        args.dates, only_new,
                                    "old", args.old_regulation, args.strict};
        // A warning about the data is printed once, not once per regulation.
        std::set<std::string> printed;
        auto old_bloc = score_on(*old_reg, args.old_regulation, old_opts, keep, printed, code);
        if (!old_bloc) {
            return code;
        }
        const data_options new_opts{path,  args.numbers,        args.dates, only_old,
                                    "new", args.new_regulation, args.strict};
        auto new_bloc = score_on(*new_reg, args.new_regulation, new_opts, keep, printed, code);
        if (!new_bloc) {
            return code;
        }
        d.datasets.push_back(compare_outcomes(d.changes, *old_bloc, *new_bloc, path));
    }
    std::vector<std::string> inputs;
    add_source_paths(old_reg->source, inputs);
    add_source_paths(new_reg->source, inputs);
    for (const auto& data : keep) {
        add_input_paths(data, inputs);
    }
    return emit(args.output, args.format == "json" ? diff_json(d) : diff_text(d), inputs);
}

}  // namespace

command add_diff(CLI::App& parent) {
    auto args = std::make_shared<diff_args>();
    auto* app = parent.add_subcommand("diff", tr(msg::cli_help_diff));
    app->add_option("old", args->old_regulation, tr(msg::cli_help_diff_old))->required();
    app->add_option("new", args->new_regulation, tr(msg::cli_help_diff_new))->required();
    app->add_option("--data", args->data, tr(msg::cli_help_diff_data))->required()->take_all();
    app->add_option("--numbers", args->numbers, tr(msg::cli_help_numbers))
        ->transform(spelling("point", "dot"))
        ->check(CLI::IsMember({"auto", "dot", "comma"}));
    app->add_option("--dates", args->dates, tr(msg::cli_help_dates))
        ->check(CLI::IsMember({"auto", "iso", "dmy"}));
    app->add_option("--format", args->format, tr(msg::cli_help_format_text_json))
        ->check(CLI::IsMember({"text", "json"}));
    app->add_option("-o,--output", args->output, tr(msg::cli_help_output));
    add_strict_option(*app, args->strict);
    return {app, [args]() { return run_diff(*args); }};
}

}  // namespace thidua::cli
