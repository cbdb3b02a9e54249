"""Time for a one-article update and for a full sync from empty over an emulated 2G link:
100 kbit/s each way (tc tbf in a network namespace) and a 300 ms round trip (a relay).
Needs root (for the namespace). Prints figures; asserts nothing about time."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.content.source import read_source  # noqa: E402
from app.storage.paths import CONTENT_SOURCE_DIR, REPO_ROOT  # noqa: E402
from bench.netem import HOST_IP, NAMESPACE, DelayRelay, slow_link  # noqa: E402
from sync_server.publishing.keys import generate_keys  # noqa: E402
from sync_server.local_process import running_sync_server  # noqa: E402
from sync_server.publishing.repository import Lifetimes, publish  # noqa: E402

LIFETIMES = Lifetimes(timestamp=timedelta(days=7), snapshot=timedelta(days=30), targets=timedelta(days=90))
ARTICLE = "text/en/keep-documents-safe.json"

# Runs inside the namespace: one sync, timed, as a phone would do it.
PHONE = """
import json, sys, time, httpx
from pathlib import Path
from app.content.fetch import HttpFetcher
from app.content.sync import sync
home, url, root, langs = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]).read_bytes(), sys.argv[4]
languages = None if langs == "all" else set(langs.split(","))
with httpx.Client(timeout=httpx.Timeout(60.0)) as client:
    fetcher = HttpFetcher(client, url)
    started = time.perf_counter()
    result = sync(home, fetcher, trusted_root=root, languages=languages)
    print(json.dumps({"status": result.status, "to": result.to_version, "seconds": time.perf_counter() - started,
                      "bytes": fetcher.bytes_downloaded, "detail": result.detail}))
"""


def _phone_sync(home: Path, url: str, root_file: Path, languages: str) -> dict:
    out = subprocess.run(
        ["ip", "netns", "exec", NAMESPACE, sys.executable, "-c", PHONE, str(home), url, str(root_file), languages],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    items = read_source(CONTENT_SOURCE_DIR)
    keys = generate_keys()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "server"
        publish(data / "repository", items, keys, now=datetime.now(timezone.utc), lifetimes=LIFETIMES)
        root_file = data / "repository" / "metadata" / "1.root.json"
        with running_sync_server(data) as base, slow_link("100kbit"):
            relay = DelayRelay(int(base.rsplit(":", 1)[1]), one_way=0.150)
            url = f"http://{HOST_IP}:{relay.port}/repository"
            print("link: 100 kbit/s each way (tc tbf), 300 ms round trip (relay)")
            for languages in ("en,ne", "all"):
                home = Path(folder) / f"phone-{languages}"
                home.mkdir()
                full = _phone_sync(home, url, root_file, languages)
                assert full["status"] == "updated", full
                print(f"full sync from empty ({languages}): {full['seconds']:.1f} s, {full['bytes']:,} bytes")
            edited = copy.deepcopy(items)
            edited[ARTICLE]["body"] += "\n\nOne more sentence."
            publish(data / "repository", edited, keys, now=datetime.now(timezone.utc), lifetimes=LIFETIMES)
            update = _phone_sync(Path(folder) / "phone-en,ne", url, root_file, "en,ne")
            assert update["status"] == "updated", update
            print(f"one-article update: {update['seconds']:.1f} s, {update['bytes']:,} bytes")


if __name__ == "__main__":
    main()
