"""The server's time to send the web client's largest files compressed: the first visitor, and
every visitor after (app/web_compression.py keeps what it compressed once).

Over loopback, against `python -m app serve`. The floor, measured in the same run, is the same
file sent uncompressed (no gzip at all: reading and sending only). Not a test: it only prints figures.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from bench.bench_startup import _first_200, _prepared_home  # noqa: E402
from tests.e2e.conftest import app_env, free_port, stop_app  # noqa: E402

FILES = ["canvaskit/canvaskit.wasm", "main.dart.js", "canvaskit/canvaskit.js"]
LATER_RUNS = 5


def _seconds(client: httpx.Client, url: str, encoding: str) -> tuple[float, int]:
    started = time.perf_counter()
    answer = client.get(url, headers={"Accept-Encoding": encoding})
    answer.raise_for_status()
    return time.perf_counter() - started, answer.num_bytes_downloaded


def main() -> None:
    home, port = _prepared_home(HERE), free_port()
    process = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port)], cwd=HERE,
                               env=app_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        _first_200(base, process, time.perf_counter())
        print(f"{'file':28} {'wire bytes':>11} {'first (s)':>10} {'later (s)':>10} {'floor (s)':>10}")
        totals = [0.0, 0.0, 0.0]
        with httpx.Client(timeout=60) as client:
            for name in FILES:
                first, wire = _seconds(client, base + name, "gzip")
                later = statistics.median(_seconds(client, base + name, "gzip")[0] for _ in range(LATER_RUNS))
                floor = statistics.median(_seconds(client, base + name, "identity")[0] for _ in range(LATER_RUNS))
                totals = [totals[0] + first, totals[1] + later, totals[2] + floor]
                print(f"{name:28} {wire:>11,} {first:>10.3f} {later:>10.3f} {floor:>10.3f}")
        print(f"{'together':28} {'':>11} {totals[0]:>10.3f} {totals[1]:>10.3f} {totals[2]:>10.3f}")
    finally:
        stop_app(process)


if __name__ == "__main__":
    main()
