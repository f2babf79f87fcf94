#!/usr/bin/env bash
# Installs the Debian 12 packages that KernelForge's build, tests and tools need, and only those missing.
# Idempotent; runs as root or through sudo; says what it installs.
set -euo pipefail

packages=(
    build-essential   # g++ 12, make
    cmake             # >= 3.25
    ninja-build       # the presets' generator
    pkg-config
    nlohmann-json3-dev
    libyaml-cpp-dev
    libmuparser-dev
    libcli11-dev
    libgtest-dev
    libcurl4-openssl-dev  # teacher transport
    libsqlite3-dev        # dataset store
    libssl-dev            # sha256
    python3-venv          # dataset export test: loads the export with Hugging Face datasets
    bubblewrap            # kf-runner's sandbox (run time): no network, no home, read-only system
    qt6-base-dev          # the workbench: Widgets, Concurrent, Network, Test
    qt6-charts-dev        # the roofline
    libqscintilla2-qt6-dev  # spec and CUDA editors
    qtkeychain-qt6-dev    # API keys in the system keychain
    libgl-dev             # Qt6Gui's CMake config looks for OpenGL headers
    libqt6opengl6-dev     # Qt6Charts' CMake config needs Qt6OpenGL
    libxkbcommon-dev      # Qt6Gui's CMake config looks for XKB
    qt6-qpa-plugins       # xcb platform plugin for the window (tests run offscreen)
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
