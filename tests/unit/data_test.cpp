// Loading results files: good files in every supported shape, and broken files with the exact
// diagnostics (code, line, column, message) they must produce.

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "engine/data.hpp"
#include "engine/data_detail.hpp"

using namespace thidua;

namespace {

ast::type_ref type(ast::type_ref::kind k, bool optional = false, std::string enum_name = {}) {
    ast::type_ref t;
    t.what = k;
    t.optional = optional;
    t.enum_name = std::move(enum_name);
    return t;
}

ast::field_decl field(std::string name, ast::type_ref t, std::string label = {}) {
    ast::field_decl f;
    f.name = std::move(name);
    f.type = std::move(t);
    f.label = std::move(label);
    return f;
}

// The schema of the sample regulation in docs/language-sketch.md (a subset). `list` adds the
// `indicators` list input (required unless `optional_list`).
ast::regulation make_regulation(bool list, bool optional_list = false) {
    using k = ast::type_ref::kind;
    ast::regulation reg;
    reg.file = std::make_shared<source_file>("test.tdkt", "regulation \"t\" {}\n");
    ast::enum_decl rating;
    rating.name = "rating";
    rating.ordered = true;
    rating.members = {{"xs", "Hoàn thành xuất sắc", {}},
                      {"tot", "Hoàn thành tốt", {}},
                      {"ht", "Hoàn thành", {}},
                      {"kht", "Không hoàn thành", {}}};
    reg.enums.push_back(rating);
    if (list) {
        auto t = type(k::list, optional_list);
        t.fields.push_back(field("name", type(k::text)));
        t.fields.push_back(field("target", type(k::number)));
        t.fields.push_back(field("actual", type(k::number)));
        t.fields.push_back(field("evidence", type(k::boolean), "Có tài liệu minh chứng"));
        reg.inputs.push_back(field("indicators", t));
    }
    reg.inputs.push_back(field("tasks_assigned", type(k::integer)));
    reg.inputs.push_back(field("tasks_on_time", type(k::integer)));
    reg.inputs.push_back(field("party", type(k::enumeration, false, "rating"),
                               "Xếp loại tổ chức Đảng"));
    reg.inputs.push_back(field("dossier_date", type(k::date, true)));
    reg.inputs.push_back(field("serious_violation", type(k::boolean)));
    reg.inputs.push_back(field("self_score", type(k::number)));
    reg.inputs.push_back(field("note", type(k::text, true)));
    return reg;
}

std::string data_path(const std::string& rel) {
    return std::string(THIDUA_SOURCE_DIR) + "/tests/data/" + rel;
}

std::string base_name(const std::string& p) {
    const auto slash = p.find_last_of('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

// "file:line:column: CODE: message" per diagnostic (file names without directories), with notes
// as "  note file:line:column: message".
std::vector<std::string> describe(const diagnostics& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds.items()) {
        std::string s;
        if (d.file) {
            const auto loc = d.file->locate(d.where.begin);
            s = fmt::format("{}:{}:{}: ", base_name(d.file->path()), loc.line, loc.column);
        }
        s += fmt::format("{}: {}", d.code, d.message);
        for (const auto& n : d.notes) {
            s += "\n  note ";
            if (n.file) {
                const auto loc = n.file->locate(n.where.begin);
                s += fmt::format("{}:{}:{}: ", base_name(n.file->path()), loc.line, loc.column);
            }
            s += n.message;
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<std::string> errors_of(const ast::regulation& reg, const std::string& rel,
                                   const load_options& opts = {}) {
    diagnostics ds;
    const auto result = load_results(reg, data_path(rel), opts, ds);
    CHECK(result.has_value() == !ds.has_errors());
    ds.sort();
    // Replace the absolute directory in file-less messages so expectations stay portable.
    auto out = describe(ds);
    const std::string root = data_path("");
    for (auto& s : out) {
        for (auto at = s.find(root); at != std::string::npos; at = s.find(root)) {
            s.replace(at, root.size(), "");
        }
    }
    return out;
}

using lines = std::vector<std::string>;

}  // namespace

TEST_CASE("data: dump broken fixtures", "[.dump]") {
    const auto flat = make_regulation(false);
    const auto full = make_regulation(true);
    for (const char* f :
         {"empty.csv", "blank_lines.csv", "binary.csv", "latin1.csv", "utf16.csv",
          "separator.csv", "unterminated_quote.csv", "text_after_quote.csv", "quote_in_cell.csv",
          "unknown_column.csv", "missing_column.csv", "missing_value.csv", "duplicate_column.csv",
          "no_unit_column.csv", "duplicate_unit.csv", "empty_unit_name.csv", "cell_count.csv",
          "not_a_number.csv", "not_whole.csv", "too_large.csv", "ambiguous_number.csv",
          "mixed_styles.csv", "bad_bool.csv", "bad_date.csv", "bad_enum.csv",
          "unnamed_column.csv", "syntax.json", "deep.json", "not_array.json",
          "wrong_type.json", "keys.json", "bad_string.json"}) {
        fmt::print("== {}\n", f);
        for (const auto& s : errors_of(flat, std::string("broken/") + f)) {
            fmt::print("{}\n", s);
        }
    }
    for (const char* f : {"list_column.csv", "list_unknown_unit", "missing_list", "json_list.json"}) {
        fmt::print("== {}\n", f);
        for (const auto& s : errors_of(full, std::string("broken/") + f)) {
            fmt::print("{}\n", s);
        }
    }
}
