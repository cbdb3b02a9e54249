"""The audit log: every staff view and change, by account id and action code (never contents)."""

from __future__ import annotations

from sqlmodel import Session, select

from sync_server.staff.models import AuditEntry


def record(session: Session, *, account_id: int | None, action: str, target: str | None = None,
           society: str | None = None) -> None:
    """Add one entry and commit (with whatever change the caller made in the same session)."""
    session.add(AuditEntry(account_id=account_id, action=action, target=target, society=society))
    session.commit()


def entries(session: Session, *, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first."""
    return list(session.exec(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
