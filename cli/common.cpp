#include "cli/common.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>

#include "cli/commands.hpp"
#include "dsl/i18n.hpp"
#include "engine/amend.hpp"
#include "engine/io.hpp"

namespace thidua::cli {

std::optional<loaded_regulation> load_regulation(const std::string& path, int& exit_code) {
    std::string error;
    auto src = source_file::load(path, error);
    if (!src) {
        fmt::print(stderr, "thidua: {}: {}\n", path, error);
        exit_code = exit_usage;
        return std::nullopt;
    }
    loaded_regulation r;
    r.source = src;
    r.parsed = parse(src);
    // An amendment becomes the regulation it describes: the base merged with its changes.
    apply_amendments(r.parsed);
    if (r.parsed.regulation) {
        r.source = r.parsed.regulation->file;
    }
    diagnostics diags = r.parsed.diags;
    if (r.parsed.regulation && !r.parsed.diags.has_errors()) {
        r.checked = check(*r.parsed.regulation, diags);
    }
    diags.sort();
    if (!diags.empty()) {
        fmt::print(stderr, "{}", render_text(diags));
    }
    if (!r.checked) {
        fmt::print(stderr, "{}\n",
                   tr(msg::cli_nothing_scored, fmt::arg("path", path),
                      fmt::arg("errors", count_errors(diags.error_count()))));
        exit_code = exit_errors;
        return std::nullopt;
    }
    return r;
}

void add_data_options(CLI::App& app, data_options& opts) {
    app.add_option("--data", opts.path,
                   "Results: a directory (units.csv + <list>.csv), a .csv file or a .json file")
        ->required();
    app.add_option("--numbers", opts.numbers,
                   "How decimals are written in CSV: auto, dot (1234.5) or comma (1.234,5)")
        ->check(CLI::IsMember({"auto", "dot", "comma"}));
    app.add_option("--dates", opts.dates, "How dates are written: auto, iso or dmy (dd/mm/yyyy)")
        ->check(CLI::IsMember({"auto", "iso", "dmy"}));
    add_strict_option(app, opts.strict);
}

void add_strict_option(CLI::App& app, bool& strict) {
    app.add_flag("--strict", strict,
                 "Treat the results' warnings (W201-W203) as errors: print them, write nothing, "
                 "exit 1");
}

namespace {

std::string warning_key(const diagnostic& d) {
    return fmt::format("{}\n{}\n{}\n{}", d.code, d.file ? d.file->path() : std::string(),
                       d.where.begin, d.message);
}

}  // namespace

void remember_warnings(const diagnostics& diags, std::set<std::string>& printed) {
    for (const auto& d : diags.items()) {
        if (d.level == severity::warning) {
            printed.insert(warning_key(d));
        }
    }
}

std::optional<dataset> load_data(const loaded_regulation& reg, const data_options& opts,
                                 int& exit_code, diagnostics* warnings,
                                 std::set<std::string>* printed) {
    load_options lo;
    lo.numbers = *parse_number_style(opts.numbers);
    lo.dates = *parse_date_style(opts.dates);
    lo.ignored_fields = opts.ignored_fields;
    diagnostics diags;
    // In the loader's order (the units file first, its errors being the cause of list files'):
    // not sorted again.
    auto data = load_results(*reg.parsed.regulation, opts.path, lo, diags);
    if (printed != nullptr) {
        // The same warning about the same data, found again under the other regulation.
        diagnostics shown;
        for (const auto& d : diags.items()) {
            if (d.level != severity::warning || printed->insert(warning_key(d)).second) {
                shown.add(d);
            }
        }
        if (!shown.empty()) {
            fmt::print(stderr, "{}", render_text(shown));
        }
    } else if (!diags.empty()) {
        fmt::print(stderr, "{}", render_text(diags));
    }
    if (warnings != nullptr) {
        for (const auto& d : diags.items()) {
            if (d.level == severity::warning) {
                warnings->add(d);
            }
        }
    }
    if (!data) {
        // A results path that cannot be used at all (E200) is a usage error, like an unreadable
        // regulation; anything wrong inside the files is an input error.
        const bool unusable = std::any_of(diags.items().begin(), diags.items().end(),
                                          [](const diagnostic& d) { return d.code == "E200"; });
        if (opts.role.empty()) {
            fmt::print(stderr, "{}\n",
                       tr(msg::cli_nothing_scored_results, fmt::arg("path", opts.path),
                          fmt::arg("errors", count_errors(diags.error_count()))));
        } else {
            // A comparison reads the data twice: say under which regulation it failed.
            fmt::print(
                stderr, "{}\n",
                tr(opts.role == "old" ? msg::cli_results_old_failed : msg::cli_results_new_failed,
                   fmt::arg("path", opts.path),
                   fmt::arg("errors", count_errors(diags.error_count())),
                   fmt::arg("regulation", opts.regulation)));
        }
        exit_code = unusable ? exit_usage : exit_errors;
        return std::nullopt;
    }
    if (opts.strict && diags.warning_count() > 0) {
        // Printed above as usual; nothing is scored, so no output is written or printed.
        const auto warned = tr_n(msg::cli_count_warnings, diags.warning_count());
        fmt::print(stderr, "{}\n",
                   tr(opts.role.empty() ? msg::cli_strict_not_scored : msg::cli_strict_not_compared,
                      fmt::arg("path", opts.path), fmt::arg("warnings", warned)));
        exit_code = exit_errors;
        return std::nullopt;
    }
    return data;
}

std::set<std::string> fields_only_in(const ast::regulation& a, const ast::regulation& b) {
    std::set<std::string> out;
    for (const auto& f : a.inputs) {
        const auto other = std::find_if(b.inputs.begin(), b.inputs.end(),
                                        [&](const ast::field_decl& g) { return g.name == f.name; });
        if (other == b.inputs.end()) {
            out.insert(f.name);
            continue;
        }
        // The same list in both: the fields of its elements only `a` declares.
        if (f.type.what == ast::type_ref::kind::list
            && other->type.what == ast::type_ref::kind::list) {
            for (const auto& sub : f.type.fields) {
                if (std::none_of(other->type.fields.begin(), other->type.fields.end(),
                                 [&](const ast::field_decl& g) { return g.name == sub.name; })) {
                    out.insert(f.name + "." + sub.name);
                }
            }
        }
    }
    return out;
}

std::unique_ptr<scored> load_and_score(const std::string& path, const data_options& dopts,
                                       bool trace, int& exit_code,
                                       const loaded_regulation* versus) {
    auto reg = load_regulation(path, exit_code);
    if (!reg) {
        return nullptr;
    }
    diagnostics warnings;
    data_options opts = dopts;
    if (versus != nullptr) {
        opts.ignored_fields = fields_only_in(*versus->parsed.regulation, *reg->parsed.regulation);
        opts.role = "new";
        opts.regulation = path;
    }
    auto data = load_data(*reg, opts, exit_code, &warnings);
    if (!data) {
        return nullptr;
    }
    auto out = std::make_unique<scored>(
        scored{std::move(*reg), std::move(*data), {}, std::move(warnings)});
    diagnostics diags;
    auto bloc = score_bloc(*out->reg.checked, out->data.units, trace, diags);
    diags.sort();
    if (!diags.empty()) {
        fmt::print(stderr, "{}", render_text(diags));
    }
    if (!bloc) {
        fmt::print(stderr, "{}\n",
                   tr(msg::cli_scoring_failed, fmt::arg("path", path),
                      fmt::arg("errors", count_errors(diags.error_count()))));
        exit_code = exit_errors;
        return nullptr;
    }
    out->bloc = std::move(*bloc);
    return out;
}

std::string data_sha256(const dataset& data) {
    if (data.files.size() == 1) {
        return sha256_hex(data.files.front()->text());
    }
    std::string manifest;
    for (const auto& f : data.files) {
        // File names only: the hash must not depend on the directory the command ran from.
        manifest += fmt::format("{}  {}\n", sha256_hex(f->text()),
                                std::filesystem::path(f->path()).filename().string());
    }
    return sha256_hex(manifest);
}

std::string count_errors(std::size_t n) {
    return tr_n(msg::cli_count_errors, n);
}

int emit(const std::string& output, const std::string& content) {
    if (output.empty() || output == "-") {
        fmt::print("{}", content);
        return exit_ok;
    }
    const std::string err = write_file_atomically(output, content);
    if (!err.empty()) {
        fmt::print(stderr, "thidua: {}\n", err);
        return exit_usage;
    }
    return exit_ok;
}

bool is_test_file(const std::string& path) {
    constexpr std::string_view suffix = ".test.tdkt";
    return path.size() >= suffix.size()
           && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace thidua::cli
