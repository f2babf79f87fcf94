#!/usr/bin/env python3
"""End-to-end check of kf-runner (docs/runner-protocol.md) on the example specs' gold kernels and on the corpus
of kernels written to be caught (tests/gpu/corpus/corpus.json): every job's verdict and reason must match.

  runner_check.py prepare [--build BUILD]   here: make the jobs (`kforge job`, else `kforge spec json` + Python)
  runner_check.py run [--bench] ...         on the GPU machine: run every job through kf-runner, print a table
tests/gpu/runner-check.sh wraps both: it also compile-checks the corpus (prepare) and builds kf-runner (run).

The benchmarks in tests/bench/gpu/ import run_job() and RunResult from here."""
import argparse, concurrent.futures, copy, json, os, re, shutil, signal, statistics, subprocess, sys, threading, time
from pathlib import Path

JOB_FORMAT = "kernelforge.job/1"
VERDICTS = ("pass", "fail", "error")
BUDGETS = ("interactive", "thorough")
DEFAULT_JOBS = "build/gpu-jobs/runner"  # a subfolder: gold-check.sh owns (and clears) build/gpu-jobs/*.json
RUNNER_IN_BUILD = "build/runner/app/kf-runner/kf-runner"
OUTER_TIMEOUT_S = 300.0
EXIT_AFTER_DONE_S = 30.0  # a runner still alive this long after `done` is killed and reported
SECRET_ENV = re.compile(r"(_API_KEY|_TOKEN|SECRET|PASSWORD)", re.I)
DONE_LINE = re.compile(rb'"event"\s*:\s*"done"')

class InputError(Exception):
    """Bad input: the message says what and where."""

def child_env(extra=None):
    """This environment without secrets, which never reach a child."""
    env = {k: v for k, v in os.environ.items() if not SECRET_ENV.search(k)}
    env.update(extra or {})
    return env

def median(values):
    return statistics.median(values) if values else None

def load_json_file(path, what):
    try:
        return json.loads(Path(path).read_text())
    except OSError as e:
        raise InputError(f"{path}: cannot read {what}: {e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}:{e.colno}: {what} is not JSON: {e.msg}") from None

def load_job(path):
    """A job file, checked enough that the scripts can edit it."""
    job = load_json_file(path, "job")
    if not isinstance(job, dict) or job.get("format") != JOB_FORMAT:
        raise InputError(f"{path}: not a job (expected an object with \"format\": \"{JOB_FORMAT}\")")
    if job.get("kind") not in ("run", "compile", "calibrate"):
        raise InputError(f"{path}: \"kind\" is {job.get('kind')!r}, expected run, compile or calibrate")
    if job["kind"] != "calibrate":
        spec, cand = job.get("spec"), job.get("candidate")
        if not isinstance(spec, dict) or not isinstance(spec.get("sizes"), list) or not spec["sizes"]:
            raise InputError(f"{path}: \"spec\" has no \"sizes\" list (expected `kforge spec json` output)")
        if not isinstance(cand, dict) or not isinstance(cand.get("source"), str):
            raise InputError(f"{path}: \"candidate\" has no \"source\" string")
    if not isinstance(job.setdefault("options", {}), dict):
        raise InputError(f"{path}: \"options\" is not an object")
    return job

# --------------------------------------------------------------------------------------------- one kf-runner
class RunResult:
    """What one kf-runner process wrote and how it ended. Event times are seconds since the spawn."""

    def __init__(self):
        self.events, self.raw, self.problems = [], [], []  # [(t, event)], [(t, non-JSON line)], [str]
        self.stderr, self.rc, self.wall_s, self.killed = "", None, 0.0, None

    def timed_events(self, name, **match):
        """[(t, event)] of the events called name whose keys have the given values."""
        return [(t, e) for t, e in self.events if e["event"] == name and all(e.get(k) == v for k, v in match.items())]

    def all(self, name, **match):
        return [e for _, e in self.timed_events(name, **match)]

    def first(self, name, **match):
        return next(iter(self.all(name, **match)), None)

    def time_of(self, name, **match):
        return next((t for t, _ in self.timed_events(name, **match)), None)

    @property
    def done(self):
        return self.first("done")

    @property
    def verdict(self):
        if self.done:
            return str(self.done.get("verdict"))
        return "killed" if self.killed else "no done"

    def reasons_text(self):
        """The done event's reasons and every error event, for the reason regex."""
        parts = [str(r) for r in (self.done or {}).get("reasons") or []]
        parts += [f"{e.get('stage')}: {e.get('message')}" for e in self.all("error")]
        return "; ".join(parts)

    def headline_us(self, who="candidate"):
        t = self.first("timed", size_index=0, who=who)
        return t.get("median_us") if t else None

    def hung_stage(self):
        """(stage event, seconds from it to the runner's timeout error) when the runner reported a timeout."""
        t_err = next((t for t, e in self.timed_events("error") if e.get("stage") == "timeout"
                      or re.search(r"timeout|timed out|did not finish", str(e.get("message")), re.I)), None)
        stages = [(t, e) for t, e in self.timed_events("stage") if t_err is not None and t <= t_err]
        return (stages[-1][1], t_err - stages[-1][0]) if stages else (None, None)

def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")

def parse_events(result, lines):
    """Fill result.events from (t, bytes) stdout lines and note every protocol violation."""
    for n, (t, raw) in enumerate(lines, 1):
        text = raw.decode("utf-8", "replace").strip()
        if not text:
            continue
        try:
            ev = json.loads(text, parse_constant=_reject_constant)
        except ValueError as e:
            result.raw.append((t, text))
            if len(result.raw) <= 3:
                result.problems.append(f"stdout line {n} is not a JSON event ({e}): {text[:80]}")
            continue
        if not isinstance(ev, dict) or not isinstance(ev.get("event"), str):
            result.problems.append(f"stdout line {n} has no \"event\" key: {text[:80]}")
            continue
        result.events.append((t, ev))
    names = [e["event"] for _, e in result.events]
    if names and names[0] != "hello":
        result.problems.append(f"first event is {names[0]!r}, not 'hello'")
    if names.count("done") > 1:
        result.problems.append(f"{names.count('done')} done events")
    if "done" in names and names[-1] != "done":
        result.problems.append(f"done is followed by {names[-1]!r}")
    if "done" not in names and not result.killed:
        result.problems.append(f"no done event (exit status {result.rc})")

def run_job(runner, job, timeout_s=OUTER_TIMEOUT_S, prefix=(), env=None):
    """Spawn `prefix... runner` in its own process group, feed the job on stdin, collect events with their
    times. The group is killed at timeout_s, or EXIT_AFTER_DONE_S after a `done` without an exit."""
    res, lines, err, data = RunResult(), [], bytearray(), json.dumps(job).encode()
    t0 = time.monotonic()
    try:
        proc = subprocess.Popen([*map(str, prefix), str(runner)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True, env=env or child_env())
    except OSError as e:
        res.problems.append(f"cannot start {runner}: {e.strerror or e}")
        return res

    def feed():
        try:
            proc.stdin.write(data)
            proc.stdin.close()
        except OSError:  # the runner quit without reading its job: its events say why
            pass

    def read_out():
        for line in proc.stdout:
            lines.append((time.monotonic() - t0, line))

    def read_err():
        while chunk := proc.stderr.read1(65536):
            err.extend(chunk)
            del err[:-65536]  # the tail is what explains a failure

    threads = [threading.Thread(target=f, daemon=True) for f in (feed, read_out, read_err)]
    for th in threads:
        th.start()
    try:  # waitid(WNOWAIT) leaves the exited runner unreaped: its group id cannot be reused before the kill
        while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            now, done_t = time.monotonic() - t0, next((t for t, l in list(lines) if DONE_LINE.search(l)), None)
            if now > timeout_s:
                res.killed = f"killed by the outer timeout after {timeout_s:.0f} s"
            elif done_t is not None and now - done_t > EXIT_AFTER_DONE_S:
                res.killed = f"still running {EXIT_AFTER_DONE_S:.0f} s after its done event: killed"
            if res.killed:
                break
            time.sleep(0.05)
    finally:  # also on Ctrl-C: nothing of the job outlives it (an nvcc it started, say)
        _kill_group(proc)
        res.rc = proc.wait()
    for th in threads:
        th.join(timeout=10)
    res.wall_s = time.monotonic() - t0
    res.stderr = err.decode("utf-8", "replace")
    parse_events(res, lines)
    if res.killed:
        res.problems.append(res.killed)
    return res

def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the group that start_new_session gave this child
    except (ProcessLookupError, PermissionError):
        pass

class EventLog:
    """All events of all jobs in one JSON-lines file: {"job", "t", "event"} and one {"job", "summary"} per job."""

    def __init__(self, path):
        self.file, self.lock = open(path, "w"), threading.Lock()

    def add(self, name, res, summary=None):
        with self.lock:
            for t, ev in res.events:
                self.file.write(json.dumps({"job": name, "t": round(t, 4), "event": ev}) + "\n")
            for t, text in res.raw:
                self.file.write(json.dumps({"job": name, "t": round(t, 4), "raw": text}) + "\n")
            tail = {"rc": res.rc, "wall_s": round(res.wall_s, 3), "problems": res.problems,
                    "stderr_tail": res.stderr[-4000:]}
            self.file.write(json.dumps({"job": name, "summary": dict(tail, **(summary or {}))}) + "\n")
            self.file.flush()

def table(rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)

def fmt(v, f):
    return "-" if v is None else f.format(v)

# --------------------------------------------------------------------------------------------- prepare (here)
def load_manifest(path, specs_dir=None):
    """corpus.json, checked; with specs_dir also that its kernels and specs exist (next to it, in specs_dir)."""
    entries = load_json_file(path, "corpus manifest")
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected a JSON list of {{kernel, spec, verdict, reason}}")
    for i, e in enumerate(entries):
        where = f"{path}: entry {i}"
        if not isinstance(e, dict) or not isinstance(e.get("kernel"), str) or not isinstance(e.get("spec"), str):
            raise InputError(f"{where}: needs \"kernel\" and \"spec\" strings")
        where = f"{path}: entry {i} ({e['kernel']})"
        if specs_dir and not (Path(path).parent / e["kernel"]).is_file():
            raise InputError(f"{where}: no kernel file {Path(path).parent / e['kernel']}")
        if specs_dir and not (Path(specs_dir) / f"{e['spec']}.kspec.yaml").is_file():
            raise InputError(f"{where}: no spec {Path(specs_dir) / (e['spec'] + '.kspec.yaml')}")
        if e.get("verdict") not in VERDICTS:
            raise InputError(f"{where}: \"verdict\" is {e.get('verdict')!r}, expected one of {', '.join(VERDICTS)}")
        if e.get("budget", "interactive") not in BUDGETS:
            raise InputError(f"{where}: \"budget\" is {e.get('budget')!r}, expected one of {', '.join(BUDGETS)}")
        if not isinstance(e.get("reason"), (str, type(None))):
            raise InputError(f"{where}: \"reason\" must be a regular expression string or null")
        try:
            re.compile(e.get("reason") or "")
        except re.error as err:
            raise InputError(f"{where}: \"reason\" is not a regular expression: {err}") from None
    return entries

class JobMaker:
    """`kforge job` when this build has it, else the job assembled from `kforge spec json`."""

    def __init__(self, kforge):
        if not os.access(kforge, os.X_OK):
            raise InputError(f"{kforge} not found: build kforge first (cmake --build BUILD --target kforge), "
                             "or pass the build folder that has it")
        self.kforge, self.specs = kforge, {}
        # An unknown subcommand's --help prints the top-level help and exits 0: look for the usage line.
        probe = subprocess.run([kforge, "job", "--help"], capture_output=True, text=True, timeout=60)
        self.has_job = probe.returncode == 0 and re.search(r"Usage: \S*kforge job\b", probe.stdout) is not None
        print(f"making jobs with: {kforge} {'job' if self.has_job else 'spec json (kforge job is missing)'}")

    def _kforge(self, args):
        p = subprocess.run([self.kforge, *map(str, args)], capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise InputError(f"kforge {' '.join(map(str, args))} failed ({p.returncode}): {p.stderr.strip()[:600]}")
        try:
            return json.loads(p.stdout)
        except json.JSONDecodeError as e:
            raise InputError(f"kforge {' '.join(map(str, args))}: output is not JSON: {e}") from None

    def make(self, spec_path, kernel_path, budget):
        if self.has_job:
            job = self._kforge(["job", spec_path, kernel_path, "--kind", "run", "--budget", budget])
        else:
            if spec_path not in self.specs:
                self.specs[spec_path] = self._kforge(["spec", "json", spec_path])
            job = {"format": JOB_FORMAT, "kind": "run", "spec": copy.deepcopy(self.specs[spec_path]),
                   "candidate": {"name": Path(kernel_path).name, "source": Path(kernel_path).read_text()},
                   "options": {}}
        if job.get("format") != JOB_FORMAT or job.get("kind") != "run" or "spec" not in job:
            raise InputError(f"job for {kernel_path} is not a {JOB_FORMAT} run job")
        job.setdefault("options", {})["budget"] = budget
        return job

def prepare(args):
    jobs_dir, specs_dir, corpus = Path(args.jobs), Path(args.specs), Path(args.corpus)
    manifest = load_manifest(corpus / "corpus.json", specs_dir)
    maker = JobMaker(str(Path(args.build) / "app/kforge/kforge"))
    jobs_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*jobs_dir.glob("gold-*.json"), *jobs_dir.glob("corpus-*.json"), jobs_dir / "corpus.json"]:
        stale.unlink(missing_ok=True)  # no jobs of kernels or specs that are gone
    golds = sorted(g for g in specs_dir.glob("*.gold.cu") if (specs_dir / f"{g.name[:-8]}.kspec.yaml").is_file())
    written = 0
    for gold in golds:
        sid = gold.name[: -len(".gold.cu")]
        job = maker.make(specs_dir / f"{sid}.kspec.yaml", gold, "thorough")
        (jobs_dir / f"gold-{sid}.json").write_text(json.dumps(job, indent=1))
        written += 1
    for e in manifest:
        kernel = corpus / e["kernel"]
        job = maker.make(specs_dir / f"{e['spec']}.kspec.yaml", kernel, e.get("budget", "interactive"))
        (jobs_dir / f"corpus-{kernel.stem}.json").write_text(json.dumps(job, indent=1))
        written += 1
    shutil.copyfile(corpus / "corpus.json", jobs_dir / "corpus.json")
    print(f"{written} jobs ({len(golds)} gold, {len(manifest)} corpus) and corpus.json in {jobs_dir}/")
    if subprocess.run(["git", "check-ignore", "-q", str(jobs_dir)], capture_output=True).returncode == 0:
        print(f"note: {jobs_dir} is ignored by git: carry it to the GPU machine (carry: [\"{jobs_dir}\"])")
    return 0

# --------------------------------------------------------------------------------------------- run (GPU machine)
class Planned:
    """One job with what kf-runner must say about it."""

    def __init__(self, name, job, verdict, reason, note):
        self.name, self.job, self.verdict, self.reason, self.note = name, job, verdict, reason, note

    @property
    def is_gold(self):
        return self.name.startswith("gold-")

def load_plan(jobs_dir, only):
    """Every gold-*.json (expected pass) and corpus-*.json (expected as corpus.json says), in run order."""
    jobs_dir = Path(jobs_dir)
    if not jobs_dir.is_dir():
        raise InputError(f"no jobs folder {jobs_dir}: run 'bash tests/gpu/runner-check.sh --prepare' where kforge "
                         f"builds, and carry {jobs_dir} to this machine")
    expect = {f"corpus-{Path(e['kernel']).stem}": e for e in load_manifest(jobs_dir / "corpus.json")}
    if orphans := [f for f in sorted(jobs_dir.glob("corpus-*.json")) if f.stem not in expect]:
        raise InputError(f"{orphans[0]}: {jobs_dir / 'corpus.json'} has no entry for {orphans[0].stem[7:]}.cu")
    if missing := [n for n in expect if not (jobs_dir / f"{n}.json").is_file()]:
        raise InputError(f"{jobs_dir}: no job file for {', '.join(m + '.json' for m in missing)} (run --prepare again)")
    plan = [Planned(f.stem, load_job(f), "pass", None, "gold kernel") for f in sorted(jobs_dir.glob("gold-*.json"))]
    plan += [Planned(n, load_job(jobs_dir / f"{n}.json"), e["verdict"], e.get("reason"), e.get("note", ""))
             for n, e in expect.items()]  # in the manifest's order
    if only:
        if unknown := [o for o in only if o not in {p.name for p in plan}]:
            raise InputError(f"--only: no job {', '.join(unknown)} in {jobs_dir} (names: gold-<spec>, corpus-<kernel>)")
        plan = [p for p in plan if p.name in only]
    if not plan:
        raise InputError(f"no gold-*.json or corpus-*.json jobs in {jobs_dir}")
    # A crash or a hang is followed by a job that must pass: the softmax gold first, so the next process is
    # seen to start clean on the same device.
    golds = sorted((p for p in plan if p.is_gold), key=lambda p: p.name != "gold-softmax-rows-f32")
    ordered = []
    for p in (p for p in plan if not p.is_gold and p.verdict == "error"):
        ordered += [p] + ([golds.pop(0)] if golds else [])
    return ordered + [p for p in plan if not p.is_gold and p.verdict != "error"] + golds

def evaluate(p, res):
    """Why the result is WRONG ([] when it is right)."""
    why = list(res.problems)
    if res.verdict != p.verdict:
        why.append(f"verdict {res.verdict}, expected {p.verdict}")
    if p.reason and res.done and not re.search(p.reason, res.reasons_text(), re.I):
        why.append(f"reasons do not match /{p.reason}/")
    if p.verdict == "pass" == res.verdict and res.headline_us() is None:
        why.append("no candidate timing on the headline size")
    return why

def prewarm(runner, plan, log, workers=4):
    """Compile the candidates first, a few at a time (compile jobs need no exclusive GPU), into the shared
    cache; the timed runs that follow run one at a time."""
    def one(p):
        job = dict(copy.deepcopy(p.job), kind="compile")
        res = run_job(runner, job)
        log.add(f"prewarm/{p.name}", res)
        notes = " ".join((res.first("compiled", role="candidate") or {}).get("notes", []))
        return res.verdict == "pass", p.name, notes

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, plan))
    ok = [r[0] for r in results]
    fast = [name for _, name, notes in results if "built with g++ and NVRTC" in notes]
    print(f"prewarm: {sum(ok)}/{len(ok)} candidates compiled in {time.monotonic() - t0:.0f} s "
          f"({workers} compile jobs at a time); {len(fast)} by the fast build (g++ and NVRTC)", flush=True)
    for _, name, notes in results:
        if name not in fast:
            print(f"  nvcc built {name}: {notes[:300]}", flush=True)

def bench_jobs(jobs_dir):
    return [Path(jobs_dir) / f"gold-{s}.json" for s in ("softmax-rows-f32", "transpose-f32", "layernorm-bf16")]

def run_benches(args, runner):
    bench, rc = Path(__file__).resolve().parent.parent / "bench/gpu", 0
    cmds = [[bench / "click_to_verdict.py", runner, bench_jobs(args.jobs)[0]],
            [bench / "fidelity.py", runner, *bench_jobs(args.jobs)]]
    for cmd in cmds:
        cmd = [sys.executable, *map(str, cmd), "--out", str(args.out)]
        print(f"\n$ {' '.join(cmd)}", flush=True)
        try:
            rc |= subprocess.run(cmd, timeout=1800, env=child_env()).returncode != 0
        except subprocess.TimeoutExpired:
            print(f"{cmd[1]}: killed after 1800 s")
            rc = 1
    return rc

def report(results, t_start, bench_failed):
    rows = [("job", "expected", "got", "reason", "cand us", "speedup", "wall s", "result")]
    for p, res, why in results:
        reason = res.reasons_text() or "-"
        rows.append((p.name, p.verdict, res.verdict, reason[:44] + ("..." if len(reason) > 44 else ""),
                     fmt(res.headline_us(), "{:.1f}"), fmt((res.done or {}).get("speedup"), "{:.2f}"),
                     f"{res.wall_s:.1f}", "WRONG" if why else "OK"))
    lines = []
    for (prev, prev_res, _), (p, res, why) in zip([(None, None, None)] + results, results):
        stage, secs = res.hung_stage()
        if stage:
            lines.append(f"watchdog: {p.name} stopped {secs:.1f} s into stage {stage.get('stage')} (deadline_s "
                         f"{stage.get('deadline_s')}); wall {res.wall_s:.1f} s")
        if prev and prev_res.verdict in ("error", "killed", "no done"):
            lines.append(f"recovery: {p.name} after {prev.name} ({prev_res.verdict}): {res.verdict} "
                         f"{'WRONG' if why else 'OK'}")
    compiled = [c for c in (r.first("compiled", role="candidate") for _, r, _ in results) if c]
    lines.append(f"compile cache: {sum(bool(c.get('cached')) for c in compiled)}/{len(compiled)} candidates were "
                 "cached when their run job compiled them")
    for p, res, why in (r for r in results if r[2]):
        lines.append(f"WRONG {p.name}: {'; '.join(why)}")
        lines += ["    stderr: " + res.stderr.strip()[-300:].replace("\n", "\n    ")] if res.stderr.strip() else []
    n_ok = sum(not why for _, _, why in results)
    if bench_failed:
        lines.append("note: a benchmark failed to run or missed a target (above); only the verdicts decide the exit")
    lines.append(f"{n_ok}/{len(results)} verdicts right; {time.monotonic() - t_start:.0f} s in all")
    print("\n" + "\n".join(lines) + "\n\n" + table(rows))
    return n_ok == len(results)

def run(args):
    t_start, out = time.monotonic(), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    plan = [] if args.bench_only else load_plan(args.jobs, args.only)  # bad input fails before the build
    if args.bench or args.bench_only:
        for job in bench_jobs(args.jobs):
            load_job(job)
    runner = Path(args.runner)
    if not os.access(runner, os.X_OK):
        raise InputError(f"{runner}: not an executable file (build it: cmake --preset runner && cmake --build "
                         "--preset runner)")
    if args.bench_only:
        return run_benches(args, runner)
    cache = Path(args.cache).resolve()
    shutil.rmtree(cache, ignore_errors=True)  # cold at the start, shared by the runs after
    cache.mkdir(parents=True)
    for p in plan:
        p.job["options"]["cache_dir"] = str(cache)
    log = EventLog(out / "runner-check.jsonl")
    if not args.no_prewarm:
        prewarm(runner, plan, log)
    results = []
    for i, p in enumerate(plan, 1):
        res = run_job(runner, p.job, args.timeout)
        why = evaluate(p, res)
        print(f"[{i}/{len(plan)}] {p.name}: {res.verdict} in {res.wall_s:.1f} s: "
              f"{'WRONG: ' + '; '.join(why) if why else 'OK'}", flush=True)
        log.add(p.name, res, {"note": p.note, "expected": p.verdict, "expected_reason": p.reason,
                              "got": res.verdict, "reasons": res.reasons_text(), "ok": not why, "why": why,
                              "headline_us": res.headline_us(), "watchdog_s": res.hung_stage()[1]})
        results.append((p, res, why))
    bench_failed = run_benches(args, runner) if args.bench else 0
    return 0 if report(results, t_start, bench_failed) else 1

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("prepare", help="make the jobs here (needs a kforge build)")
    pp.add_argument("--build", default="build", help="build folder with app/kforge/kforge (build)")
    rp = sub.add_parser("run", help="on the GPU machine: run every job through kf-runner, check the verdicts")
    rp.add_argument("--runner", default=RUNNER_IN_BUILD, help=f"the kf-runner to check ({RUNNER_IN_BUILD})")
    rp.add_argument("--only", nargs="+", metavar="JOB", help="run only these jobs (gold-<spec>, corpus-<kernel>)")
    rp.add_argument("--timeout", type=float, default=OUTER_TIMEOUT_S, help="outer seconds per job (300)")
    rp.add_argument("--cache", default="build/runner-check-cache", help="compile cache, cleared at the start")
    rp.add_argument("--no-prewarm", action="store_true", help="compile nothing ahead of the runs")
    rp.add_argument("--bench", action="store_true", help="also run tests/bench/gpu/{click_to_verdict,fidelity}.py")
    rp.add_argument("--bench-only", action="store_true", help="run only the benchmarks")
    rp.add_argument("--out", default=os.environ.get("OUT") or "build/runner-check-out", help="report folder")
    for p in (pp, rp):
        p.add_argument("--jobs", default=DEFAULT_JOBS, help=f"jobs folder ({DEFAULT_JOBS})")
    pp.add_argument("--specs", default="resources/specs", help="specs and gold kernels (resources/specs)")
    pp.add_argument("--corpus", default="tests/gpu/corpus", help="corpus kernels and corpus.json")
    args = ap.parse_args(argv)
    if args.cmd == "run" and args.timeout <= 0:
        ap.error("--timeout must be positive")
    try:
        return prepare(args) if args.cmd == "prepare" else run(args)
    except InputError as e:
        print(f"runner-check: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("runner-check: interrupted", file=sys.stderr)
        return 130

if __name__ == "__main__":
    sys.exit(main())
