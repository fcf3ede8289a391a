// Small I/O helpers shared by the commands: content hashes and atomic output files.
#pragma once

#include <string>
#include <string_view>

namespace thidua {

/// Lower-case hexadecimal SHA-256 of the bytes (OpenSSL's libcrypto).
std::string sha256_hex(std::string_view bytes);

/// Writes `content` to `path` atomically: a temporary file in the same directory is written,
/// flushed and renamed over `path`, so an error never leaves a partial file. Returns an empty
/// string on success, else a message.
std::string write_file_atomically(const std::string& path, std::string_view content);

}  // namespace thidua
