#include "engine/coverage.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "engine/explain.hpp"

namespace thidua {

namespace {

// The source text of a span on one line, spaces collapsed: "`>= 95%`".
std::string source_text(const ast::regulation& reg, span where) {
    return one_line(reg.file->slice(where));
}

}  // namespace

rule_coverage::rule_coverage(const checked_regulation& reg) : reg_(reg) {
    const auto& ast = *reg.ast;
    // The points quote keywords (`else`) as the regulation writes them.
    const scoped_keyword_language keywords_as_written(
        ast.file ? keywords::first_keyword_language(ast.file->text()) : std::nullopt);
    branches_.resize(static_cast<std::size_t>(ast.expr_count) + 1);
    auto add = [&](std::string what, span where) {
        points_.push_back({std::move(what), where, false});
        return points_.size() - 1;
    };
    auto body = [&](const ast::scoring_body& b, const std::string& context) {
        for (const auto& l : b.lets) {
            collect(*l.value, context);
        }
        if (b.points) {
            collect(*b.points, context);
        }
    };
    for (const auto& c : reg.criteria) {
        const std::string context = tr(msg::coverage_criterion, fmt::arg("id", c.node->id));
        criterion_points_.push_back(
            add(tr(msg::coverage_never_scored, fmt::arg("context", context)), c.node->where));
        if (c.node->applies_when) {
            collect(*c.node->applies_when, context);
        }
        body(c.node->body, context);
    }
    for (const auto& i : reg.items) {
        const bool bonus = ast.groups[i.group].what == ast::group::kind::bonus;
        body(i.node->body, tr(bonus ? msg::coverage_bonus_item : msg::coverage_deduction_item,
                              fmt::arg("label", i.node->label)));
    }
    for (const auto& k : ast.knockouts) {
        const std::string context =
            tr(k.what == ast::knockout::kind::exclude ? msg::coverage_exclude
                                                      : msg::coverage_ineligible,
               fmt::arg("label", k.label));
        knockout_points_.push_back(
            add(tr(msg::coverage_never_applies, fmt::arg("context", context)), k.where));
        add(tr(msg::coverage_always_applies, fmt::arg("context", context)), k.where);
        collect(*k.condition, context);
    }
    if (ast.ranking) {
        // The keys' bands and arms (`when` or `match` in a key), as the scoring traces them.
        std::size_t number = 0;
        for (const auto* ks : {&ast.ranking->keys, &ast.ranking->first_place_keys}) {
            for (const auto& k : *ks) {
                collect(*k.key, tr(msg::coverage_ranking_key, fmt::arg("number", ++number)));
            }
        }
    }
    for (const auto& a : ast.awards) {
        auto& reqs = requirement_points_.emplace_back();
        for (const auto& q : a.requirements) {
            const std::string context =
                tr(msg::coverage_requirement, fmt::arg("label", q.label), fmt::arg("award", a.id));
            reqs.push_back(
                add(tr(msg::coverage_never_holds, fmt::arg("context", context)), q.where));
            add(tr(msg::coverage_never_fails, fmt::arg("context", context)), q.where);
            collect(*q.condition, context);
        }
        award_points_.push_back(
            add(tr(msg::coverage_never_given, fmt::arg("award", a.id)), a.where));
        add(tr(msg::coverage_never_refused, fmt::arg("award", a.id)), a.where);
    }
}

void rule_coverage::collect(const ast::expr& e, const std::string& context) {
    const auto& ast = *reg_.ast;
    auto sub = [&](const ast::expr_ptr& p) {
        if (p) {
            collect(*p, context);
        }
    };
    std::visit(
        overloaded{
            [&](const ast::member_ref& m) { sub(m.object); },
            [&](const ast::unary& u) { sub(u.operand); },
            [&](const ast::binary& b) {
                sub(b.lhs);
                sub(b.rhs);
            },
            [&](const ast::call& c) {
                for (const auto& a : c.args) {
                    sub(a);
                }
            },
            [&](const ast::aggregate& a) {
                sub(a.list);
                sub(a.where);
                sub(a.body);
            },
            [&](const ast::if_expr& i) {
                // Both ways of each rung: a ladder's last `else` is a branch as a `when`'s is.
                sub(i.condition);
                auto& bp = branches_[e.id];
                bp.first = points_.size();
                bp.count = 2;
                const std::string condition = source_text(ast, i.condition->where);
                points_.push_back({tr(msg::coverage_if_then, fmt::arg("context", context),
                                      fmt::arg("condition", condition)),
                                   i.then_value->where, false});
                points_.push_back({tr(msg::coverage_if_else, fmt::arg("context", context),
                                      fmt::arg("condition", condition)),
                                   i.else_value->where, false});
                sub(i.then_value);
                sub(i.else_value);
            },
            [&](const ast::when_expr& w) {
                sub(w.subject);
                auto& bp = branches_[e.id];
                bp.first = points_.size();
                bp.count = w.bands.size();
                for (const auto& b : w.bands) {
                    const span head{b.where.begin, b.bound->where.end};
                    points_.push_back({tr(msg::coverage_band, fmt::arg("context", context),
                                          fmt::arg("band", source_text(ast, head))),
                                       b.where, false});
                }
                if (w.else_value) {
                    bp.else_point = points_.size();
                    points_.push_back({tr(msg::coverage_band_else, fmt::arg("context", context)),
                                       w.else_span, false});
                }
                for (const auto& b : w.bands) {
                    sub(b.bound);
                    sub(b.value);
                }
                sub(w.else_value);
            },
            [&](const ast::match_expr& m) {
                sub(m.subject);
                auto& bp = branches_[e.id];
                bp.first = points_.size();
                bp.count = m.arms.size();
                for (const auto& a : m.arms) {
                    points_.push_back({tr(msg::coverage_arm, fmt::arg("context", context),
                                          fmt::arg("arm", a.member)),
                                       a.member_span, false});
                }
                if (m.else_value) {
                    bp.else_point = points_.size();
                    points_.push_back({tr(msg::coverage_arm_else, fmt::arg("context", context)),
                                       m.else_span, false});
                }
                for (const auto& a : m.arms) {
                    sub(a.value);
                }
                sub(m.else_value);
            },
            [&](const ast::presence& p) { sub(p.operand); },
            [](const auto&) {},
        },
        e.kind);
}

void rule_coverage::record_frame(const trace_frame& f) {
    for (const auto& [id, which] : f.choices) {
        if (id >= branches_.size()) {
            continue;
        }
        const auto& bp = branches_[id];
        if (which == UINT32_MAX) {
            if (bp.else_point != SIZE_MAX) {
                points_[bp.else_point].hit = true;
            }
        } else if (which < bp.count) {
            points_[bp.first + which].hit = true;
        }
    }
    for (const auto& l : f.loops) {
        for (const auto& sub : l.frames) {
            record_frame(sub);
        }
    }
}

void rule_coverage::record(const bloc_outcome& bloc) {
    const auto& ast = *reg_.ast;
    for (std::size_t u = 0; u < bloc.scores.size(); ++u) {
        const auto& s = bloc.scores[u];
        for (std::size_t k = 0; k < s.knockout_traces.size(); ++k) {
            record_frame(s.knockout_traces[k]);
        }
        for (std::size_t k = 0; k < ast.knockouts.size(); ++k) {
            const bool exclude = ast.knockouts[k].what == ast::knockout::kind::exclude;
            if (!exclude && s.excluded) {
                continue;  // not evaluated: the unit was excluded first
            }
            const auto& reasons = exclude ? s.exclude_reasons : s.ineligible_reasons;
            const bool held = std::find(reasons.begin(), reasons.end(), k) != reasons.end();
            points_[knockout_points_[k] + (held ? 0 : 1)].hit = true;
        }
        if (s.excluded) {
            continue;
        }
        for (std::size_t c = 0; c < s.criteria.size(); ++c) {
            record_frame(s.criterion_trace(c));
            if (s.criteria[c].applicable) {
                points_[criterion_points_[c]].hit = true;
            }
        }
        for (const auto& f : s.item_traces) {
            record_frame(f);
        }
        for (const auto& k : s.key_traces) {
            record_frame(k);
        }
        for (std::size_t a = 0; a < s.requirements.size() && a < requirement_points_.size(); ++a) {
            for (std::size_t q = 0; q < s.requirements[a].size(); ++q) {
                points_[requirement_points_[a][q] + (s.requirements[a][q] ? 0 : 1)].hit = true;
                if (a < s.requirement_traces.size() && q < s.requirement_traces[a].size()) {
                    record_frame(s.requirement_traces[a][q]);
                }
            }
        }
    }
    for (const auto& r : bloc.ranking.units) {
        for (std::size_t a = 0; a < r.tiers.size() && a < award_points_.size(); ++a) {
            switch (r.tiers[a].kind) {
                case decision_kind::given:
                    points_[award_points_[a]].hit = true;
                    break;
                case decision_kind::ineligible:
                case decision_kind::already_awarded:
                case decision_kind::outside_window:
                case decision_kind::requirement_failed:
                case decision_kind::quota_exhausted:
                    points_[award_points_[a] + 1].hit = true;
                    break;
                default:
                    break;  // excluded (not ranked) or still open: neither given nor refused
            }
        }
    }
}

std::size_t rule_coverage::hit_count() const {
    return static_cast<std::size_t>(
        std::count_if(points_.begin(), points_.end(), [](const point& p) { return p.hit; }));
}

bool rule_coverage::at_least(const number& minimum_percent) const {
    if (points_.empty()) {
        return true;
    }
    return number(static_cast<std::int64_t>(hit_count())) * number(100)
           >= minimum_percent * number(static_cast<std::int64_t>(points_.size()));
}

std::string rule_coverage::report_text() const {
    const auto& ast = *reg_.ast;
    const std::size_t hit = hit_count();
    const std::string percent =
        decimal(points_.empty() ? std::string("100.0")
                                : (number(static_cast<std::int64_t>(hit)) * number(100)
                                   / number(static_cast<std::int64_t>(points_.size())))
                                      .to_string(1));
    std::string out =
        tr(msg::coverage_summary, fmt::arg("path", ast.file->path()), fmt::arg("hit", hit),
           fmt::arg("total", points_.size()), fmt::arg("percent", percent))
        + "\n";
    std::vector<const point*> missed;
    for (const auto& p : points_) {
        if (!p.hit) {
            missed.push_back(&p);
        }
    }
    std::stable_sort(missed.begin(), missed.end(), [](const point* a, const point* b) {
        return a->where.begin < b->where.begin;
    });
    for (const auto* p : missed) {
        out += fmt::format("  {}: {}\n", rule_position(ast, p->where), p->what);
    }
    return out;
}

}  // namespace thidua
