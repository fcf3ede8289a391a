// Field-by-field comparison of scored units and their traces, for the evaluator's tests: every
// recorded value (in order), choice, loop element and sub-frame, and every number of the result.
#pragma once

#include <catch2/catch.hpp>

#include "engine/evaluator.hpp"

namespace thidua::testing_support {

inline void same_value(const rt_value& a, const rt_value& b) {
    REQUIRE(a.what == b.what);
    switch (a.what) {
        case rt_value::tag::number:
            CHECK(a.n == b.n);
            break;
        case rt_value::tag::boolean:
            CHECK(a.b == b.b);
            break;
        case rt_value::tag::enumeration:
            CHECK(a.e == b.e);
            break;
        case rt_value::tag::date:
            CHECK(a.d == b.d);
            break;
        case rt_value::tag::text:
            CHECK(a.s == b.s);
            break;
        case rt_value::tag::list:
            CHECK(a.list == b.list);
            break;
        case rt_value::tag::row:
            CHECK(a.rec == b.rec);
            break;
        case rt_value::tag::absent:
            break;
    }
}

inline void same_frame(const trace_frame& a, const trace_frame& b) {
    REQUIRE(a.values.size() == b.values.size());
    for (std::size_t i = 0; i < a.values.size(); ++i) {
        const auto [ida, va] = a.value_at(i);
        const auto [idb, vb] = b.value_at(i);
        CHECK(ida == idb);
        same_value(va, vb);
    }
    CHECK(a.choices == b.choices);
    CHECK(a.row == b.row);
    CHECK(a.row_depth == b.row_depth);
    REQUIRE(a.loops.size() == b.loops.size());
    for (std::size_t l = 0; l < a.loops.size(); ++l) {
        CHECK(a.loops[l].aggregate == b.loops[l].aggregate);
        CHECK(a.loops[l].elements == b.loops[l].elements);
        REQUIRE(a.loops[l].frames.size() == b.loops[l].frames.size());
        REQUIRE(a.loops[l].frames.size() == a.loops[l].elements.size());
        for (std::size_t f = 0; f < a.loops[l].frames.size(); ++f) {
            same_frame(a.loops[l].frames[f], b.loops[l].frames[f]);
        }
    }
}

inline void same_unit(const scored_unit& a, const scored_unit& b) {
    CHECK(a.excluded == b.excluded);
    CHECK(a.exclude_reasons == b.exclude_reasons);
    CHECK(a.ineligible == b.ineligible);
    CHECK(a.ineligible_reasons == b.ineligible_reasons);
    CHECK(a.section_raw == b.section_raw);
    CHECK(a.section_points == b.section_points);
    CHECK(a.group_points == b.group_points);
    CHECK(a.bonus == b.bonus);
    CHECK(a.deduction == b.deduction);
    CHECK(a.total_raw == b.total_raw);
    CHECK(a.total == b.total);
    CHECK(a.self_difference == b.self_difference);
    CHECK(a.self_flagged == b.self_flagged);
    CHECK(a.keys == b.keys);
    CHECK(a.first_place_keys == b.first_place_keys);
    CHECK(a.requirements == b.requirements);
    REQUIRE(a.criteria.size() == b.criteria.size());
    for (std::size_t c = 0; c < a.criteria.size(); ++c) {
        CHECK(a.criteria[c].applicable == b.criteria[c].applicable);
        CHECK(a.criteria[c].raw == b.criteria[c].raw);
        CHECK(a.criteria[c].points == b.criteria[c].points);
        CHECK(a.criterion_traces.size() == b.criterion_traces.size());
        same_frame(a.criterion_trace(c), b.criterion_trace(c));
    }
    REQUIRE(a.items.size() == b.items.size());
    for (std::size_t i = 0; i < a.items.size(); ++i) {
        CHECK(a.items[i].raw == b.items[i].raw);
        CHECK(a.items[i].points == b.items[i].points);
        CHECK(a.item_traces.size() == b.item_traces.size());
        same_frame(a.item_trace(i), b.item_trace(i));
    }
    REQUIRE(a.knockout_traces.size() == b.knockout_traces.size());
    for (std::size_t k = 0; k < a.knockout_traces.size(); ++k) {
        same_frame(a.knockout_traces[k], b.knockout_traces[k]);
    }
    REQUIRE(a.key_traces.size() == b.key_traces.size());
    for (std::size_t k = 0; k < a.key_traces.size(); ++k) {
        same_frame(a.key_traces[k], b.key_traces[k]);
    }
    REQUIRE(a.requirement_traces.size() == b.requirement_traces.size());
    for (std::size_t q = 0; q < a.requirement_traces.size(); ++q) {
        REQUIRE(a.requirement_traces[q].size() == b.requirement_traces[q].size());
        for (std::size_t r = 0; r < a.requirement_traces[q].size(); ++r) {
            same_frame(a.requirement_traces[q][r], b.requirement_traces[q][r]);
        }
    }
}

}  // namespace thidua::testing_support
