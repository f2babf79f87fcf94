#!/usr/bin/env python3
"""How the fast build should share a role's kernels among NVRTC workers: processes, -split-compile threads and
grouping, timed on the kernels alone.

  nvrtc_groups.py RUNNER JOB [--reps 3] [--configs 16x1,8x2,4x4,16x2] [--arch sm_90a] [--save-request FILE]

1. Runs JOB as a compile job through a copy of RUNNER whose kf-nvrtc records its request, with
   KF_FAST_BUILD_WORKERS=1: one request naming every kernel instance of the candidate.
2. Times each instance alone (one kf-nvrtc process) and an empty request (parse only), to show what each
   kernel costs.
3. For each configuration WxT (W processes, -split-compile=T) and each grouping (round robin, as fast_build
   does; and longest first onto the least loaded, from the costs in 2), runs the W processes at once and takes
   the wall time until the last one ends. Configurations are interleaved rep by rep; prints median and range.
4. Compiles every instance in one process with and without -split-compile and compares the SASS of each
   kernel (cuobjdump -sass): does splitting change the code that is timed?
The kf-nvrtc processes run with CUDA_CACHE_DISABLE=1, as kf-runner's do: NVRTC otherwise keeps what it compiled
in the CUDA driver's cache (~/.nv/ComputeCache), and these repeats of one request from one directory would be
timed as cache hits: 0.35 s instead of 1.1 s on an H100 host. (kf-runner's compiles, each in a directory of its
own, apparently never hit it: the anonymous namespace's mangled name differs from compile to compile, and
fast_build.py times them alike with and without the cache.)"""
import argparse, concurrent.futures, copy, json, os, re, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gpu"))
from runner_check import child_env, load_job, run_job, table  # noqa: E402

RECORDER = """#!/bin/sh
f=$(mktemp "{dir}/request-XXXXXX.json")
cat >"$f"
exec "{real}" <"$f"
"""

def capture_request(runner, job, arch, work):
    """The kf-nvrtc request of the candidate's kernels, all in one group."""
    src = Path(runner).resolve().parent
    copy_dir = work / "runner"
    copy_dir.mkdir()
    for f in src.iterdir():
        if f.is_file() and (f.name == "kf-runner" or f.name.startswith("kf_host_prelude")):
            shutil.copy2(f, copy_dir / f.name)
    real = src / "kf-nvrtc"
    requests = work / "requests"
    requests.mkdir()
    (copy_dir / "kf-nvrtc").write_text(RECORDER.format(dir=requests, real=real))
    (copy_dir / "kf-nvrtc").chmod(0o755)
    job = copy.deepcopy(job)
    job["kind"] = "compile"
    job["options"].update(budget="interactive", cache_dir="")
    if arch:
        job["options"]["arch"] = arch
    res = run_job(str(copy_dir / "kf-runner"), job, env=child_env({"KF_FAST_BUILD_WORKERS": "1"}))
    got = sorted(requests.iterdir())
    if res.verdict != "pass" or len(got) != 1:
        sys.exit(f"capture failed: verdict {res.verdict}, {len(got)} requests")
    request = json.loads(got[0].read_text())
    request["options"] = [o for o in request["options"] if not o.startswith("-split-compile")]
    return request

def compile_once(worker, request):
    t0 = time.monotonic()
    p = subprocess.run([worker], input=json.dumps(request).encode(), capture_output=True,
                       env=child_env({"CUDA_CACHE_DISABLE": "1"}))
    took = time.monotonic() - t0
    reply = json.loads(p.stdout or b"{}")
    if not reply.get("ok"):
        sys.exit(f"kf-nvrtc failed: {reply.get('error') or reply.get('log', '')[:400]}")
    return took

def variant(request, expressions, split, cubin):
    r = dict(request)
    r["expressions"] = expressions
    r["options"] = request["options"] + ([f"-split-compile={split}"] if split != 1 else [])
    r["cubin"] = str(cubin)
    return r

def round_robin(names, w, cost):
    groups = [[] for _ in range(min(w, len(names)))]
    for i, n in enumerate(names):
        groups[i % len(groups)].append(n)
    return groups

def longest_first(names, w, cost):
    groups = [[] for _ in range(min(w, len(names)))]
    load = [0.0] * len(groups)
    for n in sorted(names, key=lambda n: -cost[n]):
        k = load.index(min(load))
        groups[k].append(n)
        load[k] += cost[n]
    return groups

def run_config(worker, request, groups, split, work):
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(len(groups)) as pool:
        list(pool.map(lambda kg: compile_once(worker, variant(request, kg[1], split, work / f"g{kg[0]}.cubin")),
                      enumerate(groups)))
    return time.monotonic() - t0

def sass_by_function(cubin):
    """{function: SASS text without addresses} of a CUBIN, from cuobjdump."""
    out = subprocess.run(["cuobjdump", "-sass", str(cubin)], capture_output=True, text=True, check=True).stdout
    funcs, name = {}, None
    for line in out.splitlines():
        if line.strip().startswith("Function : "):
            name = line.split(":", 1)[1].strip()
            funcs[name] = []
        elif name and "/*" in line:
            funcs[name].append(re.sub(r"/\*[0-9a-f]{4,}\*/", "", line).split(";")[0].strip())
    return funcs

def compare_split(worker, request, names, split, work):
    plain, split_cubin = work / "plain.cubin", work / "split.cubin"
    compile_once(worker, variant(request, names, 1, plain))
    compile_once(worker, variant(request, names, split, split_cubin))
    a, b = sass_by_function(plain), sass_by_function(split_cubin)
    differ = sorted(f for f in set(a) | set(b) if a.get(f) != b.get(f))
    print(f"SASS with -split-compile={split} against without: {len(a)} kernels, {len(differ)} differ"
          + "".join(f"\n  differs: {f}" for f in differ))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runner")
    ap.add_argument("job")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--configs", default="16x1,8x2,4x4,16x2")
    ap.add_argument("--arch", help="e.g. sm_90a, for a machine without a GPU (default: the GPU's)")
    ap.add_argument("--save-request", help="write the captured request (every instance, no split) here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kf-nvrtc-groups-"))
    worker = str(Path(args.runner).resolve().parent / "kf-nvrtc")
    request = capture_request(args.runner, load_job(args.job), args.arch, work)
    names = request["expressions"]
    if args.save_request:
        Path(args.save_request).write_text(json.dumps(request))
    print(f"{len(names)} kernel instances, {os.cpu_count()} CPUs")

    parse = statistics.median(compile_once(worker, variant(request, [], 1, work / "p.cubin")) for _ in range(3))
    cost = {n: compile_once(worker, variant(request, [n], 1, work / "one.cubin")) - parse for n in names}
    rows = [("kernel instance", "s beyond the parse")] + [(n, f"{cost[n]:.3f}") for n in
                                                          sorted(names, key=lambda n: -cost[n])]
    print(f"parse only: {parse:.3f} s; sum of kernels {sum(cost.values()):.3f} s\n" + table(rows))

    configs = []
    for c in args.configs.split(","):
        w, t = (int(x) for x in c.split("x"))
        for policy in (round_robin, longest_first):
            configs.append((f"{w} processes x split {t}, {policy.__name__.replace('_', ' ')}",
                            policy(names, w, cost), t))
    times = {name: [] for name, _, _ in configs}
    for _ in range(args.reps):
        for name, groups, split in configs:
            times[name].append(run_config(worker, request, groups, split, work))
    rows = [("configuration", "groups", "kernels s (median)", "range")]
    for name, groups, _ in configs:
        v = times[name]
        rows.append((name, str(len(groups)), f"{statistics.median(v):.3f}", f"{min(v):.3f}-{max(v):.3f}"))
    print(table(rows))
    if shutil.which("cuobjdump"):
        compare_split(worker, request, names, max(int(c.split("x")[1]) for c in args.configs.split(",")), work)
    shutil.rmtree(work, ignore_errors=True)
    return 0

if __name__ == "__main__":
    sys.exit(main())
