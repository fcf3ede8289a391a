#include "cli/common.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "dsl/i18n.hpp"
#include "engine/amend.hpp"
#include "engine/io.hpp"

namespace thidua::cli {

std::optional<loaded_regulation> load_regulation(const std::string& path, int& exit_code) {
    std::string error;
    auto src = source_file::load(path, error);
    if (!src) {
        print_err("thidua: {}: {}\n", path, error);
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
        print_err("{}", render_text(diags));
    }
    if (!r.checked) {
        print_err("{}\n", tr(msg::cli_nothing_scored, fmt::arg("path", path),
                             fmt::arg("errors", count_errors(diags.error_count()))));
        exit_code = exit_errors;
        return std::nullopt;
    }
    return r;
}

namespace {

// Terminal columns of UTF-8 text: one per character (the catalogue's Vietnamese is precomposed).
std::size_t display_width(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

// CLI11's formatter with its words translated through its labels, and its columns padded by
// characters: CLI11 pads with std::setw, which counts bytes, so a name such as `VĂN_BẢN` would
// pull its description out of line. For ASCII text the output is CLI11's, byte for byte.
class help_formatter : public CLI::Formatter {
  public:
    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        return help_line(make_option_name(opt, is_positional) + make_option_opts(opt),
                         make_option_desc(opt));
    }

    std::string make_subcommand(const CLI::App* sub) const override {
        return help_line(sub->get_display_name(true), sub->get_description());
    }

    // The heading of a group of options: CLI11 names the default group "Options" without asking
    // its labels.
    std::string make_group(std::string group, bool is_positional,
                           std::vector<const CLI::Option*> opts) const override {
        return CLI::Formatter::make_group(get_label(group), is_positional, std::move(opts));
    }

    // CLI11's, except that the type is translated piece by piece: `TEXT:{vi,en}` is the type
    // followed by the descriptions of the validators, and only `TEXT` is a word.
    std::string make_option_opts(const CLI::Option* opt) const override {
        if (!opt->get_option_text().empty()) {
            return " " + opt->get_option_text();
        }
        std::string out;
        if (opt->get_type_size() != 0) {
            if (!opt->get_type_name().empty()) {
                out += " " + type_name(opt->get_type_name());
            }
            if (!opt->get_default_str().empty()) {
                out += "=" + opt->get_default_str();
            }
            if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) {
                out += " ...";
            } else if (opt->get_expected_min() > 1) {
                out += " x " + std::to_string(opt->get_expected());
            }
            if (opt->get_required()) {
                out += " " + get_label("REQUIRED");
            }
        }
        if (!opt->get_envname().empty()) {
            out += " (" + get_label("Env") + ":" + opt->get_envname() + ")";
        }
        if (!opt->get_needs().empty()) {
            out += " " + get_label("Needs") + ":";
            for (const CLI::Option* other : opt->get_needs()) {
                out += " " + other->get_name();
            }
        }
        if (!opt->get_excludes().empty()) {
            out += " " + get_label("Excludes") + ":";
            for (const CLI::Option* other : opt->get_excludes()) {
                out += " " + other->get_name();
            }
        }
        return out;
    }

    /// An option's type as the help shows it (`TEXT:{vi,en}` -> `VĂN_BẢN:{vi,en}`); also for
    /// CLI11's "1 required TEXT missing".
    [[nodiscard]] std::string type_name(const std::string& type) const {
        std::string out;
        std::size_t begin = 0;
        while (true) {
            const std::size_t end = type.find(':', begin);
            out += get_label(type.substr(begin, end - begin));
            if (end == std::string::npos) {
                return out;
            }
            out += ':';
            begin = end + 1;
        }
    }

  private:
    // CLI::detail::format_help, with widths in characters.
    [[nodiscard]] std::string help_line(const std::string& name,
                                        const std::string& description) const {
        std::string out = "  " + name;
        const std::size_t width = display_width(out);
        const std::string indent(column_width_, ' ');
        if (width < column_width_) {
            out.append(column_width_ - width, ' ');
        }
        if (!description.empty()) {
            if (width >= column_width_) {
                out += "\n" + indent;
            }
            for (const char c : description) {
                out += c;
                if (c == '\n') {
                    out += indent;
                }
            }
        }
        return out + "\n";
    }
};

}  // namespace

void localize_help(CLI::App& app) {
    // CLI11 asks its formatter for these words by their English text.
    static constexpr std::pair<const char*, msg> labels[] = {
        {"Usage", msg::cli_help_label_usage},
        {"OPTIONS", msg::cli_help_label_options_badge},
        {"SUBCOMMAND", msg::cli_help_label_subcommand_badge},
        {"SUBCOMMANDS", msg::cli_help_label_subcommands_badge},
        {"Positionals", msg::cli_help_label_positionals},
        {"Options", msg::cli_help_label_options},
        {"REQUIRED", msg::cli_help_label_required},
        {"Needs", msg::cli_help_label_needs},
        {"Excludes", msg::cli_help_label_excludes},
        {"Env", msg::cli_help_label_env},
        {"TEXT", msg::cli_help_label_text},
        {"INT", msg::cli_help_label_int},
        {"UINT", msg::cli_help_label_uint},
        {"FLOAT", msg::cli_help_label_float},
        {"FILE", msg::cli_help_label_file},
        {"DIR", msg::cli_help_label_dir},
        {"PATH", msg::cli_help_label_path},
    };
    auto formatter = std::make_shared<help_formatter>();
    for (const auto& [word, key] : labels) {
        formatter->label(word, tr(key));
    }
    app.formatter(formatter);
    app.set_help_flag("-h,--help", tr(msg::cli_help_help));
    // The heading of the subcommands is their group, which each copies from its parent.
    app.group(tr(msg::cli_help_label_subcommands));
}

std::string help_type_name(const CLI::App& app, const std::string& type) {
    const auto* formatter = dynamic_cast<const help_formatter*>(app.get_formatter().get());
    return formatter != nullptr ? formatter->type_name(type) : type;
}

CLI::Validator spelling(std::string alias, std::string value) {
    return CLI::Validator(
        [alias = std::move(alias), value = std::move(value)](std::string& s) {
            if (s == alias) {
                s = value;
            }
            return std::string();
        },
        "");
}

void add_data_options(CLI::App& app, data_options& opts) {
    app.add_option("--data", opts.path, tr(msg::cli_help_data))->required();
    app.add_option("--numbers", opts.numbers, tr(msg::cli_help_numbers))
        ->transform(spelling("point", "dot"))
        ->check(CLI::IsMember({"auto", "dot", "comma"}));
    app.add_option("--dates", opts.dates, tr(msg::cli_help_dates))
        ->check(CLI::IsMember({"auto", "iso", "dmy"}));
    add_strict_option(app, opts.strict);
}

void add_strict_option(CLI::App& app, bool& strict) {
    app.add_flag("--strict", strict, tr(msg::cli_help_strict));
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
            print_err("{}", render_text(shown));
        }
    } else if (!diags.empty()) {
        print_err("{}", render_text(diags));
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
            print_err("{}\n", tr(msg::cli_nothing_scored_results, fmt::arg("path", opts.path),
                                 fmt::arg("errors", count_errors(diags.error_count()))));
        } else {
            // A comparison reads the data twice: say under which regulation it failed.
            print_err("{}\n", tr(opts.role == "old" ? msg::cli_results_old_failed
                                                    : msg::cli_results_new_failed,
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
        print_err("{}\n",
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
        print_err("{}", render_text(diags));
    }
    if (!bloc) {
        print_err("{}\n", tr(msg::cli_scoring_failed, fmt::arg("path", path),
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

namespace {

int stdout_error = 0;  // the errno of the first failed write to stdout

}  // namespace

void print_out(std::string_view text) {
    if (text.empty()) {
        return;
    }
    errno = 0;
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() && stdout_error == 0) {
        stdout_error = errno != 0 ? errno : EIO;
    }
}

void print_err(std::string_view text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), stderr) != text.size()) {
        std::clearerr(stderr);
    }
}

void guard_standard_streams() {
    for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
        if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            const int opened =
                ::open("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY);  // NOLINT
            if (opened >= 0 && opened != fd) {
                ::dup2(opened, fd);
                ::close(opened);
            }
        }
    }
}

int finish_output(int code) {
    errno = 0;
    if (std::fflush(stdout) != 0 && stdout_error == 0) {
        stdout_error = errno != 0 ? errno : EIO;
    }
    if (stdout_error == 0 && std::ferror(stdout) != 0) {
        stdout_error = EIO;
    }
    if (stdout_error == 0) {
        return code;
    }
    print_err("{}\n", tr(msg::cli_cannot_write_stdout,
                         fmt::arg("reason", write_error_reason(stdout_error))));
    return exit_usage;
}

std::optional<std::string> output_is_input(const std::string& output,
                                           const std::vector<std::string>& inputs) {
    struct stat out {};
    if (::stat(output.c_str(), &out) != 0) {
        return std::nullopt;  // a new file is no input
    }
    for (const auto& in : inputs) {
        struct stat st {};
        if (::stat(in.c_str(), &st) == 0 && st.st_dev == out.st_dev && st.st_ino == out.st_ino) {
            return in;
        }
    }
    return std::nullopt;
}

void add_source_paths(const source_ptr& source, std::vector<std::string>& paths) {
    if (!source) {
        return;
    }
    if (source->parts().empty()) {
        paths.push_back(source->path());
        return;
    }
    for (const auto& p : source->parts()) {
        paths.push_back(p.file->path());
    }
}

void add_input_paths(const dataset& data, std::vector<std::string>& paths) {
    for (const auto& f : data.files) {
        paths.push_back(f->path());
    }
}

int emit(const std::string& output, const std::string& content,
         const std::vector<std::string>& inputs) {
    if (output.empty() || output == "-") {
        print_out(content);
        return exit_ok;
    }
    if (const auto input = output_is_input(output, inputs)) {
        print_err("{}\n", tr(msg::cli_output_is_input, fmt::arg("output", output),
                             fmt::arg("input", *input)));
        return exit_usage;
    }
    const std::string err = write_output_file(output, content);
    if (!err.empty()) {
        print_err("thidua: {}\n", err);
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
