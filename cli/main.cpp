// thidua: the command line. A thin dispatcher; each subcommand lives in its own cmd_*.cpp.
//
// Exit codes: 0 success, 1 errors in the input, 2 usage errors or unreadable files.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "dsl/i18n.hpp"
#include "dsl/suggest.hpp"

#ifndef THIDUA_VERSION
#define THIDUA_VERSION "0.1.0"  // the project() version in CMakeLists.txt
#endif

namespace {

// The first word that is neither an option nor an option's value, when it names no subcommand
// (`thidua sore ...`): CLI11 would only say "A subcommand is required".
std::optional<std::string> unknown_command(int argc, char** argv,
                                           const std::vector<thidua::cli::command>& commands) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--lang" || a == "--decimal") {
            ++i;  // its value
            continue;
        }
        if (a.empty() || a.front() == '-') {
            continue;
        }
        for (const auto& c : commands) {
            if (c.app->get_name() == a) {
                return std::nullopt;
            }
        }
        return std::string(a);
    }
    return std::nullopt;
}

void report_unknown_command(const std::string& word,
                            const std::vector<thidua::cli::command>& commands) {
    std::vector<std::string> names;
    for (const auto& c : commands) {
        names.push_back(c.app->get_name());
    }
    const std::string best = thidua::closest_name(word, names);
    std::string list;
    for (const auto& n : names) {
        list += (list.empty() ? "" : ", ") + n;
    }
    fmt::print(stderr, "{}\n",
               best.empty()
                   ? thidua::tr(thidua::msg::cli_unknown_command, fmt::arg("name", word),
                                fmt::arg("commands", list))
                   : thidua::tr(thidua::msg::cli_unknown_command_suggest, fmt::arg("name", word),
                                fmt::arg("suggestion", best), fmt::arg("commands", list)));
}

// A path given without its option (`thidua score reg.tdkt data/`): a word after the subcommand
// that is neither an option nor an option's value, names a directory or a results file, and is
// not the regulation.
std::optional<std::string> stray_data_path(int argc, char** argv) {
    namespace fs = std::filesystem;
    for (int i = 2; i < argc; ++i) {
        const std::string_view a = argv[i];
        const std::string_view before = argv[i - 1];
        if (a.empty() || a.front() == '-' || (before.size() > 1 && before.front() == '-')) {
            continue;
        }
        const fs::path p{std::string(a)};
        std::error_code ec;
        const auto ext = p.extension().string();
        if (fs::is_directory(p, ec) || ext == ".csv" || ext == ".json") {
            return std::string(a);
        }
    }
    return std::nullopt;
}

// CLI11's messages for a missing option or an extra argument are in English and name no command;
// these two are the ones users meet, so they get the language of the messages and a hint.
// Other parse errors keep CLI11's wording.
bool report_parse_error(const CLI::ParseError& e, const CLI::App& app, int argc, char** argv) {
    const CLI::App* sub = nullptr;
    for (const auto* s : app.get_subcommands()) {
        sub = s;
    }
    if (sub == nullptr) {
        return false;
    }
    const std::string command = sub->get_name();
    const std::string what = e.what();
    static constexpr std::string_view required = " is required";
    static constexpr std::string_view expected = " expected: ";
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && what.size() > required.size()
        && what.compare(what.size() - required.size(), required.size(), required) == 0
        && what.find(' ') == what.size() - required.size()) {
        const std::string name = what.substr(0, what.size() - required.size());
        fmt::print(stderr, "{}\n",
                   thidua::tr(name.front() == '-' ? thidua::msg::cli_required
                                                  : thidua::msg::cli_required_argument,
                              fmt::arg("command", command), fmt::arg("name", name)));
        if (name == "--data") {
            if (const auto path = stray_data_path(argc, argv)) {
                fmt::print(
                    stderr, "{}\n",
                    thidua::tr(thidua::msg::cli_required_data_hint, fmt::arg("path", *path)));
            }
        }
    } else if (const auto at = what.find(expected);
               dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && at != std::string::npos) {
        fmt::print(stderr, "{}\n",
                   thidua::tr(thidua::msg::cli_not_expected, fmt::arg("command", command),
                              fmt::arg("args", what.substr(at + expected.size()))));
    } else {
        return false;
    }
    fmt::print(stderr, "{}\n", thidua::tr(thidua::msg::cli_run_help, fmt::arg("command", command)));
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"thidua: scoring regulations for emulation blocs (khối thi đua)"};
    app.set_version_flag("--version", std::string("thidua ") + THIDUA_VERSION);
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "Developer logging on stderr");
    app.require_subcommand(1);
    // Messages in Vietnamese or English (docs/i18n.md); accepted before or after the subcommand
    // (fallthrough, inherited by the subcommands added below).
    std::string lang;
    app.add_option("--lang", lang,
                   "Language of messages: vi or en (default: from LC_ALL, LC_MESSAGES, LANG)")
        ->check(CLI::Validator(
            [](std::string& value) -> std::string {
                if (thidua::parse_language(value)) {
                    return {};
                }
                // `vn` (the country), `VI`, `vi_VN`, `viet`: the code of the language is `vi`.
                const char first = value.empty() ? ' ' : value.front();
                const char* hint = first == 'v' || first == 'V'   ? "; did you mean vi?"
                                   : first == 'e' || first == 'E' ? "; did you mean en?"
                                                                  : "";
                return value + " not in {vi,en}" + hint;
            },
            "{vi,en}"));
    // The decimal mark of numbers written for people (docs/i18n.md); default: the language's.
    std::string decimal;
    app.add_option("--decimal", decimal,
                   "Decimal mark of numbers in tables, sentences and the board's documents: "
                   "comma (94,63) or point (94.63) (default: comma in Vietnamese, point in "
                   "English; JSON, CSV cells and formulas always use the point)")
        ->check(CLI::IsMember({"comma", "point"}));
    app.fallthrough();

    // The subcommand table: add new subcommands here, one per line.
    // clang-format off
    std::vector<thidua::cli::command> commands = {
        thidua::cli::add_check(app),
        thidua::cli::add_score(app),
        thidua::cli::add_explain(app),
        thidua::cli::add_report(app),
        thidua::cli::add_fmt(app),
        thidua::cli::add_diff(app),
        thidua::cli::add_test(app),
    };
    // clang-format on

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (app.get_subcommands().empty() && e.get_exit_code() != 0) {
            if (const auto word = unknown_command(argc, argv, commands)) {
                thidua::set_language(lang.empty() || !thidua::parse_language(lang)
                                         ? thidua::language_from_environment()
                                         : *thidua::parse_language(lang));
                report_unknown_command(*word, commands);
                return thidua::cli::exit_usage;
            }
        }
        if (e.get_exit_code() != 0) {
            thidua::set_language(lang.empty() || !thidua::parse_language(lang)
                                     ? thidua::language_from_environment()
                                     : *thidua::parse_language(lang));
            if (report_parse_error(e, app, argc, argv)) {
                return thidua::cli::exit_usage;
            }
        }
        const int code = app.exit(e);
        return code == 0 ? 0 : thidua::cli::exit_usage;
    }

    // Set once, before any message is made; the libraries only read it.
    thidua::set_language(lang.empty() ? thidua::language_from_environment()
                                      : *thidua::parse_language(lang));
    thidua::set_decimal_mark(thidua::parse_decimal_mark(decimal));

    // Developer logging only: user-facing output never goes through spdlog.
    auto logger = spdlog::stderr_logger_st("thidua");
    logger->set_pattern("[%H:%M:%S.%e] [%l] %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);

    for (const auto& c : commands) {
        if (c.app->parsed()) {
            return c.run();
        }
    }
    return thidua::cli::exit_usage;
}
