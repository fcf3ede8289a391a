// Running the built `thidua` binary from tests: no shell, cwd = the source directory, output
// captured. Shared by the golden runner and the CLI tests.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
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

// This process's environment with the locale variables that choose the message language
// (LC_ALL, LC_MESSAGES, LANG, LANGUAGE) removed and LANG=C set, then `extra` ("NAME=value")
// appended: tests get English messages whatever the developer's locale, unless they ask.
inline std::vector<std::string> pinned_environment(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string v = *e;
        const auto name = v.substr(0, v.find('='));
        if (name != "LC_ALL" && name != "LC_MESSAGES" && name != "LANG" && name != "LANGUAGE") {
            env.push_back(v);
        }
    }
    bool sets_lang = false;
    for (const auto& x : extra) {
        sets_lang = sets_lang || x.rfind("LANG=", 0) == 0;
    }
    if (!sets_lang) {
        env.emplace_back("LANG=C");
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

// Starts the binary with argv (no shell) and `actions` (which it destroys), the environment of
// pinned_environment(extra_env), cwd = the source directory (so paths in its messages are
// repo-relative); waits for it and returns its wait status.
inline int spawn_binary(const std::vector<std::string>& args, posix_spawn_file_actions_t& actions,
                        const std::vector<std::string>& extra_env = {}) {
    posix_spawn_file_actions_addchdir_np(&actions, THIDUA_SOURCE_DIR);
    std::vector<std::string> storage = args;
    storage.insert(storage.begin(), THIDUA_BINARY);
    std::vector<char*> argv;
    for (auto& a : storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_storage = pinned_environment(extra_env);
    std::vector<char*> envp;
    for (auto& e : env_storage) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, THIDUA_BINARY, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return status;
}

// Runs the binary with argv (no shell), cwd = the source directory, the environment of
// pinned_environment(extra_env); returns stdout + stderr + "exit: N\n".
inline std::string run(const std::vector<std::string>& args,
                       const std::vector<std::string>& extra_env = {}) {
    temp_file out;
    temp_file err;
    REQUIRE(out.fd >= 0);
    REQUIRE(err.fd >= 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out.fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.fd, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    const int status = spawn_binary(args, actions, extra_env);
    std::string result = read_file(out.path) + read_file(err.path);
    if (WIFEXITED(status)) {
        result += "exit: " + std::to_string(WEXITSTATUS(status)) + "\n";
    } else {
        result += "killed by signal " + std::to_string(WTERMSIG(status)) + "\n";
    }
    return result;
}

/// What run_io() saw: the captured streams, and the exit code or the signal that ended the run.
struct io_result {
    std::string out;
    std::string err;
    int exit = -1;   // -1 when killed by a signal
    int signal = 0;  // the signal that killed it, 0 if it exited
};

/// Runs the binary as run() does, with standard output and standard error each as given: "" to
/// capture it (into the result), "closed" to start the binary with that descriptor closed, or a
/// path opened for writing (/dev/full, a file). Standard input is `stdin_from` (default
/// /dev/null).
inline io_result run_io(const std::vector<std::string>& args, const std::string& out_to = "",
                        const std::string& err_to = "",
                        const std::string& stdin_from = "/dev/null") {
    temp_file out;
    temp_file err;
    REQUIRE(out.fd >= 0);
    REQUIRE(err.fd >= 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const auto redirect = [&](const std::string& to, int captured, int fd) {
        if (to.empty()) {
            posix_spawn_file_actions_adddup2(&actions, captured, fd);
        } else if (to == "closed") {
            posix_spawn_file_actions_addclose(&actions, fd);
        } else {
            posix_spawn_file_actions_addopen(&actions, fd, to.c_str(), O_WRONLY, 0);
        }
    };
    redirect(out_to, out.fd, STDOUT_FILENO);
    redirect(err_to, err.fd, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_from.c_str(), O_RDONLY, 0);
    const int status = spawn_binary(args, actions);
    io_result r;
    r.out = read_file(out.path);
    r.err = read_file(err.path);
    if (WIFEXITED(status)) {
        r.exit = WEXITSTATUS(status);
    } else {
        r.signal = WTERMSIG(status);
    }
    return r;
}

/// A fresh empty directory under the system temp dir, removed with everything in it at the end.
struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string templ = (fs::temp_directory_path() / "thidua-test-XXXXXX").string();
        REQUIRE(mkdtemp(templ.data()) != nullptr);
        path = templ;
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
    }
};

/// The names of the files in `dir`, sorted.
inline std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
        names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// What a reader of a page or a workbook sees: HTML and XML entities decoded.
inline std::string unescape(std::string s) {
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
        for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos;) {
            s.replace(at, from.size(), to);
            at += to.size();
        }
    }
    return s;
}

/// The standard output of a shell command the test builds itself (no quoting issues); the
/// command must succeed.
inline std::string command_output(const std::string& cmd) {
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
        out.append(buf, n);
    }
    REQUIRE(pclose(p) == 0);
    return out;
}

/// One member of a zip archive (a workbook), through `unzip -p`.
inline std::string unzip(const fs::path& archive, const std::string& member) {
    return command_output("unzip -p '" + archive.string() + "' '" + member + "'");
}

}  // namespace thidua::testing
