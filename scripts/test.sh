#!/usr/bin/env bash
# Builds thidua and runs every test: the unit and golden tests (ctest), the example regulations'
# own tests, the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer, and a
# formatting check. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

echo "== build (warnings are errors)"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTHIDUA_WERROR=ON
cmake --build build/release -j2
echo "== tests"
ctest --test-dir build/release --output-on-failure -j2
echo "== the example regulations' own tests (docs/testing.md)"
./build/release/thidua test rules/ --min-coverage 100

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTHIDUA_SANITIZE=ON \
    -DTHIDUA_BUILD_BENCH=OFF
cmake --build build/asan -j2
ctest --test-dir build/asan --output-on-failure -j2

echo "== formatting"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror
echo "all checks passed"
