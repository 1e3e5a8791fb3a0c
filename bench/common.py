"""Helpers every benchmark script shares: paths, memory, timing, a throw-away site, HTTP load.

Scripts import this module by its bare name (``import common``), with
``bench/`` on ``sys.path``; it imports no other bench script.
"""

from __future__ import annotations

import http.client
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "bench" / "queries.txt"
PYTHON = sys.executable


def read_queries(path: Path = QUERIES) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds of timings in seconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000}


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    /proc's VmHWM starts afresh at exec; ``ru_maxrss`` would carry over the
    parent's peak, which the feed conversion sets.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """The largest peak resident memory of this process's finished children (index workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def iter_feed_items(feeds: Path):
    for path in sorted(feeds.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                if item.get("title", "").strip() and item.get("body", "").strip():
                    yield item


def timed_queries(run_one, queries: list[str], repeats: int) -> dict:
    """Run every query once to warm caches, then ``repeats`` timed passes."""
    hits = [run_one(q) for q in queries]
    samples = []
    for _ in range(repeats):
        for q in queries:
            start = time.perf_counter()
            run_one(q)
            samples.append(time.perf_counter() - start)
    return {**percentiles(samples), "zero_hit_queries": sum(1 for n in hits if not n)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Language": "fa"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Gunicorn:
    """gunicorn on 127.0.0.1 with the project's config, stopped on exit."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "-c", str(ROOT / "newsportal" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "newsportal.wsgi:application"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.process.stderr.read()[-3000:]}")
            try:
                if get(self.port, "/", timeout=5)[0] < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def workers_memory(self) -> dict:
        """The workers' memory in MB, summed: resident (``rss``), proportional (``pss``: pages
        shared with the master and each other counted once among them) and ``private`` (their
        own pages: what each more worker costs), from Linux's ``/proc/PID/smaps_rollup``."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        totals = {"workers": len(children), "rss": 0, "pss": 0, "private": 0}
        for pid in children:
            fields = {}
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
                name, value = line.split(":", 1)
                fields[name] = int(value.split()[0])  # kB
            totals["rss"] += fields["Rss"]
            totals["pss"] += fields["Pss"]
            totals["private"] += fields["Private_Clean"] + fields["Private_Dirty"]
        return {k: v if k == "workers" else round(v / 1024, 1) for k, v in totals.items()}

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def http_latency(port: int, paths: list[str], repeats: int) -> dict:
    """One client, one request at a time: a first pass, then ``repeats`` timed (warm) passes."""
    passes, errors = [], 0
    for _ in range(1 + repeats):
        samples = []
        for path in paths:
            start = time.perf_counter()
            status, _ = get(port, path)
            samples.append(time.perf_counter() - start)
            errors += status != 200
        passes.append(samples)
    first = percentiles(passes[0])
    warm = percentiles([t for samples in passes[1:] for t in samples])
    return {**warm, "first_p50": first["p50"], "first_p95": first["p95"], "errors": errors}


def http_load(port: int, paths: list[str], concurrency: int, seconds: float) -> dict:
    """``concurrency`` clients cycling through ``paths`` until the deadline; requests/s and errors."""
    deadline = time.monotonic() + seconds
    counts, lock = {"ok": 0, "errors": 0}, threading.Lock()

    def client(offset):
        ok = errors = 0
        for i in range(offset, offset + 10**7):
            if time.monotonic() >= deadline:
                break
            try:
                status, _ = get(port, paths[i % len(paths)])
                ok, errors = (ok + 1, errors) if status == 200 else (ok, errors + 1)
            except OSError:
                errors += 1
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return {"rps": counts["ok"] / elapsed, "errors": counts["errors"], "requests": counts["ok"] + counts["errors"]}


def django_env(workdir: Path, name: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / name}.sqlite3",
        "SEARCH_INDEX_PATH": str(workdir / f"{name}-index"),
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        # As a production import runs: with DEBUG on, Django would keep (and
        # format) every SQL statement of the bulk writes.
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def migrate(env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)


WRK = shutil.which("wrk")


# One wrk Lua state per thread: each cycles through the paths and counts
# answers other than 200; ``done`` adds the threads' counts up as JSON.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
function init(args)
  counter = offset
  not_ok = 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter %% #paths + 1], {["Host"] = "127.0.0.1", ["Accept-Language"] = "fa"})
end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format('{"requests": %%d, "seconds": %%f, "errors": %%d, "p50_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6, not_ok + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000))
end
"""


def server_cpu_seconds(master: int) -> float:
    """CPU time gunicorn has used so far: the master, its live workers and the ones it reaped."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == master:
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        elif ppid == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def load(server: Gunicorn, paths: list[str], connections: int, seconds: int) -> dict:
    """One bounded load: requests/s, errors, median latency and the server's CPU time per request."""
    cpu = server_cpu_seconds(server.process.pid)
    if WRK:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
        try:
            done = subprocess.run(
                [WRK, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
                 f"http://127.0.0.1:{server.port}/"],
                capture_output=True, text=True, check=True, timeout=seconds + 30,
            )
        finally:
            os.unlink(script.name)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["rps"] = result["requests"] / result["seconds"]
    else:
        result = {**http_load(server.port, paths, connections, seconds), "p50_ms": None}
    cpu_ms = (server_cpu_seconds(server.process.pid) - cpu) * 1000 / max(1, result["requests"])
    return {"rps": result["rps"], "errors": result["errors"], "p50_ms": result["p50_ms"], "cpu_ms": cpu_ms}


def django_setup() -> None:
    """Django for a step run in a process of its own (the environment names the database and index)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    import django

    django.setup()
