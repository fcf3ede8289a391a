// Small I/O helpers shared by the commands: content hashes and output files.
#pragma once

#include <string>
#include <string_view>

namespace thidua {

/// Lower-case hexadecimal SHA-256 of the bytes (OpenSSL's libcrypto).
std::string sha256_hex(std::string_view bytes);

/// Writes `content` to the output file `path`. Returns an empty string on success, else a
/// message naming the path (`cannot write PATH: REASON`).
///
/// * A symbolic link is followed (to any depth): its target is written, never the link itself.
/// * A regular file (existing or new) is written atomically: a temporary file in the target's
///   directory is written, flushed and renamed over it, so an error never leaves a partial file.
///   An existing file keeps its permission bits (and its owner and group when the process may set
///   them); a new one gets 0666 less the umask.
/// * Any other existing file (a character device such as /dev/null or /dev/stdout, a FIFO, a
///   socket) is opened and written directly: it is never replaced; a write error (/dev/full:
///   "No space left on device") is reported.
std::string write_output_file(const std::string& path, std::string_view content);

/// The path a symbolic link finally points to (relative links resolved against their directory),
/// or `path` itself when it is not a link. Only the last component is followed: the directories
/// above are used as they are. Sets `err` (ELOOP for a loop) and returns "" on failure.
std::string resolve_symlinks(const std::string& path, int& err);

/// Why a write failed, in the current language for the reasons a user can act on (a missing
/// directory, permissions, a full or read-only disk...); strerror()'s English text otherwise.
std::string write_error_reason(int err);

}  // namespace thidua
