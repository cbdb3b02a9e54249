"""Bytes on the wire for a one-article update, against a full download, over real HTTP.

Publishes the real content as v1 on a loopback sync server, installs it on a fresh phone
data dir, edits one article, publishes v2 and syncs again. Counts status lines, headers
and bodies of every response.
"""

from __future__ import annotations

import copy
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from app.content.bundle_format import CHANGE_LISTS_KEPT  # noqa: E402
from app.content.fetch import HttpFetcher  # noqa: E402
from app.content.source import read_source  # noqa: E402
from app.content.sync import sync  # noqa: E402
from app.storage.paths import CONTENT_SOURCE_DIR  # noqa: E402
from sync_server.local_process import running_sync_server  # noqa: E402
from sync_server.publishing.keys import generate_keys  # noqa: E402
from sync_server.publishing.repository import Lifetimes, publish  # noqa: E402


LIFETIMES = Lifetimes(timestamp=timedelta(days=7), snapshot=timedelta(days=30), targets=timedelta(days=90))
ARTICLE = "text/en/keep-documents-safe.json"


def main() -> None:
    items = read_source(CONTENT_SOURCE_DIR)
    keys = generate_keys()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "server"
        repo = data / "repository"
        publish(repo, items, keys, now=datetime.now(timezone.utc), lifetimes=LIFETIMES)
        root = (repo / "metadata" / "1.root.json").read_bytes()
        with running_sync_server(data) as base, httpx.Client(timeout=30) as client:
            for languages, label in (({"en"}, "English only"), ({"en", "ne"}, "English + Nepali"), (None, "every language")):
                home = Path(folder) / f"phone-{label}"
                home.mkdir()
                full = HttpFetcher(client, f"{base}/repository")
                result = sync(home, full, trusted_root=root, languages=languages)
                assert result.status == "updated", result.detail
                print(f"full sync from empty ({label}): {full.bytes_downloaded:,} bytes")
            home = Path(folder) / "phone-English only"
            edited = copy.deepcopy(items)
            # A few earlier edits first, so the list of recent change lists is as long as it gets.
            for version in range(2, 2 + CHANGE_LISTS_KEPT):
                edited[ARTICLE]["body"] += f"\n\nOne more sentence ({version})."
                publish(repo, edited, keys, now=datetime.now(timezone.utc), lifetimes=LIFETIMES)
                one = HttpFetcher(client, f"{base}/repository")
                result = sync(home, one, trusted_root=root, languages={"en"})
                assert result.status == "updated" and result.to_version == version, result.detail
            print(f"one-article update ({ARTICLE}): {one.bytes_downloaded:,} bytes on the wire, "
                  f"{full.bytes_downloaded / one.bytes_downloaded:.0f}x less than a full download of every language")


if __name__ == "__main__":
    main()
