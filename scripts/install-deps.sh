#!/usr/bin/env bash
# Installs what thidua needs to build and test, from Debian 12 packages. Safe to run again: only
# missing packages are installed. Needs root (or sudo).
set -euo pipefail
packages=(
    g++ cmake ninja-build pkg-config
    tao-pegtl-dev libfmt-dev libspdlog-dev libcli11-dev nlohmann-json3-dev
    libssl-dev catch2 libbenchmark-dev clang-format
    libxlsxwriter-dev libminizip-dev zlib1g-dev unzip chromium
    libunistring-dev libgmp-dev
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
