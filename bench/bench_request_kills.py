"""Help requests survive a killed sync: 50 rounds of kill -9 while `python -m app sync`
sends the outbox (make test runs 10), then one sync to the end. The test itself checks that
the server holds each request exactly once and the phone none of their bodies; this prints
how long it took. Server: the real intake (`sync_server serve`, tests/real_intake.py) on loopback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 50


def main() -> int:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_help_requests.py", "-k", "killing"],
        cwd=REPO, env={**os.environ, "SAFE_JOURNEY_KILL_ROUNDS": str(ROUNDS)},
    )
    print(f"help requests, kill -9 of the sync while sending: {ROUNDS} rounds, "
          f"{'nothing lost or duplicated' if result.returncode == 0 else 'FAILED'} "
          f"({time.monotonic() - started:.0f} s)")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
