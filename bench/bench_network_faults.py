"""Peak memory of a sync against decompression bombs, and how long a drip-fed sync takes
to give up, with the app's default limits, over real HTTP on loopback.

The real content is published on a loopback sync server behind tests/faultproxy.py. Each
memory figure is the peak RSS of a child process that runs one first sync (floor: the
same sync with no fault). The drip-feed serves one byte every 2 s to a phone one version
behind (floor: the same update with no fault).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import httpx  # noqa: E402

from app.content.fetch import HttpFetcher  # noqa: E402
from app.content.source import read_source  # noqa: E402
from app.content.sync import sync  # noqa: E402
from app.storage.paths import CONTENT_SOURCE_DIR  # noqa: E402
from sync_server.publishing.keys import generate_keys  # noqa: E402
from sync_server.local_process import running_sync_server  # noqa: E402
from sync_server.publishing.repository import Lifetimes, publish  # noqa: E402
from tests.faultproxy import Fault, FaultProxy  # noqa: E402

LIFETIMES = Lifetimes(timestamp=timedelta(days=7), snapshot=timedelta(days=30), targets=timedelta(days=90))
CHILD = """
import sys
from pathlib import Path
import httpx
from app.content.fetch import HttpFetcher
from app.content.sync import sync


def peak_mb():
    # This process's own high-water mark (getrusage's ru_maxrss can carry the parent's over exec).
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) // 1024


home, url, root = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]).read_bytes()
with httpx.Client(timeout=20) as client:
    HttpFetcher(client, url).unchanged("metadata/timestamp.json", '"an-old-one"', 16 * 1024)
    result = sync(home, HttpFetcher(client, url), trusted_root=root, languages=None)
print(result.reason.value, peak_mb())
"""


def _peak(folder: Path, label: str, url: str, root_file: Path) -> None:
    home = folder / f"phone-{label}"
    home.mkdir()
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", CHILD, str(home), url, str(root_file)], cwd=REPO_ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    print(f"  {label:44s} peak {out[1]:>4} MB  ({out[0]}, {time.monotonic() - started:.1f} s)")


def main() -> None:
    items = read_source(CONTENT_SOURCE_DIR)
    keys = generate_keys()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        repo = folder / "server" / "repository"
        publish(repo, items, keys, now=datetime.now(timezone.utc), lifetimes=LIFETIMES)
        root_file = folder / "root.json"
        root_file.write_bytes((repo / "metadata" / "1.root.json").read_bytes())
        with running_sync_server(folder / "server") as base:
            proxy = FaultProxy(int(base.rsplit(":", 1)[1]))
            url = f"http://127.0.0.1:{proxy.port}/repository"
            print("peak memory of a first sync (every language), in a child process:")
            _peak(folder, "no fault (floor)", url, root_file)
            for label, fault in (
                ("gzip, gzip bomb (1 GiB) on every file", Fault("bomb", encoding="gzip, gzip")),
                ("gzip bomb (1 GiB) on every file", Fault("bomb", encoding="gzip")),
                ("gzip, gzip bomb (1 GiB) on the packs", Fault("bomb", path_contains="/targets/", encoding="gzip, gzip")),
            ):
                proxy.set_fault(fault)
                _peak(folder, label, url, root_file)
            proxy.set_fault(None)

            print("a drip-fed update (one byte every 2 s), default limits:")
            home = folder / "phone-drip"
            home.mkdir()
            with httpx.Client(timeout=30) as client:
                assert sync(home, HttpFetcher(client, url), trusted_root=root_file.read_bytes(), languages={"en"}).status == "updated"
                for label, fault in (("no fault (floor)", None), ("drip", Fault("drip", path_contains="/targets/", delay_seconds=2))):
                    edited = dict(items)
                    path = "text/en/keep-documents-safe.json"
                    edited[path] = {**items[path], "body": items[path]["body"] + f"\n\n{label}."}
                    publish(repo, edited, keys, now=datetime.now(timezone.utc), lifetimes=LIFETIMES)
                    proxy.set_fault(fault)
                    started = time.monotonic()
                    result = sync(home, HttpFetcher(client, url), trusted_root=root_file.read_bytes(), languages={"en"})
                    print(f"  {label:44s} {result.reason.value} after {time.monotonic() - started:.1f} s ({result.detail[:80]})")
            proxy.close()


if __name__ == "__main__":
    main()
