#!/usr/bin/env python3
"""Compare kf-calibrate-probe's DRAM and BF16 ceilings with what PyTorch reaches on the same GPU.

    ceilings_vs_torch.py OUT.json [--probe PATH] [--quick] [--reps N]

Runs, in one invocation and in this order: a PyTorch round (A), `kf-calibrate-probe --json OUT.json`, and a
second PyTorch round (B), so that both sides see the GPU in a similar state. Each PyTorch round measures, after a
timed warm-up, N repetitions (default 50, at least 20) each between two CUDA events recorded back to back, exactly
as the probe times its own repetitions:
  - copy bandwidth: y.copy_(x) on a 2 GiB fp32 tensor (a device-to-device cudaMemcpy in PyTorch), counting read +
    write bytes;
  - torch.matmul on bf16 8192 x 8192 x 8192 standard-normal matrices, 2 * 8192^3 FLOP each.
It prints ours against the median over all PyTorch repetitions, the ratio, and PASS/FAIL: DRAM within 5 %, BF16
within 3 % (either way: a figure well above PyTorch's is as suspect as one below). Exit status 0 when both pass,
1 when one fails, 2 when something could not run.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COPY_BYTES = 2 << 30  # per tensor, as the probe's DRAM buffers
GEMM_DIM = 8192
WARMUP_S = 0.3  # the probe's full-calibration warm-up per measurement
TOLERANCE = {"dram": 0.05, "bf16": 0.03}
PROBE_TIMEOUT_S = 600


def die(message):
    """Something could not run: say what, exit 2 (1 is kept for a failed comparison)."""
    print("ceilings_vs_torch: " + message, file=sys.stderr)
    sys.exit(2)


def find_probe(explicit):
    """The probe binary: --probe, then $KF_CALIBRATE_PROBE, then the build tree, then PATH."""
    repo = Path(__file__).resolve().parents[3]
    candidates = [explicit, os.environ.get("KF_CALIBRATE_PROBE"),
                  repo / "build" / "tests" / "gpu" / "kf-calibrate-probe", shutil.which("kf-calibrate-probe")]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return str(c)
    die("kf-calibrate-probe not found; build it (cmake --build build --target kf-calibrate-probe) or pass "
        "--probe PATH")


def time_reps(torch, fn, reps):
    """Warm up for WARMUP_S (at least two calls), then time `reps` calls between events recorded back to back."""
    torch.cuda.synchronize()
    start = time.monotonic()
    calls = 0
    while calls < 2 or time.monotonic() - start < WARMUP_S:
        fn()
        calls += 1
        torch.cuda.synchronize()
    events = [torch.cuda.Event(enable_timing=True) for _ in range(reps + 1)]
    events[0].record()
    for i in range(reps):
        fn()
        events[i + 1].record()
    torch.cuda.synchronize()
    return [events[i].elapsed_time(events[i + 1]) for i in range(reps)]  # milliseconds


def copy_rates(torch, reps):
    """GB/s of each y.copy_(x) repetition, read + write bytes."""
    x = torch.randn(COPY_BYTES // 4, dtype=torch.float32, device="cuda")
    y = torch.empty_like(x)
    return [2 * COPY_BYTES / (ms * 1e-3) / 1e9 for ms in time_reps(torch, lambda: y.copy_(x), reps)]


def matmul_rates(torch, reps):
    """TFLOP/s of each torch.matmul repetition on bf16 standard-normal matrices (never zeros: those run faster)."""
    a = torch.randn(GEMM_DIM, GEMM_DIM, dtype=torch.bfloat16, device="cuda")
    b = torch.randn(GEMM_DIM, GEMM_DIM, dtype=torch.bfloat16, device="cuda")
    return [2 * GEMM_DIM**3 / (ms * 1e-3) / 1e12 for ms in time_reps(torch, lambda: torch.matmul(a, b), reps)]


def torch_round(torch, reps, label):
    """One PyTorch round: every repetition's copy GB/s and bf16 matmul TFLOP/s."""
    print(f"torch round {label}: y.copy_(x) on {COPY_BYTES >> 20} MiB fp32, then torch.matmul bf16 "
          f"{GEMM_DIM}^3, {reps} repetitions each", file=sys.stderr, flush=True)
    rates = {"dram": copy_rates(torch, reps), "bf16": matmul_rates(torch, reps)}
    torch.cuda.synchronize()
    torch.cuda.empty_cache()  # give the memory back before the probe runs
    return rates


def run_probe(probe, out_json, quick):
    cmd = [probe, "--json", out_json] + (["--quick"] if quick else [])
    print("running: " + " ".join(cmd), file=sys.stderr, flush=True)
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        die(f"the probe did not finish within {PROBE_TIMEOUT_S} s")
    sys.stderr.write(done.stderr)
    print(done.stdout)
    if done.returncode != 0:
        die(f"the probe failed (exit {done.returncode}); its messages are above")
    with open(out_json, encoding="utf-8") as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_json", help="where the probe writes its ceilings payload (JSON)")
    parser.add_argument("--probe", help="path of kf-calibrate-probe (default: build tree, then PATH)")
    parser.add_argument("--quick", action="store_true", help="run the probe with --quick (fewer repetitions)")
    parser.add_argument("--reps", type=int, default=50, help="PyTorch repetitions per round (at least 20)")
    args = parser.parse_args()
    if args.reps < 20:
        parser.error("--reps must be at least 20")
    probe = find_probe(args.probe)

    try:
        import torch
    except ImportError:
        die("PyTorch is not installed")
    if not torch.cuda.is_available():
        die("PyTorch sees no CUDA device")
    blas = getattr(torch.backends.cuda, "preferred_blas_library", lambda: "default")()
    print(f"device: {torch.cuda.get_device_name()}; torch {torch.__version__}, CUDA {torch.version.cuda}, "
          f"BLAS backend {blas}", flush=True)

    round_a = torch_round(torch, args.reps, "A")
    ours = run_probe(probe, args.out_json, args.quick)
    round_b = torch_round(torch, args.reps, "B")

    rows = [("dram", "DRAM copy", "GB/s", ours["dram_gbps"]), ("bf16", "BF16 matmul 8192^3", "TFLOP/s",
                                                                  ours["bf16_tflops"])]
    print(f"\n{'':22} {'unit':8} {'ours':>10} {'torch A':>10} {'torch B':>10} {'torch':>10} {'ours/torch':>11} "
          f"{'tolerance':>10}  verdict")
    failed = False
    for key, what, unit, mine in rows:
        med_a = statistics.median(round_a[key])
        med_b = statistics.median(round_b[key])
        theirs = statistics.median(round_a[key] + round_b[key])
        ratio = mine / theirs
        ok = abs(ratio - 1.0) <= TOLERANCE[key]
        failed |= not ok
        print(f"{what:22} {unit:8} {mine:10.1f} {med_a:10.1f} {med_b:10.1f} {theirs:10.1f} {ratio:11.3f} "
              f"{'±' + str(round(TOLERANCE[key] * 100)) + ' %':>10}  {'PASS' if ok else 'FAIL'}")

    details = ours.get("details", {})
    dram_from = details.get("dram", {}).get("ceiling_from", "?")
    print(f"\nours: DRAM ceiling from '{dram_from}' (median of {details.get('plan', {}).get('reps', '?')} reps); "
          f"torch: median over rounds A and B ({2 * args.reps} reps). 'torch A/B' are each round's median.")
    print("torch's y.copy_(x) is a device-to-device cudaMemcpy; torch.matmul bf16 goes through cuBLAS(Lt) with "
          "fp32 accumulate, as ours.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
