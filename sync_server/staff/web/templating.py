"""Jinja2 page rendering shared by every /staff/ page (autoescaped HTML, no JavaScript)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from fastapi import Request
from starlette.templating import Jinja2Templates

from sync_server.staff.sessions import CurrentStaff

STAFF_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STAFF_STATIC = Path(__file__).resolve().parent.parent / "static"


class Pages:
    """Templates from the given folders, then the shared staff ones (base.html and friends)."""

    def __init__(self, *folders: Path) -> None:
        self._templates = Jinja2Templates(directory=[*folders, STAFF_TEMPLATES])

    def render(self, request: Request, name: str, context: Mapping[str, Any] | None = None, *,
               staff: CurrentStaff | None = None, status_code: int = 200,
               headers: Mapping[str, str] | None = None):
        values = {"staff": staff, "csrf_token": staff.session.csrf_token if staff else None, **(context or {})}
        return self._templates.TemplateResponse(request, name, values, status_code=status_code, headers=headers)
