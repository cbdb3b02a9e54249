"""/staff/history/<item path>: every version of one item, newest first, who wrote and who
approved it, the diff from the version before, and "restore": a new draft holding an old
version's content, reviewed like any change (versions only go forward)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Mapping

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from app.content.item_paths import is_item_path, item_kind, item_path
from sync_server.editor import store
from sync_server.editor.web.common import ContentStaff, audit_view, editor_of, pages
from sync_server.staff.web.deps import Forbidden, SessionDep, check_csrf

router = APIRouter(prefix="/staff/history", dependencies=[Depends(check_csrf)], include_in_schema=False)


@dataclass(frozen=True)
class VersionRow:
    version: store.ItemVersion
    diff: list[str]


def item_title(path: str, item: Mapping, items: Mapping[str, dict]) -> str:
    """A person's name for an item: its English title or name, else its id."""
    kind = item_kind(path)
    if kind == "text":
        article = items.get(item_path("text", str(item.get("article_id")), "en"), {})
        lang = path.split("/")[1]
        return f"{item.get('title') or article.get('title') or path} ({lang})"
    texts = item.get("texts") or {}
    english = texts.get("en") or {}
    return english.get("title") or english.get("name") or str(item.get("id") or path)


def edit_url(path: str, item: Mapping) -> str:
    kind = item_kind(path)
    if kind == "text":
        return f"/staff/content/article/{item.get('article_id')}?lang={path.split('/')[1]}"
    return f"/staff/content/{kind}/{item.get('id')}"


def _allowed_history(db, staff, path: str) -> list[store.ItemVersion] | None:
    """The versions of path, or None when there is no such item; Forbidden when not theirs."""
    if not is_item_path(path):
        return None
    versions = store.history(db, path)
    if not versions:
        return None
    items = store.current_items(db)
    newest = next((v.item for v in versions if v.item is not None), None)
    if not store.may_edit(editor_of(staff), path, versions[0].item or newest, items):
        raise Forbidden()
    return versions


@router.get("/{path:path}")
def item_history(request: Request, path: str, db: SessionDep, staff: ContentStaff):
    versions = _allowed_history(db, staff, path)
    if versions is None:
        return pages.render(request, "editor_not_found.html", staff=staff, status_code=404)
    rows = [VersionRow(v, store.item_diff(versions[i + 1].item if i + 1 < len(versions) else None, v.item))
            for i, v in enumerate(versions)]
    newest = next(v.item for v in versions if v.item is not None)
    audit_view(db, staff, "content_history_view", path)
    return pages.render(request, "history.html", {
        "path": path, "versions": rows, "title": item_title(path, newest, store.current_items(db)),
        "edit_url": edit_url(path, newest), "done": request.query_params.get("done"),
        "error": request.query_params.get("error")}, staff=staff)


@router.post("/{path:path}/restore")
def restore(request: Request, path: str, db: SessionDep, staff: ContentStaff, version: Annotated[int, Form()]):
    if _allowed_history(db, staff, path) is None:
        return pages.render(request, "editor_not_found.html", staff=staff, status_code=404)
    try:
        store.restore(db, editor_of(staff), path, version)
    except store.NotAllowed:
        raise Forbidden() from None
    except (store.EditRefused, store.StaleChange):
        return RedirectResponse(f"/staff/history/{path}?error=restore", status_code=303)
    return RedirectResponse(f"/staff/history/{path}?done=restored", status_code=303)
