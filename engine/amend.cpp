#include "engine/amend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"

namespace thidua {

namespace {

namespace fs = std::filesystem;
using action = ast::amendment::action;
using target = ast::amendment::target;

// ---------------------------------------------------------------------------------------------
// Moving a declaration of the amendment into the merged regulation: its spans are shifted past
// the base's text (the combined source has the base first) and its expression ids past the
// base's, so both stay unique in the merged regulation.

struct shifter {
    std::uint32_t offset = 0;
    ast::node_id ids = 0;

    void operator()(span& s) const {
        s.begin += offset;
        s.end += offset;
    }
    void operator()(ast::number_lit& n) const { (*this)(n.where); }
    void operator()(ast::expr_ptr& e) const {
        if (e) {
            expr(*e);
        }
    }

    void expr(ast::expr& e) const {
        e.id += ids;
        (*this)(e.where);
        std::visit(overloaded{
                       [&](ast::number_lit& n) { (*this)(n); },
                       [&](ast::member_ref& m) {
                           (*this)(m.object);
                           (*this)(m.field_span);
                       },
                       [&](ast::points_ref& p) { (*this)(p.id_span); },
                       [&](ast::unary& u) { (*this)(u.operand); },
                       [&](ast::binary& b) {
                           (*this)(b.lhs);
                           (*this)(b.rhs);
                           (*this)(b.op_span);
                       },
                       [&](ast::call& c) {
                           (*this)(c.function_span);
                           for (auto& a : c.args) {
                               (*this)(a);
                           }
                       },
                       [&](ast::aggregate& a) {
                           (*this)(a.variable_span);
                           (*this)(a.list);
                           (*this)(a.where);
                           (*this)(a.body);
                       },
                       [&](ast::if_expr& i) {
                           (*this)(i.condition);
                           (*this)(i.then_value);
                           (*this)(i.else_value);
                       },
                       [&](ast::when_expr& w) {
                           (*this)(w.subject);
                           for (auto& b : w.bands) {
                               (*this)(b.bound);
                               (*this)(b.value);
                               (*this)(b.where);
                           }
                           (*this)(w.else_value);
                           (*this)(w.else_span);
                       },
                       [&](ast::match_expr& m) {
                           (*this)(m.subject);
                           for (auto& a : m.arms) {
                               (*this)(a.member_span);
                               (*this)(a.value);
                           }
                           (*this)(m.else_value);
                           (*this)(m.else_span);
                       },
                       [&](ast::presence& p) { (*this)(p.operand); },
                       [](auto&) {},
                   },
                   e.kind);
    }

    void field(ast::field_decl& f) const {
        (*this)(f.name_span);
        (*this)(f.where);
        (*this)(f.type.where);
        if (f.range) {
            (*this)(f.range->where);
            (*this)(f.range->low.where);
            (*this)(f.range->low.value);
            if (f.range->high) {
                (*this)(f.range->high->where);
                (*this)(f.range->high->value);
            }
        }
        for (auto& sub : f.type.fields) {
            field(sub);
        }
    }
    void body(ast::scoring_body& b) const {
        for (auto& l : b.lets) {
            (*this)(l.name_span);
            (*this)(l.value);
            (*this)(l.where);
        }
        (*this)(b.points);
        (*this)(b.points_span);
    }
    void criterion(ast::criterion& c) const {
        (*this)(c.id_span);
        (*this)(c.max);
        (*this)(c.applies_when);
        body(c.body);
        (*this)(c.where);
    }
    void section(ast::section& s) const {
        (*this)(s.id_span);
        (*this)(s.max);
        for (auto& c : s.criteria) {
            criterion(c);
        }
        (*this)(s.where);
    }
    void item(ast::group_item& it) const {
        (*this)(it.label_span);
        if (it.max) {
            (*this)(*it.max);
        }
        body(it.body);
        (*this)(it.where);
    }
    void group(ast::group& g) const {
        (*this)(g.label_span);
        if (g.max) {
            (*this)(*g.max);
        }
        for (auto& it : g.items) {
            item(it);
        }
        (*this)(g.where);
    }
    void quota(ast::quota& q) const {
        (*this)(q.amount);
        (*this)(q.where);
    }
    void keys(std::vector<ast::ranking_key>& ks) const {
        for (auto& k : ks) {
            (*this)(k.key);
            (*this)(k.where);
        }
    }
    void award(ast::award& a) const {
        (*this)(a.id_span);
        (*this)(a.candidates_span);
        for (auto& r : a.requirements) {
            (*this)(r.condition);
            (*this)(r.where);
        }
        if (a.limit) {
            quota(*a.limit);
        }
        (*this)(a.where);
    }
    // Every declaration a statement can hold.
    void regulation(ast::regulation& r) const {
        (*this)(r.scale);
        for (auto& rr : r.rounding) {
            (*this)(rr.step);
            (*this)(rr.where);
        }
        for (auto& e : r.enums) {
            (*this)(e.name_span);
            for (auto& m : e.members) {
                (*this)(m.where);
            }
            (*this)(e.where);
        }
        for (auto& f : r.inputs) {
            field(f);
        }
        for (auto& s : r.sections) {
            section(s);
        }
        for (auto& g : r.groups) {
            group(g);
        }
        for (auto& k : r.knockouts) {
            (*this)(k.condition);
            (*this)(k.where);
        }
        if (r.ranking) {
            keys(r.ranking->keys);
            keys(r.ranking->first_place_keys);
            (*this)(r.ranking->where);
        }
        for (auto& a : r.awards) {
            award(a);
        }
        if (r.awards_limit) {
            quota(*r.awards_limit);
        }
        if (r.self_score) {
            (*this)(r.self_score->field_span);
            (*this)(r.self_score->tolerance);
            (*this)(r.self_score->where);
        }
    }
};

// What a statement changes, in the keywords the amendment is written in (`criterion`, `tiêu
// chí`): the statement as the user writes it.
std::string target_word(target t) {
    switch (t) {
        case target::scale:
            return std::string(keyword_text(keywords::kw::scale));
        case target::rounding:
            return std::string(keyword_text(keywords::kw::rounding));
        case target::enumeration:
            return std::string(keyword_text(keywords::kw::enum_));
        case target::input:
            return tr(msg::amend_word_input_field);
        case target::section:
            return std::string(keyword_text(keywords::kw::section));
        case target::criterion:
            return std::string(keyword_text(keywords::kw::criterion));
        case target::bonus:
            return std::string(keyword_text(keywords::kw::bonus));
        case target::deduction:
            return std::string(keyword_text(keywords::kw::deduction));
        case target::item:
            return std::string(keyword_text(keywords::kw::item));
        case target::exclude:
            return std::string(keyword_text(keywords::kw::exclude));
        case target::ineligible:
            return std::string(keyword_text(keywords::kw::ineligible));
        case target::ranking:
            return std::string(keyword_text(keywords::kw::ranking));
        case target::award:
            return std::string(keyword_text(keywords::kw::award));
        case target::awards_limit:
            return fmt::format("{} {}", keyword_text(keywords::kw::awards),
                               keyword_text(keywords::kw::limit));
        case target::self_score:
            return std::string(keyword_text(keywords::kw::self_score));
    }
    return tr(msg::amend_word_declaration);
}

// The value of a Roman numeral of the letters i, v and x (1 to 39), or 0 when `part` is not one.
int roman_value(std::string_view part) {
    auto digit = [](char c) {
        switch (c) {
            case 'i':
                return 1;
            case 'v':
                return 5;
            case 'x':
                return 10;
            default:
                return 0;
        }
    };
    int value = 0;
    for (std::size_t k = 0; k < part.size(); ++k) {
        const int d = digit(part[k]);
        if (d == 0) {
            return 0;
        }
        const int next = k + 1 < part.size() ? digit(part[k + 1]) : 0;
        value += d < next ? -d : d;
    }
    // Only the canonical spelling counts (`iiii` and `vv` are not numerals).
    static constexpr std::array<std::string_view, 10> ones = {"",  "i",  "ii",  "iii",  "iv",
                                                              "v", "vi", "vii", "viii", "ix"};
    if (value <= 0 || value >= 40) {
        return 0;
    }
    const std::string canonical = std::string(static_cast<std::size_t>(value / 10), 'x')
                                  + std::string(ones[static_cast<std::size_t>(value % 10)]);
    return canonical == part ? value : 0;
}

// The id among `ids` that `key` writes with look-alike characters: `l` for `1`, `o` for `0`, a
// comma for the dot, another case, a Roman numeral for a number or the other way round
// (`III.l`, `i.2`, `II,1`, `I.3` for `1.3`); "" when none. Ids such as `I.9` and `I.1` are
// different on purpose, so an edit distance would suggest wrongly.
std::string lookalike_id(const std::string& key, const std::vector<std::string>& ids) {
    auto shape = [](std::string_view id) {
        std::string lowered;
        for (const char c : id) {
            const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
            lowered += lower == ',' ? '.' : lower;
        }
        std::string out;
        std::size_t start = 0;
        while (start <= lowered.size()) {
            auto end = lowered.find('.', start);
            if (end == std::string::npos) {
                end = lowered.size();
            }
            const std::string_view part(lowered.data() + start, end - start);
            if (const int value = roman_value(part); value != 0) {
                out += std::to_string(value);
            } else {
                for (const char c : part) {
                    out += c == 'l' ? '1' : c == 'o' ? '0' : c;
                }
            }
            if (end < lowered.size()) {
                out += '.';
            }
            start = end + 1;
        }
        return out;
    };
    const std::string wanted = shape(key);
    for (const auto& id : ids) {
        if (id != key && shape(id) == wanted) {
            return id;
        }
    }
    return {};
}

// What a statement changes as a noun of the message's sentence, in the language of the messages.
std::string target_noun(target t) {
    switch (t) {
        case target::scale:
            return tr(msg::amend_word_scale);
        case target::rounding:
            return tr(msg::amend_word_rounding);
        case target::enumeration:
            return tr(msg::amend_word_enum);
        case target::input:
            return tr(msg::amend_word_input_field);
        case target::section:
            return tr(msg::amend_word_section);
        case target::criterion:
            return tr(msg::amend_word_criterion);
        case target::bonus:
            return tr(msg::amend_word_bonus);
        case target::deduction:
            return tr(msg::amend_word_deduction);
        case target::item:
            return tr(msg::amend_word_item);
        case target::exclude:
            return tr(msg::amend_word_exclude);
        case target::ineligible:
            return tr(msg::amend_word_ineligible);
        case target::ranking:
            return tr(msg::amend_word_ranking);
        case target::award:
            return tr(msg::amend_word_award);
        case target::awards_limit:
            return tr(msg::amend_word_awards_limit);
        case target::self_score:
            return tr(msg::amend_word_self_score);
    }
    return tr(msg::amend_word_declaration);
}

std::string action_word(action a) {
    switch (a) {
        case action::add:
            return std::string(keyword_text(keywords::kw::add));
        case action::replace:
            return std::string(keyword_text(keywords::kw::replace));
        case action::remove:
            return std::string(keyword_text(keywords::kw::remove));
    }
    return "?";
}

// How a statement names what it changes, as the user would write it: `criterion I.2`,
// `bonus "Điểm thưởng"`, `ranking` (with the Vietnamese keywords in Vietnamese messages).
// `as_noun`: with target_noun() rather than the keywords as written.
std::string what_of(target t, const std::string& key, bool as_noun = false) {
    const std::string word = as_noun ? target_noun(t) : target_word(t);
    switch (t) {
        case target::bonus:
        case target::deduction:
        case target::item:
        case target::exclude:
        case target::ineligible:
            return fmt::format("{} \"{}\"", word, key);
        default:
            return key.empty() ? word : fmt::format("{} {}", word, key);
    }
}

// ---------------------------------------------------------------------------------------------
// The merge: the statements applied in order to the base, which becomes the merged regulation.

class merger {
  public:
    merger(ast::regulation& r, const ast::regulation& amendment, source_ptr combined,
           diagnostics& diags)
        : r_(r),
          file_(amendment.file),
          combined_(std::move(combined)),
          base_path_(r.file->path()),
          amends_span_(amendment.amends_span),
          diags_(diags),
          shift_{static_cast<std::uint32_t>(r.file->text().size()), r.expr_count} {}

    void apply(ast::amendment& a);

  private:
    // An error at a statement of the amendment.
    diagnostic& error(const char* code, span where, std::string message) {
        return diags_.error(code, file_, where, std::move(message));
    }
    // A note at a declaration of the regulation being built (base or already amended).
    void note(diagnostic& d, span where, std::string message) {
        d.notes.push_back({combined_, where, std::move(message)});
    }
    // `candidates`: the ids the regulation has for what the statement names; one the key
    // mistypes with look-alike characters (lookalike_id) is suggested rather than adding it.
    void missing(const ast::amendment& a, const std::vector<std::string>& candidates = {}) {
        auto& d =
            error("E182", a.key_span,
                  tr(msg::E182_missing, fmt::arg("action", action_word(a.what)),
                     fmt::arg("what", what_of(a.on, a.key)),
                     fmt::arg("thing", what_of(a.on, a.key, true)), fmt::arg("base", base_path_)));
        if (const std::string close = lookalike_id(a.key, candidates); !close.empty()) {
            d.notes.push_back({nullptr,
                               {},
                               tr(msg::E182_did_you_mean,
                                  fmt::arg("what", fmt::format("{} {}", action_word(a.what),
                                                               what_of(a.on, close))))});
        } else if (a.what == action::replace) {
            d.notes.push_back(
                {nullptr, {}, tr(msg::E182_to_add, fmt::arg("what", what_of(a.on, a.key)))});
        }
    }
    void duplicate(const ast::amendment& a, const std::string& what, span existing) {
        auto& d =
            error("E183", a.key_span,
                  tr(msg::E183_duplicate, fmt::arg("what", what), fmt::arg("base", base_path_)));
        note(d, existing, tr(msg::E183_declared_here));
    }
    // Placements the statement may not have.
    bool places_allowed(const ast::amendment& a, std::initializer_list<ast::placement::kind> ok) {
        bool good = true;
        for (const auto& p : a.places) {
            if (std::find(ok.begin(), ok.end(), p.what) == ok.end()) {
                error("E184", p.where,
                      a.what == action::add
                          ? tr(msg::E184_no_placement, fmt::arg("word", target_noun(a.on)))
                          : tr(msg::E184_stays, fmt::arg("action", action_word(a.what)),
                               fmt::arg("what", what_of(a.on, a.key))));
                good = false;
            }
        }
        return good;
    }
    const ast::placement* place(const ast::amendment& a, ast::placement::kind k) const {
        for (const auto& p : a.places) {
            if (p.what == k) {
                return &p;
            }
        }
        return nullptr;
    }
    // Where `before X` / `after X` puts a new element among `ids`; end when there is neither.
    template <class T, class IdOf>
    std::optional<std::size_t> position(const ast::amendment& a, const std::vector<T>& list,
                                        IdOf id_of, msg what) {
        const ast::placement* before = place(a, ast::placement::kind::before);
        const ast::placement* after = place(a, ast::placement::kind::after);
        if (before && after) {
            error("E184", after->where, tr(msg::E184_both));
            return std::nullopt;
        }
        const ast::placement* p = before ? before : after;
        if (!p) {
            return list.size();
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (id_of(list[i]) == p->ref) {
                return before ? i : i + 1;
            }
        }
        error("E184", p->where,
              tr(before ? msg::E184_no_ref_before : msg::E184_no_ref_after,
                 fmt::arg("word", tr(what)), fmt::arg("ref", p->ref),
                 fmt::arg("what", what_of(a.on, a.key, true))));
        return std::nullopt;
    }

    void criterion(ast::amendment& a);
    void section(ast::amendment& a);
    void group(ast::amendment& a);
    void item(ast::amendment& a);
    void knockout(ast::amendment& a);
    void award(ast::amendment& a);
    void input(ast::amendment& a);
    void rounding(ast::amendment& a);
    void enumeration(ast::amendment& a);
    template <class T>
    void single(ast::amendment& a, std::optional<T>& slot, std::optional<T>& with, span existing);

    ast::regulation& r_;
    source_ptr file_;
    source_ptr combined_;
    std::string base_path_;
    span amends_span_;
    diagnostics& diags_;
    shifter shift_;
};

void merger::apply(ast::amendment& a) {
    if (a.decl) {
        shift_.regulation(*a.decl);
    }
    switch (a.on) {
        case target::criterion:
            criterion(a);
            break;
        case target::section:
            section(a);
            break;
        case target::bonus:
        case target::deduction:
            group(a);
            break;
        case target::item:
            item(a);
            break;
        case target::exclude:
        case target::ineligible:
            knockout(a);
            break;
        case target::award:
            award(a);
            break;
        case target::input:
            input(a);
            break;
        case target::rounding:
            rounding(a);
            break;
        case target::enumeration:
            enumeration(a);
            break;
        case target::ranking: {
            std::optional<ast::ranking_decl> none;
            single(a, r_.ranking, a.decl ? a.decl->ranking : none,
                   r_.ranking ? r_.ranking->where : span{});
            break;
        }
        case target::awards_limit: {
            std::optional<ast::quota> none;
            single(a, r_.awards_limit, a.decl ? a.decl->awards_limit : none,
                   r_.awards_limit ? r_.awards_limit->where : span{});
            break;
        }
        case target::self_score: {
            std::optional<ast::self_score_decl> none;
            single(a, r_.self_score, a.decl ? a.decl->self_score : none,
                   r_.self_score ? r_.self_score->where : span{});
            break;
        }
        case target::scale: {
            // The scale is a plain number_lit; empty text means "not declared".
            if (!places_allowed(a, {})) {
                return;
            }
            const bool exists = !r_.scale.text.empty();
            if (a.what == action::add && exists) {
                duplicate(a, "scale", r_.scale.where);
            } else if (a.what != action::add && !exists) {
                missing(a);
            } else if (a.what == action::remove) {
                r_.scale = {};
            } else {
                r_.scale = a.decl->scale;
            }
            break;
        }
    }
}

template <class T>
void merger::single(ast::amendment& a, std::optional<T>& slot, std::optional<T>& with,
                    span existing) {
    if (!places_allowed(a, {})) {
        return;
    }
    if (a.what == action::add && slot) {
        duplicate(a, what_of(a.on, a.key), existing);
    } else if (a.what != action::add && !slot) {
        missing(a);
    } else if (a.what == action::remove) {
        slot.reset();
    } else {
        slot = std::move(with);
    }
}

void merger::criterion(ast::amendment& a) {
    using pk = ast::placement::kind;
    std::optional<std::pair<std::size_t, std::size_t>> found;
    for (std::size_t s = 0; s < r_.sections.size() && !found; ++s) {
        for (std::size_t c = 0; c < r_.sections[s].criteria.size(); ++c) {
            if (r_.sections[s].criteria[c].id == a.key) {
                found = {s, c};
                break;
            }
        }
    }
    if (a.what != action::add) {
        if (!places_allowed(a, {})) {
            return;
        }
        if (!found) {
            std::vector<std::string> ids;
            for (const auto& s : r_.sections) {
                for (const auto& c : s.criteria) {
                    ids.push_back(c.id);
                }
            }
            missing(a, ids);
            return;
        }
        auto& list = r_.sections[found->first].criteria;
        if (a.what == action::remove) {
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(found->second));
        } else {
            list[found->second] = std::move(a.decl->sections.front().criteria.front());
        }
        return;
    }
    if (!places_allowed(a, {pk::in_section, pk::before, pk::after})) {
        return;
    }
    if (found) {
        duplicate(a, what_of(a.on, a.key),
                  r_.sections[found->first].criteria[found->second].id_span);
        return;
    }
    const ast::placement* in = place(a, pk::in_section);
    if (!in) {
        error("E184", a.key_span, tr(msg::E184_criterion_where, fmt::arg("id", a.key)));
        return;
    }
    auto s = std::find_if(r_.sections.begin(), r_.sections.end(),
                          [&](const ast::section& x) { return x.id == in->ref; });
    if (s == r_.sections.end()) {
        error("E184", in->where,
              tr(msg::E184_no_section, fmt::arg("id", in->ref), fmt::arg("base", base_path_)));
        return;
    }
    const auto at = position(
        a, s->criteria, [](const ast::criterion& c) { return c.id; }, msg::amend_word_criterion);
    if (at) {
        s->criteria.insert(s->criteria.begin() + static_cast<std::ptrdiff_t>(*at),
                           std::move(a.decl->sections.front().criteria.front()));
    }
}

void merger::section(ast::amendment& a) {
    using pk = ast::placement::kind;
    auto s = std::find_if(r_.sections.begin(), r_.sections.end(),
                          [&](const ast::section& x) { return x.id == a.key; });
    if (a.what == action::add) {
        if (!places_allowed(a, {pk::before, pk::after})) {
            return;
        }
        if (s != r_.sections.end()) {
            duplicate(a, what_of(a.on, a.key), s->id_span);
            return;
        }
        if (a.header_only) {
            error("E185", a.key_span, tr(msg::E185_section_body, fmt::arg("id", a.key)));
            return;
        }
        const auto at = position(
            a, r_.sections, [](const ast::section& x) { return x.id; }, msg::amend_word_section);
        if (at) {
            r_.sections.insert(r_.sections.begin() + static_cast<std::ptrdiff_t>(*at),
                               std::move(a.decl->sections.front()));
        }
        return;
    }
    if (!places_allowed(a, {})) {
        return;
    }
    if (s == r_.sections.end()) {
        std::vector<std::string> ids;
        for (const auto& x : r_.sections) {
            ids.push_back(x.id);
        }
        missing(a, ids);
        return;
    }
    if (a.what == action::remove) {
        r_.sections.erase(s);
        return;
    }
    ast::section& with = a.decl->sections.front();
    if (a.header_only) {
        // The header changes; the criteria stay as they are.
        with.criteria = std::move(s->criteria);
    }
    *s = std::move(with);
}

void merger::group(ast::amendment& a) {
    const auto kind = a.on == target::bonus ? ast::group::kind::bonus : ast::group::kind::deduction;
    auto g = std::find_if(r_.groups.begin(), r_.groups.end(),
                          [&](const ast::group& x) { return x.what == kind && x.label == a.key; });
    if (!places_allowed(a, {})) {
        return;
    }
    if (a.what == action::add) {
        if (g != r_.groups.end()) {
            duplicate(a, what_of(a.on, a.key), g->label_span);
        } else if (a.header_only) {
            error("E185", a.key_span,
                  tr(msg::E185_group_body, fmt::arg("what", what_of(a.on, a.key))));
        } else {
            r_.groups.push_back(std::move(a.decl->groups.front()));
        }
        return;
    }
    if (g == r_.groups.end()) {
        missing(a);
        return;
    }
    if (a.what == action::remove) {
        r_.groups.erase(g);
        return;
    }
    ast::group& with = a.decl->groups.front();
    if (a.header_only) {
        with.items = std::move(g->items);
    }
    *g = std::move(with);
}

void merger::item(ast::amendment& a) {
    using pk = ast::placement::kind;
    if (!places_allowed(a, {pk::in_bonus, pk::in_deduction})) {
        return;
    }
    const ast::placement* in = place(a, pk::in_bonus);
    if (!in) {
        in = place(a, pk::in_deduction);
    }
    // The groups the statement points at: the one named, or every group.
    std::vector<ast::group*> groups;
    for (auto& g : r_.groups) {
        if (!in
            || (g.label == in->ref
                && (g.what == ast::group::kind::bonus) == (in->what == pk::in_bonus))) {
            groups.push_back(&g);
        }
    }
    if (in && groups.empty()) {
        error("E184", in->where,
              tr(msg::E184_no_group,
                 fmt::arg("word", tr(in->what == pk::in_bonus ? msg::amend_word_bonus
                                                              : msg::amend_word_deduction)),
                 fmt::arg("label", in->ref), fmt::arg("base", base_path_)));
        return;
    }
    std::vector<std::pair<ast::group*, std::size_t>> found;
    for (auto* g : groups) {
        for (std::size_t i = 0; i < g->items.size(); ++i) {
            if (g->items[i].label == a.key) {
                found.emplace_back(g, i);
            }
        }
    }
    if (a.what == action::add) {
        if (!in) {
            error("E184", a.key_span, tr(msg::E184_item_where, fmt::arg("label", a.key)));
        } else if (!found.empty()) {
            duplicate(a, what_of(a.on, a.key),
                      found.front().first->items[found.front().second].label_span);
        } else {
            groups.front()->items.push_back(std::move(a.decl->groups.front().items.front()));
        }
        return;
    }
    if (found.empty()) {
        missing(a);
        return;
    }
    if (found.size() > 1) {
        auto& d = error("E187", a.key_span,
                        tr(msg::E187_ambiguous_item, fmt::arg("label", a.key),
                           fmt::arg("action", action_word(a.what))));
        for (const auto& [g, i] : found) {
            note(d, g->items[i].label_span, tr(msg::E187_one_here));
        }
        return;
    }
    auto& list = found.front().first->items;
    if (a.what == action::remove) {
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(found.front().second));
    } else {
        list[found.front().second] = std::move(a.decl->groups.front().items.front());
    }
}

void merger::knockout(ast::amendment& a) {
    const auto kind =
        a.on == target::exclude ? ast::knockout::kind::exclude : ast::knockout::kind::ineligible;
    auto k = std::find_if(r_.knockouts.begin(), r_.knockouts.end(), [&](const ast::knockout& x) {
        return x.what == kind && x.label == a.key;
    });
    if (!places_allowed(a, {})) {
        return;
    }
    if (a.what == action::add) {
        if (k != r_.knockouts.end()) {
            duplicate(a, what_of(a.on, a.key), k->where);
        } else {
            r_.knockouts.push_back(std::move(a.decl->knockouts.front()));
        }
        return;
    }
    if (k == r_.knockouts.end()) {
        missing(a);
    } else if (a.what == action::remove) {
        r_.knockouts.erase(k);
    } else {
        *k = std::move(a.decl->knockouts.front());
    }
}

void merger::award(ast::amendment& a) {
    using pk = ast::placement::kind;
    auto w = std::find_if(r_.awards.begin(), r_.awards.end(),
                          [&](const ast::award& x) { return x.id == a.key; });
    if (a.what == action::add) {
        if (!places_allowed(a, {pk::before, pk::after})) {
            return;
        }
        if (w != r_.awards.end()) {
            duplicate(a, what_of(a.on, a.key), w->id_span);
            return;
        }
        // Tiers are tried in the order written: where a new one goes matters.
        const auto at = position(
            a, r_.awards, [](const ast::award& x) { return x.id; }, msg::amend_word_award);
        if (at) {
            r_.awards.insert(r_.awards.begin() + static_cast<std::ptrdiff_t>(*at),
                             std::move(a.decl->awards.front()));
        }
        return;
    }
    if (!places_allowed(a, {})) {
        return;
    }
    if (w == r_.awards.end()) {
        missing(a);
    } else if (a.what == action::remove) {
        r_.awards.erase(w);
    } else {
        *w = std::move(a.decl->awards.front());
    }
}

void merger::input(ast::amendment& a) {
    if (!places_allowed(a, {})) {
        return;
    }
    auto find = [&](const std::string& name) {
        return std::find_if(r_.inputs.begin(), r_.inputs.end(),
                            [&](const ast::field_decl& f) { return f.name == name; });
    };
    if (a.what == action::remove) {
        const auto f = find(a.key);
        if (f == r_.inputs.end()) {
            missing(a);
        } else {
            r_.inputs.erase(f);
        }
        return;
    }
    // `add input { ... }` / `replace input { ... }`: field by field.
    for (auto& field : a.decl->inputs) {
        const auto f = find(field.name);
        ast::amendment one;
        one.what = a.what;
        one.on = target::input;
        one.key = field.name;
        // Statement positions are in the amendment's own coordinates.
        one.key_span = {field.name_span.begin - shift_.offset, field.name_span.end - shift_.offset};
        if (a.what == action::add) {
            if (f != r_.inputs.end()) {
                duplicate(one, what_of(target::input, field.name), f->name_span);
            } else {
                r_.inputs.push_back(std::move(field));
            }
        } else if (f == r_.inputs.end()) {
            missing(one);
        } else {
            *f = std::move(field);
        }
    }
}

void merger::rounding(ast::amendment& a) {
    if (!places_allowed(a, {})) {
        return;
    }
    static constexpr const char* targets[] = {"criterion", "section", "bonus", "deduction",
                                              "total"};
    auto r = std::find_if(r_.rounding.begin(), r_.rounding.end(), [&](const ast::rounding_rule& x) {
        return targets[static_cast<int>(x.at)] == a.key;
    });
    if (a.what == action::add) {
        if (r != r_.rounding.end()) {
            duplicate(a, what_of(a.on, a.key), r->where);
        } else {
            r_.rounding.push_back(std::move(a.decl->rounding.front()));
        }
    } else if (r == r_.rounding.end()) {
        missing(a);
    } else if (a.what == action::remove) {
        r_.rounding.erase(r);
    } else {
        *r = std::move(a.decl->rounding.front());
    }
}

void merger::enumeration(ast::amendment& a) {
    if (!places_allowed(a, {})) {
        return;
    }
    auto e = std::find_if(r_.enums.begin(), r_.enums.end(),
                          [&](const ast::enum_decl& x) { return x.name == a.key; });
    if (a.what == action::add) {
        if (e != r_.enums.end()) {
            duplicate(a, what_of(a.on, a.key), e->name_span);
        } else {
            r_.enums.push_back(std::move(a.decl->enums.front()));
        }
    } else if (e == r_.enums.end()) {
        missing(a);
    } else if (a.what == action::remove) {
        r_.enums.erase(e);
    } else {
        *e = std::move(a.decl->enums.front());
    }
}

// The path of the amended file: relative to the amending file's directory, made tidy
// ("rules/x/../y/r.tdkt" -> "rules/y/r.tdkt") so diagnostics name it the way a user would.
std::string base_path(const std::string& amending, const std::string& written) {
    const fs::path p = fs::path(written).is_absolute()
                           ? fs::path(written)
                           : fs::path(amending).parent_path() / fs::path(written);
    return p.lexically_normal().generic_string();
}

std::string identity(const std::string& path) {
    std::error_code ec;
    const auto c = fs::weakly_canonical(path, ec);
    return ec ? fs::path(path).lexically_normal().generic_string() : c.generic_string();
}

void resolve(parse_result& parsed, std::vector<std::string>& chain,
             std::vector<std::string>& chain_paths) {
    ast::regulation* reg = parsed.regulation.get();
    if (!reg || !reg->amends || parsed.diags.has_errors()) {
        return;
    }
    const source_ptr file = reg->file;
    const std::string path = base_path(file->path(), *reg->amends);
    const std::string id = identity(path);
    const auto seen = std::find(chain.begin(), chain.end(), id);
    if (seen != chain.end()) {
        std::string cycle;
        for (auto it = seen; it != chain.end(); ++it) {
            cycle +=
                tr(msg::E181_amends_link,
                   fmt::arg("path", chain_paths[static_cast<std::size_t>(it - chain.begin())]));
        }
        cycle += path;
        parsed.diags.error("E181", file, reg->amends_span,
                           tr(msg::E181_cycle, fmt::arg("cycle", cycle)));
        parsed.regulation.reset();
        return;
    }
    if (chain.size() >= max_amendment_depth) {
        parsed.diags.error("E181", file, reg->amends_span,
                           tr(msg::E181_too_deep, fmt::arg("depth", max_amendment_depth)));
        parsed.regulation.reset();
        return;
    }
    std::string error;
    auto src = source_file::load(path, error);
    if (!src) {
        parsed.diags.error(
            "E180", file, reg->amends_span,
            tr(msg::E180_unreadable, fmt::arg("path", path), fmt::arg("error", error)));
        parsed.regulation.reset();
        return;
    }
    parse_result base = parse(src);
    chain.push_back(id);
    chain_paths.push_back(path);
    resolve(base, chain, chain_paths);
    chain.pop_back();
    chain_paths.pop_back();
    parsed.diags.append(base.diags);
    if (!base.regulation || base.diags.has_errors()) {
        if (!base.diags.has_errors()) {
            // (resolve() always reports why it dropped a regulation; this is a safety net.)
            parsed.diags.error("E186", file, reg->amends_span,
                               tr(msg::E186_not_read, fmt::arg("path", path)));
        } else {
            parsed.diags.error("E186", file, reg->amends_span,
                               tr(msg::E186_base_errors, fmt::arg("path", path)));
        }
        parsed.regulation.reset();
        return;
    }
    parsed.regulation =
        merge_amendment(std::move(base.regulation), std::move(parsed.regulation), parsed.diags);
}

}  // namespace

std::unique_ptr<ast::regulation> merge_amendment(std::unique_ptr<ast::regulation> base,
                                                 std::unique_ptr<ast::regulation> amendment,
                                                 diagnostics& diags) {
    const std::size_t errors_before = diags.error_count();
    const source_ptr base_file = base->file;
    const source_ptr amend_file = amendment->file;
    // Messages quote keywords as the amendment writes them.
    const scoped_keyword_language keywords_as_written(
        amend_file ? keywords::first_keyword_language(amend_file->text()) : std::nullopt);
    // The merged regulation is named after the amendment: it is what the user asked for.
    auto combined = source_file::combine(amend_file->path(), {base_file, amend_file});
    merger m(*base, *amendment, combined, diags);
    for (auto& a : amendment->amendments) {
        m.apply(a);
    }
    if (diags.error_count() > errors_before) {
        return nullptr;
    }
    const auto offset = static_cast<std::uint32_t>(base_file->text().size());
    base->title = amendment->title;
    base->where = {amendment->where.begin + offset, amendment->where.end + offset};
    base->expr_count += amendment->expr_count;
    base->file = combined;
    base->amends.reset();
    base->amendments.clear();
    return base;
}

void apply_amendments(parse_result& parsed) {
    if (!parsed.regulation || !parsed.regulation->amends) {
        return;
    }
    const scoped_keyword_language keywords_as_written(
        parsed.regulation->file ? keywords::first_keyword_language(parsed.regulation->file->text())
                                : std::nullopt);
    std::vector<std::string> chain = {identity(parsed.regulation->file->path())};
    std::vector<std::string> chain_paths = {parsed.regulation->file->path()};
    resolve(parsed, chain, chain_paths);
    parsed.diags.sort();
}

}  // namespace thidua
