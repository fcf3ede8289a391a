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
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
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
    thidua::cli::print_err(
        "{}\n", best.empty()
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

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

// The allowed value a rejected one was meant to be: the same in other case (`JSON`), else the only
// one with its first letter (`vn`, the country, for `vi`, the language; `jsn` for `json`), else
// the closest; "" when none is.
std::string suggest_value(std::string_view value, const std::vector<std::string>& allowed) {
    const std::string lower = ascii_lower(value);
    std::vector<std::string> same_letter;
    for (const auto& a : allowed) {
        if (a == lower) {
            return a;
        }
        if (!lower.empty() && a.front() == lower.front()) {
            same_letter.push_back(a);
        }
    }
    return same_letter.size() == 1 ? same_letter.front() : thidua::closest_name(lower, allowed);
}

// "1,2,3" -> {"1", "2", "3"}.
std::vector<std::string> split_commas(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t begin = 0;;) {
        const std::size_t end = text.find(',', begin);
        out.emplace_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
        if (end == std::string_view::npos) {
            return out;
        }
        begin = end + 1;
    }
}

// "did you mean" lines for the extra arguments that look like long options (`--fromat`) of
// `sub` (or, falling through, of the top level) and are close to one.
void report_unknown_options(std::string_view extras, const CLI::App& sub, const CLI::App& top) {
    std::vector<std::string> names;
    for (const CLI::App* a : {&sub, &top}) {
        for (const CLI::Option* opt : a->get_options()) {
            names.insert(names.end(), opt->get_lnames().begin(), opt->get_lnames().end());
        }
    }
    std::size_t begin = 0;
    while (begin < extras.size()) {
        std::size_t end = extras.find(' ', begin);
        end = end == std::string_view::npos ? extras.size() : end;
        const std::string_view word = extras.substr(begin, end - begin);
        begin = end + 1;
        if (!starts_with(word, "--") || word.size() < 3) {
            continue;
        }
        const std::string option(word.substr(0, word.find('=')));
        const std::string best = thidua::closest_name(option.substr(2), names);
        if (!best.empty()) {
            thidua::cli::print_err(
                "{}\n", thidua::tr(thidua::msg::cli_usage_unknown_option,
                                   fmt::arg("option", option), fmt::arg("command", sub.get_name()),
                                   fmt::arg("suggestion", "--" + best)));
        }
    }
}

template <typename T>
bool is(const CLI::ParseError& e) {
    return dynamic_cast<const T*>(&e) != nullptr;
}

// `text` around the first (`last`: the last) `separator`.
std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view text,
                                                                   std::string_view separator,
                                                                   bool last = false) {
    const auto at = last ? text.rfind(separator) : text.find(separator);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    return std::pair{text.substr(0, at), text.substr(at + separator.size())};
}

// CLI11's other usage errors, recognised by their wording (CLI11 2.1) and said from the
// catalogue, whose English is CLI11's own. nullopt for an error not recognised.
std::optional<std::string> usage_error_message(const CLI::ParseError& e, const CLI::App& app) {
    using thidua::msg;
    using thidua::tr;
    const std::string_view what = e.what();
    if (is<CLI::RequiredError>(e) && what == "A subcommand is required") {
        return tr(msg::cli_usage_subcommand_required);
    }
    // `--versus excludes --criterion`
    if (const auto p = split(what, " excludes "); p && is<CLI::ExcludesError>(e)) {
        return tr(msg::cli_usage_excludes, fmt::arg("option", p->first),
                  fmt::arg("other", p->second));
    }
    // `Could not convert: --strict = maybe`: a flag given a value that is neither true/false nor
    // a number.
    static constexpr std::string_view not_converted = "Could not convert: ";
    if (const auto p = split(what, " = ");
        p && is<CLI::ConversionError>(e) && starts_with(p->first, not_converted)) {
        return tr(msg::cli_usage_not_converted,
                  fmt::arg("option", p->first.substr(not_converted.size())),
                  fmt::arg("value", p->second));
    }
    const auto named = split(what, ": ");  // `OPTION: ...`
    if (!named) {
        return std::nullopt;
    }
    const auto [option, rest] = *named;
    // `--format: pdf not in {text,json,csv,xlsx}`: IsMember's wording.
    if (const auto p = split(rest, " not in {", true);
        p && is<CLI::ValidationError>(e) && ends_with(p->second, "}")) {
        const std::string_view values = p->second.substr(0, p->second.size() - 1);
        const std::string best = suggest_value(p->first, split_commas(values));
        return tr(msg::cli_usage_not_in_set, fmt::arg("option", option),
                  fmt::arg("value", p->first), fmt::arg("values", values),
                  fmt::arg("hint", best.empty() ? std::string()
                                                : tr(msg::cli_usage_did_you_mean_value,
                                                     fmt::arg("value", best))));
    }
    // `--data: 1 required TEXT missing`: the option is last, without its value.
    static constexpr std::string_view missing = " missing";
    if (const auto p = split(rest, " required ");
        p && is<CLI::ArgumentMismatch>(e) && ends_with(p->second, missing)) {
        const std::string type(p->second.substr(0, p->second.size() - missing.size()));
        return tr(msg::cli_usage_missing_value, fmt::arg("option", option),
                  fmt::arg("count", p->first),
                  fmt::arg("type", thidua::cli::help_type_name(app, type)));
    }
    // `--data: At Most 1 required but received 2`: an option given twice.
    static constexpr std::string_view at_most = "At Most ";
    if (const auto p = split(rest, " required but received ");
        p && is<CLI::ArgumentMismatch>(e) && starts_with(p->first, at_most)) {
        return tr(msg::cli_usage_at_most, fmt::arg("option", option),
                  fmt::arg("max", p->first.substr(at_most.size())), fmt::arg("count", p->second));
    }
    return std::nullopt;
}

// CLI11's usage errors in the language of messages, with hints. CLI11 words them in English and
// its exceptions carry only that text, so each is recognised by CLI11's wording (version 2.1) and
// said again from the catalogue, whose English is CLI11's own. A missing option, a missing
// argument or an extra argument names its command; the others are said as CLI11 says them.
// Returns false, and CLI11's text is printed, for an error not recognised.
bool report_parse_error(const CLI::ParseError& e, const CLI::App& app, int argc, char** argv) {
    using thidua::msg;
    using thidua::tr;
    const CLI::App* sub = nullptr;
    for (const auto* s : app.get_subcommands()) {
        sub = s;
    }
    const std::string what = e.what();
    static constexpr std::string_view required = " is required";
    if (sub != nullptr && is<CLI::RequiredError>(e) && ends_with(what, required)
        && what.find(' ') == what.size() - required.size()) {
        const std::string name = what.substr(0, what.size() - required.size());
        const std::string command = sub->get_name();
        thidua::cli::print_err(
            "{}\n", tr(name.front() == '-' ? msg::cli_required : msg::cli_required_argument,
                       fmt::arg("command", command), fmt::arg("name", name)));
        if (name == "--data") {
            if (const auto path = stray_data_path(argc, argv)) {
                thidua::cli::print_err("{}\n",
                                       tr(msg::cli_required_data_hint, fmt::arg("path", *path)));
            }
        }
        thidua::cli::print_err("{}\n", tr(msg::cli_run_help, fmt::arg("command", command)));
        return true;
    }
    if (const auto p = split(what, " expected: "); sub != nullptr && p && is<CLI::ExtrasError>(e)) {
        const std::string command = sub->get_name();
        thidua::cli::print_err("{}\n", tr(msg::cli_not_expected, fmt::arg("command", command),
                                          fmt::arg("args", p->second)));
        report_unknown_options(p->second, *sub, app);
        thidua::cli::print_err("{}\n", tr(msg::cli_run_help, fmt::arg("command", command)));
        return true;
    }
    const auto message = usage_error_message(e, app);
    if (!message) {
        return false;
    }
    // Named with its command, as the errors above are (`thidua score: --data: ...`).
    if (sub != nullptr) {
        thidua::cli::print_err("thidua {}: {}\n{}\n", sub->get_name(), *message,
                               tr(msg::cli_run_help, fmt::arg("command", sub->get_name())));
    } else {
        thidua::cli::print_err("thidua: {}\n{}\n", *message, tr(msg::cli_usage_run_help));
    }
    return true;
}

// The language of messages as the parse will set it, decided before the app is built because the
// help's descriptions are given as the options are added: the top level's `--lang X` or
// `--lang=X`, before or after the subcommand (unless the subcommand has a --lang of its own: fmt's
// is the keywords' language), else the locale. `probe`, an app built like the real one, tells
// which word is the subcommand and which options take a value. An invalid value is left to the
// parse, which reports it in the locale's language.
thidua::language language_from_command_line(int argc, char** argv, const CLI::App& probe) {
    const CLI::Option* const lang_option = probe.get_option_no_throw("--lang");
    const CLI::App* scope = &probe;
    std::optional<thidua::language> chosen;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--") {
            break;
        }
        if (a.size() < 2 || a.front() != '-') {
            if (scope == &probe) {
                for (const CLI::App* s : probe.get_subcommands({})) {
                    scope = s->get_name() == a ? s : scope;
                }
            }
            continue;
        }
        const auto equals = a.find('=');
        const std::string name(a.substr(0, equals));
        const CLI::Option* opt = scope->get_option_no_throw(name);
        opt = opt == nullptr ? probe.get_option_no_throw(name) : opt;  // fallthrough
        if (opt == nullptr || opt->get_type_size() == 0) {
            continue;  // a flag, or not an option (the parse reports it)
        }
        std::optional<std::string_view> value;
        if (equals != std::string_view::npos) {
            value = a.substr(equals + 1);
        } else if (i + 1 < argc && (argv[i + 1][0] != '-' || argv[i + 1][1] == '\0')) {
            value = argv[++i];
        }
        if (opt == lang_option && value) {
            if (const auto l = thidua::parse_language(*value)) {
                chosen = *l;
            }
        }
    }
    return chosen ? *chosen : thidua::language_from_environment();
}

// The values of the top level's options.
struct top_options {
    std::string lang;
    std::string decimal;
    bool verbose = false;
};

// The top level: its options and the subcommand table, with descriptions in the current language.
std::vector<thidua::cli::command> build_app(CLI::App& app, top_options& top) {
    using thidua::msg;
    using thidua::tr;
    thidua::cli::localize_help(app);
    app.description(tr(msg::cli_help_thidua));
    app.set_version_flag("--version", std::string("thidua ") + THIDUA_VERSION,
                         tr(msg::cli_help_version));
    app.add_flag("-v,--verbose", top.verbose, tr(msg::cli_help_verbose));
    app.require_subcommand(1);
    // Messages in Vietnamese or English (docs/i18n.md); accepted before or after the subcommand
    // (fallthrough, inherited by the subcommands added below).
    app.add_option("--lang", top.lang, tr(msg::cli_help_lang))->check(CLI::IsMember({"vi", "en"}));
    // The decimal mark of numbers written for people (docs/i18n.md); default: the language's.
    app.add_option("--decimal", top.decimal, tr(msg::cli_help_decimal))
        ->transform(thidua::cli::spelling("dot", "point"))
        ->check(CLI::IsMember({"comma", "point"}));
    app.fallthrough();

    // The subcommand table: add new subcommands here, one per line.
    // clang-format off
    return {
        thidua::cli::add_check(app),
        thidua::cli::add_score(app),
        thidua::cli::add_explain(app),
        thidua::cli::add_report(app),
        thidua::cli::add_fmt(app),
        thidua::cli::add_diff(app),
        thidua::cli::add_test(app),
    };
    // clang-format on
}

// `--output ""` (an empty path: a script's variable left unset) is a usage error, not stdout.
bool empty_output_given(const CLI::App& app) {
    for (const CLI::App* sub : app.get_subcommands()) {
        const CLI::Option* o = sub->get_option_no_throw("--output");
        if (o != nullptr && o->count() > 0 && o->as<std::string>().empty()) {
            thidua::cli::print_err("{}\n", thidua::tr(thidua::msg::cli_output_empty,
                                                      fmt::arg("command", sub->get_name())));
            return true;
        }
    }
    return false;
}

int run(int argc, char** argv) {
    // The language first, for the help too; a first app, thrown away, shows how CLI11 will read
    // the command line.
    {
        CLI::App probe;
        top_options unused;
        build_app(probe, unused);
        thidua::set_language(language_from_command_line(argc, argv, probe));
    }
    CLI::App app;
    top_options top;
    const std::vector<thidua::cli::command> commands = build_app(app, top);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (app.get_subcommands().empty() && e.get_exit_code() != 0) {
            if (const auto word = unknown_command(argc, argv, commands)) {
                report_unknown_command(*word, commands);
                return thidua::cli::exit_usage;
            }
        }
        if (e.get_exit_code() != 0 && report_parse_error(e, app, argc, argv)) {
            return thidua::cli::exit_usage;
        }
        const int code = app.exit(e);
        return code == 0 ? 0 : thidua::cli::exit_usage;
    }
    if (empty_output_given(app)) {
        return thidua::cli::exit_usage;
    }

    // --lang as the parse read it: what language_from_command_line() chose before any message
    // was made (the libraries only read the language).
    thidua::set_language(top.lang.empty() ? thidua::language_from_environment()
                                          : *thidua::parse_language(top.lang));
    thidua::set_decimal_mark(thidua::parse_decimal_mark(top.decimal));

    // Developer logging only: user-facing output never goes through spdlog.
    auto logger = spdlog::stderr_logger_st("thidua");
    logger->set_pattern("[%H:%M:%S.%e] [%l] %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(top.verbose ? spdlog::level::debug : spdlog::level::warn);

    for (const auto& c : commands) {
        if (c.app->parsed()) {
            return c.run();
        }
    }
    return thidua::cli::exit_usage;
}

}  // namespace

// SIGPIPE keeps its default action: `thidua score ... | head -1` ends quietly when the reader
// stops, as other Unix tools do. A run that ignores SIGPIPE gets EPIPE, reported as any other
// failed write to standard output.
int main(int argc, char** argv) {
    thidua::cli::guard_standard_streams();
    int code = thidua::cli::exit_usage;
    try {
        code = run(argc, argv);
    } catch (const std::bad_alloc&) {
        thidua::cli::print_err("{}\n", thidua::tr(thidua::msg::cli_out_of_memory));
        code = thidua::cli::exit_usage;
    } catch (const std::exception& e) {
        // Not expected: every known failure has its own message. Said cleanly, never an abort.
        thidua::cli::print_err(
            "{}\n", thidua::tr(thidua::msg::cli_internal_error, fmt::arg("what", e.what())));
        code = thidua::cli::exit_usage;
    }
    return thidua::cli::finish_output(code);
}
