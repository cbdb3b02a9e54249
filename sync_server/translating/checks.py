"""Contact checks: a staff member who rang a number records it (the contact's `verified_on`
becomes today, `checked_by` their Society), and a report lists the contacts nobody has checked
for more than twelve months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from app.content.item_paths import item_kind, item_path
from app.content.schemas import SOURCE_LANGUAGE

# A contact not checked for longer than this is in the report.
CHECK_EVERY_MONTHS = 12


# One contact as the check pages list it.
@dataclass(frozen=True)
class ContactRow:
    id: str
    path: str
    country: str
    kind: str
    name: str  # in English
    number: str | None  # the short number or the E.164 phone
    website: str | None
    verified_on: date
    checked_by: str | None


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the 29th-31st fall back to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def contacts(items: dict[str, dict]) -> list[ContactRow]:
    """Every contact, by country then id."""
    rows = [
        ContactRow(
            id=item["id"], path=path, country=item["country"], kind=item["kind"],
            name=(item.get("texts") or {}).get(SOURCE_LANGUAGE, {}).get("name", item["id"]),
            number=item.get("short_number") or item.get("phone"), website=item.get("website"),
            verified_on=date.fromisoformat(item["verified_on"]), checked_by=item.get("checked_by"),
        )
        for path, item in items.items() if item_kind(path) == "contact"
    ]
    return sorted(rows, key=lambda r: (r.country, r.id))


def not_checked_since(rows: list[ContactRow], today: date) -> list[ContactRow]:
    """Contacts last checked more than CHECK_EVERY_MONTHS months before `today`, oldest first."""
    limit = months_before(today, CHECK_EVERY_MONTHS)
    return sorted((r for r in rows if r.verified_on < limit), key=lambda r: (r.verified_on, r.country, r.id))


def checked_item(item: dict, *, society: str, now: datetime) -> dict:
    """The contact item as it is once `society`'s staff checked it at `now` (a new dict)."""
    moment = now.astimezone(timezone.utc).replace(microsecond=0)
    return {**item, "verified_on": moment.date().isoformat(), "checked_by": society,
            "updated_at": moment.isoformat()}


def contact_path(contact_id: str) -> str:
    return item_path("contact", contact_id)
