// Source files and positions.
//
// A source_file owns the text of one input (a regulation, a results file) for the whole run; every
// AST node and diagnostic refers to it by byte offsets (span). Line and column are derived late,
// and columns count Unicode characters (code points), not bytes, so carets line up under Vietnamese
// text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace thidua {

/// A half-open byte range [begin, end) in one source file.
struct span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;

    [[nodiscard]] bool empty() const { return begin == end; }
    friend bool operator==(const span&, const span&) = default;
};

/// A 1-based line and 1-based column (in characters) of a byte offset.
struct location {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
};

class source_file {
  public:
    /// Keeps `text` in Unicode normalisation form C (see normalize_nfc): a file saved with
    /// decomposed letters (NFD, as some editors and macOS do) reads exactly as its precomposed
    /// twin, so keywords, names, ids, strings and unit names compare equal in both forms. Lines
    /// are unchanged; columns count the characters of the normalised line, which is the line
    /// diagnostics print.
    source_file(std::string path, std::string text);

    /// Reads a file. Returns nullptr and sets `error` when it cannot be read.
    static std::shared_ptr<source_file> load(const std::string& path, std::string& error);

    /// A source made of several files one after another, for a regulation merged from an
    /// amendment and the files it amends (engine/amend.hpp): its text is the parts' texts
    /// concatenated, so every span of the merged AST indexes one text, and origin() maps an
    /// offset back to the file it came from. A part that is itself combined is flattened.
    static std::shared_ptr<source_file> combine(
        std::string path, const std::vector<std::shared_ptr<const source_file>>& parts);

    /// The file an offset of this source comes from and the offset within it: this file itself
    /// unless it was combined. Positions shown to users (diagnostics, rule positions) go
    /// through it.
    [[nodiscard]] std::pair<const source_file*, std::uint32_t> origin(std::uint32_t offset) const;
    /// The parts of a combined source with their first offset (empty for an ordinary file).
    struct part {
        std::uint32_t begin = 0;
        std::shared_ptr<const source_file> file;
    };
    [[nodiscard]] const std::vector<part>& parts() const { return parts_; }

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::string& text() const { return text_; }
    [[nodiscard]] std::string_view slice(span s) const;

    /// Line and character column of a byte offset (clamped to the text).
    [[nodiscard]] location locate(std::uint32_t offset) const;
    /// The text of a 1-based line, without its line terminator ("\n" or "\r\n").
    [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
    [[nodiscard]] std::uint32_t line_count() const {
        return static_cast<std::uint32_t>(line_starts_.size());
    }

  private:
    std::string path_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
    std::vector<part> parts_;
};

using source_ptr = std::shared_ptr<const source_file>;

/// The largest regulation, amendment or test file read: 64 MiB. The largest real regulations are
/// tens of kilobytes; a bigger file is a mistake (a results export, a disk image, /dev/zero).
inline constexpr std::uint64_t max_regulation_size = std::uint64_t{64} * 1024 * 1024;
/// The largest results file read: under 4 GiB (positions in a file are 32-bit; docs/data.md E201).
inline constexpr std::uint64_t max_results_size = (std::uint64_t{4} << 30U) - 1;

/// Reads a whole regular file as bytes. Returns nullopt and sets `error` when it cannot: "no such
/// file", "is a directory, not a file", "too many levels of symbolic links (a symbolic link
/// loop)", "not a regular file (a FIFO)" (FIFOs, devices and sockets are refused before anything
/// is read: they may never end), `-` (standard input is not read here), or a file larger than
/// `limit` bytes (then `*too_large` is set too), which is refused from its size before it is read.
std::optional<std::string> read_text_file(const std::string& path, std::string& error,
                                          std::uint64_t limit = max_regulation_size,
                                          bool* too_large = nullptr);

/// "the file is too large (SIZE bytes; at most LIMIT)".
std::string too_large_message(std::uint64_t size, std::uint64_t limit);

/// A small source for a diagnostic at `offset` of `file` whose line may be huge (a binary file is
/// often one line of megabytes): the same line and column, with the line cut a little after the
/// offset (the lines before it are empty). `where` receives the offset's span in it.
std::shared_ptr<const source_file> excerpt_source(const source_file& file, std::uint32_t offset,
                                                  span& where);

/// The text in Unicode normalisation form C (canonical composition: "o" + U+031B + U+0309 becomes
/// "ở"), by libunistring. Text that is not valid UTF-8 is returned unchanged (the parser and the
/// loaders report it); ASCII text is returned without work.
std::string normalize_nfc(std::string text);

/// Appends the UTF-8 encoding of a code point (at most U+10FFFF).
void append_utf8(std::string& out, std::uint32_t code_point);

/// Number of code points in a UTF-8 byte range (continuation bytes are not counted).
std::uint32_t utf8_width(std::string_view bytes);

/// Returns the byte offset of the first invalid UTF-8 sequence, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view text);

/// The byte order of a text saved as UTF-16 (Notepad's "Unicode" is little-endian).
enum class utf16_order { little, big };

/// Whether `text` looks like UTF-16 rather than UTF-8: it starts with a UTF-16 byte order mark
/// (FF FE, FE FF), or, without one, its first bytes have a NUL in every other byte (the high
/// byte of ASCII text, which regulations start with) and nowhere else. nullopt otherwise.
std::optional<utf16_order> detect_utf16(std::string_view text);

/// Whether `text` looks like UTF-32 (its byte order mark 00 00 FE FF or FF FE 00 00, or, without
/// one, ASCII text with three NUL bytes in every four-byte unit). UTF-32 is checked before UTF-16
/// (FF FE 00 00 starts like UTF-16's mark); detect_utf16() says nullopt for UTF-32 text.
std::optional<utf16_order> detect_utf32(std::string_view text);

/// The first line of a UTF-32 text as UTF-8, as utf16_first_line().
std::string utf32_first_line(std::string_view text, utf16_order order);

/// The first line of a UTF-16 text (without its byte order mark and line break) as UTF-8, so a
/// diagnostic can show it; an unpaired surrogate becomes U+FFFD.
std::string utf16_first_line(std::string_view text, utf16_order order);

}  // namespace thidua
