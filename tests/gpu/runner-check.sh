#!/usr/bin/env bash
# End-to-end check of kf-runner: the example specs' gold kernels must pass, the corpus kernels
# (tests/gpu/corpus/corpus.json) must get their expected verdicts and reasons. runner_check.py does the work.
#
#   bash tests/gpu/runner-check.sh --prepare [BUILD]   here, where kforge builds (BUILD defaults to build): writes
#                                                       build/gpu-jobs/runner/{gold-<spec>,corpus-<kernel>}.json
#                                                       and corpus.json, then compile-checks the corpus with nvcc
#   bash tests/gpu/runner-check.sh [--bench] [OPTIONS]  on the GPU machine, from the repo root: builds kf-runner
#                                                       (cmake --preset runner), runs every job, prints a table;
#                                                       --bench adds tests/bench/gpu/{click_to_verdict,fidelity}.py
# OPTIONS go to runner_check.py run: --only JOB..., --runner PATH (skips the build), --timeout S, --bench-only,
# --no-prewarm, --jobs DIR. Output in ${OUT:-build/runner-check-out}: build.log, runner-check.jsonl (every event).
# Exit status: 0 when every verdict is right, 1 when one is not, 2 on bad input or a failed build.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2

die() { echo "runner-check: error: $*" >&2; exit 2; }

command -v python3 >/dev/null || die "python3 is not on PATH"
if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then export PATH=/usr/local/cuda/bin:$PATH; fi
export PYTHONUNBUFFERED=1

# Compile every corpus job's kernel for sm_90a the way kf-runner does: prelude, launcher prototype, source.
nvcc_check() {
    local jobs=$1 tmp job bad=0
    command -v nvcc >/dev/null || { echo "note: nvcc not found: the corpus kernels were not compile-checked"; return 0; }
    tmp=$(mktemp -d) || return 1
    for job in "$jobs"/corpus-*.json; do
        python3 - "$job" >"$tmp/tu.cu" <<'EOF' || { echo "FAILED: $job: cannot read it"; bad=1; continue; }
import json, sys
job = json.load(open(sys.argv[1]))
print("#include <cstdint>\n#include <cuda_runtime.h>\n#include <cuda_fp16.h>\n#include <cuda_bf16.h>")
print(job["spec"]["launcher"]["prototype"])
print(f'#line 1 "{job["candidate"]["name"]}"\n{job["candidate"]["source"]}')
EOF
        if timeout 300 nvcc -O3 -std=c++17 -gencode=arch=compute_90a,code=sm_90a -c "$tmp/tu.cu" -o "$tmp/tu.o" \
            >"$tmp/log" 2>&1; then
            echo "  nvcc $(basename "$job"): ok"
        else
            echo "FAILED: nvcc $(basename "$job"):"; sed 's/^/    /' "$tmp/log" | head -30; bad=1
        fi
    done
    rm -rf "$tmp"
    return $bad
}

if [[ ${1:-} == --prepare ]]; then
    shift
    build=build
    if [[ $# -gt 0 && $1 != -* ]]; then build=$1; shift; fi
    python3 tests/gpu/runner_check.py prepare --build "$build" "$@" || exit 2
    jobs=build/gpu-jobs/runner
    while [[ $# -gt 0 ]]; do
        case $1 in --jobs) jobs=${2:-$jobs}; shift ;; --jobs=*) jobs=${1#--jobs=} ;; esac
        shift
    done
    nvcc_check "$jobs" || exit 1
    exit 0
fi

out=${OUT:-build/runner-check-out}
mkdir -p "$out" || exit 2
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv,noheader 2>/dev/null | sed 's/^/gpu: /'
fi
args=("$@") own_runner=0 own_jobs=0
for a in "$@"; do
    [[ $a == --runner || $a == --runner=* ]] && own_runner=1
    [[ $a == --jobs || $a == --jobs=* ]] && own_jobs=1
done
command -v nvcc >/dev/null || die "nvcc is not on PATH (kf-runner compiles every kernel with it)"
if ((!own_runner)); then
    command -v cmake >/dev/null || die "cmake is not on PATH (it builds kf-runner: cmake --preset runner)"
    ((own_jobs)) || [[ -d build/gpu-jobs/runner ]] \
        || die "no build/gpu-jobs/runner: run 'bash tests/gpu/runner-check.sh --prepare' where kforge builds, and carry it"
    start=$SECONDS
    { timeout 900 cmake --preset runner && timeout 900 cmake --build --preset runner -j 16; } >"$out/build.log" 2>&1 \
        || { tail -n 40 "$out/build.log"; die "building kf-runner failed (log: $out/build.log)"; }
    echo "built kf-runner in $((SECONDS - start)) s (log: $out/build.log)"
    args+=(--runner build/runner/app/kf-runner/kf-runner)
fi
exec python3 tests/gpu/runner_check.py run --out "$out" "${args[@]}"
