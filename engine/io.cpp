#include "engine/io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "dsl/i18n.hpp"

namespace thidua {

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1
        || EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1
        || EVP_DigestFinal_ex(ctx.get(), digest.data(), &len) != 1) {
        return "";
    }
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

namespace {

std::string cannot_write(const std::string& path, int err) {
    return tr(msg::file_cannot_write, fmt::arg("path", path),
              fmt::arg("reason", write_error_reason(err)));
}

// A name of an open file descriptor (/dev/stdout, /dev/fd/1, /proc/self/fd/1): written through
// as it is. Its link's text may name no file at all (`pipe:[1234]`), and a regular file behind
// it may have been opened for appending (`>> log`), which replacing it would undo.
bool is_descriptor_alias(const std::string& path) {
    return path.rfind("/proc/", 0) == 0 || path.rfind("/dev/fd/", 0) == 0;
}

// Writes all of `content` to `fd`; 0 or the errno of the failure.
int write_all(int fd, std::string_view content) {
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

// An existing file that is not a regular one (a device, a FIFO, a descriptor's name): opened and
// written as it is, never replaced.
std::string write_directly(const std::string& shown, const std::string& path,
                           std::string_view content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return cannot_write(shown, errno);
    }
    int err = write_all(fd, content);
    if (::close(fd) != 0 && err == 0) {
        err = errno;
    }
    return err == 0 ? std::string() : cannot_write(shown, err);
}

// A regular file, new (`existing` null) or replacing `existing`: a temporary file beside it,
// renamed over it.
std::string write_atomically(const std::string& shown, const std::string& path,
                             std::string_view content, const struct stat* existing) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    fs::path dir = target.parent_path();
    if (dir.empty()) {
        dir = ".";
    }
    std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) {
        return cannot_write(shown, errno);
    }
    const auto fail = [&](int err) {
        ::close(fd);
        ::unlink(tmpl.c_str());
        return cannot_write(shown, err);
    };
    if (const int err = write_all(fd, content); err != 0) {
        return fail(err);
    }
    // mkstemp creates the file 0600. A replaced file keeps its mode, and its owner and group when
    // this process may give them (root, or a group it belongs to): best effort, as cp does. A new
    // file is an ordinary document: 0666 less the umask.
    mode_t mode = 0;
    if (existing != nullptr) {
        if (::fchown(fd, existing->st_uid, existing->st_gid) != 0) {
            (void)::fchown(fd, static_cast<uid_t>(-1), existing->st_gid);
        }
        mode = existing->st_mode & 07777U;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666U & ~mask;
    }
    if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
        return fail(errno);
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return cannot_write(shown, err);
    }
    if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return cannot_write(shown, err);
    }
    return "";
}

}  // namespace

std::string write_error_reason(int err) {
    switch (err) {
        case ENOENT:
            return tr(msg::errno_enoent);
        case EACCES:
            return tr(msg::errno_eacces);
        case ENOSPC:
            return tr(msg::errno_enospc);
        case EROFS:
            return tr(msg::errno_erofs);
        case EISDIR:
            return tr(msg::errno_eisdir);
        case ENOTDIR:
            return tr(msg::errno_enotdir);
        case EDQUOT:
            return tr(msg::errno_edquot);
        case ELOOP:
            return tr(msg::errno_eloop);
        case EPIPE:
            return tr(msg::errno_epipe);
        case EBADF:
            return tr(msg::errno_ebadf);
        case EIO:
            return tr(msg::errno_eio);
        case EFBIG:
            return tr(msg::errno_efbig);
        default:
            return std::strerror(err);
    }
}

std::string resolve_symlinks(const std::string& path, int& err) {
    namespace fs = std::filesystem;
    err = 0;
    std::string current = path;
    // Linux's own limit on the links of one lookup.
    for (int hops = 0; hops <= 40; ++hops) {
        if (is_descriptor_alias(current)) {
            return current;
        }
        struct stat st {};
        if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
            return current;  // not a link (or missing: a new file; other errors show on open)
        }
        std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 255) + 1, '\0');
        const ssize_t n = ::readlink(current.c_str(), target.data(), target.size());
        if (n < 0) {
            err = errno;
            return "";
        }
        target.resize(static_cast<std::size_t>(n));
        const fs::path t(target);
        current = t.is_absolute() ? target : (fs::path(current).parent_path() / t).string();
    }
    err = ELOOP;
    return "";
}

std::string write_output_file(const std::string& path, std::string_view content) {
    int err = 0;
    const std::string target = resolve_symlinks(path, err);
    if (err != 0) {
        return cannot_write(path, err);
    }
    if (is_descriptor_alias(target)) {
        return write_directly(path, target, content);
    }
    struct stat st {};
    if (::stat(target.c_str(), &st) != 0) {
        if (errno != ENOENT) {
            return cannot_write(path, errno);
        }
        return write_atomically(path, target, content, nullptr);
    }
    if (S_ISDIR(st.st_mode)) {
        return cannot_write(path, EISDIR);
    }
    if (!S_ISREG(st.st_mode)) {
        return write_directly(path, target, content);
    }
    return write_atomically(path, target, content, &st);
}

}  // namespace thidua
