#!/usr/bin/env bash
# The report in a real browser: for each shipped example and for a dataset of hostile names,
# `thidua report` writes the page, headless chromium renders it (a screenshot and the parsed DOM),
# and report_check verifies that the DOM holds every unit with the total `thidua score --format
# json` gives, that no user text became markup, and that the screenshot is not blank. A case with
# a fifth field is a `--versus` report (that field is OLD): report_check also gets `thidua diff OLD
# REG --format json` and verifies that the impact section holds every unit with its totals, and
# the screenshot is taller (1280 × 3800, down to the impact section: headless chromium does not
# paint a page scrolled to an anchor reliably).
#
#   check_report.sh THIDUA REPORT_CHECK SOURCE_DIR OUT_DIR
#
# Exit 77 (ctest: skipped) when chromium is not installed; scripts/install-deps.sh installs it.
set -euo pipefail
thidua=$1
check=$2
src=$3
out=$4

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "chromium is not installed (scripts/install-deps.sh installs it): skipped"
    exit 77
fi

rm -rf "$out"
mkdir -p "$out"
# name  regulation  data  language  [versus OLD]  (the reviewed screenshots in docs/screenshots are
# Vietnamese)
cases=(
    "khoi5-2018 rules/khoi5-2018/regulation.tdkt rules/khoi5-2018/data vi"
    "tiengiang-tnmt-2022 rules/tiengiang-tnmt-2022/regulation.tdkt rules/tiengiang-tnmt-2022/data vi"
    "hostile tests/browser/hostile/regulation.tdkt tests/browser/hostile/data vi"
    "khoi5-2018-en rules/khoi5-2018/regulation.tdkt rules/khoi5-2018/data en"
    "versus-khoi5 rules/khoi5-2018/draft-2019.tdkt rules/khoi5-2018/data vi rules/khoi5-2018/regulation.tdkt"
    "versus-tiengiang rules/tiengiang-tnmt-2022/draft-2023.tdkt rules/tiengiang-tnmt-2022/data en rules/tiengiang-tnmt-2022/regulation.tdkt"
    "versus-hostile tests/browser/hostile/regulation.tdkt tests/browser/hostile/data vi tests/browser/hostile/old.tdkt"
)
status=0
cd "$src"
for c in "${cases[@]}"; do
    read -r name reg data lang old <<<"$c"
    echo "== $name"
    versus=()
    diff_json=()
    height=1800
    if [ -n "${old:-}" ]; then
        versus=(--versus "$old")
        "$thidua" diff "$old" "$reg" --data "$data" --format json --output "$out/$name.diff.json"
        diff_json=("$out/$name.diff.json")
        height=3800
    fi
    "$thidua" --lang "$lang" report "$reg" --data "$data" "${versus[@]}" --output "$out/$name.html"
    "$thidua" score "$reg" --data "$data" --format json --output "$out/$name.json"
    # Same inputs, same bytes.
    "$thidua" --lang "$lang" report "$reg" --data "$data" "${versus[@]}" \
        --output "$out/$name.again.html"
    if ! cmp -s "$out/$name.html" "$out/$name.again.html"; then
        echo "FAIL: two runs of thidua report differ"
        status=1
    fi
    # The page must not need the network: chromium runs with every request to it refused.
    flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
           --user-data-dir="$out/profile" --host-resolver-rules="MAP * ~NOTFOUND"
           --window-size="1280,$height")
    timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$out/$name.html" \
        >"$out/$name.dom.html" 2>"$out/$name.dom.log"
    timeout 120 "$browser" "${flags[@]}" --screenshot="$out/$name.png" \
        "file://$out/$name.html" >/dev/null 2>"$out/$name.png.log"
    if ! "$check" "$out/$name.json" "$out/$name.dom.html" "$out/$name.png" "${diff_json[@]}"; then
        status=1
    fi
done
exit $status
