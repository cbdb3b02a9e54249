"""A small content set whose translation queue, contact checks and programmes are known by heart,
shared by the translating pages' tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from app.content.item_paths import item_path
from tests.editor_helpers import NP_ARTICLE, NP_POLICE, NP_TEXT, small_items

TODAY = datetime.now(timezone.utc).date()
LONG_AGO = TODAY - timedelta(days=400)  # more than 12 months: in the report
RECENTLY = TODAY - timedelta(days=30)
OLDER = "2026-01-01T00:00:00+00:00"  # before every English text of the factory set
NP_SOCIETY = item_path("contact", "np-red-cross")


def _day(value: date) -> str:
    return value.isoformat()


def known_items() -> dict[str, dict]:
    """small_items() with texts in every state and contacts checked long ago and recently:

    th: passport-taken reviewed, keep-documents machine, malaysia-help and nepal-help missing
    my: passport-taken stale (written before the English), three missing
    km: passport-taken machine, three missing
    contacts: my-red-crescent checked LONG_AGO; my-emergency, np-police, np-red-cross RECENTLY
    """
    items = small_items()
    items[item_path("text", "passport-taken", "th")]["reviewed"] = True
    my_text = items[item_path("text", "passport-taken", "my")]
    my_text["reviewed"], my_text["updated_at"] = True, OLDER
    items[item_path("text", "keep-documents", "th")] = {
        "article_id": "keep-documents", "lang": "th", "title": "เก็บเอกสารให้ปลอดภัย", "summary": "",
        "body": "เก็บเอกสารไว้ในถุงพลาสติก", "reviewed": False,
        "updated_at": items[item_path("text", "keep-documents", "en")]["updated_at"],
    }
    items[item_path("contact", "my-red-crescent")]["verified_on"] = _day(LONG_AGO)
    for path in (item_path("contact", "my-emergency"), NP_POLICE):
        items[path]["verified_on"] = _day(RECENTLY)
    items[NP_SOCIETY] = {
        "id": "np-red-cross", "country": "NP", "kind": "national_society", "phone": None, "short_number": None,
        "website": None, "source": "Nepal Red Cross Society (test)", "verified_on": _day(RECENTLY),
        "updated_at": items[NP_POLICE]["updated_at"],
        "texts": {"en": {"name": "Nepal Red Cross Society", "note": ""}, "th": {"name": "สภากาชาดเนปาล", "note": ""}},
    }
    # A programme with the sections every service article has.
    items[NP_TEXT]["body"] = ("Returnees are met at the airport.\n\n## What it offers\n\n- Referrals to hospitals\n"
                              "- A call to the family\n\n## Who it is for\n\nWorkers coming home to Nepal.")
    items[NP_ARTICLE]["kind"] = "service"
    return items
