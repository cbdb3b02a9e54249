"""Per-client rate limit of the intake API: a token bucket per client address, in memory.

Each serving worker keeps its own buckets (a client may get up to `workers` times the rate);
behind a proxy, uvicorn takes the address from X-Forwarded-For when the proxy is trusted
(FORWARDED_ALLOW_IPS, loopback by default).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field


# A client's bucket: `tokens` left at `at` (monotonic seconds).
@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class RateLimiter:
    per_minute: int
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_needed(self, client: str, now: float | None = None) -> float:
        """0 when `client` may go on now (one token taken); else seconds until it may."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self._lock:
            if len(self._buckets) > 100_000:  # forget full buckets: they hold nothing a new one would not
                self._buckets = {key: b for key, b in self._buckets.items() if b.tokens + (now - b.at) * rate < self.per_minute}
            bucket = self._buckets.setdefault(client, _Bucket(float(self.per_minute), now))
            bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / rate


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
