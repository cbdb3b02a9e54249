"""Offline full-text search over installed articles: ranked, filtered, with snippets."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from app.content.dto import SearchHit
from app.content.schemas import SOURCE_LANGUAGE
from app.content.search_index import TRIGRAM_TABLE, table_for

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
_SNIPPET_TOKENS = 12
# A trigram index counts every character as a token: 12 would show a word and little else.
_TRIGRAM_SNIPPET_TOKENS = 64
# Title matches count ten times as much as body matches.
_TITLE_WEIGHT, _BODY_WEIGHT = 10.0, 1.0
_MIN_TRIGRAM = 3

_COUNTRY_FILTER = """
  AND (:country IS NULL
       OR NOT EXISTS (SELECT 1 FROM articlecountry ac WHERE ac.article_id = s.article_id)
       OR EXISTS (SELECT 1 FROM articlecountry ac WHERE ac.article_id = s.article_id AND ac.country = :country))
"""


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _terms(query: str) -> list[str]:
    return [term for term in re.split(r"\s+", query.strip()) if term]


def _word_match(alternatives: list[list[str]]) -> str:
    # Every term (or a synonym of it) must appear; the last one typed may be the start of a
    # word still being typed.
    quoted = [[_quoted(word) for word in words] for words in alternatives]
    quoted[-1][0] += "*"
    return " AND ".join(_any_of(words) for words in quoted)


def _any_of(quoted: list[str]) -> str:
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


_SYNONYMS = text("""
SELECT DISTINCT other.word FROM searchsynonym AS typed
JOIN searchsynonym AS other ON other.lang = typed.lang AND other.group_no = typed.group_no
WHERE typed.lang = :lang AND typed.word = :word AND other.word != typed.word
ORDER BY other.word
""")


def _with_synonyms(connection: Connection, terms: list[str], lang: str) -> list[list[str]]:
    """Each term followed by the other words of its synonym groups in the reader's language."""
    return [[term, *connection.execute(_SYNONYMS, {"lang": lang, "word": term.casefold()}).scalars()]
            for term in terms]


def _fts_sql(table: str) -> str:
    tokens = _TRIGRAM_SNIPPET_TOKENS if table == TRIGRAM_TABLE else _SNIPPET_TOKENS
    return f"""
SELECT s.article_id, a.kind, s.lang,
       s.title AS title, s.body AS body,
       snippet({table}, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {tokens}) AS snippet,
       bm25({table}, {_TITLE_WEIGHT}, {_BODY_WEIGHT}) AS rank
FROM {table} AS s JOIN article AS a ON a.id = s.article_id
WHERE {table} MATCH :match AND s.lang = :lang {_COUNTRY_FILTER}
ORDER BY rank LIMIT :limit
"""


# Trigram MATCH needs three characters; shorter terms fall back to LIKE on the same table.
_SHORT_TRIGRAM_SQL = f"""
SELECT s.article_id, a.kind, s.lang, s.title AS title,
       substr(s.body, 1, 160) AS snippet,
       CASE WHEN s.title LIKE :pattern THEN 0.0 ELSE 1.0 END AS rank
FROM {TRIGRAM_TABLE} AS s JOIN article AS a ON a.id = s.article_id
WHERE (s.title LIKE :pattern OR s.body LIKE :pattern) AND s.lang = :lang {_COUNTRY_FILTER}
ORDER BY rank, s.title LIMIT :limit
"""


def search_articles(
    connection: Connection, *, query: str, lang: str, country: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Articles matching every term of `query`, best first: in `lang`, then in English.

    Most pages exist only in English for now, and people type the English word they know
    ("passport") into a Thai or Nepali screen: the English text is searched too. A page
    found through its English text is shown in the reader's language when it has one.
    """
    terms = _terms(query)
    if not terms:
        return []
    # The reader's synonyms hold English words too: "राहदानी" finds a page only in English.
    alternatives = _with_synonyms(connection, terms, lang)
    hits = _search_in(connection, alternatives, lang=lang, country=country, limit=limit)
    if lang == SOURCE_LANGUAGE or len(hits) >= limit:
        return hits
    found = {hit.article_id for hit in hits}
    english = [hit for hit in _search_in(connection, alternatives, lang=SOURCE_LANGUAGE, country=country, limit=limit)
               if hit.article_id not in found]
    translated = _texts_in(connection, [hit.article_id for hit in english], lang)
    for hit in english:
        if hit.article_id in translated:
            title, summary = translated[hit.article_id]
            hit = replace(hit, lang=lang, title=title, snippet=summary)
        hits.append(hit)
    return hits[:limit]


# A phrase in an unspaced script ("ไม่ได้รับเงินเดือน", not paid a salary) is rarely written
# exactly so in a page. Its three-character pieces are: a page holding at least this share of
# them is about the same thing ("เงินเดือน" salary, "ไม่ได้รับ" not received).
_PHRASE_PART_SHARE = 0.5


def _trigrams(term: str) -> set[str]:
    return {term[i:i + _MIN_TRIGRAM] for i in range(len(term) - _MIN_TRIGRAM + 1)}


def _phrase_parts(connection: Connection, terms: list[str], params: dict) -> list:
    """Pages holding most of the phrase's three-character pieces, the most pieces first (a
    piece in the title counts twice)."""
    parts = set().union(*(_trigrams(term) for term in terms))
    match = " OR ".join(_quoted(part) for part in sorted(parts))
    candidates = connection.execute(text(_fts_sql(TRIGRAM_TABLE)), {**params, "match": match, "limit": 4 * params["limit"]})
    scored = []
    for row in candidates:
        share = sum(part in row.title or part in row.body for part in parts) / len(parts)
        in_title = sum(part in row.title for part in parts) / len(parts)
        if share >= _PHRASE_PART_SHARE:
            scored.append((-(share + in_title), row.rank, row))
    return [row for *_, row in sorted(scored, key=lambda entry: entry[:2])][:params["limit"]]


_TEXTS_IN = text("SELECT article_id, title, summary FROM articletext WHERE lang = :lang AND article_id IN :ids"
                 ).bindparams(bindparam("ids", expanding=True))


def _texts_in(connection: Connection, article_ids: list[str], lang: str) -> dict[str, tuple[str, str]]:
    if not article_ids:
        return {}
    rows = connection.execute(_TEXTS_IN, {"lang": lang, "ids": article_ids})
    return {r.article_id: (r.title, r.summary) for r in rows}


def _search_in(
    connection: Connection, alternatives: list[list[str]], *, lang: str, country: str | None, limit: int
) -> list[SearchHit]:
    terms = [words[0] for words in alternatives]
    table = table_for(lang)
    params = {"lang": lang, "country": country, "limit": limit}
    if table == TRIGRAM_TABLE:
        if min(len(term) for term in terms) < _MIN_TRIGRAM:
            escaped = " ".join(terms).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql = _SHORT_TRIGRAM_SQL.replace("LIKE :pattern", "LIKE :pattern ESCAPE '\\'")
            rows = connection.execute(text(sql), {**params, "pattern": f"%{escaped}%"})
        else:
            match = " AND ".join(_any_of([_quoted(word) for word in words]) for words in alternatives)
            rows = list(connection.execute(text(_fts_sql(table)), {**params, "match": match}))
            if not rows:
                rows = _phrase_parts(connection, terms, params)
    else:
        rows = connection.execute(text(_fts_sql(table)), {**params, "match": _word_match(alternatives)})
    return [
        SearchHit(article_id=r.article_id, kind=r.kind, lang=r.lang, title=r.title, snippet=r.snippet, rank=r.rank)
        for r in rows
    ]
