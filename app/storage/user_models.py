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


# A help request: while it waits, its form sealed to the server's key (`outgoing`); once
# the server has it, only its receipt and status (`receipt`). Both are sealed again with
# the device key, so the background sync can record a delivery while the app is locked.
# `state` is plain so a claim (waiting -> sending) or a cancel is one atomic UPDATE/DELETE.
class HelpRequest(SQLModel, table=True):
    id: str = Field(primary_key=True)
    state: str = Field(index=True)  # waiting | sending | sent | refused
    outgoing: str | None = None
    receipt: str | None = None
    created_at: datetime
    updated_at: datetime
