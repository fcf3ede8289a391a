// thidua: the command line. A thin dispatcher; each subcommand lives in its own cmd_*.cpp.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"thidua: scoring regulations for emulation blocs"};
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
