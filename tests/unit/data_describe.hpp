// Shared by the results loader's tests: each diagnostic as one comparable line, and input
// fields for the regulations they build.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"

namespace thidua::testing {

/// "file:line:column: CODE: message" per diagnostic in sorted order, notes as
/// "  note file:line:column: message".
inline std::vector<std::string> describe_sorted(diagnostics& ds) {
    ds.sort();
    std::vector<std::string> out;
    for (const auto& d : ds.items()) {
        std::string s;
        if (d.file) {
            const auto loc = d.file->locate(d.where.begin);
            s = fmt::format("{}:{}:{}: ", d.file->path(), loc.line, loc.column);
        }
        s += fmt::format("{}: {}", d.code, d.message);
        for (const auto& n : d.notes) {
            const auto loc = n.file->locate(n.where.begin);
            s += fmt::format("\n  note {}:{}:{}: {}", n.file->path(), loc.line, loc.column,
                             n.message);
        }
        out.push_back(std::move(s));
    }
    return out;
}

/// An input field of a regulation built in a test: `name: k` (`k?` when optional), with a label.
inline ast::field_decl field(std::string name, ast::type_ref::kind k, bool optional = false,
                             std::string label = {}) {
    ast::field_decl f;
    f.name = std::move(name);
    f.type.what = k;
    f.type.optional = optional;
    f.label = std::move(label);
    return f;
}

}  // namespace thidua::testing
