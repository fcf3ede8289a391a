// The keywords of the regulation language and their spellings, English and Vietnamese.
//
// One table serves the grammar (dsl/grammar.hpp's kw_* rules match through match_keyword) and the
// formatter (which writes spell(k, lang)), so the two can never disagree. A Vietnamese spelling
// may have several words; in the text any run of spaces or tabs may separate them (not a
// newline: a keyword stays on one line).
//
// Matching follows the longest-match rule of lexers: a spelling does not match where a longer
// spelling of any keyword matches at the same place. So `số` (number) is not read in
// `số nguyên` (integer), `điểm` (points) not in `điểm thưởng` (bonus), `làm tròn` (rounded)
// not in `làm tròn điểm` (rounding), and `không` (not) not in `không được` (a test's `no`),
// whatever the context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace thidua::keywords {

enum class kw : std::uint8_t {
    regulation,
    scale,
    rounding,
    enum_,
    ordered,
    input,
    list,
    number,
    integer,
    bool_,
    date,
    text,
    section,
    criterion,
    max,
    cite,
    combine,
    sum,
    rescaled,
    applies,
    let,
    points,
    bonus,
    deduction,
    item,
    exclude,
    ineligible,
    ranking,
    by,
    desc,
    asc,
    ties,
    shared,
    unresolved,
    first,
    place,
    award,
    awards,
    candidates,
    rank,
    all,
    require,
    limit,
    of,
    members,
    rounded,
    down,
    up,
    nearest,
    half_up,
    half_even,
    unused,
    slots,
    are,
    lost,
    pass,
    self_score,
    from,
    tolerance,
    and_,
    or_,
    not_,
    if_,
    then,
    else_,
    when,
    match,
    true_,
    false_,
    total,
    is,
    absent,
    present,
    in,
    where,
    // Amendments (docs/amendments.md).
    amends,
    add,
    replace,
    remove,
    before,
    after,
    // Tests (docs/testing.md).
    test,
    tests,
    for_,
    unit,
    data,
    expect,
    no,
    tie,
    conflict,
    pending,
    within,
    excluded,
    eligible,
};

enum class lang : std::uint8_t { en, vi };

struct spelling {
    kw id;
    std::string_view en;
    std::string_view vi;  // words separated by one space
};

/// Every keyword once, in the order of enum kw (a test checks both).
inline constexpr spelling table[] = {
    {kw::regulation, "regulation", "quy chế"},
    {kw::scale, "scale", "thang điểm"},
    {kw::rounding, "rounding", "làm tròn điểm"},
    {kw::enum_, "enum", "danh mục"},
    {kw::ordered, "ordered", "có thứ tự"},
    {kw::input, "input", "số liệu"},
    {kw::list, "list", "danh sách"},
    {kw::number, "number", "số"},
    {kw::integer, "integer", "số nguyên"},
    {kw::bool_, "bool", "đúng sai"},
    {kw::date, "date", "ngày"},
    {kw::text, "text", "văn bản"},
    {kw::section, "section", "nội dung"},
    {kw::criterion, "criterion", "tiêu chí"},
    {kw::max, "max", "tối đa"},
    {kw::cite, "cite", "căn cứ"},
    {kw::combine, "combine", "cách tính"},
    {kw::sum, "sum", "cộng"},
    {kw::rescaled, "rescaled", "quy đổi"},
    {kw::applies, "applies", "áp dụng"},
    {kw::let, "let", "đặt"},
    {kw::points, "points", "điểm"},
    {kw::bonus, "bonus", "điểm thưởng"},
    {kw::deduction, "deduction", "điểm trừ"},
    {kw::item, "item", "mục"},
    {kw::exclude, "exclude", "không xếp hạng"},
    {kw::ineligible, "ineligible", "không xét khen thưởng"},
    {kw::ranking, "ranking", "xếp hạng"},
    {kw::by, "by", "theo"},
    {kw::desc, "desc", "giảm dần"},
    {kw::asc, "asc", "tăng dần"},
    {kw::ties, "ties", "đồng điểm"},
    {kw::shared, "shared", "cùng hạng"},
    {kw::unresolved, "unresolved", "biểu quyết"},
    {kw::first, "first", "vị trí"},
    {kw::place, "place", "thứ nhất"},
    {kw::award, "award", "khen thưởng"},
    {kw::awards, "awards", "số khen thưởng"},
    {kw::candidates, "candidates", "xét"},
    {kw::rank, "rank", "hạng"},
    {kw::all, "all", "tất cả"},
    {kw::require, "require", "điều kiện"},
    {kw::limit, "limit", "giới hạn"},
    {kw::of, "of", "số"},
    {kw::members, "members", "thành viên"},
    {kw::rounded, "rounded", "làm tròn"},
    {kw::down, "down", "xuống"},
    {kw::up, "up", "lên"},
    {kw::nearest, "nearest", "gần nhất"},
    {kw::half_up, "half_up", "nửa lên"},
    {kw::half_even, "half_even", "nửa chẵn"},
    {kw::unused, "unused", "suất"},
    {kw::slots, "slots", "chưa dùng"},
    {kw::are, "are", "bị"},
    {kw::lost, "lost", "hủy"},
    {kw::pass, "pass", "chuyển"},
    {kw::self_score, "self_score", "tự chấm"},
    {kw::from, "from", "từ"},
    {kw::tolerance, "tolerance", "chênh lệch"},
    {kw::and_, "and", "và"},
    {kw::or_, "or", "hoặc"},
    {kw::not_, "not", "không"},
    {kw::if_, "if", "nếu"},
    {kw::then, "then", "thì"},
    {kw::else_, "else", "ngược lại"},
    {kw::when, "when", "khi"},
    {kw::match, "match", "tùy theo"},
    {kw::true_, "true", "đúng"},
    {kw::false_, "false", "sai"},
    {kw::total, "total", "tổng điểm"},
    {kw::is, "is", "là"},
    {kw::absent, "absent", "trống"},
    {kw::present, "present", "có giá trị"},
    {kw::in, "in", "trong"},
    {kw::where, "where", "mà"},
    {kw::amends, "amends", "sửa đổi"},
    {kw::add, "add", "bổ sung"},
    {kw::replace, "replace", "thay thế"},
    {kw::remove, "remove", "bãi bỏ"},
    {kw::before, "before", "trước"},
    {kw::after, "after", "sau"},
    {kw::test, "test", "kiểm thử"},
    {kw::tests, "tests", "bộ kiểm thử"},
    {kw::for_, "for", "cho"},
    {kw::unit, "unit", "đơn vị"},
    {kw::data, "data", "dữ liệu"},
    {kw::expect, "expect", "kỳ vọng"},
    {kw::no, "no", "không được"},
    {kw::tie, "tie", "đồng hạng"},
    {kw::conflict, "conflict", "xung đột"},
    {kw::pending, "pending", "chờ biểu quyết"},
    {kw::within, "within", "sai số"},
    {kw::excluded, "excluded", "bị loại"},
    {kw::eligible, "eligible", "được xét khen thưởng"},
};

inline constexpr std::size_t keyword_count = sizeof(table) / sizeof(table[0]);

/// The spelling of a keyword in one language (Vietnamese words separated by one space).
constexpr std::string_view spell(kw k, lang l) {
    const spelling& s = table[static_cast<std::size_t>(k)];
    return l == lang::en ? s.en : s.vi;
}

/// The length in bytes of keyword k (in either language) at the start of `text`, followed by no
/// identifier character and not part of a longer keyword; 0 when it is not there.
std::size_t match_keyword(kw k, std::string_view text);

/// Which language keyword k is written in at the start of `text` (nullopt: it is not there).
std::optional<lang> keyword_language(kw k, std::string_view text);

/// The language a file is written in: that of its first keyword, found by skipping blanks,
/// `#` comments, strings and words that are not keywords (`regulation` or `quy chế` in a
/// well-formed regulation, `tests` or `bộ kiểm thử` in a test file). nullopt when no keyword is
/// found near the start. Diagnostics quote keywords in this language (dsl/i18n.hpp).
std::optional<lang> first_keyword_language(std::string_view text);

/// The length in bytes of the UTF-8 sequence that starts with `c` (1 for a stray byte, so a scan
/// always moves on).
std::size_t sequence_length(unsigned char c);

/// Whether the code point at the start of `text` continues an identifier (the grammar's
/// ident_char: ASCII letters, digits, '_', the Latin letters of Unicode and combining marks).
bool starts_with_ident_char(std::string_view text);

}  // namespace thidua::keywords
