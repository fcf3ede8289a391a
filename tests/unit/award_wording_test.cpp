// One wording for a unit's award state in every output (docs/ranking-awards.md §7): the score
// table (text, CSV, JSON), explanations (text, JSON), the HTML report and the workbook say
// "open", "ineligible for awards", "excluded from the ranking" (and their Vietnamese) the same
// way, each with its reason. Khối 5 has all three: an unresolved tie across the Bằng khen's
// candidate ranks (open), Thanh tra tỉnh (ineligible) and Sở Nội vụ (excluded).
#include <cstdio>

#include "cli_runner.hpp"

using thidua::testing::read_file;
using thidua::testing::run;
using thidua::testing::temp_dir;

namespace {

const std::string khoi5 = "rules/khoi5-2018/regulation.tdkt";
const std::string khoi5_data = "rules/khoi5-2018/data";

// The workbook's shared strings (every text cell), through `unzip -p`.
std::string workbook_text(const std::string& path) {
    const std::string out = thidua::testing::unzip(path, "xl/sharedStrings.xml");
    return thidua::testing::unescape(out);
}

struct outputs {
    std::string score_text, score_csv, score_json, explain_tie, explain_tie_json,
        explain_ineligible, explain_ineligible_json, explain_excluded, html, xlsx;
};

outputs all_outputs(const std::string& lang, const temp_dir& dir) {
    auto cmd = [&](std::vector<std::string> args) {
        args.insert(args.end(), {"--lang", lang});
        const auto out = run(args);
        CHECK(out.find("exit: 0") != std::string::npos);
        return out;
    };
    outputs o;
    o.score_text = cmd({"score", khoi5, "--data", khoi5_data});
    o.score_csv = cmd({"score", khoi5, "--data", khoi5_data, "--format", "csv"});
    o.score_json = cmd({"score", khoi5, "--data", khoi5_data, "--format", "json"});
    o.explain_tie = cmd({"explain", khoi5, "--data", khoi5_data, "--unit", "Văn phòng HĐND tỉnh"});
    o.explain_tie_json = cmd({"explain", khoi5, "--data", khoi5_data, "--unit",
                              "Văn phòng HĐND tỉnh", "--format", "json"});
    o.explain_ineligible =
        cmd({"explain", khoi5, "--data", khoi5_data, "--unit", "Thanh tra tỉnh"});
    o.explain_ineligible_json = cmd(
        {"explain", khoi5, "--data", khoi5_data, "--unit", "Thanh tra tỉnh", "--format", "json"});
    // Its sentences as a reader sees them: JSON's escaped quotes decoded.
    for (std::size_t at = 0;
         (at = o.explain_ineligible_json.find("\\\"", at)) != std::string::npos;) {
        o.explain_ineligible_json.replace(at, 2, "\"");
    }
    o.explain_excluded = cmd({"explain", khoi5, "--data", khoi5_data, "--unit", "Sở Nội vụ"});
    const auto html = dir.path / ("khoi5-" + lang + ".html");
    cmd({"report", khoi5, "--data", khoi5_data, "--output", html.string()});
    o.html = thidua::testing::unescape(read_file(html));
    const auto xlsx = dir.path / ("khoi5-" + lang + ".xlsx");
    cmd({"score", khoi5, "--data", khoi5_data, "--format", "xlsx", "--output", xlsx.string()});
    o.xlsx = workbook_text(xlsx.string());
    return o;
}

void check_all(const std::vector<std::pair<const char*, const std::string*>>& where,
               const std::string& text) {
    for (const auto& [name, out] : where) {
        INFO(name << " should say: " << text);
        CHECK(out->find(text) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("award states: the same words and reasons in every output (English)", "[wording]") {
    temp_dir dir;
    const auto o = all_outputs("en", dir);
    // Open: the reason (which tie, across which candidate ranks) wherever the state shows.
    const std::string tie_vote =
        "open: tied at positions 3 to 4, across the candidate ranks 2 to 3; the bloc's vote "
        "decides";
    check_all({{"score text", &o.score_text},
               {"score csv", &o.score_csv},
               {"score json", &o.score_json},
               {"explain", &o.explain_tie},
               {"explain json", &o.explain_tie_json},
               {"report", &o.html},
               {"workbook", &o.xlsx}},
              tie_vote);
    check_all({{"score text", &o.score_text}, {"report", &o.html}, {"workbook", &o.xlsx}},
              "1 slot held by open decisions");
    // Ineligible: which knock-out.
    const std::string ko = "Có vi phạm nghiêm trọng hoặc tổ chức Đảng không hoàn thành nhiệm vụ";
    check_all({{"score text", &o.score_text},
               {"score csv", &o.score_csv},
               {"report", &o.html},
               {"workbook", &o.xlsx}},
              "ineligible for awards: " + ko);
    check_all({{"explain", &o.explain_ineligible}, {"report", &o.html}},
              "not given: rank 2, but ineligible for awards: \"" + ko + "\"");
    // At the flag (candidate rank 1) rank 2 did not qualify either: both reasons, no "but".
    check_all({{"explain", &o.explain_ineligible},
               {"explain json", &o.explain_ineligible_json},
               {"report", &o.html}},
              "not given: rank 2 is outside the candidate rank 1, and ineligible for awards: \""
                  + ko + "\"");
    CHECK(o.explain_ineligible.find("\"Cờ thi đua của UBND tỉnh\": not given: rank 2, but")
          == std::string::npos);
    // Excluded: which knock-out.
    const std::string ex = "Không nộp hồ sơ tự chấm điểm hoặc nộp sau ngày 25/12/2018";
    check_all({{"score text", &o.score_text},
               {"score csv", &o.score_csv},
               {"report", &o.html},
               {"workbook", &o.xlsx}},
              "excluded from the ranking: " + ex);
    check_all({{"explain", &o.explain_excluded}, {"report", &o.html}},
              "excluded from the ranking, not scored");
    // The old, diverging phrasings are gone from every output.
    for (const char* old : {"not considered", "proposed", "Not ranked", "not ranked",
                            "No award:", "(the bloc decides)", "pending the bloc",
                            "not met:", "not eligible for awards"}) {
        for (const auto& [name, out] : std::vector<std::pair<const char*, const std::string*>>{
                 {"score text", &o.score_text},
                 {"score csv", &o.score_csv},
                 {"score json", &o.score_json},
                 {"explain", &o.explain_tie},
                 {"explain json", &o.explain_tie_json},
                 {"report", &o.html},
                 {"workbook", &o.xlsx}}) {
            INFO(name << " still says: " << old);
            CHECK(out->find(old) == std::string::npos);
        }
    }
}

TEST_CASE("award states: the same words and reasons in every output (Vietnamese)",
          "[wording][i18n]") {
    temp_dir dir;
    const auto o = all_outputs("vi", dir);
    const std::string tie_vote =
        "chưa quyết định: đồng hạng ở vị trí 3 đến 4, vắt qua ranh giới phạm vi xét chọn từ hạng "
        "2 đến hạng 3; khối thi đua biểu quyết";
    check_all({{"score text", &o.score_text},
               {"score csv", &o.score_csv},
               {"score json", &o.score_json},
               {"explain", &o.explain_tie},
               {"explain json", &o.explain_tie_json},
               {"report", &o.html},
               {"workbook", &o.xlsx}},
              tie_vote);
    check_all({{"score text", &o.score_text}, {"report", &o.html}, {"workbook", &o.xlsx}},
              "1 suất đang chờ khối thi đua quyết định");
    const std::string ko = "Có vi phạm nghiêm trọng hoặc tổ chức Đảng không hoàn thành nhiệm vụ";
    check_all({{"score text", &o.score_text},
               {"score csv", &o.score_csv},
               {"report", &o.html},
               {"workbook", &o.xlsx}},
              "không đủ điều kiện khen thưởng: " + ko);
    check_all({{"explain", &o.explain_ineligible}, {"report", &o.html}},
              "không được tặng: hạng 2, nhưng không đủ điều kiện khen thưởng: \"" + ko + "\"");
    check_all({{"explain", &o.explain_ineligible},
               {"explain json", &o.explain_ineligible_json},
               {"report", &o.html}},
              "không được tặng: hạng 2, nằm ngoài phạm vi xét chọn hạng 1, và không đủ điều kiện "
              "khen thưởng: \""
                  + ko + "\"");
    CHECK(o.explain_ineligible.find("\"Cờ thi đua của UBND tỉnh\": không được tặng: hạng 2, nhưng")
          == std::string::npos);
    const std::string ex = "Không nộp hồ sơ tự chấm điểm hoặc nộp sau ngày 25/12/2018";
    check_all({{"score text", &o.score_text},
               {"score csv", &o.score_csv},
               {"report", &o.html},
               {"workbook", &o.xlsx}},
              "bị loại khỏi xét thi đua: " + ex);
    for (const char* old :
         {"không xét:", "được đề nghị", "Không xếp hạng:", "Không xét khen thưởng:", "chờ Khối",
          "Khối quyết định", "Khối biểu quyết", "chờ quyết định:", "chờ biểu quyết"}) {
        for (const auto& [name, out] : std::vector<std::pair<const char*, const std::string*>>{
                 {"score text", &o.score_text},
                 {"score csv", &o.score_csv},
                 {"score json", &o.score_json},
                 {"explain", &o.explain_tie},
                 {"explain json", &o.explain_tie_json},
                 {"report", &o.html},
                 {"workbook", &o.xlsx}}) {
            INFO(name << " still says: " << old);
            CHECK(out->find(old) == std::string::npos);
        }
    }
}
