"""Is the installed content still what was signed? Checked after the first screen.

Every installed item is kept exactly as it was verified (BundleItem: bytes and SHA-256).
The check runs SQLite's quick_check, recomputes each item's hash, rebuilds the rows the items make and compares
them with the rows in the tables: a page damaged by the phone's storage, or a row edited
on the phone (a contact's number changed), shows up as a difference. About 0.2 s for
the full content on a laptop, so it runs in the background, never before the first screen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.content.errors import ContentError
from app.content.install import NewVersion
from app.content.models import BundleItem, InstalledBundle, TrustedMetadata
from app.content.rows import build_rows


class Damage(StrEnum):
    none = "none"
    rows = "rows"  # tables differ from the signed items: rebuild from the items
    items = "items"  # the signed items themselves are damaged or unreadable: reinstall


@dataclass(frozen=True)
class CheckResult:
    damage: Damage
    detail: str = ""  # for the log: which table or item (never personal data: content is public)


def _canonical(rows) -> list[str]:
    return sorted(json.dumps(row.model_dump(mode="json"), sort_keys=True) for row in rows)


def check_installed(session: Session) -> CheckResult:
    try:
        # SQLite's own page check (~15 ms) finds damage in tables the rows below do not cover.
        pages = [row[0] for row in session.exec(text("PRAGMA quick_check")).all()]
        items = session.exec(select(BundleItem.path, BundleItem.sha256, BundleItem.data)).all()
        damaged = [path for path, sha256, data in items if hashlib.sha256(data).hexdigest() != sha256]
        if damaged or not items:
            return CheckResult(Damage.items, f"{len(damaged)} of {len(items)} items fail their hash")
        if pages != ["ok"]:
            return CheckResult(Damage.rows, f"quick_check: {pages[:3]}")
        try:
            expected = build_rows({path: json.loads(data) for path, _, data in items})
        except (ValueError, ContentError) as error:
            return CheckResult(Damage.items, f"items do not build: {error}")
        for model, group in expected.tables_in_insert_order():
            if _canonical(group) != _canonical(session.exec(select(model)).all()):
                return CheckResult(Damage.rows, f"table {model.__tablename__} differs from its signed items")
    except DBAPIError as error:  # a damaged page: "database disk image is malformed"
        return CheckResult(Damage.items, f"unreadable: {error.orig!r}")
    return CheckResult(Damage.none)


def installed_as_new_version(session: Session) -> NewVersion:
    """The installed version, rebuilt from its verified items and metadata (for a repair)."""
    bundle = session.exec(select(InstalledBundle)).one()
    return NewVersion(
        version=bundle.version,
        format=bundle.format,
        created_at=bundle.created_at,
        expires_at=bundle.expires_at,
        items=dict(session.exec(select(BundleItem.path, BundleItem.data)).all()),
        metadata={row.role: row.data for row in session.exec(select(TrustedMetadata)).all()},
    )
