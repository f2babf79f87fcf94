#!/usr/bin/env python3
"""Does the fast build time the same kernel as nvcc? Each job's headline candidate median (thorough budget, cold),
built by the fast build (g++ + NVRTC; KF_FAST_BUILD=1, which thorough runs otherwise leave to nvcc) and by
nvcc alone (KF_FAST_BUILD=0), runs alternated, one compile cache
per builder (the first run of each compiles). build_ab.py RUNNER JOB... [--runs 3]"""
import argparse, copy, statistics, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gpu"))
from runner_check import child_env, load_job, run_job, table  # noqa: E402

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runner")
    ap.add_argument("jobs", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kf-build-ab-"))
    rows = [("job", "fast build us", "nvcc us", "fast / nvcc", "kernel regs fast / nvcc")]
    for path in args.jobs:
        base = copy.deepcopy(load_job(path))
        base["options"]["budget"] = "thorough"
        meds = {"fast": [], "nvcc": []}
        regs = {}
        for i in range(args.runs):
            for who, env in (("fast", {"KF_FAST_BUILD": "1"}), ("nvcc", {"KF_FAST_BUILD": "0"})):
                job = copy.deepcopy(base)
                job["options"]["cache_dir"] = str(work / f"{Path(path).stem}-{who}")
                res = run_job(args.runner, job, env=child_env(env))
                if res.headline_us() is not None:
                    meds[who].append(res.headline_us())
                kernels = (res.first("compiled", role="candidate") or {}).get("kernels") or []
                regs[who] = sorted(k.get("registers") for k in kernels)
                print(f"{Path(path).stem} {who} run {i + 1}: {res.verdict}, {res.headline_us()} us", flush=True)
        f, n = statistics.median(meds["fast"]), statistics.median(meds["nvcc"])
        same = "same" if regs.get("fast") == regs.get("nvcc") else f"{sum(regs['fast'])} / {sum(regs['nvcc'])}"
        rows.append((Path(path).stem, f"{f:.2f} ({min(meds['fast']):.2f}-{max(meds['fast']):.2f})",
                     f"{n:.2f} ({min(meds['nvcc']):.2f}-{max(meds['nvcc']):.2f})", f"{f / n:.3f}", same))
    print(table(rows))
    return 0

if __name__ == "__main__":
    sys.exit(main())
