"""Both databases migrate from the previous schema, keeping what was in them."""

import sqlite3
from datetime import datetime, timezone

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, create_engine
from sqlmodel.main import default_registry

import app.content.models  # noqa: F401  (registers the content tables)
import app.storage.user_models  # noqa: F401  (registers the user tables)
from app.content.search import search_articles
from app.storage import migrate
from app.storage.engines import open_content_engine, open_user_engine

USER_TABLES = {"setting", "bookmark", "outboxitem"}
NOW = datetime(2026, 11, 23, tzinfo=timezone.utc).isoformat(" ")


def _engine(path):
    return create_engine(f"sqlite:///{path}")


def test_user_db_from_previous_schema_keeps_settings_and_bookmarks(tmp_path):
    path = tmp_path / "user.db"
    engine = _engine(path)
    migrate.upgrade(engine, migrate.USER, "0001")
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO setting VALUES ('language', '\"ne\"')")
        connection.execute("INSERT INTO bookmark VALUES ('passport-taken', ?)", (NOW,))
    engine.dispose()
    upgraded = open_user_engine(path)
    assert migrate.current_revision(upgraded) == migrate.head_revision(migrate.USER) == "0002"
    upgraded.dispose()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM setting").fetchall() == [('"ne"',)]
        assert connection.execute("SELECT article_id FROM bookmark").fetchall() == [("passport-taken",)]
        assert connection.execute("SELECT count(*) FROM outboxitem").fetchall() == [(0,)]


def test_content_db_from_previous_schema_gets_a_search_index_of_its_texts(tmp_path):
    path = tmp_path / "content.db"
    engine = _engine(path)
    migrate.upgrade(engine, migrate.CONTENT, "0001")
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO language VALUES ('en'), ('th')")
        connection.execute("INSERT INTO topic VALUES ('t', 'before_you_go', 0, 'x', ?)", (NOW,))
        connection.execute("INSERT INTO article VALUES ('a', 'advice', 't', 0, 'src', '', ?)", (NOW,))
        connection.execute("INSERT INTO articletext VALUES ('a', 'en', 'Keep papers', '', 'Use a plastic bag', 0, ?)", (NOW,))
        connection.execute("INSERT INTO articletext VALUES ('a', 'th', 'เอกสาร', '', 'หนังสือเดินทางของคุณ', 0, ?)", (NOW,))
    engine.dispose()
    upgraded = open_content_engine(path)
    with upgraded.connect() as connection:
        assert [h.article_id for h in search_articles(connection, query="plastic", lang="en")] == ["a"]
        assert [h.article_id for h in search_articles(connection, query="เดินทาง", lang="th")] == ["a"]
    upgraded.dispose()


def _differences(engine, tables):
    metadata = SQLModel.metadata
    with engine.connect() as connection:
        def include(obj, name, kind, reflected, compare_to):
            return kind != "table" or name in tables  # FTS tables are raw SQL, not models

        context = MigrationContext.configure(connection, opts={"include_object": include})
        return compare_metadata(context, metadata)


def test_migrations_build_exactly_the_models(tmp_path):
    content = open_content_engine(tmp_path / "content.db")
    user = open_user_engine(tmp_path / "user.db")
    # The phone's tables only: the server's models (sync_server) share SQLModel.metadata once imported.
    app_tables = {mapper.local_table.name for mapper in default_registry.mappers
                  if mapper.class_.__module__.startswith("app.")}
    content_tables = app_tables - USER_TABLES
    assert _differences(content, content_tables) == []
    assert _differences(user, USER_TABLES) == []
