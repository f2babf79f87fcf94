#!/usr/bin/env python3
"""Cold against hot timing of the headline size, to see how much of a cold median is the flush's aftermath.

  cold_vs_hot.py RUNNER JOB... [--runs 3]

For each job: the headline size only, thorough budget, --runs kf-runner runs cold then hot; prints each run's
median, samples and stop reason."""
import argparse, copy, json, subprocess, sys
from pathlib import Path

def run(runner, job, mode):
    job = copy.deepcopy(job)
    job["spec"]["sizes"] = job["spec"]["sizes"][:1]
    job["options"].update(mode=mode, budget="thorough", time_baseline=False)
    p = subprocess.run([runner], input=json.dumps(job), capture_output=True, text=True, timeout=300)
    for line in p.stdout.splitlines():
        ev = json.loads(line)
        if ev.get("event") == "timed":
            return f"{ev['median_us']:.2f} us (n={ev['samples']}, {ev['stop']}, rel_sem {ev['rel_sem_median']:.4f})"
    return "no timing: " + p.stdout[-300:]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runner")
    ap.add_argument("jobs", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    for path in args.jobs:
        job = json.loads(Path(path).read_text())
        for mode in ("cold", "hot"):
            for i in range(args.runs):
                print(f"{job['spec']['id']:22s} {mode:4s} run {i + 1}: {run(args.runner, job, mode)}", flush=True)

if __name__ == "__main__":
    sys.exit(main())
