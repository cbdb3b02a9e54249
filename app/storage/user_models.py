"""The user database: what belongs to the person, never touched by a content install."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


# One setting (language, countries, text size…) as a key and a JSON value.
class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


# An article the person saved.
class Bookmark(SQLModel, table=True):
    article_id: str = Field(primary_key=True)
    created_at: datetime


# A request waiting to be sent (encrypted on the phone, deleted once the server has it).
class OutboxItem(SQLModel, table=True):
    id: str = Field(primary_key=True)
    kind: str
    payload: bytes
    created_at: datetime
    attempts: int = 0
