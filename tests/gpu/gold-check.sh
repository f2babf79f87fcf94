#!/usr/bin/env bash
# Check and time every spec's gold kernel (tests/gpu/gold_check.py), and make the jobs it reads.
#
#   bash tests/gpu/gold-check.sh --prepare [BUILD-DIR]   here (yaml-cpp, kforge built): `kforge spec json` for every
#                                                         resources/specs/*.kspec.yaml into build/gpu-jobs/<id>.json
#   bash tests/gpu/gold-check.sh [JOBS-DIR] [OPTIONS]     on the GPU machine, from the repo root: JOBS-DIR defaults
#                                                         to build/gpu-jobs; OPTIONS go to gold_check.py
#                                                         (--only ID..., --no-timing, --time-cap S, --dry-run, ...)
# Report and logs go to ${OUT:-build/gold-check-out}: gold-check.log, gold-check.json, nvcc.log.
# Exit status: 0 when every spec passes, 1 otherwise (or when a tool is missing).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1

die() { echo "gold-check: error: $*" >&2; exit 1; }

prepare() {
    local build=${1:-build} jobs=build/gpu-jobs n=0 bad=0 spec id tmp
    local kforge=$build/app/kforge/kforge
    [[ -x $kforge ]] || die "$kforge not found: build kforge first (cmake --build $build)"
    shopt -s nullglob
    local specs=(resources/specs/*.kspec.yaml)
    (( ${#specs[@]} )) || die "no resources/specs/*.kspec.yaml"
    mkdir -p "$jobs" || exit 1
    rm -f "$jobs"/*.json  # no stale jobs of specs that are gone
    tmp=$(mktemp) || exit 1
    for spec in "${specs[@]}"; do
        if ! "$kforge" spec json "$spec" >"$tmp" 2>"$tmp.err"; then
            echo "FAILED: $kforge spec json $spec"; sed 's/^/    /' "$tmp.err"; bad=$((bad + 1)); continue
        fi
        id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp") \
            || { echo "FAILED: $spec: output is not JSON with an id"; bad=$((bad + 1)); continue; }
        [[ $id == "$(basename "$spec" .kspec.yaml)" ]] || echo "warning: $spec has id '$id' (file name differs)"
        [[ -f resources/specs/$id.gold.cu ]] || echo "warning: no gold kernel resources/specs/$id.gold.cu"
        cp "$tmp" "$jobs/$id.json" && n=$((n + 1))
    done
    rm -f "$tmp" "$tmp.err"
    echo "$n jobs in $jobs/, $bad failed"
    if git check-ignore -q "$jobs" 2>/dev/null; then
        echo "note: $jobs is ignored by git: carry it to the GPU machine (carry: [\"$jobs\"])"
    fi
    (( bad == 0 ))
}

run() {
    local jobs=build/gpu-jobs out=${OUT:-build/gold-check-out}
    if [[ $# -gt 0 && $1 != -* ]]; then jobs=$1; shift; fi
    export PYTHONUNBUFFERED=1
    if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then export PATH=/usr/local/cuda/bin:$PATH; fi
    command -v nvcc >/dev/null || die "nvcc is not on PATH (the CUDA toolkit is needed to build the kernels)"
    command -v python3 >/dev/null || die "python3 is not on PATH"
    [[ -d $jobs ]] || die "no jobs folder '$jobs': run 'bash tests/gpu/gold-check.sh --prepare' where kforge builds, and carry it"
    if [[ " $* " != *" --dry-run "* ]]; then
        python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 3)' \
            || die "python3 cannot import torch, or torch sees no CUDA device"
    fi
    mkdir -p "$out" || exit 1
    python3 tests/gpu/gold_check.py --jobs "$jobs" --specs resources/specs --out "$out" "$@" 2>&1 \
        | tee "$out/gold-check.log"
}

if [[ ${1:-} == --prepare ]]; then
    shift
    prepare "$@"
else
    run "$@"
fi
