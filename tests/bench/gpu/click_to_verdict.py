#!/usr/bin/env python3
"""Click to verdict: how long a user waits from "run" to an answer, kf-runner against PyTorch's load_inline.

  click_to_verdict.py RUNNER JOB_SOFTMAX_GOLD [--reps 5] [--thorough-reps 2] [--load-inline-reps 1] [--out DIR]

(a) kf-runner, cold compile cache (a fresh empty options.cache_dir each rep), interactive budget: wall time
    from spawning kf-runner to its `done` event, and to its first passing check on the headline size;
(b) the same with the thorough budget; (c) a warm cache (one cache dir, primed by a run that is not counted);
(d) compile alone (kind compile, cold cache): to `done`, and the `seconds` of the candidate's `compiled` event;
(f), (g) as (a) and (d) with KF_FAST_BUILD=0 (nvcc builds every role), each rep right after its (a) or (d);
(e) torch.utils.cpp_extension.load_inline of the same kernel source (kf_launch wrapped in a C++ function taking
    tensors and the current stream), a fresh build directory per rep and a fresh process (torch imported and
    CUDA initialised before the clock starts, as in a KernelBench session): from the call to the first result
    on the headline size verified against torch.softmax.
Prints median, min and max of each and the ratio load_inline / kf-runner cold. Exit 1 when a run failed."""
import argparse, copy, itertools, json, math, os, shutil, subprocess, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gpu"))
from runner_check import InputError, child_env, fmt, load_job, median, run_job, table  # noqa: E402

TORCH_WRAPPER = r"""
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>

torch::Tensor kf_softmax_rows(torch::Tensor x) {
    TORCH_CHECK(x.is_cuda() && x.dim() == 2 && x.scalar_type() == torch::kFloat32 && x.is_contiguous(),
                "x must be a contiguous 2-D float32 CUDA tensor");
    auto y = torch::empty_like(x);
    kf_launch(x.data_ptr<float>(), y.data_ptr<float>(), x.size(0), x.size(1), at::cuda::getCurrentCUDAStream());
    return y;
}
"""
LOAD_INLINE_TIMEOUT_S = 900

def runner_rep(runner, job, budget, cache_dir, kind="run", nvcc_only=False):
    """One kf-runner job: {verdict, done_s, first_check_s, compile_s}. nvcc_only: KF_FAST_BUILD=0 (no g++/NVRTC
    fast build)."""
    job = copy.deepcopy(job)
    job["kind"] = kind
    job["options"].update(budget=budget, cache_dir=str(cache_dir))
    res = run_job(runner, job, env=child_env({"KF_FAST_BUILD": "0"}) if nvcc_only else None)
    compiled = res.first("compiled", role="candidate") or {}
    rep = {"verdict": res.verdict, "done_s": res.time_of("done"), "wall_s": res.wall_s,
           "first_check_s": res.time_of("checked", size_index=0, ok=True), "compile_s": compiled.get("seconds"),
           "cached": compiled.get("cached"), "problems": res.problems}
    if res.verdict != "pass":
        rep["reasons"] = res.reasons_text()[:300]
        rep["stderr_tail"] = res.stderr[-600:]
    why = "" if res.verdict == "pass" else f" ({'; '.join(res.problems) or rep['reasons']})"[:300]
    print(f"  {kind} {budget}{' nvcc only' if nvcc_only else ''}: {res.verdict}, done at {fmt(rep['done_s'], '{:.2f}')} s{why}", flush=True)
    return rep

def load_inline_rep(job, work, rep):
    """One cold load_inline in a fresh process (its own build directory): {ok, verified_s, build_s, rel_l2}."""
    build = work / f"torch-ext-{rep}"
    build.mkdir(parents=True)
    src = work / f"source-{rep}.json"
    size = job["spec"]["sizes"][0]["params"]
    src.write_text(json.dumps({"prototype": job["spec"]["launcher"]["prototype"], "source": job["candidate"]["source"],
                               "rows": size["rows"], "cols": size["cols"], "rel_l2": job["spec"]["tolerance"]["rel_l2"],
                               "build": str(build), "name": f"kf_click_{rep}"}))
    env = child_env({"TORCH_EXTENSIONS_DIR": str(build), "TORCH_CUDA_ARCH_LIST": "9.0a",
                     "MAX_JOBS": str(os.cpu_count() or 4)})
    cmd = [sys.executable, os.path.abspath(__file__), "--load-inline-worker", str(src)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=LOAD_INLINE_TIMEOUT_S, env=env)
        last = (p.stdout.strip().splitlines() or [""])[-1]
        result = json.loads(last) if last.startswith("{") else {"ok": False, "error": p.stderr.strip()[-1500:]}
    except subprocess.TimeoutExpired:
        result = {"ok": False, "error": f"load_inline did not finish in {LOAD_INLINE_TIMEOUT_S} s"}
    print(f"  load_inline: {'ok' if result.get('ok') else 'FAILED'}, verified at "
          f"{fmt(result.get('verified_s'), '{:.1f}')} s" + ("" if result.get("ok") else f": {result.get('error')}"),
          flush=True)
    return result

def load_inline_worker(spec_file):
    """Runs in a fresh process: build the extension cold, run it once on the headline size, check it."""
    cfg = json.loads(Path(spec_file).read_text())
    try:
        import torch
        from torch.utils.cpp_extension import load_inline
    except ImportError as e:
        print(json.dumps({"ok": False, "error": f"cannot import torch: {e}"}))
        return 1
    if not torch.cuda.is_available():
        print(json.dumps({"ok": False, "error": "torch sees no CUDA device"}))
        return 1
    x = torch.randn(cfg["rows"], cfg["cols"], device="cuda") * 3.0  # the spec's init: normal, std 3
    torch.cuda.synchronize()  # the context exists before the clock starts
    source = f"#include <cstdint>\n#include <cuda_runtime.h>\n{cfg['prototype']}\n{cfg['source']}\n{TORCH_WRAPPER}"
    t0 = time.perf_counter()
    try:
        mod = load_inline(name=cfg["name"], cpp_sources="torch::Tensor kf_softmax_rows(torch::Tensor x);",
                          cuda_sources=source, functions=["kf_softmax_rows"], extra_cuda_cflags=["-O3"],
                          build_directory=cfg["build"], verbose=False)
    except Exception as e:  # a compiler error: report it as a result
        print(json.dumps({"ok": False, "error": f"load_inline: {type(e).__name__}: {str(e)[-1500:]}"}))
        return 1
    t_built = time.perf_counter()
    y = mod.kf_softmax_rows(x)
    want = torch.softmax(x, dim=1)
    rel = float((y.double() - want.double()).norm() / want.double().norm())
    torch.cuda.synchronize()
    t1 = time.perf_counter()
    ok = math.isfinite(rel) and rel <= cfg["rel_l2"]
    print(json.dumps({"ok": ok, "verified_s": t1 - t0, "build_s": t_built - t0, "rel_l2": rel if ok else str(rel),
                      "torch": torch.__version__, "error": None if ok else f"rel_l2 {rel} > {cfg['rel_l2']}"}))
    return 0 if ok else 1

def passed(rep):
    return rep.get("verdict") == "pass" if "verdict" in rep else bool(rep.get("ok"))

def values(reps, field="done_s"):
    """The field of every rep, None where the rep did not pass (or lacks it)."""
    return [r.get(field) if passed(r) else None for r in reps]

def stats_row(label, vals):
    v = [x for x in vals if x is not None]
    return (label, f"{len(v)}/{len(vals)}", fmt(median(v), "{:.2f}"), fmt(min(v) if v else None, "{:.2f}"),
            fmt(max(v) if v else None, "{:.2f}"))

def ratio(num, vals):
    den = median([v for v in vals if v is not None])
    return fmt(num / den if num and den else None, "{:.1f}x")

def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--load-inline-worker":
        return load_inline_worker(sys.argv[2])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runner", help="the kf-runner executable")
    ap.add_argument("job", help="the softmax-rows-f32 gold job (build/gpu-jobs/runner/gold-softmax-rows-f32.json)")
    ap.add_argument("--reps", type=int, default=5, help="reps of (a), (c) and (d) (5)")
    ap.add_argument("--thorough-reps", type=int, default=2, help="reps of (b) (2)")
    ap.add_argument("--load-inline-reps", type=int, default=1, help="reps of (e), 0 skips it (1)")
    ap.add_argument("--out", default=os.environ.get("OUT") or "build/runner-check-out", help="click-to-verdict.json")
    ap.add_argument("--work", default="build/bench-work/click-to-verdict", help="caches and builds (cleared first)")
    args = ap.parse_args()
    if min(args.reps, args.thorough_reps) < 1 or args.load_inline_reps < 0:
        ap.error("--reps and --thorough-reps must be at least 1, --load-inline-reps at least 0")
    try:
        if not os.access(args.runner, os.X_OK):
            raise InputError(f"{args.runner}: not an executable file (the kf-runner to time)")
        job = load_job(args.job)
        if job["kind"] != "run" or job["spec"].get("id") != "softmax-rows-f32":
            raise InputError(f"{args.job}: expected a run job of softmax-rows-f32 (load_inline's result is checked "
                             f"against torch.softmax), got a {job['kind']} job of {job['spec'].get('id')!r}")
    except InputError as e:
        print(f"click_to_verdict: error: {e}", file=sys.stderr)
        return 2
    work = Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    fresh = itertools.count()

    def cold():  # a new, empty compile cache
        (d := work / f"cache-{next(fresh)}").mkdir()
        return d
    runs = {}
    print(f"click to verdict: {job['spec'].get('id')} with {args.runner}", flush=True)
    runs["a"], runs["f"] = [], []
    for _ in range(args.reps):  # the fast build and nvcc alone, alternately
        runs["a"].append(runner_rep(args.runner, job, "interactive", cold()))
        runs["f"].append(runner_rep(args.runner, job, "interactive", cold(), nvcc_only=True))
    runs["b"] = [runner_rep(args.runner, job, "thorough", cold()) for _ in range(args.thorough_reps)]
    warm = cold()
    runner_rep(args.runner, job, "interactive", warm)  # primes the cache, not counted
    runs["c"] = [runner_rep(args.runner, job, "interactive", warm) for _ in range(args.reps)]
    runs["d"], runs["g"] = [], []
    for _ in range(args.reps):
        runs["d"].append(runner_rep(args.runner, job, "interactive", cold(), kind="compile"))
        runs["g"].append(runner_rep(args.runner, job, "interactive", cold(), kind="compile", nvcc_only=True))
    runs["e"] = [load_inline_rep(job, work, i) for i in range(args.load_inline_reps)]
    shutil.rmtree(work, ignore_errors=True)

    a, c, d, e = runs["a"], runs["c"], runs["d"], runs["e"]
    rows = [("what (seconds)", "ok", "median", "min", "max"),
            stats_row("(a) kf-runner cold cache, interactive: to done", values(a)),
            stats_row("    to the first passing headline check", values(a, "first_check_s")),
            stats_row("(b) kf-runner cold cache, thorough: to done", values(runs["b"])),
            stats_row("(c) kf-runner warm cache, interactive: to done", values(c)),
            stats_row("    to the first passing headline check", values(c, "first_check_s")),
            stats_row("(d) compile only, cold cache: to done", values(d)),
            stats_row("    the compiled event's seconds", values(d, "compile_s")),
            stats_row("(e) load_inline, cold: to the first verified result", values(e, "verified_s")),
            stats_row("(f) as (a), nvcc only (KF_FAST_BUILD=0): to done", values(runs["f"])),
            stats_row("(g) as (d), nvcc only: the compiled event's seconds", values(runs["g"], "compile_s")),
            stats_row("    the load_inline call (build and load) alone", values(e, "build_s"))]
    li = median([v for v in values(e, "verified_s") if v is not None])
    print("\n" + table(rows) + "\nload_inline / kf-runner cold (a): " + ratio(li, values(a)) + " to the verdict, "
          + ratio(li, values(a, "first_check_s")) + " to the first verified result; nvcc only (f) / fast build (a): "
          + ratio(median([v for v in values(runs["f"]) if v is not None]), values(a)))
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "click-to-verdict.json").write_text(json.dumps({"job": args.job, "runs": runs}, indent=1))
    failed = sum(not passed(r) for reps in runs.values() for r in reps)
    if failed:
        print(f"{failed} runs did not pass; see {Path(args.out) / 'click-to-verdict.json'}")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
