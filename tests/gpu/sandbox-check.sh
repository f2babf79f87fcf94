#!/usr/bin/env bash
# kf-runner inside bubblewrap on the GPU machine, through the real RunnerClient (tests/gpu/sandbox_check.cpp).
#   bash tests/gpu/sandbox-check.sh --prepare      here: download bubblewrap's .deb into .bwrap/ (carry it)
#   bash tests/gpu/sandbox-check.sh RUNNER JOB     there: unpack bwrap if missing, build the check, run the job
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
if [[ ${1:-} == --prepare ]]; then
    mkdir -p .bwrap && (cd .bwrap && apt-get download bubblewrap) || exit 2
    grep -qx '/.bwrap/' .git/info/exclude 2>/dev/null || echo '/.bwrap/' >> .git/info/exclude
    ls .bwrap; exit 0
fi
runner=$1 job=$2
if ! command -v bwrap >/dev/null; then
    deb=$(ls .bwrap/bubblewrap_*.deb 2>/dev/null | head -1)
    [[ -n $deb ]] || { echo "sandbox-check: no bwrap and no .bwrap/*.deb (run --prepare here and carry .bwrap)"; exit 2; }
    mkdir -p /tmp/bwrap-root && dpkg -x "$deb" /tmp/bwrap-root && export PATH=/tmp/bwrap-root/usr/bin:$PATH
fi
bwrap --version || exit 2
g++ -std=c++20 -O1 -Icore tests/gpu/sandbox_check.cpp core/proc/*.cpp core/runner/runner_client.cpp \
    core/runner/sandbox.cpp -o /tmp/sandbox_check -lpthread || exit 2
mkdir -p /tmp/kf-sandbox-cache
ANTHROPIC_API_KEY=sk-ant-must-not-reach-the-runner /tmp/sandbox_check "$(realpath "$runner")" "$job" /tmp/kf-sandbox-cache
