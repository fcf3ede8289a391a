#include "engine/scoring.hpp"

#include <fmt/format.h>

#include "dsl/i18n.hpp"

namespace thidua {

std::optional<bloc_outcome> score_bloc(const checked_regulation& reg,
                                       const std::vector<unit_data>& units, bool trace,
                                       diagnostics& diags) {
    const auto& ast = *reg.ast;
    bloc_outcome out;
    out.reg = &reg;
    out.scores.reserve(units.size());
    const evaluator ev(reg);
    bool failed = false;
    for (const auto& u : units) {
        out.units.push_back(&u);
        const unit_input in{&u.name, &u.fields};
        // Scored in place: the result is built in its final slot, with no move of a whole
        // scored_unit (and its traces) per unit.
        auto& slot = out.scores.emplace_back();
        try {
            ev.score_into(in, trace, slot);
        } catch (const eval_error& e) {
            failed = true;
            auto& d = diags.error(
                "E301", ast.file, e.where(),
                tr(msg::E301_cannot_score, fmt::arg("unit", u.name), fmt::arg("reason", e.what())));
            d.notes = eval_error_notes(reg, e, u);
            slot = scored_unit{};
        } catch (const number_error& e) {
            failed = true;
            const std::string reason =
                e.which() == number_error::kind::overflow
                    ? tr(msg::E302_overflow, fmt::arg("operation", e.operation()),
                         fmt::arg("bits", number::max_bits), fmt::arg("digits", number::max_digits))
                    : tr(msg::E302_division_by_zero, fmt::arg("operation", e.operation()));
            auto& d = diags.error(
                "E302", ast.file, ast.where,
                tr(msg::E301_cannot_score, fmt::arg("unit", u.name), fmt::arg("reason", reason)));
            if (u.file) {
                d.notes.push_back(
                    {u.file, u.name_span, tr(msg::E301_unit_here, fmt::arg("unit", u.name))});
            }
            slot = scored_unit{};
        }
    }
    if (failed) {
        return std::nullopt;
    }
    std::vector<unit_standing> standings;
    standings.reserve(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        const auto& s = out.scores[i];
        standings.push_back(
            {units[i].name, s.excluded, s.ineligible, s.keys, s.first_place_keys, s.requirements});
    }
    try {
        out.ranking = rank_and_award(ast.ranking ? &*ast.ranking : nullptr, ast.awards,
                                     ast.awards_limit, units.size(), standings);
    } catch (const ranking_error& e) {
        diags.error("E303", ast.file, e.where(), e.what());
        return std::nullopt;
    }
    return out;
}

}  // namespace thidua
