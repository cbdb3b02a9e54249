"""Full-text search: a word index and a trigram index, filled from existing texts.

Languages written with spaces between words use the word index (unicode61, small).
Thai, Burmese, Khmer and Lao are written without spaces, so they go to a trigram
index where any substring of three or more characters matches.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

# Frozen here on purpose: a later change to the app's list needs its own migration.
TRIGRAM_LANGUAGES = ("km", "lo", "my", "th")

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_words USING fts5("
        "title, body, article_id UNINDEXED, lang UNINDEXED, "
        "tokenize = \"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
    )
    op.execute(
        "CREATE VIRTUAL TABLE search_trigram USING fts5("
        "title, body, article_id UNINDEXED, lang UNINDEXED, tokenize = 'trigram')"
    )
    placeholders = ", ".join(f"'{lang}'" for lang in sorted(TRIGRAM_LANGUAGES))
    op.execute(
        "INSERT INTO search_words (title, body, article_id, lang) "
        f"SELECT title, body, article_id, lang FROM articletext WHERE lang NOT IN ({placeholders})"
    )
    op.execute(
        "INSERT INTO search_trigram (title, body, article_id, lang) "
        f"SELECT title, body, article_id, lang FROM articletext WHERE lang IN ({placeholders})"
    )
