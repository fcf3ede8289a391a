// `thidua test PATH... [--coverage] [--min-coverage N] [--format text|junit] [--output FILE]`:
// runs the tests written in the language (docs/testing.md).
//
// PATHs are test files (`*.test.tdkt`), regulations with `test` blocks, or directories searched
// recursively for both; files run in byte order of their paths, tests in the order written.
// Each regulation is read and checked once, however many test files name it. Exit codes: 0 all
// passed, 1 a test failed (or coverage is under --min-coverage), 2 a file could not be read or is
// invalid (its tests are not run; the others still are).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dsl/i18n.hpp"
#include "engine/amend.hpp"
#include "engine/coverage.hpp"
#include "engine/io.hpp"
#include "engine/testing.hpp"

namespace thidua::cli {

namespace {

namespace fs = std::filesystem;

struct test_args {
    std::vector<std::string> paths;
    bool coverage = false;
    std::string min_coverage;
    std::string format = "text";
    std::string output;
    bool strict = false;  // the results' warnings (W2xx) in a test's data stop its file's tests
    std::string explain = "brief";  // a failure's explanation: brief or full (explanation_detail)
};

// A regulation read and checked once per run.
struct regulation_entry {
    source_ptr source;
    parse_result parsed;
    // The `test` blocks written in this file, and the file they are in (for an amendment, the
    // amending file; the merged regulation has its own combined source).
    std::vector<ast::test_decl> tests;
    source_ptr tests_source;
    std::unique_ptr<checked_regulation> checked;
    std::unique_ptr<rule_coverage> coverage;
};

class runner {
  public:
    explicit runner(const test_args& args) : args_(args) {}
    int run();

  private:
    bool collect(std::vector<std::string>& files);
    std::vector<std::string> test_files_beside(const std::string& regulation_path) const;
    regulation_entry* regulation(const std::string& path, const source_ptr& from, span where,
                                 bool print_warnings);
    void run_tests(regulation_entry& reg, const std::vector<ast::test_decl>& tests,
                   const source_ptr& file);
    void test_file(const std::string& path);
    void regulation_file(const std::string& path, bool named);
    void print(const diagnostics& d) {
        if (!d.empty()) {
            print_err("{}", render_text(d));
        }
    }

    const test_args& args_;
    std::map<std::string, std::unique_ptr<regulation_entry>> regulations_;
    std::vector<regulation_entry*> order_;  // coverage reports in order of first use
    // A deque: the prepared tests point into these ASTs, and more may be added while running.
    std::deque<test_parse_result> test_files_;
    std::vector<test_outcome> results_;
    std::set<std::string> collected_;  // the files this run goes through anyway
    std::vector<std::string> read_;    // every test file read (--output must not be one)
    bool invalid_ = false;
};

bool runner::collect(std::vector<std::string>& files) {
    std::set<std::string> seen;
    bool ok = true;
    for (const auto& p : args_.paths) {
        std::error_code ec;
        const auto st = fs::status(p, ec);
        if (ec || !fs::exists(st)) {
            print_err("{}\n", tr(msg::test_cli_no_path, fmt::arg("path", p)));
            ok = false;
            continue;
        }
        if (fs::is_directory(st)) {
            std::vector<std::string> found;
            for (auto it = fs::recursive_directory_iterator(p, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (it->is_regular_file() && it->path().extension() == ".tdkt") {
                    found.push_back(it->path().generic_string());
                }
            }
            if (ec) {
                print_err("thidua: {}: {}\n", p, ec.message());
                ok = false;
            }
            std::sort(found.begin(), found.end());
            for (auto& f : found) {
                if (seen.insert(f).second) {
                    files.push_back(std::move(f));
                }
            }
        } else if (seen.insert(p).second) {
            files.push_back(p);
        }
    }
    return ok;
}

// The test files beside a regulation (`*.test.tdkt` in its directory) whose `tests for "..."`
// names it, in byte order (those this run goes through anyway included). A file beside it that
// cannot be read or parsed is left out too: it may be a draft for another regulation, and naming
// it or its directory reports its errors.
std::vector<std::string> runner::test_files_beside(const std::string& regulation_path) const {
    std::error_code ec;
    const fs::path dir = fs::path(regulation_path).parent_path();
    const std::string target = fs::weakly_canonical(regulation_path, ec).generic_string();
    std::vector<std::string> beside;
    for (auto it = fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec);
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = (dir / it->path().filename()).generic_string();
        if (it->is_regular_file() && is_test_file(name)) {
            beside.push_back(name);
        }
    }
    std::sort(beside.begin(), beside.end());
    std::vector<std::string> naming;
    for (const auto& t : beside) {
        std::string error;
        auto src = source_file::load(t, error);
        if (!src) {
            continue;
        }
        const auto parsed = parse_tests(src);
        if (!parsed.tests || parsed.diags.has_errors()) {
            continue;
        }
        const fs::path named = fs::path(t).parent_path() / parsed.tests->regulation_path;
        std::error_code named_ec;
        if (fs::weakly_canonical(named, named_ec).generic_string() == target && !named_ec) {
            naming.push_back(t);
        }
    }
    return naming;
}

regulation_entry* runner::regulation(const std::string& path, const source_ptr& from, span where,
                                     bool print_warnings) {
    std::error_code ec;
    const std::string key = fs::weakly_canonical(path, ec).generic_string();
    auto it = regulations_.find(key);
    if (it == regulations_.end()) {
        auto e = std::make_unique<regulation_entry>();
        std::string error;
        e->source = source_file::load(path, error);
        if (e->source) {
            e->parsed = parse(e->source);
            if (e->parsed.regulation) {
                e->tests = std::move(e->parsed.regulation->tests);
                e->parsed.regulation->tests.clear();
                e->tests_source = e->source;
            }
            // An amendment is tested as the regulation it describes: its base merged with it
            // (the base's own tests are not the amendment's and are not run here).
            apply_amendments(e->parsed);
            if (e->parsed.regulation) {
                e->source = e->parsed.regulation->file;
            }
            diagnostics diags = e->parsed.diags;
            if (e->parsed.regulation && !diags.has_errors()) {
                e->checked = check(*e->parsed.regulation, diags);
            }
            diags.sort();
            if (print_warnings || diags.has_errors()) {
                print(diags);
            }
            if (!e->checked && !from) {
                // A regulation that parsed has no tests when its list is empty; one that did not
                // parse may have had some.
                const bool no_tests = e->parsed.regulation && e->tests.empty();
                print_err("{}\n", tr(no_tests ? msg::test_cli_regulation_not_checked
                                              : msg::test_cli_file_not_run,
                                     fmt::arg("path", path),
                                     fmt::arg("errors", count_errors(diags.error_count()))));
            }
            if (e->checked && args_.coverage) {
                e->coverage = std::make_unique<rule_coverage>(*e->checked);
            }
        } else {
            diagnostics d;
            if (from) {
                d.error("E420", from, where,
                        tr(msg::test_cli_bad_regulation_read, fmt::arg("path", path),
                           fmt::arg("error", error)));
                print(d);
            } else {
                print_err("thidua: {}: {}\n", path, error);
            }
        }
        it = regulations_.emplace(key, std::move(e)).first;
    }
    regulation_entry* r = it->second.get();
    if (!r->checked) {
        if (r->source && from) {
            diagnostics d;
            d.error("E421", from, where,
                    tr(msg::test_cli_regulation_errors, fmt::arg("path", path)));
            print(d);
        }
        return nullptr;
    }
    return r;
}

void runner::run_tests(regulation_entry& reg, const std::vector<ast::test_decl>& tests,
                       const source_ptr& file) {
    diagnostics diags;
    auto prepared = prepare_tests(*reg.checked, tests, file, diags);
    print(diags);
    if (diags.has_errors()) {
        print_err("{}\n", tr(msg::test_cli_tests_not_run, fmt::arg("path", file->path()),
                             fmt::arg("errors", count_errors(diags.error_count()))));
        invalid_ = true;
        return;
    }
    const auto results_warnings = static_cast<std::size_t>(
        std::count_if(diags.items().begin(), diags.items().end(), [](const diagnostic& d) {
            return d.level == severity::warning && d.code.rfind("W2", 0) == 0;
        }));
    if (args_.strict && results_warnings > 0) {
        // As an error in the test's data would: the file's tests are not run (exit 2).
        print_err("{}\n",
                  tr(msg::test_cli_strict_not_run, fmt::arg("path", file->path()),
                     fmt::arg("warnings", tr_n(msg::cli_count_warnings, results_warnings))));
        invalid_ = true;
        return;
    }
    // Coverage is reported for the regulations whose tests ran, in the order they first ran.
    if (std::find(order_.begin(), order_.end(), &reg) == order_.end()) {
        order_.push_back(&reg);
    }
    for (const auto& t : prepared) {
        results_.push_back(run_test(
            *reg.checked, t, reg.coverage.get(),
            args_.explain == "full" ? explanation_detail::full : explanation_detail::brief));
    }
}

void runner::test_file(const std::string& path) {
    read_.push_back(path);
    std::string error;
    auto src = source_file::load(path, error);
    if (!src) {
        print_err("thidua: {}: {}\n", path, error);
        invalid_ = true;
        return;
    }
    auto& parsed = test_files_.emplace_back(parse_tests(src));
    print(parsed.diags);
    if (!parsed.tests || parsed.diags.has_errors()) {
        print_err("{}\n", tr(msg::test_cli_file_not_run, fmt::arg("path", path),
                             fmt::arg("errors", count_errors(parsed.diags.error_count()))));
        invalid_ = true;
        return;
    }
    const auto& tf = *parsed.tests;
    const std::string reg_path =
        (fs::path(path).parent_path() / tf.regulation_path).lexically_normal().generic_string();
    regulation_entry* reg = regulation(reg_path, src, tf.regulation_span, false);
    if (!reg) {
        invalid_ = true;
        return;
    }
    run_tests(*reg, tf.tests, src);
}

void runner::regulation_file(const std::string& path, bool named) {
    regulation_entry* reg = regulation(path, nullptr, {}, named);
    if (!reg) {
        invalid_ = true;
        return;
    }
    if (reg->tests.empty()) {
        // Named on the command line, a regulation whose tests are kept in a file beside it is
        // tested with that file: "test this regulation" should not need to know where they are.
        const auto beside = named ? test_files_beside(path) : std::vector<std::string>{};
        for (const auto& t : beside) {
            if (collected_.count(t) == 0) {
                test_file(t);
            }
        }
        if (named && beside.empty()) {
            print_err("{}\n", tr(msg::test_cli_no_tests_here, fmt::arg("path", path)));
        }
        return;
    }
    run_tests(*reg, reg->tests, reg->tests_source);
}

int runner::run() {
    std::optional<number> minimum;
    if (!args_.min_coverage.empty()) {
        // `85,5` as the Vietnamese output writes it (docs/i18n.md) is the same as `85.5`.
        std::string text = args_.min_coverage;
        if (std::count(text.begin(), text.end(), ',') == 1 && text.find('.') == std::string::npos) {
            text[text.find(',')] = '.';
        }
        minimum = number::parse(text);
        if (!minimum || minimum->sign() < 0 || number(100) < *minimum) {
            print_err("{}\n", tr(msg::test_cli_bad_minimum, fmt::arg("value", args_.min_coverage)));
            return exit_usage;
        }
    }
    std::vector<std::string> files;
    if (!collect(files)) {
        invalid_ = true;
    }
    std::set<std::string> named(args_.paths.begin(), args_.paths.end());
    collected_.insert(files.begin(), files.end());
    for (const auto& f : files) {
        if (is_test_file(f)) {
            test_file(f);
        } else {
            regulation_file(f, named.count(f) != 0);
        }
    }
    if (results_.empty() && !invalid_) {
        print_err("{}\n", tr(msg::test_cli_no_tests,
                             fmt::arg("paths", fmt::format("{}", fmt::join(args_.paths, ", ")))));
        return exit_usage;
    }
    std::string text = render_test_text(results_);
    bool below = false;
    if (args_.coverage) {
        for (const auto* r : order_) {
            text += "\n" + r->coverage->report_text();
            if (minimum && !r->coverage->at_least(*minimum)) {
                text += tr(msg::test_cli_below_minimum, fmt::arg("path", r->source->path()),
                           fmt::arg("minimum", decimal(minimum->exact_string())))
                        + "\n";
                below = true;
            }
        }
    }
    // The files read: the output may be none of them.
    std::vector<std::string> inputs = read_;
    inputs.insert(inputs.end(), files.begin(), files.end());
    for (const auto& [key, entry] : regulations_) {
        add_source_paths(entry->source, inputs);
        add_source_paths(entry->tests_source, inputs);
    }
    int code = exit_ok;
    if (args_.format == "junit") {
        code = emit(args_.output, render_test_junit(results_), inputs);
        if (code == exit_ok && !args_.output.empty() && args_.output != "-") {
            print_out(text);
        }
    } else {
        code = emit(args_.output, text, inputs);
    }
    if (code != exit_ok || invalid_) {
        return exit_usage;
    }
    const bool failed = std::any_of(results_.begin(), results_.end(),
                                    [](const test_outcome& r) { return !r.passed(); });
    return failed || below ? exit_errors : exit_ok;
}

}  // namespace

command add_test(CLI::App& parent) {
    auto args = std::make_shared<test_args>();
    auto* app = parent.add_subcommand("test", tr(msg::cli_help_test));
    app->add_option("paths", args->paths, tr(msg::cli_help_test_paths))->required();
    app->add_flag("--coverage", args->coverage, tr(msg::cli_help_test_coverage));
    app->add_option("--min-coverage", args->min_coverage, tr(msg::cli_help_test_min_coverage));
    app->add_option("--format", args->format, tr(msg::cli_help_test_format))
        ->check(CLI::IsMember({"text", "junit"}));
    app->add_option("-o,--output", args->output, tr(msg::cli_help_test_output));
    app->add_flag("--strict", args->strict, tr(msg::cli_help_test_strict));
    app->add_option("--explain", args->explain, tr(msg::cli_help_test_explain))
        ->check(CLI::IsMember({"brief", "full"}));
    return {app, [args]() {
                if (!args->min_coverage.empty()) {
                    args->coverage = true;
                }
                runner r(*args);
                return r.run();
            }};
}

}  // namespace thidua::cli
