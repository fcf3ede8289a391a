// Scoring a whole bloc: every unit through the evaluator, then ranking and awards.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "engine/evaluator.hpp"
#include "engine/ranking.hpp"

namespace thidua {

/// One unit as the scorer sees it: its name and one value per regulation input, plus where the
/// unit's row was read (for error messages; may be null).
struct unit_record {
    std::string name;
    std::vector<value> fields;
    source_ptr file;
    span where;
};

struct bloc_outcome {
    const checked_regulation* reg = nullptr;
    std::vector<const unit_record*> units;
    std::vector<scored_unit> scores;  // index-aligned with units
    ranking_outcome ranking;
};

/// Scores every unit and ranks them. Evaluation errors (division by zero, an absent value used in
/// a computation, overflow) are reported for every unit they occur in, naming the unit and the
/// rule; then nullopt is returned: nothing is ranked from a partial result.
std::optional<bloc_outcome> score_bloc(const checked_regulation& reg,
                                       const std::vector<unit_record>& units, bool trace,
                                       diagnostics& diags);

}  // namespace thidua
