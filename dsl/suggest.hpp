// "Did you mean ...?" for names: the closest candidate to a misspelt name.
//
// Vietnamese users most often mistype a name by its diacritics (`ho_so_tre`, `hồ_sơ_tre` for
// `hồ_sơ_trễ`), and one Vietnamese letter is up to three bytes, so the distance is counted in
// characters over the names with their diacritics removed (and `đ` read as `d`); a candidate that
// differs only by diacritics is always suggested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace thidua {

/// The candidate closest to `name` within two edits (one for names of four characters or fewer)
/// after removing diacritics, or "" when none is; among equally close candidates the one closest
/// with its diacritics, then the smallest. `name` itself is never suggested.
[[nodiscard]] std::string closest_name(std::string_view name,
                                       const std::vector<std::string>& candidates);

/// The Vietnamese keyword that `words` is, typed without its diacritics or with a wrong one:
/// `va` and `vá` give `và`, `nguoc lai` gives `ngược lại`, `diem` gives `điểm` (words separated
/// by one space). "" when `words` is itself a keyword (`khi`, `sai`, `trong` are) or matches none;
/// among several keywords the one closest with its diacritics, then the smallest.
[[nodiscard]] std::string keyword_without_diacritics(std::string_view words);

/// The number of single-character insertions, deletions and substitutions between two UTF-8
/// strings (code points; invalid bytes count as one character each).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// `text` without Vietnamese diacritics (and other combining marks), `đ`/`Đ` as `d`/`D`.
[[nodiscard]] std::string without_diacritics(std::string_view text);

/// Vietnamese alphabetical order, for listing names (never to decide anything): letters first
/// (a ă â b c d đ e ê … o ô ơ … u ư …, digits and spaces before letters), then the tones (none,
/// huyền, hỏi, ngã, sắc, nặng), then lower case before upper, then the bytes, so that two
/// different names are never equal. "Sở An" < "Sở Ánh" < "Sở Bắc" < "Sở D" < "Sở Đ" < "Sở E".
[[nodiscard]] bool vietnamese_less(std::string_view a, std::string_view b);

/// A key whose byte order is vietnamese_less's order: vietnamese_less(a, b) exactly when
/// vietnamese_sort_key(a) < vietnamese_sort_key(b). For sorting many names: each key is computed
/// once, where vietnamese_less computes two per comparison.
[[nodiscard]] std::string vietnamese_sort_key(std::string_view text);

}  // namespace thidua
