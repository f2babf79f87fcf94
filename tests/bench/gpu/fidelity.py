#!/usr/bin/env python3
"""Timing fidelity of kf-runner: is its headline median repeatable, and does it agree with Nsight Compute?

  fidelity.py RUNNER JOB... [--runs 5] [--ncu-samples 50] [--out DIR]

For each gold job (softmax-rows-f32, transpose-f32, layernorm-bf16 by default in runner-check.sh --bench):
1. the job restricted to its headline size (spec.sizes[:1]), thorough budget, cold mode, run --runs times:
   the candidate's headline median_us each time and the spread (max - min) / median (target <= 0.5 %);
2. one more run under `ncu --clock-control none --cache-control all --metrics gpu__time_duration.sum` limited
   to the candidate's kernels (mangled names from its `compiled` event), with options.samples = N and
   time_baseline = false: the median of gpu__time_duration over the candidate's calls against the median of
   the runs in 1 (target within 3 %). A candidate that launches several kernels per call is summed per call
   when every kernel has as many launches, else its dominant kernel (most total time) is used; the table says
   which. Exit 0 when every target is met and every run passed, timed from CUPTI's kernel records; 1 otherwise,
   2 on bad input."""
import argparse, copy, csv, io, json, os, re, shutil, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gpu"))
from runner_check import InputError, fmt, load_job, median, run_job, table  # noqa: E402

SPREAD_TARGET, NCU_TARGET = 0.005, 0.03
NCU_TIMEOUT_S = 600

def find_ncu(given):
    for cand in ([given] if given else [shutil.which("ncu"), "/usr/local/cuda/bin/ncu"]):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None

def headline_job(job, cache_dir, candidate_only=False):
    job = copy.deepcopy(job)
    job["spec"]["sizes"] = job["spec"]["sizes"][:1]
    job["options"].update(budget="thorough", mode="cold", cache_dir=str(cache_dir))
    if candidate_only:
        job["options"]["time_baseline"] = False
    return job

def kernel_filter(kernels):
    """ncu arguments selecting the candidate's kernels: exact mangled names when the runner gives them."""
    mangled = [k.get("mangled") for k in kernels]
    if mangled and all(m and re.fullmatch(r"[A-Za-z0-9_$.]+", m) for m in mangled):
        return ["--kernel-name-base", "mangled", "-k", f"regex:^({'|'.join(re.escape(m) for m in mangled)})$"]
    names = sorted({re.split(r"[<(]", k.get("name", ""))[0].split("::")[-1] for k in kernels} - {""})
    # "function" names may carry a namespace prefix: anchor at the end only
    return ["--kernel-name-base", "function", "-k", f"regex:(^|:)({'|'.join(re.escape(n) for n in names)})$"]

def parse_ncu_csv(text):
    """[(kernel name, gpu__time_duration ns)] from `--csv --page raw --print-units base` output: a header row
    starting with "ID", a units row, then one row per profiled launch; values may carry thousands separators."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith('"ID"')), None)
    if start is None:
        return []
    rows = list(csv.reader(io.StringIO("\n".join(lines[start:]))))
    head = rows[0]
    if "gpu__time_duration.sum" not in head:
        raise ValueError("the ncu CSV has no gpu__time_duration.sum column")
    t_col, n_col = head.index("gpu__time_duration.sum"), head.index("Kernel Name") if "Kernel Name" in head else None
    out = []
    for r in rows[1:]:
        if len(r) != len(head) or not r[0].strip().isdigit():
            continue  # the units row, or lines of the program interleaved with the table
        out.append((r[n_col] if n_col is not None else "?", float(r[t_col].replace(",", ""))))
    return out

def per_call_ns(launches):
    """Times per candidate call from ncu's launches, and how they were formed."""
    by_name = {}
    for name, ns in launches:
        by_name.setdefault(name, []).append(ns)
    if len(by_name) == 1:
        return next(iter(by_name.values())), f"1 kernel ({next(iter(by_name))[:40]})"
    counts = {len(v) for v in by_name.values()}
    if len(counts) == 1:
        return [sum(col) for col in zip(*by_name.values())], f"sum per call of {len(by_name)} kernels"
    top = max(by_name, key=lambda k: sum(by_name[k]))
    return by_name[top], f"dominant kernel {top[:40]} of {len(by_name)} (launch counts differ)"

def ncu_problem(log_text, rc):
    if "ERR_NVGPUCTRPERM" in log_text or "INSUFFICIENT_PRIVILEGES" in log_text:
        return ("ncu has no permission for the GPU performance counters (ERR_NVGPUCTRPERM): run as root, with "
                "CAP_PERFMON/CAP_SYS_ADMIN, or with NVreg_RestrictProfilingToAdminUsers=0")
    tail = " | ".join(l.strip() for l in log_text.strip().splitlines()[-6:])
    return f"ncu profiled no matching launch (exit status {rc}): {tail[-600:] or 'no output'}"

def measure(runner, path, args, ncu, work):
    job, name = load_job(path), Path(path).stem
    if job["kind"] != "run":
        raise InputError(f"{path}: kind {job['kind']!r}, expected a run job")
    print(f"{name}: {args.runs} runs on {job['spec']['sizes'][0].get('params')}", flush=True)
    base = headline_job(job, work / "cache", args.candidate_only)
    r = {"job": str(path), "size": job["spec"]["sizes"][0].get("params"), "medians_us": [], "problems": []}
    kernels = []
    for i in range(args.runs):
        res = run_job(runner, base)
        med = res.headline_us()
        kernels = kernels or (res.first("compiled", role="candidate") or {}).get("kernels") or []
        timed = res.first("timed", size_index=0, who="candidate") or {}
        clk = timed.get("clocks") or {}
        print(f"  run {i + 1}: {res.verdict}, median {fmt(med, '{:.2f}')} us ({timed.get('timer')}); SM "
              f"{clk.get('sm_mhz_start')}->{clk.get('sm_mhz_end')} MHz, {clk.get('power_w')} W, throttle "
              f"{clk.get('throttle')}", flush=True)
        if res.verdict != "pass" or med is None:
            r["problems"].append(f"run {i + 1}: {res.verdict} {'; '.join(res.problems) or res.reasons_text()}"[:300])
        elif timed.get("timer") != "cupti":
            # events add the launch and the event writes: a timer that lost its CUPTI spans is a regression
            r["problems"].append(f"run {i + 1}: timed with {timed.get('timer')!r}, not CUPTI's kernel records")
        if med is not None:
            r["medians_us"].append(med)
    meds = r["medians_us"]
    r["median_us"] = median(meds)
    r["spread"] = (max(meds) - min(meds)) / r["median_us"] if len(meds) == args.runs and r["median_us"] else None
    if not ncu:
        r["ncu_problem"] = "ncu not found (looked at --ncu, PATH and /usr/local/cuda/bin/ncu)"
        return r
    if not kernels:
        r["ncu_problem"] = "the candidate's compiled event lists no kernels to profile"
        return r
    job = copy.deepcopy(base)
    job["options"].update(samples=args.ncu_samples, time_baseline=False)
    log = work / f"ncu-{name}.log"
    prefix = [ncu, "--clock-control", "none", "--cache-control", "all", "--metrics", "gpu__time_duration.sum",
              *kernel_filter(kernels), "--csv", "--page", "raw", "--print-units", "base", "--log-file", str(log)]
    print(f"  ncu: {' '.join(prefix[1:])}", flush=True)
    res = run_job(runner, job, timeout_s=NCU_TIMEOUT_S, prefix=prefix)
    text = (log.read_text(errors="replace") if log.is_file() else "") + "\n" + "\n".join(t for _, t in res.raw)
    r["ncu_run"] = {"verdict": res.verdict, "harness_median_us": res.headline_us(), "rc": res.rc,
                    "problems": [p for p in res.problems if "not a JSON event" not in p]}
    try:
        launches = parse_ncu_csv(text)
    except ValueError as e:
        launches, r["ncu_problem"] = [], f"{e}; see {log}"
    if not launches:
        r.setdefault("ncu_problem", ncu_problem(text, res.rc))
        return r
    calls, how = per_call_ns(launches)
    r.update(ncu_launches=len(launches), ncu_calls=len(calls), ncu_how=how, ncu_median_us=median(calls) / 1e3)
    if r["median_us"]:
        r["ncu_diff"] = abs(r["ncu_median_us"] - r["median_us"]) / r["median_us"]
    return r

def verdict(value, target):
    return "-" if value is None else ("PASS" if value <= target else "FAIL")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runner", help="the kf-runner executable")
    ap.add_argument("jobs", nargs="+", help="gold run jobs (build/gpu-jobs/runner/gold-<spec>.json)")
    ap.add_argument("--runs", type=int, default=5, help="plain runs per job (5)")
    ap.add_argument("--candidate-only", action="store_true",
                    help="plain runs time the candidate alone, as the run under ncu does (default: with the baseline)")
    ap.add_argument("--ncu-samples", type=int, default=50, help="options.samples of the run under ncu (50)")
    ap.add_argument("--ncu", help="the ncu executable (default: PATH, then /usr/local/cuda/bin/ncu)")
    ap.add_argument("--out", default=os.environ.get("OUT") or "build/runner-check-out", help="fidelity.json here")
    ap.add_argument("--work", default="build/bench-work/fidelity", help="compile cache and ncu logs (cleared first)")
    args = ap.parse_args()
    if args.runs < 2 or args.ncu_samples < 1:
        ap.error("--runs must be at least 2 and --ncu-samples at least 1")
    ncu = find_ncu(args.ncu)
    if not ncu:
        print("fidelity: ncu not found (looked at --ncu, PATH and /usr/local/cuda/bin/ncu): the ncu comparison "
              "is skipped and counts as failed", flush=True)
    work = Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    (work / "cache").mkdir(parents=True)  # one compile cache: only the first run of a job compiles
    try:
        if not os.access(args.runner, os.X_OK):
            raise InputError(f"{args.runner}: not an executable file (the kf-runner to measure)")
        for path in args.jobs:
            load_job(path)  # every input checked before the first run
        results = [measure(args.runner, p, args, ncu, work) for p in args.jobs]
    except InputError as e:
        print(f"fidelity: error: {e}", file=sys.stderr)
        return 2
    rows = [("job", "runs: median us", "spread", f"<={SPREAD_TARGET:.1%}", "ncu median us", "diff",
             f"<={NCU_TARGET:.0%}", "ncu launches / calls")]
    for r in results:
        rows.append((Path(r["job"]).stem, " ".join(f"{m:.1f}" for m in r["medians_us"]) or "-",
                     fmt(r["spread"], "{:.2%}"), verdict(r["spread"], SPREAD_TARGET),
                     fmt(r.get("ncu_median_us"), "{:.2f}"), fmt(r.get("ncu_diff"), "{:.2%}"),
                     verdict(r.get("ncu_diff"), NCU_TARGET),
                     f"{r['ncu_launches']} / {r['ncu_calls']}: {r['ncu_how']}" if "ncu_how" in r else "-"))
    notes = [f"{Path(r['job']).stem}: {p}" for r in results for p in r["problems"] + [r.get("ncu_problem")] if p]
    print("\n" + table(rows) + "".join("\n" + n for n in notes))
    print("spread: (max - min) / median of the runs' headline medians; diff: |ncu - harness| / harness, harness = "
          "the median of those runs (cold, timed from CUPTI's kernel records); ncu = gpu__time_duration per call")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "fidelity.json").write_text(json.dumps(results, indent=1))
    met = all(verdict(r["spread"], SPREAD_TARGET) == "PASS" and verdict(r.get("ncu_diff"), NCU_TARGET) == "PASS"
              and not r["problems"] for r in results)
    return 0 if met else 1

if __name__ == "__main__":
    sys.exit(main())
