"""The content tables: the approved state, every version of every item, and staff changes.

Items are stored whole, as the canonical JSON the bundle signs (app/content/item_paths.py
`encode_item`); `item` NULL means the item was deleted. Versions of an item count up from 1
and never go back: a restore is a new version holding an old version's item.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

PATH_MAX = 200  # an item path such as text/ne/<article id>.json


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# The approved state of one item: what the publisher signs (one row per path, deleted items too).
class ContentItem(SQLModel, table=True):
    __tablename__ = "content_item"

    path: str = Field(primary_key=True, max_length=PATH_MAX)
    version: int
    item: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


# One approved version of one item, kept for ever (history, diff, restore).
class ContentVersion(SQLModel, table=True):
    __tablename__ = "content_version"
    __table_args__ = (UniqueConstraint("path", "version", name="uq_content_version_path_version"),)

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(max_length=PATH_MAX, index=True)
    version: int
    item: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    change_id: int | None = Field(default=None, foreign_key="content_change.id")  # None: imported
    author_email: str | None = Field(default=None, max_length=254)
    approved_by_email: str | None = Field(default=None, max_length=254)  # None: no second person needed
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# A staff member's draft of one item, until a second person approves or rejects it.
class ContentChange(SQLModel, table=True):
    __tablename__ = "content_change"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(max_length=PATH_MAX, index=True)
    base_version: int  # the version the draft was made from (0: a new item)
    item: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    author_account_id: int
    author_email: str = Field(max_length=254)
    status: str = Field(max_length=16, index=True)  # pending | approved | rejected
    reviewer_email: str | None = Field(default=None, max_length=254)
    reason: str = Field(default="", max_length=2000)  # why it was rejected
    note: str = Field(default="", max_length=2000)  # what the author says the change is for
    restores_version: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
