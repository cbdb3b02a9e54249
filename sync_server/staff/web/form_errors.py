"""One answer for every staff form FastAPI refuses before a route runs (a field too long, one
missing, not a number): a page in plain words naming each field and its limit, with the form
again and what was typed in it, never FastAPI's JSON (which repeats the whole text)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from sync_server.staff.web.limits import form_page

logger = logging.getLogger(__name__)

# What each form field is called on its page.
FIELD_LABELS = {
    "text": "Note", "message": "Short message the requester sees", "status": "New status",
    "answer": "The found person's answer", "to_society": "Society", "title": "Title", "summary": "Summary",
    "body": "Text", "reason": "Reason", "code": "Code", "email": "Email", "password": "Password",
    "base_version": "Version of the text", "version": "Version", "reviewed": "Reviewed",
}
# Never written back into a page.
SECRET_FIELDS = {"password"}


@dataclass(frozen=True)
class FieldError:
    name: str
    kind: str  # pydantic's error type: string_too_long, missing, …
    label: str
    words: str
    max_length: int | None = None  # set: the typed text is offered again to shorten


def field_errors(error: RequestValidationError, form) -> list[FieldError]:
    found: dict[str, FieldError] = {}
    for item in error.errors():
        loc = item.get("loc", ())
        if len(loc) < 2 or loc[0] != "body" or loc[1] in found:
            continue
        name = str(loc[1])
        label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
        limit = (item.get("ctx") or {}).get("max_length")
        if item.get("type") == "string_too_long" and limit is not None:
            typed = form.get(name)
            length = len(typed) if isinstance(typed, str) else 0
            found[name] = FieldError(name, item.get("type", ""), label, f"{label}: at most {limit:,} characters. Yours has {length:,}: "
                                     "shorten it, then save again.", limit if name not in SECRET_FIELDS else None)
        elif item.get("type") == "missing":
            found[name] = FieldError(name, item.get("type", ""), label, f"{label}: this is missing. Fill it in or choose one, then save again.")
        else:
            found[name] = FieldError(name, item.get("type", ""), label, f"{label}: this is not valid. Check it, then save again.")
    return list(found.values())


async def form_error_context(request: Request, error: RequestValidationError) -> dict:
    """What form_error.html shows: the errors, the form to send again (None when it cannot be:
    a field is missing, or it held a password) and the page the form was on."""
    form = await request.form()  # Starlette kept the form the route's parameters were read from
    errors = field_errors(error, form)
    # Field names and error types only: never what was typed.
    logger.info("refused a staff form: %s", ", ".join(f"{e.name} {e.kind}" for e in errors))
    address = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    again = all(e.max_length is not None for e in errors) and not SECRET_FIELDS & set(form.keys())
    kept = [(name, value) for name, value in form.multi_items()
            if isinstance(value, str) and name not in {e.name for e in errors}]
    typed = {e.name: form.get(e.name) for e in errors}
    return {"errors": errors, "again": again, "action": address, "kept": kept, "typed": typed,
            "back": form_page(address)}
