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

// Why a write failed, in the current language for the reasons a user can act on (a missing
// directory, permissions, a full or read-only disk); strerror()'s English text otherwise.
std::string reason(int err) {
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
        default:
            return std::strerror(err);
    }
}

std::string cannot_write(const std::string& path, int err) {
    return tr(msg::file_cannot_write, fmt::arg("path", path), fmt::arg("reason", reason(err)));
}

}  // namespace

std::string write_file_atomically(const std::string& path, std::string_view content) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    fs::path dir = target.parent_path();
    if (dir.empty()) {
        dir = ".";
    }
    std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) {
        return cannot_write(path, errno);
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            ::unlink(tmpl.c_str());
            return cannot_write(path, err);
        }
        done += static_cast<std::size_t>(n);
    }
    // mkstemp creates the file 0600; an output file is an ordinary document.
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return cannot_write(path, err);
    }
    if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return cannot_write(path, err);
    }
    return "";
}

}  // namespace thidua
