#include "dsl/source.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <uninorm.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "dsl/i18n.hpp"

namespace thidua {

namespace {

// A text whose only line ends are lone CRs (classic Mac OS, some old exports) gets LFs instead:
// byte for byte, so offsets do not move, and lines are counted as the user sees them. A text
// with any LF is left as it is (a stray CR in a CRLF or LF file is not a line end).
std::string cr_line_ends_to_lf(std::string text) {
    if (text.find('\n') == std::string::npos && text.find('\r') != std::string::npos) {
        std::replace(text.begin(), text.end(), '\r', '\n');
    }
    return text;
}

}  // namespace

source_file::source_file(std::string path, std::string text)
    : path_(std::move(path)), text_(normalize_nfc(cr_line_ends_to_lf(std::move(text)))) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') {
            line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
        }
    }
}

namespace {

// The kind of a file that is neither regular nor a directory, as a message says it.
std::string file_kind(mode_t mode) {
    if (S_ISFIFO(mode)) {
        return tr(msg::file_kind_fifo);
    }
    if (S_ISCHR(mode)) {
        return tr(msg::file_kind_char_device);
    }
    if (S_ISBLK(mode)) {
        return tr(msg::file_kind_block_device);
    }
    if (S_ISSOCK(mode)) {
        return tr(msg::file_kind_socket);
    }
    return tr(msg::file_kind_other);
}

// Why a file could not be opened for reading.
std::string open_error(const std::string& path, int err) {
    switch (err) {
        case ENOENT: {
            // A symbolic link whose target is missing: say so, with the target.
            std::error_code ec;
            if (std::filesystem::is_symlink(path, ec)) {
                const auto target = std::filesystem::read_symlink(path, ec);
                if (!ec) {
                    return tr(msg::file_dangling_symlink, fmt::arg("target", target.string()));
                }
            }
            return tr(msg::file_no_such_file);
        }
        case EACCES:
        case EPERM:
            return tr(msg::file_cannot_open);
        case ELOOP:
            return tr(msg::file_symlink_loop);
        case EISDIR:
            return tr(msg::file_is_directory);
        default:
            return tr(msg::file_cannot_read_reason, fmt::arg("reason", std::strerror(err)));
    }
}

std::string size_text(std::uint64_t bytes) {
    constexpr std::uint64_t mib = 1024U * 1024U;
    if (bytes >= mib * 1024U && bytes % (mib * 1024U) == 0) {
        return fmt::format("{} GiB", bytes / (mib * 1024U));
    }
    if (bytes >= mib && bytes % mib == 0) {
        return fmt::format("{} MiB", bytes / mib);
    }
    return fmt::format("{} bytes", bytes);
}

}  // namespace

std::string too_large_message(std::uint64_t size, std::uint64_t limit) {
    return tr(msg::file_too_large, fmt::arg("size", size), fmt::arg("limit", size_text(limit)));
}

std::optional<std::string> read_text_file(const std::string& path, std::string& error,
                                          std::uint64_t limit, bool* too_large) {
    if (too_large != nullptr) {
        *too_large = false;
    }
    if (path == "-") {
        error = tr(msg::file_stdin_not_supported);
        return std::nullopt;
    }
    // Non-blocking: opening a FIFO for reading must not wait for a writer (it is refused below).
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        error = open_error(path, errno);
        return std::nullopt;
    }
    const auto fail = [&](std::string message) -> std::optional<std::string> {
        ::close(fd);
        error = std::move(message);
        return std::nullopt;
    };
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return fail(tr(msg::file_cannot_read_reason, fmt::arg("reason", std::strerror(errno))));
    }
    if (S_ISDIR(st.st_mode)) {
        return fail(tr(msg::file_is_directory));
    }
    // A FIFO, a device (/dev/zero, /dev/stdin on a pipe), a socket: it may never end, and what
    // it holds cannot be read twice.
    if (!S_ISREG(st.st_mode)) {
        return fail(tr(msg::file_not_regular, fmt::arg("kind", file_kind(st.st_mode))));
    }
    // The size is checked before anything is read: a huge file is refused at once.
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > limit) {
        if (too_large != nullptr) {
            *too_large = true;
        }
        return fail(too_large_message(size, limit));
    }
    std::string text;
    text.resize(static_cast<std::size_t>(size));
    std::size_t done = 0;
    // Into the string sized by fstat; then, at its end, into a small buffer: the end of the file
    // is found without growing the string (which would copy it), unless the file grew since.
    std::array<char, 65536> more{};
    while (true) {
        const bool full = done == text.size();
        const ssize_t n = full ? ::read(fd, more.data(), more.size())
                               : ::read(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(tr(msg::file_cannot_read_reason, fmt::arg("reason", std::strerror(errno))));
        }
        if (n == 0) {
            break;
        }
        if (full) {
            text.append(more.data(), static_cast<std::size_t>(n));
            if (text.size() > limit) {
                if (too_large != nullptr) {
                    *too_large = true;
                }
                return fail(too_large_message(text.size(), limit));
            }
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    text.resize(done);
    return text;
}

std::shared_ptr<source_file> source_file::load(const std::string& path, std::string& error) {
    auto text = read_text_file(path, error, max_regulation_size);
    if (!text) {
        return nullptr;
    }
    return std::make_shared<source_file>(path, std::move(*text));
}

std::string normalize_nfc(std::string text) {
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
    if (ascii || find_invalid_utf8(text) != std::string_view::npos) {
        return text;
    }
    std::size_t length = 0;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): libunistring's uint8_t API
    const auto* in = reinterpret_cast<const std::uint8_t*>(text.data());
    std::uint8_t* out = u8_normalize(UNINORM_NFC, in, text.size(), nullptr, &length);
    if (out == nullptr) {
        return text;  // out of memory: the text stays as it was
    }
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    std::string result(reinterpret_cast<const char*>(out), length);
    std::free(out);  // NOLINT(cppcoreguidelines-no-malloc): allocated by libunistring
    return result;
}

std::shared_ptr<source_file> source_file::combine(
    std::string path, const std::vector<std::shared_ptr<const source_file>>& parts) {
    std::vector<part> flat;
    std::string text;
    for (const auto& p : parts) {
        const auto base = static_cast<std::uint32_t>(text.size());
        if (p->parts_.empty()) {
            flat.push_back({base, p});
        } else {
            for (const auto& inner : p->parts_) {
                flat.push_back({base + inner.begin, inner.file});
            }
        }
        text += p->text();
    }
    auto out = std::make_shared<source_file>(std::move(path), std::move(text));
    out->parts_ = std::move(flat);
    return out;
}

std::pair<const source_file*, std::uint32_t> source_file::origin(std::uint32_t offset) const {
    if (parts_.empty()) {
        return {this, offset};
    }
    // The last part starting at or before the offset (an offset at the very end of a part
    // belongs to the next one only when that one is not empty).
    auto it = std::upper_bound(parts_.begin(), parts_.end(), offset,
                               [](std::uint32_t o, const part& p) { return o < p.begin; });
    if (it != parts_.begin()) {
        --it;
    }
    return {it->file.get(), offset - it->begin};
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80U) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800U) {
        out += static_cast<char>(0xC0U | (cp >> 6U));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    } else if (cp < 0x10000U) {
        out += static_cast<char>(0xE0U | (cp >> 12U));
        out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    } else {
        out += static_cast<char>(0xF0U | (cp >> 18U));
        out += static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU));
        out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    }
}

std::string_view source_file::slice(span s) const {
    const auto size = static_cast<std::uint32_t>(text_.size());
    const auto b = std::min(s.begin, size);
    const auto e = std::min(std::max(s.end, b), size);
    return std::string_view(text_).substr(b, e - b);
}

location source_file::locate(std::uint32_t offset) const {
    offset = std::min(offset, static_cast<std::uint32_t>(text_.size()));
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
    const auto start = line_starts_[line_index];
    const auto column = utf8_width(std::string_view(text_).substr(start, offset - start)) + 1;
    return {static_cast<std::uint32_t>(line_index + 1), column};
}

std::string_view source_file::line_text(std::uint32_t line) const {
    if (line == 0 || line > line_starts_.size()) {
        return {};
    }
    const auto start = line_starts_[line - 1];
    std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                                   : static_cast<std::uint32_t>(text_.size());
    if (end > start && text_[end - 1] == '\r') {
        --end;
    }
    return std::string_view(text_).substr(start, end - start);
}

std::uint32_t utf8_width(std::string_view bytes) {
    std::uint32_t n = 0;
    for (const char c : bytes) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++n;
        }
    }
    return n;
}

std::size_t find_invalid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80U) {
            ++i;
            continue;
        }
        if ((c & 0xE0U) == 0xC0U) {
            len = 2;
            cp = c & 0x1FU;
        } else if ((c & 0xF0U) == 0xE0U) {
            len = 3;
            cp = c & 0x0FU;
        } else if ((c & 0xF8U) == 0xF0U) {
            len = 4;
            cp = c & 0x07U;
        } else {
            return i;
        }
        if (i + len > text.size()) {
            return i;
        }
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0U) != 0x80U) {
                return i;
            }
            cp = (cp << 6U) | (cc & 0x3FU);
        }
        // Reject overlong encodings, surrogates and code points past U+10FFFF.
        if ((len == 2 && cp < 0x80U) || (len == 3 && cp < 0x800U) || (len == 4 && cp < 0x10000U)
            || (cp >= 0xD800U && cp <= 0xDFFFU) || cp > 0x10FFFFU) {
            return i;
        }
        i += len;
    }
    return std::string_view::npos;
}

std::optional<utf16_order> detect_utf32(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    if (text.size() >= 4) {
        if (byte(0) == 0xFFU && byte(1) == 0xFEU && byte(2) == 0 && byte(3) == 0) {
            return utf16_order::little;
        }
        if (byte(0) == 0 && byte(1) == 0 && byte(2) == 0xFEU && byte(3) == 0xFFU) {
            return utf16_order::big;
        }
    }
    // Without a mark: in the first 64 units, the two middle bytes are always NUL, and so is one
    // end byte (the high one) of at least half of them while the other end never is.
    const std::size_t units = std::min<std::size_t>(text.size() / 4, 64);
    if (units < 2) {
        return std::nullopt;
    }
    std::size_t low_nuls = 0;   // byte 0 of a unit
    std::size_t high_nuls = 0;  // byte 3
    for (std::size_t i = 0; i < units; ++i) {
        if (byte(4 * i + 1) != 0 || byte(4 * i + 2) != 0) {
            return std::nullopt;
        }
        low_nuls += byte(4 * i) == 0 ? 1U : 0U;
        high_nuls += byte(4 * i + 3) == 0 ? 1U : 0U;
    }
    if (low_nuls == 0 && high_nuls * 2 >= units) {
        return utf16_order::little;
    }
    if (high_nuls == 0 && low_nuls * 2 >= units) {
        return utf16_order::big;
    }
    return std::nullopt;
}

std::string utf32_first_line(std::string_view text, utf16_order order) {
    const auto unit = [&](std::size_t i) {
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const auto b =
                static_cast<unsigned char>(text[i + (order == utf16_order::little ? 3 - k : k)]);
            v = (v << 8U) | b;
        }
        return v;
    };
    std::string out;
    std::size_t i = text.size() >= 4 && unit(0) == 0xFEFFU ? 4 : 0;
    for (; i + 3 < text.size() && out.size() < 1000; i += 4) {
        std::uint32_t cp = unit(i);
        if (cp == '\n' || cp == '\r') {
            break;
        }
        if (cp > 0x10FFFFU || (cp >= 0xD800U && cp < 0xE000U)) {
            cp = 0xFFFDU;
        }
        append_utf8(out, cp);
    }
    return out;
}

std::shared_ptr<const source_file> excerpt_source(const source_file& file, std::uint32_t offset,
                                                  span& where) {
    const location at = file.locate(offset);
    const std::string_view line = file.line_text(at.line);
    const std::string_view text = file.text();
    const auto line_begin = static_cast<std::size_t>(line.data() - text.data());
    const std::size_t in_line = std::min<std::size_t>(offset - line_begin, line.size());
    // The line up to the offset, then 40 bytes more at most (up to a character boundary).
    std::size_t cut = std::min(line.size(), in_line + 40);
    while (cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0U) == 0x80U) {
        ++cut;
    }
    std::string shown(at.line - 1, '\n');
    const auto begin = static_cast<std::uint32_t>(shown.size() + in_line);
    shown += line.substr(0, cut);
    where = {begin, std::min<std::uint32_t>(begin + 1, static_cast<std::uint32_t>(shown.size()))};
    return std::make_shared<const source_file>(file.path(), std::move(shown));
}

std::optional<utf16_order> detect_utf16(std::string_view text) {
    if (detect_utf32(text)) {
        return std::nullopt;
    }
    if (text.size() >= 2) {
        const auto b0 = static_cast<unsigned char>(text[0]);
        const auto b1 = static_cast<unsigned char>(text[1]);
        if (b0 == 0xFFU && b1 == 0xFEU) {
            return utf16_order::little;
        }
        if (b0 == 0xFEU && b1 == 0xFFU) {
            return utf16_order::big;
        }
    }
    // Without a mark: look at the first 64 code units. UTF-8 text has no NUL at all, so NULs in
    // the high bytes only (at least half of the units: ASCII letters, spaces, line breaks) and
    // never in the low bytes are UTF-16.
    const std::size_t units = std::min<std::size_t>(text.size() / 2, 64);
    if (units < 2) {
        return std::nullopt;
    }
    std::size_t even_nuls = 0;
    std::size_t odd_nuls = 0;
    for (std::size_t i = 0; i < units; ++i) {
        even_nuls += text[2 * i] == '\0' ? 1U : 0U;
        odd_nuls += text[2 * i + 1] == '\0' ? 1U : 0U;
    }
    if (even_nuls == 0 && odd_nuls * 2 >= units) {
        return utf16_order::little;
    }
    if (odd_nuls == 0 && even_nuls * 2 >= units) {
        return utf16_order::big;
    }
    return std::nullopt;
}

std::string utf16_first_line(std::string_view text, utf16_order order) {
    auto unit = [&](std::size_t i) {
        const auto a = static_cast<unsigned char>(text[i]);
        const auto b = static_cast<unsigned char>(text[i + 1]);
        return static_cast<std::uint32_t>(order == utf16_order::little ? (b << 8U) | a
                                                                       : (a << 8U) | b);
    };
    std::string out;
    std::size_t i = 0;
    if (text.size() >= 2 && (unit(0) == 0xFEFFU)) {
        i = 2;
    }
    for (; i + 1 < text.size(); i += 2) {
        std::uint32_t cp = unit(i);
        if (cp == '\n' || cp == '\r') {
            break;
        }
        if (cp >= 0xD800U && cp < 0xDC00U && i + 3 < text.size() && unit(i + 2) >= 0xDC00U
            && unit(i + 2) < 0xE000U) {
            cp = 0x10000U + ((cp - 0xD800U) << 10U) + (unit(i + 2) - 0xDC00U);
            i += 2;
        } else if (cp >= 0xD800U && cp < 0xE000U) {
            cp = 0xFFFDU;
        }
        append_utf8(out, cp);
    }
    return out;
}

}  // namespace thidua
