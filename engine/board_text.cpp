#include "engine/board_text.hpp"

#include <fmt/format.h>

#include "engine/explain.hpp"

namespace thidua::board {

const phrases& vi() {
    static const phrases p = [] {
        phrases v;
        v.rank = "Hạng";
        v.unit = "Đơn vị";
        v.total = "Tổng điểm";
        v.bonus = "Điểm thưởng";
        v.deduction = "Điểm trừ";
        v.award = "Khen thưởng";
        v.notes = "Ghi chú";
        v.knockouts = "Không xếp hạng / không xét khen thưởng";
        v.self_difference = "Chênh lệch tự chấm";
        v.section_total = "Cộng mục";
        v.max_row = "Điểm tối đa";
        v.criterion = "Tiêu chí";
        v.title = "Nội dung";
        v.rule = "Quy định (tệp:dòng)";
        v.citation = "Căn cứ";
        v.formula = "Công thức";
        v.derivation = "Diễn giải (giá trị thay vào)";
        v.computed = "Giá trị tính được";
        v.points = "Điểm";
        v.max = "Tối đa";
        v.section = "Mục";
        v.open_award = "(chờ Khối quyết định)";
        v.not_ranked = "không xếp hạng";
        v.not_applicable = "không áp dụng";
        v.unresolved_ties = "Đồng hạng chưa phân định (Khối biểu quyết)";
        v.tie_votes = "Khen thưởng phụ thuộc kết quả biểu quyết đồng hạng";
        v.quota_conflicts = "Vượt số lượng khen thưởng (Khối quyết định)";
        v.no_award = "không có";
        v.ranking_sheet = "Xếp hạng";
        v.explanations_sheet = "Giải trình";
        return v;
    }();
    return p;
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

std::string slots(const slot_range& s) {
    return s.exact() ? fmt::format("{}", s.lo) : fmt::format("{} đến {}", s.lo, s.hi);
}

std::string position(const tier_decision& d) {
    return d.rank_to != d.rank ? fmt::format("hạng {}–{}", d.rank, d.rank_to)
                               : fmt::format("hạng {}", d.rank);
}

std::string window(const tier_report& r) {
    if (!r.window_from) {
        return "mọi hạng";
    }
    const auto to = r.window_to.value_or(*r.window_from);
    return to == *r.window_from ? fmt::format("hạng {}", *r.window_from)
                                : fmt::format("hạng {}–{}", *r.window_from, to);
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
    return r.award_open ? vi().open_award : std::string();
}

std::vector<std::string> knockouts(const bloc_outcome& bloc, std::size_t unit) {
    const auto& ast = *bloc.reg->ast;
    const auto& s = bloc.scores[unit];
    std::vector<std::string> out;
    for (const auto k : s.exclude_reasons) {
        out.push_back(fmt::format("Không xếp hạng: {}", ast.knockouts[k].label));
    }
    for (const auto k : s.ineligible_reasons) {
        out.push_back(fmt::format("Không xét khen thưởng: {}", ast.knockouts[k].label));
    }
    return out;
}

std::vector<std::string> notes(const bloc_outcome& bloc, std::size_t unit) {
    auto out = knockouts(bloc, unit);
    const auto& s = bloc.scores[unit];
    if (s.self_flagged) {
        out.push_back(fmt::format("Điểm tự chấm {} chênh {} so với điểm thẩm định",
                                  points(bloc, *s.self_score), points(bloc, *s.self_difference)));
    }
    return out;
}

std::string tie(const bloc_outcome& bloc, const tie_group& t) {
    if (t.mode == ast::tie_mode::shared) {
        return fmt::format("{} bằng điểm, cùng xếp hạng {}", names(bloc, t.units), t.from);
    }
    return fmt::format(
        "{} bằng nhau trên mọi tiêu chí xếp hạng, ở các vị trí {} đến {}: "
        "chưa phân định, Khối biểu quyết",
        names(bloc, t.units), t.from, t.to);
}

std::string conflict(const bloc_outcome& bloc, const quota_conflict& c) {
    return fmt::format("{}: {} cùng hạng {} nhưng chỉ còn {} suất; Khối quyết định{}",
                       tier_name(bloc, c.tier), names(bloc, c.units), c.rank, c.slots,
                       c.unresolved_tie ? " (đồng hạng cũng chưa phân định)" : "");
}

std::string tie_vote(const bloc_outcome& bloc, const thidua::tie_vote& v) {
    const std::string win = v.window_to == v.window_from
                                ? fmt::format("hạng {}", v.window_from)
                                : fmt::format("hạng {}–{}", v.window_from, v.window_to);
    return fmt::format(
        "{}: {} đồng hạng ở các vị trí {} đến {}, vắt qua phạm vi xét ({}); "
        "kết quả biểu quyết quyết định đơn vị nào được xét",
        tier_name(bloc, v.tier), names(bloc, v.units), v.from, v.to, win);
}

std::string quota(const quota_computation& q) {
    if (q.what == ast::quota::kind::absolute) {
        return fmt::format("tối đa {}", q.slots);
    }
    const char* how = q.how == ast::quota::rounding::down ? "làm tròn xuống"
                      : q.how == ast::quota::rounding::up ? "làm tròn lên"
                                                          : "làm tròn";
    if (q.exact.is_integer()) {
        return fmt::format("{}% của {} thành viên = {}", q.amount.exact_string(), q.members,
                           q.exact.exact_string());
    }
    return fmt::format("{}% của {} thành viên = {}, {} = {}", q.amount.exact_string(), q.members,
                       q.exact.exact_string(), how, q.slots);
}

std::string decision(const bloc_outcome& bloc, std::size_t unit, std::size_t tier) {
    const auto& rk = bloc.ranking;
    const auto& r = rk.tiers[tier];
    const auto& d = rk.units[unit].tiers[tier];
    switch (d.kind) {
        case decision_kind::given:
            return r.window_from ? fmt::format("được đề nghị: {}, trong phạm vi xét {}",
                                               position(d), window(r))
                                 : fmt::format("được đề nghị: {}", position(d));
        case decision_kind::excluded:
            return "không xét: không xếp hạng";
        case decision_kind::ineligible:
            return fmt::format("không xét: {}, nhưng không đủ điều kiện khen thưởng", position(d));
        case decision_kind::already_awarded:
            return fmt::format("không xét: đã được đề nghị {}", tier_name(bloc, d.other_tier));
        case decision_kind::outside_window:
            return fmt::format("không xét: {} ngoài phạm vi xét {}", position(d), window(r));
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
            return fmt::format("không đạt: {}", fmt::join(failed, "; "));
        }
        case decision_kind::quota_exhausted: {
            std::string s = fmt::format(
                "không được đề nghị: {} đạt yêu cầu nhưng đã hết suất "
                "({} suất đã trao cho đơn vị xếp trên",
                position(d), r.given);
            if (r.held.hi > 0) {
                s += fmt::format("; {} suất chờ Khối quyết định", slots(r.held));
            }
            if (r.quota) {
                s += fmt::format("; chỉ tiêu {}", quota(*r.quota));
            }
            return s + ")";
        }
        case decision_kind::quota_conflict: {
            const auto& c = rk.conflicts[d.issue];
            return fmt::format("chờ quyết định: {} cùng hạng {} cho {} suất còn lại",
                               names(bloc, c.units), c.rank, c.slots);
        }
        case decision_kind::pending_tie_vote: {
            const auto& v = rk.tie_votes[d.issue];
            return fmt::format("chờ biểu quyết: đồng hạng ở các vị trí {} đến {}", v.from, v.to);
        }
        case decision_kind::pending_other_tier:
            return fmt::format("chờ quyết định của Khối về {}", tier_names(bloc, d.open_tiers));
        case decision_kind::pending_dependency:
            return fmt::format("chờ quyết định: còn suất hay không tùy quyết định về {}",
                               tier_names(bloc, d.open_tiers));
    }
    return "";
}

namespace {

std::string shortfall_of(const bloc_outcome& bloc, const ast::expr& cond,
                         const trace_frame& frame) {
    const auto* b = std::get_if<ast::binary>(&cond.kind);
    if (b == nullptr) {
        return "";
    }
    if (b->what == ast::binary::op::and_) {
        const std::string l = shortfall_of(bloc, *b->lhs, frame);
        const std::string r = shortfall_of(bloc, *b->rhs, frame);
        return l.empty() ? r : (r.empty() ? l : l + "; " + r);
    }
    const auto l = frame.find(b->lhs->id);
    const auto r = frame.find(b->rhs->id);
    const auto v = frame.find(cond.id);
    if (l == nullptr || r == nullptr || v == nullptr || v->b || l->what != rt_value::tag::number
        || r->what != rt_value::tag::number) {
        return "";
    }
    const std::string lhs(bloc.reg->ast->file->slice(b->lhs->where));
    switch (b->what) {
        case ast::binary::op::ge:
            return fmt::format("{} cần thêm {}", lhs, points(bloc, r->n - l->n));
        case ast::binary::op::gt:
            return fmt::format("{} cần thêm hơn {}", lhs, points(bloc, r->n - l->n));
        case ast::binary::op::le:
            return fmt::format("{} vượt {}", lhs, points(bloc, l->n - r->n));
        case ast::binary::op::lt:
            return fmt::format("{} cần giảm hơn {}", lhs, points(bloc, l->n - r->n));
        default:
            return "";
    }
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
