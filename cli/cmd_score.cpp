// `thidua score` and `thidua explain`.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/i18n.hpp"
#include "dsl/source.hpp"
#include "dsl/suggest.hpp"
#include "engine/io.hpp"
#include "engine/report.hpp"
#include "engine/xlsx_report.hpp"

namespace thidua::cli {

namespace {

struct score_args {
    std::string regulation;
    data_options data;
    std::string format = "text";
    std::string output;
    std::string csv_numbers;  // "comma": `;` between cells, `92,66` (Vietnamese-locale Excel)
};

struct explain_args {
    std::string regulation;
    data_options data;
    std::string unit;
    std::string versus;
    std::string criterion;
    std::string format = "text";
    std::string output;
};

std::optional<std::size_t> find_unit(const scored& s, const std::string& typed) {
    // Read as the data's names are: NFC (a name typed or pasted decomposed is the same name),
    // without surrounding spaces.
    std::string name = normalize_nfc(typed);
    const auto first = name.find_first_not_of(" \t\r\n");
    name = first == std::string::npos
               ? std::string()
               : name.substr(first, name.find_last_not_of(" \t\r\n") - first + 1);
    std::vector<std::string> raw;
    for (std::size_t i = 0; i < s.bloc.units.size(); ++i) {
        if (s.bloc.units[i]->name == name) {
            return i;
        }
        raw.push_back(s.bloc.units[i]->name);
    }
    std::vector<std::string> names;
    for (const auto& n : raw) {
        names.push_back(fmt::format("\"{}\"", n));
    }
    std::string best = closest_name(name, raw);
    if (best.empty() && !name.empty()) {
        // Part of a name (`Cái Bè` for `Phòng TN&MT huyện Cái Bè`, with or without diacritics):
        // suggested when exactly one unit's name contains it.
        const auto folded = [](std::string_view text) {
            std::string out = without_diacritics(text);
            std::transform(out.begin(), out.end(), out.begin(), [](char c) {
                return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
            });
            return out;
        };
        const std::string part = folded(name);
        std::vector<std::string> containing;
        for (const auto& n : raw) {
            if (folded(n).find(part) != std::string::npos) {
                containing.push_back(n);
            }
        }
        if (containing.size() == 1) {
            best = containing.front();
        }
    }
    print_err(
        "thidua: {}\n",
        tr(msg::cli_no_unit, fmt::arg("unit", name), fmt::arg("path", s.data.files.front()->path()),
           fmt::arg("hint", best.empty() ? std::string()
                                         : tr(msg::cli_did_you_mean_unit, fmt::arg("unit", best))),
           fmt::arg("units", fmt::format("{}", fmt::join(names, ", ")))));
    return std::nullopt;
}

}  // namespace

command add_score(CLI::App& parent) {
    auto args = std::make_shared<score_args>();
    auto* app = parent.add_subcommand("score", tr(msg::cli_help_score));
    app->add_option("regulation", args->regulation, tr(msg::cli_help_regulation))->required();
    add_data_options(*app, args->data);
    app->add_option("--format", args->format, tr(msg::cli_help_score_format))
        ->check(CLI::IsMember({"text", "json", "csv", "xlsx"}));
    app->add_option("-o,--output", args->output, tr(msg::cli_help_output));
    app->add_option("--csv-numbers", args->csv_numbers, tr(msg::cli_help_csv_numbers))
        ->transform(spelling("point", "dot"))
        ->check(CLI::IsMember({"comma", "dot"}));
    return {app, [args]() {
                if (!args->csv_numbers.empty() && args->format != "csv") {
                    print_err("thidua: {}\n",
                              tr(msg::cli_csv_numbers_needs_csv, fmt::arg("format", args->format)));
                    return exit_usage;
                }
                const bool xlsx = args->format == "xlsx";
                if (xlsx && (args->output.empty() || args->output == "-")) {
                    // A workbook is binary: never to a terminal or a pipe by accident.
                    print_err("thidua: {}\n", tr(msg::cli_xlsx_needs_output));
                    return exit_usage;
                }
                int code = exit_ok;
                // The workbook's explanations sheet is built from the traces.
                auto s = load_and_score(args->regulation, args->data, xlsx, code);
                if (!s) {
                    return code;
                }
                std::string text;
                if (xlsx) {
                    std::string error;
                    auto bytes = score_xlsx(s->bloc,
                                            {sha256_hex(s->reg.source->text()),
                                             data_sha256(s->data), data_warnings(s->data_warnings)},
                                            error);
                    if (!bytes) {
                        print_err("thidua: {}\n",
                                  tr(msg::cli_output_failed, fmt::arg("path", args->output),
                                     fmt::arg("error", error)));
                        return exit_usage;
                    }
                    text = std::move(*bytes);
                } else if (args->format == "json") {
                    // The results' warnings too: a board reading only the JSON must see them
                    // (CSV is a table: they stay on stderr, docs/cli.md).
                    text = score_json(s->bloc,
                                      {sha256_hex(s->reg.source->text()), data_sha256(s->data),
                                       data_warnings(s->data_warnings)});
                } else if (args->format == "csv") {
                    text = score_csv(s->bloc, args->csv_numbers == "comma");
                } else {
                    text = score_text(s->bloc);
                }
                std::vector<std::string> inputs;
                add_source_paths(s->reg.source, inputs);
                add_input_paths(s->data, inputs);
                return emit(args->output, text, inputs);
            }};
}

command add_explain(CLI::App& parent) {
    auto args = std::make_shared<explain_args>();
    auto* app = parent.add_subcommand("explain", tr(msg::cli_help_explain));
    app->add_option("regulation", args->regulation, tr(msg::cli_help_regulation))->required();
    add_data_options(*app, args->data);
    app->add_option("--unit", args->unit, tr(msg::cli_help_unit))->required();
    app->add_option("--versus", args->versus, tr(msg::cli_help_explain_versus));
    app->add_option("--criterion", args->criterion, tr(msg::cli_help_criterion))
        ->excludes("--versus");
    app->add_option("--format", args->format, tr(msg::cli_help_format_text_json))
        ->check(CLI::IsMember({"text", "json"}));
    app->add_option("-o,--output", args->output, tr(msg::cli_help_output));
    return {
        app, [args]() {
            int code = exit_ok;
            auto s = load_and_score(args->regulation, args->data, true, code);
            if (!s) {
                return code;
            }
            const auto unit = find_unit(*s, args->unit);
            if (!unit) {
                return exit_usage;
            }
            // The top-level "warnings" of the JSON: the results' W201, W202.
            const auto warnings = data_warnings(s->data_warnings);
            std::vector<std::string> inputs;
            add_source_paths(s->reg.source, inputs);
            add_input_paths(s->data, inputs);
            std::optional<std::string> criterion;
            if (!args->criterion.empty()) {
                criterion = args->criterion;
                bool known = false;
                std::vector<std::string> ids;
                for (const auto& c : s->reg.checked->criteria) {
                    known = known || c.node->id == args->criterion;
                    ids.push_back(c.node->id);
                }
                if (!known) {
                    // `iii.2` for `III.2`: the id that differs only by letter case, else
                    // the closest id; else every id, in regulation order.
                    const auto folded = [](std::string t) {
                        for (auto& ch : t) {
                            ch = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
                        }
                        return t;
                    };
                    auto best = closest_name(args->criterion, ids);
                    for (const auto& id : ids) {
                        if (folded(id) == folded(args->criterion)) {
                            best = id;
                        }
                    }
                    const auto hint =
                        !best.empty()
                            ? tr(msg::checker_did_you_mean, fmt::arg("name", best))
                            : tr(msg::cli_criteria_are,
                                 fmt::arg("ids", fmt::format("{}", fmt::join(ids, ", "))));
                    print_err("thidua: {}\n",
                              tr(msg::cli_no_criterion, fmt::arg("criterion", args->criterion),
                                 fmt::arg("path", args->regulation), fmt::arg("hint", hint)));
                    return exit_usage;
                }
            }
            if (!args->versus.empty()) {
                const auto other = find_unit(*s, args->versus);
                if (!other) {
                    return exit_usage;
                }
                if (*other == *unit) {
                    print_err("thidua: {}\n", tr(msg::cli_versus_same_unit,
                                                 fmt::arg("unit", s->bloc.units[*unit]->name)));
                    return exit_usage;
                }
                return emit(args->output,
                            args->format == "json" ? versus_json(s->bloc, *unit, *other, warnings)
                                                   : versus_text(s->bloc, *unit, *other),
                            inputs);
            }
            return emit(args->output,
                        args->format == "json" ? explain_json(s->bloc, *unit, criterion, warnings)
                                               : explain_text(s->bloc, *unit, criterion),
                        inputs);
        }};
}

}  // namespace thidua::cli
