#include "engine/html_report.hpp"

#include <fmt/format.h>

#include <array>
#include <filesystem>

#include "dsl/i18n.hpp"
#include "engine/board_text.hpp"
#include "engine/explain.hpp"

namespace thidua {

namespace {

// The page's own phrases, in the current language (board_text.hpp has those shared with the
// workbook).
std::string phrase(msg key) {
    return tr(key);
}

constexpr std::array<std::string_view, 8> palette = {"#2b6cb0", "#dd6b20", "#2f855a", "#b7791f",
                                                     "#6b46c1", "#c53030", "#2c7a7b", "#97266d"};

std::string esc(std::string_view s) {
    return html_escape(s);
}

std::string pts(const bloc_outcome& bloc, const number& n) {
    return board::points(bloc, n);
}

std::string max_text(const number& n) {
    return decimal(n.exact_string());
}

// "…/regulation.tdkt" -> "regulation.tdkt" is not enough to tell examples apart; the last two
// parts of the path are ("khoi5-2018/regulation.tdkt"), and never depend on the working directory.
std::string short_path(const std::string& path) {
    const std::filesystem::path p(path);
    const auto parent = p.parent_path().filename();
    return parent.empty() ? p.filename().string() : (parent / p.filename()).string();
}

std::string css() {
    return R"(
:root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --soft: #f7fafc; --accent: #2b6cb0; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Noto Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 1.5rem 2rem; line-height: 1.4; font-size: 15px;
       background: #fff; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem;
     margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: 1rem; margin: .9rem 0 .3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0;
          font-size: .85rem; color: var(--muted); }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: .8rem; overflow-wrap: anywhere; }
nav ol { columns: 2; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; vertical-align: top; }
th { background: #e2e8f0; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.max td { background: var(--soft); font-style: italic; color: var(--muted); }
tr.excluded td { color: var(--muted); background: #fff5f5; }
tr.ineligible td.unit { text-decoration: underline dotted #c53030; }
tr.awarded td.award { font-weight: bold; color: #22543d; }
td.total { font-weight: bold; }
table.ranking td.unit { min-width: 11rem; } table.ranking td.award { min-width: 8rem; }
table.ranking td.notes { min-width: 13rem; }
.open { color: #975a16; font-weight: bold; }
.note { color: #9b2c2c; }
.issues { border-left: 4px solid #d69e2e; background: #fffff0; padding: .3rem .8rem; }
/* Warnings about the results (W201, W202): above everything, the ranking depends on them. */
.warnings { border: 2px solid #c05621; background: #fffaf0; padding: .3rem .8rem;
            margin: 1rem 0; }
.warnings h2 { border: none; margin: .3rem 0; color: #9c4221; }
.warnings code { white-space: nowrap; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .85rem; margin: .3rem 0; }
.swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: -0.1rem;
          margin-right: .3rem; border-radius: 2px; }
svg.chart { width: 100%; height: auto; }
svg.chart text { font-family: inherit; font-size: 12px; fill: var(--ink); }
details { margin: .3rem 0; }
details.unit { border: 1px solid var(--line); border-radius: 4px; padding: .3rem .7rem; }
details.unit > summary { font-size: 1.05rem; cursor: pointer; }
details.crit > summary { cursor: pointer; }
details.crit { margin-left: .5rem; }
pre.derivation { white-space: pre-wrap; background: var(--soft); border: 1px solid var(--line);
                 padding: .4rem .6rem; font-family: "DejaVu Sans Mono", monospace;
                 font-size: .8rem; margin: .3rem 0; }
.src { color: var(--muted); font-size: .85rem; }
.fail { color: #9b2c2c; font-weight: bold; } .ok { color: #22543d; }
/* The impact of a change (`--versus`, html_versus.cpp): the arrows ▲ ▼ carry the meaning in
   black and white, the colours on screen. */
span.gain { color: #22543d; font-weight: bold; } span.loss { color: #9b2c2c; font-weight: bold; }
.versus-summary { border-left: 4px solid var(--accent); background: var(--soft);
                  padding: .3rem .8rem; }
table.versus tr.gain td.unit { border-left: 4px solid #2f855a; }
table.versus tr.loss td.unit { border-left: 4px solid #c53030; }
table.versus tr.mixed td.unit { border-left: 4px dashed #b7791f; }
table.versus tr.unchanged td { color: var(--muted); }
table.versus td.unit { min-width: 11rem; } table.versus td.why { font-size: .9rem; }
ul.why { margin: 0; padding-left: 1.1rem; }
table.changes td:first-child, table.changes code { white-space: nowrap; }
tr:target td { background: #fefcbf; }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--line); }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } h3, h4 { break-after: avoid; }
  tr, details.crit, .issues, .warnings, .versus-summary { break-inside: avoid; }
  #awards, #units { break-before: page; }
  details.unit { break-before: page; border: none; padding: 0; }
  details > summary { list-style: none; }
  /* Closed <details> print open (browsers that support ::details-content). */
  details::details-content { content-visibility: visible; display: block; }
}
)";
}

// ---- Ranking table ---------------------------------------------------------------------------

std::string ranking_table(const bloc_outcome& bloc) {
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    const auto& bp = board::text();
    std::string h = "<table class=\"ranking\">\n<thead><tr>";
    h += fmt::format("<th class=\"num\">{}</th><th>{}</th>", esc(bp.rank), esc(bp.unit));
    for (const auto& s : ast.sections) {
        h += fmt::format("<th class=\"num\" title=\"{}\">{}</th>", esc(s.label), esc(s.id));
    }
    h += fmt::format(
        "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th>"
        "<th>{}</th></tr>\n",
        esc(bp.bonus), esc(bp.deduction), esc(bp.total), esc(bp.award), esc(bp.notes));
    h += fmt::format("<tr class=\"max\"><td></td><td>{}</td>", esc(bp.max_row));
    for (std::size_t k = 0; k < ast.sections.size(); ++k) {
        h += fmt::format("<td class=\"num\">{}</td>", esc(max_text(reg.section_max[k])));
    }
    // The bonus and deduction columns: the groups' caps (groups_max: blank when uncapped).
    for (const auto kind : {ast::group::kind::bonus, ast::group::kind::deduction}) {
        const auto m = groups_max(reg, kind);
        h += m ? fmt::format("<td class=\"num\">{}</td>", esc(max_text(*m))) : "<td></td>";
    }
    h += fmt::format("<td class=\"num\">{}</td><td></td><td></td></tr></thead>\n",
                     esc(max_text(reg.scale)));
    h += "<tbody>\n";
    const auto order = board::table_order(bloc);
    for (std::size_t pos = 0; pos < order.size(); ++pos) {
        const auto i = order[pos];
        const auto& s = bloc.scores[i];
        const auto& r = bloc.ranking.units[i];
        std::string cls = s.excluded ? "excluded" : (s.ineligible ? "ineligible" : "");
        if (r.award) {
            cls += cls.empty() ? "awarded" : " awarded";
        }
        h += fmt::format("<tr class=\"unit-row{}{}\" data-unit=\"{}\">", cls.empty() ? "" : " ",
                         cls, esc(bloc.units[i]->name));
        h += fmt::format("<td class=\"num rank\">{}</td>", esc(board::rank(r)));
        h += fmt::format("<td class=\"unit\"><a href=\"#u{}\">{}</a></td>", pos + 1,
                         esc(bloc.units[i]->name));
        for (std::size_t k = 0; k < ast.sections.size(); ++k) {
            h += fmt::format("<td class=\"num\">{}</td>",
                             s.excluded ? "" : esc(pts(bloc, s.section_points[k])));
        }
        if (s.excluded) {
            h += fmt::format("<td></td><td></td><td class=\"num total\">—</td>");
        } else {
            h += fmt::format(
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>"
                "<td class=\"num total\">{}</td>",
                esc(pts(bloc, s.bonus)), esc(pts(bloc, s.deduction)), esc(pts(bloc, s.total)));
        }
        h += fmt::format("<td class=\"award{}\">{}</td>", r.award_open && !r.award ? " open" : "",
                         esc(board::award(bloc, i)));
        std::string notes;
        for (const auto& n : board::notes(bloc, i)) {
            notes += fmt::format("<div class=\"note\">{}</div>", esc(n));
        }
        h += fmt::format("<td class=\"notes\">{}</td></tr>\n", notes);
    }
    h += "</tbody></table>\n";
    return h;
}

std::string open_issues(const bloc_outcome& bloc) {
    const auto& rk = bloc.ranking;
    const auto& bp = board::text();
    std::string h;
    auto list = [&](const std::string& heading, const std::vector<std::string>& lines) {
        if (lines.empty()) {
            return;
        }
        h += fmt::format("<p><strong>{}</strong></p><ul>\n", esc(heading));
        for (const auto& l : lines) {
            h += fmt::format("<li>{}</li>\n", esc(l));
        }
        h += "</ul>\n";
    };
    std::vector<std::string> ties;
    for (const auto t : rk.unresolved_ties) {
        ties.push_back(board::tie(bloc, rk.ties[t]));
    }
    list(bp.unresolved_ties, ties);
    std::vector<std::string> votes;
    for (const auto& v : rk.tie_votes) {
        votes.push_back(board::tie_vote(bloc, v));
    }
    list(bp.tie_votes, votes);
    std::vector<std::string> conflicts;
    for (const auto& c : rk.conflicts) {
        conflicts.push_back(board::conflict(bloc, c));
    }
    list(bp.quota_conflicts, conflicts);
    if (h.empty()) {
        return "";
    }
    return fmt::format("<div class=\"issues\" id=\"open-issues\"><h3>{}</h3>\n{}</div>\n",
                       esc(phrase(msg::html_open_issues)), h);
}

// ---- Chart -----------------------------------------------------------------------------------

std::string fixed(double v) {
    return fmt::format("{:.1f}", v);
}

// At most `n` characters of a name, "…" when cut (SVG text does not wrap).
std::string clip(std::string_view s, std::size_t n) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U) {
            if (chars == n) {
                return std::string(s.substr(0, i)) + "…";
            }
            ++chars;
        }
    }
    return std::string(s);
}

std::string chart(const bloc_outcome& bloc) {
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    std::string legend = "<div class=\"legend\">";
    for (std::size_t k = 0; k < ast.sections.size(); ++k) {
        legend += fmt::format(
            "<span><span class=\"swatch\" style=\"background:{}\"></span>{} {} {}</span>",
            palette[k % palette.size()], esc(ast.sections[k].id), esc(ast.sections[k].label),
            esc(tr(msg::html_legend_max, fmt::arg("max", max_text(reg.section_max[k])))));
    }
    legend += "</div>\n";
    number scale_sum = 0;
    for (const auto& m : reg.section_max) {
        scale_sum += m;
    }
    const double label_w = 250;
    const double bar_w = 560;
    const double gap = 3;
    const double row_h = 24;
    const double width = label_w + bar_w + 110;
    const double total_max = scale_sum.is_zero() ? 1.0 : scale_sum.to_double();
    const double usable = bar_w - gap * static_cast<double>(ast.sections.size() - 1);
    std::vector<std::size_t> units;
    for (const auto i : bloc.ranking.order) {
        units.push_back(i);
    }
    const double height = row_h * static_cast<double>(units.size()) + 8;
    std::string s = fmt::format(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
        "role=\"img\" aria-label=\"{}\">\n",
        fixed(width), fixed(height), esc(phrase(msg::html_chart)));
    for (std::size_t row = 0; row < units.size(); ++row) {
        const auto i = units[row];
        const auto& sc = bloc.scores[i];
        const double y = 4 + row_h * static_cast<double>(row);
        s += fmt::format("<g class=\"bar\" data-unit=\"{}\">", esc(bloc.units[i]->name));
        s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                         fixed(label_w - 8), fixed(y + 15), esc(clip(bloc.units[i]->name, 34)));
        double x = label_w;
        for (std::size_t k = 0; k < ast.sections.size(); ++k) {
            // Exact numbers become doubles only here, for drawing.
            const double w = usable * reg.section_max[k].to_double() / total_max;
            const double p = reg.section_max[k].is_zero() ? 0.0
                                                          : w * sc.section_points[k].to_double()
                                                                / reg.section_max[k].to_double();
            const auto color = palette[k % palette.size()];
            s += fmt::format(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"{}\" "
                "fill-opacity=\"0.18\"/>",
                fixed(x), fixed(y + 3), fixed(w), color);
            s += fmt::format(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"{}\"><title>{} {}: {} / "
                "{}</title></rect>",
                fixed(x), fixed(y + 3), fixed(p), color, esc(ast.sections[k].id),
                esc(bloc.units[i]->name), esc(pts(bloc, sc.section_points[k])),
                esc(max_text(reg.section_max[k])));
            x += w + gap;
        }
        s += fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text></g>\n",
                         fixed(label_w + bar_w + 8), fixed(y + 15), esc(pts(bloc, sc.total)));
    }
    s += "</svg>\n";
    return fmt::format("<p class=\"src\">{}</p>\n{}{}", esc(phrase(msg::html_chart_note)), legend,
                       s);
}

// ---- Awards ----------------------------------------------------------------------------------

std::string awards(const bloc_outcome& bloc) {
    const auto& rk = bloc.ranking;
    std::string h;
    if (rk.tiers.empty()) {
        return fmt::format("<p>{}</p>\n", esc(phrase(msg::html_none)));
    }
    const auto order = board::table_order(bloc);
    for (std::size_t t = 0; t < rk.tiers.size(); ++t) {
        const auto& tier = rk.tiers[t];
        h += fmt::format("<section class=\"award\" id=\"award-{}\"><h3>{}</h3>\n", t + 1,
                         esc(tier.label));
        h += "<dl class=\"meta\">";
        h += fmt::format("<dt>{}</dt><dd>{}</dd>", esc(phrase(msg::html_candidates)),
                         esc(board::window(tier)));
        // The slots the tier really had, as the score table and the workbook state them.
        h += fmt::format("<dt>{}</dt><dd>{}</dd>", esc(phrase(msg::html_quota)),
                         esc(board::tier_slots(bloc, t)));
        if (!tier.requirement_labels.empty()) {
            std::vector<std::string> reqs;
            for (const auto& l : tier.requirement_labels) {
                reqs.push_back(esc(l));
            }
            h += fmt::format("<dt>{}</dt><dd>{}</dd>", esc(phrase(msg::html_requirements)),
                             fmt::join(reqs, "; "));
        }
        h += "</dl>\n";
        std::vector<std::string> who;
        for (const auto i : order) {
            if (rk.units[i].award == t) {
                who.push_back(fmt::format("<strong>{}</strong>", esc(bloc.units[i]->name)));
            }
        }
        std::string given = fmt::format("{}", fmt::join(who, ", "));
        if (tier.held.hi > 0) {
            given += fmt::format("{}<span class=\"open\">{}</span>", given.empty() ? "" : "; ",
                                 esc(board::pending_slots(tier.held)));
        }
        if (given.empty()) {
            given = esc(board::nobody(bloc, t));  // why nobody, as every output says it
        }
        h += fmt::format("<p>{}: {}</p>\n", esc(phrase(msg::html_recipients)), given);
        std::string rows;
        for (const auto i : order) {
            const auto& r = rk.units[i];
            const auto k = r.tiers[t].kind;
            if (k == decision_kind::given || k == decision_kind::excluded
                || k == decision_kind::outside_window || k == decision_kind::already_awarded
                || !board::in_window(tier, r)) {
                continue;
            }
            rows += fmt::format(
                "<tr data-unit=\"{}\"><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(bloc.units[i]->name), esc(board::rank(r)), esc(bloc.units[i]->name),
                esc(board::decision(bloc, i, t)));
        }
        if (!rows.empty()) {
            h += fmt::format(
                "<p>{}:</p>\n<table class=\"missed\"><thead><tr><th class=\"num\">{}</th><th>{}"
                "</th><th>{}</th></tr></thead><tbody>\n{}</tbody></table>\n",
                esc(phrase(msg::html_not_received)), esc(board::text().rank),
                esc(board::text().unit), esc(phrase(msg::html_reason)), rows);
        }
        h += "</section>\n";
    }
    return h;
}

// ---- Units -----------------------------------------------------------------------------------

std::string derivation(const std::vector<explain_line>& lines) {
    std::string text = render_lines(lines);
    if (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    return fmt::format("<pre class=\"derivation\">{}</pre>", esc(text));
}

std::string source_line(const ast::regulation& ast, const std::optional<std::string>& cite,
                        span where) {
    std::string s = "<div class=\"src\">";
    if (cite) {
        s += fmt::format("{}: {} · ", esc(board::text().citation), esc(*cite));
    }
    s += fmt::format("<code>{}</code></div>", esc(rule_position(ast, where)));
    return s;
}

std::string unit_block(const bloc_outcome& bloc, std::size_t i, std::size_t pos) {
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    const auto& s = bloc.scores[i];
    const auto& r = bloc.ranking.units[i];
    const auto& bp = board::text();
    std::string h = fmt::format("<details class=\"unit\" id=\"u{}\" data-unit=\"{}\"><summary>",
                                pos, esc(bloc.units[i]->name));
    if (s.excluded) {
        h += fmt::format("<strong>{}</strong>: {}", esc(bloc.units[i]->name),
                         esc(tr(msg::html_excluded_unit, fmt::arg("excluded", bp.excluded))));
    } else {
        h += fmt::format("{} · <strong>{}</strong> · {}",
                         esc(tr(msg::html_rank, fmt::arg("rank", board::rank(r)))),
                         esc(bloc.units[i]->name),
                         esc(tr(msg::html_points, fmt::arg("points", pts(bloc, s.total)))));
        const std::string aw = board::award(bloc, i);
        if (!aw.empty()) {
            h += fmt::format(" · {}", esc(aw));
        }
        if (s.ineligible) {
            // Ranked but barred from awards: said where the unit is named, not only below.
            h += fmt::format(" · {}", esc(bp.ineligible));
        }
    }
    h += "</summary>\n";
    // Knock-outs: what fired and why (an excluded unit stops there).
    for (std::size_t k = 0; k < ast.knockouts.size(); ++k) {
        const auto& ko = ast.knockouts[k];
        if (k >= s.knockout_traces.size()
            || (s.excluded && ko.what == ast::knockout::kind::ineligible)) {
            continue;
        }
        const auto v = trace_value(reg, s.knockout_traces[k], *ko.condition);
        const bool holds = v != nullptr && v->b;
        h += fmt::format(
            "<details class=\"crit\"><summary>{}: {} — <span class=\"{}\">{}</span></summary>{}{}"
            "</details>\n",
            esc(phrase(ko.what == ast::knockout::kind::exclude ? msg::html_knockout_exclude
                                                               : msg::html_knockout_ineligible)),
            esc(ko.label), holds ? "fail" : "ok",
            esc(phrase(holds ? msg::html_applies : msg::html_does_not_apply)),
            source_line(ast, std::nullopt, ko.where),
            derivation(explain_condition(reg, *ko.condition, s.knockout_traces[k], 0)));
    }
    if (s.excluded) {
        return h + "</details>\n";
    }
    for (std::size_t sec = 0; sec < ast.sections.size(); ++sec) {
        const auto& sd = ast.sections[sec];
        h +=
            fmt::format("<h4>{} {} — {} / {}</h4>\n", esc(sd.id), esc(sd.label),
                        esc(pts(bloc, s.section_points[sec])), esc(max_text(reg.section_max[sec])));
        for (std::size_t c = 0; c < reg.criteria.size(); ++c) {
            if (reg.criteria[c].section != sec) {
                continue;
            }
            const auto& cd = *reg.criteria[c].node;
            const auto& sc = s.criteria[c];
            h += fmt::format(
                "<details class=\"crit\"><summary>{} {} — <strong>{}</strong> / {}</summary>\n{}",
                esc(cd.id), esc(cd.label),
                esc(sc.applicable ? pts(bloc, sc.points) : bp.not_applicable),
                esc(max_text(reg.criteria[c].max)), source_line(ast, cd.cite, cd.where));
            std::vector<explain_line> lines;
            if (cd.applies_when) {
                auto cl = explain_condition(reg, *cd.applies_when, s.criterion_trace(c), 0);
                cl.front().text =
                    tr(msg::explain_applies_when, fmt::arg("condition", cl.front().text));
                lines.insert(lines.end(), cl.begin(), cl.end());
            }
            if (sc.applicable) {
                auto body = explain_body(reg, cd.body, s.criterion_trace(c), 0);
                lines.insert(lines.end(), body.begin(), body.end());
                lines.push_back({0, tr(msg::html_computed, fmt::arg("points", pts(bloc, sc.points)),
                                       fmt::arg("value", decimal(sc.raw.display(0, 4))))});
            }
            h += derivation(lines) + "</details>\n";
        }
        if (sd.combine == ast::section::combine_mode::rescaled) {
            // The arithmetic of the re-scaling (language.md §6.3), as explain shows it.
            const auto rs = explain_rescaled(reg, s, sec);
            h += fmt::format("<p class=\"src\">{}: {}: {}</p>\n<p class=\"src\">{}</p>\n",
                             esc(board::section_total(sd.id)),
                             esc(tr(msg::explain_section_rescaled,
                                    fmt::arg("max", max_text(reg.section_max[sec])))),
                             esc(rs.arithmetic), esc(rs.parts));
        } else {
            h += fmt::format("<p class=\"src\">{}: {} = {}</p>\n", esc(board::section_total(sd.id)),
                             esc(phrase(msg::html_sum)), esc(pts(bloc, s.section_points[sec])));
        }
    }
    for (std::size_t g = 0; g < ast.groups.size(); ++g) {
        const auto& gd = ast.groups[g];
        h += fmt::format("<h4>{} — {}{}</h4>\n", esc(gd.label), esc(pts(bloc, s.group_points[g])),
                         reg.group_max[g] ? " / " + esc(max_text(*reg.group_max[g])) : "");
        for (std::size_t it = 0; it < reg.items.size(); ++it) {
            if (reg.items[it].group != g) {
                continue;
            }
            const auto& id = *reg.items[it].node;
            const auto& si = s.items[it];
            auto lines = explain_body(reg, id.body, s.item_trace(it), 0);
            lines.push_back({0, tr(msg::html_computed, fmt::arg("points", pts(bloc, si.points)),
                                   fmt::arg("value", decimal(si.raw.display(0, 4))))});
            h += fmt::format(
                "<details class=\"crit\"><summary>{} — <strong>{}</strong>{}</summary>\n{}{}"
                "</details>\n",
                esc(id.label), esc(pts(bloc, si.points)),
                reg.items[it].max ? " / " + esc(max_text(*reg.items[it].max)) : "",
                source_line(ast, id.cite, id.where), derivation(lines));
        }
        h += fmt::format("<p class=\"src\">{}: {}</p>\n", esc(phrase(msg::html_group_total)),
                         esc(pts(bloc, s.group_points[g])));
    }
    std::vector<std::string> parts;
    for (std::size_t sec = 0; sec < ast.sections.size(); ++sec) {
        parts.push_back(pts(bloc, s.section_points[sec]));
    }
    h += fmt::format("<p><strong>{}</strong> = {} + {} − {} = <strong>{}</strong></p>\n",
                     esc(bp.total), esc(fmt::format("{}", fmt::join(parts, " + "))),
                     esc(pts(bloc, s.bonus)), esc(pts(bloc, s.deduction)), esc(pts(bloc, s.total)));
    if (s.self_score) {
        h += fmt::format(
            "<p>{} (<span class=\"{}\">{}</span>)</p>\n",
            esc(tr(msg::html_self_score, fmt::arg("self_score", pts(bloc, *s.self_score)),
                   fmt::arg("difference", pts(bloc, *s.self_difference)))),
            s.self_flagged ? "fail" : "ok",
            esc(phrase(s.self_flagged ? msg::html_over_tolerance : msg::html_within_tolerance)));
    }
    if (r.tie) {
        h += fmt::format("<p>{}</p>\n", esc(board::tie(bloc, bloc.ranking.ties[*r.tie])));
    }
    for (std::size_t a = 0; a < ast.awards.size(); ++a) {
        const auto& aw = ast.awards[a];
        h += fmt::format("<details class=\"crit\"><summary>{}: {}</summary>\n<ul>\n", esc(aw.label),
                         esc(board::decision(bloc, i, a, false)));
        for (std::size_t q = 0; q < aw.requirements.size(); ++q) {
            if (a >= s.requirement_traces.size() || q >= s.requirement_traces[a].size()) {
                continue;
            }
            const bool ok = s.requirements[a][q];
            const std::string sf = ok ? "" : board::shortfall(bloc, i, a, q);
            h += fmt::format("<li>{}: <span class=\"{}\">{}</span>{}{}</li>\n",
                             esc(aw.requirements[q].label), ok ? "ok" : "fail",
                             esc(phrase(ok ? msg::html_holds : msg::html_fails)),
                             sf.empty() ? "" : " (" + esc(sf) + ")",
                             derivation(explain_condition(reg, *aw.requirements[q].condition,
                                                          s.requirement_traces[a][q], 0)));
        }
        h += "</ul></details>\n";
    }
    return h + "</details>\n";
}

// The results' warnings (W201, W202), at the top of the page: the results were scored as read,
// and a board reading only this page must see what may have been misread. Nothing when none.
std::string warnings_notice(const std::vector<data_warning>& warnings) {
    if (warnings.empty()) {
        return "";
    }
    std::string h = fmt::format(
        "<div class=\"warnings\" id=\"data-warnings\" role=\"alert\">\n<h2>{}</h2>\n<p>{}</p>\n"
        "<ul>\n",
        esc(phrase(msg::data_warnings_heading)), esc(phrase(msg::data_warnings_intro)));
    for (const auto& w : warnings) {
        const std::string where = warning_position(w);
        h += fmt::format("<li>{}{}[{}]: {}</li>\n",
                         where.empty() ? "" : "<code>" + esc(where) + "</code>: ",
                         esc(message_text(msg::severity_warning, current_language())), esc(w.code),
                         esc(w.message));
    }
    return h + "</ul>\n</div>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string html_report(const bloc_outcome& bloc, const html_report_meta& meta,
                        const std::vector<html_section>& extra) {
    const auto& ast = *bloc.reg->ast;
    std::vector<html_section> sections;
    sections.push_back(
        {"ranking", phrase(msg::html_ranking), ranking_table(bloc) + open_issues(bloc)});
    sections.push_back({"chart", phrase(msg::html_chart), chart(bloc)});
    sections.insert(sections.end(), extra.begin(), extra.end());
    sections.push_back({"awards", phrase(msg::html_awards), awards(bloc)});
    std::string units;
    const auto order = board::table_order(bloc);
    for (std::size_t pos = 0; pos < order.size(); ++pos) {
        units += unit_block(bloc, order[pos], pos + 1);
    }
    sections.push_back({"units", phrase(msg::html_units), units});

    std::string h = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        current_language() == language::vi ? "vi" : "en");
    h += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", esc(ast.title),
                     css());
    h += fmt::format("<header>\n<h1>{}</h1>\n<dl class=\"meta\">\n", esc(ast.title));
    h += fmt::format(
        "<dt>{}</dt><dd><code>{}</code> · SHA-256 <span class=\"hash\">{}</span></dd>\n",
        esc(phrase(msg::html_regulation)), esc(short_path(ast.file->path())),
        esc(meta.regulation_sha256));
    h += fmt::format("<dt>{}</dt><dd>SHA-256 <span class=\"hash\">{}</span></dd>\n",
                     esc(phrase(msg::html_data)), esc(meta.data_sha256));
    h += fmt::format("<dt>{}</dt><dd>{}</dd>\n", esc(phrase(msg::html_unit_count)),
                     esc(tr(msg::html_unit_count_value, fmt::arg("units", bloc.units.size()),
                            fmt::arg("ranked", bloc.ranking.order.size()),
                            fmt::arg("excluded", bloc.ranking.excluded.size()),
                            fmt::arg("state", board::text().excluded))));
    h += fmt::format("<dt>{}</dt><dd>{}</dd>\n</dl>\n</header>\n", esc(phrase(msg::html_version)),
                     esc(meta.version));
    h += warnings_notice(meta.warnings);
    h += fmt::format("<nav><strong>{}</strong><ol>\n", esc(phrase(msg::html_contents)));
    for (const auto& s : sections) {
        h += fmt::format("<li><a href=\"#{}\">{}</a></li>\n", esc(s.id), esc(s.title));
    }
    h += "</ol></nav>\n";
    for (const auto& s : sections) {
        h += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", esc(s.id),
                         esc(s.title), s.body);
    }
    h += fmt::format("<footer>{}</footer>\n</body>\n</html>\n",
                     esc(tr(msg::html_generated_by, fmt::arg("version", meta.version))));
    return h;
}

}  // namespace thidua
