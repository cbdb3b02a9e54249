"""What every editor page shares: who may open them, the templates, the audit entry of a page
view, and where a content rule's refusal is shown on a form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends

from sync_server.editor import store
from sync_server.staff import audit
from sync_server.staff.models import Role
from sync_server.staff.sessions import CurrentStaff
from sync_server.staff.web.deps import require
from sync_server.staff.web.templating import Pages

pages = Pages(Path(__file__).resolve().parent / "templates")

# Editors, reviewers and admins use these pages; what each may change is the store's may_edit.
ContentStaff = Annotated[CurrentStaff, Depends(require(Role.editor, Role.reviewer, Role.admin))]

AUDIT_TARGET_MAX = 64  # the audit log's target column


def editor_of(staff: CurrentStaff) -> store.Editor:
    return store.editor_from_staff(staff)


def audit_view(db, staff: CurrentStaff, action: str, target: str | None = None) -> None:
    """A page view in the audit log (changes are logged by the store itself)."""
    audit.record(db, account_id=staff.account.id, action=action,
                 target=target[:AUDIT_TARGET_MAX] if target else None, society=staff.account.society)


def form_field(kind: str, field: str) -> str:
    """The form field a store refusal names ("texts.en.name" → "name", "texts.ne.title" →
    "title_ne"); a field the form does not have stays as it is and is shown above the form."""
    parts = field.split(".")
    if parts[0] == "texts" and len(parts) >= 2:
        lang, name = parts[1], parts[2] if len(parts) > 2 else "title"
        return name if kind == "contact" else f"{name}_{lang}"
    return parts[0]


def refusal_errors(kind: str, error: store.EditRefused, labels: dict[str, str]) -> dict[str, str]:
    """{form field: message} for a refusal; a field the form lacks is keyed by its own name."""
    field = form_field(kind, error.field)
    message = error.message
    if field == "item" and message == "nothing changed":
        message = "Nothing was changed: the text is the same as the published one."
    elif field not in labels:
        message = f"{error.field}: {message}"
    else:
        message = message[:1].upper() + message[1:]
    return {field: message}
