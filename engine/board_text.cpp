#include "engine/board_text.hpp"

#include <fmt/format.h>

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
        v.awards = t(msg::board_awards);
        v.notes = t(msg::board_col_notes);
        v.knockouts = t(msg::board_col_knockouts);
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
        v.open_award = t(msg::board_award_open);
        v.not_ranked = t(msg::board_not_ranked);
        v.not_applicable = t(msg::board_not_applicable);
        v.unresolved_ties = t(msg::board_unresolved_ties);
        v.tie_votes = t(msg::board_tie_votes);
        v.quota_conflicts = t(msg::board_quota_conflicts);
        v.no_award = t(msg::board_no_award);
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

std::string names(const bloc_outcome& bloc, const std::vector<std::size_t>& units) {
    std::vector<std::string> n;
    n.reserve(units.size());
    for (const auto u : units) {
        n.push_back(bloc.units[u]->name);
    }
    return fmt::format("{}", fmt::join(n, ", "));
}

std::string tier_name(const bloc_outcome& bloc, std::size_t tier) {
    return bloc.ranking.tiers[tier].label;
}

std::string tier_names(const bloc_outcome& bloc, const std::vector<std::size_t>& tiers) {
    std::vector<std::string> n;
    n.reserve(tiers.size());
    for (const auto t : tiers) {
        n.push_back(tier_name(bloc, t));
    }
    return fmt::format("{}", fmt::join(n, ", "));
}

std::string position(const tier_decision& d) {
    return ranks(d.rank, d.rank_to);
}

}  // namespace

std::vector<std::size_t> table_order(const bloc_outcome& bloc) {
    std::vector<std::size_t> order = bloc.ranking.order;
    order.insert(order.end(), bloc.ranking.excluded.begin(), bloc.ranking.excluded.end());
    return order;
}

unsigned places(const bloc_outcome& bloc) {
    return display_places(*bloc.reg->ast);
}

std::string points(const bloc_outcome& bloc, const number& n) {
    return n.to_string(places(bloc));
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
    return r.award_open ? text().open_award : std::string();
}

std::vector<std::string> knockouts(const bloc_outcome& bloc, std::size_t unit) {
    const auto& ast = *bloc.reg->ast;
    const auto& s = bloc.scores[unit];
    std::vector<std::string> out;
    for (const auto k : s.exclude_reasons) {
        out.push_back(tr(msg::board_excluded, fmt::arg("label", ast.knockouts[k].label)));
    }
    for (const auto k : s.ineligible_reasons) {
        out.push_back(tr(msg::board_ineligible, fmt::arg("label", ast.knockouts[k].label)));
    }
    return out;
}

std::vector<std::string> notes(const bloc_outcome& bloc, std::size_t unit) {
    auto out = knockouts(bloc, unit);
    const auto& s = bloc.scores[unit];
    if (s.self_flagged) {
        out.push_back(tr(msg::board_self_flagged,
                         fmt::arg("self_score", points(bloc, *s.self_score)),
                         fmt::arg("difference", points(bloc, *s.self_difference))));
    }
    return out;
}

std::string tie(const bloc_outcome& bloc, const tie_group& t) {
    if (t.mode == ast::tie_mode::shared) {
        return tr(msg::board_tie_shared, fmt::arg("units", names(bloc, t.units)),
                  fmt::arg("rank", t.from));
    }
    return tr(msg::board_tie_unresolved, fmt::arg("units", names(bloc, t.units)),
              fmt::arg("from", t.from), fmt::arg("to", t.to));
}

std::string conflict(const bloc_outcome& bloc, const quota_conflict& c) {
    return tr_n(msg::board_conflict, c.slots, fmt::arg("award", tier_name(bloc, c.tier)),
                fmt::arg("units", names(bloc, c.units)), fmt::arg("rank", c.rank),
                fmt::arg("also", c.unresolved_tie ? tr(msg::board_conflict_tie) : std::string()));
}

std::string tie_vote(const bloc_outcome& bloc, const thidua::tie_vote& v) {
    return tr(msg::board_tie_vote, fmt::arg("award", tier_name(bloc, v.tier)),
              fmt::arg("units", names(bloc, v.units)), fmt::arg("from", v.from),
              fmt::arg("to", v.to), fmt::arg("window", ranks(v.window_from, v.window_to)));
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

std::string decision(const bloc_outcome& bloc, std::size_t unit, std::size_t tier) {
    const auto& rk = bloc.ranking;
    const auto& r = rk.tiers[tier];
    const auto& d = rk.units[unit].tiers[tier];
    switch (d.kind) {
        case decision_kind::given:
            return r.window_from
                       ? tr(msg::board_decision_given_window, fmt::arg("position", position(d)),
                            fmt::arg("window", window(r)))
                       : tr(msg::board_decision_given, fmt::arg("position", position(d)));
        case decision_kind::excluded:
            return tr(msg::board_decision_excluded);
        case decision_kind::ineligible:
            return tr(msg::board_decision_ineligible, fmt::arg("position", position(d)));
        case decision_kind::already_awarded:
            return tr(msg::board_decision_already,
                      fmt::arg("award", tier_name(bloc, d.other_tier)));
        case decision_kind::outside_window:
            return tr(msg::board_decision_outside, fmt::arg("position", position(d)),
                      fmt::arg("window", window(r)));
        case decision_kind::requirement_failed: {
            std::vector<std::string> failed;
            for (const auto k : d.failed_requirements) {
                std::string f = fmt::format(
                    "“{}”", k < r.requirement_labels.size() ? r.requirement_labels[k] : "");
                const std::string sf = shortfall(bloc, unit, tier, k);
                if (!sf.empty()) {
                    f += fmt::format(" ({})", sf);
                }
                failed.push_back(std::move(f));
            }
            return tr(msg::board_decision_failed,
                      fmt::arg("requirements", fmt::format("{}", fmt::join(failed, "; "))));
        }
        case decision_kind::quota_exhausted:
            return tr_n(msg::board_decision_no_slot, r.given, fmt::arg("position", position(d)),
                        fmt::arg("held", r.held.hi > 0 ? tr_n(msg::board_decision_held, r.held.hi,
                                                              fmt::arg("slots", slots(r.held)))
                                                       : std::string()),
                        fmt::arg("quota", r.quota ? tr(msg::board_decision_quota,
                                                       fmt::arg("quota", quota(*r.quota)))
                                                  : std::string()));
        case decision_kind::quota_conflict: {
            const auto& c = rk.conflicts[d.issue];
            return tr_n(msg::board_decision_conflict, c.slots,
                        fmt::arg("units", names(bloc, c.units)), fmt::arg("rank", c.rank));
        }
        case decision_kind::pending_tie_vote: {
            const auto& v = rk.tie_votes[d.issue];
            return tr(msg::board_decision_tie_vote, fmt::arg("from", v.from), fmt::arg("to", v.to));
        }
        case decision_kind::pending_other_tier:
            return tr(msg::board_decision_other_tier,
                      fmt::arg("awards", tier_names(bloc, d.open_tiers)));
        case decision_kind::pending_dependency:
            return tr(msg::board_decision_dependency,
                      fmt::arg("awards", tier_names(bloc, d.open_tiers)));
    }
    return "";
}

namespace {

std::string shortfall_of(const bloc_outcome& bloc, const ast::expr& cond,
                         const trace_frame& frame) {
    return requirement_shortfall(bloc, cond, frame,
                                 {msg::board_shortfall_ge, msg::board_shortfall_gt,
                                  msg::board_shortfall_le, msg::board_shortfall_lt});
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
