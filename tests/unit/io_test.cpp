// Input and output files at the edges (trial 13): where --output writes (through symbolic links,
// into devices and FIFOs, never over an input), failed writes to standard output and standard
// error, inputs that are not regular files, size caps, binary files, and the messages for
// symbolic link loops, UTF-32 and CR-only line ends. Nothing here depends on running as root.
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;
using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::run_io;
using thidua::testing::temp_dir;

const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string data5 = "rules/khoi5-2018/data";

std::string source_path(const std::string& rel) {
    return std::string(THIDUA_SOURCE_DIR) + "/" + rel;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777U;
}

bool is_link(const fs::path& p) {
    return fs::is_symlink(fs::symlink_status(p));
}

// /dev/full as a character device (it is on Linux): writing to it fails with ENOSPC and changes
// nothing, so tests may use it as a target.
bool have_dev_full() {
    struct stat st {};
    return ::stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode);
}

void copy_dir(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive);
}

}  // namespace

TEST_CASE("score --output through a symbolic link writes its target and keeps the link") {
    temp_dir dir;
    dir.write("target.txt", "old\n");
    fs::create_symlink("target.txt", dir.path / "link.txt");
    const auto r = run({"score", khoi5, "--data", data5, "-o", (dir.path / "link.txt").string()});
    CHECK(r == "exit: 0\n");
    CHECK(is_link(dir.path / "link.txt"));
    CHECK(contains(read_file(dir.path / "target.txt"), "Sở Tư pháp"));
    // No temporary file is left beside the link or the target.
    CHECK(thidua::testing::files_in(dir.path)
          == std::vector<std::string>{"link.txt", "target.txt"});
}

TEST_CASE(
    "score --output keeps the mode of the file it replaces, a new file gets 0666 less the umask") {
    temp_dir dir;
    for (const mode_t mode : {mode_t{0600}, mode_t{0640}, mode_t{0664}}) {
        const fs::path out = dir.path / "out.txt";
        dir.write("out.txt", "old\n");
        REQUIRE(::chmod(out.c_str(), mode) == 0);
        CHECK(run({"score", khoi5, "--data", data5, "-o", out.string()}) == "exit: 0\n");
        CHECK(mode_of(out) == mode);
        CHECK(contains(read_file(out), "Sở Tư pháp"));
        fs::remove(out);
    }
    const mode_t mask = ::umask(0);
    ::umask(mask);
    CHECK(run({"score", khoi5, "--data", data5, "-o", (dir.path / "new.txt").string()})
          == "exit: 0\n");
    CHECK(mode_of(dir.path / "new.txt") == (0666U & ~mask));
}

TEST_CASE("score --output to a FIFO writes into it, to /dev/full says the disk is full, exit 2") {
    temp_dir dir;
    const fs::path fifo = dir.path / "out.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // A reader first (non-blocking), so the writer's open does not wait; the table is far smaller
    // than a pipe's buffer.
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    CHECK(run({"score", khoi5, "--data", data5, "-o", fifo.string()}) == "exit: 0\n");
    std::string got(65536, '\0');
    const ssize_t n = ::read(reader, got.data(), got.size());
    ::close(reader);
    REQUIRE(n > 0);
    got.resize(static_cast<std::size_t>(n));
    CHECK(contains(got, "Sở Tư pháp"));
    struct stat st {};
    REQUIRE(::stat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));

    if (have_dev_full()) {
        CHECK(run({"score", khoi5, "--data", data5, "-o", "/dev/full"})
              == "thidua: cannot write /dev/full: No space left on device\nexit: 2\n");
        CHECK(have_dev_full());  // still the device, not a regular file
        CHECK(run({"score", khoi5, "--data", data5, "-o", "/dev/full", "--lang", "vi"})
              == "thidua: không ghi được tệp /dev/full: ổ đĩa đã hết chỗ trống\nexit: 2\n");
    }
}

TEST_CASE("fmt through a symbolic link formats its target and keeps the link and the mode") {
    temp_dir dir;
    dir.write("reg.tdkt", read_file(source_path(khoi5)) + "\n\n\n");
    REQUIRE(::chmod((dir.path / "reg.tdkt").c_str(), 0640) == 0);
    fs::create_symlink("reg.tdkt", dir.path / "link.tdkt");
    const auto out = run({"fmt", (dir.path / "link.tdkt").string()});
    CHECK(contains(out, "exit: 0\n"));
    CHECK(is_link(dir.path / "link.tdkt"));
    CHECK(mode_of(dir.path / "reg.tdkt") == 0640);
    CHECK(run({"fmt", "--check", (dir.path / "reg.tdkt").string()}) == "exit: 0\n");
}

TEST_CASE("score --output with an empty path is a usage error") {
    CHECK(run({"score", khoi5, "--data", data5, "-o", ""})
          == "thidua score: --output needs a file name (an empty one was given); use `--output -` "
             "for standard output\nexit: 2\n");
    CHECK(run({"report", khoi5, "--data", data5, "--output", ""})
          == "thidua report: --output needs a file name (an empty one was given); use `--output "
             "-` for standard output\nexit: 2\n");
}

TEST_CASE("an output that is one of the inputs is refused, nothing written") {
    temp_dir dir;
    const std::string reg_text = read_file(source_path(khoi5));
    dir.write("reg.tdkt", reg_text);
    copy_dir(source_path(data5), dir.path / "dd");
    const std::string reg = (dir.path / "reg.tdkt").string();
    const std::string dd = (dir.path / "dd").string();
    const std::string units = (dir.path / "dd/units.csv").string();
    const std::string units_text = read_file(units);

    CHECK(run({"score", reg, "--data", dd, "-o", reg})
          == "thidua: the output " + reg + " is the input " + reg
                 + "; nothing was written\nexit: 2\n");
    CHECK(read_file(reg) == reg_text);
    CHECK(run({"score", reg, "--data", dd, "--format", "csv", "-o", units})
          == "thidua: the output " + units + " is the input " + units
                 + "; nothing was written\nexit: 2\n");
    CHECK(read_file(units) == units_text);
    // A list file read, another name for the same file (a symbolic link), explain and report.
    const std::string indicators = (dir.path / "dd/indicators.csv").string();
    CHECK(contains(run({"score", reg, "--data", dd, "-o", indicators}).substr(0, 40),
                   "thidua: the output"));
    fs::create_symlink("reg.tdkt", dir.path / "alias.tdkt");
    const std::string alias = (dir.path / "alias.tdkt").string();
    CHECK(run({"explain", reg, "--data", dd, "--unit", "Sở Tư pháp", "-o", alias})
          == "thidua: the output " + alias + " is the input " + reg
                 + "; nothing was written\nexit: 2\n");
    CHECK(run({"report", reg, "--data", dd, "-o", units})
          == "thidua: the output " + units + " is the input " + units
                 + "; nothing was written\nexit: 2\n");
    CHECK(read_file(reg) == reg_text);
    CHECK(read_file(units) == units_text);
    CHECK(is_link(alias));
}

TEST_CASE("the output may not be an amended base, a regulation of a comparison or a test file") {
    temp_dir dir;
    // A draft amending the regulation beside it: the base is read too.
    const std::string base_text = read_file(source_path(khoi5));
    dir.write("regulation.tdkt", base_text);
    std::string draft;
    for (const auto& e : fs::directory_iterator(source_path("rules/khoi5-2018"))) {
        if (e.path().filename().string().rfind("draft-", 0) == 0) {
            draft = e.path().filename().string();
            fs::copy_file(e.path(), dir.path / draft);
        }
    }
    REQUIRE(!draft.empty());
    const std::string base = (dir.path / "regulation.tdkt").string();
    const std::string amended = (dir.path / draft).string();
    CHECK(run({"score", amended, "--data", data5, "-o", base})
          == "thidua: the output " + base + " is the input " + base
                 + "; nothing was written\nexit: 2\n");
    CHECK(run({"diff", base, amended, "--data", data5, "-o", amended})
          == "thidua: the output " + amended + " is the input " + amended
                 + "; nothing was written\nexit: 2\n");
    CHECK(run({"report", amended, "--data", data5, "--versus", base, "-o", base})
          == "thidua: the output " + base + " is the input " + base
                 + "; nothing was written\nexit: 2\n");
    CHECK(read_file(base) == base_text);

    // thidua test --output over the test file it runs.
    const std::string tests = source_path("rules/khoi5-2018/regulation.test.tdkt");
    dir.write("regulation.test.tdkt", read_file(tests));
    const std::string test_file = (dir.path / "regulation.test.tdkt").string();
    const auto r = run({"test", test_file, "-o", test_file});
    CHECK(contains(r, "thidua: the output " + test_file + " is the input " + test_file
                          + "; nothing was written\nexit: 2\n"));
    CHECK(read_file(test_file) == read_file(tests));
}

TEST_CASE("a failed write to standard output is said, exit 2, never an abort") {
    if (!have_dev_full()) {
        return;
    }
    const std::string full = "thidua: cannot write to standard output: No space left on device\n";
    const std::vector<std::vector<std::string>> commands = {
        {"score", khoi5, "--data", data5},
        {"score", khoi5, "--data", data5, "--format", "json"},
        {"score", khoi5, "--data", data5, "--format", "csv"},
        {"explain", khoi5, "--data", data5, "--unit", "Sở Tư pháp", "--format", "json"},
        {"diff", khoi5, khoi5, "--data", data5, "--format", "json"},
        {"diff", khoi5, khoi5, "--data", data5},
        {"fmt", "--stdout", khoi5},
        {"check", "--dump-ast", khoi5},
        {"check", "--format", "json", khoi5},
        {"test", "rules/khoi5-2018/regulation.test.tdkt"},
        {"--help"},
    };
    for (const auto& args : commands) {
        INFO(args.front() << " " << args.back());
        const auto r = run_io(args, "/dev/full");
        CHECK(r.signal == 0);
        CHECK(r.exit == 2);
        CHECK(contains(r.err, full));
    }
    // Closed: the descriptor is not taken by a file the run opens, and the loss is said.
    const auto closed = run_io({"score", khoi5, "--data", data5}, "closed");
    CHECK(closed.signal == 0);
    CHECK(closed.exit == 2);
    CHECK(closed.err == "thidua: cannot write to standard output: Bad file descriptor\n");
    // Nothing written to stdout: a closed stdout is no error.
    temp_dir dir;
    const auto to_file =
        run_io({"score", khoi5, "--data", data5, "-o", (dir.path / "o.txt").string()}, "closed");
    CHECK(to_file.exit == 0);
    CHECK(to_file.err.empty());
}

TEST_CASE("a failed write to standard error keeps the run's exit code") {
    temp_dir dir;
    dir.write("bad.tdkt", "quy định \"x\"\n  tiêu chí\n");
    const std::string reg = (dir.path / "bad.tdkt").string();
    const auto normal = run_io({"check", reg});
    REQUIRE(normal.exit == 1);
    for (const std::string& to : {std::string("closed"), std::string("/dev/full")}) {
        if (to == "/dev/full" && !have_dev_full()) {
            continue;
        }
        const auto r = run_io({"check", reg}, "", to);
        CHECK(r.signal == 0);
        CHECK(r.exit == 1);
        const auto missing = run_io({"check", (dir.path / "missing.tdkt").string()}, "", to);
        CHECK(missing.signal == 0);
        CHECK(missing.exit == 2);
        const auto ok = run_io({"check", khoi5}, "", to);
        CHECK(ok.exit == 0);
    }
}

TEST_CASE("a reader that stops early ends the run quietly (SIGPIPE), never an abort") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);  // the reader is gone before anything is written
    const std::string writer = "/proc/self/fd/" + std::to_string(fds[1]);
    const auto r = run_io({"check", "--dump-ast", khoi5}, writer);
    ::close(fds[1]);
    CHECK(r.signal != SIGABRT);
    CHECK((r.signal == SIGPIPE || r.exit == 2));
}

TEST_CASE("inputs that are not regular files are refused at once") {
    temp_dir dir;
    const fs::path fifo = dir.path / "fifo.tdkt";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(run({"check", fifo.string()})
          == fifo.string() + ": error: not a regular file (a FIFO)\nexit: 2\n");
    CHECK(run({"score", fifo.string(), "--data", data5})
          == "thidua: " + fifo.string() + ": not a regular file (a FIFO)\nexit: 2\n");
    CHECK(
        run({"check", "--lang", "vi", fifo.string()})
        == fifo.string()
               + ": lỗi: không phải tệp thông thường (một FIFO, tức đường ống có tên)\nexit: 2\n");
    // Results: a FIFO given as the file, and one named units.csv or a list's file in a folder.
    const fs::path csv = dir.path / "fifo.csv";
    REQUIRE(::mkfifo(csv.c_str(), 0600) == 0);
    CHECK(contains(run({"score", khoi5, "--data", csv.string()}),
                   "error[E200]: " + csv.string() + ": not a regular file (a FIFO)\n"));
    const fs::path folder = dir.path / "kq";
    copy_dir(source_path(data5), folder);
    fs::remove(folder / "units.csv");
    REQUIRE(::mkfifo((folder / "units.csv").c_str(), 0600) == 0);
    const auto r = run({"score", khoi5, "--data", folder.string()});
    CHECK(contains(r, (folder / "units.csv").string() + ": not a regular file (a FIFO)"));
    CHECK(!contains(r, "has no units.csv"));
    CHECK(contains(r, "exit: 2\n"));
    copy_dir(source_path(data5), dir.path / "kq2");
    fs::remove(dir.path / "kq2/indicators.csv");
    REQUIRE(::mkfifo((dir.path / "kq2/indicators.csv").c_str(), 0600) == 0);
    CHECK(contains(run({"score", khoi5, "--data", (dir.path / "kq2").string()}),
                   "indicators.csv: not a regular file (a FIFO)"));
    // A character device (/dev/null is one everywhere), and `-`.
    CHECK(run({"check", "/dev/null"})
          == "/dev/null: error: not a regular file (a character device)\nexit: 2\n");
    CHECK(
        run({"check", "-"})
        == "-: error: `-` (standard input) cannot be read here: give the path of a file\nexit: "
           "2\n");
    CHECK(contains(run({"score", khoi5, "--data", "-"}),
                   "-: `-` (standard input) cannot be read here: give the path of a file\n"));
}

TEST_CASE("size caps: checked from the size before reading (sparse files)") {
    temp_dir dir;
    const fs::path reg = dir.path / "big.tdkt";
    { std::ofstream(reg) << "x"; }
    fs::resize_file(reg, std::uintmax_t{64} * 1024 * 1024 + 1);
    CHECK(run({"check", reg.string()})
          == reg.string()
                 + ": error: the file is too large (67108865 bytes; at most 64 MiB)\nexit: 2\n");
    copy_dir(source_path(data5), dir.path / "kq");
    const fs::path units = dir.path / "kq/units.csv";
    fs::resize_file(units, std::uintmax_t{5} << 30U);
    const auto r = run({"score", khoi5, "--data", (dir.path / "kq").string()});
    CHECK(
        contains(r, "error[E201]: " + units.string() + ": the file is too large (4 GiB or more)"));
    CHECK(contains(r, "exit: 1\n"));
}

TEST_CASE("binary files: the first NUL is reported with a short excerpt") {
    temp_dir dir;
    const std::string nuls(std::size_t{3} << 20U, '\0');
    dir.write("nul.tdkt", nuls);
    const auto reg = run({"check", (dir.path / "nul.tdkt").string()});
    CHECK(contains(reg, "nul.tdkt:1:1: error[E002]: binary file: found a NUL byte"));
    CHECK(reg.size() < 2000);
    // After a few lines of text: the line and column of the NUL are kept.
    dir.write("late.tdkt", "# a\n# b\nabc" + nuls);
    const auto late = run({"check", (dir.path / "late.tdkt").string()});
    CHECK(contains(late, "late.tdkt:3:4: error[E002]"));
    CHECK(late.size() < 2000);
    copy_dir(source_path(data5), dir.path / "kq");
    dir.write("kq/units.csv", nuls);
    const auto data = run({"score", khoi5, "--data", (dir.path / "kq").string()});
    CHECK(contains(data, "units.csv:1:1: error[E203]: NUL byte at byte offset 0"));
    CHECK(data.size() < 4000);
}

TEST_CASE("a symbolic link loop and a link to nothing are said as such") {
    temp_dir dir;
    fs::create_symlink("loop.tdkt", dir.path / "loop.tdkt");
    const std::string loop = (dir.path / "loop.tdkt").string();
    CHECK(run({"check", loop})
          == loop + ": error: too many levels of symbolic links (a symbolic link loop)\nexit: 2\n");
    fs::create_symlink("gone.tdkt", dir.path / "dangling.tdkt");
    CHECK(contains(run({"check", (dir.path / "dangling.tdkt").string()}),
                   "a symbolic link to `gone.tdkt`, which does not exist"));
    fs::create_symlink("loop.csv", dir.path / "loop.csv");
    CHECK(contains(run({"score", khoi5, "--data", (dir.path / "loop.csv").string()}),
                   "loop.csv: too many levels of symbolic links (a symbolic link loop)"));
    // As an output: the loop is named, nothing is created.
    CHECK(run({"score", khoi5, "--data", data5, "-o", loop})
          == "thidua: cannot write " + loop + ": Too many levels of symbolic links\nexit: 2\n");
}

namespace {

std::string utf32(const std::string& ascii, bool big_endian, bool bom) {
    std::string out;
    const auto unit = [&](unsigned char c) {
        out += big_endian ? std::string{'\0', '\0', '\0', static_cast<char>(c)}
                          : std::string{static_cast<char>(c), '\0', '\0', '\0'};
    };
    if (bom) {
        out += big_endian ? std::string("\0\0\xFE\xFF", 4) : std::string("\xFF\xFE\0\0", 4);
    }
    for (const char c : ascii) {
        unit(static_cast<unsigned char>(c));
    }
    return out;
}

}  // namespace

TEST_CASE("UTF-32 files are called UTF-32") {
    temp_dir dir;
    for (const bool big : {false, true}) {
        for (const bool bom : {false, true}) {
            INFO("big endian " << big << ", mark " << bom);
            dir.write("r.tdkt", utf32("regulation \"x\" scale 100\n", big, bom));
            const auto reg = run({"check", (dir.path / "r.tdkt").string()});
            CHECK(contains(reg, "error[E002]: this file is UTF-32; save it as UTF-8"));
            CHECK(contains(reg, "regulation \"x\" scale 100"));  // the first line, decoded
            copy_dir(source_path(data5), dir.path / "kq");
            dir.write("kq/units.csv", utf32("unit,x\nA,1\n", big, bom));
            CHECK(contains(run({"score", khoi5, "--data", (dir.path / "kq").string()}),
                           "error[E202]: the file is UTF-32, not UTF-8"));
            fs::remove_all(dir.path / "kq");
        }
    }
}

TEST_CASE("a JSON file's encoding errors do not speak of Excel's CSV") {
    temp_dir dir;
    dir.write("r.json", "[{\"unit\": \"S\xF4 A\"}]\n");
    const auto r = run({"score", khoi5, "--data", (dir.path / "r.json").string()});
    CHECK(contains(r,
                   "error[E202]: invalid UTF-8 at byte offset 12 (byte 0xF4); save the file as "
                   "UTF-8 (the program that wrote it"));
    CHECK(!contains(r, "Excel"));
    dir.write("u16.json", std::string("\xFF\xFE[\0]\0", 6));
    const auto u16 = run({"score", khoi5, "--data", (dir.path / "u16.json").string()});
    CHECK(contains(u16, "the file is UTF-16, not UTF-8; save it as UTF-8\n"));
    CHECK(!contains(u16, "Excel"));
}

TEST_CASE("CR-only line ends (classic Mac) are line ends, counted as lines") {
    temp_dir dir;
    std::string text = read_file(source_path(khoi5));
    std::string cr = text;
    // The file has LF line ends: each becomes a lone CR.
    for (auto& c : cr) {
        if (c == '\n') {
            c = '\r';
        }
    }
    REQUIRE(cr.find('\n') == std::string::npos);
    dir.write("cr.tdkt", cr);
    CHECK(run({"check", (dir.path / "cr.tdkt").string()})
          == (dir.path / "cr.tdkt").string() + ": ok\nexit: 0\n");
    // An error on line 3 is said at line 3.
    dir.write("bad.tdkt", std::string("# one\r# two\r@@@\r"));
    CHECK(contains(run({"check", (dir.path / "bad.tdkt").string()}), "bad.tdkt:3:1: error"));
    // Results: the same scores as with LF.
    copy_dir(source_path(data5), dir.path / "kq");
    for (const auto& e : fs::directory_iterator(dir.path / "kq")) {
        std::string t = read_file(e.path());
        std::string converted;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n') {
                continue;
            }
            converted += t[i] == '\n' ? '\r' : t[i];
        }
        std::ofstream(e.path(), std::ios::binary) << converted;
    }
    CHECK(run({"score", khoi5, "--data", (dir.path / "kq").string()})
          == run({"score", khoi5, "--data", data5}));
}

TEST_CASE("fmt - reads standard input within the size of a regulation") {
    const auto zero = run_io({"fmt", "-"}, "", "", "/dev/zero");
    CHECK(zero.exit == 2);
    CHECK(contains(zero.err, "thidua: <stdin>: the file is too large ("));
    CHECK(contains(zero.err, "bytes; at most 64 MiB)\n"));
    const auto file = run_io({"fmt", "-"}, "", "", source_path(khoi5));
    CHECK(file.exit == 0);
    CHECK(file.out == read_file(source_path(khoi5)));
}
