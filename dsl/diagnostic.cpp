#include "dsl/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "dsl/i18n.hpp"

namespace thidua {

namespace {

constexpr std::uint32_t max_excerpt_columns = 120;

std::string_view severity_name(severity s) {
    switch (s) {
        case severity::error:
            return "error";
        case severity::warning:
            return "warning";
        case severity::note:
            return "note";
    }
    return "error";
}

// The severity as a reader sees it, in the current language (JSON keeps severity_name()).
std::string_view severity_word(severity s) {
    switch (s) {
        case severity::error:
            return message_text(msg::severity_error, current_language());
        case severity::warning:
            return message_text(msg::severity_warning, current_language());
        case severity::note:
            return message_text(msg::severity_note, current_language());
    }
    return message_text(msg::severity_error, current_language());
}

// One character of a source line as it may be printed to a terminal: invalid UTF-8 becomes U+FFFD
// and control characters their visible symbol (U+2400 + code, e.g. NUL as U+2400), so a broken
// or binary input never sends raw bytes to the terminal. Tabs stay tabs (for caret alignment).
std::string_view printable(std::string_view ch) {
    static const std::array<std::string, 33> controls = [] {
        std::array<std::string, 33> a;
        for (unsigned c = 0; c < 32; ++c) {
            append_utf8(a[c], 0x2400U + c);
        }
        append_utf8(a[32], 0x2421U);  // DEL
        return a;
    }();
    if (ch.size() == 1) {
        const auto c = static_cast<unsigned char>(ch[0]);
        if (c == '\t') {
            return ch;
        }
        if (c < 0x20U) {
            return controls[c];
        }
        if (c == 0x7FU) {
            return controls[32];
        }
    }
    if (find_invalid_utf8(ch) != std::string_view::npos) {
        return "\xEF\xBF\xBD";
    }
    return ch;
}

// Appends the source line holding `where` and a caret line under it. Tabs in the source line are
// copied into the caret line so the carets align; very long lines are cut around the span.
void render_excerpt(std::string& out, const source_file& combined, span where) {
    const auto [origin_file, origin_begin] = combined.origin(where.begin);
    const source_file& file = *origin_file;
    where = {origin_begin, origin_begin + (std::max(where.begin, where.end) - where.begin)};
    const auto begin = file.locate(where.begin);
    const auto end = file.locate(std::max(where.begin, where.end));
    const std::string_view line = file.line_text(begin.line);
    // Work in code points: split the line into characters. Only those shown are kept: a line
    // of megabytes (a header of 200 000 columns) is counted, not copied, for each of its errors.
    const auto char_length = [&](std::size_t i) {
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(line[i]);
        if (c >= 0xF0U) {
            len = 4;
        } else if (c >= 0xE0U) {
            len = 3;
        } else if (c >= 0xC0U) {
            len = 2;
        }
        len = std::min(len, line.size() - i);
        // A lead byte without its continuation bytes is one (invalid) character on its own.
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(line[i + k]) & 0xC0U) != 0x80U) {
                return std::size_t{1};
            }
        }
        return len;
    };
    std::uint32_t ncols = 0;
    for (std::size_t i = 0; i < line.size(); i += char_length(i)) {
        ++ncols;
    }
    std::uint32_t caret_begin = begin.column - 1;
    std::uint32_t caret_end = end.line == begin.line ? end.column - 1 : ncols;
    if (caret_end <= caret_begin) {
        caret_end = caret_begin + 1;
    }
    std::uint32_t first = 0;
    std::uint32_t last = ncols;
    if (ncols > max_excerpt_columns) {
        const std::uint32_t half = max_excerpt_columns / 2;
        first = caret_begin > half ? caret_begin - half : 0;
        last = std::min(ncols, first + max_excerpt_columns);
    }
    std::vector<std::string_view> chars(last - first);  // characters first..last-1
    for (std::size_t i = 0, n = 0; i < line.size() && n < last; ++n) {
        const std::size_t len = char_length(i);
        if (n >= first) {
            chars[n - first] = printable(line.substr(i, len));
        }
        i += len;
    }
    std::string text_line;
    std::string caret_line;
    if (first > 0) {
        text_line += "...";
        caret_line += "   ";
    }
    for (std::uint32_t i = first; i < last; ++i) {
        text_line += chars[i - first];
        if (i < caret_begin) {
            caret_line += chars[i - first] == "\t" ? '\t' : ' ';
        } else if (i < caret_end) {
            caret_line += '^';
        }
    }
    // A span at the very end of the line (or of the file) gets one caret past the last
    // character; a line cut at `last` gets no carets beyond what is shown.
    if (last == ncols) {
        for (std::uint32_t i = std::max(last, caret_begin); i < caret_end && i <= ncols; ++i) {
            caret_line += '^';
        }
    }
    if (last < ncols) {
        text_line += "...";
    }
    const std::string gutter = fmt::format("{:>5} | ", begin.line);
    out += gutter;
    out += text_line;
    out += '\n';
    out += std::string(gutter.size() - 2, ' ');
    out += "| ";
    out += caret_line;
    out += '\n';
}

}  // namespace

diagnostic& diagnostics::error(std::string code, source_ptr file, span where, std::string message) {
    items_.push_back(
        {severity::error, std::move(code), std::move(file), where, std::move(message), {}, {}});
    return items_.back();
}

diagnostic& diagnostics::warning(std::string code, source_ptr file, span where,
                                 std::string message) {
    items_.push_back(
        {severity::warning, std::move(code), std::move(file), where, std::move(message), {}, {}});
    return items_.back();
}

void diagnostics::append(const diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool diagnostics::has_errors() const {
    return error_count() > 0;
}

std::size_t diagnostics::error_count() const {
    return static_cast<std::size_t>(std::count_if(
        items_.begin(), items_.end(), [](const auto& d) { return d.level == severity::error; }));
}

std::size_t diagnostics::warning_count() const {
    return static_cast<std::size_t>(std::count_if(
        items_.begin(), items_.end(), [](const auto& d) { return d.level == severity::warning; }));
}

void diagnostics::sort() {
    std::stable_sort(items_.begin(), items_.end(), [](const diagnostic& a, const diagnostic& b) {
        // By the file each position comes from (a merged regulation's source is several).
        const auto oa = a.file ? a.file->origin(a.where.begin)
                               : std::pair<const source_file*, std::uint32_t>{nullptr, 0};
        const auto ob = b.file ? b.file->origin(b.where.begin)
                               : std::pair<const source_file*, std::uint32_t>{nullptr, 0};
        const std::string& pa = oa.first ? oa.first->path() : std::string();
        const std::string& pb = ob.first ? ob.first->path() : std::string();
        if (pa != pb) {
            return pa < pb;
        }
        if (oa.second != ob.second) {
            return oa.second < ob.second;
        }
        if (a.level != b.level) {
            return a.level < b.level;
        }
        return a.code < b.code;
    });
}

std::string format_position(const source_file& file, span where) {
    const auto [origin_file, offset] = file.origin(where.begin);
    const auto loc = origin_file->locate(offset);
    return fmt::format("{}:{}:{}", origin_file->path(), loc.line, loc.column);
}

std::string render_text(const diagnostic& d) {
    std::string out;
    if (d.file) {
        out += format_position(*d.file, d.where);
        out += ": ";
    }
    out += fmt::format("{}[{}]: {}\n", severity_word(d.level), d.code, d.message);
    if (d.file) {
        render_excerpt(out, *d.file, d.where);
    }
    for (const auto& n : d.notes) {
        if (n.file) {
            out += format_position(*n.file, n.where);
            out += ": ";
        }
        out += fmt::format("{}: {}\n", severity_word(severity::note), n.message);
        if (n.file) {
            render_excerpt(out, *n.file, n.where);
        }
    }
    return out;
}

std::string render_text(const diagnostics& ds) {
    std::string out;
    for (const auto& d : ds.items()) {
        out += render_text(d);
        out += '\n';
    }
    return out;
}

std::string render_json(const diagnostics& ds) {
    using nlohmann::ordered_json;
    ordered_json list = ordered_json::array();
    auto position = [](ordered_json& j, const source_ptr& file, span where,
                       const std::string& path = {}) {
        if (!file) {
            j["file"] = path.empty() ? ordered_json(nullptr) : ordered_json(path);
            if (!path.empty()) {
                j["line"] = nullptr;
                j["column"] = nullptr;
            }
            return;
        }
        const auto [origin_file, offset] = file->origin(where.begin);
        const auto b = origin_file->locate(offset);
        const auto e =
            origin_file->locate(offset + (std::max(where.begin, where.end) - where.begin));
        j["file"] = origin_file->path();
        j["line"] = b.line;
        j["column"] = b.column;
        j["end_line"] = e.line;
        j["end_column"] = e.column;
    };
    for (const auto& d : ds.items()) {
        ordered_json j;
        j["severity"] = severity_name(d.level);
        j["code"] = d.code;
        j["message"] = d.message;
        position(j, d.file, d.where, d.path);
        ordered_json notes = ordered_json::array();
        for (const auto& n : d.notes) {
            ordered_json jn;
            jn["message"] = n.message;
            position(jn, n.file, n.where);
            notes.push_back(std::move(jn));
        }
        j["notes"] = std::move(notes);
        list.push_back(std::move(j));
    }
    ordered_json doc;
    doc["diagnostics"] = std::move(list);
    doc["errors"] = ds.error_count();
    doc["warnings"] = ds.warning_count();
    // Invalid UTF-8 in a message (e.g. quoting a broken input) is replaced rather than thrown on.
    return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace thidua
