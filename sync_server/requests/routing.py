"""Which National Society a request goes to.

A country has a Society when its contacts (content/contacts/CC.yaml) list one of kind
`national_society`; the Society's code is that country's ISO code ("NP": Nepal Red Cross
Society). The phone sends candidate countries in order; the first with a Society gets the
request (Oman has none: the next country). Read with plain YAML: the serving process loads
nothing of the phone's content code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from sync_server.paths import CONTENT_DIR

# libyaml's safe loader when PyYAML has it: the contacts take 0.4 s to read in pure Python.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def national_societies(content_dir: Path = CONTENT_DIR) -> dict[str, str]:
    """Country code → the English name of its National Society ("NP": "Nepal Red Cross
    Society"), for the countries whose contacts list one; the name is "" where none is given."""
    found = {}
    for path in (content_dir / "contacts").glob("*.yaml"):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        for contact in document.get("contacts") or []:
            if contact.get("kind") == "national_society":
                name = contact.get("name")
                name = name.get("en") if isinstance(name, dict) else name
                found[str(document.get("country") or path.stem).upper()] = str(name or "").strip()
                break
    return found


def societies(content_dir: Path = CONTENT_DIR) -> frozenset[str]:
    """Country codes that have a National Society, from the content's contacts."""
    return frozenset(national_societies(content_dir))


def society_for(route: list[str], known: frozenset[str]) -> str | None:
    """The first country on `route` with a Society; None when none has one (admins route it)."""
    return next((country for country in route if country in known), None)


@cache
def known_societies() -> frozenset[str]:
    """The Societies of the content this server was started with (read once)."""
    return societies()
