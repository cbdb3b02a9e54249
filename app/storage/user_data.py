"""Writes and reads of the user database: settings and bookmarks."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlmodel import Session, select

from app.storage.user_models import Bookmark, Setting


def get_setting(*, session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return default if row is None else json.loads(row.value)


def set_setting(*, session: Session, key: str, value: Any) -> None:
    session.merge(Setting(key=key, value=json.dumps(value)))
    session.commit()


def add_bookmark(*, session: Session, article_id: str) -> None:
    if session.get(Bookmark, article_id) is None:
        session.add(Bookmark(article_id=article_id, created_at=datetime.now(timezone.utc)))
        session.commit()


def remove_bookmark(*, session: Session, article_id: str) -> None:
    row = session.get(Bookmark, article_id)
    if row is not None:
        session.delete(row)
        session.commit()


def list_bookmarks(*, session: Session) -> list[str]:
    return list(session.exec(select(Bookmark.article_id).order_by(Bookmark.created_at.desc())).all())
