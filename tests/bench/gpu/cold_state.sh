#!/usr/bin/env bash
# The cold-state study of cold_state.cu in one call: build it, time every preamble with CUPTI (kf-runner's
# clock), then under ncu: `--cache-control all` (ncu's own cold state) and `--cache-control none` after each
# preamble (NCU_METRICS: more metrics, comma-separated; keep them to one pass, as "none" has no state to
# replay from; NCU_NONE=0 skips these runs). Prints one table last; logs go to $OUT (or build/bench-out).
# Needs a GPU, nvcc and ncu.
#   [KERNEL=copy] [NEIGHBOUR=1] bash tests/bench/gpu/cold_state.sh [PREAMBLE...]
set -euo pipefail
cd "$(dirname "$0")/../../.."
kernel="${KERNEL:-softmax}" # or copy, copycs, write, writecs, read: see cold_state.cu
out="${OUT:-build/bench-out}/cold_state-$kernel${NEIGHBOUR:+-neighbour}"
mkdir -p "$out" build/bench-work
export PATH=/usr/local/cuda/bin:$PATH
bin=build/bench-work/cold_state
nvcc -O3 -std=c++17 -arch=sm_90a -include cstdint -Icore -I/usr/local/cuda/extras/CUPTI/include \
    -I/usr/local/cuda/include tests/bench/gpu/cold_state.cu core/gpu/harness/kernel_activity.cpp \
    resources/specs/softmax-rows-f32.gold.cu -ldl -o "$bin"
preambles=("$@")
[ ${#preambles[@]} -gt 0 ] || preambles=(read read+discard readcs+discard read+readcs+discard none)
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem,power.draw --format=csv,noheader | tee "$out/cold_state-gpu.txt"
"$bin" --samples 40 --rounds 10 --kernel "$kernel" ${NEIGHBOUR:+--neighbour} "${preambles[@]}" | tee "$out/cold_state-cupti.txt"
ncu_run() { # cache-control, preamble
    ncu --clock-control none --cache-control "$1" --metrics "${NCU_METRICS:-gpu__time_duration.sum}" -k regex:'softmax|stream' \
        --csv --page raw --print-units base --log-file "$out/ncu-$1-${2//+/_}.csv" "$bin" --samples 40 --rounds 1 --kernel "$kernel" ${NEIGHBOUR:+--neighbour} "$2" \
        > "$out/ncu-$1-${2//+/_}.stdout" 2>&1 || echo "ncu $1 $2: exit $?"
}
ncu_run all none
for p in "${preambles[@]}"; do
    [ "$p" = none ] || [ "${NCU_NONE:-1}" = 0 ] || ncu_run none "$p"
done
python3 - "$out" <<'PY'
import csv, io, pathlib, statistics, sys
out = pathlib.Path(sys.argv[1])
cupti = {}
for line in (out / "cold_state-cupti.txt").read_text().splitlines():
    f = line.split()
    if len(f) == 7 and f[0] != "preamble":
        cupti[f[0]] = (float(f[1]), float(f[6]))
rows = []
for path in sorted(out.glob("ncu-*.csv")):
    _, cc, pre = path.stem.split("-", 2)
    lines = path.read_text(errors="replace").splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith('"ID"')), None)
    if start is None:
        rows.append((cc, pre, "-", "0 launches)")); continue
    table = list(csv.reader(io.StringIO("\n".join(lines[start:]))))
    head = table[0]
    data = [r for r in table[1:] if len(r) == len(head) and r[0].strip().isdigit()][20:]  # after warm-up
    cols = [c for c in head if c.split("__")[0] in ("gpu", "dram", "lts") and not c.startswith("gpu__time_duration.") or c == "gpu__time_duration.sum"]
    meds = {c: statistics.median(float(r[head.index(c)].replace(",", "")) for r in data) for c in cols}
    extra = "  ".join(f"{c.split('.')[0]} {v / 2**20:.1f} MiB" if "bytes" in c else f"{c} {v:.4g}"
                      for c, v in meds.items() if c != "gpu__time_duration.sum")
    rows.append((cc, pre.replace("_", "+"), f"{meds['gpu__time_duration.sum'] / 1e3:.2f}", f"{len(data)}) {extra}"))
print(f"\n{out.name}: CUPTI (kf-runner's clock), median us per preamble (and of the preamble itself):")
for k, (v, pre) in cupti.items():
    print(f"  {k:32s} {v:8.2f}  ({pre:.1f})")
print("ncu gpu__time_duration, median us:")
for cc, pre, med, n in rows:
    print(f"  cache-control {cc:4s} after {pre:14s} {med:>8s}  ({n}")
PY
