"""Ask the Red Cross for help: the three forms, each field saying why it is asked, and consent.

The screen keeps what is typed in the session only; "Send" hands it to app/actions.py,
which checks it, seals it on the phone and keeps it until it can be sent. A field the
check refuses shows the reason under it, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import flet as ft

from app.content.dto import CountryOption
from app.i18n import _
from app.views.choices import choice_list
from app.views.common import TS, go_to, heading, list_tile, muted, navigate, screen, subheading, tagged, text, use_env
from app.views.pickers import country_picker

KINDS = ("tracing", "contact-me", "safe")
COUNTRY_FIELDS = {"last_country", "home_country", "country"}
LONG_FIELDS = {"message"}
PHONE_FIELDS = {"requester_phone", "phone", "family_phone"}


# What the form's route loader hands the screen.
@dataclass(frozen=True)
class RequestFormData:
    kind: str | None  # None: not one of the three forms
    fields: tuple[str, ...] = ()  # in the order they are asked
    optional: frozenset[str] = frozenset()
    countries: tuple[CountryOption, ...] = ()
    defaults: dict | None = None  # countries already chosen in Settings


def form_titles() -> dict[str, str]:
    return {
        "tracing": _("Find my family member"),
        "contact-me": _("Please contact me"),
        "safe": _("I am safe"),
    }


def form_summaries() -> dict[str, str]:
    return {
        "tracing": _("You lost contact with a relative. The Red Cross can try to find them."),
        "contact-me": _("You need help. Someone from the Red Cross or Red Crescent will contact you."),
        "safe": _("After a disaster, send your family a short message that you are safe."),
    }


def field_words() -> dict[str, tuple[str, str]]:
    """(label, why it is asked) for every field of every form."""
    your_phone = (_("Your phone number, with + and the country code"), _("So the Red Cross can call you back."))
    return {
        "sought_name": (_("Name of the person you are looking for"), _("So the Red Cross knows who to look for.")),
        "relationship": (_("How are you related? For example: my brother"),
                         _("Tracing is for families. This helps the Red Cross understand your request.")),
        "last_country": (_("Country where they were last"), _("The Red Cross there can help look.")),
        "last_city": (_("Town or city where they were last"), _("It helps to narrow the search.")),
        "last_contact_date": (_("When did you last hear from them? Year-month-day, if you know"),
                              _("It helps to know how long it has been.")),
        "employer_or_agency": (_("Their employer or recruitment agency, if you know"),
                               _("They may know where the person is.")),
        "requester_name": (_("Your name"), _("So the Red Cross knows who is asking.")),
        "requester_phone": your_phone,
        "home_country": (_("Your home country"), _("The Red Cross in your home country will handle this.")),
        "help_kind": (_("What do you need help with?"), _("So the right person contacts you.")),
        "country": (_("Country where you are now"), _("The Red Cross or Red Crescent there will get your request.")),
        "city": (_("Town or city where you are now"), _("So they know who is near you.")),
        "name": (_("Your name"), _("So they know it is you.")),
        "phone": your_phone,
        "safe_time": (_("When is it safe to call you?"),
                      _("If someone checks your phone, choose a time when you are alone.")),
        "trusted_person": (_("Someone we can call instead: name and number"),
                           _("A person you trust, if calling you is not safe.")),
        "family_phone": (_("Your family's phone number"), _("So the Red Cross can reach your family.")),
        "message": (_("Anything else that may help"), _("Write only what you are happy to share.")),
    }


def safe_message_words() -> tuple[str, str]:
    """In "I am safe" the message is the point of the form, not an extra."""
    return (_("A short message for your family"), _("Up to 500 characters. The Red Cross passes it on to them."))


def help_kind_words() -> list[tuple[str, str]]:
    return [
        ("work", _("Work or pay")),
        ("documents", _("Passport or documents")),
        ("health", _("Health")),
        ("violence", _("Violence or threats")),
        ("detention", _("Arrest or detention")),
        ("family", _("Family")),
        ("other", _("Something else")),
    ]


def consent_lines(kind: str) -> list[str]:
    lines = [
        _("The Red Cross uses what you write only to help you, and does not share it without your agreement."),
        _("Help never depends on working with the police or the authorities."),
        _("Asking is free and your choice. You can withdraw your request later."),
        _("Your request is locked on this phone so only the Red Cross can read it. "
          "It is deleted from the phone once it is sent."),
    ]
    if kind == "tracing":
        lines.insert(1, _("If the Red Cross finds the person, it asks them first before telling you anything."))
    return lines


def _field_control(name: str, data: RequestFormData, values: dict, error: str | None,
                   on_change: Callable[[str, object], None]) -> ft.Control:
    label, why = safe_message_words() if (data.kind, name) == ("safe", "message") else field_words()[name]
    if name not in data.optional:
        label = f"{label} *"
    if name in COUNTRY_FIELDS:
        picker = country_picker(list(data.countries), values.get(name), lambda code: on_change(name, code),
                                identifier=f"request-{name}", label=label)
        parts: list[ft.Control] = [picker, muted(why)]
        if error:
            parts.append(text(error, TS.BODY_SMALL, color=ft.Colors.ERROR))
        return ft.Column(parts, spacing=4, tight=True)
    if name == "help_kind":
        parts = [text(label, TS.TITLE_SMALL), muted(why),
                 choice_list("request-help-kind", help_kind_words(), values.get(name),
                             lambda key: on_change(name, key))]
        if error:
            parts.append(text(error, TS.BODY_SMALL, color=ft.Colors.ERROR))
        return ft.Column(parts, spacing=6, tight=True)
    field = ft.TextField(
        value=values.get(name, ""), label=label, helper=why, error=error,
        multiline=name in LONG_FIELDS, min_lines=1, max_lines=5 if name in LONG_FIELDS else 1,
        keyboard_type=ft.KeyboardType.PHONE if name in PHONE_FIELDS else None, key=f"field-{name}",
        on_change=lambda e: on_change(name, e.control.value or ""),
    )
    return tagged(f"request-{name}", field)


@ft.component
def RequestFormScreen() -> ft.View:
    route = ft.use_view_path()
    env = use_env()
    data: RequestFormData = ft.use_route_loader_data()
    values = ft.use_ref(None)
    errors, set_errors = ft.use_state({})
    _picked, set_picked = ft.use_state(0)
    if data.kind is None:
        return screen(route, heading(_("This page could not be found."), identifier="not-found"))
    if values.current is None:
        values.current = dict(data.defaults or {})

    def change(name: str, value: object) -> None:
        values.current[name] = value
        if name in errors:  # the person is fixing it: the old message goes
            set_errors({field: words for field, words in errors.items() if field != name})
        if name in COUNTRY_FIELDS or name in ("help_kind", "consent"):
            set_picked(_picked + 1)  # a pick shows at once

    async def send() -> None:
        page = ft.context.page
        problems = env.actions.save_help_request(data.kind, dict(values.current))
        if problems:
            set_errors(problems)
            page.show_dialog(ft.SnackBar(ft.Text(_("Please check the fields marked in red.")), duration=4000))
            return
        values.current = {}
        page.show_dialog(ft.SnackBar(ft.Text(_("Your request is saved. It will be sent when you are online.")),
                                     duration=4000))
        await page.push_route("/help/requests")

    rows: list[ft.Control] = [heading(form_titles()[data.kind], identifier="request-form-title"),
                              text(form_summaries()[data.kind]),
                              muted(_("Fields marked * are needed. The others are optional."))]
    rows += [_field_control(name, data, values.current, errors.get(name), change) for name in data.fields
             if name != "consent"]
    rows.append(subheading(_("Before you send"), identifier="request-consent-title"))
    rows += [text(f"• {line}") for line in consent_lines(data.kind)]
    agree = _("I understand and I agree to send this to the Red Cross.")
    agreed = bool(values.current.get("consent"))
    # The words beside the box wrap on a narrow phone (a checkbox's own label stays on one
    # line and is cut); tapping them ticks the box too.
    rows.append(ft.Row([
        tagged("request-consent", ft.Checkbox(value=agreed, semantics_label=agree, error="consent" in errors,
                                              on_change=lambda e: change("consent", bool(e.control.value)))),
        ft.Container(text(agree, TS.BODY_LARGE), expand=True, on_click=lambda: change("consent", not agreed)),
    ], spacing=4))
    if "consent" in errors:
        rows.append(text(errors["consent"], TS.BODY_SMALL, color=ft.Colors.ERROR))
    rows.append(tagged("request-send", ft.FilledButton(_("Send my request"), icon=ft.Icons.SEND,
                                                       on_click=send)))
    return screen(route, *rows, title=form_titles()[data.kind])


@ft.component
def HelpScreen() -> ft.View:
    route = ft.use_view_path()
    titles, summaries = form_titles(), form_summaries()
    icons = {"tracing": ft.Icons.PERSON_SEARCH, "contact-me": ft.Icons.PHONE_CALLBACK, "safe": ft.Icons.FAVORITE}
    rows: list[ft.Control] = [heading(_("Ask the Red Cross for help"), identifier="help-title"),
                              text(_("You can fill in a form without internet. It is sent when you are online."))]
    rows += [list_tile(f"help-{kind}", titles[kind], summaries[kind], leading=icons[kind],
                       on_click=go_to(f"/help/{kind}")) for kind in KINDS]
    rows += [subheading(_("My requests"), identifier="help-mine-title"),
             list_tile("help-mine", _("My requests"), _("See what happened to the requests you sent."),
                       leading=ft.Icons.INBOX, on_click=lambda: navigate("/help/requests"))]
    return screen(route, *rows, title=_("Ask the Red Cross for help"))
