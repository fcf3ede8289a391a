// `thidua report`: the HTML report for a bloc meeting (engine/html_report.hpp).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/i18n.hpp"
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
                    fmt::print(stderr, "thidua: {}\n", tr(msg::cli_report_needs_output));
                    return exit_usage;
                }
                int code = exit_ok;
                // Traced: every criterion of every unit is explained in the page.
                auto s = load_and_score(args->regulation, args->data, true, code);
                if (!s) {
                    return code;
                }
                const html_report_meta meta{sha256_hex(s->reg.source->text()), data_sha256(s->data),
                                            THIDUA_VERSION};
                return emit(args->output, html_report(s->bloc, meta));
            }};
}

}  // namespace thidua::cli
