"""Which full-text index each language uses, and how texts are added to it.

Languages written with spaces between words use a word index (unicode61, small).
Thai, Burmese, Khmer and Lao are written without spaces between words, so a word
tokenizer cannot find a word inside a phrase; they use a trigram index instead, where
any substring of three or more characters matches. Indexing everything with trigrams
would make the index about six times larger, so only these languages pay for it.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

TRIGRAM_LANGUAGES = frozenset({"th", "my", "km", "lo"})
WORD_TABLE = "search_words"
TRIGRAM_TABLE = "search_trigram"


def table_for(lang: str) -> str:
    return TRIGRAM_TABLE if lang in TRIGRAM_LANGUAGES else WORD_TABLE


def index_texts(connection: Connection, texts: list[tuple[str, str, str, str]]) -> None:
    """Add (article_id, lang, title, body) rows to the right index."""
    for table in (WORD_TABLE, TRIGRAM_TABLE):
        rows = [
            {"article_id": article_id, "lang": lang, "title": title, "body": body}
            for article_id, lang, title, body in texts
            if table_for(lang) == table
        ]
        if rows:
            connection.execute(
                text(f"INSERT INTO {table} (article_id, lang, title, body) VALUES (:article_id, :lang, :title, :body)"),
                rows,
            )
