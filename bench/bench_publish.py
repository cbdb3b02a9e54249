"""One staff edit on a large content store, from approval to a phone (issue 14).

Generates 2,000 articles with a text in each of 15 languages (32,000 items with the real
languages, countries, topics and contacts; in a temp folder, never committed), loads them
with `content import` into a server store (SQLite), publishes them, installs them on a phone
(English) over real HTTP, then: a staff member proposes one change to one article's English
text, a second person approves it, and one publisher round signs it (five times, one edit
after another). Prints the time of that round (goal ≤ 2 s) and the bytes the phone downloads
for each update (goal ≤ 4 KB), each
against a floor measured in the same run: a round with nothing to publish, re-signing the
same content, and a phone's check when nothing changed.
"""

from __future__ import annotations

import copy
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.content.fetch import HttpFetcher  # noqa: E402
from app.content.source import read_source  # noqa: E402
from app.content.sync import sync  # noqa: E402
from app.storage.paths import CONTENT_SOURCE_DIR, TRUSTED_ROOT_FILE  # noqa: E402
from sync_server.db import engine_for, migrate_database  # noqa: E402
from sync_server.editor.source_writer import write_source  # noqa: E402
from sync_server.editor.store import (  # noqa: E402
    Editor,
    approve,
    current,
    current_encoded,
    current_items,
    import_source,
    propose,
)
from sync_server.local_process import running_sync_server  # noqa: E402
from sync_server.paths import DEV_KEY_DIR  # noqa: E402
from sync_server.publishing.keys import load_keys  # noqa: E402
from sync_server.publishing.publisher import publish_items, publish_round  # noqa: E402
from sync_server.staff.models import Role  # noqa: E402

ARTICLES = 2_000
EDITS = 5
BODY_WORDS = 160
EDITED = "text/en/bench-0017.json"
STAMP = "2026-11-23T00:00:00+00:00"
AUTHOR = Editor(1, "editor@example.org", Role.admin, None, ())
REVIEWER = Editor(2, "reviewer@example.org", Role.admin, None, ())
_LATIN = "abcdefghijklmnopqrstuvwxyz"
# A sample of each script's letters, so text has the byte size of the real languages.
_LETTERS = {"ne": "कखगघचछजझटठडणतथदधनपबमयरलवसह", "hi": "कखगघचछजझटठडणतथदधनपबमयरलवसह", "bn": "কখগঘচছজঝটঠডণতথদধনপবমযরলসহ",
            "ur": "ابپتٹثجچحخدذرزسشصطعغفقکگلمنوہی", "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "si": "කඛගචජටඩණතදනපබමයරලවසහ",
            "ta": "கஙசஞடணதநபமயரலவழளறன", "th": "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอ", "my": "ကခဂဃငစဆဇညဋဌဍဏတထဒဓနပဖဗဘမယရလဝသဟအ",
            "km": "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ"}


def _words(rng: random.Random, lang: str, count: int) -> str:
    letters = _LETTERS.get(lang, _LATIN)
    return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(count))


def corpus() -> dict[str, dict]:
    """The real non-article content plus ARTICLES generated articles in every language."""
    rng = random.Random(14)
    real = read_source(CONTENT_SOURCE_DIR)
    items = {path: item for path, item in real.items() if not path.startswith(("article/", "text/"))}
    languages = sorted(item["code"] for path, item in real.items() if path.startswith("language/"))
    topics = sorted(item["id"] for path, item in real.items() if path.startswith("topic/"))
    for number in range(ARTICLES):
        article_id = f"bench-{number:04d}"
        items[f"article/{article_id}.json"] = {
            "id": article_id, "kind": "advice", "topic_id": topics[number % len(topics)], "order": number,
            "countries": [], "related": [], "contact_kinds": [], "source": "Generated for bench_publish.py",
            "updated_at": STAMP}
        for lang in languages:
            body = (f"{_words(rng, lang, BODY_WORDS // 2)}\n\n## {_words(rng, lang, 3)}\n\n"
                    f"- {_words(rng, lang, BODY_WORDS // 4)}\n- {_words(rng, lang, BODY_WORDS // 4)}")
            items[f"text/{lang}/{article_id}.json"] = {
                "article_id": article_id, "lang": lang, "title": _words(rng, lang, 5), "summary": _words(rng, lang, 12),
                "body": body, "reviewed": lang == "en", "updated_at": STAMP}
    return items


def _timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main() -> None:
    keys = load_keys(DEV_KEY_DIR)
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as folder:
        source, data, phone, nowhere = (Path(folder) / name for name in ("content", "server", "phone", "no-content"))
        items, took = _timed(corpus)
        write_source(items, source)
        phone.mkdir()
        texts = sum(path.startswith("text/") for path in items)
        print(f"corpus: {len(items):,} items ({ARTICLES:,} articles, {texts:,} texts in "
              f"{texts // ARTICLES} languages), generated in {took:.1f} s")
        engine = engine_for(data)
        migrate_database(engine)
        with Session(engine) as session:
            count, took = _timed(lambda: import_source(session, source))
        print(f"content import: {count:,} items in {took:.1f} s")

        def round_() -> str:  # the publisher's round; `nowhere` proves the store is what is signed
            return publish_round(data, nowhere, keys, root_file=TRUSTED_ROOT_FILE, now=now)

        outcome, took = _timed(round_)
        assert outcome == "published"
        print(f"first publish of the whole store: {took:.2f} s")
        with running_sync_server(data) as base, httpx.Client(timeout=60) as client:
            full = HttpFetcher(client, f"{base}/repository")
            result = sync(phone, full, trusted_root=TRUSTED_ROOT_FILE.read_bytes(), languages={"en"})
            assert result.status == "updated", result.detail
            print(f"phone's first sync (English): {full.bytes_downloaded:,} bytes")

            unchanged = [_timed(round_) for _ in range(3)]
            assert all(outcome == "unchanged" for outcome, _ in unchanged)
            print(f"floor: a round with nothing to publish: {statistics.median(t for _, t in unchanged):.2f} s (median of 3)")
            with Session(engine) as session:
                stored = current_encoded(session)
            _, resign = _timed(lambda: publish_items(data, stored, keys, root_file=TRUSTED_ROOT_FILE, now=now))
            print(f"floor: signing the same content again (a new version, no item changed): {resign:.2f} s")
            check = HttpFetcher(client, f"{base}/repository")
            result = sync(phone, check, trusted_root=TRUSTED_ROOT_FILE.read_bytes(), languages={"en"})
            assert result.status == "updated", result.detail  # the re-signed version, no item changed
            print(f"floor: a phone's update to a version with no changed item: {check.bytes_downloaded:,} bytes")

            # One edit at a time, EDITS times (the machine is shared: one figure would be luck).
            rounds, updates = [], []
            for number in range(EDITS):
                with Session(engine) as session:
                    item = copy.deepcopy(current_items(session)[EDITED])
                    item["body"] += f"\n\nOne more sentence, checked by the National Society ({number})."
                    change, proposing = _timed(lambda: propose(session, AUTHOR, EDITED, item,
                                                               base_version=current(session, EDITED).version))
                    _, approving = _timed(lambda: approve(session, REVIEWER, change.id))
                print(f"edit {number + 1}: propose {proposing:.2f} s, approve {approving:.2f} s (each checks the whole set)")
                outcome, took = _timed(round_)
                assert outcome == "published"
                one = HttpFetcher(client, f"{base}/repository")
                result = sync(phone, one, trusted_root=TRUSTED_ROOT_FILE.read_bytes(), languages={"en"})
                assert result.status == "updated", result.detail
                rounds.append(took)
                updates.append(one.bytes_downloaded)
                print(f"edit {number + 1}: publisher round {took:.2f} s; the phone's update {one.bytes_downloaded:,} bytes")
            print(f"PUBLISH of one approved edit (one publisher round): median {statistics.median(rounds):.2f} s, "
                  f"max {max(rounds):.2f} s of {EDITS} (goal <= 2 s)")
            print(f"ONE-ARTICLE UPDATE on the wire: at most {max(updates):,} bytes (goal <= 4,096), "
                  f"{full.bytes_downloaded / max(updates):.0f}x less than the first sync")
        engine.dispose()


if __name__ == "__main__":
    main()
