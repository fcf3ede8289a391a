#include "engine/ranking.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <utility>

#include "dsl/i18n.hpp"
#include "dsl/suggest.hpp"

namespace thidua {
namespace {

// Internally "no limit" is the largest count; every subtraction saturates at 0 and leaves the
// unlimited value alone, so the walk below needs no special case for unlimited tiers.
constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

std::uint64_t sub(std::uint64_t a, std::uint64_t b) {
    if (a == unlimited) {
        return unlimited;
    }
    return a > b ? a - b : 0;
}

std::uint64_t add(std::uint64_t a, std::uint64_t b) {
    if (a == unlimited || b == unlimited || a > unlimited - 1 - b) {
        return unlimited;
    }
    return a + b;
}

std::optional<slot_range> finite(std::uint64_t lo, std::uint64_t hi) {
    if (lo == unlimited && hi == unlimited) {
        return std::nullopt;
    }
    return slot_range{lo, hi};
}

void insert_sorted(std::vector<std::size_t>& v, std::size_t x) {
    const auto it = std::lower_bound(v.begin(), v.end(), x);
    if (it == v.end() || *it != x) {
        v.insert(it, x);
    }
}

void merge_sorted(std::vector<std::size_t>& v, const std::vector<std::size_t>& xs) {
    for (const auto x : xs) {
        insert_sorted(v, x);
    }
}

struct window {
    bool all = true;
    std::uint32_t from = 1;
    std::uint32_t to = std::numeric_limits<std::uint32_t>::max();

    [[nodiscard]] bool meets(std::uint32_t lo, std::uint32_t hi) const {
        return hi >= from && lo <= to;
    }
    [[nodiscard]] bool contains(std::uint32_t lo, std::uint32_t hi) const {
        return lo >= from && hi <= to;
    }
    [[nodiscard]] std::uint64_t overlap(std::uint32_t lo, std::uint32_t hi) const {
        const auto a = std::max(lo, from);
        const auto b = std::min(hi, to);
        return b >= a ? std::uint64_t{b} - a + 1 : 0;
    }
};

window window_of(const ast::award& a) {
    window w;
    if (a.rank_from) {
        w.all = false;
        w.from = *a.rank_from;
        w.to = a.rank_to.value_or(*a.rank_from);
    }
    return w;
}

// nullopt when `n` is not a count (the caller words the error: only then is a message built).
std::optional<std::uint64_t> to_count(const number& n) {
    if (!n.is_integer() || n.sign() < 0 || n.is_big()
        || n.numerator() > static_cast<i128>(std::numeric_limits<std::uint64_t>::max() - 1)) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(n.numerator());
}

// A hash of a name, eight bytes at a time, for the duplicate-name check only: equal hashes are
// confirmed by comparing the names, so its quality affects only the speed.
std::uint64_t name_hash(std::string_view s) {
    constexpr std::uint64_t mul = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = 14695981039346656037ULL ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * mul;
        h ^= h >> 29;
    }
    // The last 1 to 7 bytes without a loop: two overlapping 4-byte loads, or three bytes.
    const std::size_t left = s.size() - i;
    const char* const p = s.data() + i;
    std::uint64_t w = 0;
    if (left >= 4) {
        std::uint32_t lo = 0;
        std::uint32_t hi = 0;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + left - 4, 4);
        w = (std::uint64_t{hi} << 32) | lo;
    } else if (left > 0) {
        w = (std::uint64_t{static_cast<unsigned char>(p[0])} << 16)
            | (std::uint64_t{static_cast<unsigned char>(p[left / 2])} << 8)
            | static_cast<unsigned char>(p[left - 1]);
    }
    h = (h ^ w) * mul;
    return h ^ (h >> 29);
}

// Scratch space for `n` values: on the stack for a bloc of usual size, else on the heap. The
// values are not initialised.
template <class T, std::size_t N = 32>
class scratch {
  public:
    explicit scratch(std::size_t n) {
        if (n > N) {
            heap_.resize(n);
        }
        data_ = n > N ? std::span<T>(heap_) : std::span<T>(stack_.data(), n);
    }
    scratch(const scratch&) = delete;
    scratch& operator=(const scratch&) = delete;
    [[nodiscard]] std::span<T> span() const { return data_; }

  private:
    std::array<T, N> stack_;
    std::vector<T> heap_;
    std::span<T> data_;
};

// Sorts by a strict total order: any sort gives the same result. Small ranges (a bloc of ten
// units) take a binary insertion sort, which needs fewer comparisons than std::sort's insertion
// sort, and comparisons (exact numbers, several keys) cost far more than moving indices.
template <class It, class Less>
void sort_small(It begin, It end, Less less) {
    if (end - begin > 32) {
        std::sort(begin, end, less);
        return;
    }
    for (It i = begin; i != end; ++i) {
        const auto x = *i;
        const It at = std::upper_bound(begin, i, x, less);
        std::move_backward(at, i, i + 1);
        *at = x;
    }
}

// "A, B and C": the last two joined by the language's "and" (in Vietnamese a comma: unit names
// such as "Sở Kế hoạch và Đầu tư" hold "và" themselves).
std::string join_and(const std::vector<std::string>& items) {
    std::string s;
    for (std::size_t i = 0; i + 1 < items.size(); ++i) {
        s += i > 0 ? ", " : "";
        s += items[i];
    }
    if (items.size() < 2) {
        return items.empty() ? s : items.front();
    }
    return tr(msg::list_names_and, fmt::arg("first", s), fmt::arg("second", items.back()));
}

std::string names(const ranking_outcome& out, const std::vector<std::size_t>& units) {
    std::vector<std::string> items;
    for (const auto u : units) {
        items.push_back(out.units[u].name);
    }
    return join_and(items);
}

std::string tier_name(const ranking_outcome& out, std::size_t t) {
    const auto& r = out.tiers[t];
    return r.label.empty() ? r.id : fmt::format("\"{}\" ({})", r.label, r.id);
}

std::string tier_names(const ranking_outcome& out, const std::vector<std::size_t>& tiers) {
    std::vector<std::string> items;
    for (const auto t : tiers) {
        items.push_back(tier_name(out, t));
    }
    return join_and(items);
}

std::string ranks_text(std::uint32_t from, std::uint32_t to) {
    return from == to ? tr(msg::rank_one, fmt::arg("rank", from))
                      : tr(msg::rank_range, fmt::arg("from", from), fmt::arg("to", to));
}

std::string window_text(const tier_report& r) {
    if (!r.window_from) {
        return tr(msg::rank_every);
    }
    return ranks_text(*r.window_from, r.window_to.value_or(*r.window_from));
}

// How many positions position_text() names: picks "is" or "are" in English sentences about it.
std::uint64_t positions(const tier_decision& d) {
    return d.rank_to > d.rank ? 2 : 1;
}

std::string position_text(const tier_decision& d) {
    return d.rank_to > d.rank
               ? tr(msg::position_tied, fmt::arg("from", d.rank), fmt::arg("to", d.rank_to))
               : tr(msg::rank_one, fmt::arg("rank", d.rank));
}

}  // namespace

std::optional<std::string> quota_problem(const ast::quota& q) {
    try {
        (void)compute_quota(q, 0);
    } catch (const ranking_error& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

std::optional<std::string> window_problem(const ast::award& a) {
    if (!a.rank_from && a.rank_to) {
        return tr(msg::window_no_start);
    }
    if (a.rank_from && *a.rank_from == 0) {
        return tr(msg::window_from_zero);
    }
    if (a.rank_from && a.rank_to && *a.rank_to < *a.rank_from) {
        return tr(msg::window_reversed, fmt::arg("from", *a.rank_from), fmt::arg("to", *a.rank_to));
    }
    return std::nullopt;
}

quota_computation compute_quota(const ast::quota& q, std::uint64_t members) {
    const auto amount = number::parse(q.amount.text);
    if (!amount) {
        throw ranking_error(tr(msg::quota_not_number, fmt::arg("limit", q.amount.text)), q.where);
    }
    if (amount->sign() < 0) {
        throw ranking_error(tr(msg::quota_negative, fmt::arg("limit", q.amount.text)), q.where);
    }
    quota_computation c;
    c.what = q.what;
    c.amount = *amount;
    c.how = q.how;
    if (q.what == ast::quota::kind::absolute) {
        if (q.amount.percent) {
            throw ranking_error(tr(msg::quota_share_syntax, fmt::arg("limit", q.amount.text)),
                                q.where);
        }
        c.exact = *amount;
        const auto slots = to_count(*amount);
        if (!slots) {
            throw ranking_error(tr(msg::quota_not_whole, fmt::arg("limit", q.amount.text)),
                                q.where);
        }
        c.slots = *slots;
        return c;
    }
    if (members > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw ranking_error(tr(msg::quota_too_many_members), q.where);
    }
    c.members = members;
    try {
        c.exact = *amount * number(static_cast<std::int64_t>(members)) / number(100);
        number rounded;
        switch (q.how) {
            case ast::quota::rounding::down:
                rounded = c.exact.floor();
                break;
            case ast::quota::rounding::up:
                rounded = c.exact.ceil();
                break;
            case ast::quota::rounding::nearest:
                rounded = c.exact.round(number(1), rounding_mode::half_up);
                break;
        }
        const auto slots = to_count(rounded);
        if (!slots) {
            throw ranking_error(tr(msg::quota_too_large, fmt::arg("limit", q.amount.text)),
                                q.where);
        }
        c.slots = *slots;
    } catch (const number_error&) {
        throw ranking_error(tr(msg::quota_too_large, fmt::arg("limit", q.amount.text)), q.where);
    }
    return c;
}

ranking_outcome rank_and_award(const ast::ranking_decl* ranking,
                               const std::vector<ast::award>& awards,
                               const std::optional<ast::quota>& awards_limit, std::uint64_t members,
                               const std::vector<unit_standing>& units) {
    const span ranking_span = ranking ? ranking->where : span{};
    ranking_outcome out;

    // ---- Arguments -------------------------------------------------------------------------
    for (const auto& a : awards) {
        if (auto p = window_problem(a)) {
            throw ranking_error(
                tr(msg::award_problem, fmt::arg("award", a.id), fmt::arg("problem", *p)),
                a.candidates_span);
        }
    }
    // Key directions are read from the declaration; without one every key is descending and the
    // evaluator decides how many keys there are (the total).
    const ast::ranking_key* const key_decls = ranking ? ranking->keys.data() : nullptr;
    const ast::ranking_key* const fp_decls = ranking ? ranking->first_place_keys.data() : nullptr;
    std::size_t n_keys = ranking ? ranking->keys.size() : 0;
    const std::size_t n_fp = ranking ? ranking->first_place_keys.size() : 0;
    if (!ranking) {
        for (const auto& u : units) {
            if (!u.excluded) {
                n_keys = u.keys.size();
                break;
            }
        }
    }
    // Two units with the same name. Names are compared only when their hashes are equal: in a
    // small bloc every pair of hashes (integers compare cheaply), in a large one after sorting by
    // hash. When several names repeat, the first in byte order is reported.
    {
        struct name_hashed {
            std::uint64_t first;
            std::size_t second;
        };
        const scratch<name_hashed> hashed_buffer(units.size());
        const auto hashed = hashed_buffer.span();
        for (std::size_t i = 0; i < units.size(); ++i) {
            hashed[i] = {name_hash(units[i].name), i};
        }
        const std::string* duplicate = nullptr;
        const auto check = [&](std::size_t i, std::size_t k) {
            const auto& name = units[hashed[i].second].name;
            if (name == units[hashed[k].second].name && (!duplicate || name < *duplicate)) {
                duplicate = &name;
            }
        };
        if (hashed.size() <= 16) {
            // Every pair: fewer steps than sorting so few.
            for (std::size_t i = 0; i < hashed.size(); ++i) {
                for (std::size_t k = i + 1; k < hashed.size(); ++k) {
                    if (hashed[k].first == hashed[i].first) {
                        check(i, k);
                    }
                }
            }
        } else {
            std::sort(hashed.begin(), hashed.end(), [](const name_hashed& a, const name_hashed& b) {
                return a.first != b.first ? a.first < b.first : a.second < b.second;
            });
            for (std::size_t i = 0; i < hashed.size(); ++i) {
                for (std::size_t k = i + 1; k < hashed.size() && hashed[k].first == hashed[i].first;
                     ++k) {
                    check(i, k);
                }
            }
        }
        if (duplicate) {
            throw ranking_error(tr(msg::ranking_duplicate_unit, fmt::arg("unit", *duplicate)),
                                ranking_span);
        }
    }
    for (const auto& u : units) {
        // An excluded unit needs nothing: the evaluator may stop computing it at the knock-out.
        const bool lenient = u.excluded;
        if (!(lenient && u.keys.empty()) && u.keys.size() != n_keys) {
            throw ranking_error(tr(msg::ranking_key_count, fmt::arg("unit", u.name),
                                   fmt::arg("count", u.keys.size()), fmt::arg("expected", n_keys)),
                                ranking_span);
        }
        if (!(lenient && u.first_place_keys.empty()) && u.first_place_keys.size() != n_fp) {
            throw ranking_error(
                tr(msg::ranking_first_place_count, fmt::arg("unit", u.name),
                   fmt::arg("count", u.first_place_keys.size()), fmt::arg("expected", n_fp)),
                ranking_span);
        }
        if (lenient && u.requirements.empty()) {
            continue;
        }
        if (u.requirements.size() != awards.size()) {
            throw ranking_error(
                tr(msg::ranking_tier_count, fmt::arg("unit", u.name),
                   fmt::arg("count", u.requirements.size()), fmt::arg("expected", awards.size())),
                ranking_span);
        }
        for (std::size_t a = 0; a < awards.size(); ++a) {
            if (u.requirements[a].size() != awards[a].requirements.size()) {
                throw ranking_error(
                    tr(msg::ranking_requirement_count, fmt::arg("unit", u.name),
                       fmt::arg("count", u.requirements[a].size()), fmt::arg("award", awards[a].id),
                       fmt::arg("expected", awards[a].requirements.size())),
                    awards[a].where);
            }
        }
    }
    // The tier reports are filled in the walk below; each tier's quota is computed here, so that
    // a malformed one is reported before any work.
    out.tiers.resize(awards.size());
    for (std::size_t t = 0; t < awards.size(); ++t) {
        if (awards[t].limit) {
            out.tiers[t].quota = compute_quota(*awards[t].limit, members);
        }
    }
    if (awards_limit) {
        out.awards_limit = compute_quota(*awards_limit, members);
    }

    // ---- Ranking ---------------------------------------------------------------------------
    out.units.resize(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        auto& r = out.units[i];
        r.name = units[i].name;
        r.excluded = units[i].excluded;
        r.ineligible = units[i].ineligible;
        // Constructed at its size: cheaper than growing an empty vector with resize().
        r.tiers = std::vector<tier_decision>(awards.size());
    }
    // Names in Vietnamese alphabetical order. A sort compares each name about log2(n) times:
    // in a large bloc each name's collation key is computed once, when first compared, and kept.
    std::vector<std::string> name_keys(units.size() > 32 ? units.size() : 0);
    std::vector<bool> name_key_known(name_keys.size());
    const auto name_less = [&](std::size_t a, std::size_t b) {
        if (name_keys.empty()) {
            return vietnamese_less(units[a].name, units[b].name);
        }
        for (const std::size_t u : {a, b}) {
            if (!name_key_known[u]) {
                name_keys[u] = vietnamese_sort_key(units[u].name);
                name_key_known[u] = true;
            }
        }
        return name_keys[a] < name_keys[b];
    };
    // The table: the ranked units sorted by their keys. Names (in Vietnamese alphabetical order)
    // order units with equal keys, for display only: they never separate a tie (groups are formed
    // by comparing keys alone). The sort works on entries that carry the first key as two 64-bit
    // integers whenever its parts fit (nearly always): cross-multiplied in 128 bits they compare
    // exactly as the numbers do, without number's general comparison; the other keys are compared
    // as numbers. No member initializers: the array on the stack is not cleared on every call;
    // every field is written before it is read.
    struct entry {
        std::int64_t num;  // the first key, when `fits`
        std::int64_t den;
        bool fits;
        std::size_t unit;
    };
    const scratch<entry> entry_buffer(static_cast<std::size_t>(
        std::count_if(units.begin(), units.end(), [](const auto& u) { return !u.excluded; })));
    const auto entries = entry_buffer.span();
    const auto fits64 = [](i128 v) {
        return v >= std::numeric_limits<std::int64_t>::min()
               && v <= std::numeric_limits<std::int64_t>::max();
    };
    for (std::size_t i = 0, e = 0; i < units.size(); ++i) {
        if (units[i].excluded) {
            out.excluded.push_back(i);
            continue;
        }
        auto& x = entries[e++];
        x = {0, 1, false, i};
        if (n_keys > 0) {
            const number& k0 = units[i].keys[0];
            if (!k0.is_big() && fits64(k0.numerator()) && fits64(k0.denominator())) {
                x.num = static_cast<std::int64_t>(k0.numerator());
                x.den = static_cast<std::int64_t>(k0.denominator());
                x.fits = true;
            }
        }
    }
    std::sort(out.excluded.begin(), out.excluded.end(), name_less);
    const auto descending = [&](std::size_t k) {
        return key_decls == nullptr || key_decls[k].descending;
    };
    const bool first_descending = n_keys > 0 && descending(0);
    sort_small(entries.begin(), entries.end(), [&](const entry& a, const entry& b) {
        std::size_t k = 0;
        if (a.fits && b.fits) {
            // Denominators are positive: the order of the cross products is that of the values.
            const auto c = i128{a.num} * b.den <=> i128{b.num} * a.den;
            if (c != 0) {
                return first_descending ? c > 0 : c < 0;
            }
            k = 1;
        }
        const number* const ka = units[a.unit].keys.data();
        const number* const kb = units[b.unit].keys.data();
        for (; k < n_keys; ++k) {
            const auto c = ka[k] <=> kb[k];
            if (c != 0) {
                return descending(k) ? c > 0 : c < 0;
            }
        }
        return name_less(a.unit, b.unit);
    });
    auto& ranked = out.order;
    ranked.resize(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        ranked[i] = entries[i].unit;
    }
    // Numbers are normalised, so "equal on every key" is plain equality of the values.
    // Called with positions in the table; the entries tell most neighbours apart at once.
    const auto same_keys = [&](std::size_t i, std::size_t j) {
        const auto& a = entries[i];
        const auto& b = entries[j];
        if (a.fits && b.fits && (a.num != b.num || a.den != b.den)) {
            return false;
        }
        return std::equal(units[a.unit].keys.begin(), units[a.unit].keys.end(),
                          units[b.unit].keys.begin(), units[b.unit].keys.end());
    };
    const ast::tie_mode ties = ranking ? ranking->ties : ast::tie_mode::unresolved;
    // The rank groups are ranges of `ranked`, in table order; each takes the next positions.
    std::uint32_t position = 1;
    // Where each rank group ends in `ranked` (at most one group per unit).
    const scratch<std::size_t> group_end_buffer(ranked.size());
    const auto group_ends = group_end_buffer.span();
    std::size_t n_groups = 0;
    const auto place = [&](std::size_t begin, std::size_t end, ast::tie_mode mode) {
        group_ends[n_groups++] = end;
        const auto n = static_cast<std::uint32_t>(end - begin);
        const bool unresolved = n > 1 && mode == ast::tie_mode::unresolved;
        if (n > 1) {
            if (unresolved) {
                out.unresolved_ties.push_back(out.ties.size());
            }
            out.ties.push_back(
                {std::vector<std::size_t>(ranked.begin() + static_cast<std::ptrdiff_t>(begin),
                                          ranked.begin() + static_cast<std::ptrdiff_t>(end)),
                 position, position + n - 1, mode, position == 1});
        }
        for (std::size_t m = begin; m < end; ++m) {
            auto& r = out.units[ranked[m]];
            r.rank = position;
            r.rank_to = unresolved ? position + n - 1 : position;
            r.rank_unresolved = unresolved;
            if (n > 1) {
                r.tie = out.ties.size() - 1;
            }
        }
        position += n;
    };
    for (std::size_t i = 0; i < ranked.size();) {
        std::size_t j = i + 1;
        while (j < ranked.size() && same_keys(i, j)) {
            ++j;
        }
        if (i > 0 || !ranking) {
            place(i, j, ties);
            i = j;
            continue;
        }
        // The group at first place.
        const ast::tie_mode fp_mode = ranking->first_place_ties.value_or(
            ranking->first_place_keys.empty() ? ties : ast::tie_mode::unresolved);
        std::size_t w = j;
        if (j > 1 && n_fp > 0) {
            // The first-place keys decide first place only: the units they place below the
            // winners stay tied with each other, at the next position, under `ties`.
            const auto top_end = ranked.begin() + static_cast<std::ptrdiff_t>(j);
            std::sort(ranked.begin(), top_end, [&](std::size_t a, std::size_t b) {
                const number* const ka = units[a].first_place_keys.data();
                const number* const kb = units[b].first_place_keys.data();
                for (std::size_t k = 0; k < n_fp; ++k) {
                    const auto c = ka[k] <=> kb[k];
                    if (c != 0) {
                        return fp_decls[k].descending ? c > 0 : c < 0;
                    }
                }
                return name_less(a, b);
            });
            w = 1;
            while (w < j
                   && std::equal(units[ranked[0]].first_place_keys.begin(),
                                 units[ranked[0]].first_place_keys.end(),
                                 units[ranked[w]].first_place_keys.begin(),
                                 units[ranked[w]].first_place_keys.end())) {
                ++w;
            }
            std::sort(ranked.begin() + static_cast<std::ptrdiff_t>(w), top_end, name_less);
        }
        place(0, w, fp_mode);
        if (w < j) {
            place(w, j, ties);
        }
        i = j;
    }

    name_keys = {};  // the names are not compared again
    name_key_known = {};

    // ---- Awards ----------------------------------------------------------------------------
    // Decisions are made only when no resolution of an open issue (a quota conflict, a tie vote)
    // could change them: the walk over a tier keeps the slots left in the worst case (every unit
    // with an open claim takes a slot) and in the best case (none does). docs/ranking-awards.md.
    const std::uint64_t limit = out.awards_limit ? out.awards_limit->slots : unlimited;
    slot_range passed{0, 0};
    std::vector<std::size_t> open_tiers;  // tiers with an open issue so far
    std::vector<std::vector<std::size_t>> unit_open(units.size());  // per unit: its open tiers
    std::vector<std::size_t> definite;   // of one rank group: units with a claim on a slot
    std::vector<std::size_t> potential;  // and units with an open claim
    for (std::size_t t = 0; t < awards.size(); ++t) {
        const auto& a = awards[t];
        const window w = window_of(a);
        auto& rep = out.tiers[t];
        rep.id = a.id;
        rep.label = a.label;
        if (!w.all) {
            rep.window_from = w.from;
            rep.window_to = w.to;
        }
        rep.requirement_labels.reserve(a.requirements.size());
        for (const auto& q : a.requirements) {
            rep.requirement_labels.push_back(q.label);
        }
        rep.pass_down = a.pass_down;
        rep.passed_in = passed;
        const std::uint64_t own = rep.quota ? rep.quota->slots : unlimited;
        const std::uint64_t slots_lo = add(own, passed.lo);
        const std::uint64_t slots_hi = add(own, passed.hi);
        rep.slots = finite(slots_lo, slots_hi);
        const std::uint64_t global_lo = sub(limit, add(out.awards_given, out.awards_held.hi));
        const std::uint64_t global_hi = sub(limit, add(out.awards_given, out.awards_held.lo));
        rep.global_left = finite(global_lo, global_hi);
        std::uint64_t left_lo = std::min(slots_lo, global_lo);
        std::uint64_t left_hi = std::min(slots_hi, global_hi);
        rep.available = finite(left_lo, left_hi);

        // Which tiers' open issues this tier's later decisions depend on.
        std::vector<std::size_t> sources;
        if (left_lo != left_hi) {
            sources = open_tiers;
        }
        std::uint64_t held_lo = 0;
        std::uint64_t held_hi = 0;
        bool tier_open = false;

        for (const auto u : out.excluded) {
            out.units[u].tiers[t].kind = decision_kind::excluded;
        }
        for (std::size_t g = 0, i = 0; g < n_groups; ++g) {
            // One rank group: consecutive units of the table with the same rank.
            const std::uint32_t rank = *out.units[out.order[i]].rank;
            const std::size_t group_begin = i;
            const std::size_t j = group_ends[g];
            definite.clear();
            potential.clear();
            for (std::size_t m = group_begin; m < j; ++m) {
                const auto u = out.order[m];
                auto& r = out.units[u];
                auto& d = r.tiers[t];
                d.rank = rank;
                d.rank_to = r.rank_to;
                if (r.ineligible) {
                    d.kind = decision_kind::ineligible;
                } else if (r.award) {
                    d.kind = decision_kind::already_awarded;
                    d.other_tier = *r.award;
                } else if (!w.meets(rank, r.rank_to)) {
                    d.kind = decision_kind::outside_window;
                } else {
                    const auto& holds = units[u].requirements[t];
                    for (std::size_t k = 0; k < holds.size(); ++k) {
                        if (!holds[k]) {
                            d.failed_requirements.push_back(k);
                        }
                    }
                    if (!d.failed_requirements.empty()) {
                        d.kind = decision_kind::requirement_failed;
                    } else if (!w.contains(rank, r.rank_to)) {
                        d.kind = decision_kind::pending_tie_vote;
                        d.open_tiers = unit_open[u];
                        potential.push_back(u);
                    } else if (!unit_open[u].empty()) {
                        d.kind = decision_kind::pending_other_tier;
                        d.open_tiers = unit_open[u];
                        potential.push_back(u);
                    } else {
                        definite.push_back(u);
                    }
                }
            }
            i = j;
            if (definite.empty() && potential.empty()) {
                continue;
            }
            const std::uint32_t rank_to = out.units[out.order[j - 1]].rank_to;
            // How many of the units with an open claim may (max) and must (min) take a slot here.
            std::uint64_t max_potential = 0;
            std::uint64_t min_potential = 0;
            if (rank_to > rank) {
                // An unresolved tie: after the vote its members fill its positions one each. They
                // take at most the window positions it covers; the covered positions that no
                // earlier tier's window contains are filled by takers of this tier, except those
                // that members who cannot take this tier fill.
                max_potential = std::min<std::uint64_t>(potential.size(), w.overlap(rank, rank_to));
                std::uint64_t fresh = 0;
                for (std::uint32_t x = std::max(rank, w.from); x <= std::min(rank_to, w.to); ++x) {
                    bool earlier = false;
                    for (std::size_t e = 0; e < t && !earlier; ++e) {
                        earlier = window_of(awards[e]).meets(x, x);
                    }
                    fresh += earlier ? 0 : 1;
                }
                const std::uint64_t others = (j - group_begin) - definite.size() - potential.size();
                const std::uint64_t takers = sub(fresh, others);
                min_potential =
                    std::min<std::uint64_t>(sub(takers, definite.size()), max_potential);
            } else {
                // Members of one quota conflict with no other open claim: the bloc gives the
                // contested slots to some of them, so exactly the others come down here.
                // The conflict a unit's only open claim comes from, if it is one.
                const auto conflict_of = [&](std::size_t u) -> std::optional<std::size_t> {
                    const auto& open = out.units[u].tiers[t].open_tiers;
                    if (open.size() != 1
                        || out.units[u].tiers[open[0]].kind != decision_kind::quota_conflict) {
                        return std::nullopt;
                    }
                    return out.units[u].tiers[open[0]].issue;
                };
                std::vector<std::size_t> seen;
                for (const auto u : potential) {
                    const auto c = conflict_of(u);
                    if (!c) {
                        max_potential = add(max_potential, 1);
                        continue;
                    }
                    if (std::find(seen.begin(), seen.end(), *c) != seen.end()) {
                        continue;
                    }
                    seen.push_back(*c);
                    const auto& conflict = out.conflicts[*c];
                    const auto here = static_cast<std::uint64_t>(
                        std::count_if(potential.begin(), potential.end(),
                                      [&](std::size_t v) { return conflict_of(v) == c; }));
                    const std::uint64_t down = conflict.units.size() - conflict.slots;
                    max_potential = add(max_potential, std::min(here, down));
                    min_potential = add(min_potential, sub(here, conflict.slots));
                }
            }
            const std::uint64_t worst = definite.size() + max_potential;
            const std::uint64_t best = definite.size() + min_potential;
            if (left_hi == 0) {
                // Not even the most favourable outcome of the open issues leaves a slot.
                for (const auto u : definite) {
                    out.units[u].tiers[t].kind = decision_kind::quota_exhausted;
                }
                for (const auto u : potential) {
                    out.units[u].tiers[t].kind = decision_kind::quota_exhausted;
                    out.units[u].tiers[t].open_tiers.clear();
                }
                continue;
            }
            if (!potential.empty()) {
                // Units with an open claim here: they stay open, and whatever follows them in
                // this tier depends on how their claims are settled.
                tier_open = true;
                held_lo = add(held_lo, std::min(min_potential, left_hi));
                held_hi = add(held_hi, max_potential);
                std::vector<std::size_t> voters;
                for (const auto u : potential) {
                    auto& d = out.units[u].tiers[t];
                    if (d.kind == decision_kind::pending_tie_vote) {
                        d.issue = out.tie_votes.size();
                        voters.push_back(u);
                        insert_sorted(sources, t);
                    } else {
                        merge_sorted(sources, d.open_tiers);
                    }
                }
                if (!voters.empty()) {
                    out.tie_votes.push_back({t, voters, rank, rank_to, w.from, w.to});
                }
            }
            if (left_lo >= worst) {
                for (const auto u : definite) {
                    out.units[u].tiers[t].kind = decision_kind::given;
                    out.units[u].award = t;
                    ++rep.given;
                }
                left_lo = sub(left_lo, worst);
                left_hi = sub(left_hi, best);
            } else if (left_lo == left_hi && max_potential == 0) {
                // The quota boundary falls inside a group sharing a rank: the bloc chooses.
                quota_conflict c{t, definite, rank, left_lo, rank_to > rank};
                for (const auto u : definite) {
                    auto& d = out.units[u].tiers[t];
                    d.kind = decision_kind::quota_conflict;
                    d.issue = out.conflicts.size();
                }
                out.conflicts.push_back(std::move(c));
                held_lo = add(held_lo, left_lo);
                held_hi = add(held_hi, left_lo);
                left_lo = 0;
                left_hi = 0;
                tier_open = true;
                insert_sorted(sources, t);
            } else {
                for (const auto u : definite) {
                    auto& d = out.units[u].tiers[t];
                    d.kind = decision_kind::pending_dependency;
                    d.open_tiers = sources;
                }
                held_hi = add(held_hi, definite.size());
                left_lo = sub(left_lo, worst);
                left_hi = sub(left_hi, best);
                if (!definite.empty()) {
                    tier_open = true;
                    insert_sorted(sources, t);
                }
            }
        }
        // Slots the open issues may take never exceed what the tier could still give.
        if (rep.available) {
            held_hi = std::min(held_hi, sub(rep.available->hi, rep.given));
        }
        held_lo = std::min(held_lo, held_hi);
        rep.held = {held_lo, held_hi};
        if (rep.slots) {
            rep.unused = slot_range{sub(slots_lo, add(rep.given, held_hi)),
                                    sub(slots_hi, add(rep.given, held_lo))};
            passed = a.pass_down ? *rep.unused : slot_range{0, 0};
        } else {
            passed = {0, 0};
        }
        rep.passed_down = passed;
        out.awards_given += rep.given;
        out.awards_held.lo = add(out.awards_held.lo, held_lo);
        out.awards_held.hi = add(out.awards_held.hi, held_hi);
        if (tier_open) {
            insert_sorted(open_tiers, t);
        }
        // Units whose decision at this tier is open carry an open claim into the later tiers.
        for (const auto u : out.order) {
            auto& r = out.units[u];
            const auto k = r.tiers[t].kind;
            if (k == decision_kind::quota_conflict || k == decision_kind::pending_tie_vote
                || k == decision_kind::pending_other_tier
                || k == decision_kind::pending_dependency) {
                r.award_open = true;
                unit_open[u].push_back(t);
            }
        }
    }
    return out;
}

// ---- Sentences ---------------------------------------------------------------------------

std::string describe_quota(const quota_computation& q) {
    if (q.what == ast::quota::kind::absolute) {
        return tr(msg::quota_limit, fmt::arg("slots", q.slots));
    }
    const msg how = q.how == ast::quota::rounding::down ? msg::quota_rounded_down
                    : q.how == ast::quota::rounding::up ? msg::quota_rounded_up
                                                        : msg::quota_rounded_nearest;
    if (q.exact.is_integer()) {
        return tr(msg::quota_share, fmt::arg("percent", decimal(q.amount.exact_string())),
                  fmt::arg("members", q.members),
                  fmt::arg("exact", decimal(q.exact.exact_string())));
    }
    return tr(msg::quota_share_rounded, fmt::arg("percent", decimal(q.amount.exact_string())),
              fmt::arg("members", q.members), fmt::arg("exact", decimal(q.exact.exact_string())),
              fmt::arg("how", tr(how)), fmt::arg("slots", q.slots));
}

std::string describe_slots(const slot_range& s) {
    return s.exact() ? fmt::format("{}", s.lo)
                     : tr(msg::slots_range, fmt::arg("from", s.lo), fmt::arg("to", s.hi));
}

std::string describe_decision(const ranking_outcome& out, std::size_t unit, std::size_t tier) {
    const auto& r = out.tiers[tier];
    const auto& d = out.units[unit].tiers[tier];
    switch (d.kind) {
        case decision_kind::given: {
            std::string s = r.window_from
                                ? tr_n(msg::decision_given_window, positions(d),
                                       fmt::arg("position", position_text(d)),
                                       fmt::arg("window", window_text(r)))
                                : tr(msg::decision_given, fmt::arg("position", position_text(d)));
            s += tr(r.requirement_labels.empty() ? msg::decision_no_requirement
                                                 : msg::decision_requirements_hold);
            if (r.available) {
                s += tr(msg::decision_slot_free, fmt::arg("slots", describe_slots(*r.available)));
            }
            return s;
        }
        case decision_kind::excluded:
            return tr(msg::decision_excluded);
        case decision_kind::ineligible:
            return tr(msg::decision_ineligible, fmt::arg("position", position_text(d)));
        case decision_kind::already_awarded:
            return tr(msg::decision_already, fmt::arg("award", tier_name(out, d.other_tier)));
        case decision_kind::outside_window:
            return tr_n(msg::decision_outside_window, positions(d),
                        fmt::arg("position", position_text(d)), fmt::arg("window", window_text(r)));
        case decision_kind::requirement_failed: {
            std::vector<std::string> failed;
            for (const auto k : d.failed_requirements) {
                failed.push_back(
                    tr(msg::decision_requirement, fmt::arg("number", k + 1),
                       fmt::arg("label",
                                k < r.requirement_labels.size() ? r.requirement_labels[k] : "")));
            }
            return tr_n(msg::decision_requirements_fail, d.failed_requirements.size(),
                        fmt::arg("requirements", join_and(failed)));
        }
        case decision_kind::quota_exhausted: {
            std::string s = tr(msg::decision_no_slot, fmt::arg("position", position_text(d)));
            std::vector<std::string> why;
            if (r.quota) {
                std::string q =
                    tr(msg::decision_quota, fmt::arg("quota", describe_quota(*r.quota)));
                if (r.passed_in.hi > 0) {
                    q += tr(msg::decision_passed_down,
                            fmt::arg("slots", describe_slots(r.passed_in)));
                }
                why.push_back(q);
            }
            if (r.global_left && (!r.slots || r.global_left->lo < r.slots->lo)) {
                why.push_back(
                    tr(msg::decision_awards_limit,
                       fmt::arg("limit", out.awards_limit ? describe_quota(*out.awards_limit)
                                                          : std::string("?")),
                       fmt::arg("slots", describe_slots(*r.global_left))));
            }
            std::string given = tr(msg::decision_given_higher, fmt::arg("count", r.given));
            if (r.held.hi > 0) {
                given += tr(msg::decision_held, fmt::arg("slots", describe_slots(r.held)));
            }
            why.push_back(given);
            s += " (";
            for (std::size_t i = 0; i < why.size(); ++i) {
                s += (i > 0 ? "; " : "") + why[i];
            }
            return s + ")";
        }
        case decision_kind::quota_conflict: {
            const auto& c = out.conflicts[d.issue];
            return tr_n(msg::decision_quota_conflict, c.slots,
                        fmt::arg("units", names(out, c.units)), fmt::arg("rank", c.rank));
        }
        case decision_kind::pending_tie_vote: {
            const auto& v = out.tie_votes[d.issue];
            return tr(msg::decision_tie_vote, fmt::arg("from", v.from), fmt::arg("to", v.to),
                      fmt::arg("window", ranks_text(v.window_from, v.window_to)));
        }
        case decision_kind::pending_other_tier:
            return tr(msg::decision_other_tier, fmt::arg("awards", tier_names(out, d.open_tiers)));
        case decision_kind::pending_dependency:
            return tr_n(msg::decision_dependency, d.open_tiers.size(),
                        fmt::arg("awards", tier_names(out, d.open_tiers)));
    }
    return "";
}

std::string describe_tie(const ranking_outcome& out, const tie_group& t) {
    if (t.mode == ast::tie_mode::shared) {
        return tr(msg::tie_shared, fmt::arg("units", names(out, t.units)),
                  fmt::arg("rank", t.from));
    }
    return tr(msg::tie_unresolved, fmt::arg("units", names(out, t.units)), fmt::arg("from", t.from),
              fmt::arg("to", t.to));
}

std::string describe_conflict(const ranking_outcome& out, const quota_conflict& c) {
    return tr_n(
        msg::conflict_text, c.slots, fmt::arg("award", tier_name(out, c.tier)),
        fmt::arg("units", names(out, c.units)), fmt::arg("rank", c.rank),
        fmt::arg("also", c.unresolved_tie ? tr(msg::conflict_tie_unresolved) : std::string()));
}

std::string describe_tie_vote(const ranking_outcome& out, const tie_vote& v) {
    return tr(msg::tie_vote_text, fmt::arg("award", tier_name(out, v.tier)),
              fmt::arg("units", names(out, v.units)), fmt::arg("from", v.from),
              fmt::arg("to", v.to), fmt::arg("window", ranks_text(v.window_from, v.window_to)));
}

}  // namespace thidua
