// Golden tests: every tests/golden/<kind>/**/<name>.tdkt is run through the built `thidua` binary
// and its output compared with <name>.out.
//
// Arguments come from <name>.args when it exists (one line, whitespace-separated, `{file}` is the
// repo-relative path of the .tdkt); the default is `check {file}`. The expected output is stdout,
// then stderr, then a last line `exit: N`. Run with UPDATE_GOLDEN=1 to rewrite the .out files
// (then review them with `git diff`).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;  // NOLINT: POSIX

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> split_words(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    std::string w;
    while (in >> w) {
        words.push_back(w);
    }
    return words;
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
std::string run(const std::vector<std::string>& args) {
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

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

// A line-by-line diff good enough to see what changed: common prefix and suffix are skipped,
// the differing middle is shown as -expected / +actual.
std::string diff(const std::string& expected, const std::string& actual) {
    const auto a = lines_of(expected);
    const auto b = lines_of(actual);
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
        ++prefix;
    }
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
           && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
        ++suffix;
    }
    std::ostringstream out;
    out << "@@ line " << prefix + 1 << " @@\n";
    for (std::size_t i = prefix > 2 ? prefix - 2 : 0; i < prefix; ++i) {
        out << "  " << a[i] << "\n";
    }
    for (std::size_t i = prefix; i < a.size() - suffix; ++i) {
        out << "- " << a[i] << "\n";
    }
    for (std::size_t i = prefix; i < b.size() - suffix; ++i) {
        out << "+ " << b[i] << "\n";
    }
    return out.str();
}

std::vector<fs::path> golden_inputs() {
    std::vector<fs::path> files;
    const fs::path root = fs::path(THIDUA_SOURCE_DIR) / "tests" / "golden";
    if (!fs::exists(root)) {
        return files;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.is_regular_file() && entry.path().extension() == ".tdkt") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("golden files") {
    const auto inputs = golden_inputs();
    REQUIRE(!inputs.empty());
    const char* update_env = std::getenv("UPDATE_GOLDEN");
    const bool update = update_env != nullptr && std::string(update_env) == "1";
    for (const auto& input : inputs) {
        const std::string rel = fs::relative(input, THIDUA_SOURCE_DIR).generic_string();
        DYNAMIC_SECTION(rel) {
            fs::path args_file = input;
            args_file.replace_extension(".args");
            std::vector<std::string> args = {"check", "{file}"};
            if (fs::exists(args_file)) {
                args = split_words(read_file(args_file));
            }
            for (auto& a : args) {
                const auto at = a.find("{file}");
                if (at != std::string::npos) {
                    a.replace(at, 6, rel);
                }
            }
            const std::string actual = run(args);
            fs::path out_file = input;
            out_file.replace_extension(".out");
            if (update) {
                std::ofstream(out_file, std::ios::binary) << actual;
                continue;
            }
            REQUIRE(fs::exists(out_file));
            const std::string expected = read_file(out_file);
            INFO(rel << ": output differs (rerun with UPDATE_GOLDEN=1 to accept)\n"
                     << diff(expected, actual));
            CHECK(expected == actual);
        }
    }
}
