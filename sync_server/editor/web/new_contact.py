"""A new contact from the "Add a contact" form: its id and the item, in exactly the shape
app/content/source.py reads from contacts/<CC>.yaml (so `content export` writes it back as is).

Pure functions on dicts, no database and no HTTP. The numbers, website, source and checked date
are read as on the edit form (forms.contact_from_form); the store checks the whole item with the
rules `make bundle` applies. Emergency numbers are not offered here: adding
one stays an admin's job.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping

from sync_server.editor.web import forms
from sync_server.editor.web.forms import FieldError

NEW_KINDS = {"national_society": "National Society", "hotline": "Hotline",
             "rfl": "Family tracing (Restoring Family Links)", "embassy": "Embassy or consulate"}
SLUG_MAX = 48
COUNTRY = re.compile(r"[A-Z]{2}")


def slug(name: str) -> str:
    """"Nepal Red Cross Society (Kathmandu)" → "nepal-red-cross-society-kathmandu"; accents dropped."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:SLUG_MAX].rstrip("-")


def contact_id(country: str, name: str) -> str:
    """The new contact's id: `<cc>-<slug of its English name>`."""
    name_slug = slug(name)
    if not name_slug:
        raise FieldError("name", "Write the English name with letters a to z, so the contact gets a readable id.")
    return f"{country.lower()}-{name_slug}"


def new_contact(form: Mapping[str, str], country: str, taken: set[str]) -> dict:
    """The contact item the form makes for `country`; `taken` are the ids that exist already."""
    kind = form.get("kind") or ""
    if kind not in NEW_KINDS:
        raise FieldError("kind", "Choose what kind of contact this is.")
    name = (form.get("name") or "").strip()
    if not name:
        raise FieldError("name", "Enter the name.")
    item_id = contact_id(country, name)
    if item_id in taken:
        raise FieldError("name", f"A contact with this name exists already ({item_id}): edit that one from "
                                 "the list of contacts, or give this one another name.")
    # The keys in the order source.py makes them; contact_from_form fills each in place.
    base: dict = {"id": item_id, "country": country, "kind": kind, "phone": None, "short_number": None,
                  "website": None, "source": "", "verified_on": ""}
    if kind == "embassy":
        whose = (form.get("for_country") or "").strip().upper()
        if not COUNTRY.fullmatch(whose) or whose == country:
            raise FieldError("for_country", "Enter the two-letter code of the country whose embassy this is, "
                                            f"e.g. NP (not {country}).")
        base["for_country"] = whose
    base.update({"updated_at": "", "texts": {}})
    item = forms.contact_from_form(base, form)
    if not (item["phone"] or item["short_number"] or item["website"]):
        raise FieldError("phone", "Enter a phone number, a short number or a website: how people reach them.")
    return item


def values(form: Mapping[str, str]) -> dict[str, str]:
    """The form's fields as typed, to show them again."""
    names = ("country", "kind", "for_country", "name", "phone", "short_number", "website", "source",
             "verified_on", "note")
    return {name: form.get(name, "") for name in names}
