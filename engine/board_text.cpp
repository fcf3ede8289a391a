#include "engine/board_text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dsl/i18n.hpp"
#include "engine/explain.hpp"
#include "engine/ranking.hpp"
#include "engine/report.hpp"

namespace thidua::board {

const phrases& text() {
    // One table per language, made on first use; the language is set before any work starts.
    static const auto make = [](language lang) {
        auto t = [lang](msg key) { return std::string(message_text(key, lang)); };
        phrases v;
        v.rank = t(msg::board_col_rank);
        v.unit = t(msg::board_col_unit);
        v.total = t(msg::board_col_total);
        v.bonus = t(msg::board_col_bonus);
        v.deduction = t(msg::board_col_deduction);
        v.award = t(msg::board_col_award);
        v.awards = t(msg::awards_heading);
        v.notes = t(msg::board_col_notes);
        v.self_difference = t(msg::board_col_self_difference);
        v.max_row = t(msg::board_max_row);
        v.criterion = t(msg::board_col_criterion);
        v.title = t(msg::board_col_title);
        v.rule = t(msg::board_col_rule);
        v.citation = t(msg::board_col_citation);
        v.formula = t(msg::board_col_formula);
        v.derivation = t(msg::board_col_derivation);
        v.computed = t(msg::board_col_computed);
        v.points = t(msg::board_col_points);
        v.max = t(msg::board_col_max);
        v.section = t(msg::board_col_section);
        v.open = t(msg::state_open);
        v.excluded = t(msg::state_excluded);
        v.ineligible = t(msg::state_ineligible);
        v.not_applicable = t(msg::board_not_applicable);
        v.unresolved_ties = t(msg::issues_unresolved_ties);
        v.tie_votes = t(msg::issues_tie_votes);
        v.quota_conflicts = t(msg::issues_quota_conflicts);
        v.no_award = t(msg::awards_none);
        v.ranking_sheet = t(msg::board_sheet_ranking);
        v.explanations_sheet = t(msg::board_sheet_explanations);
        return v;
    };
    static const phrases en = make(language::en);
    static const phrases vi = make(language::vi);
    return current_language() == language::vi ? vi : en;
}

std::string section_total(std::string_view section) {
    return tr(msg::board_section_total, fmt::arg("section", section));
}

namespace {

// "A, B and C" (list_names_and), as the decision sentences list names.
std::string join_and(const std::vector<std::string>& items) {
    if (items.size() < 2) {
        return items.empty() ? std::string() : items.front();
    }
    std::string first;
    for (std::size_t i = 0; i + 1 < items.size(); ++i) {
        first += (i > 0 ? ", " : "") + items[i];
    }
    return tr(msg::list_names_and, fmt::arg("first", first), fmt::arg("second", items.back()));
}

// The labels of knock-outs, quoted: "\"Không nộp hồ sơ\"".
std::string knockout_labels(const ast::regulation& ast, const std::vector<std::uint32_t>& which) {
    std::vector<std::string> labels;
    labels.reserve(which.size());
    for (const auto k : which) {
        labels.push_back(fmt::format("\"{}\"", ast.knockouts[k].label));
    }
    return join_and(labels);
}

// A unit's position as the decision sentences give it (ranking.cpp's position_text): "rank 5",
// "positions 4 to 5 (unresolved tie)".
std::string position(const tier_decision& d) {
    return d.rank_to > d.rank
               ? tr(msg::position_tied, fmt::arg("from", d.rank), fmt::arg("to", d.rank_to))
               : tr(msg::rank_one, fmt::arg("rank", d.rank));
}

// A tier's candidate ranks as the decision sentences give them: "rank 1", "ranks 2 to 4".
std::string candidate_ranks(std::uint32_t from, std::uint32_t to) {
    return from == to ? tr(msg::rank_one, fmt::arg("rank", from))
                      : tr(msg::rank_range, fmt::arg("from", from), fmt::arg("to", to));
}

}  // namespace

bool is_open(decision_kind k) {
    return k == decision_kind::quota_conflict || k == decision_kind::pending_tie_vote
           || k == decision_kind::pending_other_tier || k == decision_kind::pending_dependency;
}

std::vector<std::size_t> table_order(const bloc_outcome& bloc) {
    std::vector<std::size_t> order = bloc.ranking.order;
    order.insert(order.end(), bloc.ranking.excluded.begin(), bloc.ranking.excluded.end());
    return order;
}

unsigned places(const bloc_outcome& bloc) {
    return display_places(*bloc.reg->ast);
}

std::string points(const bloc_outcome& bloc, const number& n) {
    return decimal(n.to_string(places(bloc)));
}

std::pair<std::string, std::string> apart(const number& a, const number& b, unsigned places) {
    auto texts = number::display_apart(a, b, places, true);
    return {decimal(std::move(texts.first)), decimal(std::move(texts.second))};
}

std::string rank(const unit_result& r) {
    if (!r.rank) {
        return "";
    }
    if (r.rank_unresolved && r.rank_to != *r.rank) {
        return fmt::format("{}–{}?", *r.rank, r.rank_to);
    }
    return fmt::format("{}", *r.rank);
}

std::string award(const bloc_outcome& bloc, std::size_t unit) {
    const auto& r = bloc.ranking.units[unit];
    if (r.award) {
        return bloc.reg->ast->awards[*r.award].label;
    }
    return r.award_open ? text().open : std::string();
}

std::vector<std::string> state_notes(const bloc_outcome& bloc, std::size_t unit) {
    const auto& ast = *bloc.reg->ast;
    const auto& s = bloc.scores[unit];
    std::vector<std::string> out;
    for (const auto k : s.exclude_reasons) {
        out.push_back(fmt::format("{}: {}", text().excluded, ast.knockouts[k].label));
    }
    for (const auto k : s.ineligible_reasons) {
        out.push_back(fmt::format("{}: {}", text().ineligible, ast.knockouts[k].label));
    }
    const auto& r = bloc.ranking.units[unit];
    for (std::size_t t = 0; t < r.tiers.size(); ++t) {
        if (is_open(r.tiers[t].kind)) {
            out.push_back(fmt::format("{}: {}", bloc.ranking.tiers[t].label,
                                      describe_decision(bloc.ranking, unit, t)));
        }
    }
    return out;
}

std::vector<std::string> notes(const bloc_outcome& bloc, std::size_t unit) {
    auto out = state_notes(bloc, unit);
    if (auto note = self_score_note(bloc, unit); !note.empty()) {
        out.push_back(std::move(note));
    }
    return out;
}

std::string pending_slots(const slot_range& held) {
    return tr_n(msg::state_pending_slots, held.hi, fmt::arg("slots", describe_slots(held)));
}

std::string self_score_absent(const ast::regulation& ast) {
    return ast.self_score
               ? tr(msg::board_self_score_absent, fmt::arg("field", ast.self_score->field))
               : "";
}

std::string self_score_note(const bloc_outcome& bloc, std::size_t unit) {
    const auto& s = bloc.scores[unit];
    const auto& ast = *bloc.reg->ast;
    if (ast.self_score && !s.self_score) {
        // An excluded unit has no total to compare a self-score with.
        return bloc.ranking.units[unit].excluded ? "" : self_score_absent(ast);
    }
    if (!s.self_flagged || !s.self_score || !s.self_difference || !ast.self_score) {
        return "";
    }
    return tr(msg::board_self_score_note, fmt::arg("self_score", points(bloc, *s.self_score)),
              fmt::arg("difference", points(bloc, *s.self_difference)),
              fmt::arg("tolerance", decimal(ast.self_score->tolerance.text)));
}

bool in_window(const tier_report& r, const unit_result& u) {
    if (!u.rank) {
        return false;
    }
    if (!r.window_from) {
        return true;
    }
    const auto to = r.window_to.value_or(*r.window_from);
    return *u.rank <= to && std::max(*u.rank, u.rank_to) >= *r.window_from;
}

namespace {

// The awards limit left the tier fewer slots than its own: the same test as the reason of a
// `quota_exhausted` decision (ranking.cpp), so that both say it in the same cases.
bool capped(const tier_report& r) {
    return r.global_left && (!r.slots || r.global_left->lo < r.slots->lo);
}

}  // namespace

bool slots_limited(const tier_report& r) {
    return r.quota || r.passed_in.hi > 0 || capped(r);
}

std::string tier_slots(const bloc_outcome& bloc, std::size_t tier) {
    const auto& rk = bloc.ranking;
    const auto& r = rk.tiers[tier];
    // The clauses of describe_decision()'s "no slot is left (…)", so that the awards and the
    // decisions under them word the same slots the same way.
    std::string s = r.quota ? describe_quota(*r.quota) : tr(msg::board_no_limit);
    if (r.passed_in.hi > 0) {
        s += tr(msg::decision_passed_down, fmt::arg("slots", describe_slots(r.passed_in)));
    }
    if (capped(r)) {
        s += "; "
             + tr(msg::decision_awards_limit,
                  fmt::arg("limit",
                           rk.awards_limit ? describe_quota(*rk.awards_limit) : std::string("?")),
                  fmt::arg("slots", describe_slots(*r.global_left)));
    }
    if (r.available && (r.passed_in.hi > 0 || capped(r))) {
        s += tr(msg::board_slots_available, fmt::arg("slots", describe_slots(*r.available)));
    }
    return s;
}

std::string nobody(const bloc_outcome& bloc, std::size_t tier) {
    const auto& rk = bloc.ranking;
    const auto& r = rk.tiers[tier];
    bool any = false;
    for (const auto i : table_order(bloc)) {
        const auto& u = rk.units[i];
        if (!in_window(r, u)) {
            continue;
        }
        any = true;
        if (u.tiers[tier].kind == decision_kind::already_awarded) {
            continue;
        }
        // Without the shortfall: the score table is computed without traces, and every output
        // must give the same line (the page lists each candidate with it below).
        return tr(msg::board_none_best, fmt::arg("unit", bloc.units[i]->name),
                  fmt::arg("decision", decision(bloc, i, tier, false)));
    }
    if (any) {
        return tr(msg::board_none_all_awarded);
    }
    return r.window_from ? tr(msg::board_none_no_candidate, fmt::arg("window", window(r)))
                         : tr(msg::board_none_unranked);
}

std::string recipients(const bloc_outcome& bloc, std::size_t tier) {
    const auto& rk = bloc.ranking;
    std::vector<std::string> who;
    for (const auto i : table_order(bloc)) {
        if (rk.units[i].award == tier) {
            who.push_back(bloc.units[i]->name);
        }
    }
    std::string given = fmt::format("{}", fmt::join(who, ", "));
    if (rk.tiers[tier].held.hi > 0) {
        given += (given.empty() ? "" : "; ") + pending_slots(rk.tiers[tier].held);
    }
    return given.empty() ? nobody(bloc, tier) : given;
}

const ast::rounding_rule* rounding_rule_of(const ast::regulation& ast,
                                           ast::rounding_rule::target target) {
    // The checker refuses a level rounded twice (E135): at most one rule matches.
    for (const auto& r : ast.rounding) {
        if (r.at == target) {
            return &r;
        }
    }
    return nullptr;
}

std::string rounding(const ast::regulation& ast, const ast::rounding_rule& rule) {
    msg how = msg::board_rounded_half_up;
    switch (rule.how) {
        case ast::rounding_rule::mode::half_up:
            how = msg::board_rounded_half_up;
            break;
        case ast::rounding_rule::mode::half_even:
            how = msg::board_rounded_half_even;
            break;
        case ast::rounding_rule::mode::down:
            how = msg::board_rounded_down;
            break;
        case ast::rounding_rule::mode::up:
            how = msg::board_rounded_up;
            break;
    }
    if (rule.step.text == "1") {
        return tr(msg::board_rounding_whole, fmt::arg("how", tr(how)),
                  fmt::arg("rule", rule_position(ast, rule.where)));
    }
    return tr(msg::board_rounding, fmt::arg("how", tr(how)),
              fmt::arg("step", decimal(rule.step.text)),
              fmt::arg("rule", rule_position(ast, rule.where)));
}

std::string tie(const bloc_outcome& bloc, const tie_group& t) {
    return describe_tie(bloc.ranking, t);
}

std::string conflict(const bloc_outcome& bloc, const quota_conflict& c) {
    return describe_conflict(bloc.ranking, c);
}

std::string tie_vote(const bloc_outcome& bloc, const thidua::tie_vote& v) {
    return describe_tie_vote(bloc.ranking, v);
}

std::string quota(const quota_computation& q) {
    return describe_quota(q);
}

std::string ranks(std::uint64_t from, std::uint64_t to) {
    return to == from ? tr(msg::rank_one, fmt::arg("rank", from))
                      : tr(msg::board_rank_span, fmt::arg("from", from), fmt::arg("to", to));
}

std::string window(const tier_report& r) {
    if (!r.window_from) {
        return tr(msg::rank_every);
    }
    return ranks(*r.window_from, r.window_to.value_or(*r.window_from));
}

std::string slots(const slot_range& s) {
    return describe_slots(s);
}

std::string decision(const bloc_outcome& bloc, std::size_t unit, std::size_t tier,
                     bool shortfalls) {
    const auto& rk = bloc.ranking;
    const auto& d = rk.units[unit].tiers[tier];
    const auto& s = bloc.scores[unit];
    const auto& ast = *bloc.reg->ast;
    switch (d.kind) {
        case decision_kind::excluded:
            return s.exclude_reasons.empty()
                       ? describe_decision(rk, unit, tier)
                       : fmt::format("{}: {}", describe_decision(rk, unit, tier),
                                     knockout_labels(ast, s.exclude_reasons));
        case decision_kind::ineligible: {
            // describe_decision() says "rank 2, but ineligible": right for a rank within the
            // candidate ranks, where eligibility alone kept the award away. A rank outside them
            // did not qualify either, so both reasons are stated, without "but".
            const auto& r = rk.tiers[tier];
            const std::uint32_t last = r.window_to.value_or(r.window_from.value_or(0));
            const bool outside = r.window_from && (d.rank_to < *r.window_from || d.rank > last);
            const std::string sentence =
                outside ? tr_n(msg::state_ineligible_outside_window, d.rank_to > d.rank ? 2 : 1,
                               fmt::arg("position", position(d)),
                               fmt::arg("window", candidate_ranks(*r.window_from, last)))
                        : describe_decision(rk, unit, tier);
            return s.ineligible_reasons.empty()
                       ? sentence
                       : fmt::format("{}: {}", sentence,
                                     knockout_labels(ast, s.ineligible_reasons));
        }
        case decision_kind::requirement_failed: {
            // describe_decision()'s sentence, then by how much the requirements missed (each
            // names the value it is about: "`total` needs 4.26 more").
            std::vector<std::string> missed;
            for (const auto k : d.failed_requirements) {
                const std::string sf = shortfalls ? shortfall(bloc, unit, tier, k) : "";
                if (!sf.empty()) {
                    missed.push_back(sf);
                }
            }
            return missed.empty() ? describe_decision(rk, unit, tier)
                                  : fmt::format("{} ({})", describe_decision(rk, unit, tier),
                                                fmt::join(missed, "; "));
        }
        default:
            return describe_decision(rk, unit, tier);
    }
}

namespace {

std::string shortfall_of(const bloc_outcome& bloc, const ast::expr& cond,
                         const trace_frame& frame) {
    return requirement_shortfall(
        bloc, cond, frame,
        {msg::shortfall_ge, msg::shortfall_gt, msg::shortfall_le, msg::shortfall_lt});
}

}  // namespace

std::string shortfall(const bloc_outcome& bloc, std::size_t unit, std::size_t tier,
                      std::size_t requirement) {
    const auto& s = bloc.scores[unit];
    const auto& awards = bloc.reg->ast->awards;
    if (tier >= s.requirement_traces.size() || requirement >= s.requirement_traces[tier].size()
        || tier >= awards.size() || requirement >= awards[tier].requirements.size()) {
        return "";
    }
    return shortfall_of(bloc, *awards[tier].requirements[requirement].condition,
                        s.requirement_traces[tier][requirement]);
}

}  // namespace thidua::board
