#include "engine/testing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "dsl/i18n.hpp"
#include "engine/board_text.hpp"
#include "engine/explain.hpp"
#include "engine/report.hpp"

namespace thidua {

namespace {

using kind = ast::expectation::kind;

std::string rank_text(const unit_result& r) {
    if (!r.rank) {
        // Worded as every output words the state (docs/ranking-awards.md §7).
        return tr(msg::state_excluded);
    }
    if (r.rank_to != *r.rank) {
        return tr(r.rank_unresolved ? msg::test_rank_unresolved : msg::test_rank_tied,
                  fmt::arg("from", *r.rank), fmt::arg("to", r.rank_to));
    }
    return tr(msg::test_rank, fmt::arg("rank", *r.rank));
}

bool is_pending(decision_kind k) {
    return k == decision_kind::quota_conflict || k == decision_kind::pending_tie_vote
           || k == decision_kind::pending_other_tier || k == decision_kind::pending_dependency;
}

std::vector<std::size_t> sorted(std::vector<std::size_t> v) {
    std::sort(v.begin(), v.end());
    return v;
}

class checker {
  public:
    checker(const checked_regulation& reg, const bloc_outcome& bloc, explanation_detail detail)
        : reg_(reg), bloc_(bloc), detail_(detail) {}

    // The actual outcome as text and whether the expectation holds.
    std::pair<bool, std::string> check(const resolved_expectation& x) const;
    std::string explanation(const resolved_expectation& x) const;

  private:
    std::pair<bool, std::string> points(const resolved_expectation& x) const;

    const checked_regulation& reg_;
    const bloc_outcome& bloc_;
    explanation_detail detail_;
};

std::pair<bool, std::string> checker::points(const resolved_expectation& x) const {
    const auto u = x.units.front();
    const auto& s = bloc_.scores[u];
    if (s.excluded) {
        return {false, tr(msg::test_unit_excluded)};
    }
    number actual;
    switch (x.decl->target.what) {
        case ast::points_ref::kind::total:
            actual = s.total;
            break;
        case ast::points_ref::kind::bonus:
            actual = s.bonus;
            break;
        case ast::points_ref::kind::deduction:
            actual = s.deduction;
            break;
        case ast::points_ref::kind::section:
            actual = s.section_points[x.index];
            break;
        case ast::points_ref::kind::criterion:
            if (!s.criteria[x.index].applicable) {
                // Quotes the regulation's `applies when` as it writes it.
                const scoped_keyword_language as_written(
                    reg_.ast->file ? keywords::first_keyword_language(reg_.ast->file->text())
                                   : std::nullopt);
                return {false, tr(msg::test_not_applicable)};
            }
            actual = s.criteria[x.index].points;
            break;
    }
    bool ok = actual == x.value;
    if (x.within) {
        ok = (actual - x.value).abs() <= *x.within;
    }
    std::string text = decimal(actual.exact_string());
    if (!ok && x.within) {
        text = tr(msg::test_off_by, fmt::arg("actual", text),
                  fmt::arg("difference", decimal((actual - x.value).abs().exact_string())),
                  fmt::arg("within", decimal(x.within->exact_string())));
    }
    return {ok, text};
}

std::pair<bool, std::string> checker::check(const resolved_expectation& x) const {
    const auto& rk = bloc_.ranking;
    const auto& ast = *reg_.ast;
    switch (x.decl->what) {
        case kind::points:
            return points(x);
        case kind::rank: {
            const auto& r = rk.units[x.units.front()];
            const bool ok = r.rank && *r.rank == x.decl->rank_from && r.rank_to == x.decl->rank_to;
            return {ok, rank_text(r)};
        }
        case kind::award:
        case kind::award_pending:
        case kind::no_award: {
            const auto u = x.units.front();
            const auto& r = rk.units[u];
            bool ok = false;
            if (x.decl->what == kind::award) {
                ok = r.award && *r.award == x.index;
            } else if (x.decl->what == kind::award_pending) {
                ok = x.index < r.tiers.size() && is_pending(r.tiers[x.index].kind);
            } else {
                ok = !r.award && !r.award_open;
            }
            std::string actual;
            if (r.award) {
                actual = tr(msg::test_award, fmt::arg("award", ast.awards[*r.award].id));
            } else if (r.award_open) {
                // "open", with the open decisions and their reasons (docs/ranking-awards.md §7):
                // a failed `no award` expectation says nothing else.
                actual = tr(msg::state_open);
                for (std::size_t t = 0; t < r.tiers.size() && x.decl->what == kind::no_award; ++t) {
                    if (is_pending(r.tiers[t].kind)) {
                        actual = tr(msg::test_award_decision, fmt::arg("actual", actual),
                                    fmt::arg("award", ast.awards[t].id),
                                    fmt::arg("decision", board::decision(bloc_, u, t, false)));
                    }
                }
            } else {
                actual = tr(msg::test_no_award);
            }
            if (!ok && (x.decl->what != kind::no_award)) {
                actual = tr(msg::test_award_decision, fmt::arg("actual", actual),
                            fmt::arg("award", ast.awards[x.index].id),
                            fmt::arg("decision", board::decision(bloc_, u, x.index, false)));
            }
            return {ok, actual};
        }
        case kind::excluded: {
            const auto& s = bloc_.scores[x.units.front()];
            return {s.excluded != x.decl->negated,
                    tr(s.excluded ? msg::state_excluded : msg::test_not_excluded)};
        }
        case kind::ineligible: {
            const auto& s = bloc_.scores[x.units.front()];
            if (s.excluded) {
                return {x.decl->negated, tr(msg::test_excluded_first)};
            }
            return {s.ineligible != x.decl->negated,
                    tr(s.ineligible ? msg::state_ineligible : msg::test_eligible)};
        }
        case kind::tie: {
            const auto want = sorted(x.units);
            std::vector<std::string> found;
            for (const auto t : rk.unresolved_ties) {
                if (sorted(rk.ties[t].units) == want) {
                    return {true, describe_tie(rk, rk.ties[t])};
                }
                found.push_back(describe_tie(rk, rk.ties[t]));
            }
            return {false, found.empty() ? tr(msg::test_no_tie)
                                         : fmt::format("{}", fmt::join(found, "; "))};
        }
        case kind::conflict: {
            const auto want = sorted(x.units);
            std::vector<std::string> found;
            for (const auto& c : rk.conflicts) {
                if (c.tier == x.index && sorted(c.units) == want) {
                    return {true, describe_conflict(rk, c)};
                }
                found.push_back(describe_conflict(rk, c));
            }
            return {false, found.empty() ? tr(msg::test_no_conflict)
                                         : fmt::format("{}", fmt::join(found, "; "))};
        }
    }
    return {false, "?"};
}

std::string checker::explanation(const resolved_expectation& x) const {
    if (x.decl->what == kind::tie || x.decl->what == kind::conflict) {
        // Why the first two named units are (not) level: the key that separates them.
        return x.units.size() >= 2 ? versus_text(bloc_, x.units[0], x.units[1]) : std::string();
    }
    std::optional<std::string> criterion;
    if (x.decl->what == kind::points && x.decl->target.what == ast::points_ref::kind::criterion) {
        criterion = x.decl->target.id;
    }
    if (criterion || detail_ == explanation_detail::full) {
        return explain_text(bloc_, x.units.front(), criterion);
    }
    return explain_text(bloc_, x.units.front(), criterion, 1) + tr(msg::test_explanation_brief)
           + "\n";
}

std::string indent(const std::string& text, std::size_t spaces) {
    std::string out;
    const std::string pad(spaces, ' ');
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        if (end > start) {  // no trailing spaces on blank lines
            out += pad;
            out.append(text, start, end - start);
        }
        out += '\n';
        start = end + 1;
    }
    return out;
}

}  // namespace

test_outcome run_test(const checked_regulation& reg, const prepared_test& test,
                      rule_coverage* coverage, explanation_detail detail) {
    test_outcome out;
    out.file = test.file->path();
    out.line = test.file->locate(test.decl->where.begin).line;
    out.title = test.decl->title;
    out.expectations = test.expectations.size();
    diagnostics diags;
    auto bloc = score_bloc(reg, test.units, true, diags);
    if (!bloc) {
        diags.sort();
        out.error = render_text(diags);
        while (!out.error.empty() && out.error.back() == '\n') {
            out.error.pop_back();  // render_text ends each diagnostic with a blank line
        }
        out.error += '\n';
        return out;
    }
    if (coverage != nullptr) {
        coverage->record(*bloc);
    }
    const checker c(reg, *bloc, detail);
    // A unit's explanation is long (every criterion); when a later failed expectation of the
    // same test would print the same one, it points back to the first instead.
    std::map<std::string, std::string> shown;  // explanation -> position of its first failure
    for (const auto& x : test.expectations) {
        auto [ok, actual] = c.check(x);
        if (ok) {
            continue;
        }
        expectation_failure f;
        f.position = fmt::format("{}:{}", out.file, test.file->locate(x.decl->where.begin).line);
        f.expectation = std::string(test.file->slice(x.decl->where));
        f.actual = std::move(actual);
        f.explanation = c.explanation(x);
        if (!f.explanation.empty()) {
            const auto [first, fresh] = shown.emplace(f.explanation, f.position);
            if (!fresh) {
                f.explanation.clear();
                f.same_explanation_as = first->second;
            }
        }
        out.failures.push_back(std::move(f));
    }
    return out;
}

std::string render_test_text(const std::vector<test_outcome>& results) {
    std::string out;
    std::size_t passed = 0;
    for (const auto& r : results) {
        out +=
            fmt::format("{} {}:{} \"{}\"\n", r.passed() ? "PASS" : "FAIL", r.file, r.line, r.title);
        if (r.passed()) {
            ++passed;
            continue;
        }
        if (!r.error.empty()) {
            out += "  " + tr(msg::test_not_scored) + ":\n";
            out += indent(r.error, 4);
        }
        for (const auto& f : r.failures) {
            out += fmt::format("  {}: {}\n", f.position, f.expectation);
            out += "    " + tr(msg::test_actual, fmt::arg("actual", f.actual)) + "\n";
            if (!f.explanation.empty()) {
                out += "    " + tr(msg::test_explanation) + "\n";
                out += indent(f.explanation, 6);
            } else if (!f.same_explanation_as.empty()) {
                out += "    "
                       + tr(msg::test_explanation_as_above,
                            fmt::arg("position", f.same_explanation_as))
                       + "\n";
            }
        }
    }
    out += tr(msg::test_summary, fmt::arg("passed", passed),
              fmt::arg("failed", results.size() - passed))
           + "\n";
    return out;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                    out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 cannot hold this character
                } else {
                    out += ch;
                }
        }
    }
    return out;
}

std::string render_test_junit(const std::vector<test_outcome>& results) {
    // Suites in order of first appearance of their file.
    std::vector<std::string> files;
    std::map<std::string, std::vector<const test_outcome*>> by_file;
    for (const auto& r : results) {
        if (by_file.find(r.file) == by_file.end()) {
            files.push_back(r.file);
        }
        by_file[r.file].push_back(&r);
    }
    auto count = [](const std::vector<const test_outcome*>& v, bool errors) {
        return std::count_if(v.begin(), v.end(), [&](const test_outcome* r) {
            return errors ? !r->error.empty() : r->error.empty() && !r->failures.empty();
        });
    };
    std::vector<const test_outcome*> all;
    for (const auto& r : results) {
        all.push_back(&r);
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<testsuites name=\"thidua test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        results.size(), count(all, false), count(all, true));
    for (const auto& file : files) {
        const auto& tests = by_file[file];
        out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                           xml_escape(file), tests.size(), count(tests, false), count(tests, true));
        for (const auto* r : tests) {
            out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                               xml_escape(r->title), xml_escape(file), xml_escape(file), r->line);
            if (r->passed()) {
                out += "/>\n";
                continue;
            }
            out += ">\n";
            if (!r->error.empty()) {
                out += fmt::format("      <error message=\"{}\">{}</error>\n",
                                   xml_escape(tr(msg::test_not_scored)), xml_escape(r->error));
            }
            if (!r->failures.empty()) {
                // One <failure> per testcase (what JUnit readers expect), holding every failed
                // expectation of the test.
                std::string body;
                for (const auto& f : r->failures) {
                    body += fmt::format("{}: {}\n{}\n", f.position, f.expectation,
                                        tr(msg::test_actual, fmt::arg("actual", f.actual)));
                    if (!f.explanation.empty()) {
                        body += tr(msg::test_explanation) + "\n" + indent(f.explanation, 2);
                    } else if (!f.same_explanation_as.empty()) {
                        body += tr(msg::test_explanation_as_above,
                                   fmt::arg("position", f.same_explanation_as))
                                + "\n";
                    }
                }
                const auto& first = r->failures.front();
                std::string message =
                    fmt::format("{} ({})", first.expectation,
                                tr(msg::test_actual, fmt::arg("actual", first.actual)));
                if (r->failures.size() > 1) {
                    message = tr(msg::test_junit_more, fmt::arg("message", message),
                                 fmt::arg("n", r->failures.size() - 1));
                }
                out +=
                    fmt::format("      <failure message=\"{}\" type=\"expectation\">{}</failure>\n",
                                xml_escape(message), xml_escape(body));
            }
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

}  // namespace thidua
