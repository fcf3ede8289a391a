// `thidua report`: the HTML report for a bloc meeting (engine/html_report.hpp).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "engine/html_report.hpp"
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
};

}  // namespace

command add_report(CLI::App& parent) {
    auto args = std::make_shared<report_args>();
    auto* app = parent.add_subcommand(
        "report",
        "Write the bloc's report: one self-contained HTML page to open, project or print");
    app->add_option("regulation", args->regulation, "The regulation (.tdkt)")->required();
    add_data_options(*app, args->data);
    app->add_option("-o,--output", args->output, "The HTML file to write (atomically)")->required();
    return {app, [args]() {
                if (args->output == "-") {
                    fmt::print(stderr, "thidua: report needs --output FILE.html\n");
                    return exit_usage;
                }
                int code = exit_ok;
                auto reg = load_regulation(args->regulation, code);
                if (!reg) {
                    return code;
                }
                auto data = load_data(*reg, args->data, code);
                if (!data) {
                    return code;
                }
                diagnostics diags;
                // Traced: every criterion of every unit is explained in the page.
                auto bloc = score_bloc(*reg->checked, data->units, true, diags);
                diags.sort();
                if (!diags.empty()) {
                    fmt::print(stderr, "{}", render_text(diags));
                }
                if (!bloc) {
                    fmt::print(stderr, "{}: {} while scoring; nothing was written\n",
                               args->regulation, count_errors(diags.error_count()));
                    return exit_errors;
                }
                const html_report_meta meta{sha256_hex(reg->source->text()), data_sha256(*data),
                                            THIDUA_VERSION};
                return emit(args->output, html_report(*bloc, meta));
            }};
}

}  // namespace thidua::cli
