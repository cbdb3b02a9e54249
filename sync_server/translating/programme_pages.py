"""/staff/programmes: the network's programme directory, readable by every staff member — each
National Society's migration programmes in one page, searched by words and country."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from sync_server.staff.web.deps import SessionDep, check_csrf
from sync_server.translating import directory
from sync_server.translating.web import AnyStaff, items, render

router = APIRouter(prefix="/staff/programmes", dependencies=[Depends(check_csrf)], include_in_schema=False)


@router.get("")
def programmes(request: Request, db: SessionDep, staff: AnyStaff,
               q: Annotated[str, Query(max_length=200)] = "", country: Annotated[str, Query(max_length=2)] = ""):
    every = directory.programmes(items(db))
    countries = sorted({pair for programme in every for pair in programme.countries}, key=lambda pair: pair[1])
    found = directory.search(every, words=q, country=country.upper())
    return render(request, "programmes.html", {
        "programmes": found, "total": len(every), "q": q, "country": country.upper(), "countries": countries,
    }, staff=staff)
