#!/usr/bin/env python3
"""Where nvcc's time goes for one candidate, and which switches shorten it without changing the device code.

  nvcc_flags.py JOB.json [--reps 3]

Builds the job's candidate translation unit (prelude, prototype, #line, source) the way kf-runner does, then times
nvcc with kf-runner's flags and with variants (parallel NVVM/ptxas work, host code at -O0), median of --reps, and
prints the phases of one baseline compile (nvcc --time). Needs nvcc; no GPU."""
import argparse, csv, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

PRELUDE = "#include <cstdint>\n#include <cuda_runtime.h>\n#include <cuda_fp16.h>\n#include <cuda_bf16.h>\n"
BASE = ["-O3", "-std=c++17", "-gencode=arch=compute_90a,code=sm_90a", "-lineinfo", "-shared", "-cudart=shared",
        "-Xcompiler=-fPIC", "-Xptxas=--verbose", "-Xptxas=--warn-on-spills"]
# BASE is kf-runner's argv before --split-compile=0 was added; the second row is what it runs now.
VARIANTS = {
    "base (no split-compile)": [],
    "+ --split-compile=0 (now)": ["--split-compile=0"],
    "+ -Xcompiler=-O0": ["-Xcompiler=-O0"],
    "+ both": ["--split-compile=0", "-Xcompiler=-O0"],
    "+ both + --threads 0": ["--split-compile=0", "-Xcompiler=-O0", "--threads", "0"],
}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("job")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    nvcc = shutil.which("nvcc") or "/usr/local/cuda/bin/nvcc"
    if not os.access(nvcc, os.X_OK):
        sys.exit("nvcc_flags: error: nvcc not found")
    job = json.loads(Path(args.job).read_text())
    tu = (PRELUDE + job["spec"]["launcher"]["prototype"] + f'\n#line 1 "{job["candidate"]["name"]}"\n'
          + job["candidate"]["source"] + "\n")
    work = Path(tempfile.mkdtemp(prefix="nvcc-flags-"))
    (work / "k.cu").write_text(tu)
    rows = []
    for name, extra in VARIANTS.items():
        times, ok = [], True
        for _ in range(args.reps):
            t0 = time.perf_counter()
            p = subprocess.run([nvcc, *BASE, *extra, "-o", "k.so", "k.cu"], cwd=work, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            ok = ok and p.returncode == 0
            if p.returncode != 0:
                print(f"{name}: nvcc failed:\n{p.stderr[-2000:]}")
                break
        rows.append((name, statistics.median(times), min(times), max(times), ok))
    subprocess.run([nvcc, *BASE, "--time", "phases.csv", "-o", "k.so", "k.cu"], cwd=work, capture_output=True)
    print(f"\nnvcc phases, base flags ({job['candidate']['name']}):")
    with open(work / "phases.csv") as f:
        for r in list(csv.reader(f))[1:]:
            print(f"  {r[1].strip():28s} {float(r[-2]):8.1f} ms")
    print(f"\n{'variant':28s} {'median s':>9s} {'min':>6s} {'max':>6s}  ok")
    for name, med, lo, hi, ok in rows:
        print(f"{name:28s} {med:9.2f} {lo:6.2f} {hi:6.2f}  {ok}")
    shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
