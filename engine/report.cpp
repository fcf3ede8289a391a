#include "engine/report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string_view>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "engine/board_text.hpp"
#include "engine/explain.hpp"

namespace thidua {

namespace {

using nlohmann::ordered_json;

// Points with the regulation's display decimals, for machines (JSON, CSV cells): a point.
std::string pts_data(const bloc_outcome& bloc, const number& n) {
    return n.to_string(display_places(*bloc.reg->ast));
}

// The same for people (tables, sentences): with the decimal mark of the messages.
std::string pts(const bloc_outcome& bloc, const number& n) {
    return decimal(pts_data(bloc, n));
}

// Two values side by side for people, with the decimals it takes to tell them apart, the same
// for both (board::apart).
std::pair<std::string, std::string> pts_apart(const bloc_outcome& bloc, const number& x,
                                              const number& y) {
    return board::apart(x, y, display_places(*bloc.reg->ast));
}

std::string rank_text(const unit_result& r) {
    if (!r.rank) {
        return "-";
    }
    if (r.rank_unresolved && r.rank_to != *r.rank) {
        return fmt::format("{}-{}?", *r.rank, r.rank_to);
    }
    return fmt::format("{}", *r.rank);
}

// The notes of a unit in the score table (text and CSV): why it has its award state (knock-outs,
// open decisions) and a flagged self-score, worded as in every output (board_text.hpp).
std::vector<std::string> notes_of(const bloc_outcome& bloc, std::size_t i) {
    return board::notes(bloc, i);
}

void pad(std::string& out, std::string_view s, std::size_t width, bool right) {
    const std::size_t w = text_width(s);
    const std::size_t fill = width > w ? width - w : 0;
    if (right) {
        out.append(fill, ' ');
        out += s;
    } else {
        out += s;
        out.append(fill, ' ');
    }
}

std::string table(const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& right) {
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& r : rows) {
        for (std::size_t c = 0; c < r.size(); ++c) {
            widths[c] = std::max(widths[c], text_width(r[c]));
        }
    }
    std::string out;
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (c > 0) {
                line += "  ";
            }
            pad(line, r[c], c + 1 == r.size() ? 0 : widths[c], right[c]);
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line;
        out += '\n';
    }
    return out;
}

ordered_json number_json(const bloc_outcome& bloc, const number& n) {
    return pts_data(bloc, n);
}

// The top-level "warnings" array of score, explain and versus JSON: every warning the results
// loader reported (W201, W202), null position fields for a warning about a whole file.
ordered_json warnings_json(const std::vector<data_warning>& warnings) {
    ordered_json a = ordered_json::array();
    for (const auto& w : warnings) {
        const bool placed = !w.file.empty();
        a.push_back({{"code", w.code},
                     {"file", placed ? ordered_json(w.file) : ordered_json(nullptr)},
                     {"line", placed ? ordered_json(w.line) : ordered_json(nullptr)},
                     {"column", placed ? ordered_json(w.column) : ordered_json(nullptr)},
                     {"message", w.message}});
    }
    return a;
}

// The fields that open a unit's object in `score` and `explain --versus` JSON.
ordered_json unit_head_json(const bloc_outcome& bloc, std::size_t i) {
    const auto& s = bloc.scores[i];
    const auto& r = bloc.ranking.units[i];
    ordered_json u;
    u["unit"] = bloc.units[i]->name;
    u["total"] = s.excluded ? ordered_json(nullptr) : number_json(bloc, s.total);
    // The total the ranking compared, with no display rounding (a regulation that declares no
    // total rounding can have one "total" shows rounded: "35.9964…" shows as "36.00").
    u["total_exact"] = s.excluded ? ordered_json(nullptr) : ordered_json(s.total.exact_string());
    u["rank"] = r.rank ? ordered_json(*r.rank) : ordered_json(nullptr);
    u["rank_unresolved"] = r.rank_unresolved;
    return u;
}

// What `explain --versus` says, gathered once for the text and the JSON.
struct versus_facts {
    struct key {
        std::size_t position = 0;  // 1-based
        std::string text;          // the key as written (one line)
        bool descending = true;
        number a;
        number b;
        // The key is the total: its values before the regulation's rounding of the total.
        bool total = false;
        number a_raw;
        number b_raw;
    };
    struct row {
        bool item = false;  // a bonus or deduction item; else a criterion
        std::string id;     // the criterion's id ("" for an item)
        std::string label;
        bool a_applicable = true;
        bool b_applicable = true;
        number a;
        number b;
    };
    bool excluded = false;
    std::vector<key> keys;  // the equal ones, then the one that separates A and B (if any)
    bool separated = false;
    std::vector<row> rows;  // where their points differ
};

versus_facts versus_of(const bloc_outcome& bloc, std::size_t a, std::size_t b) {
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    const auto& sa = bloc.scores[a];
    const auto& sb = bloc.scores[b];
    versus_facts f;
    f.excluded = sa.excluded || sb.excluded;
    if (f.excluded) {
        return f;
    }
    for (std::size_t k = 0; k < sa.keys.size() && k < sb.keys.size() && !f.separated; ++k) {
        // Without a ranking declaration the one key is the total.
        const auto* ref =
            ast.ranking ? std::get_if<ast::points_ref>(&ast.ranking->keys[k].key->kind) : nullptr;
        const bool total =
            !ast.ranking || (ref != nullptr && ref->what == ast::points_ref::kind::total);
        f.keys.push_back({k + 1,
                          ast.ranking ? formula_text(*ast.file, *ast.ranking->keys[k].key)
                                      : std::string("total"),
                          ast.ranking ? ast.ranking->keys[k].descending : true, sa.keys[k],
                          sb.keys[k], total, sa.total_raw, sb.total_raw});
        f.separated = sa.keys[k] != sb.keys[k];
    }
    for (std::size_t c = 0; c < reg.criteria.size(); ++c) {
        const auto& ca = sa.criteria[c];
        const auto& cb = sb.criteria[c];
        if (ca.applicable != cb.applicable || ca.points != cb.points) {
            f.rows.push_back({false, reg.criteria[c].node->id, reg.criteria[c].node->label,
                              ca.applicable, cb.applicable, ca.points, cb.points});
        }
    }
    for (std::size_t it = 0; it < reg.items.size(); ++it) {
        if (sa.items[it].points != sb.items[it].points) {
            f.rows.push_back({true, "", reg.items[it].node->label, true, true, sa.items[it].points,
                              sb.items[it].points});
        }
    }
    return f;
}

// A's key ranks it ahead of B's.
bool ahead(const versus_facts::key& k) {
    return k.descending ? k.b < k.a : k.a < k.b;
}

}  // namespace

std::string requirement_shortfall(const bloc_outcome& bloc, const ast::expr& cond,
                                  const trace_frame& frame, const shortfall_wording& wording) {
    const auto* b = std::get_if<ast::binary>(&cond.kind);
    if (b == nullptr) {
        return "";
    }
    if (b->what == ast::binary::op::and_) {
        const std::string l = requirement_shortfall(bloc, *b->lhs, frame, wording);
        const std::string r = requirement_shortfall(bloc, *b->rhs, frame, wording);
        return l.empty() ? r : (r.empty() ? l : l + "; " + r);
    }
    const auto l = trace_value(*bloc.reg, frame, *b->lhs);
    const auto r = trace_value(*bloc.reg, frame, *b->rhs);
    const auto v = frame.find(cond.id);
    if (l == nullptr || r == nullptr || v == nullptr || v->b || l->what != rt_value::tag::number
        || r->what != rt_value::tag::number) {
        return "";
    }
    const std::string lhs = formula_text(*bloc.reg->ast->file, *b->lhs);
    const auto say = [&](msg m, const number& amount) {
        return tr(m, fmt::arg("value", lhs), fmt::arg("amount", pts(bloc, amount)));
    };
    switch (b->what) {
        case ast::binary::op::ge:
            return say(wording.ge, r->n - l->n);
        case ast::binary::op::gt:
            return say(wording.gt, r->n - l->n);
        case ast::binary::op::le:
            return say(wording.le, l->n - r->n);
        case ast::binary::op::lt:
            return say(wording.lt, l->n - r->n);
        default:
            return "";
    }
}

std::size_t text_width(std::string_view s) {
    return utf8_width(s);
}

std::optional<number> groups_max(const checked_regulation& reg, ast::group::kind kind) {
    std::optional<number> sum;
    for (std::size_t g = 0; g < reg.ast->groups.size(); ++g) {
        if (reg.ast->groups[g].what != kind) {
            continue;
        }
        if (!reg.group_max[g]) {
            return std::nullopt;  // one uncapped group: the sum has no maximum
        }
        sum = sum.value_or(number(0)) + *reg.group_max[g];
    }
    return sum;
}

bool formula_like(std::string_view text) {
    return !text.empty()
           && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'
               || text[0] == '\t' || text[0] == '\r');
}

std::string csv_cell(std::string_view text, bool user_text, char separator) {
    std::string cell(text);
    if (user_text && formula_like(cell)) {
        cell.insert(cell.begin(), '\'');
    }
    if (cell.find_first_of("\"\n\r") != std::string::npos
        || cell.find(separator) != std::string::npos) {
        std::string quoted = "\"";
        for (const char c : cell) {
            if (c == '"') {
                quoted += '"';
            }
            quoted += c;
        }
        quoted += '"';
        return quoted;
    }
    return cell;
}

std::string table_name(std::string_view name) {
    // Characters (code points, as text_width counts them) kept from the start and the end.
    constexpr std::size_t head = (max_table_name_width - 1) * 2 / 3;
    constexpr std::size_t tail = max_table_name_width - 1 - head;
    const std::size_t width = text_width(name);
    if (width <= max_table_name_width) {
        return std::string(name);
    }
    // Byte offset of the n-th character.
    const auto offset = [&](std::size_t n) {
        std::size_t i = 0;
        for (std::size_t seen = 0; i < name.size(); ++i) {
            if ((static_cast<unsigned char>(name[i]) & 0xC0U) != 0x80U && seen++ == n) {
                break;
            }
        }
        return i;
    };
    std::string out(name.substr(0, offset(head)));
    out += "…";
    out += name.substr(offset(width - tail));
    return out;
}

std::string score_text(const bloc_outcome& bloc) {
    const auto& ast = *bloc.reg->ast;
    std::string out = fmt::format("{}\n{}\n\n", ast.title,
                                  tr(msg::score_units_scale, fmt::arg("units", bloc.units.size()),
                                     fmt::arg("scale", decimal(bloc.reg->scale.exact_string()))));
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {tr(msg::score_col_rank), tr(msg::score_col_unit)};
    std::vector<bool> right = {true, false};
    for (const auto& s : ast.sections) {
        header.push_back(s.id);
        right.push_back(true);
    }
    for (const msg h : {msg::score_col_bonus, msg::score_col_deduction, msg::score_col_total}) {
        header.push_back(tr(h));
        right.push_back(true);
    }
    header.push_back(tr(msg::score_col_award));
    right.push_back(false);
    header.push_back(tr(msg::score_col_notes));
    right.push_back(false);
    rows.push_back(header);
    for (const auto i : board::table_order(bloc)) {
        const auto& s = bloc.scores[i];
        const auto& r = bloc.ranking.units[i];
        std::vector<std::string> row = {rank_text(r), table_name(bloc.units[i]->name)};
        for (std::size_t k = 0; k < ast.sections.size(); ++k) {
            row.push_back(s.excluded ? "" : pts(bloc, s.section_points[k]));
        }
        row.push_back(s.excluded ? "" : pts(bloc, s.bonus));
        row.push_back(s.excluded ? "" : pts(bloc, s.deduction));
        row.push_back(s.excluded ? "" : pts(bloc, s.total));
        row.push_back(board::award(bloc, i));
        row.push_back(fmt::format("{}", fmt::join(notes_of(bloc, i), "; ")));
        rows.push_back(std::move(row));
    }
    out += table(rows, right);
    const auto& rk = bloc.ranking;
    // Consecutive units whose ranks differ on a key that looks the same in the table: the board
    // sees equal totals and different ranks, so say where the difference lies.
    std::vector<std::string> hidden;
    for (std::size_t k = 1; k < rk.order.size(); ++k) {
        const std::size_t u = rk.order[k - 1];
        const std::size_t v = rk.order[k];
        if (rk.units[u].rank == rk.units[v].rank) {
            continue;
        }
        const versus_facts f = versus_of(bloc, u, v);
        if (!f.separated || pts(bloc, f.keys.back().a) != pts(bloc, f.keys.back().b)) {
            continue;
        }
        const auto& key = f.keys.back();
        const auto [value_a, value_b] = pts_apart(bloc, key.a, key.b);
        hidden.push_back(tr(msg::score_beyond_decimals_pair, fmt::arg("a", bloc.units[u]->name),
                            fmt::arg("b", bloc.units[v]->name), fmt::arg("number", key.position),
                            fmt::arg("key", key.text), fmt::arg("value_a", value_a),
                            fmt::arg("value_b", value_b)));
    }
    if (!hidden.empty()) {
        out += fmt::format("\n{}\n", tr(msg::score_beyond_decimals));
        for (const auto& line : hidden) {
            out += fmt::format("  {}\n", line);
        }
    }
    if (!rk.unresolved_ties.empty()) {
        out += fmt::format("\n{}:\n", board::text().unresolved_ties);
        for (const auto t : rk.unresolved_ties) {
            out += fmt::format("  {}\n", describe_tie(rk, rk.ties[t]));
        }
    }
    if (!rk.tie_votes.empty()) {
        out += fmt::format("\n{}:\n", board::text().tie_votes);
        for (const auto& v : rk.tie_votes) {
            out += fmt::format("  {}\n", describe_tie_vote(rk, v));
        }
    }
    if (!rk.conflicts.empty()) {
        out += fmt::format("\n{}:\n", board::text().quota_conflicts);
        for (const auto& c : rk.conflicts) {
            out += fmt::format("  {}\n", describe_conflict(rk, c));
        }
    }
    out += fmt::format("\n{}:\n", board::text().awards);
    for (std::size_t t = 0; t < rk.tiers.size(); ++t) {
        const auto& tier = rk.tiers[t];
        // Who, or why nobody; then the slots the tier really had (passed down, the awards limit).
        out += fmt::format("  {} ({}): {}", tier.label, tier.id, board::recipients(bloc, t));
        if (board::slots_limited(tier)) {
            out += fmt::format(
                "; {}", tr(msg::decision_quota, fmt::arg("quota", board::tier_slots(bloc, t))));
        }
        out += '\n';
    }
    return out;
}

std::string score_json(const bloc_outcome& bloc, const report_meta& meta) {
    const auto& ast = *bloc.reg->ast;
    const auto& rk = bloc.ranking;
    // The document is printed as dump(2) prints it, but the units are not held in one JSON tree
    // (several kilobytes per unit as nlohmann values): each is built and printed in turn, at its
    // depth, straight into the text.
    std::string out = "{\n";
    nlohmann::detail::serializer<ordered_json> printer(
        nlohmann::detail::output_adapter<char, std::string>(out), ' ',
        ordered_json::error_handler_t::replace);
    const auto member = [&](std::string_view key, const ordered_json& value) {
        out += "  ";
        printer.dump(ordered_json(key), false, false, 0);
        out += ": ";
        printer.dump(value, true, false, 2, 2);
    };
    member("regulation",
           {{"title", ast.title}, {"file", ast.file->path()}, {"sha256", meta.regulation_sha256}});
    out += ",\n";
    member("data", {{"sha256", meta.data_sha256}});
    out += ",\n  \"units\": [";
    bool first_unit = true;
    for (const auto i : board::table_order(bloc)) {
        const auto& s = bloc.scores[i];
        const auto& r = rk.units[i];
        ordered_json u = unit_head_json(bloc, i);
        u["award"] = r.award ? ordered_json(ast.awards[*r.award].id) : ordered_json(nullptr);
        u["award_label"] =
            r.award ? ordered_json(ast.awards[*r.award].label) : ordered_json(nullptr);
        u["award_open"] = r.award_open;
        // Why it is open: each open decision, worded as explain and the report word it.
        ordered_json open = ordered_json::array();
        for (std::size_t t = 0; t < r.tiers.size(); ++t) {
            if (board::is_open(r.tiers[t].kind)) {
                open.push_back(
                    {{"award", ast.awards[t].id}, {"text", board::decision(bloc, i, t)}});
            }
        }
        u["open_decisions"] = std::move(open);
        u["excluded"] = s.excluded;
        ordered_json ex = ordered_json::array();
        for (const auto k : s.exclude_reasons) {
            ex.push_back(ast.knockouts[k].label);
        }
        u["exclude_reasons"] = ex;
        u["ineligible"] = s.ineligible;
        ordered_json in = ordered_json::array();
        for (const auto k : s.ineligible_reasons) {
            in.push_back(ast.knockouts[k].label);
        }
        u["ineligible_reasons"] = in;
        ordered_json sections = ordered_json::array();
        if (!s.excluded) {
            for (std::size_t k = 0; k < ast.sections.size(); ++k) {
                ordered_json sj;
                sj["id"] = ast.sections[k].id;
                sj["points"] = number_json(bloc, s.section_points[k]);
                sj["max"] = number_json(bloc, bloc.reg->section_max[k]);
                ordered_json crit = ordered_json::array();
                for (std::size_t c = 0; c < bloc.reg->criteria.size(); ++c) {
                    if (bloc.reg->criteria[c].section != k) {
                        continue;
                    }
                    const auto& sc = s.criteria[c];
                    crit.push_back({{"id", bloc.reg->criteria[c].node->id},
                                    {"points", sc.applicable ? number_json(bloc, sc.points)
                                                             : ordered_json(nullptr)},
                                    {"max", number_json(bloc, bloc.reg->criteria[c].max)},
                                    {"applicable", sc.applicable}});
                }
                sj["criteria"] = std::move(crit);
                sections.push_back(std::move(sj));
            }
        }
        u["sections"] = std::move(sections);
        u["bonus"] = s.excluded ? ordered_json(nullptr) : number_json(bloc, s.bonus);
        u["deduction"] = s.excluded ? ordered_json(nullptr) : number_json(bloc, s.deduction);
        u["self_score"] = s.self_score ? number_json(bloc, *s.self_score) : ordered_json(nullptr);
        u["self_difference"] =
            s.self_difference ? number_json(bloc, *s.self_difference) : ordered_json(nullptr);
        u["self_flagged"] = s.self_flagged;
        out += first_unit ? "\n    " : ",\n    ";
        const std::size_t before = out.size();
        printer.dump(u, true, false, 2, 4);
        if (first_unit) {
            // Room for every unit at once, by the first one's size and some: growing a text of
            // a gigabyte by doubling would hold the old and the new copy together.
            out.reserve(out.size() + (out.size() - before + 8) * bloc.units.size() * 5 / 4 + 65536);
        }
        first_unit = false;
    }
    out += first_unit ? "]" : "\n  ]";
    ordered_json doc;  // the members after "units"
    auto names = [&](const std::vector<std::size_t>& idx) {
        ordered_json a = ordered_json::array();
        for (const auto i : idx) {
            a.push_back(bloc.units[i]->name);
        }
        return a;
    };
    ordered_json unresolved = ordered_json::array();
    for (const auto t : rk.unresolved_ties) {
        const auto& tg = rk.ties[t];
        unresolved.push_back({{"units", names(tg.units)},
                              {"from", tg.from},
                              {"to", tg.to},
                              {"text", describe_tie(rk, tg)}});
    }
    doc["unresolved"] = std::move(unresolved);
    ordered_json conflicts = ordered_json::array();
    for (const auto& c : rk.conflicts) {
        conflicts.push_back({{"award", ast.awards[c.tier].id},
                             {"units", names(c.units)},
                             {"rank", c.rank},
                             {"slots", c.slots},
                             {"text", describe_conflict(rk, c)}});
    }
    doc["quota_conflicts"] = std::move(conflicts);
    ordered_json votes = ordered_json::array();
    for (const auto& v : rk.tie_votes) {
        votes.push_back({{"award", ast.awards[v.tier].id},
                         {"units", names(v.units)},
                         {"text", describe_tie_vote(rk, v)}});
    }
    doc["tie_votes"] = std::move(votes);
    ordered_json awards = ordered_json::array();
    for (std::size_t t = 0; t < rk.tiers.size(); ++t) {
        const auto& tr = rk.tiers[t];
        std::vector<std::size_t> who;
        for (const auto i : board::table_order(bloc)) {
            if (rk.units[i].award == t) {
                who.push_back(i);
            }
        }
        awards.push_back(
            {{"id", tr.id},
             {"label", tr.label},
             {"recipients", names(who)},
             {"quota", board::slots_limited(tr) ? ordered_json(board::tier_slots(bloc, t))
                                                : ordered_json(nullptr)},
             {"pending_slots", describe_slots(tr.held)},
             {"slots_available",
              tr.available ? ordered_json(describe_slots(*tr.available)) : ordered_json(nullptr)},
             {"recipients_text", board::recipients(bloc, t)}});
    }
    doc["awards"] = std::move(awards);
    doc["warnings"] = warnings_json(meta.warnings);
    for (const auto& [key, value] : doc.items()) {
        out += ",\n";
        member(key, value);
    }
    out += "\n}\n";
    return out;
}

std::string score_csv(const bloc_outcome& bloc, bool decimal_comma) {
    // Vietnamese-locale Excel reads `;` between cells and `,` before decimals.
    const char sep = decimal_comma ? ';' : ',';
    // The notes' numbers ("self-score 88.00") have the decimal mark of the number cells.
    const scoped_decimal_mark mark(decimal_comma ? decimal_mark::comma : decimal_mark::point);
    const auto num = [&](std::string text) {
        if (decimal_comma) {
            std::replace(text.begin(), text.end(), '.', ',');
        }
        return text;
    };
    const auto& ast = *bloc.reg->ast;
    std::vector<std::string> header = {"rank", "unit"};
    for (const auto& s : ast.sections) {
        header.push_back(s.id);
    }
    // rank_unresolved / rank_to / award_open: an unresolved tie (positions rank..rank_to, left
    // to the bloc's vote) and an award waiting on it must not read as a shared rank and no award.
    for (const char* h :
         {"bonus", "deduction", "total", "award", "rank_unresolved", "rank_to", "award_open",
          "excluded", "ineligible", "self_score_difference", "notes"}) {
        header.emplace_back(h);
    }
    // A UTF-8 byte order mark: Excel on Windows reads the file as UTF-8 only with it, and
    // Vietnamese names would otherwise show as mojibake.
    std::string out = "\xEF\xBB\xBF";
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) {
                out += sep;
            }
            out += cells[i];
        }
        out += "\r\n";
    };
    std::vector<std::string> hcells;
    for (const auto& h : header) {
        hcells.push_back(csv_cell(h, true, sep));
    }
    line(hcells);
    for (const auto i : board::table_order(bloc)) {
        const auto& s = bloc.scores[i];
        const auto& r = bloc.ranking.units[i];
        std::vector<std::string> row = {r.rank ? fmt::format("{}", *r.rank) : "",
                                        csv_cell(bloc.units[i]->name, true, sep)};
        for (std::size_t k = 0; k < ast.sections.size(); ++k) {
            row.push_back(s.excluded ? "" : num(pts_data(bloc, s.section_points[k])));
        }
        row.push_back(s.excluded ? "" : num(pts_data(bloc, s.bonus)));
        row.push_back(s.excluded ? "" : num(pts_data(bloc, s.deduction)));
        row.push_back(s.excluded ? "" : num(pts_data(bloc, s.total)));
        row.push_back(csv_cell(r.award ? ast.awards[*r.award].label : "", true, sep));
        row.emplace_back(r.rank_unresolved ? "true" : "false");
        row.push_back(r.rank_unresolved ? fmt::format("{}", r.rank_to) : "");
        row.emplace_back(r.award_open ? "true" : "false");
        row.emplace_back(s.excluded ? "true" : "false");
        row.emplace_back(s.ineligible ? "true" : "false");
        row.push_back(s.self_difference ? num(pts_data(bloc, *s.self_difference)) : "");
        row.push_back(csv_cell(fmt::format("{}", fmt::join(notes_of(bloc, i), "; ")), true, sep));
        line(row);
    }
    return out;
}

namespace {

// "needs 1.50 more points" for a failed `x >= c` / `x > c`, "is 0.50 too high" for `<=`/`<`.
std::string shortfall(const bloc_outcome& bloc, const ast::expr& cond, const trace_frame& frame) {
    return requirement_shortfall(
        bloc, cond, frame,
        {msg::shortfall_ge, msg::shortfall_gt, msg::shortfall_le, msg::shortfall_lt});
}

std::string clamp_line(const bloc_outcome& bloc, const number& raw, const number& points,
                       const std::optional<number>& max) {
    const std::string range =
        max ? fmt::format("[0{}{}]", number_separator(), decimal(max->exact_string()))
            : tr(msg::clamp_no_maximum, fmt::arg("separator", number_separator()));
    if (raw == points) {
        return tr(msg::clamp_within, fmt::arg("points", pts(bloc, points)),
                  fmt::arg("range", range));
    }
    number clamped = raw.sign() < 0 ? number(0) : raw;
    if (max && *max < clamped) {
        clamped = *max;
    }
    std::string s = tr(msg::clamp_computed, fmt::arg("value", decimal(raw.display(0, 4))));
    if (!(clamped == raw)) {
        s += tr(raw.sign() < 0 ? msg::clamp_raised : msg::clamp_capped,
                fmt::arg("points", pts(bloc, clamped)));
    }
    if (!(clamped == points)) {
        s += tr(msg::clamp_rounded, fmt::arg("points", pts(bloc, points)));
    }
    return s;
}

// How a section's points come from its criteria: the sum, or for `combine rescaled` the
// arithmetic with the criteria behind it (language.md §6.3).
std::vector<explain_line> section_lines(const bloc_outcome& bloc, std::size_t i, std::size_t sec,
                                        unsigned depth) {
    const auto& reg = *bloc.reg;
    const auto& sd = reg.ast->sections[sec];
    const auto& s = bloc.scores[i];
    if (sd.combine != ast::section::combine_mode::rescaled) {
        return {{depth,
                 tr(msg::explain_section, fmt::arg("section", sd.id),
                    fmt::arg("how", tr(msg::explain_section_sum)),
                    fmt::arg("result", clamp_line(bloc, s.section_raw[sec], s.section_points[sec],
                                                  reg.section_max[sec])))}};
    }
    const auto r = explain_rescaled(reg, s, sec);
    return {{depth,
             tr(msg::explain_section, fmt::arg("section", sd.id),
                fmt::arg("how", tr(msg::explain_section_rescaled,
                                   fmt::arg("max", decimal(reg.section_max[sec].exact_string())))),
                fmt::arg("result", r.arithmetic))},
            {depth + 1, r.parts}};
}

std::string unit_header(const bloc_outcome& bloc, std::size_t i) {
    const auto& s = bloc.scores[i];
    const auto& r = bloc.ranking.units[i];
    std::size_t ranked = bloc.ranking.order.size();
    if (s.excluded) {
        return tr(msg::unit_header_excluded, fmt::arg("unit", bloc.units[i]->name),
                  fmt::arg("excluded", board::text().excluded));
    }
    std::string h = tr(msg::unit_header, fmt::arg("unit", bloc.units[i]->name),
                       fmt::arg("points", pts(bloc, s.total)), fmt::arg("rank", rank_text(r)),
                       fmt::arg("ranked", ranked));
    if (r.award) {
        h += fmt::format(": {}", bloc.reg->ast->awards[*r.award].label);
    } else if (r.award_open) {
        // "…: Bằng khen …: open": which awards are open; the decision lines below say why.
        std::vector<std::string> open;
        for (std::size_t t = 0; t < r.tiers.size(); ++t) {
            if (board::is_open(r.tiers[t].kind)) {
                open.push_back(bloc.ranking.tiers[t].label);
            }
        }
        h += fmt::format(": {}: {}", fmt::join(open, ", "), board::text().open);
    }
    return h;
}

}  // namespace

// The lines of `lines` no deeper than `max_depth`.
static std::vector<explain_line> up_to_depth(std::vector<explain_line> lines, unsigned max_depth) {
    lines.erase(std::remove_if(lines.begin(), lines.end(),
                               [&](const explain_line& l) { return l.depth > max_depth; }),
                lines.end());
    return lines;
}

std::string explain_text(const bloc_outcome& bloc, std::size_t i,
                         const std::optional<std::string>& criterion, unsigned max_depth) {
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    const auto& s = bloc.scores[i];
    std::vector<explain_line> lines;
    auto add = [&](unsigned depth, std::string text) { lines.push_back({depth, std::move(text)}); };
    auto cite = [](const std::optional<std::string>& c) {
        return c ? fmt::format("  [{}]", *c) : std::string();
    };
    add(0, unit_header(bloc, i));
    if (!criterion) {
        add(0, tr(msg::explain_regulation, fmt::arg("title", ast.title),
                  fmt::arg("file", ast.file->path())));
    }
    // Knock-outs first: an excluded unit stops here.
    if (!criterion) {
        for (std::size_t k = 0; k < ast.knockouts.size(); ++k) {
            const auto& ko = ast.knockouts[k];
            if (k >= s.knockout_traces.size()
                || (s.excluded && ko.what == ast::knockout::kind::ineligible)) {
                continue;
            }
            const auto v = trace_value(reg, s.knockout_traces[k], *ko.condition);
            const bool holds = v != nullptr && v->b;
            add(0, tr(ko.what == ast::knockout::kind::exclude ? msg::explain_knockout_exclude
                                                              : msg::explain_knockout_ineligible,
                      fmt::arg("label", ko.label), fmt::arg("rule", rule_position(ast, ko.where)),
                      fmt::arg("result",
                               tr(holds ? msg::explain_applies : msg::explain_does_not_apply))));
            auto d = explain_condition(reg, *ko.condition, s.knockout_traces[k], 1);
            lines.insert(lines.end(), d.begin(), d.end());
        }
        if (s.excluded) {
            return render_lines(up_to_depth(std::move(lines), max_depth));
        }
    }
    bool found = false;
    for (std::size_t sec = 0; sec < ast.sections.size(); ++sec) {
        const auto& sd = ast.sections[sec];
        if (!criterion) {
            add(0, fmt::format("{} {}: {} / {}", sd.id, sd.label, pts(bloc, s.section_points[sec]),
                               decimal(reg.section_max[sec].exact_string())));
        }
        for (std::size_t c = 0; c < reg.criteria.size(); ++c) {
            if (reg.criteria[c].section != sec) {
                continue;
            }
            const auto& cd = *reg.criteria[c].node;
            if (criterion && cd.id != *criterion) {
                continue;
            }
            found = true;
            const auto& sc = s.criteria[c];
            const unsigned d = criterion ? 0 : 1;
            add(d,
                fmt::format("{} {}: {} / {}{}  {}", cd.id, cd.label,
                            sc.applicable ? pts(bloc, sc.points) : tr(msg::explain_not_applicable),
                            decimal(reg.criteria[c].max.exact_string()), cite(cd.cite),
                            rule_position(ast, cd.where)));
            if (cd.applies_when) {
                auto cl = explain_condition(reg, *cd.applies_when, s.criterion_trace(c), d + 1);
                cl.front().text =
                    tr(msg::explain_applies_when, fmt::arg("condition", cl.front().text));
                lines.insert(lines.end(), cl.begin(), cl.end());
            }
            if (!sc.applicable) {
                continue;
            }
            auto body = explain_body(reg, cd.body, s.criterion_trace(c), d + 1);
            lines.insert(lines.end(), body.begin(), body.end());
            add(d + 1,
                tr(msg::explain_result,
                   fmt::arg("result", clamp_line(bloc, sc.raw, sc.points, reg.criteria[c].max))));
        }
        if (!criterion) {
            auto sl = section_lines(bloc, i, sec, 1);
            lines.insert(lines.end(), sl.begin(), sl.end());
        }
    }
    if (criterion) {
        if (!found) {
            add(0, tr(msg::explain_no_criterion, fmt::arg("criterion", *criterion)));
        }
        return render_lines(up_to_depth(std::move(lines), max_depth));
    }
    for (std::size_t g = 0; g < ast.groups.size(); ++g) {
        const auto& gd = ast.groups[g];
        add(0, tr(gd.what == ast::group::kind::bonus ? msg::explain_bonus_group
                                                     : msg::explain_deduction_group,
                  fmt::arg("label", gd.label), fmt::arg("points", pts(bloc, s.group_points[g])),
                  fmt::arg("max", reg.group_max[g] ? fmt::format(
                                      " / {}", decimal(reg.group_max[g]->exact_string()))
                                                   : std::string())));
        for (std::size_t it = 0; it < reg.items.size(); ++it) {
            if (reg.items[it].group != g) {
                continue;
            }
            const auto& id = *reg.items[it].node;
            const auto& si = s.items[it];
            add(1, tr(msg::explain_item, fmt::arg("label", id.label),
                      fmt::arg("points", pts(bloc, si.points)),
                      fmt::arg("max", reg.items[it].max ? fmt::format(
                                          " / {}", decimal(reg.items[it].max->exact_string()))
                                                        : std::string()),
                      fmt::arg("cite", cite(id.cite)),
                      fmt::arg("rule", rule_position(ast, id.where))));
            auto body = explain_body(reg, id.body, s.item_trace(it), 2);
            lines.insert(lines.end(), body.begin(), body.end());
            add(2, tr(msg::explain_result,
                      fmt::arg("result", clamp_line(bloc, si.raw, si.points, reg.items[it].max))));
        }
        add(1, tr(msg::explain_group,
                  fmt::arg("result",
                           clamp_line(bloc, s.group_raw[g], s.group_points[g], reg.group_max[g]))));
    }
    std::vector<std::string> parts;
    for (std::size_t sec = 0; sec < ast.sections.size(); ++sec) {
        parts.push_back(pts(bloc, s.section_points[sec]));
    }
    std::string total_line =
        tr(msg::explain_total, fmt::arg("sections", fmt::format("{}", fmt::join(parts, " + "))),
           fmt::arg("bonus", pts(bloc, s.bonus)), fmt::arg("deduction", pts(bloc, s.deduction)),
           // With the places of every other number here ("79.00", not "79"), and up to four more
           // where the sum has them ("≈35.9964"), since this is the value before rounding.
           fmt::arg("total",
                    decimal(s.total_raw.display(display_places(ast), display_places(ast) + 4))));
    if (!(s.total_raw == s.total)) {
        // Rounded (a negative sum is raised to 0 first): say how and by which rule.
        const auto* rule = board::rounding_rule_of(ast, ast::rounding_rule::target::total);
        if (s.total_raw.sign() < 0 || rule == nullptr) {
            total_line += tr(s.total_raw.sign() < 0 ? msg::clamp_raised_to : msg::clamp_rounded,
                             fmt::arg("points", pts(bloc, s.total)));
        } else {
            total_line +=
                tr(msg::explain_total_rounded, fmt::arg("rounding", board::rounding(ast, *rule)),
                   fmt::arg("points", pts(bloc, s.total)));
        }
    }
    add(0, total_line);
    if (ast.self_score && !s.self_score && !bloc.ranking.units[i].excluded) {
        add(0, board::self_score_absent(ast));
    }
    if (s.self_score) {
        add(0, tr(s.self_flagged ? msg::explain_self_score_over : msg::explain_self_score_within,
                  fmt::arg("self_score", pts(bloc, *s.self_score)),
                  fmt::arg("difference", pts(bloc, *s.self_difference)),
                  fmt::arg("tolerance", decimal(std::string(ast.self_score->tolerance.text)))));
    }
    const auto& rk = bloc.ranking;
    const auto& r = rk.units[i];
    if (r.tie) {
        add(0, describe_tie(rk, rk.ties[*r.tie]));
    }
    for (std::size_t a = 0; a < ast.awards.size(); ++a) {
        const auto& aw = ast.awards[a];
        add(0, tr(msg::explain_award, fmt::arg("award", aw.id), fmt::arg("label", aw.label),
                  fmt::arg("decision", board::decision(bloc, i, a, false))));
        for (std::size_t q = 0; q < aw.requirements.size(); ++q) {
            const auto& req = aw.requirements[q];
            if (a >= s.requirement_traces.size() || q >= s.requirement_traces[a].size()) {
                continue;
            }
            const auto& tf = s.requirement_traces[a][q];
            const bool holds = s.requirements[a][q];
            std::string head = tr(holds ? msg::explain_require_holds : msg::explain_require_fails,
                                  fmt::arg("label", req.label));
            if (!holds) {
                const std::string sf = shortfall(bloc, *req.condition, tf);
                if (!sf.empty()) {
                    head += fmt::format(" ({})", sf);
                }
            }
            add(1, head);
            auto cl = explain_condition(reg, *req.condition, tf, 2);
            lines.insert(lines.end(), cl.begin(), cl.end());
        }
    }
    return render_lines(up_to_depth(std::move(lines), max_depth));
}

std::string explain_json(const bloc_outcome& bloc, std::size_t i,
                         const std::optional<std::string>& criterion,
                         const std::vector<data_warning>& warnings) {
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    const auto& s = bloc.scores[i];
    const auto& r = bloc.ranking.units[i];
    auto lines_json = [](const std::vector<explain_line>& ls) {
        ordered_json a = ordered_json::array();
        for (const auto& l : ls) {
            a.push_back(std::string(static_cast<std::size_t>(l.depth) * 2, ' ') + l.text);
        }
        return a;
    };
    ordered_json doc;
    doc["unit"] = bloc.units[i]->name;
    doc["excluded"] = s.excluded;
    doc["total"] = s.excluded ? ordered_json(nullptr) : ordered_json(pts_data(bloc, s.total));
    doc["rank"] = r.rank ? ordered_json(*r.rank) : ordered_json(nullptr);
    doc["award"] = r.award ? ordered_json(ast.awards[*r.award].id) : ordered_json(nullptr);
    ordered_json crit = ordered_json::array();
    if (!s.excluded) {
        for (std::size_t c = 0; c < reg.criteria.size(); ++c) {
            const auto& cd = *reg.criteria[c].node;
            if (criterion && cd.id != *criterion) {
                continue;
            }
            const auto& sc = s.criteria[c];
            ordered_json cj;
            cj["id"] = cd.id;
            cj["label"] = cd.label;
            cj["section"] = ast.sections[reg.criteria[c].section].id;
            cj["applicable"] = sc.applicable;
            cj["points"] =
                sc.applicable ? ordered_json(pts_data(bloc, sc.points)) : ordered_json(nullptr);
            cj["computed"] =
                sc.applicable ? ordered_json(sc.raw.exact_string()) : ordered_json(nullptr);
            cj["max"] = reg.criteria[c].max.exact_string();
            cj["cite"] = cd.cite ? ordered_json(*cd.cite) : ordered_json(nullptr);
            cj["rule"] = rule_position(ast, cd.where);
            cj["derivation"] = sc.applicable
                                   ? lines_json(explain_body(reg, cd.body, s.criterion_trace(c), 0))
                                   : ordered_json::array();
            crit.push_back(std::move(cj));
        }
    }
    doc["criteria"] = std::move(crit);
    if (!criterion) {
        // Each section's points from its criteria: "rescaled" sections show the arithmetic.
        ordered_json sections = ordered_json::array();
        if (!s.excluded) {
            for (std::size_t sec = 0; sec < ast.sections.size(); ++sec) {
                const bool rescaled =
                    ast.sections[sec].combine == ast::section::combine_mode::rescaled;
                sections.push_back(
                    {{"id", ast.sections[sec].id},
                     {"label", ast.sections[sec].label},
                     {"combine", rescaled ? "rescaled" : "sum"},
                     {"points", pts_data(bloc, s.section_points[sec])},
                     {"computed", s.section_raw[sec].exact_string()},
                     {"max", reg.section_max[sec].exact_string()},
                     {"applicable_max",
                      rescaled ? ordered_json(s.section_applicable_max[sec].exact_string())
                               : ordered_json(nullptr)},
                     {"derivation", lines_json(section_lines(bloc, i, sec, 0))}});
            }
        }
        doc["sections"] = std::move(sections);
        ordered_json items = ordered_json::array();
        if (!s.excluded) {
            for (std::size_t it = 0; it < reg.items.size(); ++it) {
                const auto& id = *reg.items[it].node;
                items.push_back(
                    {{"group", ast.groups[reg.items[it].group].label},
                     {"label", id.label},
                     {"points", pts_data(bloc, s.items[it].points)},
                     {"computed", s.items[it].raw.exact_string()},
                     {"rule", rule_position(ast, id.where)},
                     {"derivation", lines_json(explain_body(reg, id.body, s.item_trace(it), 0))}});
            }
        }
        doc["items"] = std::move(items);
        ordered_json awards = ordered_json::array();
        for (std::size_t a = 0; a < ast.awards.size(); ++a) {
            ordered_json aj;
            aj["id"] = ast.awards[a].id;
            aj["decision"] = board::decision(bloc, i, a);
            ordered_json reqs = ordered_json::array();
            if (!s.excluded && a < s.requirement_traces.size()) {
                for (std::size_t q = 0; q < ast.awards[a].requirements.size(); ++q) {
                    const auto& req = ast.awards[a].requirements[q];
                    reqs.push_back(
                        {{"label", req.label},
                         {"holds", static_cast<bool>(s.requirements[a][q])},
                         {"derivation", lines_json(explain_condition(
                                            reg, *req.condition, s.requirement_traces[a][q], 0))}});
                }
            }
            aj["requirements"] = std::move(reqs);
            awards.push_back(std::move(aj));
        }
        doc["awards"] = std::move(awards);
    }
    doc["warnings"] = warnings_json(warnings);
    return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string versus_text(const bloc_outcome& bloc, std::size_t a, std::size_t b) {
    const std::string& na = bloc.units[a]->name;
    const std::string& nb = bloc.units[b]->name;
    std::string out = unit_header(bloc, a) + "\n" + unit_header(bloc, b) + "\n";
    const versus_facts f = versus_of(bloc, a, b);
    if (f.excluded) {
        out += tr(msg::versus_excluded) + "\n";
        return out;
    }
    const auto* total_rule =
        board::rounding_rule_of(*bloc.reg->ast, ast::rounding_rule::target::total);
    for (const auto& k : f.keys) {
        if (k.a == k.b && k.total && k.a_raw != k.b_raw && total_rule != nullptr) {
            // Equal only because the regulation rounds the total: show what the rounding hid.
            const auto [value_a, value_b] = pts_apart(bloc, k.a_raw, k.b_raw);
            out += tr(msg::versus_key_equal_rounded, fmt::arg("number", k.position),
                      fmt::arg("key", k.text), fmt::arg("value", pts(bloc, k.a)),
                      fmt::arg("rounding", board::rounding(*bloc.reg->ast, *total_rule)),
                      fmt::arg("unit_a", na), fmt::arg("value_a", value_a), fmt::arg("unit_b", nb),
                      fmt::arg("value_b", value_b))
                   + "\n";
            continue;
        }
        if (k.a == k.b) {
            out += tr(msg::versus_key_equal, fmt::arg("number", k.position),
                      fmt::arg("key", k.text), fmt::arg("value", pts(bloc, k.a)))
                   + "\n";
            continue;
        }
        const auto [value_a, value_b] = pts_apart(bloc, k.a, k.b);
        out +=
            tr(msg::versus_key_separates, fmt::arg("number", k.position), fmt::arg("key", k.text),
               fmt::arg("order",
                        tr(k.descending ? msg::versus_higher_first : msg::versus_lower_first)),
               fmt::arg("unit_a", na), fmt::arg("value_a", value_a), fmt::arg("unit_b", nb),
               fmt::arg("value_b", value_b), fmt::arg("ahead", ahead(k) ? na : nb))
            + "\n";
    }
    if (!f.separated) {
        out += tr(msg::versus_tied) + "\n";
    }
    out += tr(msg::versus_criteria) + "\n";
    const std::string n_a = tr(msg::versus_not_applicable);
    for (const auto& r : f.rows) {
        const auto [a_text, b_text] = pts_apart(bloc, r.a, r.b);
        const std::string delta =
            r.a_applicable && r.b_applicable ? tr(
                msg::versus_difference, fmt::arg("difference", pts_apart(bloc, r.a - r.b, 0).first))
                                             : std::string();
        out += fmt::format(
            "  {}\n",
            r.item
                ? tr(msg::versus_item, fmt::arg("label", r.label), fmt::arg("a", a_text),
                     fmt::arg("b", b_text), fmt::arg("difference", delta))
                : tr(msg::versus_criterion, fmt::arg("id", r.id), fmt::arg("label", r.label),
                     fmt::arg("a", r.a_applicable ? a_text : n_a),
                     fmt::arg("b", r.b_applicable ? b_text : n_a), fmt::arg("difference", delta)));
    }
    if (f.rows.empty()) {
        out += fmt::format("  {}\n", tr(msg::versus_none));
    }
    return out;
}

std::string versus_json(const bloc_outcome& bloc, std::size_t a, std::size_t b,
                        const std::vector<data_warning>& warnings) {
    using nlohmann::ordered_json;
    const auto unit_json = [&](std::size_t i) {
        ordered_json u = unit_head_json(bloc, i);
        u["excluded"] = bloc.scores[i].excluded;
        return u;
    };
    const versus_facts f = versus_of(bloc, a, b);
    ordered_json doc;
    doc["a"] = unit_json(a);
    doc["b"] = unit_json(b);
    ordered_json keys = ordered_json::array();
    for (const auto& k : f.keys) {
        ordered_json kj = {
            {"number", k.position},
            {"key", k.text},
            {"order", k.descending ? "desc" : "asc"},
            {"a", k.a.exact_string()},
            {"b", k.b.exact_string()},
            {"equal", k.a == k.b},
            {"ahead", k.a == k.b ? ordered_json(nullptr) : ordered_json(ahead(k) ? "a" : "b")}};
        if (k.total && (k.a_raw != k.a || k.b_raw != k.b)) {
            // The total key of a regulation that rounded a total: the values before rounding.
            kj["a_unrounded"] = k.a_raw.exact_string();
            kj["b_unrounded"] = k.b_raw.exact_string();
        }
        keys.push_back(std::move(kj));
    }
    doc["keys"] = std::move(keys);
    doc["tied"] = !f.excluded && !f.separated;
    ordered_json rows = ordered_json::array();
    for (const auto& r : f.rows) {
        const auto side = [&](bool applicable, const number& n) {
            return applicable ? ordered_json(n.exact_string()) : ordered_json(nullptr);
        };
        rows.push_back({{"kind", r.item ? "item" : "criterion"},
                        {"id", r.item ? ordered_json(nullptr) : ordered_json(r.id)},
                        {"label", r.label},
                        {"a", side(r.a_applicable, r.a)},
                        {"b", side(r.b_applicable, r.b)},
                        {"difference", r.a_applicable && r.b_applicable
                                           ? ordered_json((r.a - r.b).exact_string())
                                           : ordered_json(nullptr)}});
    }
    doc["differences"] = std::move(rows);
    doc["warnings"] = warnings_json(warnings);
    return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::vector<data_warning> data_warnings(const diagnostics& diags) {
    std::vector<data_warning> out;
    for (const auto& d : diags.items()) {
        if (d.level != severity::warning) {
            continue;
        }
        data_warning w{d.code, {}, 0, 0, d.message};
        if (d.file) {
            const auto [file, offset] = d.file->origin(d.where.begin);
            const auto loc = file->locate(offset);
            w.file = file->path();
            w.line = loc.line;
            w.column = loc.column;
        }
        out.push_back(std::move(w));
    }
    return out;
}

std::string warning_position(const data_warning& w) {
    return w.file.empty() ? std::string() : fmt::format("{}:{}:{}", w.file, w.line, w.column);
}

}  // namespace thidua
