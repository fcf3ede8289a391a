// Diagnostics: one type for every phase (parse, check, data loading, evaluation).
//
// A diagnostic has a stable code (documented in docs/diagnostics.md), a severity, a primary span in
// a source file and optional notes pointing at other places. Rendering is deterministic:
// diagnostics are sorted by file, position and code before printing.
#pragma once

#include <string>
#include <vector>

#include "dsl/source.hpp"

namespace thidua {

enum class severity { error, warning, note };

struct diagnostic_note {
    source_ptr file;  // may be null: a note with no position
    span where;
    std::string message;
};

struct diagnostic {
    severity level = severity::error;
    std::string code;  // "E001", "W101", ...
    source_ptr file;   // may be null for diagnostics about the command line or a whole file
    span where;
    std::string message;
    std::vector<diagnostic_note> notes;
    std::string path;  // with no `file`: the file it is about, when there is one (unreadable)
};

class diagnostics {
  public:
    diagnostic& error(std::string code, source_ptr file, span where, std::string message);
    diagnostic& warning(std::string code, source_ptr file, span where, std::string message);
    void add(diagnostic d) { items_.push_back(std::move(d)); }
    void append(const diagnostics& other);

    [[nodiscard]] bool has_errors() const;
    [[nodiscard]] std::size_t error_count() const;
    [[nodiscard]] std::size_t warning_count() const;
    [[nodiscard]] const std::vector<diagnostic>& items() const { return items_; }
    [[nodiscard]] bool empty() const { return items_.empty(); }

    /// Sorts by file path, offset, severity and code; keeps insertion order among equals.
    void sort();

  private:
    std::vector<diagnostic> items_;
};

/// Renders one diagnostic as text: a `file:line:column: error[CODE]: message` header, the source
/// line and a caret line under the span, then each note the same way.
std::string render_text(const diagnostic& d);
/// Renders all diagnostics as text (each followed by a blank line) with no summary.
std::string render_text(const diagnostics& ds);
/// Renders all diagnostics as a JSON document: {"diagnostics": [...], "errors": N, "warnings": N}.
std::string render_json(const diagnostics& ds);

/// "file:line:column" for a span (the start of it).
std::string format_position(const source_file& file, span where);

}  // namespace thidua
