"""My requests: each request's status and date, never its contents; cancel one not sent yet."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import flet as ft

from app.i18n import _
from app.locale_data import long_date
from app.request_words import status_words
from app.views.common import TS, ask_first, heading, muted, navigate, screen, tagged, text, use_env, use_state_context
from app.views.help_requests import form_titles


# One request as the screen shows it (built by the route loader from the outbox).
@dataclass(frozen=True)
class RequestRow:
    id: str
    kind: str
    status: str  # waiting | sending | delivered | in_progress | closed | withdrawn
    problem: str | None  # the server could not open it
    receipt: str | None
    updated_at: datetime
    message: str | None  # from the caseworker, in their words

    @property
    def can_cancel(self) -> bool:
        return self.status == "waiting" or self.problem is not None

    @property
    def can_withdraw(self) -> bool:
        return self.receipt is not None and self.status in ("delivered", "in_progress")


# What the requests route loader hands the screen.
@dataclass(frozen=True)
class MyRequestsData:
    rows: list[RequestRow]


def confirm_withdraw(on_withdraw: Callable[[], None]) -> None:
    ask_first(title=_("Withdraw this request?"), body=_("The Red Cross stops working on it and deletes what you sent."),
              keep=("withdraw-keep", _("Keep it")), go=("withdraw-confirm", _("Withdraw")), on_go=on_withdraw,
              destructive=False)


def request_card(row: RequestRow, lang: str, on_cancel, on_withdraw) -> ft.Control:
    lines: list[ft.Control] = [
        text(form_titles().get(row.kind, row.kind), TS.TITLE_MEDIUM, weight=ft.FontWeight.BOLD),
        tagged(f"request-status-{row.id}", text(status_words(row.status, row.problem), TS.BODY_LARGE,
                                                 color=ft.Colors.ERROR if row.problem else None)),
        # Translators: {date} is when a help request last changed (sent, or its status changed).
        muted(_("Updated {date}").format(date=long_date(row.updated_at, lang))),
    ]
    if row.status == "waiting" and not row.problem:
        # Also after a try that could not reach the server: nothing left the phone, it is tried again.
        lines.append(tagged(f"request-waiting-{row.id}",
                            muted(_("Your request is saved. It will be sent when you are online."))))
    if row.receipt:
        # Translators: {code} is the receipt code the Red Cross gives a request, e.g. 7K2M-9QXA-4TBD-HW3R.
        lines.append(text(_("Your receipt code: {code}").format(code=row.receipt), TS.BODY_MEDIUM))
    if row.message:
        lines.append(text(_("Message from the Red Cross:"), TS.LABEL_LARGE))
        lines.append(text(row.message, TS.BODY_MEDIUM))
    if row.can_cancel:
        lines.append(tagged(f"request-cancel-{row.id}", ft.OutlinedButton(
            _("Cancel this request"), icon=ft.Icons.DELETE_OUTLINE, on_click=lambda: on_cancel(row.id))))
    if row.can_withdraw:
        lines.append(tagged(f"request-withdraw-{row.id}", ft.OutlinedButton(
            _("Withdraw this request"), icon=ft.Icons.UNDO,
            on_click=lambda: confirm_withdraw(lambda: on_withdraw(row.receipt)))))
    return tagged(f"request-{row.id}", ft.Card(ft.Container(ft.Column(lines, spacing=6, tight=True), padding=16),
                                               margin=0))


@ft.component
def MyRequestsScreen() -> ft.View:
    route = ft.use_view_path()
    env = use_env()
    state = use_state_context()
    data: MyRequestsData = ft.use_route_loader_data()

    def cancel(row_id: str) -> None:
        # Not cancelled when a send took it a moment ago: never say it was.
        words = (_("The request was cancelled.") if env.actions.cancel_help_request(row_id)
                 else _("This request is being sent right now. Try again in a moment."))
        ft.context.page.show_dialog(ft.SnackBar(ft.Text(words), duration=4000))

    def withdraw(receipt: str) -> None:
        page = ft.context.page

        async def run() -> None:
            outcome = await asyncio.to_thread(env.actions.withdraw_help_request, receipt)
            if outcome == "withdrawn":
                words, seconds = _("Your request was withdrawn."), 4
            elif outcome == "no_proof":
                # Translators: the person tried to withdraw a help request an older version of the app sent.
                words, seconds = _("This request was sent by an older version of the app, so it cannot be withdrawn "
                                   "from here. To withdraw it, contact the Red Cross and give them your receipt code."), 10
            else:
                words, seconds = _("The Red Cross could not be reached. Try again when you are online."), 4
            page.show_dialog(ft.SnackBar(ft.Text(words), duration=seconds * 1000))

        page.run_task(run)

    rows: list[ft.Control] = [heading(_("My requests"), identifier="my-requests-title")]
    if not data.rows:
        rows.append(tagged("my-requests-empty", muted(_("You have not sent any requests."), style=TS.BODY_MEDIUM)))
        rows.append(tagged("my-requests-ask", ft.FilledButton(_("Ask the Red Cross for help"),
                                                              on_click=lambda: navigate("/help"))))
    else:
        rows.append(muted(_("Only the status is kept on this phone. What you wrote is deleted once it is sent.")))
    rows += [request_card(row, state.lang, cancel, withdraw) for row in data.rows]
    return screen(route, *rows, title=_("My requests"))
