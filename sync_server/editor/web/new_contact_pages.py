"""/staff/content/contact/new: "Add a contact" — a National Society, hotline, family tracing
(RFL) office or embassy in the editor's own Society's country (an admin: any country). Saved as
a draft that a second person approves, like every contact change; a refused form comes back
with what was typed and each problem next to its field, and nothing is saved."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from app.content.item_paths import item_path
from sync_server.editor import store
from sync_server.editor.web import forms, new_contact
from sync_server.editor.web.common import ContentStaff, audit_view, editor_of, pages, refusal_errors
from sync_server.staff.models import Role
from sync_server.staff.web.deps import Forbidden, SessionDep, check_csrf

router = APIRouter(prefix="/staff/content/contact/new", dependencies=[Depends(check_csrf)], include_in_schema=False)

LABELS = {"country": "Country", "kind": "Kind of contact", "for_country": "Whose embassy", "name": "Name",
          "phone": "Phone number", "short_number": "Short number", "website": "Website", "source": "Source",
          "verified_on": "Checked on", "note": "Note"}
LIMITS = {"line": forms.LINE_MAX, "note": forms.NOTE_MAX, "source": forms.SOURCE_MAX}


async def _sent_form(request: Request) -> dict[str, str]:
    form = await request.form()  # check_csrf has parsed it already
    return {name: value for name, value in form.items() if isinstance(value, str)}


def _editor_who_adds(staff) -> store.Editor:
    """Editors and admins add contacts; a reviewer (texts of their languages) does not."""
    editor = editor_of(staff)
    if editor.role not in (Role.editor, Role.admin):
        raise Forbidden()
    return editor


def _countries(items: dict[str, dict]) -> list[str]:
    return sorted(item["code"] for path, item in items.items() if path.startswith("country/"))


def _page(request: Request, staff, editor: store.Editor, items, values: dict[str, str], errors: dict[str, str],
          status_code: int = 200):
    return pages.render(request, "new_contact.html", {
        "values": values, "errors": errors, "labels": LABELS, "limits": LIMITS, "kinds": new_contact.NEW_KINDS,
        "scope": editor.society, "countries": _countries(items)}, staff=staff, status_code=status_code)


@router.get("")
def add_contact(request: Request, db: SessionDep, staff: ContentStaff):
    editor = _editor_who_adds(staff)
    audit_view(db, staff, "content_new_contact_view")
    values = new_contact.values({"country": editor.society or "", "kind": "national_society"})
    return _page(request, staff, editor, store.current_items(db), values, {})


def _propose(db, editor: store.Editor, form: dict[str, str], items: dict[str, dict]) -> dict[str, str]:
    """The errors the form gets ({} once the draft is saved)."""
    country = editor.society or (form.get("country") or "").strip().upper()
    if country not in _countries(items):
        return {"country": "Choose the country the contact is in."}
    try:
        taken = {item["id"] for path, item in items.items() if path.startswith("contact/")}
        item = new_contact.new_contact(form, country, taken)
        if store.has_pending_change(db, item_path("contact", item["id"])):
            return {"name": "A new contact with this name is already waiting for review: see Changes waiting "
                            "for review, or give this one another name."}
        store.propose(db, editor, item_path("contact", item["id"]), item, base_version=0, note="new contact")
    except forms.FieldError as error:
        return {error.field: error.message}
    except store.EditRefused as error:
        if error.field == "phone" and "belongs to" in error.message:  # the rule's words name no country
            return {"phone": f"This is not a number of {country}: a contact's number must be of its own "
                             f"country ({error.message})."}
        return refusal_errors("contact", error, LABELS)
    except store.StaleChange:  # someone added the same contact a moment ago
        return {"name": "A contact with this name was added a moment ago: give this one another name."}
    except store.NotAllowed:
        raise Forbidden() from None
    return {}


@router.post("")
def save_new_contact(request: Request, db: SessionDep, staff: ContentStaff,
                     form: Annotated[dict[str, str], Depends(_sent_form)]):
    editor = _editor_who_adds(staff)
    items = store.current_items(db)
    errors = _propose(db, editor, form, items)
    if errors:
        values = new_contact.values({**form, "country": editor.society or form.get("country", "")})
        return _page(request, staff, editor, items, values, errors, status_code=422)
    return RedirectResponse("/staff/content/mine?done=contact", status_code=303)
