#!/usr/bin/env bash
# The report in a real browser: for each shipped example and for a dataset of hostile names,
# `thidua report` writes the page, headless chromium renders it (a screenshot and the parsed DOM),
# and report_check verifies that the DOM holds every unit with the total `thidua score --format
# json` gives, that no user text became markup, and that the screenshot is not blank.
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
# name  regulation  data  language (the reviewed screenshots in docs/screenshots are Vietnamese)
cases=(
    "khoi5-2018 rules/khoi5-2018/regulation.tdkt rules/khoi5-2018/data vi"
    "tiengiang-tnmt-2022 rules/tiengiang-tnmt-2022/regulation.tdkt rules/tiengiang-tnmt-2022/data vi"
    "hostile tests/browser/hostile/regulation.tdkt tests/browser/hostile/data vi"
    "khoi5-2018-en rules/khoi5-2018/regulation.tdkt rules/khoi5-2018/data en"
)
status=0
cd "$src"
for c in "${cases[@]}"; do
    read -r name reg data lang <<<"$c"
    echo "== $name"
    "$thidua" --lang "$lang" report "$reg" --data "$data" --output "$out/$name.html"
    "$thidua" score "$reg" --data "$data" --format json --output "$out/$name.json"
    # Same inputs, same bytes.
    "$thidua" --lang "$lang" report "$reg" --data "$data" --output "$out/$name.again.html"
    if ! cmp -s "$out/$name.html" "$out/$name.again.html"; then
        echo "FAIL: two runs of thidua report differ"
        status=1
    fi
    # The page must not need the network: chromium runs with every request to it refused.
    flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
           --user-data-dir="$out/profile" --host-resolver-rules="MAP * ~NOTFOUND"
           --window-size=1280,1800)
    timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$out/$name.html" \
        >"$out/$name.dom.html" 2>"$out/$name.dom.log"
    timeout 120 "$browser" "${flags[@]}" --screenshot="$out/$name.png" "file://$out/$name.html" \
        >/dev/null 2>"$out/$name.png.log"
    if ! "$check" "$out/$name.json" "$out/$name.dom.html" "$out/$name.png"; then
        status=1
    fi
done
exit $status
