"""Small, valid content items for tests, plus helpers that sign them into bundles."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tuf.api.metadata import Metadata, Root

from app.content.bundle_format import item_path
from sync_server.publishing.keys import SigningKeys, generate_keys
from sync_server.publishing.repository import Lifetimes, publish

# Signed relative to the real clock, which is what the client checks expiry against.
NOW = datetime.now(timezone.utc).replace(microsecond=0)
STAMP = NOW.isoformat()

# Real words: "passport" in Thai, Burmese and Khmer, written without spaces.
THAI_BODY = "ถ้านายจ้างยึดหนังสือเดินทางของคุณ ให้จดเลขหนังสือเดินทางไว้และติดต่อสภากาชาด"
BURMESE_BODY = "အလုပ်ရှင်က နိုင်ငံကူးလက်မှတ်ကို သိမ်းထားရင် ကြက်ခြေနီကို ဆက်သွယ်ပါ"
KHMER_BODY = "បើនិយោជកយកលិខិតឆ្លងដែនរបស់អ្នក សូមទាក់ទងកាកបាទក្រហម"


def _text(article_id: str, lang: str, title: str, body: str) -> tuple[str, dict]:
    return item_path("text", article_id, lang), {
        "article_id": article_id, "lang": lang, "title": title, "summary": "", "body": body,
        "reviewed": False, "updated_at": STAMP,
    }


def valid_items() -> dict[str, dict]:
    items: dict[str, dict] = {}
    for code in ("en", "th", "my", "km"):
        items[item_path("language", code)] = {"code": code}
    for code, roles in (("MY", ["destination"]), ("TH", ["destination", "origin"]), ("NP", ["origin"])):
        items[item_path("country", code)] = {"code": code, "roles": roles}
    items[item_path("topic", "what-if")] = {
        "id": "what-if", "stage": "in_destination", "order": 1, "icon": "help", "updated_at": STAMP,
        "texts": {"en": {"title": "What if…", "summary": "Answers for hard moments"}},
    }
    items[item_path("topic", "prepare")] = {
        "id": "prepare", "stage": "before_you_go", "order": 1, "icon": "luggage", "updated_at": STAMP,
        "texts": {"en": {"title": "Prepare", "summary": "Before you go"}},
    }
    items[item_path("article", "passport-taken")] = {
        "id": "passport-taken", "kind": "what_if", "topic_id": "what-if", "order": 0, "countries": [],
        "related": ["keep-documents"], "contact_kinds": ["emergency", "national_society"],
        "source": "Guidance note (2018), lines 751-760", "updated_at": STAMP,
    }
    items[item_path("article", "keep-documents")] = {
        "id": "keep-documents", "kind": "advice", "topic_id": "prepare", "order": 0, "countries": [],
        "related": [], "contact_kinds": [], "source": "Guidance note (2018), lines 789-794", "updated_at": STAMP,
    }
    items[item_path("article", "malaysia-help")] = {
        "id": "malaysia-help", "kind": "advice", "topic_id": "what-if", "order": 1, "countries": ["MY"],
        "related": [], "contact_kinds": [], "source": "Guidance note (2018)", "updated_at": STAMP,
    }
    items.update([
        _text("passport-taken", "en", "If your passport is taken",
              "Your passport is your own document. Nobody may keep it from you."),
        _text("passport-taken", "th", "ถ้าหนังสือเดินทางถูกยึด", THAI_BODY),
        _text("passport-taken", "my", "နိုင်ငံကူးလက်မှတ် သိမ်းခံရရင်", BURMESE_BODY),
        _text("passport-taken", "km", "បើលិខិតឆ្លងដែនត្រូវបានយក", KHMER_BODY),
        _text("keep-documents", "en", "Keep your documents safe",
              "Keep your documents in a plastic bag. Leave copies with your family."),
        _text("malaysia-help", "en", "Where to get help in Malaysia",
              "Call 999 in an emergency. Keep copies of your documents."),
    ])
    items[item_path("contact", "my-emergency")] = {
        "id": "my-emergency", "country": "MY", "kind": "emergency", "services": ["all"], "phone": None, "short_number": "999",
        "website": None, "source": "libphonenumber short number metadata", "verified_on": "2026-11-23",
        "updated_at": STAMP, "texts": {"en": {"name": "Police and ambulance", "note": ""}},
    }
    items[item_path("contact", "my-red-crescent")] = {
        "id": "my-red-crescent", "country": "MY", "kind": "national_society", "phone": None, "short_number": None,
        "website": None, "source": "Guidance note (2018)", "verified_on": "2026-11-23",
        "updated_at": STAMP, "texts": {"en": {"name": "Malaysian Red Crescent Society", "note": ""}},
    }
    items[item_path("notice", "example")] = {
        "id": "example", "severity": "warning", "starts": "2026-11-01", "ends": "2027-01-01", "example": True,
        "countries": ["MY"], "updated_at": STAMP, "texts": {"en": {"title": "EXAMPLE", "body": "Example notice"}},
    }
    return copy.deepcopy(items)


LIFETIMES = Lifetimes(timestamp=timedelta(days=365), snapshot=timedelta(days=365), targets=timedelta(days=365))


def sign_bundle(
    repo_dir: Path,
    items: dict[str, dict] | None = None,
    *,
    keys: SigningKeys | None = None,
    now: datetime = NOW,
    lifetimes: Lifetimes = LIFETIMES,
    root: Metadata[Root] | None = None,
) -> tuple[SigningKeys, bytes]:
    """Publish `items` (default: valid_items()) as the next version in `repo_dir`.

    Returns the keys and the root bytes a phone would ship with."""
    keys = keys or generate_keys()
    publish(repo_dir, items or valid_items(), keys, now=now, lifetimes=lifetimes, root=root)
    return keys, (repo_dir / "metadata" / "1.root.json").read_bytes()


def installed_items(home: Path, paths: set[str] | None = None) -> dict[str, bytes]:
    """The signed bytes of the items installed in `home` (all, or just `paths`)."""
    from app.content.install import InstalledFile

    with InstalledFile(home) as installed:
        return installed.items(paths)
