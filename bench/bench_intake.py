"""Help-request intake throughput and p99 on loopback against PostgreSQL (issue 13's goal:
>= 500 req/s, p99 <= 50 ms, 0 errors over 60 s).

wrk posts sealed requests (each with its own Idempotency-Key, spread over 4,000 client
addresses through X-Forwarded-For, so the per-client rate limit is not what is measured)
to `serve` on a real PostgreSQL server; the floor is a bare FastAPI endpoint that reads the
same JSON body, run by uvicorn the same way, measured in the same run. Prints figures and
checks the database holds one row per 201. Not a test.

    python bench/bench_intake.py [--seconds 60] [--workers 2] [--connections 32]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from sync_server.local_process import free_port, serving_process, wait_until_answering  # noqa: E402
from tests.intake_helpers import request_body, server_data  # noqa: E402
from tests.postgres_server import start_postgres  # noqa: E402

BODIES = 512
WARM_UP = 40

# wrk: one POST per call, a fresh Idempotency-Key each, 4,000 client addresses; prints JSON.
WRK_SCRIPT = r"""
local bodies, counter = {}, 0
thread_id = 0  -- global: set per thread by setup()
local threads, next_id = {}, 0
function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end
function init(args)
  for line in io.lines(args[1]) do table.insert(bodies, line) end
  run_id = args[2]  -- each wrk run its own keys
end
function request()
  counter = counter + 1
  local n = thread_id * 1000003 + counter
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%02d-%012d", run_id, thread_id, counter),
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", n % 4 + 1, math.floor(n / 4) % 40, math.floor(n / 160) % 25 + 1),
  }
  return wrk.format("POST", "/api/requests", headers, bodies[(counter % #bodies) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %.3f, "errors": %d, "status_errors": %d, ' ..
    '"p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout + e.status, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""

FLOOR_APP = textwrap.dedent('''
    import json
    from fastapi import FastAPI, Request, Response

    app = FastAPI()

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.post("/api/requests", status_code=201)
    async def floor(request: Request):
        json.loads(await request.body())
        return {"receipt": "0000-0000-0000-0000", "status": "delivered", "updated_at": "2026-01-01T00:00:00Z"}
''')


def run_wrk(url: str, workdir: Path, bodies: Path, seconds: int, connections: int) -> dict:
    script = workdir / "intake.lua"
    script.write_text(WRK_SCRIPT)
    result = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script),
                             url, "--", str(bodies), f"run{connections}"], capture_output=True, text=True, check=True)
    found = re.search(r"^RESULT (.*)$", result.stdout, re.MULTILINE)
    figures = json.loads(found.group(1))
    figures["per_second"] = figures["requests"] / figures["seconds"]
    return figures


def floor(workdir: Path, bodies: Path, seconds: int, workers: int, connections: int) -> dict:
    (workdir / "floor_app.py").write_text(FLOOR_APP)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "floor_app:app", "--app-dir", str(workdir),
                                "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                                "--loop", "uvloop", "--http", "httptools", "--log-level", "warning"])
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/health", process)
        return run_wrk(f"http://127.0.0.1:{port}", workdir, bodies, seconds, connections)
    finally:
        process.terminate()
        process.wait(timeout=10)


def intake(workdir: Path, bodies: Path, seconds: int, workers: int, connections: list[int]) -> tuple[list[dict], int]:
    postgres = start_postgres()
    try:
        os.environ["DATABASE_URL"] = postgres.create_database("bench")
        data = server_data(workdir / "data")
        with serving_process(data, workers=workers) as serving:
            for n in range(WARM_UP):  # every worker's pool and code paths, before the clock starts
                warm = httpx.post(f"{serving.base}/api/requests", json=request_body(),
                                  headers={"Idempotency-Key": f"warm-up-request-{n:012d}"}, timeout=10)
                assert warm.status_code == 201, warm.text
            figures = [run_wrk(serving.base, workdir, bodies, seconds, count) for count in connections]
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
            rows = connection.execute("SELECT count(*) FROM help_request").fetchone()[0]
        return figures, rows - WARM_UP
    finally:
        os.environ.pop("DATABASE_URL", None)
        postgres.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32, help="saturating load (throughput)")
    parser.add_argument("--light-connections", type=int, default=4, help="lighter load (latency)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        bodies = workdir / "bodies.jsonl"
        kinds = ["tracing", "contact-me", "safe"]
        bodies.write_text("".join(json.dumps(request_body(kinds[n % 3])) + "\n" for n in range(BODIES)))
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        bare = floor(workdir, bodies, args.seconds, args.workers, args.connections)
        served, rows = intake(workdir, bodies, args.seconds, args.workers, [args.connections, args.light_connections])
    print(f"intake bench, {started}, {platform.machine()} {os.cpu_count()} cores, {args.workers} workers, "
          f"{args.seconds} s each, load average {os.getloadavg()[0]:.1f} at the end")
    runs = (("bare FastAPI floor", args.connections, bare), ("intake on PostgreSQL", args.connections, served[0]),
            ("intake on PostgreSQL", args.light_connections, served[1]))
    for name, count, figures in runs:
        print(f"  {name:22} {count:3} connections {figures['per_second']:7.0f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
              f"p99 {figures['p99_ms']:6.1f} ms  max {figures['max_ms']:7.1f} ms  errors {figures['errors']}")
    answered = sum(figures["requests"] for figures in served)
    print(f"  intake / floor at {args.connections} connections: {served[0]['per_second'] / bare['per_second']:.2f}; "
          f"rows stored {rows} for {answered} answered requests "
          f"({sum(f['status_errors'] for f in served)} non-2xx; a request in flight when wrk stops is stored, not counted)")


if __name__ == "__main__":
    main()
