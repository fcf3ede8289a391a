// Scoring a whole bloc: every unit through the evaluator, then ranking and awards.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "engine/data.hpp"
#include "engine/evaluator.hpp"
#include "engine/ranking.hpp"

namespace thidua {

struct bloc_outcome {
    const checked_regulation* reg = nullptr;
    std::vector<const unit_data*> units;
    std::vector<scored_unit> scores;  // index-aligned with units
    ranking_outcome ranking;
};

/// Scores every unit and ranks them. Evaluation errors (division by zero, an absent value used in
/// a computation, overflow) are reported for every unit they occur in, naming the unit and the
/// rule; then nullopt is returned: nothing is ranked from a partial result.
std::optional<bloc_outcome> score_bloc(const checked_regulation& reg,
                                       const std::vector<unit_data>& units, bool trace,
                                       diagnostics& diags);

}  // namespace thidua
