"""Search latency over a generated corpus of 20,000 articles in 15 languages.

Prints p50/p95/max per script family and overall, and the size of the search index
against a trigram index over everything. Not a test: it only prints figures.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from app.content.models import Article, ArticleText, Language, Topic  # noqa: E402
from app.content.search import search_articles  # noqa: E402
from app.content.search_index import TRIGRAM_LANGUAGES, index_texts  # noqa: E402
from app.storage.engines import open_content_engine  # noqa: E402

ARTICLES = 20_000
QUERIES = 2_000
# Letters of each language's script (a sample range), to make words of that script.
SCRIPTS = {
    "en": "abcdefghijklmnopqrstuvwxyz", "id": "abcdefghijklmnopqrstuvwxyz", "ms": "abcdefghijklmnopqrstuvwxyz",
    "fil": "abcdefghijklmnopqrstuvwxyz", "vi": "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ",
    "ne": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह" + "ािीुूेैोौं", "hi": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह" + "ािीुूेै",
    "bn": "কখগঘচছজঝটঠডঢণতথদধনপফবভমযরলশসহ" + "ািীুূে", "si": "කඛගඝචඡජඣටඨඩඪණතථදධනපඵබභමයරලවශෂසහ" + "ාැෑිීුූ",
    "ta": "கஙசஞடணதநபமயரலவழளறன" + "ாிீுூெே", "ur": "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہیے",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "th": "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ" + "ะัาำิีึืุู่้๊๋",
    "my": "ကခဂဃငစဆဇဈညဋဌဍဎဏတထဒဓနပဖဗဘမယရလဝသဟဠအ" + "ါာိီုူေဲံ့း်ျြွှ", "km": "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ" + "ាិីឹឺុូួើឿៀេែៃោៅំះ់៉៊្",
}
LANGUAGES = list(SCRIPTS)
STAMP = datetime(2026, 11, 23, tzinfo=timezone.utc)


def _word(rng: random.Random, letters: str) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(3, 8)))


def _text(rng: random.Random, lang: str, words: int) -> str:
    vocabulary = VOCABULARY[lang]
    separator = "" if lang in TRIGRAM_LANGUAGES else " "
    return separator.join(rng.choice(vocabulary) for _ in range(words))


rng = random.Random(7)
VOCABULARY = {lang: [_word(rng, letters) for _ in range(3_000)] for lang, letters in SCRIPTS.items()}


def build(path: Path) -> list[tuple[str, str, str]]:
    engine = open_content_engine(path)
    texts, probes = [], []
    with engine.begin() as connection:
        connection.execute(insert(Language.__table__), [{"code": lang} for lang in LANGUAGES])
        connection.execute(insert(Topic.__table__), [{"id": "t", "stage": "before_you_go", "order": 0, "icon": "x", "updated_at": STAMP}])
        articles, rows = [], []
        for number in range(ARTICLES):
            lang = LANGUAGES[number % len(LANGUAGES)]
            article_id = f"a{number}"
            title, body = _text(rng, lang, 6), _text(rng, lang, 250)
            articles.append({"id": article_id, "kind": "advice", "topic_id": "t", "order": 0, "source": "bench",
                             "contact_kinds": "", "updated_at": STAMP})
            rows.append({"article_id": article_id, "lang": lang, "title": title, "summary": "", "body": body,
                         "reviewed": False, "updated_at": STAMP})
            texts.append((article_id, lang, title, body))
            start = rng.randrange(0, len(body) - 12)
            probe = body[start:start + 6] if lang in TRIGRAM_LANGUAGES else rng.choice(body.split())
            probes.append((lang, probe, article_id))
        connection.execute(insert(Article.__table__), articles)
        connection.execute(insert(ArticleText.__table__), rows)
        index_texts(connection, texts)
    engine.dispose()
    return probes


def _index_bytes(path: Path, prefix: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?", (prefix + "%",)
        ).fetchone()[0] or 0


def trigram_everything_bytes(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE VIRTUAL TABLE all_trigram USING fts5(title, body, tokenize='trigram')")
        connection.execute("INSERT INTO all_trigram SELECT title, body FROM articletext")
    return _index_bytes(path, "all_trigram")


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms  max {ordered[-1]:6.2f} ms  (n={len(ordered)})"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "content.db"
        started = time.perf_counter()
        probes = build(path)
        print(f"corpus: {ARTICLES} articles in {len(LANGUAGES)} languages, built in {time.perf_counter() - started:.1f} s")
        engine = open_content_engine(path)
        timings: dict[str, list[float]] = {"word index": [], "trigram index": []}
        found = 0
        with engine.connect() as connection:
            for lang, probe, article_id in rng.sample(probes, QUERIES):
                started = time.perf_counter()
                hits = search_articles(connection, query=probe, lang=lang, country="MY")
                elapsed = (time.perf_counter() - started) * 1000
                timings["trigram index" if lang in TRIGRAM_LANGUAGES else "word index"].append(elapsed)
                found += article_id in {hit.article_id for hit in hits} or len(hits) == 20
        engine.dispose()
        for name, samples in timings.items():
            print(f"search, {name:13}: {_percentiles(samples)}")
        print(f"search, all          : {_percentiles(timings['word index'] + timings['trigram index'])}")
        print(f"queries whose article was found (or 20 results): {found}/{QUERIES}")
        words, trigrams = _index_bytes(path, "search_words"), _index_bytes(path, "search_trigram")
        everything = trigram_everything_bytes(path)
        print(f"index size: words {words / 1e6:.1f} MB + trigram (th/my/km/lo) {trigrams / 1e6:.1f} MB = {(words + trigrams) / 1e6:.1f} MB;"
              f" a trigram index over everything: {everything / 1e6:.1f} MB ({everything / (words + trigrams):.1f}x)")


if __name__ == "__main__":
    main()
