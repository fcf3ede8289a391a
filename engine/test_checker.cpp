#include "engine/test_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "dsl/suggest.hpp"

namespace thidua {

namespace {

// "; did you mean `x`?" for the closest candidate within two edits (ties: the smallest name), as
// the checker does for names in expressions.
std::string suggest(const std::string& name, const std::vector<std::string>& candidates) {
    const std::string best = closest_name(name, candidates);
    return best.empty() ? std::string() : tr(msg::checker_did_you_mean, fmt::arg("name", best));
}

std::string quoted_suggestion(const std::string& name, const std::vector<std::string>& names) {
    std::string s = suggest(name, names);
    if (s.empty()) {
        return s;
    }
    // Unit names are written between double quotes.
    const auto open = s.find('`');
    const auto close = s.rfind('`');
    s[open] = '"';
    s[close] = '"';
    return s;
}

std::string value_kind_name(ast::test_value::kind k) {
    switch (k) {
        case ast::test_value::kind::number:
            return tr(msg::test_kind_number);
        case ast::test_value::kind::boolean:
            return tr(msg::test_kind_boolean, fmt::arg("yes", keyword_text(keywords::kw::true_)),
                      fmt::arg("no", keyword_text(keywords::kw::false_)));
        case ast::test_value::kind::text:
            return tr(msg::test_kind_string);
        case ast::test_value::kind::date:
            return tr(msg::test_kind_date);
        case ast::test_value::kind::member:
            return tr(msg::test_kind_name);
        case ast::test_value::kind::list:
            return tr(msg::test_kind_list);
    }
    return tr(msg::test_kind_value);
}

class test_checker {
  public:
    test_checker(const checked_regulation& reg, const source_ptr& file, diagnostics& diags)
        : reg_(reg), ast_(*reg.ast), file_(file), diags_(diags) {}

    prepared_test prepare(const ast::test_decl& t);
    /// The units file of each data loaded, for order_by_cause().
    [[nodiscard]] const std::vector<std::string>& units_files() const { return units_files_; }

  private:
    diagnostic& error(const char* code, span where, std::string message) {
        return diags_.error(code, file_, where, std::move(message));
    }

    std::string type_text(const ast::type_ref& t) const;
    // Whether `n`, given for `field` at `where`, is within its declared range (E401 if not).
    bool within(const ast::value_range& range, const number& n, const std::string& field,
                span where);
    std::optional<value> convert(const ast::type_ref& type, const ast::test_value& v,
                                 const std::string& field, std::vector<record_origin>* rows,
                                 const std::optional<ast::value_range>& range = std::nullopt);
    std::optional<record> convert_row(const ast::type_ref& list,
                                      const std::vector<ast::test_field>& row, span row_span,
                                      const std::string& field, record_origin& origin);
    void apply_unit(prepared_test& p, const ast::test_unit& u);
    void resolve(prepared_test& p, const ast::expectation& x);
    std::optional<std::size_t> unit_index(const prepared_test& p, const std::string& name,
                                          span where);

    const checked_regulation& reg_;
    const ast::regulation& ast_;
    source_ptr file_;
    diagnostics& diags_;
    // Data paths already loaded: what loading one says is reported once per tests file, not
    // once for every test that names it (a broken units.csv used by four tests would print its
    // errors four times).
    std::set<std::string> loaded_data_;
    const std::vector<diagnostic> no_diags_;
    std::vector<std::string> units_files_;
};

std::string test_checker::type_text(const ast::type_ref& t) const {
    switch (t.what) {
        case ast::type_ref::kind::number:
            return tr(msg::test_kind_number);
        case ast::type_ref::kind::integer:
            return tr(msg::test_type_integer);
        case ast::type_ref::kind::boolean:
            return tr(msg::test_kind_boolean, fmt::arg("yes", keyword_text(keywords::kw::true_)),
                      fmt::arg("no", keyword_text(keywords::kw::false_)));
        case ast::type_ref::kind::date:
            return tr(msg::test_type_date);
        case ast::type_ref::kind::text:
            return tr(msg::test_kind_string);
        case ast::type_ref::kind::enumeration: {
            std::vector<std::string> members;
            for (const auto& e : ast_.enums) {
                if (e.name == t.enum_name) {
                    for (const auto& m : e.members) {
                        members.push_back(m.name);
                    }
                }
            }
            return tr(msg::test_type_enum, fmt::arg("name", t.enum_name),
                      fmt::arg("members", fmt::join(members, ", ")));
        }
        case ast::type_ref::kind::list:
            return tr(msg::test_type_list);
    }
    return tr(msg::test_kind_value);
}

std::optional<record> test_checker::convert_row(const ast::type_ref& list,
                                                const std::vector<ast::test_field>& row,
                                                span row_span, const std::string& field,
                                                record_origin& origin) {
    record rec(list.fields.size());
    origin.row = {file_, row_span};
    origin.fields.assign(list.fields.size(), origin.row);
    std::vector<const ast::test_field*> given(list.fields.size(), nullptr);
    bool ok = true;
    std::vector<std::string> names;
    for (const auto& f : list.fields) {
        names.push_back(f.name);
    }
    for (const auto& f : row) {
        const auto it = std::find(names.begin(), names.end(), f.name);
        if (it == names.end()) {
            error("E400", f.name_span,
                  tr(msg::E400_no_row_field, fmt::arg("list", field), fmt::arg("field", f.name),
                     fmt::arg("hint", suggest(f.name, names))));
            ok = false;
            continue;
        }
        const auto k = static_cast<std::size_t>(it - names.begin());
        if (given[k] != nullptr) {
            auto& d =
                error("E404", f.name_span, tr(msg::E404_given_twice, fmt::arg("field", f.name)));
            d.notes.push_back({file_, given[k]->name_span, tr(msg::E404_first_given_here)});
            ok = false;
            continue;
        }
        given[k] = &f;
        auto v = convert(list.fields[k].type, f.value, f.name, nullptr, list.fields[k].range);
        if (!v) {
            ok = false;
            continue;
        }
        rec[k] = std::move(*v);
        origin.fields[k] = {file_, f.value.where};
    }
    for (std::size_t k = 0; k < list.fields.size(); ++k) {
        if (given[k] == nullptr && !list.fields[k].type.optional) {
            error("E403", row_span,
                  tr(msg::E403_row_missing, fmt::arg("list", field),
                     fmt::arg("field", list.fields[k].name),
                     fmt::arg("type", type_text(list.fields[k].type))));
            ok = false;
        }
    }
    return ok ? std::optional<record>(std::move(rec)) : std::nullopt;
}

bool test_checker::within(const ast::value_range& range, const number& n, const std::string& field,
                          span where) {
    // The checker has reported a bound that cannot be read; such a range is not applied.
    const auto bound = [](const ast::bound_lit& b) -> std::optional<number> {
        auto v = number::parse(b.value.text);
        if (v && b.value.percent) {
            *v = *v / number(100);
        }
        if (v && b.negative) {
            *v = -*v;
        }
        return v;
    };
    const auto low = bound(range.low);
    const auto high = range.high ? bound(*range.high) : std::nullopt;
    if (!low || (range.high && !high)) {
        return true;
    }
    const bool below = n < *low;
    if (!below && !(high && *high < n)) {
        return true;
    }
    std::string place;
    if (ast_.file) {
        const auto [part, offset] = ast_.file->origin(range.where.begin);
        place = fmt::format("{}:{}", part->path(), part->locate(offset).line);
    }
    const auto& b = below ? range.low : *range.high;
    error("E401", where,
          tr(below ? msg::E401_below : msg::E401_above, fmt::arg("field", field),
             fmt::arg("number", n.exact_string()),
             fmt::arg("bound", (b.negative ? "-" : "") + ast::number_text(b.value)),
             fmt::arg("range", ast::range_text(range)), fmt::arg("place", place)));
    return false;
}

std::optional<value> test_checker::convert(const ast::type_ref& type, const ast::test_value& v,
                                           const std::string& field,
                                           std::vector<record_origin>* rows,
                                           const std::optional<ast::value_range>& range) {
    auto mismatch_error = [&]() -> diagnostic& {
        return error(
            "E401", v.where,
            tr(msg::E401_mismatch, fmt::arg("field", field), fmt::arg("type", type_text(type)),
               fmt::arg("got", value_kind_name(v.what))));
    };
    auto mismatch = [&] {
        mismatch_error();
        return std::nullopt;
    };
    value out;
    switch (type.what) {
        case ast::type_ref::kind::number:
        case ast::type_ref::kind::integer: {
            if (v.what != ast::test_value::kind::number) {
                return mismatch();
            }
            auto n = number::parse(v.number.text);
            if (!n) {
                error("E401", v.where, tr(msg::E401_too_large, fmt::arg("number", v.number.text)));
                return std::nullopt;
            }
            if (v.number.percent) {
                *n = *n / number(100);
            }
            if (type.what == ast::type_ref::kind::integer && !n->is_integer()) {
                error("E401", v.where,
                      tr(msg::E401_not_whole, fmt::arg("field", field),
                         fmt::arg("number", n->exact_string())));
                return std::nullopt;
            }
            if (range && !within(*range, *n, field, v.where)) {
                return std::nullopt;
            }
            out.v = *n;
            return out;
        }
        case ast::type_ref::kind::boolean:
            if (v.what != ast::test_value::kind::boolean) {
                return mismatch();
            }
            out.v = v.boolean;
            return out;
        case ast::type_ref::kind::date:
            if (v.what != ast::test_value::kind::date) {
                return mismatch();
            }
            out.v = date{v.date.year, v.date.month, v.date.day};
            return out;
        case ast::type_ref::kind::text:
            if (v.what != ast::test_value::kind::text) {
                return mismatch();
            }
            out.v = v.text;
            return out;
        case ast::type_ref::kind::enumeration: {
            if (v.what == ast::test_value::kind::text) {
                // A member's label in quotes, as a spreadsheet would hold it: tests name members
                // by their id; say which one.
                for (const auto& e : ast_.enums) {
                    for (const auto& m : e.members) {
                        if (e.name == type.enum_name && (m.label == v.text || m.name == v.text)) {
                            const std::string note =
                                m.name == v.text
                                    ? tr(msg::E401_member_in_quotes, fmt::arg("member", m.name),
                                         fmt::arg("field", field))
                                    : tr(msg::E401_label_of_member, fmt::arg("text", v.text),
                                         fmt::arg("member", m.name), fmt::arg("field", field));
                            // At the member's declaration, where its label is written.
                            mismatch_error().notes.push_back({ast_.file, m.where, note});
                            return std::nullopt;
                        }
                    }
                }
            }
            if (v.what != ast::test_value::kind::member) {
                return mismatch();
            }
            for (const auto& e : ast_.enums) {
                if (e.name != type.enum_name) {
                    continue;
                }
                std::vector<std::string> members;
                for (std::size_t m = 0; m < e.members.size(); ++m) {
                    if (e.members[m].name == v.text) {
                        out.v = enum_value{static_cast<std::uint32_t>(m)};
                        return out;
                    }
                    members.push_back(e.members[m].name);
                }
                error("E402", v.where,
                      tr(msg::E402_not_member, fmt::arg("member", v.text), fmt::arg("name", e.name),
                         fmt::arg("members", fmt::join(members, ", ")),
                         fmt::arg("hint", suggest(v.text, members))));
                return std::nullopt;
            }
            return mismatch();
        }
        case ast::type_ref::kind::list: {
            if (v.what != ast::test_value::kind::list) {
                return mismatch();
            }
            auto list = std::make_shared<std::vector<record>>();
            bool ok = true;
            for (std::size_t r = 0; r < v.rows.size(); ++r) {
                record_origin origin;
                auto rec = convert_row(type, v.rows[r], v.row_spans[r], field, origin);
                if (!rec) {
                    ok = false;
                    continue;
                }
                list->push_back(std::move(*rec));
                if (rows != nullptr) {
                    rows->push_back(std::move(origin));
                }
            }
            if (!ok) {
                return std::nullopt;
            }
            out.v = list_value(std::move(list));
            return out;
        }
    }
    return mismatch();
}

void test_checker::apply_unit(prepared_test& p, const ast::test_unit& u) {
    auto it = std::find_if(p.units.begin(), p.units.end(),
                           [&](const unit_data& d) { return d.name == u.name; });
    const bool from_data = it != p.units.end();
    unit_data fresh;
    unit_data& target = from_data ? *it : fresh;
    if (!from_data) {
        fresh.name = u.name;
        fresh.file = file_;
        fresh.name_span = u.name_span;
        fresh.fields.resize(ast_.inputs.size());
        fresh.field_origins.assign(ast_.inputs.size(), origin{file_, u.name_span});
        fresh.list_origins.resize(ast_.inputs.size());
    }
    std::vector<std::string> names;
    for (const auto& f : ast_.inputs) {
        names.push_back(f.name);
    }
    std::vector<const ast::test_field*> given(ast_.inputs.size(), nullptr);
    for (const auto& f : u.fields) {
        const auto at = std::find(names.begin(), names.end(), f.name);
        if (at == names.end()) {
            error("E400", f.name_span,
                  tr(msg::E400_no_input, fmt::arg("field", f.name),
                     fmt::arg("hint", suggest(f.name, names))));
            continue;
        }
        const auto k = static_cast<std::size_t>(at - names.begin());
        if (given[k] != nullptr) {
            auto& d =
                error("E404", f.name_span, tr(msg::E404_given_twice, fmt::arg("field", f.name)));
            d.notes.push_back({file_, given[k]->name_span, tr(msg::E404_first_given_here)});
            continue;
        }
        given[k] = &f;
        std::vector<record_origin> rows;
        auto v = convert(ast_.inputs[k].type, f.value, f.name, &rows, ast_.inputs[k].range);
        if (!v) {
            continue;
        }
        target.fields[k] = std::move(*v);
        target.field_origins[k] = {file_, f.value.where};
        if (target.list_origins.size() <= k) {
            target.list_origins.resize(k + 1);  // results data's vector ends at its last list
        }
        target.list_origins[k] = std::move(rows);
    }
    if (!from_data) {
        std::vector<std::string> missing;
        for (std::size_t k = 0; k < ast_.inputs.size(); ++k) {
            if (given[k] == nullptr && !ast_.inputs[k].type.optional) {
                missing.push_back(ast_.inputs[k].name);
            }
        }
        if (!missing.empty()) {
            auto& d = error("E403", u.name_span,
                            tr_n(msg::E403_unit_missing, missing.size(), fmt::arg("unit", u.name),
                                 fmt::arg("fields", fmt::join(missing, ", "))));
            if (p.decl->data) {
                d.notes.push_back({file_, p.decl->data_span, tr(msg::E403_not_in_data)});
            }
        }
        p.units.push_back(std::move(fresh));
    }
}

std::optional<std::size_t> test_checker::unit_index(const prepared_test& p, const std::string& name,
                                                    span where) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < p.units.size(); ++i) {
        if (p.units[i].name == name) {
            return i;
        }
        names.push_back(p.units[i].name);
    }
    error("E410", where,
          p.units.empty() ? tr(msg::E410_no_units, fmt::arg("unit", name))
                          : tr(msg::E410_no_unit, fmt::arg("unit", name),
                               fmt::arg("hint", quoted_suggestion(name, names))));
    return std::nullopt;
}

void test_checker::resolve(prepared_test& p, const ast::expectation& x) {
    resolved_expectation r;
    r.decl = &x;
    for (std::size_t i = 0; i < x.units.size(); ++i) {
        const auto u = unit_index(p, x.units[i], x.unit_spans[i]);
        if (!u) {
            continue;
        }
        if (std::find(r.units.begin(), r.units.end(), *u) != r.units.end()) {
            error("E413", x.unit_spans[i], tr(msg::E413_named_twice, fmt::arg("unit", x.units[i])));
            continue;
        }
        r.units.push_back(*u);
    }
    using kind = ast::expectation::kind;
    if ((x.what == kind::tie || x.what == kind::conflict) && x.units.size() < 2) {
        error("E413", x.where, tr(msg::E413_two_units));
    }
    if (x.what == kind::points) {
        if (x.target.what == ast::points_ref::kind::section) {
            std::vector<std::string> ids;
            for (std::size_t s = 0; s < ast_.sections.size(); ++s) {
                if (ast_.sections[s].id == x.target.id) {
                    r.index = s;
                    ids.clear();
                    break;
                }
                ids.push_back(ast_.sections[s].id);
            }
            if (!ids.empty() || ast_.sections.empty()) {
                error("E411", x.target.id_span,
                      tr(msg::E411_no_section, fmt::arg("id", x.target.id),
                         fmt::arg("hint", suggest(x.target.id, ids))));
            }
        } else if (x.target.what == ast::points_ref::kind::criterion) {
            std::vector<std::string> ids;
            bool found = false;
            for (std::size_t c = 0; c < reg_.criteria.size(); ++c) {
                if (reg_.criteria[c].node->id == x.target.id) {
                    r.index = c;
                    found = true;
                    break;
                }
                ids.push_back(reg_.criteria[c].node->id);
            }
            if (!found) {
                error("E411", x.target.id_span,
                      tr(msg::E411_no_criterion, fmt::arg("id", x.target.id),
                         fmt::arg("hint", suggest(x.target.id, ids))));
            }
        }
        auto parse = [&](const ast::number_lit& lit) -> std::optional<number> {
            auto n = number::parse(lit.text);
            if (!n) {
                error("E401", lit.where, tr(msg::E401_too_large, fmt::arg("number", lit.text)));
                return std::nullopt;
            }
            return lit.percent ? *n / number(100) : *n;
        };
        if (auto v = parse(x.value)) {
            r.value = *v;
        }
        if (x.within) {
            r.within = parse(*x.within);
        }
    }
    if (x.what == kind::award || x.what == kind::award_pending || x.what == kind::conflict) {
        std::vector<std::string> ids;
        bool found = false;
        for (std::size_t a = 0; a < ast_.awards.size(); ++a) {
            if (ast_.awards[a].id == x.award) {
                r.index = a;
                found = true;
                break;
            }
            ids.push_back(ast_.awards[a].id);
        }
        if (!found) {
            error("E412", x.award_span,
                  ids.empty() ? tr(msg::E412_no_awards, fmt::arg("id", x.award))
                              : tr(msg::E412_no_award, fmt::arg("id", x.award),
                                   fmt::arg("awards", fmt::join(ids, ", ")),
                                   fmt::arg("hint", suggest(x.award, ids))));
        }
    }
    p.expectations.push_back(std::move(r));
}

prepared_test test_checker::prepare(const ast::test_decl& t) {
    prepared_test p;
    p.decl = &t;
    p.file = file_;
    if (t.data) {
        namespace fs = std::filesystem;
        const fs::path base = fs::path(file_->path()).parent_path();
        const std::string path = (base / *t.data).lexically_normal().generic_string();
        diagnostics load_diags;
        std::string units_file;
        auto data = load_results(ast_, path, {}, load_diags, &units_file);
        if (!units_file.empty()) {
            units_files_.push_back(units_file);
        }
        // What loading says is reported at the first test that names the path.
        const auto& reported = loaded_data_.insert(path).second ? load_diags.items() : no_diags_;
        for (const auto& d : reported) {
            diagnostic copy = d;
            if (!copy.file) {
                // A path that cannot be used at all: point at the `data` line of the test.
                copy.file = file_;
                copy.where = t.data_span;
            }
            diags_.add(std::move(copy));
        }
        if (!data) {
            return p;  // the loader said what is wrong; names cannot be checked without the units
        }
        p.units = std::move(data->units);
        p.data_files = std::move(data->files);
    }
    std::map<std::string, span> seen;
    for (const auto& u : t.units) {
        if (const auto it = seen.find(u.name); it != seen.end()) {
            auto& d =
                error("E405", u.name_span, tr(msg::E405_unit_twice, fmt::arg("unit", u.name)));
            d.notes.push_back({file_, it->second, tr(msg::E404_first_given_here)});
            continue;
        }
        seen.emplace(u.name, u.name_span);
        apply_unit(p, u);
    }
    if (!t.data && t.units.empty()) {
        error("E414", t.title_span, tr(msg::E414_no_units));
        return p;  // every unit an expectation names would be reported unknown as well
    }
    if (t.expectations.empty()) {
        error("E415", t.title_span, tr(msg::E415_no_expect));
    }
    for (const auto& x : t.expectations) {
        resolve(p, x);
    }
    return p;
}

}  // namespace

std::vector<prepared_test> prepare_tests(const checked_regulation& reg,
                                         const std::vector<ast::test_decl>& tests,
                                         const source_ptr& file, diagnostics& diags) {
    std::vector<prepared_test> out;
    // Messages quote keywords as the test file writes them.
    const scoped_keyword_language keywords_as_written(
        file ? keywords::first_keyword_language(file->text()) : std::nullopt);
    test_checker tc(reg, file, diags);
    for (const auto& t : tests) {
        out.push_back(tc.prepare(t));
    }
    // In the order of `score`: a data's units file before its list files (its errors cause
    // theirs), the test file's own by position.
    order_by_cause(diags, tc.units_files());
    return out;
}

}  // namespace thidua
