// `thidua report`: the HTML report for a bloc meeting (engine/html_report.hpp); with `--versus
// OLD.tdkt`, also the impact of the change from OLD to the report's regulation on the report's
// data (engine/html_versus.hpp), computed as `thidua diff OLD REG` computes it.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/i18n.hpp"
#include "engine/diff.hpp"
#include "engine/explain.hpp"
#include "engine/html_report.hpp"
#include "engine/html_versus.hpp"
#include "engine/io.hpp"

#ifndef THIDUA_VERSION
#define THIDUA_VERSION "0.1.0"  // the project() version in CMakeLists.txt
#endif

namespace thidua::cli {

namespace {

struct report_args {
    std::string regulation;
    data_options data;
    std::string output;
    std::string versus;  // the regulation to compare with; "" for none
};

// The impact section: OLD loaded, checked and scored on the same data (read against OLD's own
// inputs, as `thidua diff` does), compared with the report's scored bloc. nullopt, with the
// diagnostics printed and `exit_code` set, when OLD cannot be used.
std::optional<html_section> versus_section(const report_args& args, const scored& now,
                                           const loaded_regulation* old_reg, int& exit_code) {
    // The report's data may have the columns of fields only the report's regulation declares:
    // OLD skips them, as `thidua diff` does.
    data_options opts = args.data;
    opts.ignored_fields = fields_only_in(*now.reg.parsed.regulation, *old_reg->parsed.regulation);
    opts.role = "old";
    opts.regulation = args.versus;
    // The data's warnings were printed when the report's regulation read it.
    std::set<std::string> printed;
    remember_warnings(now.data_warnings, printed);
    auto old_data = load_data(*old_reg, opts, exit_code, nullptr, &printed);
    if (!old_data) {
        return std::nullopt;
    }
    diagnostics diags;
    // With traces, as `thidua diff` scores: the values a moved threshold compares are read from
    // them on both sides (the report's own bloc is traced already).
    auto old_bloc = score_bloc(*old_reg->checked, old_data->units, true, diags);
    diags.sort();
    if (!diags.empty()) {
        print_err("{}", render_text(diags));
    }
    if (!old_bloc) {
        print_err("{}\n", tr(msg::cli_scoring_failed, fmt::arg("path", args.versus),
                             fmt::arg("errors", count_errors(diags.error_count()))));
        exit_code = exit_errors;
        return std::nullopt;
    }
    regulation_diff d;
    d.old_path = args.versus;
    d.new_path = args.regulation;
    d.old_title = old_reg->checked->ast->title;
    d.new_title = now.reg.checked->ast->title;
    d.places =
        std::max(display_places(*old_reg->checked->ast), display_places(*now.reg.checked->ast));
    d.changes = compare_regulations(*old_reg->checked, *now.reg.checked);
    d.datasets.push_back(compare_outcomes(d.changes, *old_bloc, now.bloc, args.data.path));
    return html_versus(d);
}

}  // namespace

command add_report(CLI::App& parent) {
    auto args = std::make_shared<report_args>();
    auto* app = parent.add_subcommand("report", tr(msg::cli_help_report));
    app->add_option("regulation", args->regulation, tr(msg::cli_help_regulation))->required();
    add_data_options(*app, args->data);
    app->add_option("-o,--output", args->output, tr(msg::cli_help_report_output))->required();
    app->add_option("--versus", args->versus, tr(msg::cli_help_report_versus));
    return {
        app, [args]() {
            if (args->output == "-") {
                print_err("thidua: {}\n", tr(msg::cli_report_needs_output));
                return exit_usage;
            }
            int code = exit_ok;
            // OLD first: the report's data is read knowing which fields only OLD declares.
            std::optional<loaded_regulation> old_reg;
            if (!args->versus.empty()) {
                old_reg = load_regulation(args->versus, code);
                if (!old_reg) {
                    print_err("{}\n", tr(msg::versus_cli_failed, fmt::arg("path", args->versus)));
                    return code;
                }
            }
            // Traced: every criterion of every unit is explained in the page.
            auto s = load_and_score(args->regulation, args->data, true, code,
                                    old_reg ? &*old_reg : nullptr);
            if (!s) {
                return code;
            }
            const html_report_meta meta{sha256_hex(s->reg.source->text()), data_sha256(s->data),
                                        THIDUA_VERSION, data_warnings(s->data_warnings)};
            std::vector<html_section> extra;
            if (!args->versus.empty()) {
                auto section = versus_section(*args, *s, &*old_reg, code);
                if (!section) {
                    print_err("{}\n", tr(msg::versus_cli_failed, fmt::arg("path", args->versus)));
                    return code;
                }
                extra.push_back(std::move(*section));
            }
            std::vector<std::string> inputs;
            add_source_paths(s->reg.source, inputs);
            add_input_paths(s->data, inputs);
            if (old_reg) {
                add_source_paths(old_reg->source, inputs);
            }
            return emit(args->output, html_report(s->bloc, meta, extra), inputs);
        }};
}

}  // namespace thidua::cli
