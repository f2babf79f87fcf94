#!/usr/bin/env python3
"""Check and time every spec's gold kernel on the GPU (docs/spec-format.md; measurement.md sections 2 and 3).
Reads JOBS/<id>.json (`kforge spec json`), builds reference, gold and baseline .so files with nvcc, then runs one
worker process per spec (a CUDA error poisons its process): correctness over seeds and sizes, then cold A/B timing.
Needs python3 and nvcc; past --dry-run also PyTorch with CUDA."""
import argparse, concurrent.futures, ctypes, json, math, os, re, shutil, statistics, subprocess, sys, time, zlib
from pathlib import Path

try:
    import torch
except ImportError:  # --help and --dry-run work without it
    torch = None

PRELUDE = "#include <cstdint>\n#include <cuda_runtime.h>\n#include <cuda_fp16.h>\n#include <cuda_bf16.h>\n"
# Appended after the source: each .so has its own static cudart, whose error state torch cannot see.
ERROR_HOOK = ('\nextern "C" int kf__last_error(void) { return (int)cudaGetLastError(); }\n'
              'extern "C" const char* kf__error_string(int e) { return cudaGetErrorString((cudaError_t)e); }\n')
NVCC_FLAGS = ["-O3", "-std=c++17", "-gencode=arch=compute_90a,code=sm_90a", "-lineinfo",
              "-Xcompiler", "-fPIC", "-shared", "-Xptxas=-v"]  # -v: registers/spills into the log only
LINK_FLAGS = {"cublas": "-lcublas", "cublasLt": "-lcublasLt"}
C_TYPES = {"f64": "double", "f32": "float", "f16": "__half", "bf16": "__nv_bfloat16", "i64": "int64_t",
           "i32": "int32_t", "i8": "int8_t", "u8": "uint8_t"}
SYMBOLS = {"reference": "kf_reference", "gold": "kf_launch", "baseline": "kf_baseline"}
HEADLINE_SEEDS, OTHER_SEEDS, TIMING_SEED = (1, 2, 3), (1,), 1000
REF_TIME_LIMIT_US = 50_000.0  # time the reference beside a source baseline only when it is this cheap
TORCH_DTYPES = {"f64": "float64", "f32": "float32", "f16": "float16", "bf16": "bfloat16", "i64": "int64",
                "i32": "int32", "i8": "int8", "u8": "uint8"}
def torch_dtype(name):
    return getattr(torch, TORCH_DTYPES[name])

def finite(obj):
    """JSON without NaN/Infinity, which strict parsers reject."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    return [finite(v) for v in obj] if isinstance(obj, (list, tuple)) else obj

# --------------------------------------------------------------------------------------------- jobs, TUs
def load_jobs(jobs_dir, only):
    jobs = {}
    for f in sorted(Path(jobs_dir).glob("*.json")):
        job = json.loads(f.read_text())
        if job.get("format") != "kernelforge.spec/1":
            print(f"warning: {f}: format {job.get('format')!r}, expected 'kernelforge.spec/1'", file=sys.stderr)
        jobs[job.get("id", f.stem)] = job
    if any(i not in jobs for i in only or []):
        sys.exit(f"error: --only: no job for {', '.join(i for i in only if i not in jobs)} in {jobs_dir}")
    jobs = {i: jobs[i] for i in only} if only else jobs
    if not jobs:
        sys.exit(f"error: no *.json jobs in {jobs_dir} (make them with: bash tests/gpu/gold-check.sh --prepare)")
    return jobs

def symbol_args(job):
    """The launcher's parameter list: launcher.symbol_args, else from the prototype, else from the tensors."""
    launcher = job.get("launcher") or {}
    args = launcher.get("symbol_args")
    if not args and launcher.get("prototype"):
        m = re.search(r"\((.*)\)", launcher["prototype"], re.S)
        args = m.group(1) if m else None
    if args:
        args = args.strip()
        return args[1:-1].strip() if args.startswith("(") and args.endswith(")") else args
    parts = [f"const {C_TYPES[t['dtype']]}* {t['name']}" for t in job["inputs"]]
    parts += [f"{C_TYPES[t['dtype']]}* {t['name']}" for t in job["outputs"]]
    return ", ".join(parts + [f"int64_t {p}" for p in job["params"]] + ["cudaStream_t stream"])

def role_sources(job, specs_dir):
    """{role: (source or None, problem)} for every role this job builds."""
    gold = Path(specs_dir) / f"{job['id']}.gold.cu"
    roles = {"reference": (job["reference"], None),
             "gold": (gold.read_text(), None) if gold.is_file() else (None, f"missing {gold}")}
    if (job.get("baseline") or {}).get("kind") == "source":
        roles["baseline"] = (job["baseline"]["source"], None)
    return roles

def translation_unit(job, role, source):
    decl = f'extern "C" void {SYMBOLS[role]}({symbol_args(job)});\n'
    return f'{PRELUDE}{decl}#line 1 "{job["id"]}.{role}.cu"\n{source}\n{ERROR_HOOK}'

def cuda_lib_dir():
    root = Path(shutil.which("nvcc")).resolve().parent.parent
    return next((d for d in (root / "lib64", root / "targets/x86_64-linux/lib") if d.is_dir()), None)

def compile_one(job, role, source, build_dir):
    d = Path(build_dir) / job["id"]
    d.mkdir(parents=True, exist_ok=True)
    cu, so, log = d / f"{role}.cu", d / f"{role}.so", d / f"{role}.nvcc.log"
    cu.write_text(translation_unit(job, role, source))
    cmd = ["nvcc", *NVCC_FLAGS, "-o", str(so), str(cu)]
    if role != "gold" and job.get("links"):
        cmd += [LINK_FLAGS[l] for l in job["links"]]
        if cuda_lib_dir():  # find cuBLAS at load time without LD_LIBRARY_PATH
            cmd += ["-Xlinker", f"-rpath={cuda_lib_dir()}"]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        rc, text = p.returncode, p.stdout + p.stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        rc, text = -1, f"{type(e).__name__}: {e}"
    log.write_text(" ".join(cmd) + "\n" + text)
    lines = text.strip().splitlines() or ["nvcc failed"]
    first_error = next((l for l in lines if "error" in l.lower()), lines[-1])
    return {"ok": rc == 0, "seconds": round(time.perf_counter() - t0, 2), "so": str(so), "log": str(log),
            "rc": rc, "error": None if rc == 0 else first_error.strip()[:300]}

def compile_all(jobs, specs_dir, build_dir, out_dir):
    tasks, results = {}, {i: {} for i in jobs}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        for sid, job in jobs.items():
            for role, (src, problem) in role_sources(job, specs_dir).items():
                if src is None:
                    results[sid][role] = {"ok": False, "seconds": 0, "error": problem}
                else:
                    tasks[pool.submit(compile_one, job, role, src, build_dir)] = (sid, role)
        for fut in concurrent.futures.as_completed(tasks):
            sid, role = tasks[fut]
            results[sid][role] = fut.result()
    with open(Path(out_dir) / "nvcc.log", "w") as f:  # one file: few files come back from the GPU machine
        for sid in results:
            for role, r in sorted(results[sid].items()):
                body = Path(r["log"]).read_text() if r.get("log") else r["error"]
                f.write(f"===== {sid} {role}: {'ok' if r['ok'] else 'FAILED'} {r['seconds']} s\n{body}\n")
    return results

def load_lib(so_path, symbol, job):
    lib = ctypes.CDLL(os.path.abspath(so_path))
    fn = getattr(lib, symbol)
    n_tensors = len(job["inputs"]) + len(job["outputs"])
    fn.argtypes = [ctypes.c_void_p] * n_tensors + [ctypes.c_int64] * len(job["params"]) + [ctypes.c_void_p]
    fn.restype = None
    lib.kf__last_error.restype = ctypes.c_int
    lib.kf__error_string.restype, lib.kf__error_string.argtypes = ctypes.c_char_p, [ctypes.c_int]
    return lib, fn

# --------------------------------------------------------------------------------------------- tensors
def make_input(t, shape, seed, spec_id):
    dt, init, shape = torch_dtype(t["dtype"]), t.get("init") or {}, tuple(shape)
    gen = torch.Generator(device="cuda")
    gen.manual_seed(zlib.crc32(f"{spec_id}/{seed}/{t['name']}".encode()))  # per (seed, tensor)
    kw = {"generator": gen, "device": "cuda"}
    if dt.is_floating_point or init.get("dist") == "normal":
        work = torch.float64 if dt in (torch.float64, torch.int64, torch.int32) else torch.float32
        if init.get("dist", "normal") == "uniform":
            lo, hi = float(init.get("low", 0.0)), float(init.get("high", 1.0))
            x = torch.rand(shape, dtype=work, **kw) * (hi - lo) + lo
        else:
            x = torch.randn(shape, dtype=work, **kw) * float(init.get("std", 1.0)) + float(init.get("mean", 0.0))
        return x.to(dt) if dt.is_floating_point else torch.round(x).to(dt)
    u8 = t["dtype"] == "u8"  # defaults: [0, 255] for u8, else [-100, 100]
    lo, hi = int(init.get("low", 0 if u8 else -100)), int(init.get("high", 255 if u8 else 100))
    return torch.randint(lo, hi + 1, shape, dtype=torch.int64, **kw).to(dt)  # inclusive bounds

def poison(tensors):
    for t in tensors:
        t.view(-1).view(torch.uint8).fill_(0xFF)  # all-ones bytes: NaN in f64/f32/f16/bf16

def all_ff(t):
    return (t.reshape(-1).view(torch.uint8).view(-1, t.element_size()) == 0xFF).all(dim=1)

def same_bytes(a, b):
    return torch.equal(a.reshape(-1).view(torch.uint8), b.reshape(-1).view(torch.uint8))

def compare(out, ref, tol):
    """measurement.md 2.1 for one output tensor, in float64."""
    o, r = out.reshape(-1).double(), ref.reshape(-1).double()
    ref_ff = all_ff(ref)
    unwritten = int((all_ff(out) & ~ref_ff).sum())
    ref_unwritten = int(ref_ff.sum()) if ref.dtype.is_floating_point else 0  # -1 is a valid integer
    fin_r, fin_o = torch.isfinite(r), torch.isfinite(o)
    both, zero = fin_r & fin_o, torch.zeros_like(o)
    # NaN/Inf where the reference has none fails; a non-finite reference element must be matched exactly
    nonfinite_bad = int((fin_r & ~fin_o).sum()) + int((~fin_r & ~(r.isnan() & o.isnan()) & (o != r)).sum())
    d, rz = torch.where(both, (o - r).abs(), zero), torch.where(fin_r, r, zero)
    ref_norm, err_norm = float(torch.linalg.vector_norm(rz)), float(torch.linalg.vector_norm(d))
    excess = torch.where(both, d - (tol["atol"] + tol["rtol"] * rz.abs()), torch.full_like(o, -math.inf))
    bad = int((excess > 0).sum()) + nonfinite_bad
    worst = int(torch.argmax(excess)) if o.numel() else 0
    nz = both & (r != 0)
    res = {"rel_l2": err_norm / ref_norm if ref_norm > 0 else (0.0 if err_norm == 0 else math.inf),
           "max_abs": float(d.max()), "max_rel": float((d[nz] / r[nz].abs()).max()) if bool(nz.any()) else 0.0,
           "bad": bad, "nonfinite_bad": nonfinite_bad, "unwritten": unwritten, "ref_unwritten": ref_unwritten,
           "numel": o.numel(), "ref_norm": ref_norm, "degenerate": ref_norm < 1e-30,
           "worst_index": worst, "worst_out": float(o[worst]), "worst_ref": float(r[worst]),
           "out_std": float(o[both].std()) if int(both.sum()) > 1 else 0.0,
           "ref_std": float(r[fin_r].std()) if int(fin_r.sum()) > 1 else 0.0}
    res["ok"] = res["rel_l2"] <= tol["rel_l2"] and bad == 0 and unwritten == 0 and ref_unwritten == 0
    return res

# --------------------------------------------------------------------------------------------- running
class Kernel:
    """One loaded launcher bound to the shared inputs and to output buffers of its own."""
    def __init__(self, role, lib_fn, job, inputs, size, stream):
        self.role, (self.lib, self.fn) = role, lib_fn
        self.outputs = [torch.empty(size["shapes"][t["name"]], dtype=torch_dtype(t["dtype"]), device="cuda")
                        for t in job["outputs"]]
        ptrs = [t.data_ptr() for t in inputs] + [t.data_ptr() for t in self.outputs]
        self.args = ptrs + [int(size["params"][p]) for p in job["params"]] + [stream.cuda_stream]

    def __call__(self):
        self.fn(*self.args)

    def check_error(self):
        e = self.lib.kf__last_error()
        if e:
            raise RuntimeError(f"{self.role}: CUDA error {e} ({self.lib.kf__error_string(e).decode()})")

    def run_synced(self):
        self()
        self.check_error()
        torch.cuda.synchronize()  # raises on asynchronous errors (illegal address, ...)
        self.check_error()

def check_seed(job, libs, size, seed, stream):
    """One correctness case. Returns (result, reference outputs, inputs). Runs on `stream` (the caller's)."""
    inputs = [make_input(t, size["shapes"][t["name"]], seed, job["id"]) for t in job["inputs"]]
    snapshot = [x.clone() for x in inputs]
    ref, gold = (Kernel(r, libs[r], job, inputs, size, stream) for r in ("reference", "gold"))
    poison(ref.outputs + gold.outputs)
    changed = lambda before: [t["name"] for t, a, b in zip(job["inputs"], inputs, before) if not same_bytes(a, b)]
    ref.run_synced()
    ref_modified = changed(snapshot)
    snapshot = [x.clone() for x in inputs] if ref_modified else snapshot
    gold.run_synced()
    gold_modified = changed(snapshot)
    outs = {t["name"]: compare(g, r, job["tolerance"]) for t, g, r in zip(job["outputs"], gold.outputs, ref.outputs)}
    first = [g.clone() for g in gold.outputs]  # run again on the same inputs: a moving result is a race
    poison(gold.outputs)
    gold.run_synced()
    res = {"seed": seed, "outputs": outs, "inputs_modified_by_gold": gold_modified,
           "inputs_modified_by_reference": ref_modified,
           "gold_deterministic": all(same_bytes(a, b) for a, b in zip(first, gold.outputs)),
           "degenerate": any(o["degenerate"] for o in outs.values())}
    res["ok"] = all(o["ok"] for o in outs.values()) and not gold_modified and not ref_modified
    return res, ref.outputs, inputs

def stats(samples):
    n, med, mean = len(samples), statistics.median(samples), statistics.fmean(samples)
    q1, _, q3 = statistics.quantiles(samples, n=4, method="inclusive") if n > 1 else (med,) * 3
    std = statistics.stdev(samples) if n > 1 else 0.0
    return {"median_us": med, "q1_us": q1, "q3_us": q3, "iqr_us": q3 - q1, "min_us": min(samples),
            "max_us": max(samples), "mean_us": mean, "sem_us": std / math.sqrt(n), "samples": n,
            "rel_sem_median": 1.2533 * std / math.sqrt(n) / med if med > 0 else math.inf}

def timed_sample(kernel, flush, stream):
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    flush.zero_()  # L2 flush before the start event: untimed, and keeps the GPU busy over the launch latency
    start.record(stream)
    kernel()
    stop.record(stream)
    return start, stop

def time_kernels(kernels, flush, stream, args):
    """Cold timing, interleaved A/B/A/B, adaptive stop (measurement.md 3.1, 3.2). Returns {role: stats}."""
    per_call = 0.0
    for k in kernels:  # warm-up by time
        t0, n = time.perf_counter(), 0
        while n == 0 or time.perf_counter() - t0 < args.warmup:
            k.run_synced()
            n += 1
        per_call += (time.perf_counter() - t0) / n
    chunk = max(1, min(10, int(0.05 / (per_call + 1e-5 * len(kernels)))))  # rounds between syncs
    max_n, min_n = args.reps, min(args.reps, args.min_samples)
    samples, t0, reason = {k.role: [] for k in kernels}, time.perf_counter(), None
    while reason is None:
        events = [(k, timed_sample(k, flush, stream)) for _ in range(chunk) for k in kernels]
        stream.synchronize()
        for k, (a, b) in events:
            samples[k.role].append(a.elapsed_time(b) * 1000.0)
        for k in kernels:
            k.check_error()
        n = min(len(v) for v in samples.values())
        if n >= max_n:
            reason = "max-samples"
        elif n >= min_n and all(stats(v)["rel_sem_median"] < args.target_rel_sem for v in samples.values()):
            reason = "converged"
        elif time.perf_counter() - t0 > args.time_cap * len(kernels) and n >= 3:
            reason = "time-cap"
        chunk = min(chunk, max(1, max_n - n))
    return {role: dict(stats(v), stop=reason) for role, v in samples.items()}

def event_overhead_us(stream):
    pairs = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) for _ in range(100)]
    for a, b in pairs:
        a.record(stream)
        b.record(stream)
    stream.synchronize()
    return sorted(a.elapsed_time(b) * 1000.0 for a, b in pairs)[50]

def time_size(job, libs, size, stream, flush, inputs, ref_outputs, args):
    kernels = [Kernel(r, libs[r], job, inputs, size, stream) for r in ("gold", "baseline", "reference") if r in libs]
    res = {}
    if "baseline" in libs:  # the reference too, when it is cheap
        kernels[-1].run_synced()
        a, b = timed_sample(kernels[-1], flush, stream)
        b.synchronize()
        if a.elapsed_time(b) * 1000.0 > REF_TIME_LIMIT_US:
            kernels.pop()
            res["reference"] = {"skipped": f"first sample {a.elapsed_time(b) * 1000.0:.0f} us"}
    res.update(time_kernels(kernels, flush, stream, args))
    # correctness again on the timed variant: the last timed call's outputs (not poisoned before it)
    res["post_timing_ok"] = all(compare(g, r, job["tolerance"])["ok"] for g, r in zip(kernels[0].outputs, ref_outputs))
    return res

def finish_size(entry, base_role):
    checks, reasons, t = entry["checks"], [], entry.get("timing", {})
    if "error" in entry:
        reasons.append(entry["error"])
    if any(not all(o["ok"] for o in c["outputs"].values()) for c in checks):
        reasons.append("gold mismatches the reference")
    if any(c["inputs_modified_by_gold"] or c["inputs_modified_by_reference"] for c in checks):
        reasons.append("inputs modified")
    if entry.get("reference_input_sensitive") is False:
        reasons.append("reference output does not change with the seed")
    if t and not t.get("post_timing_ok", True):
        reasons.append("gold output wrong after timing")
    if "gold" in t and base_role in t:
        g, b = t["gold"]["median_us"], t[base_role]["median_us"]
        entry.update(speedup=b / g, gbps=entry["bytes"] / g / 1e3, tflops=entry["flops"] / g / 1e6)
    entry["reasons"] = reasons
    entry["verdict"] = ("error" if "error" in entry else "fail" if reasons else
                        "degenerate" if any(c["degenerate"] for c in checks) else "pass")

def run_spec(job, compiled, args):
    """Worker body: every size of one spec, everything on one stream owned here."""
    libs = {role: load_lib(c["so"], SYMBOLS[role], job) for role, c in compiled.items()}
    base_role = "baseline" if "baseline" in libs else "reference"
    stream = torch.cuda.Stream()
    l2 = getattr(torch.cuda.get_device_properties(0), "L2_cache_size", 0) or (64 << 20)
    result = {"id": job["id"], "baseline_role": base_role, "flush_bytes": 2 * l2,
              "clocks_start": device_info(brief=True), "sizes": []}
    with torch.cuda.stream(stream):
        flush = torch.empty(2 * l2, dtype=torch.uint8, device="cuda")
        result["event_overhead_us"] = event_overhead_us(stream)
        for i, size in enumerate(job["sizes"]):
            entry = {"params": size["params"], "flops": size["flops"], "bytes": size["bytes"], "checks": []}
            result["sizes"].append(entry)
            try:
                refs = []
                for seed in HEADLINE_SEEDS if i == 0 else OTHER_SEEDS:
                    chk, ref_outputs, _ = check_seed(job, libs, size, seed, stream)
                    entry["checks"].append(chk)
                    refs = (refs + [ref_outputs])[:2]
                if len(refs) > 1:  # the reference must depend on its inputs (measurement.md 2.3)
                    entry["reference_input_sensitive"] = not all(map(same_bytes, refs[0], refs[1]))
                del refs
                if not args.no_timing:  # timing gets inputs of its own seed, checked as well
                    chk, ref_outputs, inputs = check_seed(job, libs, size, TIMING_SEED, stream)
                    entry["checks"].append(chk)
                    entry["timing"] = time_size(job, libs, size, stream, flush, inputs, ref_outputs, args)
            except Exception as e:  # a CUDA error poisons the context: stop this spec here
                entry["error"] = result["error"] = f"{type(e).__name__}: {e}"
            finish_size(entry, base_role)
            print(f"  {job['id']} size {i}: {entry['verdict']} {'; '.join(entry['reasons'])}", flush=True)
            if "error" in result:
                break
    result["clocks_end"] = device_info(brief=True)
    return result

# --------------------------------------------------------------------------------------------- report
def nvidia_smi(fields):
    """{field: value} for GPU 0; one field at a time when the query as a whole fails (an unknown field)."""
    try:
        p = subprocess.run(["nvidia-smi", "-i", "0", f"--query-gpu={','.join(fields)}", "--format=csv,noheader"],
                           capture_output=True, text=True, timeout=30)
        if p.returncode == 0:
            return dict(zip(fields, [v.strip() for v in p.stdout.strip().split(",")]))
    except (OSError, subprocess.TimeoutExpired):
        return {}
    return {k: v for f in fields if len(fields) > 1 for k, v in nvidia_smi([f]).items()}

def device_info(brief=False):
    fields = ["clocks.sm", "clocks.mem", "power.draw", "temperature.gpu", "clocks_event_reasons.active"]
    info = nvidia_smi(fields if brief else ["name", "driver_version", "clocks.max.sm"] + fields)
    if brief:
        return info
    nvcc = subprocess.run(["nvcc", "--version"], capture_output=True, text=True).stdout.splitlines()
    info["nvcc"] = nvcc[-1] if nvcc else "?"
    if torch is not None and torch.cuda.is_available():
        p = torch.cuda.get_device_properties(0)
        info.update(torch_device=p.name, cc=f"{p.major}.{p.minor}", sms=p.multi_processor_count,
                    l2_bytes=getattr(p, "L2_cache_size", None), mem_bytes=p.total_memory,
                    torch=torch.__version__, torch_cuda=torch.version.cuda)
        if "clocks.sm" not in info:
            try:
                info["clocks.sm"] = f"{torch.cuda.clock_rate(0)} MHz"
            except Exception:  # needs pynvml
                pass
    return info

def table(results):
    fmt = lambda v, f: "-" if v is None else f.format(v)
    head = ("spec", "size", "seeds ok", "rel_l2 worst", "gold us", "base us", "speedup", "GB/s", "TFLOP/s", "verdict")
    rows = [head]
    for sid, r in results.items():
        if not r.get("sizes"):
            rows.append((sid,) + ("-",) * 8 + (f"{r['verdict']}: {r.get('reason', '')}"[:90].rstrip(": "),))
        for e in r.get("sizes", []):
            t = e.get("timing", {})
            worst = max((o["rel_l2"] for c in e["checks"] for o in c["outputs"].values()), default=None)
            rows.append((sid, ",".join(f"{k}={v}" for k, v in e["params"].items())[:30],
                         f"{sum(c['ok'] for c in e['checks'])}/{len(e['checks'])}", fmt(worst, "{:.2e}"),
                         fmt(t.get("gold", {}).get("median_us"), "{:.1f}"),
                         fmt(t.get(r["baseline_role"], {}).get("median_us"), "{:.1f}"),
                         fmt(e.get("speedup"), "{:.2f}"), fmt(e.get("gbps"), "{:.0f}"), fmt(e.get("tflops"), "{:.2f}"),
                         e["verdict"]))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)

# --------------------------------------------------------------------------------------------- main
def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", default="build/gpu-jobs", help="folder of <id>.json from `kforge spec json`")
    ap.add_argument("--specs", default="resources/specs", help="folder of <id>.gold.cu")
    ap.add_argument("--out", default=os.environ.get("OUT") or "build/gold-check-out", help="report and logs")
    ap.add_argument("--build", default="build/gold-check-build", help="generated .cu, .so and per-TU logs")
    ap.add_argument("--only", nargs="+", metavar="ID", help="check only these spec ids")
    ap.add_argument("--reps", type=int, default=200, help="most timed samples per kernel and size (200)")
    ap.add_argument("--min-samples", type=int, default=30, help="fewest samples before a noise stop (30)")
    ap.add_argument("--target-rel-sem", type=float, default=0.005, help="noise stop: median's rel. SEM (0.005)")
    ap.add_argument("--time-cap", type=float, default=1.5, help="timing seconds per kernel and size (1.5)")
    ap.add_argument("--warmup", type=float, default=0.2, help="warm-up seconds per kernel and size (0.2)")
    ap.add_argument("--spec-timeout", type=float, default=300, help="seconds one spec's worker may take (300)")
    ap.add_argument("--no-timing", action="store_true", help="correctness only")
    ap.add_argument("--dry-run", action="store_true", help="only build and load the .so files (no torch, no GPU)")
    ap.add_argument("--worker", metavar="ID", help=argparse.SUPPRESS)
    return ap.parse_args(argv)

def worker_main(args):
    job = load_jobs(args.jobs, [args.worker])[args.worker]
    d = Path(args.build) / job["id"]
    compiled = json.loads((d / "compile.json").read_text())
    result = run_spec(job, {r: c for r, c in compiled.items() if r in SYMBOLS}, args)
    (d / "result.json").write_text(json.dumps(finite(result), indent=1))

def run_worker(sid, args):
    (res_file := Path(args.build) / sid / "result.json").unlink(missing_ok=True)
    passed = [a for k, v in vars(args).items() if k not in ("worker", "only", "dry_run", "no_timing")
              for a in (f"--{k.replace('_', '-')}", str(v))]
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", sid, *passed] + ["--no-timing"] * args.no_timing
    try:
        rc = subprocess.run(cmd, timeout=args.spec_timeout).returncode
    except subprocess.TimeoutExpired:
        rc = f"killed after {args.spec_timeout:.0f} s"
    if res_file.is_file():
        r = json.loads(res_file.read_text())
        verdicts = [e["verdict"] for e in r["sizes"]]
        r["verdict"] = next((v for v in verdicts if v != "pass"), "pass" if verdicts else "error")
        return r
    return {"verdict": "error", "reason": f"worker ({rc}) left no result: crash or hang, see the log above"}

def check_loadable(job, compiled):
    problems = [f"{role}: {c['error']}" for role, c in compiled.items() if not c["ok"]]
    for role, c in ((r, c) for r, c in compiled.items() if c["ok"]):
        try:
            load_lib(c["so"], SYMBOLS[role], job)
        except (OSError, AttributeError) as e:
            problems.append(f"{role}: load: {e}")
    return {"verdict": "fail" if problems else "built", "reason": "; ".join(problems)}

def main():
    args = parse_args()
    if args.worker:
        return worker_main(args)
    if not shutil.which("nvcc"):
        sys.exit("error: nvcc is not on PATH")
    if torch is None and not args.dry_run:
        sys.exit("error: PyTorch is not importable (--dry-run only builds, without it)")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    jobs = load_jobs(args.jobs, args.only)
    info = {} if args.dry_run else device_info()
    for k, v in info.items():
        print(f"{k:>28}: {v}")
    print(f"building {sum(len(role_sources(j, args.specs)) for j in jobs.values())} shared objects for "
          f"{len(jobs)} specs ...", flush=True)
    t0, compiled = time.perf_counter(), compile_all(jobs, args.specs, args.build, args.out)
    print(f"built in {time.perf_counter() - t0:.1f} s; logs in {Path(args.out) / 'nvcc.log'}", flush=True)
    results = {}
    for sid, job in jobs.items():
        results[sid] = check_loadable(job, compiled[sid])
        if args.dry_run or results[sid]["verdict"] == "fail":
            continue
        (Path(args.build) / sid / "compile.json").write_text(json.dumps(compiled[sid], indent=1))
        print(f"{sid}:", flush=True)
        results[sid] = run_worker(sid, args)
    for sid in results:
        results[sid]["compile"] = compiled[sid]
    report = {"device": info, "args": vars(args), "specs": results}
    (Path(args.out) / "gold-check.json").write_text(json.dumps(finite(report), indent=1))
    print("\n" + table(results))
    good = "built" if args.dry_run else "pass"
    n_ok = sum(r["verdict"] == good for r in results.values())
    print(f"\n{n_ok} {'built' if args.dry_run else 'passed'}, {len(results) - n_ok} failed")
    return 0 if n_ok == len(results) else 1

if __name__ == "__main__":
    sys.exit(main())
