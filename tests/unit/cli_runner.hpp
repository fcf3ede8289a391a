// Running the built `thidua` binary from tests: no shell, cwd = the source directory, output
// captured. Shared by the golden runner and the CLI tests.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;  // NOLINT: POSIX

namespace thidua::testing {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A temporary file that removes itself.
struct temp_file {
    std::string path;
    int fd = -1;
    temp_file() {
        std::string templ = (fs::temp_directory_path() / "thidua-golden-XXXXXX").string();
        fd = mkstemp(templ.data());
        path = templ;
    }
    ~temp_file() {
        if (fd >= 0) {
            close(fd);
            unlink(path.c_str());
        }
    }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
};

// Runs the binary with argv (no shell), cwd = the source directory; returns stdout + stderr +
// "exit: N\n".
inline std::string run(const std::vector<std::string>& args) {
    temp_file out;
    temp_file err;
    REQUIRE(out.fd >= 0);
    REQUIRE(err.fd >= 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out.fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.fd, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    // The binary runs in the source directory, so paths in its messages are repo-relative.
    posix_spawn_file_actions_addchdir_np(&actions, THIDUA_SOURCE_DIR);
    std::vector<char*> argv;
    std::vector<std::string> storage = args;
    storage.insert(storage.begin(), THIDUA_BINARY);
    for (auto& a : storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, THIDUA_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    std::string result = read_file(out.path) + read_file(err.path);
    if (WIFEXITED(status)) {
        result += "exit: " + std::to_string(WEXITSTATUS(status)) + "\n";
    } else {
        result += "killed by signal " + std::to_string(WTERMSIG(status)) + "\n";
    }
    return result;
}

}  // namespace thidua::testing
