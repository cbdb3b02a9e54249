"""The publisher's one look at the content store: the approved items, read without the power
to write (sync_server.db.read_only_engine). The publisher signs them; it never changes them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import inspect
from sqlmodel import Session

from sync_server.db import read_only_engine
from sync_server.editor.models import ContentItem
from sync_server.editor.store import current_encoded, has_content


def approved_encoded(data: Path) -> dict[str, bytes] | None:
    """The store's approved items as their canonical bytes (what is signed), or None when the
    server's store holds no content (no database yet, not migrated yet, or nothing imported):
    then content/ is what is published."""
    engine = read_only_engine(data)
    if engine is None:
        return None
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(ContentItem.__tablename__):
                return None
        with Session(engine) as session:
            return current_encoded(session) if has_content(session) else None
    finally:
        engine.dispose()


def approved_items(data: Path) -> dict[str, dict] | None:
    """The same, each item parsed (None: the store holds no content)."""
    encoded = approved_encoded(data)
    return None if encoded is None else {path: json.loads(item) for path, item in encoded.items()}
