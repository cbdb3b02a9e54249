"""/staff/translations: per language, how many articles are missing, unchecked or stale; each
language's queue; and one article side by side (English | translation), where a reviewer of
that language (or an admin) edits the translation and/or marks it reviewed. A saved text is a
change in the content store: it reaches phones once approved (by a second person where the
server asks for one) and published."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from app.content.item_paths import item_path
from app.content.schemas import SOURCE_LANGUAGE
from app.content.translation_state import TranslationState, text_item_state
from sync_server.editor import store
from sync_server.staff.web.deps import Forbidden, SessionDep, check_csrf
from sync_server.translating import queue as translation_queue
from sync_server.translating.web import ContentStaff, items, may_translate, not_found, render, version_of

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/staff/translations", dependencies=[Depends(check_csrf)], include_in_schema=False)

TITLE_MAX = 300
SUMMARY_MAX = 1_000
BODY_MAX = 200_000  # the content rules refuse far less; this only keeps a form post bounded
STATES = tuple(state.value for state in translation_queue.QUEUE_ORDER)


@router.get("")
def overview(request: Request, db: SessionDep, staff: ContentStaff):
    counts = translation_queue.language_counts(items(db))
    return render(request, "translations.html", {"counts": counts}, staff=staff)


@router.get("/{lang}")
def language_queue(request: Request, lang: str, db: SessionDep, staff: ContentStaff, state: str = ""):
    content = items(db)
    if lang not in translation_queue.languages(content):
        return not_found(request, staff)
    rows = translation_queue.queue(content, lang)
    shown = [row for row in rows if row.state == state] if state in STATES else \
        [row for row in rows if row.state != TranslationState.reviewed]
    return render(request, "translation_queue.html", {
        "lang": lang, "rows": shown, "state": state if state in STATES else "", "states": STATES,
        "total": len(rows), "may_translate": may_translate(staff, lang)}, staff=staff)


def _side_by_side(request: Request, db, staff, lang: str, article_id: str, *, draft: dict | None = None,
                  error: str | None = None, status_code: int = 200):
    content = items(db)
    english = content.get(item_path("text", article_id, SOURCE_LANGUAGE))
    if lang not in translation_queue.languages(content) or english is None:
        return not_found(request, staff)
    path = item_path("text", article_id, lang)
    translation = content.get(path)
    return render(request, "translation_edit.html", {
        "lang": lang, "article_id": article_id, "english": english, "translation": translation,
        "draft": draft or translation or {"title": "", "summary": "", "body": ""},
        "state": text_item_state(english, translation), "base_version": version_of(db, path),
        "may_translate": may_translate(staff, lang), "error": error,
        "done": request.query_params.get("done"),
    }, staff=staff, status_code=status_code)


@router.get("/{lang}/{article_id}")
def side_by_side(request: Request, lang: str, article_id: str, db: SessionDep, staff: ContentStaff):
    return _side_by_side(request, db, staff, lang, article_id)


def _draft(old: dict | None, article_id: str, lang: str, *, title: str, summary: str, body: str,
           reviewed: bool) -> dict:
    """The text item a save makes. It is dated now when its words change or a reviewer checks it
    (then it is no longer older than the English); otherwise it keeps its date (un-ticking
    "reviewed" alone changes only that)."""
    words = {"title": title.strip(), "summary": summary.strip(), "body": body.strip().replace("\r\n", "\n")}
    unchanged = old is not None and not reviewed and all(old.get(key) == value for key, value in words.items())
    when = old["updated_at"] if unchanged else datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return {"article_id": article_id, "lang": lang, **words, "reviewed": reviewed, "updated_at": when}


@router.post("/{lang}/{article_id}")
def save_translation(request: Request, lang: str, article_id: str, db: SessionDep, staff: ContentStaff,
                     title: Annotated[str, Form(max_length=TITLE_MAX)],
                     body: Annotated[str, Form(max_length=BODY_MAX)],
                     base_version: Annotated[int, Form(ge=0)],
                     summary: Annotated[str, Form(max_length=SUMMARY_MAX)] = "",
                     reviewed: Annotated[str, Form(max_length=8)] = ""):
    if not may_translate(staff, lang):
        raise Forbidden()
    content = items(db)
    if lang not in translation_queue.languages(content) or item_path("text", article_id, SOURCE_LANGUAGE) not in content:
        return not_found(request, staff)
    draft = _draft(content.get(item_path("text", article_id, lang)), article_id, lang, title=title, summary=summary,
                   body=body, reviewed=reviewed == "yes")
    note = "translation checked by a reviewer" if draft["reviewed"] else "translation edited"
    try:
        change = store.propose(db, store.editor_from_staff(staff), item_path("text", article_id, lang), draft,
                               base_version=base_version, note=note)
    except store.EditRefused as refused:
        return _side_by_side(request, db, staff, lang, article_id, draft=draft, status_code=400,
                             error=f"{refused.field}: {refused.message}")
    except store.StaleChange:
        return _side_by_side(request, db, staff, lang, article_id, draft=draft, status_code=409,
                             error="Someone changed this text since you opened it. Check the text below and save again.")
    except store.NotAllowed:
        raise Forbidden() from None
    logger.info("translation %s/%s saved as change %d (%s)", lang, article_id, change.id, change.status)
    done = "published" if change.status == "approved" else "pending"
    return RedirectResponse(f"/staff/translations/{lang}/{article_id}?done={done}", status_code=303)
