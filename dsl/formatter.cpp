// The formatter. Three parts:
//   * chunk: a piece of output text that may hold line breaks, each anchored at a source offset
//     (so comments before that offset are written there);
//   * emitter: the output lines, with the comments re-attached and single blank lines kept;
//   * formatter: one function per AST node kind. A new declaration kind is one entry in
//     declarations() and one function that writes it.
#include "dsl/formatter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <iterator>
#include <limits>
#include <string_view>
#include <utility>

#include "dsl/ast_util.hpp"

namespace thidua {

namespace {

using keywords::kw;

constexpr std::size_t line_limit = 100;
constexpr std::uint32_t no_anchor = std::numeric_limits<std::uint32_t>::max();

std::string spaces(int indent) {
    return std::string(static_cast<std::size_t>(indent) * 4, ' ');
}

// ---------------------------------------------------------------------------------------------
// chunk

struct chunk {
    struct line_break {
        std::size_t at = 0;        // where in `text` the new line starts
        std::uint32_t anchor = 0;  // comments before this source offset are written first
        int indent = 0;            // of the new line
        int comment_indent = 0;    // of comments written there
    };
    std::string text;
    std::vector<line_break> breaks;

    [[nodiscard]] bool flat() const { return breaks.empty(); }
    [[nodiscard]] std::size_t first_width() const {
        return utf8_width(std::string_view(text).substr(0, flat() ? text.size() : breaks[0].at));
    }
    chunk& add(std::string_view s) {
        text += s;
        return *this;
    }
    chunk& add(const chunk& c) {
        for (const auto& b : c.breaks) {
            breaks.push_back({b.at + text.size(), b.anchor, b.indent, b.comment_indent});
        }
        text += c.text;
        return *this;
    }
    void newline(std::uint32_t anchor, int indent, int comment_indent) {
        breaks.push_back({text.size(), anchor, indent, comment_indent});
    }
};

// ---------------------------------------------------------------------------------------------
// emitter

class emitter {
  public:
    emitter(std::string_view text, const std::vector<span>& comments)
        : text_(text), comments_(comments), done_(comments.size(), false) {}

    /// Starts a new line at `indent`. Comments before `anchor` come first (at comment_indent);
    /// a blank line in the source before the anchor's line is kept.
    void line(int indent, std::uint32_t anchor, int comment_indent) {
        if (anchor != no_anchor) {
            flush_comments(anchor, comment_indent);
        }
        const bool blank = anchor != no_anchor && blank_before(anchor);
        start(indent, blank);
    }
    void line(int indent, std::uint32_t anchor) { line(indent, anchor, indent); }

    /// A closing brace at `indent`; comments before it stay inside the block.
    void close(int indent, std::uint32_t brace, char closing = '}') {
        flush_comments(brace, indent + 1);
        start(indent, false);
        cur_ += closing;
    }

    void put(std::string_view s) { cur_ += s; }
    void put(const chunk& c) {
        std::size_t from = 0;
        for (const auto& b : c.breaks) {
            cur_ += std::string_view(c.text).substr(from, b.at - from);
            line(b.indent, b.anchor, b.comment_indent);
            from = b.at;
        }
        cur_ += std::string_view(c.text).substr(from);
    }

    [[nodiscard]] std::size_t column() const { return utf8_width(cur_); }

    std::string finish(std::uint32_t until = no_anchor) {
        flush_comments(until, 0);
        commit();
        std::string out;
        for (const auto& l : lines_) {
            out += l;
            out += '\n';
        }
        return out;
    }

    /// Comments before `before` not written yet, from the floor on.
    void flush_comments(std::uint32_t before, int indent) { flush_range(floor_, before, indent); }

    /// The comments starting in [from, to) not written yet, in source order: one that follows
    /// code in the source goes at the end of the current line when that has no comment yet, any
    /// other on a line of its own at `indent`.
    void flush_range(std::uint32_t from, std::uint32_t to, int indent) {
        const auto first = std::lower_bound(comments_.begin(), comments_.end(), from,
                                            [](span c, std::uint32_t at) { return c.begin < at; });
        for (auto i = std::max(next_, static_cast<std::size_t>(first - comments_.begin()));
             i < comments_.size() && comments_[i].begin < to; ++i) {
            if (done_[i]) {
                continue;
            }
            done_[i] = true;
            const span c = comments_[i];
            std::string_view body = text_.substr(c.begin, c.end - c.begin);
            while (!body.empty()
                   && (body.back() == '\r' || body.back() == ' ' || body.back() == '\t')) {
                body.remove_suffix(1);
            }
            if (!first_on_line(c.begin) && started_ && !cur_has_comment_) {
                cur_ += "  ";
                cur_ += body;
                cur_has_comment_ = true;
                continue;
            }
            start(indent, first_on_line(c.begin) && blank_before(c.begin));
            cur_ += body;
            cur_has_comment_ = true;
        }
        while (next_ < comments_.size() && done_[next_]) {
            ++next_;
        }
    }

    /// Comments before the floor belong to what is written later (a clause the canonical order
    /// puts after this one): line() and close() leave them. Returns the previous floor.
    std::uint32_t floor(std::uint32_t at) { return std::exchange(floor_, at); }

    /// Whether the current line ends with a comment (nothing may follow on it).
    [[nodiscard]] bool line_has_comment() const { return cur_has_comment_; }

  private:
    void commit() {
        if (started_) {
            while (!cur_.empty() && cur_.back() == ' ') {
                cur_.pop_back();
            }
            lines_.push_back(std::move(cur_));
            cur_.clear();
        }
    }

    void start(int indent, bool blank) {
        commit();
        // No blank line at the start of the file or right after an opening brace.
        if (blank && !lines_.empty() && !lines_.back().empty() && lines_.back().back() != '{') {
            lines_.emplace_back();
        }
        cur_ = spaces(indent);
        started_ = true;
        cur_has_comment_ = false;
    }

    [[nodiscard]] std::size_t line_start(std::uint32_t pos) const {
        const std::size_t nl = pos == 0 ? std::string_view::npos : text_.rfind('\n', pos - 1);
        return nl == std::string_view::npos ? 0 : nl + 1;
    }

    [[nodiscard]] bool first_on_line(std::uint32_t pos) const {
        for (std::size_t i = line_start(pos); i < pos; ++i) {
            if (text_[i] != ' ' && text_[i] != '\t' && text_[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    // Whether the anchor starts its source line and the line before it is blank.
    [[nodiscard]] bool blank_before(std::uint32_t pos) const {
        if (pos >= text_.size() || !first_on_line(pos)) {
            return false;
        }
        const std::size_t ls = line_start(pos);
        if (ls == 0) {
            return false;
        }
        std::size_t i = ls - 1;  // the '\n' ending the previous line
        while (i > 0) {
            const char c = text_[i - 1];
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
            --i;
        }
        return false;  // only blanks before: the start of the file
    }

    std::string_view text_;
    const std::vector<span>& comments_;
    std::vector<bool> done_;  // parallel to comments_: written
    std::size_t next_ = 0;    // the first comment not written
    std::uint32_t floor_ = 0;
    std::vector<std::string> lines_;
    std::string cur_;
    bool started_ = false;
    bool cur_has_comment_ = false;
};

// ---------------------------------------------------------------------------------------------
// Expressions: precedence, loosest first (as in the grammar).

enum prec : int {
    p_any = 0,
    p_or = 1,
    p_and = 2,
    p_not = 3,
    p_cmp = 4,
    p_add = 5,
    p_mul = 6,
    p_neg = 7,
    p_postfix = 8,
    p_primary = 9,
};

int precedence_of(const ast::expr& e) {
    if (const auto* b = std::get_if<ast::binary>(&e.kind)) {
        switch (b->what) {
            case ast::binary::op::or_:
                return p_or;
            case ast::binary::op::and_:
                return p_and;
            case ast::binary::op::add:
            case ast::binary::op::sub:
                return p_add;
            case ast::binary::op::mul:
            case ast::binary::op::div:
                return p_mul;
            default:
                return p_cmp;
        }
    }
    if (const auto* u = std::get_if<ast::unary>(&e.kind)) {
        return u->what == ast::unary::op::not_ ? p_not : p_neg;
    }
    if (std::holds_alternative<ast::presence>(e.kind)) {
        return p_cmp;
    }
    if (std::holds_alternative<ast::member_ref>(e.kind)) {
        return p_postfix;
    }
    return p_primary;
}

// ---------------------------------------------------------------------------------------------
// formatter

class formatter {
  public:
    formatter(const ast::regulation& r, const source_ptr& file, const std::vector<span>& comments,
              keywords::lang lang)
        : r_(r),
          text_(file ? std::string_view(file->text()) : std::string_view()),
          comments_(comments),
          lang_(lang),
          out_(text_, comments) {}

    std::string run();
    std::string run_tests(const ast::test_file& f);
    [[nodiscard]] std::uint32_t first_token() const;

  private:
    struct declaration {
        std::uint32_t at = 0;
        std::function<void()> write;
    };

    // Clauses are written in the canonical order, which need not be the source's (the clauses
    // of an award, of the ranking, of a head), and some are written that the source left out
    // (`ties unresolved`, `unused slots are lost`). So a comment is not placed by its position
    // alone: each clause owns the comments of its region of the source and they travel with it.
    struct region {
        std::uint32_t lead = 0;   // comments in [lead, the clause's start) go before it
        std::uint32_t trail = 0;  // the others before `trail` (inside it, after it on its line)
    };
    // The regions of clauses starting at `begins` (no_anchor: not in the source), which tile
    // [from, to) in source order: a clause's region runs to the end of the source line its last
    // token is on (or to the next clause, when that starts on the same line).
    [[nodiscard]] std::vector<region> regions(const std::vector<std::uint32_t>& begins,
                                              std::uint32_t from, std::uint32_t to) const;
    // Where the clauses of a head or a block start in the source: the tokens from `from` (before
    // `to`) spelling one of `openers` (keyword sequences, either language), outside strings,
    // comments and the `opaque` spans (expressions: their words are no clauses). `stop`: where
    // the scan ended: the first '{' or '}' outside those, else `to`.
    struct scanned {
        std::vector<std::pair<std::size_t, std::uint32_t>> starts;  // (opener, where)
        std::uint32_t stop = 0;
    };
    [[nodiscard]] scanned scan(std::uint32_t from, std::uint32_t to,
                               const std::vector<std::vector<kw>>& openers,
                               const std::vector<span>& opaque) const;
    // A block's clauses, one per line at `indent`, in the order given; `open` and `close`: the
    // block's braces in the source. A clause's `write` puts its text on the line begun for it.
    struct clause {
        std::uint32_t begin = no_anchor;  // where it starts in the source; no_anchor: nowhere
        std::function<void()> write;
        // A default the source wrote and the layout leaves out (`unused slots are lost` without
        // a limit, `combine sum`): kept when it has a comment, which stays with it.
        bool optional = false;
    };
    void clauses(const std::vector<clause>& cs, std::uint32_t open, std::uint32_t close,
                 int indent);
    // A piece of a declaration's head (`criterion I.1 "..." max 40`, `cite "..."`,
    // `applies when COND`, a placement). `glued`: never moved to a line of its own for its
    // width (after a condition broken over lines).
    struct piece {
        chunk text;
        std::uint32_t begin = no_anchor;  // where its clause starts in the source
        std::uint32_t end = 0;            // a placement's end (no clause keywords before it)
        bool glued = false;
        bool optional = false;  // as a clause's
    };
    // Where a head's two optional clauses `a` and `b` start in [from, to) (no_anchor: not
    // written), the pieces' own text and `more` skipped; `stop` as scan() gives it.
    struct head_scan {
        std::uint32_t a = no_anchor;
        std::uint32_t b = no_anchor;
        std::uint32_t stop = 0;
    };
    [[nodiscard]] head_scan head_clauses(std::uint32_t from, std::uint32_t to, kw a, kw b,
                                         const std::vector<piece>& places,
                                         std::vector<span> more = {}) const;
    piece text_piece(std::string text, std::uint32_t begin) const;
    // `max N` of a section, criterion or group head, anchored at its keyword.
    piece max_piece(const ast::number_lit& n) const;

    [[nodiscard]] std::string_view k(kw word) const { return keywords::spell(word, lang_); }
    [[nodiscard]] std::string words(std::initializer_list<kw> ws) const {
        std::string s;
        for (const kw w : ws) {
            if (!s.empty()) {
                s += ' ';
            }
            s += k(w);
        }
        return s;
    }

    // Expressions. `min` is the loosest precedence allowed without parentheses; `open` says
    // whether the expression may end with an `if`'s open-ended else branch (nothing that could
    // continue an expression follows it); `indent` is the level of the line it starts on.
    chunk expr(const ast::expr& e, int min, bool open, int indent, bool wrap = false);
    chunk expr_inner(const ast::expr& e, bool open, int indent, bool wrap);
    // A `when` or `match` block: `WORD SUBJECT {`, its entries (bands or arms) and `else`; on one
    // line when short (at most 60 characters), flat and without comments, else one per line.
    struct block_entry {
        std::uint32_t at = 0;  // where the entry starts (comments before it first)
        // `>= 90%: 100` / `xs: 8`, for a line at that level; broken (see expr()) or not.
        std::function<chunk(int, bool)> write;
    };
    chunk block(kw word, const ast::expr& e, const ast::expr& subject,
                const std::vector<block_entry>& entries, const ast::expr* else_value,
                std::uint32_t else_at, int else_min, int indent);
    chunk when_block(const ast::expr& e, const ast::when_expr& w, int indent);
    chunk match_block(const ast::expr& e, const ast::match_expr& m, int indent);
    [[nodiscard]] bool has_comment(span s) const;
    // A statement's expression, broken (see formatter.hpp) when the line would be too long.
    void statement_expr(const ast::expr& e, int indent);

    // Declarations and their parts.
    std::vector<declaration> declarations();
    // Starts a declaration's first line; in an amendment the line starts with the statement's
    // `add` / `replace` (lead_), anchored where the statement starts.
    void begin(int indent, std::uint32_t anchor);
    void scale(const ast::number_lit& n);
    void rounding(const ast::rounding_rule& rr);
    void enumeration(const ast::enum_decl& e);
    void input(const std::vector<ast::field_decl>& fields, std::uint32_t keyword);
    void field(const ast::field_decl& f, int indent);
    // `places`: an added declaration's placement clauses (`in section I`, `after I.2`);
    // `header_only`: `replace section I "..." max 65` without a block.
    void section(const ast::section& s, const std::vector<piece>& places = {},
                 bool header_only = false);
    void criterion(const ast::criterion& c, int indent, const std::vector<piece>& places = {});
    void body(const ast::scoring_body& b, int indent);
    void group(const ast::group& g, bool header_only = false);
    void item(const ast::group_item& it, int indent, const std::vector<piece>& places = {});
    void knockout(const ast::knockout& ko);
    // ` WORD CONDITION` after a clause starting at `from`: on the next line when too long, or
    // when a comment comes before the condition in the source (it stays on the line before).
    void condition(std::string_view word, const ast::expr& e, int indent, std::uint32_t from);
    void ranking(const ast::ranking_decl& rd);
    // `LEAD K1 asc, K2 desc` then ` tail` (written at `tail_at` in the source, no_anchor: not
    // written), broken between keys when too long.
    void keys(std::string_view lead, const std::vector<ast::ranking_key>& ks,
              const std::string& tail = {}, std::uint32_t tail_at = no_anchor);
    std::string quota(const ast::quota& q);
    void award(const ast::award& a, const std::vector<piece>& places = {});
    void awards_limit(const ast::quota& q);
    void self_score(const ast::self_score_decl& s);
    // Amendments (docs/amendments.md): `amends "PATH"` and the add / replace / remove statements.
    void amends();
    void amendment(const ast::amendment& a);
    void removal(const ast::amendment& a);
    std::vector<piece> places(const ast::amendment& a);
    // Tests (docs/testing.md): statements in the order written, one per line; a unit on one line
    // when it fits (else one field per line); a list one row per line, a row on one line when it
    // fits.
    void test(const ast::test_decl& t);
    void test_unit(const ast::test_unit& u, int indent);
    void test_field(const ast::test_field& f, int indent);
    void test_row(const std::vector<ast::test_field>& fields, span where, int indent);
    [[nodiscard]] std::string test_value(const ast::test_value& v) const;
    void expectation(const ast::expectation& x, int indent);
    [[nodiscard]] std::string points_target(const ast::points_ref& p) const;
    // Writes `pieces` on the current line, breaking before a piece that would pass the limit
    // (continuation lines 2 levels deeper), then " {". The first piece starts the declaration
    // (its line is begun); `end`: where the head ends in the source (its '{', else the end of
    // the declaration). A piece after which the source has a comment ends its line (the
    // comment follows it there); one before which it has a comment on its own line starts one.
    void head(std::vector<piece> pieces, int indent, bool brace, std::uint32_t end);

    // Positions.
    [[nodiscard]] std::uint32_t closing_brace(span s) const;
    [[nodiscard]] std::uint32_t keyword_before(std::uint32_t pos) const;
    [[nodiscard]] std::uint32_t skip_back_trivia(std::uint32_t pos) const;
    // The end of the source line `pos` is on (its '\n', or the end of the text).
    [[nodiscard]] std::uint32_t end_of_line(std::uint32_t pos) const;
    // The first token at or after `pos` (past whitespace and comments).
    [[nodiscard]] std::uint32_t next_token(std::size_t pos) const;

    const ast::regulation& r_;
    std::string_view text_;
    const std::vector<span>& comments_;
    keywords::lang lang_;
    emitter out_;
    std::string lead_;  // `add ` / `replace `, written by the next begin()
    std::uint32_t lead_anchor_ = 0;
};

bool formatter::has_comment(span s) const {
    // Comments are sorted by position.
    const auto it = std::lower_bound(comments_.begin(), comments_.end(), s.begin,
                                     [](span c, std::uint32_t at) { return c.begin < at; });
    return it != comments_.end() && it->begin < s.end;
}

chunk formatter::expr(const ast::expr& e, int min, bool open, int indent, bool wrap) {
    const bool is_if = std::holds_alternative<ast::if_expr>(e.kind);
    if (precedence_of(e) < min || (is_if && !open)) {
        // A parenthesised `if` breaks as an unparenthesised one does, a rung per line.
        chunk c;
        c.add("(").add(expr_inner(e, true, indent, wrap && is_if)).add(")");
        return c;
    }
    return expr_inner(e, open, indent, wrap);
}

chunk formatter::expr_inner(const ast::expr& e, bool open, int indent, bool wrap) {
    chunk c;
    std::visit(
        overloaded{
            [&](const ast::number_lit& n) { c.add(ast::number_text(n)); },
            [&](const ast::bool_lit& b) { c.add(k(b.value ? kw::true_ : kw::false_)); },
            [&](const ast::string_lit& s) { c.add(ast::quoted(s.value)); },
            [&](const ast::date_lit& d) {
                c.add(fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day));
            },
            [&](const ast::name_ref& n) { c.add(n.name); },
            [&](const ast::member_ref& m) {
                c.add(expr(*m.object, p_postfix, false, indent)).add(".").add(m.field);
            },
            [&](const ast::points_ref& p) {
                switch (p.what) {
                    case ast::points_ref::kind::total:
                        c.add(k(kw::total));
                        break;
                    case ast::points_ref::kind::bonus:
                        c.add(k(kw::bonus));
                        break;
                    case ast::points_ref::kind::deduction:
                        c.add(k(kw::deduction));
                        break;
                    case ast::points_ref::kind::section:
                        c.add(k(kw::section)).add(" ").add(p.id);
                        break;
                    case ast::points_ref::kind::criterion:
                        c.add(k(kw::criterion)).add(" ").add(p.id);
                        break;
                }
            },
            [&](const ast::unary& u) {
                if (u.what == ast::unary::op::neg) {
                    c.add("-").add(expr(*u.operand, p_neg, open, indent));
                } else {
                    c.add(k(kw::not_)).add(" ").add(expr(*u.operand, p_not, open, indent));
                }
            },
            [&](const ast::binary& b) {
                const int p = precedence_of(e);
                // Chains are left-associative; comparisons take no comparison operand.
                const int lhs_min = p;
                const int rhs_min = p == p_cmp ? p_add : p + 1;
                const bool logical = p == p_or || p == p_and;
                // A too-long and/or chain breaks before each operator; any chain (and, or,
                // + -, * /) breaks before an operator whose right operand has a comment before
                // it in the source, so that the comment stays between the two operands.
                const bool chain_wrap = (logical && wrap)
                                        || ((logical || p == p_add || p == p_mul)
                                            && has_comment({b.lhs->where.end, b.rhs->where.begin}));
                // Arithmetic and comparisons pass the break on to their operands (an aggregate
                // or an `if` inside `20 - sum(...)` breaks); an and/or chain breaks itself.
                const bool operand_wrap = wrap && !logical;
                c.add(expr(*b.lhs, p == p_cmp ? p_add : lhs_min, false, indent, wrap));
                std::string_view op = ast::op_text(b.what);
                if (b.what == ast::binary::op::and_) {
                    op = k(kw::and_);
                } else if (b.what == ast::binary::op::or_) {
                    op = k(kw::or_);
                }
                if (chain_wrap) {
                    // Comments after the operator go before its line too.
                    c.newline(b.rhs->where.begin, indent + 1, indent + 1);
                } else {
                    c.add(" ");
                }
                c.add(op).add(" ").add(
                    expr(*b.rhs, rhs_min, open, indent + (chain_wrap ? 1 : 0), operand_wrap));
            },
            [&](const ast::call& call) {
                c.add(call.function).add("(");
                for (std::size_t i = 0; i < call.args.size(); ++i) {
                    if (i > 0) {
                        c.add(", ");
                    }
                    c.add(expr(*call.args[i], p_any, true, indent, wrap));
                }
                c.add(")");
            },
            [&](const ast::aggregate& a) {
                c.add(ast::aggregate_text(a.what)).add("(");
                if (a.variable.empty()) {
                    c.add(expr(*a.list, p_any, true, indent)).add(")");
                    return;
                }
                c.add(a.variable).add(" ").add(k(kw::in)).add(" ");
                c.add(expr(*a.list, p_any, true, indent));
                if (a.where) {
                    c.add(" ").add(k(kw::where)).add(" ").add(expr(*a.where, p_any, true, indent));
                }
                if (a.body) {
                    c.add(":");
                    // Broken after the ':' also when a comment comes before the body.
                    const std::uint32_t colon = (a.where ? a.where : a.list)->where.end;
                    if (wrap || has_comment({colon, a.body->where.begin})) {
                        c.newline(a.body->where.begin, indent + 1, indent + 1);
                        // The body on its line, itself broken when still too long (a ladder).
                        chunk body = expr(*a.body, p_any, true, indent + 1);
                        if (4 * static_cast<std::size_t>(indent + 1) + body.first_width() + 1
                            > line_limit) {
                            body = expr(*a.body, p_any, true, indent + 1, true);
                        }
                        c.add(body);
                    } else {
                        c.add(" ").add(expr(*a.body, p_any, true, indent));
                    }
                }
                c.add(")");
            },
            [&](const ast::if_expr& i) {
                // Broken when too long, or when it holds a comment (which then stays before or
                // after its rung).
                if (!wrap && !has_comment(e.where)) {
                    c.add(k(kw::if_)).add(" ").add(expr(*i.condition, p_any, true, indent));
                    c.add(" ").add(k(kw::then)).add(" ");
                    c.add(expr(*i.then_value, p_any, true, indent));
                    c.add(" ").add(k(kw::else_)).add(" ");
                    c.add(expr(*i.else_value, p_any, open, indent));
                    return;
                }
                // Broken: each `else` starts a line one level deeper, and an `else if` chain
                // stays at that level (`if a then 1` / `else if b then 2` / `else 3`).
                const ast::if_expr* at = &i;
                int line = indent;  // the level of the line the current `if` is on
                for (;;) {
                    c.add(k(kw::if_)).add(" ").add(expr(*at->condition, p_any, true, line));
                    c.add(" ").add(k(kw::then)).add(" ");
                    c.add(expr(*at->then_value, p_any, true, line));
                    const ast::expr& otherwise = *at->else_value;
                    c.newline(otherwise.where.begin, indent + 1, indent + 1);
                    c.add(k(kw::else_)).add(" ");
                    const auto* next = std::get_if<ast::if_expr>(&otherwise.kind);
                    if (next == nullptr) {
                        c.add(expr(otherwise, p_any, open, indent + 1, true));
                        break;
                    }
                    at = next;
                    line = indent + 1;
                }
            },
            [&](const ast::when_expr& w) { c.add(when_block(e, w, indent)); },
            [&](const ast::match_expr& m) { c.add(match_block(e, m, indent)); },
            [&](const ast::presence& p) {
                c.add(expr(*p.operand, p_add, false, indent)).add(" ").add(k(kw::is)).add(" ");
                c.add(k(p.absent ? kw::absent : kw::present));
            },
        },
        e.kind);
    return c;
}

chunk formatter::block(kw word, const ast::expr& e, const ast::expr& subject,
                       const std::vector<block_entry>& entries, const ast::expr* else_value,
                       std::uint32_t else_at, int else_min, int indent) {
    auto head = [&] {
        chunk c;
        c.add(k(word)).add(" ").add(expr(subject, p_any, true, indent)).add(" {");
        return c;
    };
    // On one line when short, flat and without comments: `match party { xs: 8  tot: 6 }`,
    // `when r { >= 90%: 100  else: 50 }`.
    chunk inline_form = head();
    for (const auto& en : entries) {
        inline_form.add(" ").add(en.write(indent, false)).add(" ");
    }
    if (else_value != nullptr) {
        inline_form.add(" ").add(k(kw::else_)).add(": ");
        inline_form.add(expr(*else_value, else_min, true, indent)).add(" ");
    }
    inline_form.add("}");
    if (inline_form.flat() && inline_form.first_width() <= 60 && !has_comment(e.where)) {
        return inline_form;
    }
    // An entry whose line would pass the limit is broken as a statement is (a long ladder).
    const auto fits = [&](const chunk& entry) {
        return 4 * static_cast<std::size_t>(indent + 1) + entry.first_width() <= line_limit;
    };
    chunk c = head();
    for (const auto& en : entries) {
        c.newline(en.at, indent + 1, indent + 1);
        chunk entry = en.write(indent + 1, false);
        c.add(fits(entry) ? entry : en.write(indent + 1, true));
    }
    if (else_value != nullptr) {
        c.newline(else_at, indent + 1, indent + 1);
        const std::string lead = fmt::format("{}: ", k(kw::else_));
        chunk value = expr(*else_value, else_min, true, indent + 1);
        if (!fits(chunk().add(lead).add(value))) {
            value = expr(*else_value, else_min, true, indent + 1, true);
        }
        c.add(lead).add(value);
    }
    c.newline(e.where.end - 1, indent, indent + 1);
    c.add("}");
    return c;
}

chunk formatter::when_block(const ast::expr& e, const ast::when_expr& w, int indent) {
    std::vector<block_entry> bands;
    for (const auto& b : w.bands) {
        bands.push_back({b.where.begin, [this, &b](int level, bool wrap) {
                             chunk c;
                             c.add(ast::band_text(b.compare)).add(" ");
                             c.add(expr(*b.bound, p_add, true, level)).add(": ");
                             c.add(expr(*b.value, p_add, false, level, wrap));
                             return c;
                         }});
    }
    return block(kw::when, e, *w.subject, bands, w.else_value.get(), w.else_span.begin, p_add,
                 indent);
}

chunk formatter::match_block(const ast::expr& e, const ast::match_expr& m, int indent) {
    std::vector<block_entry> arms;
    for (const auto& a : m.arms) {
        arms.push_back({a.member_span.begin, [this, &a](int level, bool wrap) {
                            chunk c;
                            c.add(a.member).add(": ").add(expr(*a.value, p_any, true, level, wrap));
                            return c;
                        }});
    }
    return block(kw::match, e, *m.subject, arms, m.else_value.get(), m.else_span.begin, p_any,
                 indent);
}

void formatter::statement_expr(const ast::expr& e, int indent) {
    chunk c = expr(e, p_any, true, indent);
    if (out_.column() + c.first_width() > line_limit) {
        c = expr(e, p_any, true, indent, true);
    }
    out_.put(c);
}

// ---------------------------------------------------------------------------------------------
// Tests

std::string formatter::points_target(const ast::points_ref& p) const {
    switch (p.what) {
        case ast::points_ref::kind::total:
            return std::string(k(kw::total));
        case ast::points_ref::kind::bonus:
            return std::string(k(kw::bonus));
        case ast::points_ref::kind::deduction:
            return std::string(k(kw::deduction));
        case ast::points_ref::kind::section:
            return fmt::format("{} {}", k(kw::section), p.id);
        case ast::points_ref::kind::criterion:
            return fmt::format("{} {}", k(kw::criterion), p.id);
    }
    return "?";
}

// A value on one line (a list only when empty: test_field writes the others).
std::string formatter::test_value(const ast::test_value& v) const {
    switch (v.what) {
        case ast::test_value::kind::number:
            return ast::number_text(v.number);
        case ast::test_value::kind::boolean:
            return std::string(k(v.boolean ? kw::true_ : kw::false_));
        case ast::test_value::kind::text:
            return ast::quoted(v.text);
        case ast::test_value::kind::member:
            return v.text;
        case ast::test_value::kind::date:
            return fmt::format("{:04}-{:02}-{:02}", v.date.year, v.date.month, v.date.day);
        case ast::test_value::kind::list:
            return "[]";
    }
    return "?";
}

void formatter::test_field(const ast::test_field& f, int indent) {
    out_.line(indent, f.where.begin);
    out_.put(f.name + " = ");
    if (f.value.what != ast::test_value::kind::list || f.value.rows.empty()) {
        out_.put(test_value(f.value));
        return;
    }
    out_.put("[");
    for (std::size_t i = 0; i < f.value.rows.size(); ++i) {
        test_row(f.value.rows[i], f.value.row_spans[i], indent + 1);
    }
    // The list's ']' ends its span.
    const span w = f.value.where;
    out_.close(indent, w.end > w.begin ? w.end - 1 : w.end, ']');
}

void formatter::test_row(const std::vector<ast::test_field>& fields, span where, int indent) {
    out_.line(indent, where.begin);
    // `{ name = "A", target = 10 }` when it fits, holds no list and no comment.
    std::string flat = "{";
    bool nested = false;
    for (const auto& f : fields) {
        nested = nested || (f.value.what == ast::test_value::kind::list && !f.value.rows.empty());
        flat += fmt::format("{} {} = {}", flat.size() > 1 ? "," : "", f.name, test_value(f.value));
    }
    flat += fields.empty() ? "}" : " }";
    if (!nested && !has_comment(where) && out_.column() + utf8_width(flat) <= line_limit) {
        out_.put(flat);
        return;
    }
    out_.put("{");
    for (const auto& f : fields) {
        test_field(f, indent + 1);
    }
    out_.close(indent, closing_brace(where));
}

void formatter::test_unit(const ast::test_unit& u, int indent) {
    out_.line(indent, u.where.begin);
    // `unit "A" { a = 1  b = xs }` when it fits, holds no list rows and no comment (as a short
    // `match` does); otherwise one field per line.
    std::string flat = fmt::format("{} {} {{", k(kw::unit), ast::quoted(u.name));
    bool nested = false;
    for (std::size_t i = 0; i < u.fields.size(); ++i) {
        const auto& f = u.fields[i];
        nested = nested || (f.value.what == ast::test_value::kind::list && !f.value.rows.empty());
        flat += fmt::format("{}{} = {}", i == 0 ? " " : "  ", f.name, test_value(f.value));
    }
    flat += u.fields.empty() ? "}" : " }";
    if (!nested && !has_comment(u.where) && out_.column() + utf8_width(flat) <= line_limit) {
        out_.put(flat);
        return;
    }
    out_.put(fmt::format("{} {} {{", k(kw::unit), ast::quoted(u.name)));
    for (const auto& f : u.fields) {
        test_field(f, indent + 1);
    }
    out_.close(indent, closing_brace(u.where));
}

void formatter::expectation(const ast::expectation& x, int indent) {
    out_.line(indent, x.where.begin);
    std::vector<std::string> units;
    for (const auto& u : x.units) {
        units.push_back(ast::quoted(u));
    }
    std::string s = fmt::format("{} ", k(kw::expect));
    const std::string negated = x.negated ? fmt::format("{} ", k(kw::not_)) : std::string();
    switch (x.what) {
        case ast::expectation::kind::tie:
            s += fmt::format("{} {}", k(kw::tie), fmt::join(units, ", "));
            break;
        case ast::expectation::kind::conflict:
            s += fmt::format("{} {} {}", k(kw::conflict), x.award, fmt::join(units, ", "));
            break;
        case ast::expectation::kind::points:
            s += fmt::format("{} {} == {}", units.front(), points_target(x.target),
                             ast::number_text(x.value));
            if (x.within) {
                s += fmt::format(" {} {}", k(kw::within), ast::number_text(*x.within));
            }
            break;
        case ast::expectation::kind::rank:
            s += fmt::format("{} {} == {}", units.front(), k(kw::rank), x.rank_from);
            if (x.rank_to != x.rank_from) {
                s += fmt::format("..{}", x.rank_to);
            }
            break;
        case ast::expectation::kind::award:
            s += fmt::format("{} {} {}", units.front(), k(kw::award), x.award);
            break;
        case ast::expectation::kind::award_pending:
            s += fmt::format("{} {} {} {}", units.front(), k(kw::award), x.award, k(kw::pending));
            break;
        case ast::expectation::kind::no_award:
            s += fmt::format("{} {}", units.front(), words({kw::no, kw::award}));
            break;
        case ast::expectation::kind::excluded:
            s += fmt::format("{} {}{}", units.front(), negated, k(kw::excluded));
            break;
        case ast::expectation::kind::ineligible:
            s += x.eligible_word
                     ? fmt::format("{} {}", units.front(), k(kw::eligible))
                     : fmt::format("{} {}{}", units.front(), negated, k(kw::ineligible));
            break;
    }
    out_.put(s);
}

void formatter::test(const ast::test_decl& t) {
    out_.line(0, t.where.begin);
    out_.put(fmt::format("{} {} {{", k(kw::test), ast::quoted(t.title)));
    // data, units and expectations are kept apart in the AST: written in the order of the source.
    std::vector<declaration> statements;
    if (t.data) {
        const std::uint32_t at = keyword_before(t.data_span.begin);
        statements.push_back({at, [this, &t, at] {
                                  out_.line(1, at);
                                  out_.put(fmt::format("{} {}", k(kw::data), ast::quoted(*t.data)));
                              }});
    }
    for (const auto& u : t.units) {
        statements.push_back({u.where.begin, [this, &u] { test_unit(u, 1); }});
    }
    for (const auto& x : t.expectations) {
        statements.push_back({x.where.begin, [this, &x] { expectation(x, 1); }});
    }
    std::stable_sort(statements.begin(), statements.end(),
                     [](const declaration& a, const declaration& b) { return a.at < b.at; });
    for (const auto& st : statements) {
        st.write();
    }
    out_.close(0, closing_brace(t.where));
}

std::string formatter::run_tests(const ast::test_file& f) {
    out_.line(0, first_token());
    out_.put(fmt::format("{} {}", words({kw::tests, kw::for_}), ast::quoted(f.regulation_path)));
    for (const auto& t : f.tests) {
        test(t);
    }
    return out_.finish();
}

// ---------------------------------------------------------------------------------------------
// Positions

std::uint32_t formatter::skip_back_trivia(std::uint32_t pos) const {
    // Back over whitespace and comments to just after the previous token.
    while (pos > 0) {
        const char c = text_[pos - 1];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            --pos;
            continue;
        }
        // The last comment starting before pos, if pos is inside it or at its end.
        const auto it = std::lower_bound(comments_.begin(), comments_.end(), pos,
                                         [](span s, std::uint32_t at) { return s.begin < at; });
        if (it == comments_.begin() || std::prev(it)->end < pos) {
            break;
        }
        pos = std::prev(it)->begin;
    }
    return pos;
}

std::uint32_t formatter::end_of_line(std::uint32_t pos) const {
    const std::size_t nl = text_.find('\n', pos);
    return static_cast<std::uint32_t>(nl == std::string_view::npos ? text_.size() : nl);
}

std::vector<formatter::region> formatter::regions(const std::vector<std::uint32_t>& begins,
                                                  std::uint32_t from, std::uint32_t to) const {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < begins.size(); ++i) {
        if (begins[i] != no_anchor) {
            order.push_back(i);
        }
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return begins[a] < begins[b]; });
    std::vector<region> out(begins.size(), region{no_anchor, no_anchor});
    std::uint32_t lead = from;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::uint32_t begin = begins[order[k]];
        const std::uint32_t next = k + 1 < order.size() ? begins[order[k + 1]] : to;
        // The clause ends at its last token: the next clause (or the end) less the trivia.
        const std::uint32_t end = std::max(skip_back_trivia(next), begin);
        const std::uint32_t trail = std::max(std::min(end_of_line(end), next), lead);
        out[order[k]] = {std::min(lead, begin), trail};
        lead = trail;
    }
    return out;
}

formatter::head_scan formatter::head_clauses(std::uint32_t from, std::uint32_t to, kw a, kw b,
                                             const std::vector<piece>& places,
                                             std::vector<span> more) const {
    for (const auto& p : places) {
        more.push_back({p.begin, p.end});
    }
    const scanned found = scan(from, to, {{a}, {b}}, more);
    head_scan out;
    out.stop = found.stop;
    for (const auto& [opener, where] : found.starts) {
        (opener == 0 ? out.a : out.b) = where;
    }
    return out;
}

formatter::scanned formatter::scan(std::uint32_t from, std::uint32_t to,
                                   const std::vector<std::vector<kw>>& openers,
                                   const std::vector<span>& opaque) const {
    scanned out;
    out.stop = std::min(to, static_cast<std::uint32_t>(text_.size()));
    std::uint32_t pos = from;
    for (;;) {
        pos = next_token(pos);
        if (pos >= out.stop) {
            return out;
        }
        const auto skipped = std::find_if(opaque.begin(), opaque.end(),
                                          [&](span o) { return o.begin <= pos && pos < o.end; });
        if (skipped != opaque.end()) {
            pos = skipped->end;
            continue;
        }
        const char c = text_[pos];
        if (c == '{' || c == '}') {
            out.stop = pos;
            return out;
        }
        if (c == '"') {
            // A string stays on its line; `\"` does not end it.
            for (++pos; pos < text_.size() && text_[pos] != '"' && text_[pos] != '\n'; ++pos) {
                if (text_[pos] == '\\') {
                    ++pos;
                }
            }
            ++pos;
            continue;
        }
        bool opened = false;
        for (std::size_t i = 0; i < openers.size() && !opened; ++i) {
            std::uint32_t p = pos;
            bool all = true;
            for (std::size_t w = 0; w < openers[i].size() && all; ++w) {
                if (w > 0) {
                    p = next_token(p);
                }
                const std::size_t n = keywords::match_keyword(openers[i][w], text_.substr(p));
                all = n > 0;
                p += static_cast<std::uint32_t>(n);
            }
            if (all) {
                out.starts.emplace_back(i, pos);
                pos = p;
                opened = true;
            }
        }
        if (opened) {
            continue;
        }
        // Past one token: a word (numbers included), else one byte.
        if (!keywords::starts_with_ident_char(text_.substr(pos))) {
            ++pos;
            continue;
        }
        while (pos < out.stop && keywords::starts_with_ident_char(text_.substr(pos))) {
            const auto lead = static_cast<unsigned char>(text_[pos]);
            pos += lead < 0x80U ? 1U : lead < 0xE0U ? 2U : lead < 0xF0U ? 3U : 4U;
        }
    }
}

std::uint32_t formatter::keyword_before(std::uint32_t pos) const {
    // The start of the keyword words before `pos` on the same line (`scale` before `100`).
    pos = skip_back_trivia(pos);
    while (pos > 0) {
        const auto c = static_cast<unsigned char>(text_[pos - 1]);
        if (c == '\n'
            || !(c == ' ' || c == '\t' || c == '_' || c >= 0x80U || std::isalnum(c) != 0)) {
            break;
        }
        --pos;
    }
    while (pos < text_.size() && (text_[pos] == ' ' || text_[pos] == '\t')) {
        ++pos;
    }
    return pos;
}

std::uint32_t formatter::closing_brace(span s) const {
    std::uint32_t p = s.end;
    while (p > s.begin && text_[p - 1] != '}') {
        --p;
    }
    return p > s.begin ? p - 1 : s.end;
}

std::uint32_t formatter::first_token() const {
    // After a byte order mark, whitespace and comments.
    return next_token(text_.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0);
}

std::uint32_t formatter::next_token(std::size_t pos) const {
    while (pos < text_.size()) {
        const char c = text_[pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++pos;
        } else if (c == '#') {
            while (pos < text_.size() && text_[pos] != '\n') {
                ++pos;
            }
        } else {
            break;
        }
    }
    return static_cast<std::uint32_t>(pos);
}

// ---------------------------------------------------------------------------------------------
// Declarations

void formatter::head(std::vector<piece> pieces, int indent, bool brace, std::uint32_t end) {
    std::vector<std::uint32_t> begins;
    begins.reserve(pieces.size());
    for (const auto& p : pieces) {
        begins.push_back(p.begin);
    }
    const std::vector<region> rs = regions(begins, pieces.front().begin, end);
    // An optional piece is written when its region holds a comment, or the '{' ending its line
    // has one (that comment stays after the '{', so on its line).
    std::vector<const piece*> written;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const piece& p = pieces[i];
        if (!p.optional
            || (p.begin != no_anchor
                && (has_comment({rs[i].lead, rs[i].trail})
                    || (brace && rs[i].trail == end && has_comment({end, end_of_line(end)}))))) {
            written.push_back(&p);
        }
    }
    if (brace) {
        pieces[static_cast<std::size_t>(written.back() - pieces.data())].text.add(" {");
    }
    for (const piece* w : written) {
        const piece& p = *w;
        const std::size_t i = static_cast<std::size_t>(w - pieces.data());
        const bool sourced = p.begin != no_anchor;
        if (i > 0) {
            const bool leading = sourced && has_comment({rs[i].lead, p.begin});
            if (leading || out_.line_has_comment()
                || (!p.glued && out_.column() + 1 + p.text.first_width() > line_limit)) {
                if (leading) {
                    out_.flush_range(rs[i].lead, p.begin, indent + 2);
                }
                out_.line(indent + 2, no_anchor);
            } else {
                out_.put(" ");
            }
        }
        if (!sourced) {
            out_.put(p.text);
            continue;
        }
        const std::uint32_t saved = out_.floor(rs[i].lead);
        out_.put(p.text);
        // A second comment goes on a line of its own: in the head, or after the last piece where
        // the next format finds it, before the block's first line (or the next declaration).
        const int level = w != written.back() ? indent + 2 : brace ? indent + 1 : indent;
        out_.flush_range(rs[i].lead, rs[i].trail, level);
        out_.floor(saved);
    }
}

formatter::piece formatter::text_piece(std::string text, std::uint32_t begin) const {
    piece p;
    p.text.add(text);
    p.begin = begin;
    return p;
}

formatter::piece formatter::max_piece(const ast::number_lit& n) const {
    // `max N` stays after the label (glued) unless a comment comes between them in the source.
    piece p = text_piece(fmt::format("{} {}", k(kw::max), ast::number_text(n)),
                         keyword_before(n.where.begin));
    p.glued = true;
    return p;
}

void formatter::clauses(const std::vector<clause>& cs, std::uint32_t open, std::uint32_t close,
                        int indent) {
    std::vector<std::uint32_t> begins;
    begins.reserve(cs.size());
    std::uint32_t first = close;
    for (const auto& c : cs) {
        begins.push_back(c.begin);
        if (c.begin != no_anchor) {
            first = std::min(first, c.begin);
        }
    }
    // A comment after the '{' stays on the head's line, whichever clause comes first.
    const std::uint32_t head_end = std::min(end_of_line(open), first);
    out_.flush_range(open, head_end, indent);
    const std::vector<region> rs = regions(begins, head_end, close);
    for (std::size_t i = 0; i < cs.size(); ++i) {
        if (cs[i].optional
            && !(cs[i].begin != no_anchor && has_comment({rs[i].lead, rs[i].trail}))) {
            continue;
        }
        if (cs[i].begin == no_anchor) {
            out_.line(indent, no_anchor);
            cs[i].write();
            continue;
        }
        const std::uint32_t saved = out_.floor(rs[i].lead);
        out_.line(indent, cs[i].begin);
        cs[i].write();
        out_.flush_range(rs[i].lead, rs[i].trail, indent);
        out_.floor(saved);
    }
}

void formatter::begin(int indent, std::uint32_t anchor) {
    if (lead_.empty()) {
        out_.line(indent, anchor);
        return;
    }
    out_.line(indent, lead_anchor_);
    out_.put(lead_);
    lead_.clear();
}

void formatter::scale(const ast::number_lit& n) {
    begin(1, keyword_before(n.where.begin));
    out_.put(fmt::format("{} {}", k(kw::scale), ast::number_text(n)));
}

void formatter::rounding(const ast::rounding_rule& rr) {
    static constexpr kw targets[] = {kw::criterion, kw::section, kw::bonus, kw::deduction,
                                     kw::total};
    static constexpr kw modes[] = {kw::half_up, kw::half_even, kw::down, kw::up};
    begin(1, rr.where.begin);
    out_.put(fmt::format("{} {} {} {}", k(kw::rounding), k(targets[static_cast<int>(rr.at)]),
                         ast::number_text(rr.step), k(modes[static_cast<int>(rr.how)])));
}

void formatter::enumeration(const ast::enum_decl& e) {
    begin(1, e.where.begin);
    out_.put(fmt::format("{} {}{} {{", k(kw::enum_), e.name,
                         e.ordered ? fmt::format(" {}", k(kw::ordered)) : std::string()));
    for (const auto& m : e.members) {
        out_.line(2, m.where.begin);
        out_.put(m.label.empty() ? m.name : fmt::format("{} {}", m.name, ast::quoted(m.label)));
    }
    out_.close(1, closing_brace(e.where));
}

void formatter::field(const ast::field_decl& f, int indent) {
    out_.line(indent, f.where.begin);
    out_.put(f.name + ": ");
    static constexpr kw types[] = {kw::number, kw::integer, kw::bool_, kw::date, kw::text};
    const std::string optional = f.type.optional ? "?" : "";
    std::string label = f.label.empty() ? std::string() : " " + ast::quoted(f.label);
    if (f.range) {
        label = fmt::format(" {} {}", k(kw::in), ast::range_text(*f.range)) + label;
    }
    switch (f.type.what) {
        case ast::type_ref::kind::enumeration:
            out_.put(f.type.enum_name + optional + label);
            return;
        case ast::type_ref::kind::list:
            out_.put(fmt::format("{} {{", k(kw::list)));
            for (const auto& sub : f.type.fields) {
                field(sub, indent + 1);
            }
            out_.close(indent, closing_brace(f.type.where));
            out_.put(optional + label);
            return;
        default:
            out_.put(std::string(k(types[static_cast<int>(f.type.what)])) + optional + label);
            return;
    }
}

void formatter::input(const std::vector<ast::field_decl>& fields, std::uint32_t keyword) {
    begin(1, keyword);
    out_.put(fmt::format("{} {{", k(kw::input)));
    for (const auto& f : fields) {
        field(f, 2);
    }
    // The input block has no span of its own: its '}' is the first one after the last field.
    const std::uint32_t end = fields.back().where.end;
    const auto brace = text_.find('}', end);
    out_.close(1, brace == std::string_view::npos ? end : static_cast<std::uint32_t>(brace));
}

void formatter::section(const ast::section& s, const std::vector<piece>& places, bool header_only) {
    begin(1, s.where.begin);
    const auto [cite_at, combine_at, stop] =
        head_clauses(s.id_span.end, s.where.end, kw::cite, kw::combine, places);
    std::vector<piece> pieces{
        text_piece(fmt::format("{} {} {}", k(kw::section), s.id, ast::quoted(s.label)),
                   s.where.begin),
        max_piece(s.max)};
    if (s.cite) {
        pieces.push_back(
            text_piece(fmt::format("{} {}", k(kw::cite), ast::quoted(*s.cite)), cite_at));
    }
    const bool rescaled = s.combine == ast::section::combine_mode::rescaled;
    if (rescaled || combine_at != no_anchor) {
        pieces.push_back(
            text_piece(fmt::format("{} {}", k(kw::combine), k(rescaled ? kw::rescaled : kw::sum)),
                       combine_at));
        pieces.back().optional = !rescaled;
    }
    pieces.insert(pieces.end(), places.begin(), places.end());
    head(std::move(pieces), 1, !header_only, stop);
    if (header_only) {
        return;
    }
    for (const auto& c : s.criteria) {
        criterion(c, 2);
    }
    out_.close(1, closing_brace(s.where));
}

void formatter::criterion(const ast::criterion& c, int indent, const std::vector<piece>& places) {
    begin(indent, c.where.begin);
    std::vector<span> condition;
    if (c.applies_when) {
        condition.push_back(c.applies_when->where);
    }
    const auto [cite_at, applies_at, stop] =
        head_clauses(c.id_span.end, c.where.end, kw::cite, kw::applies, places, condition);
    std::vector<piece> pieces{
        text_piece(fmt::format("{} {} {}", k(kw::criterion), c.id, ast::quoted(c.label)),
                   c.where.begin),
        max_piece(c.max)};
    if (c.cite) {
        pieces.push_back(
            text_piece(fmt::format("{} {}", k(kw::cite), ast::quoted(*c.cite)), cite_at));
    }
    bool glued = false;
    if (c.applies_when) {
        piece applies;
        applies.text.add(fmt::format("{} {} ", k(kw::applies), k(kw::when)));
        applies.text.add(expr(*c.applies_when, p_any, true, indent + 2));
        applies.begin = applies_at;
        // A condition broken over lines is not moved to a line of its own, nor what follows it.
        glued = !applies.text.flat();
        applies.glued = glued;
        pieces.push_back(std::move(applies));
    }
    for (piece p : places) {
        p.glued = glued;
        pieces.push_back(std::move(p));
    }
    head(std::move(pieces), indent, true, stop);
    body(c.body, indent + 1);
    out_.close(indent, closing_brace(c.where));
}

void formatter::body(const ast::scoring_body& b, int indent) {
    for (const auto& l : b.lets) {
        out_.line(indent, l.where.begin);
        out_.put(fmt::format("{} {} = ", k(kw::let), l.name));
        statement_expr(*l.value, indent);
    }
    out_.line(indent, b.points_span.begin);
    out_.put(fmt::format("{} = ", k(kw::points)));
    statement_expr(*b.points, indent);
}

void formatter::group(const ast::group& g, bool header_only) {
    begin(1, g.where.begin);
    std::vector<piece> pieces{text_piece(
        fmt::format("{} {}", k(g.what == ast::group::kind::bonus ? kw::bonus : kw::deduction),
                    ast::quoted(g.label)),
        g.where.begin)};
    if (g.max) {
        pieces.push_back(max_piece(*g.max));
    }
    head(std::move(pieces), 1, !header_only, scan(g.label_span.end, g.where.end, {}, {}).stop);
    if (header_only) {
        return;
    }
    for (const auto& it : g.items) {
        item(it, 2);
    }
    out_.close(1, closing_brace(g.where));
}

void formatter::item(const ast::group_item& it, int indent, const std::vector<piece>& places) {
    begin(indent, it.where.begin);
    const auto [max_at, cite_at, stop] =
        head_clauses(it.label_span.end, it.where.end, kw::max, kw::cite, places);
    std::vector<piece> pieces{
        text_piece(fmt::format("{} {}", k(kw::item), ast::quoted(it.label)), it.where.begin)};
    if (it.max) {
        pieces.push_back(
            text_piece(fmt::format("{} {}", k(kw::max), ast::number_text(*it.max)), max_at));
    }
    if (it.cite) {
        pieces.push_back(
            text_piece(fmt::format("{} {}", k(kw::cite), ast::quoted(*it.cite)), cite_at));
    }
    pieces.insert(pieces.end(), places.begin(), places.end());
    head(std::move(pieces), indent, true, stop);
    body(it.body, indent + 1);
    out_.close(indent, closing_brace(it.where));
}

void formatter::knockout(const ast::knockout& ko) {
    begin(1, ko.where.begin);
    out_.put(fmt::format("{} {}",
                         k(ko.what == ast::knockout::kind::exclude ? kw::exclude : kw::ineligible),
                         ast::quoted(ko.label)));
    condition(k(kw::when), *ko.condition, 1, ko.where.begin);
}

void formatter::condition(std::string_view word, const ast::expr& e, int indent,
                          std::uint32_t from) {
    // `label word condition`, or the condition on the next line, 1 level deeper, when too long.
    const chunk cond = expr(e, p_any, true, indent);
    const std::size_t needed = 1 + utf8_width(word) + (word.empty() ? 0 : 1) + cond.first_width();
    const bool commented = has_comment({from, e.where.begin});
    if (commented || out_.column() + needed > line_limit) {
        // The comments between the label and the condition stay after the label.
        out_.flush_range(from, e.where.begin, indent + 1);
        out_.line(indent + 1, no_anchor);
        ++indent;
    } else {
        out_.put(" ");
    }
    if (!word.empty()) {
        out_.put(word);
        out_.put(" ");
    }
    statement_expr(e, indent);
}

void formatter::keys(std::string_view lead, const std::vector<ast::ranking_key>& ks,
                     const std::string& tail, std::uint32_t tail_at) {
    // `by K1, K2, ...` on the current line, breaking before a key that would pass the limit
    // (continuation lines one level deeper); a key is laid out for the level of its line.
    out_.put(lead);
    // A comment between the last key and the tail (the first place's `ties` on the next line)
    // stays before the tail, which then starts a line of its own.
    const bool tail_apart =
        !tail.empty() && tail_at != no_anchor && has_comment({ks.back().where.end, tail_at});
    auto key_chunk = [&](std::size_t i, int level) {
        chunk c = expr(*ks[i].key, p_any, true, level);
        c.add(" ").add(k(ks[i].descending ? kw::desc : kw::asc));
        if (i + 1 < ks.size()) {
            c.add(",");
        } else if (!tail.empty() && !tail_apart) {
            c.add(" ").add(tail);
        }
        return c;
    };
    for (std::size_t i = 0; i < ks.size(); ++i) {
        if (i == 0) {
            out_.put(" ");
            out_.put(key_chunk(i, 2));
            continue;
        }
        const chunk same_line = key_chunk(i, 2);
        // A comment between two keys stays after the first: the next goes on a line of its own.
        if (has_comment({ks[i - 1].where.end, ks[i].where.begin})
            || out_.column() + 1 + same_line.first_width() > line_limit) {
            out_.line(3, ks[i].where.begin);
            out_.put(key_chunk(i, 3));
        } else {
            out_.put(" ");
            out_.put(same_line);
        }
    }
    if (tail_apart) {
        out_.line(3, tail_at);
        out_.put(tail);
    }
}

void formatter::ranking(const ast::ranking_decl& rd) {
    static constexpr kw modes[] = {kw::shared, kw::unresolved};
    begin(1, rd.where.begin);
    out_.put(fmt::format("{} {{", k(kw::ranking)));
    const std::uint32_t open = scan(rd.where.begin, rd.where.end, {}, {}).stop;
    std::vector<span> keys_at;
    for (const auto* ks : {&rd.keys, &rd.first_place_keys}) {
        for (const auto& key : *ks) {
            keys_at.push_back(key.where);
        }
    }
    const scanned b = scan(open + 1, rd.where.end,
                           {{kw::first, kw::place, kw::by}, {kw::by}, {kw::ties}}, keys_at);
    std::uint32_t first_at = no_anchor;
    std::uint32_t by_at = no_anchor;
    std::uint32_t ties_at = no_anchor;
    std::uint32_t first_ties_at = no_anchor;
    for (const auto& [opener, at] : b.starts) {
        if (opener == 0) {
            first_at = at;
        } else if (opener == 1) {
            by_at = at;
        } else if (rd.first_place_ties && !rd.first_place_keys.empty()
                   && next_token(rd.first_place_keys.back().where.end) == at) {
            // The first place's own `ties` is the token right after its keys, on their line or
            // (the parser took it for the first place's) on the next (docs/language.md §8); a
            // later `ties`, even on that line, is the ranking's.
            first_ties_at = at;
        } else {
            ties_at = at;
        }
    }
    std::vector<clause> cs;
    if (!rd.keys.empty()) {
        cs.push_back({by_at, [&] { keys(k(kw::by), rd.keys); }});
    }
    cs.push_back({ties_at, [&] {
                      out_.put(
                          fmt::format("{} {}", k(kw::ties), k(modes[static_cast<int>(rd.ties)])));
                  }});
    if (!rd.first_place_keys.empty()) {
        cs.push_back({first_at, [&] {
                          keys(words({kw::first, kw::place, kw::by}), rd.first_place_keys,
                               rd.first_place_ties
                                   ? fmt::format("{} {}", k(kw::ties),
                                                 k(modes[static_cast<int>(*rd.first_place_ties)]))
                                   : std::string(),
                               first_ties_at);
                      }});
    }
    clauses(cs, open, b.stop, 2);
    out_.close(1, closing_brace(rd.where));
}

std::string formatter::quota(const ast::quota& q) {
    static constexpr kw roundings[] = {kw::down, kw::up, kw::nearest};
    std::string s = ast::number_text(q.amount);
    const bool percent = q.what == ast::quota::kind::percent_of_members;
    if (percent) {
        s += fmt::format(" {}", words({kw::of, kw::members}));
    }
    if (percent || q.how != ast::quota::rounding::down) {
        s += fmt::format(" {} {}", k(kw::rounded), k(roundings[static_cast<int>(q.how)]));
    }
    return s;
}

void formatter::award(const ast::award& a, const std::vector<piece>& places) {
    begin(1, a.where.begin);
    std::vector<span> opaque;
    for (const auto& p : places) {
        opaque.push_back({p.begin, p.end});
    }
    const std::uint32_t open = scan(a.id_span.end, a.where.end, {}, opaque).stop;
    std::vector<piece> pieces{text_piece(
        fmt::format("{} {} {}", k(kw::award), a.id, ast::quoted(a.label)), a.where.begin)};
    pieces.insert(pieces.end(), places.begin(), places.end());
    head(std::move(pieces), 1, true, open);

    std::vector<span> conditions;
    for (const auto& q : a.requirements) {
        conditions.push_back(q.condition->where);
    }
    const scanned b =
        scan(open + 1, a.where.end, {{kw::candidates}, {kw::require}, {kw::limit}, {kw::unused}},
             conditions);
    std::uint32_t at[4] = {no_anchor, no_anchor, no_anchor, no_anchor};
    std::vector<std::uint32_t> requires_at;
    for (const auto& [opener, where] : b.starts) {
        at[opener] = where;
        if (opener == 1) {
            requires_at.push_back(where);
        }
    }
    std::vector<clause> cs;
    cs.push_back(
        {at[0], [&] {
             if (!a.rank_from) {
                 out_.put(words({kw::candidates, kw::all}));
             } else if (*a.rank_from == *a.rank_to) {
                 out_.put(fmt::format("{} {}", words({kw::candidates, kw::rank}), *a.rank_from));
             } else {
                 out_.put(fmt::format("{} {}..{}", words({kw::candidates, kw::rank}), *a.rank_from,
                                      *a.rank_to));
             }
         }});
    for (std::size_t i = 0; i < a.requirements.size(); ++i) {
        const auto& q = a.requirements[i];
        const std::uint32_t from = i < requires_at.size() ? requires_at[i] : no_anchor;
        cs.push_back({from, [&, from] {
                          out_.put(fmt::format("{} {}", k(kw::require), ast::quoted(q.label)));
                          condition({}, *q.condition, 2, from);
                      }});
    }
    if (a.limit) {
        cs.push_back(
            {at[2], [&] { out_.put(fmt::format("{} {}", k(kw::limit), quota(*a.limit))); }});
    }
    if (a.limit || a.pass_down || at[3] != no_anchor) {
        cs.push_back({at[3],
                      [&] {
                          out_.put(a.pass_down ? words({kw::unused, kw::slots, kw::pass, kw::down})
                                               : words({kw::unused, kw::slots, kw::are, kw::lost}));
                      },
                      !a.limit && !a.pass_down});
    }
    clauses(cs, open, b.stop, 2);
    out_.close(1, closing_brace(a.where));
}

void formatter::awards_limit(const ast::quota& q) {
    begin(1, keyword_before(q.where.begin));
    out_.put(fmt::format("{} {}", words({kw::awards, kw::limit}), quota(q)));
}

void formatter::self_score(const ast::self_score_decl& s) {
    begin(1, s.where.begin);
    out_.put(fmt::format("{} {} {} {} {}", k(kw::self_score), k(kw::from), s.field,
                         k(kw::tolerance), ast::number_text(s.tolerance)));
}

void formatter::amends() {
    out_.line(0, first_token());
    out_.put(fmt::format("{} {}", k(kw::amends), ast::quoted(*r_.amends)));
}

std::vector<formatter::piece> formatter::places(const ast::amendment& a) {
    std::vector<piece> out;
    for (const auto& p : a.places) {
        std::string text;
        switch (p.what) {
            case ast::placement::kind::in_section:
                text = fmt::format("{} {} {}", k(kw::in), k(kw::section), p.ref);
                break;
            case ast::placement::kind::in_bonus:
                text = fmt::format("{} {} {}", k(kw::in), k(kw::bonus), ast::quoted(p.ref));
                break;
            case ast::placement::kind::in_deduction:
                text = fmt::format("{} {} {}", k(kw::in), k(kw::deduction), ast::quoted(p.ref));
                break;
            case ast::placement::kind::before:
                text = fmt::format("{} {}", k(kw::before), p.ref);
                break;
            case ast::placement::kind::after:
                text = fmt::format("{} {}", k(kw::after), p.ref);
                break;
        }
        // The span of `in section I` starts at `section`: the clause starts at its `in`, so that
        // a comment on the line before it is its own (not the previous clause's).
        std::uint32_t begin = p.where.begin;
        if (p.what != ast::placement::kind::before && p.what != ast::placement::kind::after) {
            std::uint32_t at = skip_back_trivia(begin);
            while (at > 0 && std::isalpha(static_cast<unsigned char>(text_[at - 1])) != 0) {
                --at;
            }
            if (keywords::match_keyword(kw::in, text_.substr(at)) > 0) {
                begin = at;
            }
        }
        piece pc = text_piece(std::move(text), begin);
        pc.end = p.where.end;
        out.push_back(std::move(pc));
    }
    return out;
}

void formatter::amendment(const ast::amendment& a) {
    using target = ast::amendment::target;
    if (a.what == ast::amendment::action::remove || !a.decl) {
        removal(a);
        return;
    }
    // The declaration is written by its own function, as in a regulation, after the action.
    lead_ = fmt::format("{} ", k(a.what == ast::amendment::action::add ? kw::add : kw::replace));
    lead_anchor_ = a.where.begin;
    const ast::regulation& d = *a.decl;
    const std::vector<piece> ps = places(a);
    switch (a.on) {
        case target::scale:
            scale(d.scale);
            break;
        case target::rounding:
            rounding(d.rounding.front());
            break;
        case target::enumeration:
            enumeration(d.enums.front());
            break;
        case target::input:
            input(d.inputs, a.where.begin);
            break;
        case target::section:
            section(d.sections.front(), ps, a.header_only);
            break;
        case target::criterion:
            criterion(d.sections.front().criteria.front(), 1, ps);
            break;
        case target::bonus:
        case target::deduction:
            group(d.groups.front(), a.header_only);
            break;
        case target::item:
            item(d.groups.front().items.front(), 1, ps);
            break;
        case target::exclude:
        case target::ineligible:
            knockout(d.knockouts.front());
            break;
        case target::ranking:
            ranking(*d.ranking);
            break;
        case target::award:
            award(d.awards.front(), ps);
            break;
        case target::awards_limit:
            awards_limit(*d.awards_limit);
            break;
        case target::self_score:
            self_score(*d.self_score);
            break;
    }
    lead_.clear();
}

void formatter::removal(const ast::amendment& a) {
    using target = ast::amendment::target;
    out_.line(1, a.where.begin);
    std::string s = fmt::format("{} ", k(kw::remove));
    switch (a.on) {
        case target::scale:
            s += k(kw::scale);
            break;
        case target::rounding: {
            // The key is the target as written (`section`, `nội dung`): written in lang_.
            static constexpr kw targets[] = {kw::criterion, kw::section, kw::bonus, kw::deduction,
                                             kw::total};
            std::string_view word = a.key;
            for (const kw t : targets) {
                if (keywords::match_keyword(t, a.key) == a.key.size()) {
                    word = k(t);
                }
            }
            s += fmt::format("{} {}", k(kw::rounding), word);
            break;
        }
        case target::enumeration:
            s += fmt::format("{} {}", k(kw::enum_), a.key);
            break;
        case target::input:
            s += fmt::format("{} {}", k(kw::input), a.key);
            break;
        case target::section:
            s += fmt::format("{} {}", k(kw::section), a.key);
            break;
        case target::criterion:
            s += fmt::format("{} {}", k(kw::criterion), a.key);
            break;
        case target::award:
            s += fmt::format("{} {}", k(kw::award), a.key);
            break;
        case target::bonus:
            s += fmt::format("{} {}", k(kw::bonus), ast::quoted(a.key));
            break;
        case target::deduction:
            s += fmt::format("{} {}", k(kw::deduction), ast::quoted(a.key));
            break;
        case target::item:
            s += fmt::format("{} {}", k(kw::item), ast::quoted(a.key));
            for (const auto& p : places(a)) {
                s += " " + p.text.text;
            }
            break;
        case target::exclude:
            s += fmt::format("{} {}", k(kw::exclude), ast::quoted(a.key));
            break;
        case target::ineligible:
            s += fmt::format("{} {}", k(kw::ineligible), ast::quoted(a.key));
            break;
        case target::ranking:
            s += k(kw::ranking);
            break;
        case target::awards_limit:
            s += words({kw::awards, kw::limit});
            break;
        case target::self_score:
            s += k(kw::self_score);
            break;
    }
    out_.put(s);
}

std::vector<formatter::declaration> formatter::declarations() {
    // Every kind of declaration, written in the order of the source.
    std::vector<declaration> ds;
    if (!r_.scale.text.empty()) {
        ds.push_back({r_.scale.where.begin, [this] { scale(r_.scale); }});
    }
    for (const auto& rr : r_.rounding) {
        ds.push_back({rr.where.begin, [this, &rr] { rounding(rr); }});
    }
    for (const auto& e : r_.enums) {
        ds.push_back({e.where.begin, [this, &e] { enumeration(e); }});
    }
    if (!r_.inputs.empty()) {
        // `input {`: the keyword before the brace before the first field.
        const std::uint32_t brace = skip_back_trivia(r_.inputs.front().where.begin);
        const std::uint32_t at = keyword_before(brace > 0 ? brace - 1 : 0);
        ds.push_back({at, [this, at] { input(r_.inputs, at); }});
    }
    for (const auto& s : r_.sections) {
        ds.push_back({s.where.begin, [this, &s] { section(s); }});
    }
    for (const auto& g : r_.groups) {
        ds.push_back({g.where.begin, [this, &g] { group(g); }});
    }
    for (const auto& ko : r_.knockouts) {
        ds.push_back({ko.where.begin, [this, &ko] { knockout(ko); }});
    }
    if (r_.ranking) {
        ds.push_back({r_.ranking->where.begin, [this] { ranking(*r_.ranking); }});
    }
    for (const auto& a : r_.awards) {
        ds.push_back({a.where.begin, [this, &a] { award(a); }});
    }
    if (r_.awards_limit) {
        ds.push_back({r_.awards_limit->where.begin, [this] { awards_limit(*r_.awards_limit); }});
    }
    if (r_.self_score) {
        ds.push_back({r_.self_score->where.begin, [this] { self_score(*r_.self_score); }});
    }
    for (const auto& a : r_.amendments) {
        ds.push_back({a.where.begin, [this, &a] { amendment(a); }});
    }
    std::stable_sort(ds.begin(), ds.end(),
                     [](const declaration& a, const declaration& b) { return a.at < b.at; });
    return ds;
}

std::string formatter::run() {
    if (r_.amends) {
        amends();
        out_.line(0, next_token(r_.amends_span.end));
    } else {
        out_.line(0, first_token());
    }
    out_.put(fmt::format("{} {} {{", k(kw::regulation), ast::quoted(r_.title)));
    for (const auto& d : declarations()) {
        d.write();
    }
    // The regulation's '}' is the last one outside comments (before the tests, when `test`
    // blocks follow the regulation: docs/testing.md).
    const auto end =
        static_cast<std::uint32_t>(r_.tests.empty() ? text_.size() : r_.tests.front().where.begin);
    std::uint32_t brace = end;
    for (std::uint32_t p = end; p > 0; --p) {
        if (text_[p - 1] == '}') {
            const bool commented = std::any_of(comments_.begin(), comments_.end(),
                                               [&](span s) { return s.begin < p && p <= s.end; });
            if (!commented) {
                brace = p - 1;
                break;
            }
        }
    }
    out_.close(0, brace);
    for (const auto& t : r_.tests) {
        test(t);
    }
    return out_.finish();
}

}  // namespace

keywords::lang written_language(const ast::regulation& r) {
    if (!r.file) {
        return keywords::lang::en;
    }
    static const std::vector<span> no_comments;
    const formatter f(r, r.file, no_comments, keywords::lang::en);
    const std::string_view text = std::string_view(r.file->text()).substr(f.first_token());
    // An amendment starts with `amends` (`sửa đổi`), a regulation with `regulation` (`quy chế`).
    return keywords::keyword_language(r.amends ? kw::amends : kw::regulation, text)
        .value_or(keywords::lang::en);
}

std::string format_regulation(const ast::regulation& r, const std::vector<span>& comments,
                              const format_options& options) {
    formatter f(r, r.file, comments, options.language.value_or(written_language(r)));
    return f.run();
}

std::string format_tests(const ast::test_file& t, const std::vector<span>& comments,
                         const format_options& options) {
    static const ast::regulation none;
    static const std::vector<span> no_comments;
    keywords::lang lang = keywords::lang::en;
    if (options.language) {
        lang = *options.language;
    } else if (t.file) {
        const formatter probe(none, t.file, no_comments, keywords::lang::en);
        lang = keywords::keyword_language(
                   kw::tests, std::string_view(t.file->text()).substr(probe.first_token()))
                   .value_or(keywords::lang::en);
    }
    formatter f(none, t.file, comments, lang);
    return f.run_tests(t);
}

}  // namespace thidua
