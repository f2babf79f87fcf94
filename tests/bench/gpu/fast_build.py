#!/usr/bin/env python3
"""Where the fast build's time goes, and how it compares with nvcc: compile jobs (cold cache each) of one kernel
through kf-runner, configurations interleaved rep by rep.

  fast_build.py RUNNER JOB [--reps 5] [--workers 4,8,16,32] [--arch sm_90a]

Configurations: nvcc only (KF_FAST_BUILD=0); the fast build without the precompiled host header
(KF_HOST_PCH=0); the fast build with it, at each count of NVRTC worker processes (KF_FAST_BUILD_WORKERS). Prints, per
configuration, the median and range of the candidate's `compiled` seconds, and of its phases (host code,
kernels, link) as the compiled event's note gives them."""
import argparse, copy, re, shutil, statistics, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gpu"))
from runner_check import child_env, load_job, run_job, table  # noqa: E402

PHASES = re.compile(r"host code ([\d.]+) s, kernels ([\d.]+) s, link ([\d.]+) s")

def rep(runner, job, env, work, arch):
    job = copy.deepcopy(job)
    job["kind"] = "compile"
    job["options"]["budget"] = "interactive"  # thorough runs are built by nvcc alone
    if arch:
        job["options"]["arch"] = arch
    cache = Path(tempfile.mkdtemp(dir=work))
    job["options"]["cache_dir"] = str(cache)
    res = run_job(runner, job, env=child_env(env))
    shutil.rmtree(cache, ignore_errors=True)
    c = res.first("compiled", role="candidate") or {}
    m = PHASES.search(" ".join(c.get("notes", [])))
    return {"ok": res.verdict == "pass", "s": c.get("seconds"),
            "phases": [float(x) for x in m.groups()] if m else None, "notes": c.get("notes", [])}

def spread(values):
    v = [x for x in values if x is not None]
    return f"{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})" if v else "-"

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runner")
    ap.add_argument("job")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--workers", default="4,8,16,32")
    ap.add_argument("--arch", help="e.g. sm_90a, for a machine without a GPU (default: the GPU's)")
    args = ap.parse_args()
    job = load_job(args.job)
    configs = [("nvcc only", {"KF_FAST_BUILD": "0"}), ("fast, no host PCH", {"KF_HOST_PCH": "0"}),
               ("fast, no NVRTC warm-up", {"KF_NVRTC_WARM_UP": "0"})]
    configs += [(f"fast, PCH, {w} workers", {"KF_FAST_BUILD_WORKERS": w}) for w in args.workers.split(",")]
    work = Path(tempfile.mkdtemp(prefix="kf-fast-build-bench-"))
    results = {name: [] for name, _ in configs}
    for i in range(args.reps):
        for name, env in configs:
            results[name].append(rep(args.runner, job, env, work, args.arch))
    shutil.rmtree(work, ignore_errors=True)
    rows = [("configuration", "ok", "compiled s", "host code s", "kernels s", "link s")]
    for name, _ in configs:
        rs = results[name]
        ph = [r["phases"] for r in rs if r["phases"]]
        rows.append((name, f"{sum(r['ok'] for r in rs)}/{len(rs)}", spread([r["s"] for r in rs]),
                     *(spread([p[k] for p in ph]) for k in range(3))))
        bad = [r for r in rs if not r["ok"]]
        if bad:
            print(f"{name}: {len(bad)} failed: {bad[0]['notes']}")
    print(f"{job['spec'].get('id')}: {args.reps} reps, cold cache each\n" + table(rows))
    return 0 if all(r["ok"] for rs in results.values() for r in rs) else 1

if __name__ == "__main__":
    sys.exit(main())
