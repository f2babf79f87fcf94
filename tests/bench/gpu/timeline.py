#!/usr/bin/env python3
"""One kf-runner job's events with the time each arrived (seconds since spawn) and the gap since the one before:
where a run's wall time goes. timeline.py RUNNER JOB [--budget interactive|thorough] [--cache DIR]"""
import argparse, copy, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gpu"))
from runner_check import load_job, run_job  # noqa: E402

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runner")
    ap.add_argument("job")
    ap.add_argument("--budget", default="interactive")
    ap.add_argument("--cache", help="compile cache dir (default: the job's)")
    args = ap.parse_args()
    job = copy.deepcopy(load_job(args.job))
    job["options"]["budget"] = args.budget
    if args.cache:
        job["options"]["cache_dir"] = args.cache
    res = run_job(args.runner, job)
    prev = 0.0
    for t, e in res.events:
        what = " ".join(str(e.get(k)) for k in ("stage", "role", "phase", "size_index", "who") if e.get(k) is not None)
        extra = f" {e.get('samples')} samples, {e.get('stop')}" if e.get("event") == "timed" else ""
        print(f"{t:7.3f} +{t - prev:6.3f}  {e.get('event')} {what}{extra}")
        prev = t
    print(f"verdict {res.verdict}")
    return 0 if res.verdict == "pass" else 1

if __name__ == "__main__":
    sys.exit(main())
