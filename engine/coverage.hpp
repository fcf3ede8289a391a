// Rule coverage: which parts of a regulation a set of scored blocs exercised.
//
// The parts (docs/testing.md): every criterion (scored for some unit), every band of every
// `when` and its `else`, every arm of every `match` and its `else`, both outcomes of every
// knock-out and of every award requirement, and every award tier both given and refused. They are
// read from the evaluator's trace (the branch each `when`/`match` chose, in every list element an
// aggregate visited) and from the bloc's ranking outcome; nothing is re-evaluated. `when` and
// `match` inside ranking keys are not traced by the evaluator and are not counted.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/scoring.hpp"

namespace thidua {

class rule_coverage {
  public:
    /// One thing to exercise: "criterion I.2 scored", "band `>= 95%: 17` of I.2 chosen".
    struct point {
        std::string what;  // for the report, e.g. "I.2: band `>= 95%: 17` never chosen"
        span where;
        bool hit = false;
    };

    /// Lists every coverage point of `reg` (none hit yet).
    explicit rule_coverage(const checked_regulation& reg);

    /// Marks what the bloc exercised. The bloc must have been scored with trace on, against the
    /// same checked regulation.
    void record(const bloc_outcome& bloc);

    [[nodiscard]] const std::vector<point>& points() const { return points_; }
    [[nodiscard]] std::size_t hit_count() const;
    [[nodiscard]] const checked_regulation& regulation() const { return reg_; }

    /// "rules/x.tdkt: 45 of 50 coverage points exercised (90.0%)" and one line per point never
    /// exercised, "  rules/x.tdkt:64: I.2: band `>= 95%: 17` never chosen".
    [[nodiscard]] std::string report_text() const;

    /// True when hit * 100 >= minimum * total (exactly); an empty regulation is fully covered.
    [[nodiscard]] bool at_least(const number& minimum_percent) const;

  private:
    // Coverage points of one `when` or `match`: its bands or arms, then its else.
    struct branch_points {
        std::size_t first = 0;  // index into points_ of band/arm 0
        std::size_t count = 0;  // bands or arms
        std::size_t else_point = SIZE_MAX;
    };

    void collect(const ast::expr& e, const std::string& context);
    void record_frame(const trace_frame& f);

    const checked_regulation& reg_;
    std::vector<point> points_;
    std::vector<branch_points> branches_;  // indexed by expression id (count 0: not a branch)
    std::vector<std::size_t> criterion_points_;
    std::vector<std::size_t> knockout_points_;  // two per knock-out: applies, does not apply
    std::vector<std::vector<std::size_t>> requirement_points_;  // [award][req]: holds; +1 fails
    std::vector<std::size_t> award_points_;                     // two per award: given, refused
};

}  // namespace thidua
