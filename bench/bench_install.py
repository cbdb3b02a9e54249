"""First-run install of the embedded bundle: verify every signature and hash, build the
content DB, swap it in. Prints median and max over fresh data dirs."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.content.embedded import ensure_embedded_installed  # noqa: E402
from app.content.install import installed_version  # noqa: E402
from app.storage.paths import EMBEDDED_BUNDLE_DIR  # noqa: E402
from sync_server.publishing.repository import published_item_hashes  # noqa: E402

RUNS = 7


def main() -> None:
    items = len(published_item_hashes(EMBEDDED_BUNDLE_DIR))
    size = sum(path.stat().st_size for path in EMBEDDED_BUNDLE_DIR.rglob("*") if path.is_file())
    first, again = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder)
            started = time.perf_counter()
            result = ensure_embedded_installed(home)
            first.append(time.perf_counter() - started)
            assert result.installed and installed_version(home) == result.version
            started = time.perf_counter()
            ensure_embedded_installed(home)
            again.append(time.perf_counter() - started)
    print(f"embedded bundle: {items} items, {size / 1024:.0f} KiB on disk")
    print(f"first-run install: median {statistics.median(first) * 1000:.0f} ms, max {max(first) * 1000:.0f} ms (n={RUNS})")
    print(f"second run (no-op): median {statistics.median(again) * 1000:.0f} ms, max {max(again) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
