#include "engine/xlsx_report.hpp"

#include <fmt/format.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "dsl/ast_util.hpp"
#include "dsl/i18n.hpp"
#include "dsl/source.hpp"
#include "engine/board_text.hpp"
#include "engine/explain.hpp"

namespace thidua {

namespace {

namespace fs = std::filesystem;

// Excel's limit on a cell's text (libxlsxwriter refuses longer strings); longer derivations are
// cut at a character boundary and marked.
constexpr std::size_t max_cell_bytes = 32000;

std::string fit_cell(std::string text) {
    if (text.size() <= max_cell_bytes) {
        return text;
    }
    std::size_t cut = max_cell_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
        --cut;  // never split a UTF-8 sequence
    }
    text.resize(cut);
    return text + "\n…";
}

// ---- Exact numeric cells -------------------------------------------------------------------
// libxlsxwriter writes a number cell's value from a double ("%.16G": 72.82 becomes
// 72.81999999999999). The board is promised no binary floating point, so each numeric cell's
// decimal text (excel_number_text) is recorded when the cell is written, and put in afterwards:
// the finished archive is read back, the <v> of those cells in each sheet's XML is replaced, and
// the archive is written again (minizip, as libxlsxwriter writes it; the other members are copied
// as they are stored).

// An archive being read; closed at the end of the scope.
struct zip_reader {
    unzFile file;
    explicit zip_reader(const std::string& path) : file(unzOpen64(path.c_str())) {}
    ~zip_reader() {
        if (file != nullptr) {
            unzClose(file);
        }
    }
    zip_reader(const zip_reader&) = delete;
    zip_reader& operator=(const zip_reader&) = delete;
};

// An archive being written: removed at the end of the scope unless close() succeeded, so a failure
// leaves no partial file.
struct zip_writer {
    std::string path;
    zipFile file;
    bool kept = false;
    explicit zip_writer(std::string p)
        : path(std::move(p)), file(zipOpen64(path.c_str(), APPEND_STATUS_CREATE)) {}
    bool close(const std::string& comment) {
        kept = zipClose(file, comment.empty() ? nullptr : comment.c_str()) == ZIP_OK;
        file = nullptr;
        return kept;
    }
    ~zip_writer() {
        if (file != nullptr) {
            zipClose(file, nullptr);
        }
        if (!kept) {
            std::error_code ec;
            fs::remove(path, ec);
        }
    }
    zip_writer(const zip_writer&) = delete;
    zip_writer& operator=(const zip_writer&) = delete;
};

// Members below 4 GiB only: libxlsxwriter writes no zip64 archive (use_zip64 is off), and a
// zip64 member's extra fields could not be copied as they are.
constexpr ZPOS64_T max_member_size = 0xFFFFFFFEU;

// The current member of an archive being read: its header fields, name, extra fields (the local
// ones once it is opened) and comment.
struct zip_member {
    unz_file_info64 info{};
    std::string name, extra, local_extra, comment;
};

std::optional<zip_member> current_member(unzFile in) {
    zip_member m;
    if (unzGetCurrentFileInfo64(in, &m.info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK
        || m.info.uncompressed_size > max_member_size || m.info.compressed_size > max_member_size
        || (m.info.flag & 1U) != 0) {  // encrypted
        return std::nullopt;
    }
    m.name.resize(m.info.size_filename);
    m.extra.resize(m.info.size_file_extra);
    m.comment.resize(m.info.size_file_comment);
    if (unzGetCurrentFileInfo64(in, &m.info, m.name.data(), m.info.size_filename, m.extra.data(),
                                m.info.size_file_extra, m.comment.data(), m.info.size_file_comment)
        != UNZ_OK) {
        return std::nullopt;
    }
    return m;
}

// Opens the current member of `in` (raw: its stored bytes, else its content) and reads its local
// extra field into `m`.
bool open_current(unzFile in, zip_member& m, bool raw, int& method, int& level) {
    if (unzOpenCurrentFile2(in, &method, &level, raw ? 1 : 0) != UNZ_OK) {
        return false;
    }
    const int size = unzGetLocalExtrafield(in, nullptr, 0);
    m.local_extra.resize(size > 0 ? static_cast<std::size_t>(size) : 0);
    if (size < 0
        || unzGetLocalExtrafield(in, m.local_extra.data(),
                                 static_cast<unsigned>(m.local_extra.size()))
               != size) {
        unzCloseCurrentFile(in);
        return false;
    }
    return true;
}

// Starts `m` in `out` with its name, date, attributes, extra fields and comment; `raw`: the data
// written will be stored bytes already compressed with `method`.
bool open_member(zipFile out, const zip_member& m, bool raw, int method, int level) {
    zip_fileinfo zi{};
    zi.tmz_date.tm_sec = m.info.tmu_date.tm_sec;
    zi.tmz_date.tm_min = m.info.tmu_date.tm_min;
    zi.tmz_date.tm_hour = m.info.tmu_date.tm_hour;
    zi.tmz_date.tm_mday = m.info.tmu_date.tm_mday;
    zi.tmz_date.tm_mon = m.info.tmu_date.tm_mon;
    zi.tmz_date.tm_year = m.info.tmu_date.tm_year;
    zi.dosDate = m.info.dosDate;
    zi.internal_fa = m.info.internal_fa;
    zi.external_fa = m.info.external_fa;
    // Of the member's flags only "names are UTF-8" is kept: minizip sets the deflate level's bits
    // itself and writes no data descriptor.
    constexpr uLong utf8_names = 0x0800U;
    constexpr int default_mem_level = 8;  // zlib's and minizip's DEF_MEM_LEVEL
    return zipOpenNewFileInZip4_64(out, m.name.c_str(), &zi, m.local_extra.data(),
                                   static_cast<uInt>(m.local_extra.size()), m.extra.data(),
                                   static_cast<uInt>(m.extra.size()),
                                   m.comment.empty() ? nullptr : m.comment.c_str(), method, level,
                                   raw ? 1 : 0, -MAX_WBITS, default_mem_level, Z_DEFAULT_STRATEGY,
                                   nullptr, 0, m.info.version, m.info.flag & utf8_names, 0)
           == ZIP_OK;
}

// Copies the current member of `in` to `out` without recompressing it: the same stored bytes,
// CRC and sizes.
bool copy_raw(unzFile in, zipFile out, zip_member& m) {
    int method = 0;
    int level = 0;
    if (!open_current(in, m, true, method, level)) {
        return false;
    }
    bool ok = open_member(out, m, true, method, level);
    std::array<char, 1U << 16U> buf{};
    ZPOS64_T copied = 0;
    int n = 0;
    while (ok && (n = unzReadCurrentFile(in, buf.data(), buf.size())) > 0) {
        copied += static_cast<ZPOS64_T>(n);
        ok = zipWriteInFileInZip(out, buf.data(), static_cast<unsigned>(n)) == ZIP_OK;
    }
    ok = ok && n == 0 && copied == m.info.compressed_size;
    ok = unzCloseCurrentFile(in) == UNZ_OK && ok;
    return ok && zipCloseFileInZipRaw64(out, m.info.uncompressed_size, m.info.crc) == ZIP_OK;
}

// The content of the current member of `in`, checked against its size and CRC.
std::optional<std::string> read_member(unzFile in, zip_member& m) {
    int method = 0;
    int level = 0;
    if (!open_current(in, m, false, method, level)) {
        return std::nullopt;
    }
    std::string out(static_cast<std::size_t>(m.info.uncompressed_size), '\0');
    std::size_t got = 0;
    int n = 1;
    while (got < out.size() && n > 0) {
        constexpr std::size_t chunk = 1U << 30U;
        n = unzReadCurrentFile(in, out.data() + got,
                               static_cast<unsigned>(std::min(out.size() - got, chunk)));
        got += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    char past = 0;
    const bool whole = got == out.size() && unzReadCurrentFile(in, &past, 1) == 0;
    // The CRC is checked when a member read to its end is closed.
    if (unzCloseCurrentFile(in) != UNZ_OK || !whole) {
        return std::nullopt;
    }
    return out;
}

// Writes `content` as member `m` of `out`, deflated at zlib's default level (as libxlsxwriter
// does: the same bytes on every run).
bool write_member(zipFile out, const zip_member& m, const std::string& content) {
    return content.size() <= max_member_size
           && open_member(out, m, false, Z_DEFLATED, Z_DEFAULT_COMPRESSION)
           && zipWriteInFileInZip(out, content.data(), static_cast<unsigned>(content.size()))
                  == ZIP_OK
           && zipCloseFileInZip(out) == ZIP_OK;
}

// Puts each recorded value (by cell reference: "H8") in place of the <v> libxlsxwriter wrote.
// False when a recorded cell is missing or is not a number cell (it has a type attribute).
bool put_values(std::string& xml, const std::map<std::string, std::string>& values) {
    constexpr std::string_view open = "<c r=\"";
    std::string out;
    out.reserve(xml.size());
    std::size_t pos = 0;
    std::size_t replaced = 0;
    for (auto at = xml.find(open); at != std::string::npos; at = xml.find(open, pos)) {
        const std::size_t ref_from = at + open.size();
        const std::size_t ref_to = xml.find('"', ref_from);
        if (ref_to == std::string::npos) {
            return false;
        }
        const auto it = values.find(xml.substr(ref_from, ref_to - ref_from));
        if (it == values.end()) {
            out.append(xml, pos, ref_to - pos);
            pos = ref_to;
            continue;
        }
        const std::size_t tag_end = xml.find('>', ref_to);
        if (tag_end == std::string::npos || xml[tag_end - 1] == '/'
            || xml.substr(ref_to, tag_end - ref_to).find(" t=\"") != std::string::npos
            || xml.compare(tag_end + 1, 3, "<v>") != 0) {
            return false;
        }
        const std::size_t value_from = tag_end + 4;
        const std::size_t value_to = xml.find("</v>", value_from);
        if (value_to == std::string::npos) {
            return false;
        }
        out.append(xml, pos, value_from - pos);
        out += it->second;
        pos = value_to;
        ++replaced;
    }
    out.append(xml, pos);
    if (replaced != values.size()) {
        return false;
    }
    xml = std::move(out);
    return true;
}

// One workbook being written: formats, the first error, column widths per sheet.
class book {
  public:
    book(lxw_workbook* wb, unsigned places) : wb_(wb) {
        header_ = workbook_add_format(wb_);
        format_set_bold(header_);
        format_set_text_wrap(header_);
        format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
        format_set_bg_color(header_, 0xDDE5F0);
        format_set_border(header_, LXW_BORDER_THIN);
        const std::string num = places == 0 ? "0" : "0." + std::string(places, '0');
        number_ = workbook_add_format(wb_);
        format_set_num_format(number_, num.c_str());
        max_number_ = workbook_add_format(wb_);
        format_set_num_format(max_number_, num.c_str());
        format_set_italic(max_number_);
        format_set_bg_color(max_number_, 0xF2F2F2);
        max_text_ = workbook_add_format(wb_);
        format_set_italic(max_text_);
        format_set_bg_color(max_text_, 0xF2F2F2);
        total_ = workbook_add_format(wb_);
        format_set_num_format(total_, num.c_str());
        format_set_bold(total_);
        // The Text number format: what Excel gives a cell typed with a leading apostrophe; an
        // edit of the cell keeps it text instead of evaluating it.
        text_ = workbook_add_format(wb_);
        format_set_num_format_index(text_, 49);  // builtin "@"
        wrap_ = workbook_add_format(wb_);
        format_set_text_wrap(wrap_);
        format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
        wrap_text_ = workbook_add_format(wb_);
        format_set_text_wrap(wrap_text_);
        format_set_align(wrap_text_, LXW_ALIGN_VERTICAL_TOP);
        format_set_num_format_index(wrap_text_, 49);
        heading_ = workbook_add_format(wb_);
        format_set_bold(heading_);
        warning_ = workbook_add_format(wb_);
        format_set_bold(warning_);
        format_set_font_color(warning_, 0x9C4221);
        flagged_ = workbook_add_format(wb_);
        format_set_num_format(flagged_, num.c_str());
        format_set_font_color(flagged_, 0xC00000);
        format_set_bold(flagged_);
    }

    lxw_worksheet* sheet(std::string_view wanted) {
        const std::string name = excel_sheet_name(wanted, names_);
        lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
        if (ws == nullptr) {
            fail(tr(msg::xlsx_cannot_add_sheet, fmt::arg("sheet", name)));
        }
        widths_.emplace_back();
        values_.emplace_back();
        return ws;
    }

    // Text from anywhere (regulation, data, or our own phrases): always a string cell.
    void text(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& s,
              lxw_format* f = nullptr) {
        if (ws == nullptr || s.empty()) {
            return;
        }
        const std::string cell = fit_cell(s);
        if (formula_like(cell)) {
            // Headings and shaded cells lose their look rather than their safety.
            f = f == wrap_ ? wrap_text_ : text_;
        }
        check(worksheet_write_string(ws, row, col, cell.c_str(), f));
        widen(col, f == wrap_ || f == wrap_text_ || f == header_ ? 0 : text_width(cell));
    }

    void num(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const number& n,
             lxw_format* f = nullptr) {
        if (ws == nullptr) {
            return;
        }
        const auto exact = excel_number_text(n);
        if (!exact) {
            // Beyond what a cell can hold: the value as text rather than a wrong number.
            text(ws, row, col, n.brief_string());
            return;
        }
        // libxlsxwriter takes a double; the cell's stored text is replaced by the exact one when
        // the workbook is finished (exact_numbers).
        check(worksheet_write_number(ws, row, col, n.to_double(), f == nullptr ? number_ : f));
        record(row, col, *exact);
        widen(col, 10);
    }

    void integer(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::uint64_t v) {
        if (ws == nullptr) {
            return;
        }
        check(worksheet_write_number(ws, row, col, static_cast<double>(v), nullptr));
        record(row, col, fmt::format("{}", v));
        widen(col, 4);
    }

    // Column widths from the widest cell, within limits; a frozen header row.
    void finish(lxw_worksheet* ws, lxw_row_t frozen_rows, lxw_col_t frozen_cols,
                const std::vector<std::pair<lxw_col_t, double>>& fixed = {}) {
        if (ws == nullptr) {
            return;
        }
        const auto& w = widths_.back();
        for (std::size_t c = 0; c < w.size(); ++c) {
            double width = std::clamp(static_cast<double>(w[c]) + 2.0, 8.0, 50.0);
            for (const auto& [col, fw] : fixed) {
                if (col == c) {
                    width = fw;
                }
            }
            check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                       width, nullptr));
        }
        worksheet_freeze_panes(ws, frozen_rows, frozen_cols);
        worksheet_set_paper(ws, 9);  // A4
        worksheet_set_landscape(ws);
        worksheet_fit_to_pages(ws, 1, 0);
        if (frozen_rows > 0) {
            check(worksheet_repeat_rows(ws, 0, static_cast<lxw_row_t>(frozen_rows - 1)));
        }
    }

    void check(lxw_error e) {
        if (e != LXW_NO_ERROR) {
            fail(lxw_strerror(e));
        }
    }
    void fail(const std::string& message) {
        if (error_.empty()) {
            error_ = message;
        }
    }
    [[nodiscard]] const std::string& error() const { return error_; }
    /// Per sheet, in the order they were added: each numeric cell's exact text by reference.
    [[nodiscard]] const std::vector<std::map<std::string, std::string>>& values() const {
        return values_;
    }

    lxw_format* header_ = nullptr;
    lxw_format* number_ = nullptr;
    lxw_format* max_number_ = nullptr;
    lxw_format* max_text_ = nullptr;
    lxw_format* total_ = nullptr;
    lxw_format* text_ = nullptr;
    lxw_format* wrap_ = nullptr;
    lxw_format* wrap_text_ = nullptr;
    lxw_format* heading_ = nullptr;
    lxw_format* flagged_ = nullptr;
    lxw_format* warning_ = nullptr;

  private:
    void record(lxw_row_t row, lxw_col_t col, std::string exact) {
        std::array<char, LXW_MAX_CELL_NAME_LENGTH> ref{};
        lxw_rowcol_to_cell(ref.data(), row, col);
        values_.back()[ref.data()] = std::move(exact);
    }

    void widen(lxw_col_t col, std::size_t w) {
        auto& ws = widths_.back();
        if (ws.size() <= col) {
            ws.resize(static_cast<std::size_t>(col) + 1, 0);
        }
        ws[col] = std::max(ws[col], w);
    }

    lxw_workbook* wb_;
    std::vector<std::string> names_;
    std::vector<std::vector<std::size_t>> widths_;
    std::vector<std::map<std::string, std::string>> values_;
    std::string error_;
};

void header_row(book& b, lxw_worksheet* ws, const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
        b.text(ws, 0, static_cast<lxw_col_t>(c), cells[c], b.header_);
    }
    if (ws != nullptr) {
        b.check(worksheet_set_row(ws, 0, 45, nullptr));
    }
}

std::string titled(std::string_view id, std::string_view label) {
    return label.empty() ? std::string(id) : fmt::format("{} {}", id, label);
}

void ranking_sheet(book& b, const bloc_outcome& bloc, const std::vector<data_warning>& warnings) {
    const auto& ph = board::text();
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    auto* ws = b.sheet(ph.ranking_sheet);
    std::vector<std::string> head = {ph.rank, ph.unit};
    for (const auto& s : ast.sections) {
        head.push_back(titled(s.id, s.label));
    }
    const auto first_section = static_cast<lxw_col_t>(2);
    const auto bonus_col = static_cast<lxw_col_t>(first_section + ast.sections.size());
    const auto deduction_col = static_cast<lxw_col_t>(bonus_col + 1);
    const auto total_col = static_cast<lxw_col_t>(bonus_col + 2);
    const auto award_col = static_cast<lxw_col_t>(bonus_col + 3);
    const auto notes_col = static_cast<lxw_col_t>(bonus_col + 4);
    const auto self_col = static_cast<lxw_col_t>(bonus_col + 5);
    for (const auto* h :
         {&ph.bonus, &ph.deduction, &ph.total, &ph.award, &ph.notes, &ph.self_difference}) {
        head.push_back(*h);
    }
    header_row(b, ws, head);
    // Row 2: the maxima.
    b.text(ws, 1, 1, ph.max_row, b.max_text_);
    for (std::size_t k = 0; k < ast.sections.size(); ++k) {
        b.num(ws, 1, static_cast<lxw_col_t>(first_section + k), reg.section_max[k], b.max_number_);
    }
    // The bonus and deduction columns: the groups' caps (groups_max: blank when uncapped).
    if (const auto m = groups_max(reg, ast::group::kind::bonus)) {
        b.num(ws, 1, bonus_col, *m, b.max_number_);
    }
    if (const auto m = groups_max(reg, ast::group::kind::deduction)) {
        b.num(ws, 1, deduction_col, *m, b.max_number_);
    }
    b.num(ws, 1, total_col, reg.scale, b.max_number_);
    lxw_row_t row = 2;
    for (const auto i : board::table_order(bloc)) {
        const auto& s = bloc.scores[i];
        const auto& r = bloc.ranking.units[i];
        if (r.rank && (!r.rank_unresolved || r.rank_to == *r.rank)) {
            b.integer(ws, row, 0, *r.rank);
        } else {
            // An excluded unit: "-" as in the score table; its notes say why it is not ranked.
            b.text(ws, row, 0, r.rank ? board::rank(r) : "-");
        }
        b.text(ws, row, 1, bloc.units[i]->name);
        if (!s.excluded) {
            for (std::size_t k = 0; k < ast.sections.size(); ++k) {
                b.num(ws, row, static_cast<lxw_col_t>(first_section + k), s.section_points[k]);
            }
            b.num(ws, row, bonus_col, s.bonus);
            b.num(ws, row, deduction_col, s.deduction);
            b.num(ws, row, total_col, s.total, b.total_);
        }
        b.text(ws, row, award_col, board::award(bloc, i));
        // Why the unit has its award state (knock-outs and open decisions with their reasons) and
        // a flagged self-score: the notes of the score table and the page.
        b.text(ws, row, notes_col, fmt::format("{}", fmt::join(board::notes(bloc, i), "; ")));
        if (s.self_difference) {
            b.num(ws, row, self_col, *s.self_difference, s.self_flagged ? b.flagged_ : nullptr);
        }
        ++row;
    }
    // Below the table: what the bloc still has to decide, then the awards.
    const auto& rk = bloc.ranking;
    auto block = [&](const std::string& heading, const std::vector<std::string>& lines) {
        if (lines.empty()) {
            return;
        }
        ++row;
        b.text(ws, row++, 1, heading, b.heading_);
        for (const auto& l : lines) {
            b.text(ws, row++, 1, l);
        }
    };
    // The results' warnings (W201, W202) first: the results were scored as read, and a board
    // working from the workbook alone must see what may have been misread (as the HTML report's
    // notice and the JSON's "warnings" show them).
    if (!warnings.empty()) {
        ++row;
        b.text(ws, row++, 1, tr(msg::data_warnings_heading), b.warning_);
        b.text(ws, row++, 1, tr(msg::data_warnings_intro));
        for (const auto& w : warnings) {
            const std::string where = warning_position(w);
            b.text(ws, row++, 1,
                   fmt::format("{}{}[{}]: {}", where.empty() ? "" : where + ": ",
                               message_text(msg::severity_warning, current_language()), w.code,
                               w.message));
        }
    }
    std::vector<std::string> ties;
    for (const auto t : rk.unresolved_ties) {
        ties.push_back(board::tie(bloc, rk.ties[t]));
    }
    block(ph.unresolved_ties, ties);
    std::vector<std::string> votes;
    for (const auto& v : rk.tie_votes) {
        votes.push_back(board::tie_vote(bloc, v));
    }
    block(ph.tie_votes, votes);
    std::vector<std::string> conflicts;
    for (const auto& c : rk.conflicts) {
        conflicts.push_back(board::conflict(bloc, c));
    }
    block(ph.quota_conflicts, conflicts);
    std::vector<std::string> awards;
    for (std::size_t t = 0; t < rk.tiers.size(); ++t) {
        // As the score table says it: who (or why nobody), then the slots the tier really had.
        std::string line = fmt::format("{}: {}", rk.tiers[t].label, board::recipients(bloc, t));
        if (board::slots_limited(rk.tiers[t])) {
            line += "; " + tr(msg::decision_quota, fmt::arg("quota", board::tier_slots(bloc, t)));
        }
        awards.push_back(std::move(line));
    }
    block(ph.awards, awards);
    // The notes below the table are long lines: they must not widen the unit column.
    b.finish(ws, 2, 2, {{1, 36.0}});
}

void section_sheet(book& b, const bloc_outcome& bloc, std::size_t sec) {
    const auto& ph = board::text();
    const auto& reg = *bloc.reg;
    const auto& sd = reg.ast->sections[sec];
    auto* ws = b.sheet(titled(sd.id, sd.label));
    std::vector<std::size_t> crits;
    for (std::size_t c = 0; c < reg.criteria.size(); ++c) {
        if (reg.criteria[c].section == sec) {
            crits.push_back(c);
        }
    }
    std::vector<std::string> head = {ph.rank, ph.unit};
    for (const auto c : crits) {
        head.push_back(titled(reg.criteria[c].node->id, reg.criteria[c].node->label));
    }
    head.push_back(board::section_total(sd.id));
    header_row(b, ws, head);
    const auto total_col = static_cast<lxw_col_t>(2 + crits.size());
    b.text(ws, 1, 1, ph.max_row, b.max_text_);
    for (std::size_t k = 0; k < crits.size(); ++k) {
        b.num(ws, 1, static_cast<lxw_col_t>(2 + k), reg.criteria[crits[k]].max, b.max_number_);
    }
    b.num(ws, 1, total_col, reg.section_max[sec], b.max_number_);
    lxw_row_t row = 2;
    for (const auto i : board::table_order(bloc)) {
        const auto& s = bloc.scores[i];
        if (s.excluded) {
            continue;  // not scored: the ranking sheet says why
        }
        const auto& r = bloc.ranking.units[i];
        if (r.rank && (!r.rank_unresolved || r.rank_to == *r.rank)) {
            b.integer(ws, row, 0, *r.rank);
        } else {
            b.text(ws, row, 0, board::rank(r));
        }
        b.text(ws, row, 1, bloc.units[i]->name);
        for (std::size_t k = 0; k < crits.size(); ++k) {
            const auto& sc = s.criteria[crits[k]];
            if (sc.applicable) {
                b.num(ws, row, static_cast<lxw_col_t>(2 + k), sc.points);
            } else {
                b.text(ws, row, static_cast<lxw_col_t>(2 + k), ph.not_applicable);
            }
        }
        b.num(ws, row, total_col, s.section_points[sec], b.total_);
        ++row;
    }
    std::vector<std::pair<lxw_col_t, double>> fixed = {{1, 36.0}};
    for (std::size_t k = 0; k <= crits.size(); ++k) {
        fixed.emplace_back(static_cast<lxw_col_t>(2 + k), 16.0);  // the header row wraps
    }
    b.finish(ws, 2, 2, fixed);
}

void explanations_sheet(book& b, const bloc_outcome& bloc) {
    const auto& ph = board::text();
    const auto& reg = *bloc.reg;
    const auto& ast = *reg.ast;
    auto* ws = b.sheet(ph.explanations_sheet);
    header_row(b, ws,
               {ph.unit, ph.section, ph.criterion, ph.title, ph.rule, ph.citation, ph.formula,
                ph.derivation, ph.computed, ph.points, ph.max});
    auto formula = [&](const ast::scoring_body& body) {
        std::vector<std::string> parts;
        for (const auto& l : body.lets) {
            if (l.value) {
                parts.push_back(fmt::format("{} = {}", l.name, formula_text(*ast.file, *l.value)));
            }
        }
        if (body.points) {
            // The statement's keyword as the regulation writes it (`points` or `điểm`), as the
            // derivation beside it does.
            std::string_view word = ast.file->slice(body.points_span);
            word = word.substr(0, std::min(word.find('='), word.size()));
            while (!word.empty() && (word.back() == ' ' || word.back() == '\t')) {
                word.remove_suffix(1);
            }
            parts.push_back(fmt::format(
                "{} = {}", word.empty() ? keyword_text(keywords::kw::points) : std::string(word),
                formula_text(*ast.file, *body.points)));
        }
        return fmt::format("{}", fmt::join(parts, "\n"));
    };
    lxw_row_t row = 1;
    for (const auto i : board::table_order(bloc)) {
        const auto& s = bloc.scores[i];
        if (s.excluded) {
            continue;
        }
        const std::string& unit = bloc.units[i]->name;
        for (std::size_t c = 0; c < reg.criteria.size(); ++c) {
            const auto& cd = *reg.criteria[c].node;
            const auto& sc = s.criteria[c];
            b.text(ws, row, 0, unit, b.wrap_);
            b.text(ws, row, 1, ast.sections[reg.criteria[c].section].id, b.wrap_);
            b.text(ws, row, 2, cd.id, b.wrap_);
            b.text(ws, row, 3, cd.label, b.wrap_);
            b.text(ws, row, 4, rule_position(ast, cd.where), b.wrap_);
            b.text(ws, row, 5, cd.cite.value_or(""), b.wrap_);
            b.text(ws, row, 6, formula(cd.body), b.wrap_);
            if (sc.applicable) {
                auto lines = explain_body(reg, cd.body, s.criterion_trace(c), 0);
                std::string d = render_lines(lines);
                if (!d.empty() && d.back() == '\n') {
                    d.pop_back();
                }
                b.text(ws, row, 7, d, b.wrap_);
                b.text(ws, row, 8, decimal(sc.raw.display(0, 4)), b.wrap_);
                b.num(ws, row, 9, sc.points);
            } else {
                b.text(ws, row, 7, ph.not_applicable, b.wrap_);
            }
            b.num(ws, row, 10, reg.criteria[c].max);
            ++row;
        }
        for (std::size_t it = 0; it < reg.items.size(); ++it) {
            const auto& id = *reg.items[it].node;
            const auto& si = s.items[it];
            b.text(ws, row, 0, unit, b.wrap_);
            b.text(ws, row, 1, ast.groups[reg.items[it].group].label, b.wrap_);
            b.text(ws, row, 3, id.label, b.wrap_);
            b.text(ws, row, 4, rule_position(ast, id.where), b.wrap_);
            b.text(ws, row, 5, id.cite.value_or(""), b.wrap_);
            b.text(ws, row, 6, formula(id.body), b.wrap_);
            std::string d = render_lines(explain_body(reg, id.body, s.item_trace(it), 0));
            if (!d.empty() && d.back() == '\n') {
                d.pop_back();
            }
            b.text(ws, row, 7, d, b.wrap_);
            b.text(ws, row, 8, decimal(si.raw.display(0, 4)), b.wrap_);
            b.num(ws, row, 9, si.points);
            if (reg.items[it].max) {
                b.num(ws, row, 10, *reg.items[it].max);
            }
            ++row;
        }
    }
    b.finish(ws, 1, 3,
             {{0, 28.0},
              {1, 8.0},
              {2, 8.0},
              {3, 36.0},
              {4, 24.0},
              {5, 14.0},
              {6, 40.0},
              {7, 60.0},
              {8, 12.0},
              {9, 10.0},
              {10, 8.0}});
}

// A private directory for libxlsxwriter's temporary files and the workbook, removed afterwards.
struct scratch_dir {
    fs::path path;
    scratch_dir() {
        std::string templ = (fs::temp_directory_path() / "thidua-xlsx-XXXXXX").string();
        if (mkdtemp(templ.data()) != nullptr) {
            path = templ;
        }
    }
    ~scratch_dir() {
        std::error_code ec;
        if (!path.empty()) {
            fs::remove_all(path, ec);
        }
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
};

// UTF-16 code units of one UTF-8 sequence starting with `lead`, and its length in bytes.
std::pair<std::size_t, std::size_t> utf16_units(unsigned char lead) {
    if (lead >= 0xF0U) {
        return {2, 4};
    }
    if (lead >= 0xE0U) {
        return {1, 3};
    }
    if (lead >= 0xC0U) {
        return {1, 2};
    }
    return {1, 1};
}

// Lower case for comparing sheet names as Excel does (case-insensitively): ASCII and the Latin
// letters Vietnamese uses (Latin-1, Latin Extended-A, Ơ, Ư and Latin Extended Additional).
std::string fold_case(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const auto len = utf16_units(lead).second;
        if (i + len > s.size()) {
            out.append(s.substr(i));
            break;
        }
        std::uint32_t cp = len == 1   ? lead
                           : len == 2 ? (lead & 0x1FU)
                           : len == 3 ? (lead & 0x0FU)
                                      : (lead & 0x07U);
        for (std::size_t k = 1; k < len; ++k) {
            cp = (cp << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
        }
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) {
            cp += 0x20;
        } else if ((cp >= 0x100 && cp <= 0x137 && cp % 2 == 0)
                   || (cp >= 0x139 && cp <= 0x148 && cp % 2 == 1)
                   || (cp >= 0x14A && cp <= 0x177 && cp % 2 == 0) || cp == 0x1A0 || cp == 0x1AF
                   || (cp >= 0x1E00 && cp <= 0x1EFF && cp % 2 == 0)) {
            cp += 1;
        }
        append_utf8(out, cp);
        i += len;
    }
    return out;
}

// At most `units` UTF-16 units of `s`, cut at a character boundary, trailing spaces and
// apostrophes removed.
std::string cut(std::string_view s, std::size_t units) {
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto [u, len] = utf16_units(static_cast<unsigned char>(s[i]));
        if (used + u > units || i + len > s.size()) {
            break;
        }
        out.append(s.substr(i, len));
        used += u;
        i += len;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\'')) {
        out.pop_back();
    }
    return out;
}

// At most `units` UTF-16 units of `s`: `s` itself when it fits, else cut after a whole word
// (within a word only when the first word alone is too long) and ended with "…", so a title
// reads as shortened, not as a word cut in two ("2 Xây dựng Đảng, đoàn thể và…").
std::string shorten(std::string_view s, std::size_t units) {
    std::size_t length = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto [u, len] = utf16_units(static_cast<unsigned char>(s[i]));
        length += u;
        i += len;
    }
    if (length <= units || units < 2) {
        return cut(s, units);
    }
    const std::string head = cut(s, units - 1);  // room for the "…" (one unit)
    std::size_t end = head.size();
    // A word ends before a space or a punctuation mark that follows it.
    if (end < s.size() && std::string_view(" ,;.)").find(s[end]) == std::string_view::npos) {
        const auto space = head.rfind(' ');
        if (space != std::string::npos && space > 0) {
            end = space;
        }
    }
    std::string out = head.substr(0, end);
    // No dangling separator before the ellipsis: "Đảng, đoàn thể và…", not "Đảng,…".
    while (!out.empty()
           && (out.back() == ' ' || out.back() == ',' || out.back() == ';' || out.back() == '-'
               || out.back() == '.' || out.back() == '\'')) {
        out.pop_back();
    }
    return out + "\u2026";
}

}  // namespace

std::optional<std::string> excel_number_text(const number& n) {
    // An Excel cell holds a double: 15 significant digits, magnitudes up to 9.99999999999999E+307
    // (and, not zero, from about 2.2E-308; 1e-307 keeps clear of the subnormals).
    const auto power_of_ten = [](int k) {
        number p(1);
        for (int i = 0; i < k; ++i) {
            p *= number(10);
        }
        return p;
    };
    static const number too_big = power_of_ten(308);
    static const number too_small = number(1) / power_of_ten(307);
    constexpr std::size_t digits = 15;
    auto significant = [](const std::string& text) {
        std::string d;
        for (const char c : text) {
            if (c >= '0' && c <= '9') {
                d += c;
            }
        }
        const auto first = d.find_first_not_of('0');
        return first == std::string::npos ? 0 : d.find_last_not_of('0') - first + 1;
    };
    auto in_range = [&](const number& v) {
        const number a = v.abs();
        return a < too_big && (a.is_zero() || a >= too_small);
    };
    std::string exact = n.exact_string();
    if (exact.find('/') == std::string::npos && significant(exact) <= digits) {
        return in_range(n) ? std::optional(std::move(exact)) : std::nullopt;
    }
    // Rounded to 15 significant digits: to a multiple of 10^(e-14), where 10^e <= |n| < 10^(e+1).
    const number a = n.abs();
    const number ten(10);
    number power(1);  // 10^e
    if (a >= power) {
        while (power * ten <= a) {
            power *= ten;
        }
    } else {
        while (power > a) {  // a is not zero: "0" has no significant digit
            power /= ten;
        }
    }
    number step = power;
    for (std::size_t k = 1; k < digits; ++k) {
        step /= ten;
    }
    const number rounded = n.round(step, rounding_mode::half_up);
    if (!in_range(rounded)) {
        return std::nullopt;
    }
    return rounded.exact_string();
}

std::string excel_sheet_name(std::string_view wanted, std::vector<std::string>& taken) {
    std::string clean;
    for (const char c : wanted) {
        const bool bad = c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/'
                         || c == '\\' || static_cast<unsigned char>(c) < 0x20U;
        const char put = bad ? ' ' : c;
        if (put == ' ' && (clean.empty() || clean.back() == ' ')) {
            continue;  // no leading or doubled spaces
        }
        clean += put;
    }
    while (!clean.empty() && (clean.front() == '\'' || clean.front() == ' ')) {
        clean.erase(clean.begin());
    }
    if (cut(clean, 31).empty()) {
        clean = "Sheet";
    }
    const std::string base = shorten(clean, 31);
    auto is_taken = [&](const std::string& n) {
        const std::string l = fold_case(n);
        return std::any_of(taken.begin(), taken.end(),
                           [&](const std::string& t) { return fold_case(t) == l; });
    };
    std::string name = base;
    for (unsigned k = 2; is_taken(name); ++k) {
        const std::string suffix = fmt::format(" ({})", k);
        name = shorten(clean, 31 - suffix.size()) + suffix;
    }
    taken.push_back(name);
    return name;
}

std::string put_exact_numbers(const std::string& from, const std::string& to,
                              const std::vector<std::map<std::string, std::string>>& sheets) {
    const std::string archive = fs::path(from).filename().string();
    zip_reader in(from);
    unz_global_info64 global{};
    if (in.file == nullptr || unzGetGlobalInfo64(in.file, &global) != UNZ_OK) {
        return archive;
    }
    std::string comment(global.size_comment, '\0');
    if (unzGetGlobalComment(in.file, comment.data(), comment.size()) < 0) {
        return archive;
    }
    std::map<std::string, std::size_t> sheet_of;  // member name -> index in `sheets`
    for (std::size_t k = 0; k < sheets.size(); ++k) {
        sheet_of.emplace(fmt::format("xl/worksheets/sheet{}.xml", k + 1), k);
    }
    std::vector<bool> done(sheets.size());
    zip_writer out(to);
    if (out.file == nullptr) {
        return archive;
    }
    int r = unzGoToFirstFile(in.file);
    for (; r == UNZ_OK; r = unzGoToNextFile(in.file)) {
        auto m = current_member(in.file);
        if (!m) {
            return archive;
        }
        const auto sheet = sheet_of.find(m->name);
        if (sheet == sheet_of.end()) {
            if (!copy_raw(in.file, out.file, *m)) {
                return m->name;
            }
            continue;
        }
        auto xml = read_member(in.file, *m);
        if (!xml || !put_values(*xml, sheets[sheet->second]) || !write_member(out.file, *m, *xml)) {
            return m->name;
        }
        done[sheet->second] = true;
    }
    if (r != UNZ_END_OF_LIST_OF_FILE) {
        return archive;
    }
    for (const auto& [name, k] : sheet_of) {
        if (!done[k]) {
            return name;
        }
    }
    return out.close(comment) ? std::string() : archive;
}

std::optional<std::string> score_xlsx(const bloc_outcome& bloc, const report_meta& meta,
                                      std::string& error) {
    scratch_dir dir;
    if (dir.path.empty()) {
        error = tr(msg::xlsx_no_tmpdir);
        return std::nullopt;
    }
    const std::string file = (dir.path / "workbook.xlsx").string();
    std::string tmpdir = dir.path.string();
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    options.tmpdir = tmpdir.data();
    lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
    if (wb == nullptr) {
        error = tr(msg::xlsx_cannot_create);
        return std::nullopt;
    }
    const auto& ast = *bloc.reg->ast;
    std::string title = ast.title;
    // The file's name only: the workbook must not depend on the directory the command ran from.
    std::string comments =
        tr(msg::xlsx_comments, fmt::arg("file", fs::path(ast.file->path()).filename().string()),
           fmt::arg("regulation", meta.regulation_sha256), fmt::arg("data", meta.data_sha256));
    std::string generator = "thidua";
    lxw_doc_properties props{};
    props.title = title.data();
    props.comments = comments.data();
    props.author = generator.data();
    // A fixed creation date: libxlsxwriter would otherwise write the current time, and the same
    // inputs must give the same bytes.
    props.created = 315532800;  // 1980-01-01T00:00:00Z
    book b(wb, board::places(bloc));
    b.check(workbook_set_properties(wb, &props));
    ranking_sheet(b, bloc, meta.warnings);
    for (std::size_t sec = 0; sec < ast.sections.size(); ++sec) {
        section_sheet(b, bloc, sec);
    }
    explanations_sheet(b, bloc);
    const lxw_error closed = workbook_close(wb);  // frees the workbook, even on error
    if (!b.error().empty() || closed != LXW_NO_ERROR) {
        error = tr(msg::xlsx_cannot_write,
                   fmt::arg("error", b.error().empty() ? lxw_strerror(closed) : b.error()));
        return std::nullopt;
    }
    const std::string exact = (dir.path / "exact.xlsx").string();
    const std::string member = put_exact_numbers(file, exact, b.values());
    if (!member.empty()) {
        error = tr(msg::xlsx_cannot_put_numbers, fmt::arg("member", member));
        return std::nullopt;
    }
    std::ifstream in(exact, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        error = tr(msg::xlsx_cannot_read);
        return std::nullopt;
    }
    return bytes.str();
}

}  // namespace thidua
