"""Load benchmark: a real server under 1, 4 and 16 concurrent clients. Prints one table; writes RESULTS-load.md.

    python -m benchmarks.load [--seconds 60] [--clients 1 4 16] [--env ASSISTANT_X=Y ...]

Starts `assistant serve` as a subprocess over docs_corpus/ (index in benchmarks/out/load-index), waits for
`GET /health` to say ready, then for each level keeps that many clients posting the dev questions to
`POST /ask` (cycling through them, a new conversation each time) for a fixed time. Reports requests,
throughput, latency percentiles, errors (non-200 or exceptions) and the server's resident memory from /proc
(now and peak). Anything from a line `## Notes` on in the existing RESULTS-load.md is kept.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

from benchmarks.common import OUT, ROOT, machine

QUESTIONS = ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"
INDEX_DIR = OUT / "load-index"
RESULTS = ROOT / "benchmarks" / "RESULTS-load.md"
NOTES = "## Notes"


@dataclass
class Level:
    """What one level of concurrency measured."""

    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    rss_mb: float = 0.0
    peak_mb: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    def row(self) -> str:
        p50, p95, p99 = np.percentile(self.latencies_ms, [50, 95, 99]) if self.latencies_ms else (0.0, 0.0, 0.0)
        return (
            f"| {self.clients} | {self.requests} | {self.requests / self.seconds:.1f} | {p50:.0f} | {p95:.0f} | "
            f"{p99:.0f} | {self.errors} | {self.rss_mb:.0f} | {self.peak_mb:.0f} |"
        )


HEADER = (
    "| clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors | RSS MB | peak RSS MB |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def memory_mb(pid: int) -> tuple[float, float]:
    """The process's resident memory now and its peak (VmRSS, VmHWM), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024  # kB
    return fields["VmRSS"], fields["VmHWM"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, extra_env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """`assistant serve` over docs_corpus/ with a clean ASSISTANT_ environment plus ``extra_env``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "ASSISTANT_CORPUS": str(ROOT / "docs_corpus"),
            "ASSISTANT_INDEX_DIR": str(INDEX_DIR),
            **extra_env,
        }
    )
    INDEX_DIR.mkdir(parents=True, exist_ok=True)
    (INDEX_DIR / "conversations.sqlite3").unlink(missing_ok=True)  # start each run with no conversations
    log = log_path.open("w")
    cmd = [str(ROOT / ".venv" / "bin" / "assistant"), "serve", "--port", str(port)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(server: subprocess.Popen, base: str, timeout: float, log_path: Path) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with code {server.returncode}; see {log_path}")
        try:
            health = httpx.get(f"{base}/health", timeout=5).json()
            if health.get("ready"):
                return health
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    sys.exit(f"the server was not ready after {timeout:.0f} s; see {log_path}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)  # uvicorn shuts down gracefully on SIGINT
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_level(base: str, questions: list[str], clients: int, seconds: float) -> Level:
    """``clients`` threads, each with its own connection, asking until ``seconds`` have passed."""
    level = Level(clients)
    cycle = itertools.cycle(questions)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def client() -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            start.wait()
            while time.perf_counter() < deadline:
                with lock:
                    question = next(cycle)
                t = time.perf_counter()
                try:
                    ok = http.post("/ask", json={"question": question}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    if ok:
                        level.latencies_ms.append(ms)
                    else:
                        level.errors += 1

    threads = [threading.Thread(target=client, name=f"client-{i}") for i in range(clients)]
    for th in threads:
        th.start()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for th in threads:
        th.join()
    level.seconds = time.perf_counter() - began  # includes the requests still running at the deadline
    return level


def write_results(text: str) -> None:
    notes = ""
    if RESULTS.is_file():
        old = RESULTS.read_text()
        if NOTES in old:
            notes = "\n" + old[old.index(NOTES) :]
    RESULTS.write_text(text + notes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long each level runs (default 60)")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16], help="levels of concurrency")
    ap.add_argument("--port", type=int, default=0, help="port for the server (default: a free one)")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of single-client requests before measuring")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment for the server")
    ap.add_argument("--no-write", action="store_true", help="print the table only; leave RESULTS-load.md alone")
    args = ap.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.env)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = OUT / "load-server.log"
    OUT.mkdir(parents=True, exist_ok=True)
    server = start_server(port, extra_env, log_path)
    try:
        health = wait_ready(server, base, timeout=600, log_path=log_path)
        idle_rss, _ = memory_mb(server.pid)
        run_level(base, questions, 1, args.warmup)
        levels = []
        print(HEADER, flush=True)
        for clients in args.clients:
            level = run_level(base, questions, clients, args.seconds)
            level.rss_mb, level.peak_mb = memory_mb(server.pid)
            levels.append(level)
            print(level.row(), flush=True)
    finally:
        stop_server(server)

    command = "python -m benchmarks.load " + shlex.join(sys.argv[1:])
    server_env = " ".join(f"{k}={v}" for k, v in extra_env.items()) or "defaults"
    load = Path("/proc/loadavg").read_text().split()[:3]
    text = (
        "# Load benchmark\n\n"
        f"Machine: {machine()}. Command: `{command.strip()}`. Server: `assistant serve` over docs_corpus/ "
        f"({health['documents']} documents, {health['chunks']} passages), settings: {server_env}; "
        f"RSS {idle_rss:.0f} MB when ready. Each client posts the {len(questions)} dev questions in turn "
        f"(a new conversation each) for {args.seconds:g} s per level, after {args.warmup:g} s of warm-up; "
        f"load average after the run: {' '.join(load)}.\n\n"
        f"{HEADER}\n" + "\n".join(level.row() for level in levels) + "\n\n"
        "req/s counts every request finished in the level (requests still running at the deadline are waited "
        "for); latencies are of successful requests, as the client saw them; errors are non-200 answers and "
        "failed connections; RSS is the server process's VmRSS after the level, peak its VmHWM so far.\n"
    )
    if not args.no_write:
        write_results(text)
        print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
