"""Contacts for one country: emergency numbers first, then the National Society, tracing
(RFL), hotlines and embassies. Pick another country from the list. Works offline: every
contact is part of the installed content, with the date it was last checked."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.dto import ContactCard, CountryOption
from app.i18n import _
from app.locale_data import country_name, format_phone_for_display
from app.views.common import (
    TS,
    call_button,
    copy_button,
    heading,
    long_date,
    muted,
    navigate,
    screen,
    tagged,
    text,
    use_screen_route,
    use_state_context,
)
from app.views.pickers import country_picker


# What the contacts route loader hands the screen: every country's contacts (a few dozen rows).
@dataclass(frozen=True)
class ContactsData:
    countries: list[CountryOption]
    contacts: dict[str, list[ContactCard]]  # by country code, emergency numbers first
    current: str | None  # where the person is


def kind_label(kind: str) -> str:
    labels = {
        "emergency": _("Emergency number"),
        "national_society": _("Red Cross / Red Crescent"),
        "rfl": _("Finding family (Restoring Family Links)"),
        "hotline": _("Hotline"),
        "embassy": _("Embassy or consulate"),
    }
    return labels.get(kind, kind)


def note_words(contact: ContactCard, lang: str) -> str | None:
    """How to reach the contact, in the reader's language.

    A note not yet translated is never shown in place of the reader's language: a contact
    without a number says so and what to do instead, in the reader's words."""
    if contact.note_lang == lang:
        return contact.note or None
    if contact.kind == "rfl":
        return _("To find a relative you lost contact with, ask the Red Cross or Red Crescent for its "
                 "Restoring Family Links service. If there is none where you are, ask the one in your "
                 "home country. The service is free.")
    if contact.tel or contact.dial_only_in:
        return None  # the number and its Call button (or where it works from) say it all
    if contact.kind == "national_society":
        return _("We do not have a checked phone number for it yet. Ask at a local Red Cross or Red Crescent "
                 "office, a hospital or a community centre.")
    return _("We do not have a checked phone number for it yet.")


def only_from_words(country: str, lang: str) -> str:
    """Where a short number can be dialled from, said under it in place of a Call button."""
    # Translators: under a short phone number that rings only on a phone inside one country (there
    # is no Call button); {country} is that country's name, e.g. Philippines.
    return _("Only from a phone in {country}").format(country=country_name(country, lang))


def source_words(contact: ContactCard, lang: str) -> str:
    """Where the contact comes from and when it was checked, in plain words: how far to trust it."""
    words = {
        # Translators: {date} is when someone last checked this phone number or address on that source.
        "national_society": _("From the Red Cross or Red Crescent itself, checked on {date}"),
        "ifrc_icrc": _("From the IFRC or the ICRC, checked on {date}"),
        "government": _("From a government website, checked on {date}"),
        "news": _("From news reports, checked on {date}"),
        "number_data": _("From public phone number data, checked on {date}"),
    }.get(contact.source_kind, _("From a public web page, checked on {date}"))
    return words.format(date=long_date(contact.verified_on, lang))


def ask_button(contact: ContactCard) -> ft.Control | None:
    """A way to reach the Red Cross through the app itself, where the card alone may not be enough:
    tracing asks for the family form; a Society with no number or website offers "Please contact me"."""
    if contact.kind == "rfl":
        label, icon, route = _("Ask the Red Cross to find your family"), ft.Icons.PERSON_SEARCH, "/help/tracing"
    elif contact.kind == "national_society" and not contact.tel and not contact.website:
        label, icon, route = _("Please contact me"), ft.Icons.SUPPORT_AGENT, "/help/contact-me"
    else:
        return None
    return tagged(f"ask-{contact.id}", ft.OutlinedButton(label, icon=icon,
                                                         on_click=lambda: navigate(route)))


def note_in_english(contact: ContactCard) -> ft.Control:
    """The untranslated note, folded away: opened only by someone who reads English."""
    return tagged(f"note-english-{contact.id}", ft.ExpansionTile(
        title=text(_("More about this contact, in English"), TS.LABEL_LARGE),
        controls=[ft.Container(text(contact.note), padding=ft.Padding.only(bottom=8))],
        tile_padding=ft.Padding.all(0),
        controls_padding=ft.Padding.all(0),
        expanded_cross_axis_alignment=ft.CrossAxisAlignment.START,
    ))


def checked_words(contact: ContactCard, lang: str) -> str:
    """When the contact was last checked, and by which National Society's staff if one confirmed it."""
    when = long_date(contact.verified_on, lang)
    if contact.checked_by:
        # Translators: {society} is a Red Cross or Red Crescent National Society whose staff checked
        # this phone number; {date} is the day they checked it.
        return _("Checked by {society} on {date}").format(society=contact.checked_by, date=when)
    # Translators: {date} is when someone last checked this phone number or address.
    return _("Checked on {date}").format(date=when)


def contact_card(contact: ContactCard, lang: str) -> ft.Control:
    """One contact: what it is, the number (if there is one), how to reach it, when it was checked.

    Many contacts have no checked phone number: then the note says how to reach them, and
    no number is ever made up.
    """
    rows: list[ft.Control] = [
        text(kind_label(contact.kind), TS.LABEL_LARGE, color=ft.Colors.PRIMARY, weight=ft.FontWeight.BOLD),
        text(contact.name, TS.TITLE_SMALL, weight=ft.FontWeight.BOLD),
    ]
    if contact.tel or contact.dial_only_in:
        # Not selectable: a selectable text is read as a disabled text field; Copy is the button below.
        rows.append(text(format_phone_for_display(contact.dial), TS.TITLE_LARGE, weight=ft.FontWeight.BOLD))
    if contact.dial_only_in:  # a short number that does not ring from where the person is: no Call
        rows.append(tagged(f"dial-only-in-{contact.id}", text(only_from_words(contact.dial_only_in, lang),
                                                              weight=ft.FontWeight.BOLD)))
    words = note_words(contact, lang)
    if words:
        rows.append(tagged(f"note-{contact.id}", text(words)))
    if contact.note and contact.note_lang != lang:
        rows.append(note_in_english(contact))
    buttons: list[ft.Control] = []
    if contact.tel:
        # Emergency numbers say which service answers them ("Call 999 — police").
        buttons.append(call_button(contact, identifier=f"call-{contact.id}", services=contact.services or None))
    if contact.tel or contact.dial_only_in:
        buttons.append(copy_button(contact.dial or "", identifier=f"copy-{contact.id}"))
    if contact.website:
        buttons.append(tagged(f"web-{contact.id}", ft.TextButton(
            _("Website"), icon=ft.Icons.OPEN_IN_NEW,
            action=ft.OpenUrl(contact.website, target=ft.UrlTarget.BLANK))))
    ask = ask_button(contact)
    if ask is not None:
        buttons.append(ask)
    if buttons:
        rows.append(ft.Row(buttons, wrap=True, spacing=8, run_spacing=8))
    rows.append(tagged(f"source-{contact.id}", muted(source_words(contact, lang))))
    if contact.checked_by:  # a National Society's own staff confirmed it: the strongest check, said too
        rows.append(tagged(f"checked-{contact.id}", muted(checked_words(contact, lang))))
    body = ft.Container(ft.Column(rows, spacing=6, tight=True), padding=16)
    return tagged(f"contact-{contact.id}", ft.Card(content=body, margin=0))


@ft.component
def ContactsScreen() -> ft.View:
    route = use_screen_route()
    data: ContactsData = ft.use_route_loader_data()
    shown, set_shown = ft.use_state(data.current)
    lang = use_state_context().lang
    country = shown or data.current
    rows: list[ft.Control] = [heading(_("Contacts"), identifier="contacts-title"),
                              country_picker(data.countries, country, set_shown, identifier="contacts-country",
                                             label=_("Country"))]
    if country is None:
        rows.append(muted(_("Choose a country to see its emergency numbers and Red Cross contacts."),
                          style=TS.BODY_MEDIUM))
    else:
        contacts = data.contacts.get(country, [])
        if not contacts:
            rows.append(muted(_("There are no checked contacts for this country yet."), style=TS.BODY_MEDIUM))
        rows += [contact_card(c, lang) for c in contacts]
        rows.append(muted(_("These contacts are saved on your phone and work without internet.")))
    return screen(route, *rows, title=_("Contacts"))

