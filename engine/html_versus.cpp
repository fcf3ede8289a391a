#include "engine/html_versus.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <tuple>

#include "dsl/i18n.hpp"
#include "engine/board_text.hpp"

namespace thidua {

namespace {

std::string esc(std::string_view s) {
    return html_escape(s);
}

// A gain, a loss, or neither: what decides the colour and the arrow.
enum class move { none, gain, loss };

const char* move_class(move m) {
    return m == move::gain ? "gain" : (m == move::loss ? "loss" : "same");
}

// The arrow says what the colour says, so that the page prints in black and white.
const char* arrow(move m) {
    return m == move::gain ? "▲" : (m == move::loss ? "▼" : "");
}

// "▲ +0.50" / "▼ −1.00" in a coloured span; "" when nothing moved. The arrow and colour say
// what the move does to the unit: more deduction points are a loss ("▼ +0.50"). The amount is
// `thidua diff`'s (delta_text): a move smaller than the decimals shown has more of them
// ("▲ ≈+0.0009"), never "+0.00". The minus is typeset (−).
std::string delta_html(const number& d, unsigned places, bool deduction = false) {
    if (d.sign() == 0) {
        return "";
    }
    const bool gain = (d.sign() > 0) != deduction;
    std::string amount = delta_text(d, places);
    if (const auto minus = amount.find('-'); minus != std::string::npos) {
        amount.replace(minus, 1, "−");
    }
    return fmt::format("<span class=\"{}\">{} {}</span>", gain ? "gain" : "loss", gain ? "▲" : "▼",
                       esc(amount));
}

std::string marked(move m, const std::string& html) {
    if (m == move::none) {
        return html;
    }
    return fmt::format("<span class=\"{}\">{} {}</span>", move_class(m), arrow(m), html);
}

// The first number of a rank ("3" of "3-4?"); nullopt for "-" (not ranked) or an absent unit.
std::optional<std::uint64_t> rank_number(const std::string& rank) {
    std::uint64_t n = 0;
    std::size_t i = 0;
    for (; i < rank.size() && rank[i] >= '0' && rank[i] <= '9'; ++i) {
        n = n * 10 + static_cast<std::uint64_t>(rank[i] - '0');
    }
    return i == 0 ? std::nullopt : std::optional(n);
}

move rank_move(const unit_difference& u) {
    constexpr auto unranked = std::numeric_limits<std::uint64_t>::max();
    const auto a = rank_number(u.old_side.rank).value_or(unranked);
    const auto b = rank_number(u.new_side.rank).value_or(unranked);
    return b < a ? move::gain : (b > a ? move::loss : move::none);
}

// Tiers are ranked by their order in the dataset's award list (the regulation's order: the
// highest award first); no award is below every tier. An open decision is neither.
move award_move(const dataset_difference& ds, const unit_difference& u) {
    const auto& a = u.old_side.award;
    const auto& b = u.new_side.award;
    if (a == b || a == "?" || b == "?") {
        return move::none;
    }
    auto level = [&](const std::string& id) {
        for (std::size_t t = 0; t < ds.awards.size(); ++t) {
            if (ds.awards[t].id == id) {
                return t;
            }
        }
        return ds.awards.size();
    };
    const auto la = a.empty() ? std::numeric_limits<std::size_t>::max() : level(a);
    const auto lb = b.empty() ? std::numeric_limits<std::size_t>::max() : level(b);
    return lb < la ? move::gain : (lb > la ? move::loss : move::none);
}

// Ranked, then not eligible for awards, then not ranked: a unit moving down that list loses.
move status_move(const unit_difference& u) {
    if (!u.old_side.present || !u.new_side.present) {
        return move::none;
    }
    auto level = [](const std::string& s) {
        return s == "excluded" ? 2 : (s == "ineligible" ? 1 : 0);
    };
    const int a = level(u.old_side.status);
    const int b = level(u.new_side.status);
    return b < a ? move::gain : (b > a ? move::loss : move::none);
}

std::string award_text(const unit_difference::side& s) {
    if (!s.present) {
        return tr(msg::versus_absent);
    }
    if (s.award.empty()) {
        return board::text().no_award;
    }
    if (s.award == "?") {
        return board::text().open;
    }
    return s.award_label.empty() ? s.award : s.award_label;
}

std::string total_text(const unit_difference::side& s, unsigned places) {
    if (!s.present) {
        return tr(msg::versus_absent);
    }
    return s.total ? decimal(s.total->to_string(places)) : board::text().excluded;
}

std::string status_text(const unit_difference::side& s) {
    if (!s.present) {
        return tr(msg::versus_absent);
    }
    return status_in_words(s.status);
}

std::string rank_text(const unit_difference::side& s) {
    return s.present ? s.rank : tr(msg::versus_absent);
}

// "[2] [3]", each a link to its row in the table of rule changes.
std::string refs(const std::vector<std::size_t>& causes) {
    std::string out;
    for (const auto c : causes) {
        out +=
            fmt::format("{}<a href=\"#change-{}\">[{}]</a>", out.empty() ? "" : " ", c + 1, c + 1);
    }
    return out;
}

// A threshold crossing (crossing_text(): "[1] p = 82%: met the old threshold, not the new one")
// with its "[1]" a link to the change.
std::string crossing_html(const threshold_crossing& c) {
    std::string text = esc(crossing_text(c));
    const std::string index = fmt::format("[{}]", c.change + 1);
    if (const auto at = text.find(index); at != std::string::npos) {
        text.replace(at, index.size(), refs({c.change}));
    }
    return text;
}

// " · because [2] [3]", or the phrase for a move no rule change explains by itself.
std::string because(const std::vector<std::size_t>& causes, msg otherwise) {
    if (causes.empty()) {
        return fmt::format(" · <span class=\"src\">{}</span>", esc(tr(otherwise)));
    }
    // The template's {changes} is filled with already-escaped links.
    const std::string marker = "\x01";
    std::string text = esc(tr(msg::versus_because, fmt::arg("changes", marker)));
    const auto at = text.find(marker);
    if (at != std::string::npos) {
        text.replace(at, marker.size(), refs(causes));
    }
    return " · " + text;
}

std::string names(const std::vector<std::string>& units) {
    std::string out;
    for (const auto& u : units) {
        out += (out.empty() ? "" : ", ") + esc(u);
    }
    return out;
}

// ---- Summary ---------------------------------------------------------------------------------

std::string summary(const dataset_difference& ds) {
    std::string h =
        fmt::format("<div class=\"versus-summary\" id=\"versus-summary\"><h3>{}</h3><ul>\n",
                    esc(tr(msg::versus_summary)));
    h += fmt::format("<li>{}</li>\n",
                     esc(tr(msg::versus_counts, fmt::arg("units", ds.units.size()),
                            fmt::arg("score", ds.score_changed), fmt::arg("rank", ds.rank_changed),
                            fmt::arg("award", ds.award_changed))));
    std::vector<std::string> up;
    std::vector<std::string> down;
    for (const auto& u : ds.units) {
        if (u.old_side.total && u.new_side.total) {
            const int s = (*u.new_side.total - *u.old_side.total).sign();
            if (s > 0) {
                up.push_back(u.name);
            } else if (s < 0) {
                down.push_back(u.name);
            }
        }
    }
    // Lists of names are assembled as HTML: the template's {units} gets the escaped names.
    auto line = [&](msg key, move m, const std::vector<std::string>& units) {
        const std::string marker = "\x01";
        std::string text = esc(tr(key, fmt::arg("units", marker)));
        const auto at = text.find(marker);
        if (at != std::string::npos) {
            text.replace(at, marker.size(), marked(m, names(units)));
        }
        return text;
    };
    if (!up.empty()) {
        h += fmt::format("<li>{}</li>\n", line(msg::versus_total_up, move::gain, up));
    }
    if (!down.empty()) {
        h += fmt::format("<li>{}</li>\n", line(msg::versus_total_down, move::loss, down));
    }
    for (const auto& m : ds.awards) {
        const std::string label = m.label.empty() ? m.id : m.label;
        if (m.gains.empty() && m.losses.empty()) {
            h += fmt::format("<li class=\"award-move\">{}</li>\n",
                             esc(tr(msg::versus_award_unchanged, fmt::arg("award", label))));
            continue;
        }
        std::vector<std::string> parts;
        if (!m.gains.empty()) {
            parts.push_back(line(msg::versus_award_gained, move::gain, m.gains));
        }
        if (!m.losses.empty()) {
            parts.push_back(line(msg::versus_award_lost, move::loss, m.losses));
        }
        h += fmt::format("<li class=\"award-move\"><strong>{}</strong>: {}</li>\n", esc(label),
                         fmt::join(parts, "; "));
    }
    return h + "</ul></div>\n";
}

std::string warnings(const regulation_diff& d, const dataset_difference& ds) {
    if (ds.no_effect.empty()) {
        return "";
    }
    std::string h = fmt::format(
        "<div class=\"issues versus-warnings\" id=\"versus-no-effect\"><h3>{}</h3><ul>\n",
        esc(tr_n(msg::versus_no_effect, ds.no_effect.size())));
    for (const auto i : ds.no_effect) {
        const rule_change& c = d.changes[i];
        // A change a limit absorbed names the units, as `thidua diff` does.
        const auto absorbed = std::find_if(ds.absorbed.begin(), ds.absorbed.end(),
                                           [&](const auto& a) { return a.first == i; });
        h += fmt::format(
            "<li>{} {}: {}{}</li>\n", refs({i}), esc(change_subject_in_words(c)),
            esc(c.description),
            absorbed == ds.absorbed.end() ? "" : esc(absorbed_for_text(absorbed->second)));
    }
    return h + "</ul></div>\n";
}

// ---- Rule changes ----------------------------------------------------------------------------

std::string changes(const regulation_diff& d) {
    std::string h = fmt::format("<h3>{}</h3>\n", esc(tr(msg::versus_changes)));
    if (d.changes.empty()) {
        return h + fmt::format("<p>{}</p>\n", esc(tr(msg::versus_no_changes)));
    }
    h += fmt::format(
        "<table class=\"changes\"><thead><tr><th class=\"num\">#</th><th>{}</th><th>{}</th>"
        "<th>{}</th><th>{}</th></tr></thead><tbody>\n",
        esc(tr(msg::versus_col_subject)), esc(tr(msg::versus_col_change)),
        esc(tr(msg::versus_col_old_rule)), esc(tr(msg::versus_col_new_rule)));
    for (std::size_t i = 0; i < d.changes.size(); ++i) {
        const rule_change& c = d.changes[i];
        const msg kind = c.what == rule_change::kind::added     ? msg::versus_kind_added
                         : c.what == rule_change::kind::removed ? msg::versus_kind_removed
                                                                : msg::versus_kind_changed;
        h += fmt::format(
            "<tr id=\"change-{}\"><td class=\"num\">[{}]</td><td>{} <span class=\"src\">({})"
            "</span></td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>\n",
            i + 1, i + 1, esc(change_subject_in_words(c)), esc(tr(kind)), esc(c.description),
            esc(c.old_position.value_or("—")), esc(c.new_position.value_or("—")));
    }
    return h + "</tbody></table>\n";
}

// ---- Units -----------------------------------------------------------------------------------

std::string unit_detail(const dataset_difference& ds, const unit_difference& u, unsigned places) {
    std::string h;
    // The facts `thidua diff` gives under each number, in its words: the limit that absorbed or
    // cut short the change (limit_text()), and the unit's value that a moved threshold now puts
    // on the other side (crossing_text()).
    for (const auto& p : u.points) {
        std::string delta;
        if (p.old_points && p.new_points && !p.absorbed()) {
            delta = " " + delta_html(*p.new_points - *p.old_points, places, p.deduction);
        }
        h += fmt::format(
            "<li>{}{}: {}{}{}", esc(points_subject_in_words(p)),
            // Items and groups are named by their label already.
            p.label.empty() || p.subject.find(p.label) != std::string::npos ? ""
                                                                            : " " + esc(p.label),
            esc(points_change_text(p, places)), delta, because(p.causes, msg::versus_no_cause));
        if (p.limit) {
            h += fmt::format("<div class=\"src limit\">{}</div>", esc(limit_text(p, places)));
        }
        for (const auto& c : u.crossings) {
            if (c.subject == p.subject) {
                h += fmt::format("<div class=\"src crossing\">{}</div>", crossing_html(c));
            }
        }
        h += "</li>\n";
    }
    // A threshold crossed by a unit whose points did not move (another part of the formula
    // made up for it).
    for (const auto& c : u.crossings) {
        if (std::none_of(u.points.begin(), u.points.end(),
                         [&](const points_difference& p) { return p.subject == c.subject; })) {
            h += fmt::format("<li>{}: <span class=\"crossing\">{}</span></li>\n",
                             esc(subject_in_words(c.subject)), crossing_html(c));
        }
    }
    if (u.status_changed) {
        h += fmt::format(
            "<li>{}{}</li>\n",
            marked(status_move(u),
                   esc(tr(msg::versus_status_line, fmt::arg("old", status_text(u.old_side)),
                          fmt::arg("new", status_text(u.new_side))))),
            u.status_causes.empty() ? "" : because(u.status_causes, msg::versus_no_cause));
    }
    if (u.rank_changed) {
        h += fmt::format("<li>{}{}",
                         marked(rank_move(u), esc(tr(msg::versus_rank_line,
                                                     fmt::arg("old", rank_text(u.old_side)),
                                                     fmt::arg("new", rank_text(u.new_side))))),
                         because(u.rank_causes, msg::versus_totals_moved));
        // Who moved around it (as the text report writes it).
        for (const auto& n : u.rank_context) {
            h += fmt::format("<div class=\"src context\">{}{}</div>", esc(n.text),
                             n.causes.empty() ? "" : because(n.causes, msg::versus_no_cause));
        }
        h += "</li>\n";
    }
    if (u.award_changed) {
        h += fmt::format(
            "<li>{}{}",
            marked(award_move(ds, u),
                   esc(tr(msg::versus_award_line, fmt::arg("old", award_text(u.old_side)),
                          fmt::arg("new", award_text(u.new_side))))),
            because(u.award_causes, u.old_side.total != u.new_side.total || u.rank_changed
                                        ? msg::versus_rank_or_total_moved
                                        : msg::versus_slots_or_others_moved));
        // What moved around the unit: slots freed or taken, slots passed down, units now
        // ranked behind or ahead of it (as the text report writes it).
        for (const auto& n : u.award_context) {
            h += fmt::format("<div class=\"src context\">{}{}</div>", esc(n.text),
                             n.causes.empty() ? "" : because(n.causes, msg::versus_no_cause));
        }
        if (!u.award_reason.empty()) {
            h += fmt::format("<div class=\"src\">{}</div>", esc(u.award_reason));
        }
        h += "</li>\n";
    }
    if (h.empty()) {
        return fmt::format("<span class=\"src\">{}</span>", esc(tr(msg::versus_unchanged)));
    }
    return "<ul class=\"why\">\n" + h + "</ul>";
}

std::string units(const dataset_difference& ds, unsigned places) {
    const auto& bp = board::text();
    std::string h = fmt::format("<h3>{}</h3>\n", esc(tr(msg::versus_units)));
    h += fmt::format(
        "<table class=\"versus\"><thead><tr><th>{}</th><th class=\"num\">{}</th>"
        "<th class=\"num\">Δ</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>\n",
        esc(bp.unit), esc(bp.total), esc(bp.rank), esc(bp.award), esc(tr(msg::versus_col_why)));
    for (const auto& u : ds.units) {
        std::string old_total = total_text(u.old_side, places);
        std::string new_total = total_text(u.new_side, places);
        std::string delta;
        move m = move::none;
        if (u.old_side.total && u.new_side.total) {
            const number d = *u.new_side.total - *u.old_side.total;
            delta = delta_html(d, places);
            m = d.sign() > 0 ? move::gain : (d.sign() < 0 ? move::loss : move::none);
            // Totals that differ by less than the decimals shown are told apart.
            std::tie(old_total, new_total) =
                points_apart(u.old_side.total, u.new_side.total, places);
        }
        const move am = award_move(ds, u);
        const move rm = rank_move(u);
        // The row says whether the unit gained, lost, or both (a total that falls with an award
        // that rises, through a wider quota).
        bool gained = false;
        bool lost = false;
        for (const move x : {m, am, rm, status_move(u)}) {
            gained = gained || x == move::gain;
            lost = lost || x == move::loss;
        }
        // A unit whose numbers a limit held, or whose value a moved threshold now puts on the
        // other side, has something to say: not unchanged (neither gain nor loss).
        const bool changed = u.score_changed || u.rank_changed || u.award_changed
                             || u.status_changed || !u.points.empty() || !u.crossings.empty();
        const std::string cls = !changed         ? "unchanged"
                                : gained && lost ? "mixed"
                                : gained         ? "gain"
                                : lost           ? "loss"
                                                 : "same";
        h += fmt::format("<tr class=\"versus-row {}\" data-unit=\"{}\">", cls, esc(u.name));
        h += fmt::format("<td class=\"unit\">{}</td>", esc(u.name));
        h += fmt::format(
            "<td class=\"num total\">{}</td>",
            old_total == new_total ? esc(new_total) : esc(old_total) + " → " + esc(new_total));
        h += fmt::format("<td class=\"num delta\">{}</td>", delta);
        h += fmt::format("<td class=\"num\">{}</td>",
                         u.rank_changed ? marked(
                             rm, esc(rank_text(u.old_side)) + " → " + esc(rank_text(u.new_side)))
                                        : esc(rank_text(u.new_side)));
        h += fmt::format("<td class=\"award\">{}</td>",
                         u.award_changed ? marked(
                             am, esc(award_text(u.old_side)) + " → " + esc(award_text(u.new_side)))
                                         : esc(award_text(u.new_side)));
        h += fmt::format("<td class=\"why\">{}</td></tr>\n", unit_detail(ds, u, places));
    }
    return h + "</tbody></table>\n";
}

}  // namespace

html_section html_versus(const regulation_diff& d) {
    std::string body = fmt::format(
        "<p>{}</p>\n",
        esc(tr(msg::versus_intro, fmt::arg("old", d.old_title), fmt::arg("old_file", d.old_path),
               fmt::arg("new", d.new_title), fmt::arg("new_file", d.new_path))));
    if (!d.datasets.empty()) {
        const auto& ds = d.datasets.front();
        body += summary(ds) + warnings(d, ds);
    }
    body += changes(d);
    if (!d.datasets.empty()) {
        body += units(d.datasets.front(), d.places);
    }
    return {"versus", tr(msg::versus_title), body};
}

}  // namespace thidua
