"""Which contacts a guide ends with, so that no guide is a dead end.

A guide names the kinds of contact it sends people to ("contact your embassy", "the Red
Cross can find your relative"). It ends with those contacts for the country the guide is
about, or else for where the person is and for their country of origin; an embassy only if it is
their own country's; every kind asked for that has no checked contact there is named as
`missing`, so the screen can say what to do instead. Pure: the caller reads the contacts.
"""

from __future__ import annotations

from typing import Callable

from app.content.dto import ArticleDetail, ContactCard, ContactGroup

# Kinds worth showing for the person's country of origin while they are elsewhere: an
# emergency number or a foreign embassy there would only mislead.
FROM_HOME_KINDS = ("national_society", "rfl", "hotline")
# Kinds we tell people what to do about when a country has none checked. Every country
# has emergency numbers; first-aid pages say so themselves when one is missing.
NEXT_STEP_KINDS = ("embassy", "hotline", "rfl", "national_society")
# From home, only the Red Cross and its family tracing are worth a next step.
FROM_HOME_NEXT_STEPS = ("rfl", "national_society")


def _for_reader(contact: ContactCard, origin: str | None) -> bool:
    """An embassy is shown only to its own nationals (to everyone while the origin is unknown)."""
    return contact.kind != "embassy" or origin is None or contact.for_country == origin


def _group(country: str, kinds: tuple[str, ...], next_steps: tuple[str, ...], contacts: list[ContactCard],
           no_society: Callable[[str], str | None], origin: str | None) -> ContactGroup | None:
    chosen = [c for c in contacts if c.kind in kinds and _for_reader(c, origin)]
    have = {c.kind for c in chosen}
    missing = tuple(k for k in kinds if k in next_steps and k not in have)
    society_words = no_society(country) if "national_society" in missing else None
    if not chosen and not missing:
        return None
    return ContactGroup(country=country, contacts=chosen, missing=missing, no_national_society=society_words)


def guide_contact_groups(article: ArticleDetail, *, where: str | None, origin: str | None,
                         contacts_of: Callable[[str], list[ContactCard]],
                         no_society: Callable[[str], str | None]) -> list[ContactGroup]:
    """The contact groups `article` ends with, the country it is about (or where the person is) first."""
    kinds = article.contact_kinds
    if not kinds:
        return []
    if article.countries:
        places = [(c, kinds, NEXT_STEP_KINDS) for c in article.countries]
    else:
        places = [(where, kinds, NEXT_STEP_KINDS)] if where else []
        if origin and origin != where and article.kind != "first_aid":
            places.append((origin, tuple(k for k in kinds if k in FROM_HOME_KINDS), FROM_HOME_NEXT_STEPS))
    groups = [_group(country, wanted, steps, contacts_of(country), no_society, origin)
              for country, wanted, steps in places if wanted]
    return [g for g in groups if g is not None]
