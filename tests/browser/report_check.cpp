// Checks what a real browser made of a `thidua report` page (tests/browser/check_report.sh):
//
//   report_check SCORE.json DOM.html SHOT.png [DIFF.json]
//
// * the DOM (chromium --dump-dom, i.e. the page as parsed) holds every unit of SCORE.json
//   (`thidua score --format json`) in the ranking table with its total;
// * the DOM holds only the elements the report writes and no event-handler attribute: text from
//   the regulation or the data never became markup (a unit named <script>...</script> is text);
// * the screenshot is not blank: it decodes as a PNG and has many colours, with a good share of
//   pixels that are not the background;
// * with DIFF.json (`thidua diff OLD REG --format json`, for a `report --versus OLD` page): the
//   DOM has the impact section with one row per unit of the diff, each with its totals old → new,
//   its difference with sign and arrow, every changed criterion and the rule changes it is
//   attributed to, changed units marked as such, and one row per rule change.
//
// Exit 0 when all hold; otherwise every failure is printed and the exit code is 1.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

int failures = 0;
// A Vietnamese page writes numbers with a decimal comma (docs/i18n.md); the JSON with a point.
bool decimal_comma = false;

std::string shown(std::string json_number) {
    if (decimal_comma) {
        if (const auto at = json_number.find('.'); at != std::string::npos) {
            json_number[at] = ',';
        }
    }
    return json_number;
}

void fail(const std::string& what) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++failures;
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Text of an HTML fragment as the serializer escaped it: entities back to characters.
std::string unescape(std::string_view s) {
    static const std::vector<std::pair<std::string_view, std::string_view>> entities = {
        {"&amp;", "&"},   {"&lt;", "<"},  {"&gt;", ">"},
        {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", "\xC2\xA0"}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool done = false;
        if (s[i] == '&') {
            for (const auto& [e, c] : entities) {
                if (s.substr(i, e.size()) == e) {
                    out += c;
                    i += e.size();
                    done = true;
                    break;
                }
            }
        }
        if (!done) {
            out += s[i++];
        }
    }
    return out;
}

// ---- The DOM's elements and attributes ---------------------------------------------------------

struct tag {
    std::string name;
    std::vector<std::string> attributes;
};

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Every start tag of a serialized DOM. In serialized HTML, '<' in text is always "&lt;" and an
// attribute value is always double-quoted with '"' escaped, so this scan cannot be fooled by
// content; the raw text of <style> holds no '<'.
std::vector<tag> start_tags(const std::string& dom) {
    std::vector<tag> tags;
    for (std::size_t i = 0; i + 1 < dom.size(); ++i) {
        if (dom[i] != '<' || !is_alpha(dom[i + 1])) {
            continue;
        }
        tag t;
        std::size_t j = i + 1;
        while (j < dom.size() && dom[j] != ' ' && dom[j] != '>' && dom[j] != '/'
               && dom[j] != '\n') {
            t.name += static_cast<char>(std::tolower(static_cast<unsigned char>(dom[j])));
            ++j;
        }
        while (j < dom.size() && dom[j] != '>') {
            if (dom[j] == ' ' || dom[j] == '\n' || dom[j] == '/') {
                ++j;
                continue;
            }
            std::string name;
            while (j < dom.size() && dom[j] != '=' && dom[j] != ' ' && dom[j] != '>') {
                name += static_cast<char>(std::tolower(static_cast<unsigned char>(dom[j])));
                ++j;
            }
            t.attributes.push_back(name);
            if (j < dom.size() && dom[j] == '=') {
                ++j;
                if (j < dom.size() && dom[j] == '"') {
                    j = dom.find('"', j + 1);
                    if (j == std::string::npos) {
                        fail("unterminated attribute value in the DOM");
                        return tags;
                    }
                    ++j;
                }
            }
        }
        tags.push_back(std::move(t));
        i = j;
    }
    return tags;
}

void check_elements(const std::string& dom) {
    // What html_report.cpp writes, and nothing else.
    static const std::set<std::string> allowed = {
        "html", "head", "meta",    "title", "style", "body",    "header",  "h1",     "h2",    "h3",
        "h4",   "dl",   "dt",      "dd",    "code",  "span",    "nav",     "strong", "ol",    "ul",
        "li",   "a",    "section", "table", "thead", "tbody",   "tr",      "th",     "td",    "div",
        "p",    "svg",  "g",       "text",  "rect",  "details", "summary", "pre",    "footer"};
    static const std::set<std::string> attributes = {
        "lang", "charset",      "name",        "content",     "class", "id",
        "href", "title",        "data-unit",   "style",       "xmlns", "viewbox",
        "role", "aria-label",   "x",           "y",           "width", "height",
        "fill", "fill-opacity", "text-anchor", "font-weight", "open"};
    for (const auto& t : start_tags(dom)) {
        if (allowed.count(t.name) == 0) {
            fail("unexpected element <" + t.name + "> in the DOM: user text became markup");
        }
        for (const auto& a : t.attributes) {
            if (attributes.count(a) == 0) {
                fail("unexpected attribute `" + a + "` on <" + t.name
                     + ">: user text broke out of an attribute");
            }
        }
    }
}

// ---- Units and totals in the ranking table -------------------------------------------------

std::map<std::string, std::string> ranking_rows(const std::string& dom) {
    std::map<std::string, std::string> rows;
    std::size_t at = 0;
    while ((at = dom.find("<tr class=\"unit-row", at)) != std::string::npos) {
        const auto end = dom.find("</tr>", at);
        if (end == std::string::npos) {
            break;
        }
        const std::string row = dom.substr(at, end - at);
        at = end;
        auto cell = [&](const std::string& open, const std::string& close) -> std::string {
            const auto b = row.find(open);
            if (b == std::string::npos) {
                return "\x01missing";
            }
            const auto from = row.find('>', b + open.size() - 1) + 1;
            const auto to = row.find(close, from);
            return to == std::string::npos ? "\x01missing" : row.substr(from, to - from);
        };
        std::string unit = cell("<td class=\"unit\"><a ", "</a>");
        std::string total = cell("<td class=\"num total\"", "</td>");
        rows[unescape(unit)] = unescape(total);
    }
    return rows;
}

void check_units(const std::string& json_text, const std::string& dom) {
    const auto doc = nlohmann::json::parse(json_text);
    const auto rows = ranking_rows(dom);
    if (rows.size() != doc["units"].size()) {
        fail("the ranking table has " + std::to_string(rows.size()) + " rows, the bloc "
             + std::to_string(doc["units"].size()) + " units");
    }
    for (const auto& u : doc["units"]) {
        const std::string name = u["unit"].get<std::string>();
        const std::string total = u["total"].is_null() ? "—" : shown(u["total"].get<std::string>());
        const auto it = rows.find(name);
        if (it == rows.end()) {
            fail("unit \"" + name + "\" is not in the ranking table");
        } else if (it->second != total) {
            fail("unit \"" + name + "\": total " + it->second + " in the page, " + total
                 + " from thidua score");
        }
    }
}

// ---- The impact section of `--versus` ----------------------------------------------------

// The attribute `name`'s value in a start tag (as serialized: double-quoted).
std::string attribute(const std::string& tag_text, const std::string& name) {
    const auto at = tag_text.find(" " + name + "=\"");
    if (at == std::string::npos) {
        return "\x01missing";
    }
    const auto from = at + name.size() + 3;
    return unescape(tag_text.substr(from, tag_text.find('"', from) - from));
}

// The text of the first cell `<td class="CLS">` of a row, markup removed, entities decoded.
std::string cell_text(const std::string& row, const std::string& cls) {
    const auto b = row.find("<td class=\"" + cls + "\">");
    if (b == std::string::npos) {
        return "\x01missing";
    }
    const auto from = row.find('>', b) + 1;
    const auto to = row.find("</td>", from);
    std::string text;
    bool in_tag = false;
    for (std::size_t i = from; i < to; ++i) {
        if (row[i] == '<') {
            in_tag = true;
        } else if (row[i] == '>') {
            in_tag = false;
        } else if (!in_tag) {
            text += row[i];
        }
    }
    return unescape(text);
}

void check_versus(const std::string& diff_text, const std::string& dom) {
    const auto doc = nlohmann::json::parse(diff_text);
    const auto from = dom.find("<section id=\"versus\">");
    if (from == std::string::npos) {
        fail("no impact section (<section id=\"versus\">) in the DOM");
        return;
    }
    const std::string section = dom.substr(from, dom.find("</section>", from) - from);
    std::size_t change_rows = 0;
    for (std::size_t at = 0; (at = section.find("<tr id=\"change-", at)) != std::string::npos;
         ++at) {
        ++change_rows;
    }
    if (change_rows != doc["changes"].size()) {
        fail("the impact section lists " + std::to_string(change_rows)
             + " rule changes, thidua diff " + std::to_string(doc["changes"].size()));
    }
    // The unit rows, by name (from the data-unit attribute).
    std::map<std::string, std::string> rows;
    for (std::size_t at = 0;
         (at = section.find("<tr class=\"versus-row", at)) != std::string::npos;) {
        const auto end = section.find("</tr>", at);
        const std::string row = section.substr(at, end - at);
        rows[attribute(row.substr(0, row.find('>')), "data-unit")] = row;
        at = end;
    }
    const auto& units = doc["datasets"].at(0)["units"];
    if (rows.size() != units.size()) {
        fail("the impact section has " + std::to_string(rows.size()) + " unit rows, thidua diff "
             + std::to_string(units.size()) + " units");
    }
    auto text = [](const nlohmann::json& v) {
        return v.is_null() ? std::string() : shown(v.get<std::string>());
    };
    for (const auto& u : units) {
        const std::string name = u["name"].get<std::string>();
        const auto it = rows.find(name);
        if (it == rows.end()) {
            fail("unit \"" + name + "\" is not in the impact section");
            continue;
        }
        const std::string& row = it->second;
        // The JSON says a status change with the two statuses (and `status_causes`).
        const bool changed = u.value("score_changed", false) || u.value("rank_changed", false)
                             || u.value("award_changed", false) || !u["points"].empty()
                             || u["old"].is_null() || u["new"].is_null()
                             || u["old"]["status"] != u["new"]["status"];
        const std::string cls = attribute(row.substr(0, row.find('>')), "class");
        if (changed == (cls == "versus-row unchanged")) {
            fail("unit \"" + name + "\": row class `" + cls + "` does not say whether it changed");
        }
        const std::string old_total = text(u["old"]["total"]);
        const std::string new_total = text(u["new"]["total"]);
        if (!old_total.empty() && !new_total.empty()) {
            const std::string want =
                old_total == new_total ? new_total : old_total + " → " + new_total;
            if (cell_text(row, "num total") != want) {
                fail("unit \"" + name + "\": total `" + cell_text(row, "num total")
                     + "` in the impact section, `" + want + "` from thidua diff");
            }
        }
        const std::string delta = text(u["delta"]);
        if (!delta.empty() && delta != shown("0.00") && delta != "0") {
            const std::string want = delta[0] == '-' ? "▼ −" + delta.substr(1) : "▲ +" + delta;
            if (cell_text(row, "num delta") != want) {
                fail("unit \"" + name + "\": difference `" + cell_text(row, "num delta")
                     + "` in the impact section, `" + want + "` from thidua diff");
            }
        }
        const std::string why = cell_text(row, "why");
        // Each changed number, old → new (numbers: the same in every language), with the rule
        // changes it is attributed to.
        for (const auto& p : u["points"]) {
            const std::string subject = p["subject"].get<std::string>();
            const std::string move =
                (p["old"].is_null() ? "—" : shown(p["old"].get<std::string>())) + " → "
                + (p["new"].is_null() ? "—" : shown(p["new"].get<std::string>()));
            if (why.find(move) == std::string::npos) {
                fail("unit \"" + name + "\": `" + subject + "` " + move
                     + " is not in its row of the impact section");
            }
            for (const auto& c : p["causes"]) {
                const std::string ref = "[" + std::to_string(c.get<int>()) + "]";
                if (why.find(ref) == std::string::npos) {
                    fail("unit \"" + name + "\": `" + subject + "` is not attributed to " + ref);
                }
            }
        }
    }
}

// ---- The screenshot ------------------------------------------------------------------------

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24U)
           | (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16U)
           | (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8U)
           | static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

int paeth(int a, int b, int c) {
    const int p = a + b - c;
    const int pa = std::abs(p - a);
    const int pb = std::abs(p - b);
    const int pc = std::abs(p - c);
    return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
}

void check_png(const std::string& png) {
    if (png.size() < 33 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
        fail("the screenshot is not a PNG file");
        return;
    }
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    int depth = 0;
    int colour = 0;
    std::string idat;
    for (std::size_t at = 8; at + 8 <= png.size();) {
        const std::uint32_t len = be32(png, at);
        const std::string type = png.substr(at + 4, 4);
        if (at + 12 + len > png.size()) {
            fail("truncated PNG chunk");
            return;
        }
        if (type == "IHDR") {
            width = be32(png, at + 8);
            height = be32(png, at + 12);
            depth = static_cast<unsigned char>(png[at + 16]);
            colour = static_cast<unsigned char>(png[at + 17]);
            if (png[at + 20] != 0) {
                fail("interlaced PNG (not expected from chromium)");
                return;
            }
        } else if (type == "IDAT") {
            idat += png.substr(at + 8, len);
        }
        at += 12 + len;
    }
    const std::size_t channels = colour == 6 ? 4 : (colour == 2 ? 3 : 0);
    if (depth != 8 || channels == 0 || width == 0 || height == 0) {
        fail("unexpected PNG format (want 8-bit RGB or RGBA)");
        return;
    }
    const std::size_t stride = width * channels;
    std::vector<unsigned char> raw((stride + 1) * height);
    uLongf raw_len = static_cast<uLongf>(raw.size());
    if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()),
                   static_cast<uLong>(idat.size()))
            != Z_OK
        || raw_len != raw.size()) {
        fail("cannot inflate the PNG's image data");
        return;
    }
    std::vector<unsigned char> prev(stride, 0);
    std::vector<unsigned char> cur(stride, 0);
    std::map<std::uint32_t, std::uint64_t> colours;
    for (std::uint32_t y = 0; y < height; ++y) {
        const unsigned char filter = raw[y * (stride + 1)];
        const unsigned char* line = &raw[y * (stride + 1) + 1];
        for (std::size_t x = 0; x < stride; ++x) {
            const int a = x >= channels ? cur[x - channels] : 0;
            const int b = prev[x];
            const int c = x >= channels ? prev[x - channels] : 0;
            int v = line[x];
            switch (filter) {
                case 1:
                    v += a;
                    break;
                case 2:
                    v += b;
                    break;
                case 3:
                    v += (a + b) / 2;
                    break;
                case 4:
                    v += paeth(a, b, c);
                    break;
                default:
                    break;
            }
            cur[x] = static_cast<unsigned char>(v & 0xFF);
        }
        for (std::size_t x = 0; x + channels <= stride; x += channels) {
            const std::uint32_t rgb = (static_cast<std::uint32_t>(cur[x]) << 16U)
                                      | (static_cast<std::uint32_t>(cur[x + 1]) << 8U) | cur[x + 2];
            ++colours[rgb];
        }
        std::swap(prev, cur);
    }
    std::uint64_t most = 0;
    for (const auto& [c, n] : colours) {
        most = std::max(most, n);
    }
    const double total = static_cast<double>(width) * height;
    const double other = (total - static_cast<double>(most)) / total;
    std::printf("screenshot: %ux%u, %zu colours, %.1f%% not background\n", width, height,
                colours.size(), other * 100.0);
    // Text, tables and the chart: hundreds of colours (anti-aliasing) and a few percent of ink.
    if (colours.size() < 50 || other < 0.03) {
        fail("the screenshot looks blank");
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 && argc != 5) {
        std::fprintf(stderr, "usage: report_check SCORE.json DOM.html SHOT.png [DIFF.json]\n");
        return 2;
    }
    const std::string json_text = read(argv[1]);
    const std::string dom = read(argv[2]);
    decimal_comma = dom.find("<html lang=\"vi\"") != std::string::npos;
    if (dom.find("<table class=\"ranking\">") == std::string::npos) {
        fail("no ranking table in the DOM");
    }
    try {
        check_units(json_text, dom);
    } catch (const std::exception& e) {
        fail(std::string("cannot read the score JSON: ") + e.what());
    }
    if (argc == 5) {
        try {
            check_versus(read(argv[4]), dom);
        } catch (const std::exception& e) {
            fail(std::string("cannot read the diff JSON: ") + e.what());
        }
    }
    check_elements(dom);
    check_png(read(argv[3]));
    return failures == 0 ? 0 : 1;
}
