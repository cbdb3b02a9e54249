"""/staff/content/: the lists of content an editor may change, and the edit forms of article
texts (with the phone's preview), contacts and emergency notices.

Saving proposes a draft through the content store; a draft is published only after a second
staff member approves it (/staff/review/). A refused form comes back with what was typed and
each problem next to its field; nothing is saved.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from app.content.item_paths import item_path
from sync_server.editor import store
from sync_server.editor.web import forms, kinds
from sync_server.editor.web.common import ContentStaff, audit_view, editor_of, pages, refusal_errors
from sync_server.editor.validation import check_candidate
from sync_server.editor.web.preview import render_preview
from sync_server.staff.models import Role
from sync_server.staff.web.deps import Forbidden, SessionDep, check_csrf

router = APIRouter(prefix="/staff/content", dependencies=[Depends(check_csrf)], include_in_schema=False)

LIMITS = {"line": forms.LINE_MAX, "body": forms.BODY_MAX, "note": forms.NOTE_MAX, "source": forms.SOURCE_MAX,
          "notice_body": forms.NOTICE_BODY_MAX}
TEXT_LABELS = {"title": "Title", "summary": "Summary", "body": "Text of the article"}
CONTACT_LABELS = {"name": "Name", "phone": "Phone number", "short_number": "Short number", "website": "Website",
                  "source": "Source", "verified_on": "Checked on", "note": "Note", "services": "Services",
                  "country": "Country"}
NOTICE_LABELS = {"id": "Short name", "countries": "Countries", "severity": "How serious", "starts": "First day",
                 "ends": "Last day", "extra_lang": "Language", "title_extra": "Title in that language",
                 "body_extra": "What people should know, in that language"}
SEVERITIES = {"info": "Information", "warning": "Warning", "danger": "Danger"}
STALE = "Someone else's change to this item was published after you opened it. What you typed is below: open the item again to see the new version, then make your change again."


async def sent_form(request: Request) -> dict[str, str]:
    """The posted form's text fields (check_csrf has parsed it already)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


SentForm = Annotated[dict[str, str], Depends(sent_form)]


class NotFoundPage(Exception):
    """No such item (or language): the page answers 404."""


def _not_found(request: Request, staff):
    return pages.render(request, "editor_not_found.html", staff=staff, status_code=404)


def _base_version(form: dict[str, str]) -> int:
    value = form.get("base_version", "0")
    return int(value) if value.isdigit() else 0


def _version(db, path: str) -> int:
    now = store.current(db, path)
    return now.version if now else 0


def _waiting(db, editor: store.Editor, path: str):
    return next((change for change in store.pending(db, editor) if change.path == path), None)


def _saved(url: str, change: store.Change) -> RedirectResponse:
    done = "approved" if change.status == "approved" else "proposed"
    joiner = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{joiner}done={done}", status_code=303)


def _propose(db, staff, path: str, make_item, form: dict[str, str], kind: str, labels: dict[str, str]):
    """(change, errors): the draft proposed, or why not. NotAllowed is a 403, never a form error."""
    try:
        item = make_item()
        return store.propose(db, editor_of(staff), path, item, base_version=_base_version(form)), {}
    except forms.FieldError as error:
        return None, {error.field: error.message}
    except store.EditRefused as error:
        return None, refusal_errors(kind, error, labels)
    except store.StaleChange:
        return None, {"stale": STALE}
    except store.NotAllowed:
        raise Forbidden() from None


# ---- lists ------------------------------------------------------------------------------------

@router.get("")
def content_home(request: Request, db: SessionDep, staff: ContentStaff):
    editor = editor_of(staff)
    items = store.current_items(db)
    counts = {kind.slug: len(kinds.rows(kind, editor, items)) for kind in kinds.LISTS}
    audit_view(db, staff, "content_home_view")
    return pages.render(request, "content_home.html", {
        "kinds": kinds.LISTS, "counts": counts, "scope": editor.society, "waiting": len(store.pending(db, editor)),
        "may_add_contact": editor.role in (Role.editor, Role.admin)},
        staff=staff)


@router.get("/{slug}")
def content_list(request: Request, slug: str, db: SessionDep, staff: ContentStaff):
    kind = kinds.BY_SLUG.get(slug)
    if kind is None:
        return _not_found(request, staff)
    rows = kinds.rows(kind, editor_of(staff), store.current_items(db))  # a reviewer opens texts in their language
    audit_view(db, staff, "content_list_view", slug)
    return pages.render(request, "content_list.html", {"kind": kind, "rows": rows}, staff=staff)


# ---- article texts ------------------------------------------------------------------------------

def _text_context(db, staff, article_id: str, lang: str) -> dict:
    """What the text edit page needs; NotFoundPage / Forbidden when it is not there or not theirs."""
    items = store.current_items(db)
    article = items.get(item_path("article", article_id))
    if article is None or lang not in kinds.languages(items):
        raise NotFoundPage()
    path = item_path("text", article_id, lang)
    text = items.get(path)
    editor = editor_of(staff)
    if not store.may_edit(editor, path, text or {"article_id": article_id}, items):
        raise Forbidden()
    english = items.get(item_path("text", article_id, "en"), {})
    back = next(kind for kind in kinds.LISTS if kind.holds(item_path("article", article_id), article))
    return {"article_id": article_id, "lang": lang, "path": path, "text": text, "back": back,
            "heading": english.get("title") or article_id, "languages": kinds.languages(items),
            "written": {code for code in kinds.languages(items) if item_path("text", article_id, code) in items},
            "version": _version(db, path), "waiting": _waiting(db, editor, path), "labels": TEXT_LABELS,
            "limits": LIMITS, "errors": {}}


def _text_page(request: Request, staff, context: dict, values: dict[str, str], status_code: int = 200):
    context = {**context, "values": values, "preview": render_preview(values.get("body", "")),
               "done": request.query_params.get("done")}
    return pages.render(request, "edit_text.html", context, staff=staff, status_code=status_code)


@router.get("/article/{article_id}")
def edit_text(request: Request, article_id: str, db: SessionDep, staff: ContentStaff, lang: str = "en"):
    try:
        context = _text_context(db, staff, article_id, lang)
    except NotFoundPage:
        return _not_found(request, staff)
    audit_view(db, staff, "content_edit_view", context["path"])
    return _text_page(request, staff, context, forms.text_values(context["text"]))


@router.post("/article/{article_id}")
def save_text(request: Request, article_id: str, db: SessionDep, staff: ContentStaff, form: SentForm,
              lang: str = "en"):
    try:
        context = _text_context(db, staff, article_id, lang)
    except NotFoundPage:
        return _not_found(request, staff)
    values = {name: form.get(name, "") for name in TEXT_LABELS}
    if form.get("action") == "preview":
        return _text_page(request, staff, context, values)
    change, errors = _propose(db, staff, context["path"],
                              lambda: forms.text_from_form(context["text"], article_id, lang, form),
                              form, "text", TEXT_LABELS)
    if errors:
        return _text_page(request, staff, {**context, "errors": errors}, values, status_code=422)
    return _saved(f"/staff/content/article/{article_id}?lang={lang}", change)


# ---- contacts -----------------------------------------------------------------------------------

def _contact_context(db, staff, contact_id: str) -> dict:
    items = store.current_items(db)
    path = item_path("contact", contact_id)
    contact = items.get(path)
    if contact is None:
        raise NotFoundPage()
    editor = editor_of(staff)
    if not store.may_edit(editor, path, contact, items):
        raise Forbidden()
    return {"contact": contact, "path": path, "heading": forms.contact_values(contact)["name"] or contact_id,
            "version": _version(db, path), "waiting": _waiting(db, editor, path), "labels": CONTACT_LABELS,
            "limits": LIMITS, "errors": {}}


def _contact_page(request: Request, staff, context: dict, values: dict[str, str], status_code: int = 200):
    context = {**context, "values": values, "done": request.query_params.get("done")}
    return pages.render(request, "edit_contact.html", context, staff=staff, status_code=status_code)


@router.get("/contact/{contact_id}")
def edit_contact(request: Request, contact_id: str, db: SessionDep, staff: ContentStaff):
    try:
        context = _contact_context(db, staff, contact_id)
    except NotFoundPage:
        return _not_found(request, staff)
    audit_view(db, staff, "content_edit_view", context["path"])
    return _contact_page(request, staff, context, forms.contact_values(context["contact"]))


def _check_contact(context: dict, form: dict[str, str], items: dict[str, dict]) -> dict[str, str]:
    """The errors the contact as typed would get, found with the store's own rules, saving nothing."""
    try:
        check_candidate(items, context["path"], forms.contact_from_form(context["contact"], form))
    except forms.FieldError as error:
        return {error.field: error.message}
    except store.EditRefused as error:
        return refusal_errors("contact", error, CONTACT_LABELS)
    return {}


@router.post("/contact/{contact_id}")
def save_contact(request: Request, contact_id: str, db: SessionDep, staff: ContentStaff, form: SentForm):
    try:
        context = _contact_context(db, staff, contact_id)
    except NotFoundPage:
        return _not_found(request, staff)
    values = {name: form.get(name, "") for name in CONTACT_LABELS}
    if form.get("action") == "check":  # the numbers checked now (phonenumbers), nothing saved
        errors = _check_contact(context, form, store.current_items(db))
        return _contact_page(request, staff, {**context, "errors": errors, "checked": not errors}, values,
                             status_code=422 if errors else 200)
    change, errors = _propose(db, staff, context["path"], lambda: forms.contact_from_form(context["contact"], form),
                              form, "contact", CONTACT_LABELS)
    if errors:
        return _contact_page(request, staff, {**context, "errors": errors}, values, status_code=422)
    return _saved(f"/staff/content/contact/{contact_id}", change)


# ---- notices ------------------------------------------------------------------------------------

def _notice_context(db, staff, notice_id: str | None) -> dict:
    items = store.current_items(db)
    notice, path = None, None
    if notice_id is not None:
        path = item_path("notice", notice_id)
        notice = items.get(path)
        if notice is None:
            raise NotFoundPage()
        if not store.may_edit(editor_of(staff), path, notice, items):
            raise Forbidden()
    return {"notice": notice, "path": path, "items": items, "severities": SEVERITIES,
            "heading": forms.notice_values(notice).get("title_en") or notice_id,
            "version": _version(db, path) if path else 0,
            "waiting": _waiting(db, editor_of(staff), path) if path else None,
            "scope": editor_of(staff).society, "limits": LIMITS, "errors": {}}


def _notice_page(request: Request, staff, context: dict, values: dict[str, str], status_code: int = 200):
    shown = forms.notice_languages(values)
    labels = {**NOTICE_LABELS, **{f"title_{lang}": f"Title ({lang})" for lang in shown},
              **{f"body_{lang}": f"What people should know ({lang})" for lang in shown}}
    context = {**context, "values": values, "labels": labels, "notice_languages": shown,
               "other_languages": [code for code in kinds.languages(context["items"]) if code not in shown],
               "done": request.query_params.get("done")}
    return pages.render(request, "edit_notice.html", context, staff=staff, status_code=status_code)


def _save_notice(request: Request, db, staff, context: dict, form: dict[str, str]):
    notice = context["notice"]
    languages = set(kinds.languages(context["items"]))
    path = context["path"] or item_path("notice", form.get("id", "").strip() or "new")
    if notice is None and path in context["items"]:
        errors = {"id": "A notice with this short name exists already: choose another."}
        change = None
    else:
        labels = {**NOTICE_LABELS, **{f"{field}_{lang}": field for field in ("title", "body") for lang in languages}}
        try:
            change, errors = _propose(db, staff, path, lambda: forms.notice_from_form(notice, form, languages),
                                      form, "notice", labels)
        except Forbidden:
            if editor_of(staff).role != Role.editor:
                raise
            # An editor's notice may be for other countries too, never without their own.
            change, errors = None, {"countries": f"The countries must include {staff.account.society}, "
                                                 "your Society's country."}
    if errors:
        values = {**forms.notice_values(notice), **form}
        return _notice_page(request, staff, {**context, "errors": errors}, values, status_code=422)
    return _saved(f"/staff/content/notice/{change.item['id']}", change)


@router.get("/notice/new")
def new_notice(request: Request, db: SessionDep, staff: ContentStaff):
    context = _notice_context(db, staff, None)
    values = forms.notice_values({"countries": [staff.account.society]} if editor_of(staff).society else None)
    return _notice_page(request, staff, context, values)


@router.post("/notice/new")
def save_new_notice(request: Request, db: SessionDep, staff: ContentStaff, form: SentForm):
    return _save_notice(request, db, staff, _notice_context(db, staff, None), form)


@router.get("/notice/{notice_id}")
def edit_notice(request: Request, notice_id: str, db: SessionDep, staff: ContentStaff):
    try:
        context = _notice_context(db, staff, notice_id)
    except NotFoundPage:
        return _not_found(request, staff)
    audit_view(db, staff, "content_edit_view", context["path"])
    return _notice_page(request, staff, context, forms.notice_values(context["notice"]))


@router.post("/notice/{notice_id}")
def save_notice(request: Request, notice_id: str, db: SessionDep, staff: ContentStaff, form: SentForm):
    try:
        context = _notice_context(db, staff, notice_id)
    except NotFoundPage:
        return _not_found(request, staff)
    return _save_notice(request, db, staff, context, form)
