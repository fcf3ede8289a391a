// The subcommands of `thidua`. Each lives in its own cmd_*.cpp and registers itself on the CLI11
// app; main.cpp only builds the table and runs the chosen one.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace thidua::cli {

/// Exit codes shared by every subcommand.
inline constexpr int exit_ok = 0;      // success (warnings allowed)
inline constexpr int exit_errors = 1;  // the input has errors
inline constexpr int exit_usage = 2;   // bad command line, unreadable file

/// A registered subcommand: its CLI11 sub-app and what runs when it was chosen.
struct command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

/// `thidua check FILE... [--format text|json] [--dump-ast]`
command add_check(CLI::App& parent);

/// `thidua score REG --data PATH [--format text|json|csv] [--output FILE]`
command add_score(CLI::App& parent);

/// `thidua explain REG --data PATH --unit NAME [--criterion ID] [--versus NAME] [--format ...]`
command add_explain(CLI::App& parent);

/// `thidua report REG --data PATH --output FILE.html`
command add_report(CLI::App& parent);
/// `thidua fmt FILE... [--check] [--lang vi|en] [--stdout]`
command add_fmt(CLI::App& parent);
/// `thidua diff OLD NEW --data PATH... [--format text|json] [--output FILE]`
command add_diff(CLI::App& parent);
/// `thidua test PATH... [--coverage] [--min-coverage N] [--format text|junit] [--output FILE]`
command add_test(CLI::App& parent);

}  // namespace thidua::cli
